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

const CONTEXT_SEPARATOR = '\u0004';

const readCatalogue = () => {
  const element = typeof document === 'undefined' ? null : document.getElementById('kinboard-words');
  if (!element) return { lang: 'en', dir: 'ltr', plural: null, messages: {} };
  return JSON.parse(element.textContent);
};

const catalogue = readCatalogue();

const englishPlural = (count) => (count === 1 ? 0 : 1);

// Words filled into a sentence (a name, a card's words) are isolated from it, as <bdi>
// does (Unicode FSI … PDI), so that a name written the other way keeps its own order and
// leaves the sentence's alone: on a right-to-left page always, elsewhere when they are
// right to left themselves.
const isolated = (value) =>
  typeof value === 'string' && (catalogue.dir === 'rtl' || textDirection(value) === 'rtl') ? `\u2068${value}\u2069` : String(value);

const fill = (text, params) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? isolated(params[name]) : whole)) : text;

export const lang = () => catalogue.lang;
export const dir = () => catalogue.dir;

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
