// The keyboard shortcut of "Exit this page", as in the GOV.UK Design System's pattern: the
// Shift key pressed 3 times within 5 seconds, on its own (Shift held for a capital letter
// or with another key does not count). Pure: the page gives it key events and a clock.
export const PRESSES = 3;
export const WITHIN_MS = 5_000;

export class ExitShortcut {
  // onProgress(pressesLeft): a Shift counted, more needed (0: the time ran out, start again)
  // onExit(): the third Shift
  constructor({ onProgress, onExit, now = () => Date.now() }) {
    Object.assign(this, { onProgress, onExit, now });
    this.count = 0;
    this.startedAt = 0;
    this.withOther = false; // another key went down while Shift was held
  }

  keydown(event) {
    if (event.key === 'Shift') {
      if (!event.repeat) this.withOther = false;
      return;
    }
    this.withOther = true;
    this.reset();
  }

  keyup(event) {
    if (event.key !== 'Shift' || this.withOther) return;
    if (this.count > 0 && this.now() - this.startedAt > WITHIN_MS) this.reset();
    if (this.count === 0) this.startedAt = this.now();
    this.count += 1;
    if (this.count >= PRESSES) {
      this.reset();
      this.onExit();
    } else {
      this.onProgress(PRESSES - this.count);
    }
  }

  // The 5 seconds are up (the page's timer): start again.
  expire() {
    if (this.count === 0) return;
    this.reset();
    this.onProgress(0);
  }

  reset() {
    this.count = 0;
  }
}
