// Adding a scale, or changing its words: the question and what 0 and 10 mean.
import { WORDS } from '../words.js';
import { el } from './dom.js';
import { field, problemLine, smallForm } from './form-parts.js';

// words: {question, lowLabel, highLabel} to start from; limits: the template's text limits;
// onSave(words) gets them trimmed.
export function createScaleForm({ words, limits, onSave, onCancel }) {
  const text = WORDS.scaling;
  const question = el('textarea', { rows: 2, maxlength: limits.question, dataset: { field: 'scale-question' } });
  const low = el('input', { type: 'text', maxlength: limits.anchor, autocomplete: 'off', dataset: { field: 'scale-low' } });
  const high = el('input', { type: 'text', maxlength: limits.anchor, autocomplete: 'off', dataset: { field: 'scale-high' } });
  question.value = words?.question ?? '';
  low.value = words?.lowLabel ?? '';
  high.value = words?.highLabel ?? '';
  const problem = problemLine();

  const element = smallForm(
    {
      className: 'scale-form',
      saveLabel: text.saveScale,
      saveAction: 'save-scale',
      onCancel,
      onSubmit() {
        const draft = { question: question.value.trim(), lowLabel: low.value.trim(), highLabel: high.value.trim() };
        if (!draft.question || !draft.lowLabel || !draft.highLabel) {
          problem.say(text.needsAllWords);
          return;
        }
        problem.say(null);
        onSave(draft);
      },
    },
    field(text.questionCaption, question),
    field(text.lowCaption, low),
    field(text.highCaption, high),
    problem.element,
  );
  return { element, focus: () => question.focus() };
}
