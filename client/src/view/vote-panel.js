// Giving one's own number in an open round: eleven big buttons from 0 to 10 (a press
// sends it at once; pressing another replaces it), what 0 and 10 mean right under them,
// an optional reason, and the number this person gave, which only their screen shows.
import { pictureUrl } from '../pictures.js';
import { WORDS } from '../words.js';
import { createAnchors } from './anchors.js';
import { el, setText, show } from './dom.js';

// A face for each number, for a child's slider: from sad at 0 to very happy at 10.
const FACES = [
  [2, '1F622'],
  [4, '1F61F'],
  [5, '1F615'],
  [8, '1F600'],
  [10, '1F929'],
];
const faceOf = (value) => FACES.find(([upTo]) => value <= upTo)[1];

// A child's way to give a number: a slider from 0 to 10 with a face that follows it, what
// 0 and 10 mean in the scale's own words, and one big button to send it.
function createChildSlider(send) {
  const words = WORDS.scaling.child;
  const face = el('img', { class: 'child-face', alt: '', width: 72, height: 72, dataset: { role: 'child-face' } });
  const number = el('output', { class: 'child-number', dataset: { role: 'child-number' } });
  const slider = el('input', { type: 'range', min: 0, max: 10, step: 1, value: 5, class: 'child-slider', 'aria-label': words.slider, dataset: { field: 'child-slider' } });
  const low = el('p', { class: 'child-end' }, el('img', { src: pictureUrl(faceOf(0)), alt: '', width: 40, height: 40 }), el('span'));
  const high = el('p', { class: 'child-end' }, el('img', { src: pictureUrl(faceOf(10)), alt: '', width: 40, height: 40 }), el('span'));
  const follow = () => {
    const value = Number(slider.value);
    face.src = pictureUrl(faceOf(value));
    setText(number, String(value));
    slider.setAttribute('aria-valuetext', String(value));
  };
  slider.addEventListener('input', follow);
  follow();
  const button = el('button', { type: 'button', class: 'button button-primary child-send', dataset: { action: 'vote-slider' }, onclick: () => send(Number(slider.value)) }, words.send);
  return {
    element: el('div', { class: 'child-scale', dataset: { role: 'child-scale' } }, el('p', { class: 'vote-prompt' }, words.prompt), el('div', { class: 'child-now' }, face, number), slider, low, high, button),
    render(scale, vote) {
      setText(low.lastChild, words.low(scale.low_label));
      setText(high.lastChild, words.high(scale.high_label));
      if (vote && document.activeElement !== slider) {
        slider.value = String(vote.value);
        follow();
      }
    },
  };
}

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
  const slider = createChildSlider((value) => onVote(value, reason.value.trim()));
  const grown = el('div', { class: 'vote-grown' }, el('p', { class: 'vote-prompt' }, words.yourNumber));
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
    slider.element,
    grown,
    mine,
    el('label', { class: 'vote-reason' }, el('span', { class: 'field-caption' }, words.reasonLabel), reason),
    saveReason,
  );

  grown.append(el('div', { class: 'vote-numbers', role: 'group', 'aria-label': words.numbers }, ...numbers), anchors.element);

  return {
    element,
    // vote: {value, reason, pending, replacesRecorded} or null; forChild: the slider with
    // faces instead of the number buttons (a `child` participant)
    render(scale, vote, { forChild = false } = {}) {
      myVote = vote;
      show(slider.element, forChild);
      show(grown, !forChild);
      slider.render(scale, vote);
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
