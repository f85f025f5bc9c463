// Reading words aloud (speechSynthesis) and hearing them (speech recognition), where the
// browser offers them; pages hide the controls where it does not.
export const canSpeak = () => typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function';

export function say(text) {
  if (!canSpeak() || !text) return;
  window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

const Recognition = () => (typeof window === 'undefined' ? null : window.SpeechRecognition ?? window.webkitSpeechRecognition ?? null);
export const canListen = () => Recognition() !== null;

// Listens once; `heard(words)` gets what was said. Returns a function that stops it.
export function listen(heard, done) {
  const Kind = Recognition();
  if (!Kind) return () => {};
  const recognition = new Kind();
  recognition.lang = document.documentElement.lang || 'en-GB';
  recognition.interimResults = false;
  recognition.onresult = (event) => heard([...event.results].map((r) => r[0].transcript).join(' '));
  recognition.onend = () => done?.();
  recognition.onerror = () => done?.();
  recognition.start();
  return () => recognition.stop();
}
