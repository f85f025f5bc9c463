// Reading words aloud (speechSynthesis) and hearing them (speech recognition), where the
// browser offers them; pages hide the controls where it does not. Words are read in the
// person's language, by a voice of that language: without one, nothing is offered.
import { lang, locale } from './i18n.js';

export const canSpeak = () => typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function';

// The page's language (`<html lang>`), else the language of its words.
export const pageLanguage = () => (typeof document !== 'undefined' && document.documentElement.lang) || lang();

const primary = (tag) => String(tag ?? '').toLowerCase().replace('_', '-').split('-')[0];

// The voice to read `language` with: one of exactly that tag (en-GB for en-GB), else the
// browser's default among those of the same language (cy-GB for cy), else the first of
// them; null when the browser has none (Android writes en_GB: the same language).
export function chooseVoice(voices, language) {
  const wanted = String(language ?? '').toLowerCase().replace('_', '-');
  const same = voices.filter((voice) => primary(voice.lang) === primary(wanted));
  return (
    same.find((voice) => voice.lang.toLowerCase().replace('_', '-') === wanted) ??
    same.find((voice) => voice.default) ??
    same[0] ??
    null
  );
}

export const voiceFor = (language = pageLanguage()) =>
  canSpeak() ? chooseVoice(window.speechSynthesis.getVoices(), language) : null;

// Voices arrive a little after the page loads (and may change): `listener` is called
// each time they do.
export function onVoicesChanged(listener) {
  if (canSpeak()) window.speechSynthesis.addEventListener('voiceschanged', listener);
}

let reading = null; // what is being read now: {done}

// Reads `sentences` one after another in the page's language, after stopping whatever
// was being read; `done()` once the last is read or it is stopped. False when there is
// no voice to read them with.
export function readAloud(sentences, { done = () => {} } = {}) {
  stopReading();
  const voice = voiceFor();
  const spoken = sentences.filter(Boolean);
  if (!voice || !spoken.length) return false;
  const current = { done };
  reading = current;
  spoken.forEach((text, index) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    if (index === spoken.length - 1) utterance.addEventListener('end', () => finish(current));
    utterance.addEventListener('error', () => finish(current));
    window.speechSynthesis.speak(utterance);
  });
  return true;
}

function finish(current) {
  if (reading !== current) return; // stopped already, or replaced by a newer reading
  reading = null;
  current.done();
}

export function stopReading() {
  if (!canSpeak()) return;
  const current = reading;
  window.speechSynthesis.cancel();
  if (current) finish(current);
}

// One label (the child's houses page reads what is touched), in a voice of the page's
// language; nothing where there is none. No words: stop.
export function say(text) {
  if (text) readAloud([text]);
  else stopReading();
}

const Recognition = () => (typeof window === 'undefined' ? null : window.SpeechRecognition ?? window.webkitSpeechRecognition ?? null);
export const canListen = () => Recognition() !== null;

// Listens once; `heard(words)` gets what was said. Returns a function that stops it.
export function listen(heard, done) {
  const Kind = Recognition();
  if (!Kind) return () => {};
  const recognition = new Kind();
  recognition.lang = locale(); // what is heard is in the page's language
  recognition.interimResults = false;
  recognition.onresult = (event) => heard([...event.results].map((r) => r[0].transcript).join(' '));
  recognition.onend = () => done?.();
  recognition.onerror = () => done?.();
  recognition.start();
  return () => recognition.stop();
}
