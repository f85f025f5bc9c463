// What was decided, for everyone to see; for the facilitator also the form to write it
// down: one of the four outcomes (in the template's words), the day of the next review
// and a note.
import { dayWords } from '../dates.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';
import { field, problemLine } from './form-parts.js';

export class DecisionView {
  // onSave({outcome, nextReview, note}): the board page only
  constructor({ onSave = null } = {}) {
    this.onSave = onSave;
    this.form = null;
    this.filledFrom = null; // the decision the form last showed, as JSON
    this.outcome = el('p', { class: 'decision-outcome' });
    this.review = el('p', { class: 'decision-review' });
    this.note = el('p', { class: 'decision-note', dir: 'auto' });
    this.current = el(
      'div',
      { class: 'decision-current', dataset: { role: 'current-decision' } },
      this.outcome,
      this.review,
      this.note,
    );
    this.element = el(
      'section',
      { class: 'decision', 'aria-labelledby': 'decision-heading' },
      el('h3', { class: 'end-heading', id: 'decision-heading' }, WORDS.decision.heading),
      this.current,
    );
  }

  // decision: the board's (or my own, on its way); can: see abilities.js
  render({ decision, pending, template, can }) {
    const words = WORDS.decision;
    const outcome = decision ? template.outcomes[decision.outcome] : words.none;
    setText(this.outcome, pending ? `${outcome} (${WORDS.saving})` : outcome);
    this.current.classList.toggle('is-none', !decision);
    setText(this.review, decision?.next_review ? words.nextReview(dayWords(decision.next_review)) : '');
    show(this.review, Boolean(decision?.next_review));
    setText(this.note, decision?.note ?? '');
    show(this.note, Boolean(decision?.note));

    if (!this.onSave) return;
    if (!this.form && can.finishMeeting) this.buildForm(template);
    if (!this.form) return;
    show(this.form.element, can.finishMeeting);
    this.form.fieldset.disabled = !can.decide;
    show(this.form.paused, !can.decide);
    // Someone else's change fills the form, but never under the facilitator's hands.
    const shown = JSON.stringify(decision);
    if (shown !== this.filledFrom && !this.form.element.contains(document.activeElement)) {
      this.filledFrom = shown;
      this.form.fill(decision);
    }
  }

  buildForm({ outcomes, limits }) {
    const words = WORDS.decision;
    const choices = Object.entries(outcomes).map(([value, label]) =>
      el('label', { class: 'choice' }, el('input', { type: 'radio', name: 'outcome', value }), el('span', {}, label)),
    );
    const nextReview = el('input', { type: 'date', name: 'next_review' });
    const note = el('textarea', { name: 'note', rows: 3, maxlength: limits.note });
    const problem = problemLine();
    const paused = el('p', { class: 'field-hint' }, words.paused);
    const fieldset = el(
      'fieldset',
      { class: 'decision-fields' },
      el('fieldset', { class: 'outcome-choice' }, el('legend', {}, words.outcome), ...choices),
      field(words.nextReviewCaption, nextReview),
      field(words.noteCaption, note),
      problem.element,
      el('div', { class: 'form-buttons' }, el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'save-decision' } }, words.save)),
    );
    const element = el(
      'form',
      { class: 'decision-form', novalidate: true, dataset: { role: 'decision' } },
      el('h4', { class: 'form-heading' }, words.formHeading),
      paused,
      fieldset,
    );
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = element.querySelector('input[name=outcome]:checked');
      if (!chosen) {
        problem.say(words.chooseOutcome);
        return;
      }
      problem.say(null);
      this.onSave({ outcome: chosen.value, nextReview: nextReview.value, note: note.value.trim() });
    });
    const fill = (decision) => {
      for (const label of choices) {
        const input = label.querySelector('input');
        input.checked = input.value === decision?.outcome;
      }
      nextReview.value = decision?.next_review ?? '';
      note.value = decision?.note ?? '';
    };
    this.form = { element, fieldset, paused, fill };
    this.element.append(element);
  }
}
