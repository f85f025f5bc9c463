// What 0 and 10 mean on a scale, left and right, shown wherever its numbers are (the
// question, the number buttons, the picture), so the direction is never a guess.
import { WORDS } from '../words.js';
import { el, setText } from './dom.js';

export function createAnchors() {
  const low = el('span', { class: 'anchor anchor-low' });
  const high = el('span', { class: 'anchor anchor-high' });
  return {
    element: el('p', { class: 'anchors' }, low, high),
    render(scale) {
      setText(low, WORDS.scaling.lowEnd(scale.low_label));
      setText(high, WORDS.scaling.highEnd(scale.high_label));
    },
  };
}
