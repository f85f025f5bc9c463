// Drawings as SVG built from numbers (see freehand.js), and the pad a child draws on with a
// finger (pointer events).
import { DRAWING_SIZE, strokePath } from '../freehand.js';
import { svgEl } from './dom.js';

export function drawingSvg(strokes, label) {
  return svgEl(
    'svg',
    { class: 'drawing', viewBox: `0 0 ${DRAWING_SIZE} ${DRAWING_SIZE}`, role: 'img', 'aria-label': label },
    ...(strokes ?? []).map((stroke) => svgEl('path', { d: strokePath(stroke), fill: 'currentColor' })),
  );
}

// Too close to the last point to keep: fewer numbers to send, the same line.
const MIN_STEP = 6;

export class DrawingPad {
  constructor(label) {
    this.strokes = [];
    this.current = null;
    this.element = svgEl('svg', {
      class: 'drawing drawing-pad',
      viewBox: `0 0 ${DRAWING_SIZE} ${DRAWING_SIZE}`,
      role: 'img',
      'aria-label': label,
      dataset: { role: 'drawing-pad' },
    });
    this.element.addEventListener('pointerdown', (event) => this.start(event));
    this.element.addEventListener('pointermove', (event) => this.move(event));
    for (const type of ['pointerup', 'pointercancel']) this.element.addEventListener(type, () => this.end());
  }

  point(event) {
    const box = this.element.getBoundingClientRect();
    const clamp = (v) => Math.max(0, Math.min(DRAWING_SIZE, Math.round(v)));
    return [clamp(((event.clientX - box.left) / box.width) * DRAWING_SIZE), clamp(((event.clientY - box.top) / box.height) * DRAWING_SIZE)];
  }

  start(event) {
    event.preventDefault();
    this.element.setPointerCapture?.(event.pointerId);
    this.current = { numbers: this.point(event), path: svgEl('path', { fill: 'currentColor' }) };
    this.element.append(this.current.path);
    this.redraw();
  }

  move(event) {
    if (!this.current) return;
    const [x, y] = this.point(event);
    const numbers = this.current.numbers;
    if (Math.hypot(x - numbers.at(-2), y - numbers.at(-1)) < MIN_STEP) return;
    numbers.push(x, y);
    this.redraw();
  }

  end() {
    if (!this.current) return;
    this.strokes.push(this.current.numbers);
    this.current = null;
  }

  redraw() {
    this.current.path.setAttribute('d', strokePath(this.current.numbers));
  }

  clear() {
    this.strokes = [];
    this.current = null;
    this.element.replaceChildren();
  }
}
