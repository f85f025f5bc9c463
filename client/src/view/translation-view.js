// Interpreters' translations on the board: shown under the original (a card's words, or a
// reason given with a number), and the interpreter's own form to write or change theirs.
import { t } from '../i18n.js';
import { describeTranslation, languageName } from '../translations.js';
import { el, setText, show } from './dom.js';

// The translations of one thing, in `container`: each in its language (`lang`, and
// `dir="auto"` so that Arabic and Urdu run right to left), with who translated it.
export function renderTranslations(container, translations, nameOf) {
  const key = JSON.stringify(translations.map((tr) => [tr.id, tr.text, tr.outdated, nameOf(tr.translator)]));
  if (container.dataset.shown === key) return; // unchanged: leave it be for screen readers
  container.dataset.shown = key;
  container.replaceChildren(
    ...translations.map((translation) => {
      const { text, language, by, outdated } = describeTranslation(translation, nameOf);
      return el(
        'div',
        { class: `translation${outdated ? ' is-outdated' : ''}`, dataset: { role: 'translation', language } },
        el('p', { class: 'translation-text', lang: language, dir: 'auto' }, text),
        el('p', { class: 'translation-by' }, by),
        outdated ? el('p', { class: 'translation-outdated', dataset: { role: 'translation-outdated' } }, outdated) : null,
      );
    }),
  );
  show(container, translations.length > 0);
}

// The interpreter's form: their words in their language, saved as a translation (the
// original stays as it is). `onSave(text)`, `onCancel()`.
export function createTranslateForm({ language, current, limit, onSave, onCancel }) {
  const id = `translate-${Math.random().toString(36).slice(2, 10)}`;
  const box = el('textarea', { id, class: 'translate-text', lang: language, dir: 'auto', rows: '3', maxlength: String(limit) });
  box.value = current ?? '';
  const note = el('p', { class: 'form-note', role: 'status', hidden: true });
  const save = el('button', { type: 'submit', class: 'button primary', dataset: { action: 'save-translation' } }, t('Save translation'));
  const cancel = el('button', { type: 'button', class: 'button', dataset: { action: 'cancel-translation' } }, t('Cancel'));
  const form = el(
    'form',
    { class: 'translate-form', dataset: { role: 'translate-form' } },
    el('label', { for: id }, t('Your translation into {language}', { language: languageName(language) })),
    box,
    note,
    el('div', { class: 'form-actions' }, save, cancel),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) {
      setText(note, t('A translation needs some words.'));
      show(note, true);
      box.focus();
      return;
    }
    onSave(text);
  });
  cancel.addEventListener('click', () => onCancel());
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') onCancel();
  });
  return { element: form, focus: () => box.focus() };
}
