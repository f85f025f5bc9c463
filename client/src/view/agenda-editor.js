// The facilitator's agenda editor, under the step bar: rename a step (Enter or leaving
// the field saves it), move it up or down, remove it, add one at the end. Every control is
// a field or a button, so it all works from the keyboard.
import { WORDS } from '../words.js';
import { el, placeChildren, show } from './dom.js';

export class AgendaEditor {
  // actions: renameStep(index, title), moveStep(index, to), removeStep(index), addStep(title)
  constructor(actions) {
    this.actions = actions;
    this.open = false;
    this.rows = [];
    this.steps = [];
    this.focusAfter = null; // {index, action}: the control to focus once the change shows
    this.list = el('ol', { class: 'agenda-editor-steps' });
    this.newTitle = el('input', { type: 'text', 'aria-label': WORDS.steer.newStep, placeholder: WORDS.steer.newStep });
    this.newTitle.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.add();
    });
    const addButton = el('button', { type: 'button', class: 'button button-small', dataset: { action: 'add-step' }, onclick: () => this.add() }, WORDS.steer.addStep);
    this.element = el('div', { class: 'agenda-editor', hidden: true }, this.list, el('p', { class: 'agenda-add' }, this.newTitle, addButton));
  }

  toggle() {
    this.open = !this.open;
    show(this.element, this.open);
    return this.open;
  }

  focusFirst() {
    this.rows[0]?.input.focus();
  }

  render(agenda, template) {
    this.steps = agenda.steps;
    const maxLength = template.limits.step;
    this.newTitle.maxLength = maxLength;
    while (this.rows.length < agenda.steps.length) this.rows.push(this.row(this.rows.length));
    this.rows.length = agenda.steps.length;
    agenda.steps.forEach((title, index) => {
      const row = this.rows[index];
      row.input.maxLength = maxLength;
      // Never under someone's typing.
      if (document.activeElement !== row.input) row.input.value = title;
      row.up.disabled = index === 0;
      row.down.disabled = index === agenda.steps.length - 1;
      row.remove.disabled = agenda.steps.length === 1;
    });
    placeChildren(this.list, this.rows.map((row) => row.element));
    if (this.focusAfter) {
      const { index, action } = this.focusAfter;
      this.focusAfter = null;
      const target = this.rows[index]?.[action];
      (target && !target.disabled ? target : this.rows[index]?.input ?? this.newTitle).focus();
    }
  }

  row(index) {
    const number = index + 1;
    const input = el('input', { type: 'text', 'aria-label': WORDS.steer.stepName(number), dataset: { step: String(index) } });
    const rename = () => {
      const title = input.value.trim();
      if (title && title !== this.steps[index]) this.actions.renameStep(index, title);
    };
    input.addEventListener('change', rename);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') rename();
    });
    // Short words on the button, the whole of what it does for a screen reader.
    const button = (text, label, action, onclick) =>
      el('button', { type: 'button', class: 'button button-small', dataset: { action }, 'aria-label': label, onclick }, text);
    const up = button(WORDS.moveUp, WORDS.steer.stepUp(number), 'step-up', () => this.move(index, index - 1, 'up'));
    const down = button(WORDS.moveDown, WORDS.steer.stepDown(number), 'step-down', () => this.move(index, index + 1, 'down'));
    const remove = button(WORDS.remove, WORDS.steer.removeStep(number), 'remove-step', () => {
      this.focusAfter = { index: Math.min(index, this.steps.length - 2), action: 'input' };
      this.actions.removeStep(index);
    });
    return { element: el('li', { class: 'agenda-editor-step' }, input, up, down, remove), input, up, down, remove };
  }

  move(index, to, action) {
    this.focusAfter = { index: to, action };
    this.actions.moveStep(index, to);
  }

  add() {
    const title = this.newTitle.value.trim();
    if (!title) return;
    this.actions.addStep(title);
    this.newTitle.value = '';
  }
}
