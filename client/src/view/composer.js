// The guided forms that write a worry statement or a safety goal together: one box per
// part, and below them the sentence the server's pattern makes of the parts, which the
// group may change before saving. Once the sentence is changed by hand, changing a part
// no longer rewrites it ("Make the sentence again" does). Used to add a card and to
// change one part by part.
import { fillPattern } from '../sets.js';
import { WORDS } from '../words.js';
import { el, show } from './dom.js';
import { editorButtons } from './form-parts.js';
import { plainWordsHint } from './plain-words-hint.js';

// kind: 'statement' or 'goal'; pattern: template.composers[kind].pattern; card: the card
// being changed (null: a new one); harmCards: the harm cards a statement may name
// (statement only); statement: the statement card a goal answers (goal only);
// onSave({parts, text, harms, due}).
export function createComposer({ kind, pattern, card = null, harmCards = [], statement = null, limits, onSave, onCancel }) {
  const words = WORDS.composer[kind];
  const saved = card?.[kind === 'statement' ? 'worry' : 'goal'] ?? {};
  const inputs = new Map();
  const partFields = Object.entries(words.parts).map(([name, { label, hint }]) => {
    const input = el('input', {
      type: 'text',
      class: 'composer-part',
      maxlength: limits.part,
      autocomplete: 'off',
      placeholder: hint,
      dataset: { part: name },
    });
    input.value = saved[name] ?? '';
    inputs.set(name, input);
    return [el('label', { class: 'editor-label' }, label, input), plainWordsHint(input).element];
  });

  const picked = new Set(saved.harms ?? []);
  const harmBoxes = harmCards.map((harm) => {
    const box = el('input', { type: 'checkbox', dataset: { harm: harm.id } });
    box.checked = picked.has(harm.id);
    box.addEventListener('change', () => {
      // Picking a harm card starts "what happened" with its words, to change as wanted.
      const happened = inputs.get('happened');
      if (box.checked && !happened.value.trim()) {
        happened.value = harm.text;
        refresh();
      }
    });
    return el('label', { class: 'composer-harm' }, box, ' ', harm.text);
  });
  const harmPicker = harmBoxes.length
    ? el('fieldset', { class: 'composer-harms' }, el('legend', {}, words.pickHarms), ...harmBoxes)
    : null;

  const due = kind === 'goal' ? el('input', { type: 'date', class: 'editor-due', dataset: { field: 'due' } }) : null;
  if (due) due.value = card?.due ?? '';

  const sentence = el('textarea', { class: 'editor-text composer-sentence', rows: 3, maxlength: limits.text, dataset: { field: 'sentence' } });
  const parts = () => Object.fromEntries([...inputs].map(([name, input]) => [name, input.value.trim()]));
  const composed = () => fillPattern(pattern, parts());
  let ownSentence = Boolean(card) && card.text !== fillPattern(pattern, saved);
  sentence.value = card?.text ?? '';
  const sentenceHint = plainWordsHint(sentence, { mine: () => ownSentence });
  const refresh = () => {
    if (!ownSentence) sentence.value = Object.values(parts()).every(Boolean) ? composed() : '';
    sentenceHint.check();
  };
  sentence.addEventListener('input', () => {
    ownSentence = sentence.value.trim() !== composed();
  });
  for (const input of inputs.values()) input.addEventListener('input', refresh);
  refresh();

  const problem = el('p', { class: 'editor-problem', role: 'alert', hidden: true });
  const note = el('p', { class: 'editor-note', hidden: true });
  const saveButton = el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'save' } }, WORDS.save);
  const start = JSON.stringify([parts(), sentence.value, due?.value]);
  const save = () => {
    if (saveButton.disabled) return; // e.g. changes are paused: the words stay in the form
    const missing = [...inputs].find(([, input]) => !input.value.trim());
    if (missing) {
      problem.textContent = words.needs(words.parts[missing[0]].label);
      show(problem, true);
      missing[1].focus();
      return;
    }
    show(problem, false);
    const harms = harmBoxes.length ? harmBoxes.map((label) => label.querySelector('input')).filter((box) => box.checked).map((box) => box.dataset.harm) : undefined;
    onSave({ parts: parts(), text: sentence.value.trim() || composed(), harms, due: due?.value ?? undefined });
  };

  const element = el(
    'form',
    { class: 'editor composer', dataset: { composer: kind }, 'aria-label': words.title, onsubmit: (event) => { event.preventDefault(); save(); } },
    el('h4', { class: 'composer-title' }, words.title),
    statement ? el('p', { class: 'composer-statement' }, words.answers(statement.text)) : null,
    ...(kind === 'statement' ? [partFields[0], harmPicker, ...partFields.slice(1)] : partFields).flat(),
    due ? el('label', { class: 'editor-label' }, WORDS.composer.byWhen, due) : null,
    el('label', { class: 'editor-label' }, WORDS.composer.sentence, sentence),
    sentenceHint.element,
    el('button', { type: 'button', class: 'button button-small', dataset: { action: 'compose-again' }, onclick: () => { ownSentence = false; refresh(); } }, WORDS.composer.again),
    note,
    problem,
    editorButtons(saveButton, onCancel),
  );
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  });
  // The same as the card editor's (card-editor.js), so a card view holds either.
  return {
    element,
    focus: () => inputs.values().next().value.focus(),
    isDirty: () => JSON.stringify([parts(), sentence.value, due?.value]) !== start,
    setSaveAllowed(allowed) {
      saveButton.disabled = !allowed;
      this.setNote(allowed ? null : WORDS.keptWhilePaused);
    },
    setNote(message) {
      note.textContent = message ?? '';
      show(note, Boolean(message));
    },
  };
}
