// The board's polite live region, where a screen reader hears other people's changes in
// short batches (announcements.js), and the "Tell me about other people's changes" switch,
// remembered on this device for every meeting.
import { Announcer, describeApplied } from '../announcements.js';
import { t } from '../i18n.js';
import { el } from './dom.js';

const STORAGE_KEY = 'kinboard:announce';

export class AnnouncerView {
  // region: the empty aria-live="polite" element of the page; choice: where the switch goes
  constructor(region, choice) {
    this.region = region;
    this.on = readChoice();
    this.announcer = new Announcer({ say: (text) => this.say(text) });
    this.box = el('input', { type: 'checkbox', id: 'announce-changes', dataset: { field: 'announce' } });
    this.box.checked = this.on;
    this.box.addEventListener('change', () => {
      this.on = this.box.checked;
      saveChoice(this.on);
    });
    choice.append(this.box, el('label', { for: 'announce-changes' }, t("Tell me about other people's changes")));
  }

  // One `applied` event, read against the board as it was before it (`state`).
  hear(event, state) {
    if (this.on && state.loaded) this.announcer.add(describeApplied(event, state, state.me?.id ?? null));
  }

  say(text) {
    if (!this.on) return;
    // Emptied first, so the same words twice are still heard twice.
    this.region.textContent = '';
    requestAnimationFrame(() => {
      this.region.textContent = text;
    });
  }
}

function readChoice() {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true; // storage turned off: on, for this page
  }
}

function saveChoice(on) {
  try {
    window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // kept for this page only
  }
}
