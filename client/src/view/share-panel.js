// The facilitator's "Share and settings" panel: the links to hand out (with Copy buttons
// and the QR code), the meeting's name, which words the board uses, and pausing changes.
import { requestJson } from '../api.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';

const MAX_TITLE = 200;
const COPIED_MS = 2_000;

export class SharePanel {
  // actions: editMeeting(fields), lock(), unlock()
  constructor({ toggle, panel, meetingId, actions }) {
    this.toggle = toggle;
    this.panel = panel;
    this.meetingId = meetingId;
    this.actions = actions;
    this.meeting = null;
    this.built = false;
    setText(toggle, WORDS.share);
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', panel.id);
    toggle.addEventListener('click', () => this.setOpen(panel.hidden));
  }

  render(meeting, runsMeeting) {
    this.meeting = meeting;
    show(this.toggle, runsMeeting);
    if (!runsMeeting) this.setOpen(false);
    if (this.built) this.renderSettings();
  }

  setOpen(open) {
    if (open && !this.built) this.build();
    show(this.panel, open);
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.renderSettings();
      this.loadLinks();
    }
  }

  build() {
    this.built = true;
    this.participantLink = linkField('participant-link', WORDS.participantLink);
    this.displayLink = linkField('display-link', WORDS.displayLink);
    this.linksProblem = el('p', { class: 'panel-problem', role: 'alert', hidden: true });
    const qr = el(
      'figure',
      { class: 'share-qr' },
      el('img', { src: `/m/${encodeURIComponent(this.meetingId)}/qr.svg`, alt: WORDS.qrAlt, width: 200, height: 200 }),
      el('figcaption', {}, WORDS.scanToJoin),
    );

    this.titleInput = el('input', { type: 'text', name: 'title', maxlength: MAX_TITLE, required: true, autocomplete: 'off' });
    this.titleButton = el('button', { type: 'submit', class: 'button' }, WORDS.saveTitle);
    const titleForm = el(
      'form',
      { class: 'title-form', onsubmit: (event) => this.saveTitle(event) },
      el('label', { class: 'field-label' }, el('span', { class: 'field-caption' }, WORDS.titleLabel), this.titleInput),
      this.titleButton,
    );

    this.vocabularyChoices = Object.entries(WORDS.vocabulary).map(([value, label]) => {
      const input = el('input', { type: 'radio', name: 'vocabulary', value });
      input.addEventListener('change', () => this.actions.editMeeting({ vocabulary: value }));
      return el('label', { class: 'choice' }, input, el('span', {}, label));
    });
    this.vocabularyFieldset = el(
      'fieldset',
      { class: 'vocabulary-choice' },
      el('legend', {}, WORDS.wordsToUse),
      ...this.vocabularyChoices,
    );

    this.lockButton = el('button', { type: 'button', class: 'button button-strong', onclick: () => this.toggleLock() });

    this.panel.replaceChildren(
      el('h2', {}, WORDS.invite),
      this.participantLink.element,
      this.displayLink.element,
      this.linksProblem,
      qr,
      el('h2', {}, WORDS.settings),
      titleForm,
      this.vocabularyFieldset,
      this.lockButton,
      el('button', { type: 'button', class: 'button', onclick: () => this.closeAndReturn() }, WORDS.closePanel),
    );
  }

  renderSettings() {
    const { meeting } = this;
    if (!meeting) return;
    const open = meeting.status === 'open';
    if (document.activeElement !== this.titleInput) this.titleInput.value = meeting.title;
    this.titleInput.disabled = !open;
    this.titleButton.disabled = !open;
    this.vocabularyFieldset.disabled = !open;
    for (const label of this.vocabularyChoices) {
      const input = label.querySelector('input');
      input.checked = input.value === meeting.vocabulary;
    }
    setText(this.lockButton, open ? WORDS.pauseChanges : WORDS.allowChanges);
    this.lockButton.dataset.action = open ? 'lock' : 'unlock';
    this.lockButton.hidden = meeting.status === 'closed';
  }

  async loadLinks() {
    show(this.linksProblem, false);
    try {
      const links = await requestJson(`/api/meetings/${encodeURIComponent(this.meetingId)}/links`);
      this.participantLink.set(links.participant);
      this.displayLink.set(links.display);
    } catch {
      setText(this.linksProblem, WORDS.linksFailed);
      show(this.linksProblem, true);
    }
  }

  saveTitle(event) {
    event.preventDefault();
    const title = this.titleInput.value.trim();
    if (title && title !== this.meeting.title) this.actions.editMeeting({ title });
    this.titleInput.blur();
  }

  toggleLock() {
    if (this.meeting.status === 'open') this.actions.lock();
    else this.actions.unlock();
  }

  closeAndReturn() {
    this.setOpen(false);
    this.toggle.focus();
  }
}

// A read-only link with a Copy button; where the clipboard is not allowed, the link is
// selected so that it can be copied by hand.
function linkField(field, labelText) {
  const input = el('input', { type: 'text', readonly: true, class: 'link-input', dataset: { field } });
  const hint = el('p', { class: 'field-hint', hidden: true }, WORDS.copyByHand);
  const button = el('button', { type: 'button', class: 'button', dataset: { action: 'copy' } }, WORDS.copy);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      setText(button, WORDS.copied);
      setTimeout(() => setText(button, WORDS.copy), COPIED_MS);
    } catch {
      input.focus();
      input.select();
      show(hint, true);
    }
  });
  const element = el(
    'div',
    { class: 'share-link' },
    el('label', { class: 'field-label' }, el('span', { class: 'field-caption' }, labelText), input),
    button,
    hint,
  );
  return {
    element,
    set: (url) => {
      input.value = url ?? '';
    },
  };
}
