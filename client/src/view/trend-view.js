// A scale across meetings: last time's middle numbers in words, a small picture with one
// line per group (the shapes of the dot plot, so it reads without colour) over the earlier
// meetings and this one, and the same numbers as a table for screen readers.
import { dayWords, shortDayWords } from '../dates.js';
import { GROUPS } from '../scaling.js';
import { layoutTrend, mediansWords } from '../trend.js';
import { WORDS } from '../words.js';
import { el, setText, svgEl } from './dom.js';
import { Drawing } from './drawing.js';
import { groupIcon, groupShape } from './group-shape.js';
import { placedText } from './svg-text.js';

export class TrendView {
  constructor() {
    const words = WORDS.scaling;
    this.lastTime = el('p', { class: 'last-time', dataset: { role: 'last-time' } });
    this.svg = svgEl('svg', { class: 'trend-plot', role: 'img', 'aria-label': words.trendLabel, dataset: { role: 'trend' } });
    this.figure = el('figure', { class: 'trend' }, this.svg);
    this.table = el('div', { class: 'table-scroll' });
    this.element = el('div', { class: 'scale-history' }, this.lastTime, this.figure, this.table);
    this.drawing = new Drawing(this.figure, (input, size) => this.draw(input, size));
    this.shownKey = null;
  }

  // trend: from trendOf(); groupLabels: template.groups
  render(trend, groupLabels) {
    setText(this.lastTime, WORDS.scaling.lastTime(mediansWords(trend.lastTime, groupLabels)));
    const key = JSON.stringify(trend.points);
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.table.replaceChildren(trendTable(trend.points, groupLabels));
    }
    this.drawing.show({ trend, groupLabels }, key);
  }

  dispose() {
    this.drawing.dispose();
  }

  draw({ trend, groupLabels }, { width, fontSize, direction }) {
    const layout = layoutTrend({ points: trend.points, width, fontSize, rtl: direction === 'rtl' });
    this.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    this.svg.setAttribute('width', layout.width);
    this.svg.setAttribute('height', layout.height);
    this.svg.replaceChildren(
      ...layout.grid.map(({ value, y }) =>
        svgEl(
          'g',
          { class: 'trend-grid' },
          svgEl('line', { x1: layout.x0, y1: y, x2: layout.x1, y2: y }),
          placedText({ x: layout.numbers.x, y: y + fontSize * 0.3 }, layout.numbers.anchor, String(value)),
        ),
      ),
      ...layout.columns
        .filter((column) => column.labelled)
        .map(({ x, point }) =>
          placedText({ class: 'trend-date', x, y: layout.labelsY }, 'middle', pointName(point, shortDayWords)),
        ),
      ...layout.series.map(({ group, marks }) =>
        svgEl(
          'g',
          { class: `trend-series series-${group}`, dataset: { group } },
          svgEl('polyline', { class: 'trend-line', points: marks.map((m) => `${m.x},${m.y}`).join(' ') }),
          ...marks.map((mark) =>
            svgEl(
              'g',
              { class: 'trend-mark', dataset: { value: String(mark.value) } },
              svgEl('title', {}, `${groupLabels[group] ?? group}: ${mark.value}`),
              groupShape(group, mark.x, mark.y, layout.radius),
            ),
          ),
        ),
      ),
    );
  }
}

// "27 Nov" under the picture, "27 November 2026" in the table; this meeting is "Today".
function pointName(point, words) {
  return point.current ? WORDS.scaling.today : words(point.date);
}

function trendTable(points, groupLabels) {
  const words = WORDS.scaling;
  return el(
    'table',
    { class: 'trend-table', dataset: { role: 'trend-table' } },
    el('caption', {}, words.trendCaption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, words.meeting),
        ...GROUPS.map((group) => el('th', { scope: 'col' }, el('span', { class: 'vote-group' }, groupIcon(group), groupLabels[group] ?? group))),
      ),
    ),
    el(
      'tbody',
      {},
      ...points.map((point) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, pointName(point, dayWords)),
          ...GROUPS.map((group) => el('td', { class: 'cell-number' }, String(point.medians[group] ?? '–'))),
        ),
      ),
    ),
  );
}
