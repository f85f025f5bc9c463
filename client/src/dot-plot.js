// Where everything goes in the picture of a revealed round: one dot per person on the
// 0–10 line with their name beside it, and each group's middle number below the line.
// Pure geometry (in CSS pixels), so "no dot or name covers another" is unit-tested; the
// view only draws it.
import { GROUPS } from './scaling.js';

const MAX_LABEL = 16; // characters of a name beside its dot; the table shows the whole name

// votes: [{name, group, value}]; medians: [{group, value, label, shortLabel}] (from the
// round's summary, with the words to show; the short ones where the long do not fit); width and fontSize: of the place it is drawn in;
// measure(text, size): how wide the text is drawn, in pixels.
export function layoutDotPlot({ votes, medians, width, fontSize, measure }) {
  const radius = fontSize * 0.55;
  const labelSize = fontSize * 0.9;
  const gap = fontSize * 0.3;
  // tall enough for the triangle (the tallest shape) and a line of text with its halo
  const rowHeight = Math.max(2.3 * radius, labelSize * 1.45) + gap;
  const x0 = fontSize * 1.2;
  const x1 = width - fontSize * 1.2;
  const xOf = (value) => x0 + ((x1 - x0) * value) / 10;

  // Dots at the same number stack upwards; a dot also moves up when a name nearby would
  // cover it. Rows are shared, so the picture stays as low as it can.
  const rows = [];
  const dots = [...votes].sort(byValueGroupName).map((vote) => {
    const x = xOf(vote.value);
    const label = shortName(vote.name);
    const side = placeLabel(x, radius + gap, measure(label, labelSize), width);
    const row = firstFreeRow(rows, [Math.min(x - radius, side.start) - gap, Math.max(x + radius, side.end) + gap]);
    return { vote, group: vote.group, value: vote.value, x, row, label, labelX: side.x, anchor: side.anchor };
  });
  const axisY = gap + Math.max(rows.length, 1) * rowHeight + gap;
  for (const dot of dots) dot.y = axisY - gap - (dot.row + 0.5) * rowHeight;

  const ticksY = axisY + fontSize * 1.3; // the baseline of the numbers under the line
  // One row per group below the numbers, so the middles never cover each other.
  const middles = [...medians]
    .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group))
    .map((median, index) => {
      const x = xOf(median.value);
      const place = (text) => placeLabel(x, radius + gap, measure(text, labelSize), width);
      let [label, side] = [median.label, place(median.label)];
      if (side.squeezed) [label, side] = [median.shortLabel, place(median.shortLabel)];
      const y = ticksY + gap + (index + 0.5) * rowHeight;
      return { group: median.group, value: median.value, label, x, y, labelX: side.x, anchor: side.anchor };
    });
  const height = ticksY + gap + middles.length * rowHeight + gap;

  const ticks = Array.from({ length: 11 }, (_, value) => ({ value, x: xOf(value) }));
  return { width, height, radius, labelSize, axis: { x0, x1, y: axisY }, ticksY, ticks, dots, medians: middles };
}

export function shortName(name) {
  return name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name;
}

// The words go right of their mark; left when they would run off the right edge; on a
// screen too narrow for either, they start where they still fit.
function placeLabel(x, offset, labelWidth, width) {
  if (x + offset + labelWidth <= width) return startingAt(x + offset, labelWidth);
  if (x - offset - labelWidth >= 0) return { x: x - offset, anchor: 'end', start: x - offset - labelWidth, end: x - offset };
  return { ...startingAt(Math.max(0, width - labelWidth), labelWidth), squeezed: true };
}

function startingAt(start, labelWidth) {
  return { x: start, anchor: 'start', start, end: start + labelWidth };
}

// The lowest row where [start, end] is free; takes it.
function firstFreeRow(rows, [start, end]) {
  let row = 0;
  while (rows[row]?.some(([a, b]) => start < b && a < end)) row += 1;
  (rows[row] ??= []).push([start, end]);
  return row;
}

function byValueGroupName(a, b) {
  if (a.value !== b.value) return a.value - b.value;
  const groups = GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group);
  if (groups) return groups;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
