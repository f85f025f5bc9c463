// "I'm done" and "I need more time": each person says it for themselves (pressing it
// again takes it back). The facilitator sees who said which; everyone else, and the room
// screen, how many, so that nobody is singled out on the big screen.
import { describeReadiness } from '../steering.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';

export class ReadinessView {
  // `actions` (board page only): sayReady(state or null).
  constructor(root, { actions = null } = {}) {
    this.actions = actions;
    this.mine = null;
    this.summary = el('p', { class: 'readiness-summary', dataset: { role: 'readiness-summary' } });
    this.doneNames = el('p', { class: 'readiness-names', dataset: { role: 'done-names' } });
    this.moreNames = el('p', { class: 'readiness-names', dataset: { role: 'more-time-names' } });
    this.root = el('section', { class: 'readiness', 'aria-label': WORDS.steer.done }, this.summary, this.doneNames, this.moreNames);
    root.append(this.root);
    if (!actions) return;
    const button = (label, state) =>
      el(
        'button',
        {
          type: 'button',
          class: 'button button-small readiness-button',
          dataset: { action: `ready-${state}` },
          'aria-pressed': 'false',
          onclick: () => this.actions.sayReady(this.mine === state ? null : state),
        },
        label,
      );
    this.done = button(WORDS.steer.done, 'done');
    this.moreTime = button(WORDS.steer.moreTime, 'more_time');
    this.buttons = el('p', { class: 'readiness-buttons' }, this.done, this.moreTime);
    this.root.prepend(this.buttons);
  }

  render(model) {
    const said = describeReadiness(model.state.readiness, model.state.participants, model.meId);
    this.mine = said.mine;
    const anyone = said.done.length + said.moreTime.length > 0;
    setText(this.summary, anyone ? WORDS.steer.counts(said.done.length, said.moreTime.length) : '');
    show(this.summary, anyone);
    const names = model.can.steer;
    setText(this.doneNames, names && said.done.length ? WORDS.steer.doneNames(said.done) : '');
    setText(this.moreNames, names && said.moreTime.length ? WORDS.steer.moreTimeNames(said.moreTime) : '');
    show(this.doneNames, names && said.done.length > 0);
    show(this.moreNames, names && said.moreTime.length > 0);
    if (this.buttons) {
      show(this.buttons, model.can.sayReady);
      this.done.setAttribute('aria-pressed', String(said.mine === 'done'));
      this.moreTime.setAttribute('aria-pressed', String(said.mine === 'more_time'));
    }
    show(this.root, anyone || Boolean(this.buttons && model.can.sayReady));
  }
}
