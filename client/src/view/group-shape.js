// Each group's own shape (family: circle, network: square, professionals: triangle), so
// every picture of numbers reads without colour too; the colour comes from CSS.
import { svgEl } from './dom.js';

export function groupShape(group, x, y, radius) {
  const props = { class: `marker marker-${group}` };
  if (group === 'family') return svgEl('circle', { ...props, cx: x, cy: y, r: radius });
  if (group === 'network') {
    const half = radius * 0.88; // about the circle's area
    return svgEl('rect', { ...props, x: x - half, y: y - half, width: 2 * half, height: 2 * half });
  }
  const size = radius * 1.2;
  const points = [
    [x, y - size],
    [x + size, y + size * 0.8],
    [x - size, y + size * 0.8],
  ];
  return svgEl('polygon', { ...props, points: points.map((p) => p.join(',')).join(' ') });
}

// The group's shape as a small picture beside words (a key, a table).
export function groupIcon(group) {
  return svgEl('svg', { class: 'plot-key-shape', viewBox: '0 0 20 20', 'aria-hidden': 'true' }, groupShape(group, 10, 11, 7));
}
