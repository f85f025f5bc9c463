// Where everything goes in the picture of a revealed round: one dot per person on the
// 0–10 line with their name beside it, and each group's middle number below the line.
// Pure geometry (in CSS pixels), so "no dot or name covers another" is unit-tested; the
// view only draws it.
import { GROUPS } from './scaling.js';

const MAX_LABEL = 16; // characters of a name beside its dot; the table shows the whole name
const HALO = 4; // px: the white stroke around each label (.plot-label), on every side of it

// votes: [{name, group, value}]; medians: [{group, value, label, shortLabel}] (from the
// round's summary, with the words to show; the short ones where the long do not fit); width and fontSize: of the place it is drawn in;
// measure(text, size): how wide the text is drawn, in pixels; lineBox(text, size): how far
// its line reaches above and below the baseline ({ascent, descent}, pixels: a script's line
// may stand much taller than Latin's); rtl: the page reads right to left.
// Right to left, the line runs from 0 on the right to 10 on the left: the way the page's
// number buttons and "0 means … / 10 means …" read there (their rows mirror with the page),
// so the picture never points the other way from the scale people answered on. Only the
// places mirror: the numbers and names are written as they read.
// Every x is from the left; a label's anchor is 'start' when its words begin at labelX and
// run right, 'end' when they end there.
export function layoutDotPlot({ votes, medians, width, fontSize, measure, lineBox = latinLine, rtl = false }) {
  const radius = fontSize * 0.55;
  const labelSize = fontSize * 0.9;
  const gap = fontSize * 0.3;
  const texts = [...votes.map((vote) => shortName(vote.name)), ...medians.flatMap((m) => [m.label, m.shortLabel])];
  const lines = new Map(texts.filter(Boolean).map((text) => [text, lineBox(text, labelSize)]));
  const tallest = Math.max(...[...lines.values()].map((line) => line.ascent + line.descent), labelSize * 1.25);
  // tall enough for the triangle (the tallest shape) and the tallest line of words with its halo
  const rowHeight = Math.max(2.3 * radius, tallest + 2 * HALO) + gap;
  // a label's baseline, so that its line stands as far above the middle of its row as below
  const baseline = (text, y) => y + (lines.get(text).ascent - lines.get(text).descent) / 2;
  const x0 = fontSize * 1.2;
  const x1 = width - fontSize * 1.2;
  const xOf = (value) => (rtl ? x1 - ((x1 - x0) * value) / 10 : x0 + ((x1 - x0) * value) / 10);
  const place = (x, text) => placeLabel(x, radius + gap, measure(text, labelSize), width, rtl);

  // Dots at the same number stack upwards; a dot also moves up when a name nearby would
  // cover it. Rows are shared, so the picture stays as low as it can.
  const rows = [];
  const dots = [...votes].sort(byValueGroupName).map((vote) => {
    const x = xOf(vote.value);
    const label = shortName(vote.name);
    const side = place(x, label);
    const row = firstFreeRow(rows, [Math.min(x - radius, side.start) - gap, Math.max(x + radius, side.end) + gap]);
    return { vote, group: vote.group, value: vote.value, x, row, label, labelX: side.x, anchor: side.anchor };
  });
  const axisY = gap + Math.max(rows.length, 1) * rowHeight + gap;
  for (const dot of dots) {
    dot.y = axisY - gap - (dot.row + 0.5) * rowHeight;
    dot.labelY = baseline(dot.label, dot.y);
  }

  const ticksY = axisY + fontSize * 1.3; // the baseline of the numbers under the line
  // One row per group below the numbers, so the middles never cover each other.
  const middles = [...medians]
    .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group))
    .map((median, index) => {
      const x = xOf(median.value);
      let [label, side] = [median.label, place(x, median.label)];
      if (side.squeezed) [label, side] = [median.shortLabel, place(x, median.shortLabel)];
      const y = ticksY + gap + (index + 0.5) * rowHeight;
      return { group: median.group, value: median.value, label, x, y, labelX: side.x, labelY: baseline(label, y), anchor: side.anchor };
    });
  const height = ticksY + gap + middles.length * rowHeight + gap;

  const ticks = Array.from({ length: 11 }, (_, value) => ({ value, x: xOf(value) }));
  return { width, height, radius, labelSize, axis: { x0, x1, y: axisY }, ticksY, ticks, dots, medians: middles };
}

function latinLine(text, size) {
  return { ascent: size * 0.95, descent: size * 0.3 };
}

export function shortName(name) {
  return name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name;
}

// The words go after their mark, as the page reads (right of it; left of it right to
// left); before it when they would run off that edge; on a screen too narrow for either,
// they sit against that edge.
function placeLabel(x, offset, labelWidth, width, rtl) {
  const right = () => (x + offset + labelWidth <= width ? startingAt(x + offset, labelWidth) : null);
  const left = () => (x - offset - labelWidth >= 0 ? endingAt(x - offset, labelWidth) : null);
  const placed = rtl ? left() ?? right() : right() ?? left();
  if (placed) return placed;
  return { ...(rtl ? startingAt(0, labelWidth) : startingAt(Math.max(0, width - labelWidth), labelWidth)), squeezed: true };
}

function startingAt(start, labelWidth) {
  return { x: start, anchor: 'start', start, end: start + labelWidth };
}

function endingAt(end, labelWidth) {
  return { x: end, anchor: 'end', start: end - labelWidth, end };
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
