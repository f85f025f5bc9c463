// Interpreters' translations as a screen shows them: under the original, in the language
// they are in, saying who translated them. The server sends a screen only the translations
// it may see (those into its person's language; an interpreter's own; all of them to the
// facilitators), so nothing here decides who may read one.
import { lang, t } from './i18n.js';

// The translations of one card (`kind` 'card', `target` its id) or reason ('reason',
// "<round id>/<voter>"), oldest first.
export function translationsOf(translations, kind, target) {
  return [...translations.values()]
    .filter((tr) => tr.target_kind === kind && tr.target === target)
    .sort((a, b) => (a.translated_at < b.translated_at ? -1 : a.translated_at > b.translated_at ? 1 : 0));
}

// The one an interpreter wrote themself, to change it.
export function ownTranslation(translations, kind, target, meId) {
  return translationsOf(translations, kind, target).find((tr) => tr.translator === meId) ?? null;
}

// What a screen says of one translation: its words, its language (a BCP 47 code, for
// `lang`), who translated it, and (null if not) that the original changed since.
export function describeTranslation(translation, nameOf) {
  const name = nameOf(translation.translator) ?? t('someone');
  return {
    text: translation.text,
    language: translation.language,
    by: t('translated by {name} (interpreter)', { name }),
    outdated: translation.outdated ? t('The words above have changed since this was translated.') : null,
  };
}

// A language's name in the page's own language ("Polish" on an English page), or its code
// where the browser cannot name it.
export function languageName(code, pageLanguage = lang()) {
  try {
    return new Intl.DisplayNames([pageLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
