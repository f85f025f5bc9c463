// The shared timer, on every screen: the time left, counted to the server's end time by
// the server's clock (`serverNow`), so every screen shows the same. Time being up is
// said in words, calmly: no sound, no flashing, no red. The facilitator starts it for a
// number of minutes, adds a minute, pauses and carries on, and stops it.
import { describeTimer } from '../steering.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';

const TICK_MS = 250;
const DEFAULT_MINUTES = 5;

export class TimerView {
  // `serverNow()`: the server's time in ms (see BoardState.setServerTime). `actions` (board page only): startTimer(seconds),
  // extendTimer(seconds), pauseTimer(), resumeTimer(), stopTimer().
  constructor(root, { serverNow, actions = null }) {
    this.serverNow = serverNow;
    this.actions = actions;
    this.timer = null;
    this.ticking = null;
    this.clockText = el('p', { class: 'timer-clock', role: 'timer', dataset: { role: 'timer-clock' } });
    this.state = el('p', { class: 'timer-state', dataset: { role: 'timer-state' } });
    // Said once by screen readers when it happens, like everything else here, calmly.
    this.up = el('p', { class: 'timer-up', role: 'status', dataset: { role: 'time-up' } });
    this.face = el('div', { class: 'timer-face' }, el('span', { class: 'timer-label' }, WORDS.steer.timeLeft), this.clockText, this.state);
    this.root = el('section', { class: 'timer', 'aria-label': WORDS.steer.timer }, this.face, this.up);
    root.append(this.root);
    if (actions) this.root.append(this.buildControls());
  }

  buildControls() {
    const button = (label, action, onclick) =>
      el('button', { type: 'button', class: 'button button-small', dataset: { action }, onclick }, label);
    this.minutes = el('input', {
      type: 'number',
      class: 'timer-minutes',
      id: 'timer-minutes',
      min: '1',
      step: 'any',
      value: String(DEFAULT_MINUTES),
      dataset: { field: 'timer-minutes' },
    });
    this.start = button(WORDS.steer.start, 'timer-start', () => this.actions.startTimer(Math.round(Number(this.minutes.value) * 60)));
    this.extend = button(WORDS.steer.extend, 'timer-extend', () => this.actions.extendTimer(60));
    this.pause = button(WORDS.steer.pause, 'timer-pause', () =>
      this.timer?.status === 'paused' ? this.actions.resumeTimer() : this.actions.pauseTimer(),
    );
    this.stop = button(WORDS.steer.stop, 'timer-stop', () => this.actions.stopTimer());
    this.controls = el(
      'div',
      { class: 'timer-controls' },
      el('label', { class: 'timer-minutes-label', for: 'timer-minutes' }, WORDS.steer.minutes),
      this.minutes,
      this.start,
      this.extend,
      this.pause,
      this.stop,
    );
    return this.controls;
  }

  render(model) {
    this.timer = model.state.timer;
    const going = describeTimer(this.timer, this.serverNow());
    if (this.controls) {
      show(this.controls, model.can.steer);
      const { min, max } = model.template.timer_seconds;
      this.minutes.min = String(min / 60);
      this.minutes.max = String(max / 60);
      for (const button of [this.extend, this.pause, this.stop]) show(button, Boolean(going));
      if (going) setText(this.pause, going.paused ? WORDS.steer.resume : WORDS.steer.pause);
    }
    show(this.face, Boolean(going));
    // The room screen and the others show the timer only while one is going.
    show(this.root, Boolean(going) || Boolean(this.controls && model.can.steer));
    this.tick();
    if (going && !going.paused && !going.up) this.startTicking();
    else this.stopTicking();
  }

  tick() {
    const going = describeTimer(this.timer, this.serverNow());
    if (!going) {
      setText(this.up, '');
      this.root.classList.remove('is-up');
      return;
    }
    setText(this.clockText, going.clock);
    setText(this.state, going.paused ? WORDS.steer.paused : '');
    setText(this.up, going.up ? WORDS.steer.timeUp : '');
    this.root.classList.toggle('is-up', going.up);
    if (going.up) this.stopTicking();
  }

  startTicking() {
    if (!this.ticking) this.ticking = setInterval(() => this.tick(), TICK_MS);
  }

  stopTicking() {
    clearInterval(this.ticking);
    this.ticking = null;
  }
}
