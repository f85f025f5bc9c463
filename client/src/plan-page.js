// "Our plan" as the server renders it (/m/{id}/plan): its "Read our plan aloud" control
// reads the page's sections and each step with who and when, in a voice of the page's
// language, as the board's plan view does. Shown only while the browser has such a voice
// (voices arrive after the page loads, and may change); a second press stops it.
import { onVoicesChanged, readAloud, stopReading, voiceFor } from './speech.js';

const READ = 'h2, .plan-text, .plan-who, .plan-empty, .plan-section > p';

export function startPlanPage(root) {
  const button = root.querySelector('[data-action="read-plan"]');
  if (!button) return;
  const offer = () => {
    button.hidden = voiceFor() === null;
  };
  offer();
  onVoicesChanged(offer);
  const pressed = (on) => button.setAttribute('aria-pressed', String(on));
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-pressed') === 'true') return stopReading();
    const sentences = [...root.querySelectorAll(READ)].map((part) => part.textContent.trim());
    if (readAloud(sentences, { done: () => pressed(false) })) pressed(true);
  });
}

const root = typeof document === 'undefined' ? null : document.querySelector('[data-role="our-plan"]');
if (root) startPlanPage(root);
