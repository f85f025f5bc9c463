// One set of minutes in the list: its name, whether it is agreed, links to read it and to
// save a copy, who agreed and who did not and why, and, while it is a draft, "I agree" /
// "I don't agree" for everyone who may sign and "Mark as agreed" for the facilitator.
// Made once per number and updated in place, so a reason being typed is never lost.
import { dayWords } from '../dates.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';
import { problemLine } from './form-parts.js';

export class MinutesItemView {
  // actions (board page only): sign(number, stance, reason), agree(number); maxReason: the
  // template's limit of a reason
  constructor(number, { meetingId, actions = null, maxReason }) {
    const words = WORDS.minutes;
    const page = `/m/${encodeURIComponent(meetingId)}/minutes/${number}`;
    this.number = number;
    this.actions = actions;
    this.heading = el('h4', { class: 'minutes-title' });
    this.status = el('span', { class: 'minutes-status', dataset: { role: 'minutes-status' } });
    this.taken = el('p', { class: 'minutes-taken' });
    this.signoffs = el('ul', { class: 'signoffs', dataset: { role: 'signoffs' } });
    this.signoffsKey = null;
    this.element = el(
      'li',
      { class: 'minutes-item', dataset: { minutes: String(number) } },
      el('header', { class: 'minutes-header' }, this.heading, this.status),
      this.taken,
      el(
        'p',
        { class: 'minutes-links' },
        el('a', { class: 'button', href: page, dataset: { action: 'open-minutes' } }, words.open),
        el('a', { class: 'button', href: `${page}.pdf`, download: true, dataset: { action: 'save-copy' } }, words.saveCopy),
      ),
      this.signoffs,
    );
    if (actions) this.buildSigning(maxReason);
  }

  buildSigning(maxReason) {
    const words = WORDS.minutes;
    this.mine = el('p', { class: 'my-signoff', dataset: { role: 'my-signoff' } });
    this.reason = el('textarea', { rows: 2, maxlength: maxReason, dataset: { field: 'signoff-reason' } });
    this.problem = problemLine();
    const sign = (stance) => {
      const reason = this.reason.value.trim();
      if (stance === 'disagree' && !reason) {
        this.problem.say(words.needsReason);
        this.reason.focus();
        return;
      }
      this.problem.say(null);
      this.actions.sign(this.number, stance, reason);
      this.reason.value = '';
    };
    this.signing = el(
      'div',
      { class: 'signing' },
      el('label', { class: 'field-label' }, el('span', { class: 'field-caption' }, words.reasonCaption), this.reason),
      this.problem.element,
      el(
        'div',
        { class: 'form-buttons' },
        el('button', { type: 'button', class: 'button stance-agree', dataset: { action: 'sign-agree' }, onclick: () => sign('agree') }, words.agree),
        el('button', { type: 'button', class: 'button stance-disagree', dataset: { action: 'sign-disagree' }, onclick: () => sign('disagree') }, words.disagree),
      ),
    );
    this.agreeButton = el(
      'button',
      { type: 'button', class: 'button button-strong', dataset: { action: 'agree-minutes' }, onclick: () => this.actions.agree(this.number) },
      words.markAgreed,
    );
    this.agreeing = el('div', { class: 'agreeing' }, this.agreeButton, el('p', { class: 'field-hint' }, words.markAgreedHint));
    this.element.append(this.mine, this.signing, this.agreeing);
  }

  // item: one of describeMinutes(); can: see abilities.js
  render({ minutes, draft, pending, mine, agreed, notAgreed }, can) {
    const words = WORDS.minutes;
    setText(this.heading, words.title(minutes.number, minutes.label));
    setText(this.status, draft ? words.draft : words.agreed);
    this.element.dataset.status = minutes.status;
    this.element.classList.toggle('is-pending', pending);
    setText(this.taken, words.taken(dayWords(minutes.taken_at)));
    const key = JSON.stringify([agreed, notAgreed]);
    if (key !== this.signoffsKey) {
      this.signoffsKey = key;
      const said = [
        ...agreed.map((name) => el('li', { class: 'signoff signoff-agree' }, words.agrees(name))),
        ...notAgreed.map(({ name, reason }) => el('li', { class: 'signoff signoff-disagree' }, words.doesNotAgree(name, reason))),
      ];
      this.signoffs.replaceChildren(...(said.length ? said : [el('li', { class: 'signoff muted' }, words.nobodyYet)]));
    }
    if (!this.actions) return;

    const canSign = draft && can.signMinutes;
    let saidByMe = canSign ? words.pleaseSay : '';
    if (mine) saidByMe = mine.stance === 'agree' ? words.youAgree : words.youDisagree(mine.reason);
    if (mine && mine.at === null) saidByMe = `${saidByMe} (${WORDS.saving})`;
    setText(this.mine, saidByMe);
    show(this.mine, Boolean(saidByMe));
    show(this.signing, canSign);
    show(this.agreeing, draft && can.finishMeeting);
  }
}
