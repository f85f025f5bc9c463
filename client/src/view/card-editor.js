// The inline editor for a card's words and "Who said it?", used both to add a card and
// to change one. Enter saves, Shift+Enter starts a new line, Escape cancels.
import { WORDS } from '../words.js';
import { el, show } from './dom.js';

const MAX_TEXT = 2000;
const MAX_ATTRIBUTION = 80;

export function createCardEditor({ hint, text = '', attributedTo = '', onSave, onCancel }) {
  const textarea = el('textarea', {
    class: 'editor-text',
    rows: 3,
    maxlength: MAX_TEXT,
    'aria-label': hint,
    placeholder: hint,
    dataset: { field: 'card-text' },
  });
  textarea.value = text;
  const attribution = el('input', {
    class: 'editor-said-by',
    type: 'text',
    maxlength: MAX_ATTRIBUTION,
    autocomplete: 'off',
    dataset: { field: 'attributed-to' },
  });
  attribution.value = attributedTo ?? '';
  const attributionLabel = el('label', { class: 'editor-label' }, WORDS.whoSaidIt, attribution);
  const problem = el('p', { class: 'editor-problem', role: 'alert', hidden: true });
  const note = el('p', { class: 'editor-note', hidden: true });

  let saveAllowed = true;
  const save = () => {
    if (!saveAllowed) return; // e.g. changes are paused: the words stay in the box
    const words = textarea.value.trim();
    if (!words) {
      problem.textContent = WORDS.needsWords;
      show(problem, true);
      textarea.focus();
      return;
    }
    show(problem, false);
    onSave({ text: words, attributedTo: attribution.value.trim() });
  };

  const onKeydown = (event) => {
    if (event.isComposing) return; // Enter that confirms an IME word is not "save"
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  };
  textarea.addEventListener('keydown', onKeydown);
  attribution.addEventListener('keydown', onKeydown);

  const saveButton = el(
    'button',
    { type: 'button', class: 'button button-primary', dataset: { action: 'save' }, onclick: save },
    WORDS.save,
  );
  const element = el(
    'div',
    { class: 'editor' },
    textarea,
    attributionLabel,
    note,
    problem,
    el(
      'div',
      { class: 'editor-buttons' },
      saveButton,
      el('button', { type: 'button', class: 'button', dataset: { action: 'cancel' }, onclick: onCancel }, WORDS.cancel),
    ),
  );

  return {
    element,
    focus: () => textarea.focus(),
    // True when the user has typed something that is not saved yet.
    isDirty: () => textarea.value !== text || attribution.value !== (attributedTo ?? ''),
    // Puts words back into an empty editor (a card the server refused to add).
    fill(draft) {
      if (textarea.value.trim()) return;
      textarea.value = draft.text;
      attribution.value = draft.attributedTo ?? '';
    },
    setSaveAllowed(allowed) {
      if (allowed === saveAllowed) return;
      saveAllowed = allowed;
      saveButton.disabled = !allowed;
      this.setNote(allowed ? null : WORDS.keptWhilePaused);
    },
    clear() {
      textarea.value = '';
      attribution.value = '';
      text = '';
      attributedTo = '';
      show(problem, false);
    },
    // A calm note under the fields, e.g. that someone else changed the card meanwhile.
    setNote(message) {
      note.textContent = message ?? '';
      show(note, Boolean(message));
    },
  };
}
