// The inline editor for a card's words and "Who said it?", used both to add a card and
// to change one; in next steps and the plan (`timed`) also "Who will do it?" and "By
// when?". Enter saves, Shift+Enter starts a new line, Escape cancels.
import { WORDS } from '../words.js';
import { el, show } from './dom.js';
import { editorButtons } from './form-parts.js';
import { plainWordsHint } from './plain-words-hint.js';

// card: the card being changed (null: a new one); limits: the template's text limits;
// onSave(draft): {text, attributedTo}, and {owner, due} too when timed ('' for none; due is
// YYYY-MM-DD).
// attributionLabel, attributionStart: what "Who said it?" asks, and its words for a new card.
export function createCardEditor({
  hint,
  card = null,
  timed = false,
  attributionLabel: asked = WORDS.whoSaidIt,
  attributionStart = '',
  limits,
  onSave,
  onCancel,
}) {
  let text = card?.text ?? '';
  let attributedTo = card ? (card.attributed_to ?? '') : attributionStart;
  const textarea = el('textarea', {
    class: 'editor-text',
    rows: 3,
    maxlength: limits.text,
    'aria-label': hint,
    placeholder: hint,
    dataset: { field: 'card-text' },
  });
  textarea.value = text;
  const plainWords = plainWordsHint(textarea);
  const attribution = el('input', {
    class: 'editor-said-by',
    type: 'text',
    maxlength: limits.attribution,
    autocomplete: 'off',
    dataset: { field: 'attributed-to' },
  });
  attribution.value = attributedTo;
  const attributionLabel = el('label', { class: 'editor-label' }, asked, attribution);
  const timing = timed ? timingFields(card, limits.owner) : null;
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
    onSave({ text: words, attributedTo: attribution.value.trim(), ...timing?.values() });
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
  for (const input of [textarea, attribution, ...(timing?.inputs ?? [])]) input.addEventListener('keydown', onKeydown);

  const saveButton = el(
    'button',
    { type: 'button', class: 'button button-primary', dataset: { action: 'save' }, onclick: save },
    WORDS.save,
  );
  const element = el(
    'div',
    { class: 'editor' },
    textarea,
    plainWords.element,
    attributionLabel,
    timing?.element,
    note,
    problem,
    editorButtons(saveButton, onCancel),
  );

  return {
    element,
    focus: () => textarea.focus(),
    // True when the user has typed something that is not saved yet.
    isDirty: () => textarea.value !== text || attribution.value !== attributedTo || Boolean(timing?.isDirty()),
    // Puts words back into an empty editor (a card the server refused to add).
    fill(draft) {
      if (textarea.value.trim()) return;
      textarea.value = draft.text;
      attribution.value = draft.attributedTo ?? '';
      timing?.fill(draft);
      plainWords.check();
    },
    setSaveAllowed(allowed) {
      if (allowed === saveAllowed) return;
      saveAllowed = allowed;
      saveButton.disabled = !allowed;
      this.setNote(allowed ? null : WORDS.keptWhilePaused);
    },
    clear() {
      textarea.value = '';
      attribution.value = attributionStart;
      text = '';
      attributedTo = attributionStart;
      timing?.fill({});
      show(problem, false);
      plainWords.check();
    },
    // A calm note under the fields, e.g. that someone else changed the card meanwhile.
    setNote(message) {
      note.textContent = message ?? '';
      show(note, Boolean(message));
    },
  };
}

// "Who will do it?" and "By when?" (a date picker), side by side where there is room.
function timingFields(card, maxOwner) {
  const owner = el('input', {
    class: 'editor-owner',
    type: 'text',
    maxlength: maxOwner,
    autocomplete: 'off',
    dataset: { field: 'owner' },
  });
  const due = el('input', { class: 'editor-due', type: 'date', dataset: { field: 'due' } });
  const fill = (values) => {
    owner.value = values.owner ?? '';
    due.value = values.due ?? '';
  };
  fill(card ?? {});
  const start = { owner: owner.value, due: due.value };
  return {
    element: el(
      'div',
      { class: 'editor-timing' },
      el('label', { class: 'editor-label' }, WORDS.ownerCaption, owner),
      el('label', { class: 'editor-label' }, WORDS.dueCaption, due),
    ),
    inputs: [owner, due],
    values: () => ({ owner: owner.value.trim(), due: due.value }),
    isDirty: () => owner.value !== start.owner || due.value !== start.due,
    fill,
  };
}
