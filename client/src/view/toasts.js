// Short messages at the bottom of the screen: a refused change in the server's own words,
// or "Card removed." with an Undo button for a few seconds.
import { WORDS } from '../words.js';
import { el } from './dom.js';

const MESSAGE_MS = 8_000;
export const UNDO_MS = 6_000;

export class Toasts {
  constructor(container) {
    this.container = container;
  }

  show(message, { kind = 'info', actionLabel = null, onAction = null, durationMs = MESSAGE_MS } = {}) {
    const toast = el('div', { class: `toast toast-${kind}`, role: kind === 'problem' ? 'alert' : 'status' });
    const close = () => {
      clearTimeout(timer);
      toast.remove();
    };
    toast.append(el('span', { class: 'toast-text' }, message));
    if (actionLabel) {
      toast.append(
        el(
          'button',
          {
            type: 'button',
            class: 'button button-small',
            dataset: { action: 'undo' },
            onclick: () => {
              close();
              onAction();
            },
          },
          actionLabel,
        ),
      );
    }
    const timer = setTimeout(close, durationMs);
    this.container.append(toast);
    return close;
  }

  problem(message) {
    return this.show(message, { kind: 'problem' });
  }

  undo(message, onUndo) {
    return this.show(message, { actionLabel: WORDS.undo, onAction: onUndo, durationMs: UNDO_MS });
  }
}
