// A scale across meetings: each group's middle number at every earlier meeting (a review
// meeting's scale carries them in `history`, oldest first) and, once its answers are
// shown, in this meeting. Pure: the points, the words and the picture's geometry (in CSS
// pixels), so the view only draws.
import { commaList, numberWords } from './i18n.js';
import { GROUPS } from './scaling.js';
import { WORDS } from './words.js';

// scale: with its `history`; rounds: the scale's rounds here, newest first.
// -> null without history, else {points: [{date, medians, current}], lastTime: medians}
export function trendOf(scale, rounds) {
  const history = scale.history ?? [];
  if (!history.length) return null;
  const points = history.map(({ date, medians }) => ({ date, medians, current: false }));
  const shown = rounds.find((round) => round.status === 'revealed');
  if (shown) {
    const medians = Object.fromEntries(shown.summary.groups.map(({ group, median }) => [group, median]));
    points.push({ date: null, medians, current: true });
  }
  return { points, lastTime: history.at(-1).medians };
}

// "Family 7, network 6, professionals 3", in the groups' order, as the round summary says it.
export function mediansWords(medians, groupLabels) {
  return commaList(
    GROUPS.filter((group) => medians[group] !== undefined && medians[group] !== null).map((group, index) => {
      const label = groupLabels[group] ?? group;
      return `${index === 0 ? label : label.toLowerCase()} ${numberWords(medians[group])}`;
    }),
  );
}

// A revealed round's summary in words, in this page's language: "Family 7, network 6,
// professionals 3: a gap of 4" (the gap only when there are groups to compare).
export function summaryWords(summary, groupLabels) {
  const middles = mediansWords(Object.fromEntries(summary.groups.map(({ group, median }) => [group, median])), groupLabels);
  return summary.groups.length > 1 ? WORDS.scaling.withGap(middles, summary.gap) : middles;
}

// One column per meeting, oldest first as the page reads: left to right, or right to left
// on a right-to-left page, where time runs that way (the numbers 0, 5 and 10 then stand on
// the right, where a line of the page begins); 0 to 10 upwards. Marks of groups with the
// same number at one meeting sit a little apart, so no shape hides another. Every x is
// from the left.
export function layoutTrend({ points, width, fontSize, rtl = false }) {
  const radius = fontSize * 0.45;
  const [numbersRoom, endRoom] = [fontSize * 2.6, fontSize * 1.5];
  const x0 = rtl ? endRoom : numbersRoom;
  const x1 = width - (rtl ? numbersRoom : endRoom);
  // the numbers end just before the lines (left to right) or begin just after them
  const numbers = rtl ? { x: x1 + fontSize * 0.6, anchor: 'start' } : { x: x0 - fontSize * 0.6, anchor: 'end' };
  const top = fontSize;
  const bottom = top + fontSize * 8;
  const labelsY = bottom + fontSize * 1.5;
  const count = points.length;
  const along = (index) => (count === 1 ? 0.5 : index / (count - 1));
  const xOf = (index) => (rtl ? x1 - (x1 - x0) * along(index) : x0 + (x1 - x0) * along(index));
  const yOf = (value) => bottom - ((bottom - top) * value) / 10;
  // Dates need about four characters' room each: on a narrow screen only some are written.
  const spacing = count === 1 ? Infinity : (x1 - x0) / (count - 1);
  const every = Math.ceil((fontSize * 4) / spacing);

  const columns = points.map((point, index) => ({
    point,
    x: xOf(index),
    labelled: index === count - 1 || (index % every === 0 && count - 1 - index >= every),
  }));
  const series = GROUPS.map((group, groupIndex) => {
    const dodge = (groupIndex - 1) * radius * 0.9;
    const marks = columns
      .filter(({ point }) => typeof point.medians[group] === 'number')
      .map(({ point, x }) => ({ x: x + dodge, y: yOf(point.medians[group]), value: point.medians[group] }));
    return { group, marks };
  }).filter(({ marks }) => marks.length);
  const grid = [0, 5, 10].map((value) => ({ value, y: yOf(value) }));
  return { width, height: labelsY + fontSize * 0.6, radius, x0, x1, labelsY, numbers, columns, series, grid };
}
