// The picture of a revealed round: an SVG dot plot drawn from layoutDotPlot, one shape per
// group so it reads without colour too, with a key above it and what 0 and 10 mean below
// it. It is drawn to the width it has.
import { layoutDotPlot } from '../dot-plot.js';
import { GROUPS } from '../scaling.js';
import { summaryWords } from '../trend.js';
import { WORDS } from '../words.js';
import { createAnchors } from './anchors.js';
import { el, svgEl } from './dom.js';
import { Drawing } from './drawing.js';
import { groupIcon, groupShape } from './group-shape.js';
import { placedText } from './svg-text.js';

export class DotPlotView {
  constructor() {
    this.key = el('ul', { class: 'plot-key' });
    this.svg = svgEl('svg', { class: 'plot', role: 'img', dataset: { role: 'dot-plot' } });
    this.anchors = createAnchors();
    this.element = el('figure', { class: 'dot-plot' }, this.key, this.svg, this.anchors.element);
    this.drawing = new Drawing(this.element, (input, size) => this.draw(input, size));
  }

  // round: a revealed round (votes, summary); groupLabels: template.groups
  render(scale, round, groupLabels) {
    this.anchors.render(scale);
    this.drawing.show({ round, groupLabels }, round.revealed_at);
  }

  dispose() {
    this.drawing.dispose();
  }

  draw({ round, groupLabels }, { width, fontSize, fontFamily, direction }) {
    const medians = round.summary.groups.map(({ group, median }) => ({
      group,
      value: median,
      label: WORDS.scaling.middle(groupLabels[group] ?? group, median),
      shortLabel: WORDS.scaling.middleShort(median), // the shape and the key say whose
    }));
    const { measure, lineBox } = textMeasurer(fontFamily);
    const layout = layoutDotPlot({ votes: round.votes, medians, width, fontSize, measure, lineBox, rtl: direction === 'rtl' });
    this.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    this.svg.setAttribute('width', layout.width);
    this.svg.setAttribute('height', layout.height);
    this.svg.setAttribute('aria-label', WORDS.scaling.plotLabel(summaryWords(round.summary, groupLabels)));
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

// How wide a label is drawn and how tall its line stands, measured in the page's own font
// (bold: a little wider than the labels are, so that names never touch).
function textMeasurer(fontFamily) {
  const context = document.createElement('canvas').getContext('2d');
  const measured = (text, size) => {
    context.font = `bold ${size}px ${fontFamily}`;
    return context.measureText(text);
  };
  return {
    measure: (text, size) => measured(text, size).width,
    lineBox: (text, size) => {
      const { fontBoundingBoxAscent: ascent, fontBoundingBoxDescent: descent } = measured(text, size);
      return { ascent, descent };
    },
  };
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
        placedText({ x, y: ticksY }, 'middle', String(value)),
      ),
    ),
  ];
}

// A group's middle number: a thick tick on the line, then its shape and words below.
function middleMark(median, { radius, axis: line }) {
  return svgEl(
    'g',
    { class: `plot-middle middle-${median.group}`, dataset: { median: median.group, value: String(median.value) } },
    svgEl('line', { class: 'plot-middle-tick', x1: median.x, y1: line.y - radius, x2: median.x, y2: line.y + radius }),
    svgEl('line', { class: 'plot-middle-link', x1: median.x, y1: line.y + radius, x2: median.x, y2: median.y }),
    groupShape(median.group, median.x, median.y, radius * 0.7),
    label(median.labelX, median.labelY, median.anchor, median.label),
  );
}

function dotMark(dot, { radius }) {
  const { vote } = dot;
  return svgEl(
    'g',
    {
      class: `plot-dot dot-${dot.group}`,
      dataset: { dot: '', name: vote.name, value: String(vote.value), group: dot.group },
    },
    svgEl('title', {}, `${vote.name}: ${vote.value}`),
    groupShape(dot.group, dot.x, dot.y, radius),
    label(dot.labelX, dot.labelY, dot.anchor, dot.label),
  );
}

function label(x, baseline, anchor, text) {
  return placedText({ class: 'plot-label', x, y: baseline }, anchor, text);
}
