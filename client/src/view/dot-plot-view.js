// The picture of a revealed round: an SVG dot plot drawn from layoutDotPlot, one shape per
// group (family: circle, network: square, professionals: triangle) so it reads without
// colour too, with a key above it and what 0 and 10 mean below it. It is redrawn to the
// width it has (a phone, a laptop, the projector) and waits while it is hidden.
import { layoutDotPlot } from '../dot-plot.js';
import { GROUPS } from '../scaling.js';
import { WORDS } from '../words.js';
import { createAnchors } from './anchors.js';
import { el, svgEl } from './dom.js';

const FALLBACK_FONT_SIZE = 18;

export class DotPlotView {
  constructor() {
    this.key = el('ul', { class: 'plot-key' });
    this.svg = svgEl('svg', { class: 'plot', role: 'img', dataset: { role: 'dot-plot' } });
    this.anchors = createAnchors();
    this.element = el('figure', { class: 'dot-plot' }, this.key, this.svg, this.anchors.element);
    this.input = null;
    this.drawnFor = '';
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.element);
  }

  // round: a revealed round (votes, summary); groupLabels: template.groups
  render(scale, round, groupLabels) {
    this.anchors.render(scale);
    this.input = { round, groupLabels };
    this.draw();
  }

  dispose() {
    this.resizeObserver.disconnect();
  }

  draw() {
    const width = Math.floor(this.element.clientWidth);
    if (!this.input || !width) return; // hidden (another tab on a phone): drawn when shown
    const fontSize = parseFloat(getComputedStyle(this.element).fontSize) || FALLBACK_FONT_SIZE;
    const drawnFor = `${width}/${fontSize}/${this.input.round.revealed_at}`;
    if (drawnFor === this.drawnFor) return;
    this.drawnFor = drawnFor;

    const { round, groupLabels } = this.input;
    const medians = round.summary.groups.map(({ group, median }) => ({
      group,
      value: median,
      label: WORDS.scaling.middle(groupLabels[group] ?? group, median),
      shortLabel: WORDS.scaling.middleShort(median), // the shape and the key say whose
    }));
    const measure = textMeasurer(getComputedStyle(this.element).fontFamily);
    const layout = layoutDotPlot({ votes: round.votes, medians, width, fontSize, measure });
    this.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    this.svg.setAttribute('width', layout.width);
    this.svg.setAttribute('height', layout.height);
    this.svg.setAttribute('aria-label', WORDS.scaling.plotLabel(round.summary.words));
    this.svg.replaceChildren(
      ...layout.dots.map((dot) => stem(dot, layout)),
      ...axis(layout),
      ...layout.medians.map((median) => middleMark(median, layout)),
      ...layout.dots.map((dot) => dotMark(dot, layout)),
    );
    this.key.replaceChildren(
      ...GROUPS.filter((group) => layout.dots.some((dot) => dot.group === group)).map((group) =>
        el('li', { class: 'plot-key-item' }, groupIcon(group), el('span', {}, groupLabels[group] ?? group)),
      ),
    );
  }
}

// How wide a label is drawn, measured in the page's own font (bold: a little wider than
// the labels are, so that names never touch).
function textMeasurer(fontFamily) {
  const context = document.createElement('canvas').getContext('2d');
  return (text, size) => {
    context.font = `bold ${size}px ${fontFamily}`;
    return context.measureText(text).width;
  };
}

// A family circle, a network square, a professionals triangle, each with an outline.
function groupShape(group, x, y, radius) {
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

// The group's shape as a small picture beside words (the key, the table).
export function groupIcon(group) {
  return svgEl('svg', { class: 'plot-key-shape', viewBox: '0 0 20 20', 'aria-hidden': 'true' }, groupShape(group, 10, 11, 7));
}

// A faint line from a raised dot down to its number, so the number is easy to read off.
function stem(dot, { radius, axis: line }) {
  return svgEl('line', { class: 'plot-stem', x1: dot.x, y1: dot.y + radius, x2: dot.x, y2: line.y });
}

function axis({ axis: line, ticks, ticksY, radius }) {
  return [
    svgEl('line', { class: 'plot-axis', x1: line.x0, y1: line.y, x2: line.x1, y2: line.y }),
    ...ticks.map(({ value, x }) =>
      svgEl(
        'g',
        { class: 'plot-tick' },
        svgEl('line', { x1: x, y1: line.y, x2: x, y2: line.y + radius * 0.6 }),
        svgEl('text', { x, y: ticksY, 'text-anchor': 'middle' }, String(value)),
      ),
    ),
  ];
}

// A group's middle number: a thick tick on the line, then its shape and words below.
function middleMark(median, { radius, labelSize, axis: line }) {
  return svgEl(
    'g',
    { class: `plot-middle middle-${median.group}`, dataset: { median: median.group, value: String(median.value) } },
    svgEl('line', { class: 'plot-middle-tick', x1: median.x, y1: line.y - radius, x2: median.x, y2: line.y + radius }),
    svgEl('line', { class: 'plot-middle-link', x1: median.x, y1: line.y + radius, x2: median.x, y2: median.y }),
    groupShape(median.group, median.x, median.y, radius * 0.7),
    label(median.labelX, median.y, median.anchor, labelSize, median.label),
  );
}

function dotMark(dot, { radius, labelSize }) {
  const { vote } = dot;
  return svgEl(
    'g',
    {
      class: `plot-dot dot-${dot.group}`,
      dataset: { dot: '', name: vote.name, value: String(vote.value), group: dot.group },
    },
    svgEl('title', {}, `${vote.name}: ${vote.value}`),
    groupShape(dot.group, dot.x, dot.y, radius),
    label(dot.labelX, dot.y, dot.anchor, labelSize, dot.label),
  );
}

function label(x, y, anchor, size, text) {
  // 0.35em below the middle: the text's middle lines up with the shape's
  return svgEl('text', { class: 'plot-label', x, y: y + size * 0.35, 'text-anchor': anchor }, text);
}
