// A read-only link with a Copy button; where the clipboard is not allowed, the link is
// selected so that it can be copied by hand.
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';

const COPIED_MS = 2_000;

export function linkField(field, labelText) {
  const input = el('input', { type: 'text', readonly: true, class: 'link-input', dataset: { field } });
  const caption = el('span', { class: 'field-caption' }, labelText);
  const hint = el('p', { class: 'field-hint', hidden: true }, WORDS.copyByHand);
  const button = el('button', { type: 'button', class: 'button', dataset: { action: 'copy' } }, WORDS.copy);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      setText(button, WORDS.copied);
      setTimeout(() => setText(button, WORDS.copy), COPIED_MS);
    } catch {
      input.focus();
      input.select();
      show(hint, true);
    }
  });
  const element = el('div', { class: 'share-link' }, el('label', { class: 'field-label' }, caption, input), button, hint);
  return {
    element,
    copyButton: button,
    set: (url) => {
      input.value = url ?? '';
    },
    setLabel: (text) => setText(caption, text),
  };
}
