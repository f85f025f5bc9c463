// Pieces the small forms share: a labelled field, a line for a problem, and the
// Save / Cancel buttons. Escape anywhere in the form cancels it.
import { WORDS } from '../words.js';
import { el, show } from './dom.js';

export function field(caption, input) {
  return el('label', { class: 'field-label' }, el('span', { class: 'field-caption' }, caption), input);
}

export function problemLine() {
  const line = el('p', { class: 'field-problem', role: 'alert', hidden: true });
  return {
    element: line,
    say(message) {
      line.textContent = message ?? '';
      show(line, Boolean(message));
    },
  };
}

export const cancelButton = (onCancel) =>
  el('button', { type: 'button', class: 'button', dataset: { action: 'cancel' }, onclick: onCancel }, WORDS.cancel);

// A card editor's (and the composer's) Save and Cancel.
export const editorButtons = (saveButton, onCancel) => el('div', { class: 'editor-buttons' }, saveButton, cancelButton(onCancel));

// onSubmit(event) runs on Save (or Enter in a one-line field).
export function smallForm({ className, saveLabel, saveAction, onSubmit, onCancel }, ...fields) {
  const form = el(
    'form',
    { class: `small-form ${className}`, novalidate: true },
    ...fields,
    el(
      'div',
      { class: 'form-buttons' },
      el('button', { type: 'submit', class: 'button button-primary', dataset: { action: saveAction } }, saveLabel),
      cancelButton(onCancel),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  });
  return form;
}
