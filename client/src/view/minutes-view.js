// The minutes of the meeting: for the facilitator, "Take minutes" (with the tip to pause
// changes first, which is not required); for everyone, the list of minutes, newest first.
import { WORDS } from '../words.js';
import { el, placeChildren, setText, show } from './dom.js';
import { MinutesItemView } from './minutes-item.js';

export class MinutesView {
  // actions (board page only): takeMinutes(label), pause(), sign(number, stance, reason),
  // agree(number)
  constructor({ meetingId, actions = null }) {
    const words = WORDS.minutes;
    this.meetingId = meetingId;
    this.actions = actions;
    this.items = new Map(); // number -> MinutesItemView
    this.list = el('ol', { class: 'minutes-list', dataset: { role: 'minutes-list' } });
    this.empty = el('p', { class: 'muted' }, words.none);
    this.element = el(
      'section',
      { class: 'minutes', 'aria-labelledby': 'minutes-heading' },
      el('h3', { class: 'end-heading', id: 'minutes-heading' }, words.heading),
    );
    if (actions) this.element.append(this.buildTaking());
    this.element.append(this.list, this.empty);
  }

  buildTaking() {
    const words = WORDS.minutes;
    this.pauseButton = el(
      'button',
      { type: 'button', class: 'button', dataset: { action: 'pause-for-minutes' }, onclick: () => this.actions.pause() },
      WORDS.pauseChanges,
    );
    this.label = el('input', { type: 'text', autocomplete: 'off', dataset: { field: 'minutes-label' } });
    this.takeButton = el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'take-minutes' } }, words.take);
    this.tip = el('p', { class: 'minutes-tip' }, el('span', {}, words.tip), this.pauseButton);
    this.taking = el(
      'form',
      { class: 'take-minutes', novalidate: true },
      this.tip,
      el('label', { class: 'field-label' }, el('span', { class: 'field-caption' }, words.labelCaption), this.label),
      el('div', { class: 'form-buttons' }, this.takeButton),
    );
    this.taking.addEventListener('submit', (event) => {
      event.preventDefault();
      this.actions.takeMinutes(this.label.value.trim());
      this.label.value = '';
    });
    return this.taking;
  }

  // model: the live board's snapshot (minutes from describeMinutes, takingMinutes, can)
  render({ minutes, takingMinutes, can, board, template }) {
    if (this.taking) {
      this.label.maxLength = template.limits.label;
      show(this.taking, can.finishMeeting);
      show(this.tip, board.meeting.status === 'open'); // once paused, the tip has been followed
      this.takeButton.disabled = takingMinutes; // one press is enough
      setText(this.takeButton, takingMinutes ? WORDS.minutes.taking : WORDS.minutes.take);
    }
    show(this.empty, minutes.length === 0);
    const views = minutes.map((item) => {
      const number = item.minutes.number;
      let view = this.items.get(number);
      if (!view) {
        view = new MinutesItemView(number, { meetingId: this.meetingId, actions: this.actions, maxReason: template.limits.reason });
        this.items.set(number, view);
      }
      view.render(item, can);
      return view;
    });
    placeChildren(this.list, views.map((view) => view.element));
  }
}
