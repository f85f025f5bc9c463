// The board's "For staff" menu, on the page only for the meeting's staff: one person's
// data as a file (subject access) and erasing the meeting, each after an in-page
// "Are you sure?" that the keyboard reaches (No has the focus; Escape is No too). See
// docs/protocol.md, "Staff, people's links, and looking after a meeting".
import { ApiError, requestJson } from '../api.js';
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, setText, show } from './dom.js';
import { field, problemLine } from './form-parts.js';

export class StaffMenu {
  constructor({ toggle, menu, meetingId }) {
    this.toggle = toggle;
    this.menu = menu;
    this.api = `/api/meetings/${encodeURIComponent(meetingId)}`;
    const words = WORDS.staffMenu;
    setText(toggle, words.toggle);
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', menu.id);
    toggle.addEventListener('click', () => this.setOpen(menu.hidden));
    menu.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        this.setOpen(false);
        toggle.focus();
      }
    });

    this.person = el('select', { name: 'person', dataset: { field: 'person' } });
    this.exportButton = el('button', { type: 'button', class: 'button', dataset: { action: 'export-person' }, onclick: () => this.askExport() }, words.export);
    this.exportConfirm = el('div', { class: 'staff-confirm' });
    this.exportDone = el('p', { class: 'form-saved', role: 'status' });
    this.eraseButton = el('button', { type: 'button', class: 'button button-danger', dataset: { action: 'erase-meeting' }, onclick: () => this.askErase() }, words.erase);
    this.eraseConfirm = el('div', { class: 'staff-confirm' });
    this.problem = problemLine();
    menu.replaceChildren(
      el('h2', {}, words.heading),
      el(
        'section',
        { class: 'panel-section', 'aria-labelledby': 'staff-export-heading' },
        el('h3', { id: 'staff-export-heading' }, words.exportHeading),
        el('p', { class: 'field-hint' }, words.exportIntro),
        field(words.personCaption, this.person),
        el('div', { class: 'form-buttons' }, this.exportButton),
        this.exportConfirm,
        this.exportDone,
      ),
      el(
        'section',
        { class: 'panel-section', 'aria-labelledby': 'staff-erase-heading' },
        el('h3', { id: 'staff-erase-heading' }, words.eraseHeading),
        el('p', { class: 'field-hint' }, words.eraseIntro),
        el('div', { class: 'form-buttons' }, this.eraseButton),
        this.eraseConfirm,
      ),
      this.problem.element,
    );
  }

  setOpen(open) {
    show(this.menu, open);
    this.toggle.setAttribute('aria-expanded', String(open));
    if (!open) {
      this.exportConfirm.replaceChildren();
      this.eraseConfirm.replaceChildren();
    }
  }

  // Everyone who joined, those taken out too: what is held about them is still there.
  render(model) {
    const chosen = this.person.value;
    const options = [...model.state.participants.values()].map((participant) => {
      const label = participant.removed ? WORDS.staffMenu.takenOut(participant.name) : participant.name;
      return el('option', { value: participant.id }, label);
    });
    const labels = options.map((option) => `${option.value}:${option.textContent}`).join('\n');
    if (labels === this.shownLabels) return; // keep the list (and its focus) as it is
    this.shownLabels = labels;
    this.person.replaceChildren(...options);
    if (options.some((option) => option.value === chosen)) this.person.value = chosen;
  }

  ask(slot, button, { question, yes, onYes }) {
    const close = () => slot.replaceChildren();
    const confirm = createConfirm({
      question,
      yes,
      no: WORDS.staffMenu.no,
      onNo: () => {
        close();
        button.focus();
      },
      onYes: async () => {
        close();
        await onYes();
      },
    });
    slot.replaceChildren(confirm.element);
    confirm.focus();
  }

  askExport() {
    const option = this.person.selectedOptions[0];
    if (!option) return;
    const participantId = option.value;
    const name = option.textContent;
    setText(this.exportDone, '');
    this.ask(this.exportConfirm, this.exportButton, {
      question: WORDS.staffMenu.reallyExport(name),
      yes: WORDS.staffMenu.yesExport,
      onYes: () => {
        // The server answers the file as an attachment: the board stays open here.
        const link = el('a', { href: `${this.api}/participants/${encodeURIComponent(participantId)}/export`, download: '' });
        document.body.append(link);
        link.click();
        link.remove();
        setText(this.exportDone, WORDS.staffMenu.exported(name));
        this.exportButton.focus();
      },
    });
  }

  askErase() {
    this.ask(this.eraseConfirm, this.eraseButton, {
      question: WORDS.staffMenu.reallyErase,
      yes: WORDS.staffMenu.yesErase,
      onYes: async () => {
        this.problem.say(null);
        try {
          await requestJson(this.api, { method: 'DELETE' });
        } catch (error) {
          const ownWords = error instanceof ApiError && error.code !== 'unknown' && error.message;
          this.problem.say(ownWords || WORDS.problem);
          this.eraseButton.focus();
          return;
        }
        // Nothing of the meeting is left to show: back to the list of meetings.
        window.location.assign('/');
      },
    });
  }
}
