// A gentle hint under a text box as someone types: the professional words in it, and
// plainer ones, each with "Use this", which puts them in the jargon's place. In a polite
// live region that speaks only when what it names changes. It never stops saving: it only
// suggests.
import { t } from '../i18n.js';
import { findJargon, loadPlainWords, usePlainWords } from '../plain-words.js';
import { el } from './dom.js';

const PAUSE_MS = 400; // hints wait for a pause in typing

// field: an <input> or <textarea>; mine(): whether its words are the person's own (a
// composed sentence is made of parts that have their hints already); returns {element
// (to put under it), check() (after the field's words were changed by the code)}
export function plainWordsHint(field, { mine = () => true } = {}) {
  // Always on the page (empty when there is nothing to say): a live region added or shown
  // together with its words is often not heard.
  const element = el('div', { class: 'plain-words', 'aria-live': 'polite', dataset: { role: 'plain-words' } });
  let named = '';
  let timer = null;

  const check = async () => {
    const list = await loadPlainWords();
    const matches = mine() ? findJargon(field.value, list) : [];
    const now = matches.map((match) => match.found.toLowerCase()).join('\n');
    if (now === named) return;
    named = now;
    element.replaceChildren(...matches.map((match) => hint(match, list)));
  };

  const hint = (match, list) =>
    el(
      'p',
      { class: 'plain-words-hint' },
      t('Some people may not know the words “{words}”. You could say:', { words: match.found }),
      ...match.plain.map((words) =>
        el(
          'span',
          { class: 'plain-words-choice' },
          el('span', { dir: 'auto' }, `“${words}”`),
          el(
            'button',
            {
              type: 'button',
              class: 'button button-small',
              'aria-label': t('Use this: {words}', { words }),
              dataset: { action: 'use-plain-words' },
              onclick: () => use(match, words, list),
            },
            t('Use this'),
          ),
        ),
      ),
    );

  // The words may have moved since the hint was shown: the jargon is found again.
  const use = (shown, words, list) => {
    const match = findJargon(field.value, list).find((m) => m.found.toLowerCase() === shown.found.toLowerCase());
    if (!match) return;
    const { text, caret } = usePlainWords(field.value, match, words);
    field.value = text;
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event('input', { bubbles: true })); // as if typed: e.g. a composer's sentence follows
    check();
  };

  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, PAUSE_MS);
  });
  if (field.value) check();
  return { element, check };
}
