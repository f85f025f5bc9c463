// Giving one's own number in an open round: eleven big buttons from 0 to 10 (a press
// sends it at once; pressing another replaces it), what 0 and 10 mean right under them,
// an optional reason, and the number this person gave, which only their screen shows.
import { WORDS } from '../words.js';
import { createAnchors } from './anchors.js';
import { el, setText, show } from './dom.js';

// onVote(value, reason); maxReason: the template's limit of a reason
export function createVotePanel({ onVote, maxReason }) {
  const words = WORDS.scaling;
  let myVote = null;

  const reason = el('textarea', {
    class: 'vote-reason-input',
    rows: 2,
    maxlength: maxReason,
    dataset: { field: 'vote-reason' },
  });
  const numbers = Array.from({ length: 11 }, (_, value) =>
    el(
      'button',
      {
        type: 'button',
        class: 'vote-number',
        'aria-pressed': 'false',
        dataset: { action: 'vote', value: String(value) },
        onclick: () => onVote(value, reason.value.trim()),
      },
      String(value),
    ),
  );
  const anchors = createAnchors();
  const mine = el('p', { class: 'my-vote', role: 'status', dataset: { role: 'my-vote' } });
  const saveReason = el(
    'button',
    {
      type: 'button',
      class: 'button',
      hidden: true,
      dataset: { action: 'save-reason' },
      onclick: () => onVote(myVote.value, reason.value.trim()),
    },
    words.saveReason,
  );
  // The reason can be sent again with the same number once it differs from the one sent.
  const offerSaveReason = () =>
    show(saveReason, Boolean(myVote && reason.value.trim() !== (myVote.reason ?? '')));
  reason.addEventListener('input', offerSaveReason);

  const element = el(
    'div',
    { class: 'vote-panel' },
    el('p', { class: 'vote-prompt' }, words.yourNumber),
    el('div', { class: 'vote-numbers', role: 'group', 'aria-label': words.numbers }, ...numbers),
    anchors.element,
    mine,
    el('label', { class: 'vote-reason' }, el('span', { class: 'field-caption' }, words.reasonLabel), reason),
    saveReason,
  );

  return {
    element,
    // vote: {value, reason, pending, replacesRecorded} or null
    render(scale, vote) {
      myVote = vote;
      anchors.render(scale);
      for (const button of numbers) {
        button.setAttribute('aria-pressed', String(vote?.value === Number(button.dataset.value)));
      }
      let said = vote ? words.youSaid(vote.value) : words.chooseNumber;
      if (vote?.replacesRecorded) said += ` ${words.replacesRecorded}`;
      setText(mine, vote?.pending ? `${said} (${WORDS.saving})` : said);
      mine.classList.toggle('has-vote', Boolean(vote));
      // The reason they sent comes back into the box (e.g. after a reload), unless they are
      // writing in it.
      if (vote?.reason && document.activeElement !== reason && !reason.value) reason.value = vote.reason;
      offerSaveReason();
    },
  };
}
