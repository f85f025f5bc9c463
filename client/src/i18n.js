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
const CONTEXT_SEPARATOR = '\u0004';

const readCatalogue = () => {
  const element = typeof document === 'undefined' ? null : document.getElementById('kinboard-words');
  if (!element) return { lang: 'en', dir: 'ltr', plural: null, messages: {} };
  return JSON.parse(element.textContent);
};

const catalogue = readCatalogue();

const englishPlural = (count) => (count === 1 ? 0 : 1);

const fill = (text, params) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole)) : text;

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
