// "Exit this page" (templates/quick_exit.html) on every page the family sees: its button,
// or Shift pressed 3 times, replaces this page at once with the neutral site the server
// names in the button's link (KINBOARD_EXIT_URL). `location.replace` leaves no entry in
// the history, so Back does not come back here; the page hides itself first, so nothing of
// it shows while the other site loads. Nothing is sent with it: the address is fixed by
// the server, and the page's Referrer-Policy (no-referrer) sends no address of ours.
import { ExitShortcut, PRESSES, WITHIN_MS } from './exit-shortcut.js';
import { WORDS } from './words.js';

const button = document.querySelector('[data-role=quick-exit-button]');
const status = document.querySelector('[data-role=quick-exit-status]');

function leave() {
  document.documentElement.classList.add('is-leaving');
  window.location.replace(button.href);
}

if (button) {
  button.addEventListener('click', (event) => {
    event.preventDefault();
    leave();
  });
  let timer = null;
  const shortcut = new ExitShortcut({
    onExit: leave,
    onProgress(left) {
      status.textContent = left ? WORDS.quickExit.pressMore(left) : WORDS.quickExit.timedOut;
      // The 5 seconds run from the first press.
      if (left === PRESSES - 1) {
        clearTimeout(timer);
        timer = setTimeout(() => shortcut.expire(), WITHIN_MS);
      }
    },
  });
  // Capture: a field or a form that stops the key's event still lets the shortcut see it.
  document.addEventListener('keydown', (event) => shortcut.keydown(event), true);
  document.addEventListener('keyup', (event) => shortcut.keyup(event), true);
}
