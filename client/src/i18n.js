// The client's words in the person's language. The page carries its catalogue, built
// from the same gettext catalogues as the server's (server/locale/), as
//   <script type="application/json" id="kinboard-words">
//     {"lang": "pl", "dir": "ltr", "plural": "<gettext plural expression>",
//      "messages": {"Save": "Zapisz", "{count} card": ["…", "…", "…"], "ctx\u0004Move": "…"}}
//   </script>
// Every msgid is English with `{name}` placeholders; a message not in the catalogue
// (or a page without one, as in the unit tests) shows its English.
//   t('said by {name}', { name })                     one message
//   tn('{count} card', '{count} cards', count, {...})  a plural ({count} is filled in)
//   tc('verb', 'Move')                                 the same English, told apart by context
import { textDirection } from './direction.js';
import { pluralRule } from './plural-rule.js';

const CONTEXT_SEPARATOR = '\u0004';

const readCatalogue = () => {
  const element = typeof document === 'undefined' ? null : document.getElementById('kinboard-words');
  if (!element) return { lang: 'en', dir: 'ltr', plural: null, messages: {} };
  return JSON.parse(element.textContent);
};

const catalogue = readCatalogue();
// Which plural form a count takes, compiled once (see plural-rule.js).
catalogue.pluralIndex = catalogue.plural ? pluralRule(catalogue.plural) : null;

const englishPlural = (count) => (count === 1 ? 0 : 1);

export const lang = () => catalogue.lang;
export const dir = () => catalogue.dir;
// The language for Intl: British English for English (days as "27 November 2026").
export const locale = () => (catalogue.lang === 'en' ? 'en-GB' : catalogue.lang);

// Numbers filled in are written the language's way (no grouping: "1000", as English
// has always shown them here).
const NUMBER = new Intl.NumberFormat(locale(), { useGrouping: false });
export const numberWords = (value) => NUMBER.format(value);

// Words filled into a sentence (a name, a card's words) are isolated from it, as <bdi>
// does (Unicode FSI … PDI), so that a name written the other way keeps its own order and
// leaves the sentence's alone: on a right-to-left page always, elsewhere when they are
// right to left themselves.
const isolated = (value) =>
  typeof value === 'string' && (catalogue.dir === 'rtl' || textDirection(value) === 'rtl') ? `\u2068${value}\u2069` : String(value);
const written = (value) => (typeof value === 'number' ? numberWords(value) : isolated(value));

const fill = (text, params) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? written(params[name]) : whole)) : text;

// Names in a sentence: "Sam and Gran", "Sam, Gran and Mo" (the language's "and").
const AND = new Intl.ListFormat(locale(), { type: 'conjunction' });
export const andList = (items) => AND.format(items);
// Names or numbers in a list after a colon: "Sam, Gran, Mo".
const COMMAS = new Intl.ListFormat(locale(), { type: 'unit', style: 'short' });
export const commaList = (items) => COMMAS.format(items);

export const t = (msgid, params) => {
  const found = catalogue.messages[msgid];
  return fill(typeof found === 'string' && found ? found : msgid, params);
};

export const tc = (context, msgid, params) => {
  const found = catalogue.messages[context + CONTEXT_SEPARATOR + msgid];
  return fill(typeof found === 'string' && found ? found : msgid, params);
};

export const tn = (singular, plural, count, params) => {
  const forms = catalogue.messages[singular];
  const all = { count, ...params };
  if (Array.isArray(forms) && catalogue.pluralIndex) {
    const form = forms[catalogue.pluralIndex(count)];
    if (form) return fill(form, all);
  }
  return fill(englishPlural(count) === 0 ? singular : plural, all);
};
