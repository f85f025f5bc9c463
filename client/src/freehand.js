// A child's drawing (strokes of x, y numbers from 0 to 1000, as the server keeps them) as
// SVG path data, drawn with perfect-freehand. Pure: numbers in, a path string of numbers
// out, so no markup a child sent can ever reach the page.
import { getStroke } from 'perfect-freehand';

export const DRAWING_SIZE = 1000; // the server's limit on x and y (docs/protocol.md)

// [[x0, y0, x1, y1, ...], ...] -> [[x, y], ...] per stroke.
export const strokePoints = (stroke) => {
  const points = [];
  for (let i = 0; i + 1 < stroke.length; i += 2) points.push([Number(stroke[i]), Number(stroke[i + 1])]);
  return points;
};

// One stroke's outline as path data ("M x y Q ... Z"); a single point is a dot.
export function strokePath(stroke) {
  const outline = getStroke(strokePoints(stroke), { size: 24, thinning: 0.5, smoothing: 0.5, streamline: 0.5 });
  if (!outline.length) return '';
  const n = (value) => (Number.isFinite(value) ? value.toFixed(1) : '0');
  const [first, ...rest] = outline;
  let d = `M${n(first[0])} ${n(first[1])}Q`;
  for (let i = 0; i < outline.length; i += 1) {
    const [x0, y0] = outline[i];
    const [x1, y1] = outline[(i + 1) % outline.length];
    d += `${n(x0)} ${n(y0)} ${n((x0 + x1) / 2)} ${n((y0 + y1) / 2)} `;
  }
  return rest.length ? `${d.trim()}Z` : d.trim();
}
