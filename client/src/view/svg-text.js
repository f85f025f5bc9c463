// Words in a picture, placed where its layout says. A layout's anchors are as the eye
// sees them ('start': the words begin at x and run right; 'end': they end at x; 'middle'),
// whichever way the page reads; the words are written in their own direction (a Polish
// name on an Arabic board, an Arabic one on an English board), so the anchor SVG is given
// is turned to match it.
import { textDirection } from '../direction.js';
import { svgEl } from './dom.js';

const TURNED = { start: 'end', end: 'start', middle: 'middle' };

export function placedText(props, anchor, text) {
  const direction = textDirection(text) ?? 'ltr';
  return svgEl('text', { ...props, direction, 'text-anchor': direction === 'rtl' ? TURNED[anchor] : anchor }, text);
}
