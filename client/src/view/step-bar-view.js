// The step bar: the meeting's agenda with the step it is at, on every screen. The
// facilitator moves it back and on, and opens the agenda editor to change the steps.
import { describeAgenda } from '../steering.js';
import { WORDS } from '../words.js';
import { AgendaEditor } from './agenda-editor.js';
import { el, placeChildren, setText, show } from './dom.js';

export class StepBarView {
  // `actions` (board page only): goToStep(index), and the agenda editor's (agenda-editor.js).
  constructor(root, { actions = null } = {}) {
    this.actions = actions;
    this.now = el('p', { class: 'step-now', dataset: { role: 'step-now' } });
    this.list = el('ol', { class: 'steps' });
    this.items = [];
    this.root = el('nav', { class: 'step-bar', 'aria-label': WORDS.steer.steps }, this.now, this.list);
    root.append(this.root);
    if (!actions) return;
    const button = (label, action, onclick) =>
      el('button', { type: 'button', class: 'button button-small', dataset: { action }, onclick }, label);
    this.back = button(WORDS.steer.back, 'step-back', () => this.go(-1));
    this.next = button(WORDS.steer.next, 'step-next', () => this.go(1));
    this.editToggle = el(
      'button',
      {
        type: 'button',
        class: 'button button-small',
        dataset: { action: 'change-steps' },
        'aria-expanded': 'false',
        onclick: () => this.toggleEditor(),
      },
      WORDS.steer.changeSteps,
    );
    this.controls = el('div', { class: 'step-controls' }, this.back, this.next, this.editToggle);
    this.editor = new AgendaEditor(actions);
    this.root.append(this.controls, this.editor.element);
  }

  // On or back from the step asked for last, if the server has not confirmed it yet.
  go(by) {
    const from = this.pendingStep ?? this.agenda.current;
    const to = Math.min(Math.max(from + by, 0), this.agenda.steps.length - 1);
    if (to !== from) this.actions.goToStep(to);
  }

  render(model) {
    const agenda = describeAgenda(model.state.agenda);
    this.agenda = agenda;
    this.pendingStep = model.pendingStep;
    show(this.root, Boolean(agenda));
    if (!agenda) return;
    setText(this.now, WORDS.steer.stepOf(agenda.current + 1, agenda.steps.length, agenda.title));
    while (this.items.length < agenda.steps.length) this.items.push(el('li', { class: 'step', dir: 'auto' }));
    this.items.length = agenda.steps.length;
    agenda.steps.forEach((title, index) => {
      const item = this.items[index];
      setText(item, title);
      item.classList.toggle('is-done', index < agenda.current);
      if (index === agenda.current) item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    });
    placeChildren(this.list, this.items);
    if (!this.actions) return;
    const steering = model.can.steer;
    show(this.controls, steering);
    this.back.disabled = agenda.isFirst;
    this.next.disabled = agenda.isLast;
    if (!steering && this.editor.open) this.toggleEditor();
    this.editor.render(agenda, model.template);
  }

  toggleEditor() {
    const open = this.editor.toggle();
    this.editToggle.setAttribute('aria-expanded', String(open));
    setText(this.editToggle, open ? WORDS.steer.doneChanging : WORDS.steer.changeSteps);
    if (open) this.editor.focusFirst();
  }
}
