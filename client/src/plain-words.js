// Plain words for professional jargon: the list for the person's language (the server's
// data, server/plain_words/<lang>.json, at /static/plain-words/), where a text uses one
// of its phrases, and the text with plainer words put in. A phrase is matched as whole
// words in any case, a hyphen or spaces between its words alike, and with the list's
// endings on its last word ("placements"); one written in capitals only (an acronym:
// "LAC") matches only in capitals, so that everyday words ("lac", "ace") are left alone.
import { lang } from './i18n.js';

const LETTER_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}])';
const LETTER_AFTER = '(?![\\p{L}\\p{M}\\p{N}])';
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A typed apostrophe may be straight or curly.
const wordPattern = (word) => escape(word).replace(/['’]/g, "['’]");
const isAcronym = (phrase) => /\p{Lu}.*\p{Lu}/u.test(phrase) && !/\p{Ll}/u.test(phrase);

function phrasePattern(phrase, endings) {
  const words = phrase.trim().split(/[\s\-‐–]+/u).map(wordPattern);
  const ending = endings.length ? `(?:${endings.map(escape).join('|')})?` : '';
  const source = `${LETTER_BEFORE}${words.join('[\\s\\-‐–]+')}${ending}${LETTER_AFTER}`;
  return new RegExp(source, isAcronym(phrase) ? 'gu' : 'giu');
}

// data: one language's file; the list as findJargon uses it
export function compilePlainWords(data) {
  const endings = data.endings ?? [];
  return data.entries.map((entry) => ({
    jargon: entry.jargon,
    plain: entry.plain,
    patterns: [entry.jargon, ...(entry.forms ?? [])].map((phrase) => phrasePattern(phrase, endings)),
  }));
}

// The jargon in `text`, in order, none overlapping (the longer of two that start
// together): [{start, end, found (as written), jargon, plain}]
export function findJargon(text, list) {
  const all = [];
  for (const entry of list) {
    for (const pattern of entry.patterns) {
      for (const match of text.matchAll(pattern)) {
        all.push({ start: match.index, end: match.index + match[0].length, found: match[0], jargon: entry.jargon, plain: entry.plain });
      }
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  for (const match of all) if (!kept.length || match.start >= kept.at(-1).end) kept.push(match);
  return kept;
}

// `text` with `words` in place of the jargon `match`, starting with a capital where the
// jargon did (not for an acronym); caret: just after them.
export function usePlainWords(text, match, words) {
  const capital = /^\p{Lu}/u.test(match.found) && !isAcronym(match.found);
  const replacement = capital ? words.charAt(0).toLocaleUpperCase() + words.slice(1) : words;
  return { text: text.slice(0, match.start) + replacement + text.slice(match.end), caret: match.start + replacement.length };
}

let loading = null;

// The list for the person's language, fetched once; an empty one where there is none
// (or it cannot be had now: hints are only ever a help).
export function loadPlainWords() {
  const language = lang().toLowerCase().split('-')[0];
  loading ??= fetch(`/static/plain-words/${encodeURIComponent(language)}.json`)
    .then((answer) => (answer.ok ? answer.json() : { entries: [] }))
    .then(compilePlainWords)
    .catch(() => []);
  return loading;
}
