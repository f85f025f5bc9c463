// "End the meeting", at the bottom of the facilitator's panel: what ending means (nothing
// can change afterwards; the records are deleted some days later), then a question before
// meeting.close is sent.
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, setText, show } from './dom.js';

export class CloseMeetingView {
  // close(): sends meeting.close
  constructor({ close }) {
    const words = WORDS.ending;
    this.explain = el('p', { class: 'field-hint' });
    this.slot = el('div', { class: 'close-meeting-slot' });
    this.button = el(
      'button',
      { type: 'button', class: 'button button-strong', 'aria-expanded': 'false', dataset: { action: 'close-meeting' }, onclick: () => this.ask() },
      words.end,
    );
    this.closeMeeting = close;
    this.element = el(
      'section',
      { class: 'panel-section close-meeting', 'aria-labelledby': 'close-meeting-heading' },
      el('h2', { id: 'close-meeting-heading' }, words.heading),
      this.explain,
      this.button,
      this.slot,
    );
  }

  // can: see abilities.js; retentionDays: from `state`; ending: meeting.close is on its way
  render({ can, retentionDays, ending }) {
    show(this.element, can.lookAfter || ending);
    if (!can.lookAfter) this.dismiss();
    setText(this.explain, WORDS.ending.explain(retentionDays));
    this.button.disabled = ending;
    setText(this.button, ending ? WORDS.ending.ending : WORDS.ending.end);
  }

  ask() {
    if (this.slot.firstChild) return this.dismiss();
    const words = WORDS.ending;
    const confirm = createConfirm({
      question: words.really,
      yes: words.yesEnd,
      no: words.notYet,
      onYes: () => {
        this.dismiss();
        this.closeMeeting();
      },
      onNo: () => {
        this.dismiss();
        this.button.focus();
      },
    });
    this.slot.append(confirm.element);
    this.button.setAttribute('aria-expanded', 'true');
    confirm.focus();
  }

  dismiss() {
    this.slot.replaceChildren();
    this.button.setAttribute('aria-expanded', 'false');
  }
}
