// "Are you sure?" in the page, never a browser dialog: the question, a Yes button
// (data-action=confirm) and a No button (data-action=cancel). No gets the focus, so a
// stray Enter keeps things as they were; Escape is No too.
import { el } from './dom.js';

export function createConfirm({ question, yes, no, onYes, onNo }) {
  const noButton = el('button', { type: 'button', class: 'button', dataset: { action: 'cancel' }, onclick: onNo }, no);
  const element = el(
    'div',
    { class: 'confirm', role: 'group' },
    el('p', { class: 'confirm-question' }, question),
    el(
      'div',
      { class: 'form-buttons' },
      el('button', { type: 'button', class: 'button button-danger', dataset: { action: 'confirm' }, onclick: onYes }, yes),
      noButton,
    ),
  );
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onNo();
    }
  });
  return { element, focus: () => noButton.focus() };
}
