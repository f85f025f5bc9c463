"""A stand-in for the browser's speechSynthesis in the browser tests: headless Chromium may
have no voices, or voices that differ by machine, so a page is given exactly the voices a
test names, and what it would say is recorded, never heard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# The browser's speechSynthesis as the page uses it: voices (a French one only, at first),
# `voiceschanged`, speak and cancel; nothing is ever heard, only recorded.
FAKE_SPEECH = """
(() => {
  const voices = [{ name: 'Amelie', lang: 'fr-FR', default: true }];
  const heard = new EventTarget();
  let queue = [];
  window.__spoken = [];
  window.__cancels = 0;
  window.__addVoice = (voice) => {
    voices.push(voice);
    heard.dispatchEvent(new Event('voiceschanged'));
  };
  window.__finish = () => {
    const done = queue;
    queue = [];
    for (const utterance of done) utterance.dispatchEvent(new Event('end'));
  };
  class Utterance extends EventTarget {
    constructor(text) {
      super();
      Object.assign(this, { text, lang: '', voice: null, rate: 1 });
    }
  }
  const synthesis = {
    getVoices: () => voices.slice(),
    addEventListener: (type, listener) => heard.addEventListener(type, listener),
    speak(utterance) {
      const { text, lang, voice } = utterance;
      window.__spoken.push({ text, lang, voice: voice?.name });
      queue.push(utterance);
    },
    cancel() {
      window.__cancels += 1;
      const stopped = queue;
      queue = [];
      for (const utterance of stopped) utterance.dispatchEvent(new Event('error'));
    },
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synthesis, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
})();
"""


def spoken(page: Page) -> list[dict[str, Any]]:
    said: list[dict[str, Any]] = page.evaluate("window.__spoken.splice(0)")
    return said
