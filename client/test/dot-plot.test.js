import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layoutDotPlot, shortName } from '../src/dot-plot.js';

const FONT = 18;
const measure = (text, size) => text.length * size * 0.6;
// As the server sends it: each vote says whose voice it is (`group`).
const vote = (name, group, value) => ({ name, group, value });
const layout = (votes, width = 600, medians = []) => layoutDotPlot({ votes, medians, width, fontSize: FONT, measure });

// The box a dot and its name take up.
function box(dot, plot) {
  const labelWidth = measure(dot.label, plot.labelSize);
  const labelStart = dot.anchor === 'start' ? dot.labelX : dot.labelX - labelWidth;
  return {
    left: Math.min(dot.x - plot.radius, labelStart),
    right: Math.max(dot.x + plot.radius, labelStart + labelWidth),
    top: dot.y - plot.radius,
    bottom: dot.y + plot.radius,
  };
}

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('layoutDotPlot', () => {
  test('a dot sits over its number on the line', () => {
    const plot = layout([vote('Sam', 'family', 0), vote('Gran', 'network', 10), vote('Ms Okafor', 'professionals', 5)]);
    const x = Object.fromEntries(plot.dots.map((d) => [d.vote.name, d.x]));
    assert.equal(x.Sam, plot.axis.x0);
    assert.equal(x.Gran, plot.axis.x1);
    assert.equal(x['Ms Okafor'], (plot.axis.x0 + plot.axis.x1) / 2);
    assert.deepEqual(plot.ticks.map((t) => t.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const dot of plot.dots) assert.ok(dot.y < plot.axis.y);
  });

  test('dots at the same number stack, family first, and none overlaps', () => {
    const plot = layout([
      vote('Zed', 'professionals', 4),
      vote('Ava', 'family', 4),
      vote('Gran', 'network', 4),
      vote('Sam', 'family', 4),
    ]);
    assert.deepEqual(plot.dots.map((d) => [d.vote.name, d.row]), [['Ava', 0], ['Sam', 1], ['Gran', 2], ['Zed', 3]]);
    assert.equal(new Set(plot.dots.map((d) => d.y)).size, 4);
  });

  test('dots far apart share the lowest row', () => {
    const plot = layout([vote('Sam', 'family', 1), vote('Gran', 'network', 9)]);
    assert.deepEqual(plot.dots.map((d) => d.row), [0, 0]);
  });

  test('a name that would cover the next dot moves that dot up', () => {
    const plot = layout([vote('Somebody Long', 'family', 3), vote('Gran', 'network', 4)]);
    assert.deepEqual(plot.dots.map((d) => d.row), [0, 1]);
  });

  for (const width of [300, 600, 1800]) {
    test(`no dot or name covers another, nothing runs off the edges (${width}px)`, () => {
      const names = ['Sam', 'Ava', 'Gran', 'Ms Okafor', 'Grandad', 'Priya', 'Uncle Tom', 'Dr Lee', 'Leo', 'Mia'];
      const groups = ['family', 'family', 'network', 'professionals', 'network', 'professionals'];
      const votes = names.map((name, n) => vote(name, groups[n % groups.length], [7, 7, 6, 2, 7, 3, 6, 2, 8, 10][n]));
      const plot = layout(votes, width);
      const boxes = plot.dots.map((dot) => box(dot, plot));
      for (let i = 0; i < boxes.length; i += 1) {
        assert.ok(boxes[i].left >= 0 && boxes[i].right <= width, `${plot.dots[i].vote.name} fits`);
        assert.ok(boxes[i].top >= 0);
        for (let j = i + 1; j < boxes.length; j += 1) {
          assert.ok(!overlap(boxes[i], boxes[j]), `${plot.dots[i].vote.name} and ${plot.dots[j].vote.name}`);
        }
      }
    });
  }

  test('names near 10 go on the left of their dot', () => {
    const plot = layout([vote('Sam', 'family', 10), vote('Gran', 'network', 0)]);
    const sam = plot.dots.find((d) => d.vote.name === 'Sam');
    const gran = plot.dots.find((d) => d.vote.name === 'Gran');
    assert.equal(sam.anchor, 'end');
    assert.ok(sam.labelX < sam.x);
    assert.equal(gran.anchor, 'start');
    assert.ok(gran.labelX > gran.x);
  });

  test('right to left, 0 is on the right and names go left of their dot (right near 0)', () => {
    const votes = [vote('Sam', 'family', 10), vote('Gran', 'network', 0), vote('Ms Okafor', 'professionals', 5)];
    const ltr = layout(votes);
    const rtl = layoutDotPlot({ votes, medians: [], width: 600, fontSize: FONT, measure, rtl: true });
    const of = (plot, name) => plot.dots.find((d) => d.vote.name === name);
    const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} is not ${b}`);
    near(of(rtl, 'Gran').x, rtl.axis.x1);
    near(of(rtl, 'Sam').x, rtl.axis.x0);
    rtl.ticks.forEach((tick, n) => near(tick.x, 600 - ltr.ticks[n].x));
    const okafor = of(rtl, 'Ms Okafor');
    assert.equal(okafor.anchor, 'end');
    assert.ok(okafor.labelX < okafor.x);
    const sam = of(rtl, 'Sam'); // at the left edge: no room on the left
    assert.equal(sam.anchor, 'start');
    assert.ok(sam.labelX > sam.x);
  });

  test('names whose script stands taller get rows as tall, their lines centred on the dot', () => {
    const votes = [vote('Sam', 'family', 4), vote('الجدة', 'network', 4)];
    const tall = (text, size) => (/[\u0600-\u06ff]/.test(text) ? { ascent: size * 1.6, descent: size * 0.8 } : { ascent: size * 0.95, descent: size * 0.3 });
    const latin = layout(votes);
    const arabic = layoutDotPlot({ votes, medians: [], width: 600, fontSize: FONT, measure, lineBox: tall });
    const [low, high] = arabic.dots;
    const size = arabic.labelSize;
    // the halo (4 px on each side) and the gap between rows come on top of the line
    assert.ok(low.y - high.y >= size * 2.4 + 8, `${low.y - high.y}`);
    assert.ok(low.y - high.y > latin.dots[0].y - latin.dots[1].y);
    for (const dot of arabic.dots) {
      const line = tall(dot.label, size);
      assert.ok(Math.abs(dot.labelY - line.ascent - (dot.y - (line.ascent + line.descent) / 2)) < 1e-9);
    }
  });

  for (const width of [300, 600, 1800]) {
    test(`right to left too, no dot or name covers another or runs off the edges (${width}px)`, () => {
      const names = ['سام', 'Ava', 'الجدة', 'Ms Okafor', 'جدو', 'Priya', 'عمي توم', 'Dr Lee', 'Leo', 'Mia'];
      const votes = names.map((name, n) => vote(name, ['family', 'network', 'professionals'][n % 3], [7, 7, 6, 2, 7, 3, 6, 2, 8, 10][n]));
      const plot = layoutDotPlot({ votes, medians: [], width, fontSize: FONT, measure, rtl: true });
      const boxes = plot.dots.map((dot) => box(dot, plot));
      for (let i = 0; i < boxes.length; i += 1) {
        assert.ok(boxes[i].left >= 0 && boxes[i].right <= width, `${plot.dots[i].vote.name} fits`);
        for (let j = i + 1; j < boxes.length; j += 1) assert.ok(!overlap(boxes[i], boxes[j]));
      }
    });
  }

  test("each group's middle gets its own row below the numbers, in group order", () => {
    const medians = [
      { group: 'professionals', value: 3, label: 'Professionals: middle 3' },
      { group: 'family', value: 7, label: 'Family: middle 7' },
      { group: 'network', value: 6.5, label: 'Network: middle 6.5' },
    ];
    const plot = layout([vote('Sam', 'family', 7)], 600, medians);
    assert.deepEqual(plot.medians.map((m) => m.group), ['family', 'network', 'professionals']);
    const ys = plot.medians.map((m) => m.y);
    assert.ok(ys[0] > plot.ticksY && ys[0] < ys[1] && ys[1] < ys[2]);
    assert.ok(plot.height > ys[2]);
    const network = plot.medians[1];
    assert.equal(network.x, plot.axis.x0 + ((plot.axis.x1 - plot.axis.x0) * 6.5) / 10);
  });

  test('on a narrow screen a middle whose words fit neither side gets the short words', () => {
    const medians = [
      { group: 'family', value: 5, label: 'Family, friends and neighbours: middle 5', shortLabel: 'middle 5' },
      { group: 'network', value: 1, label: 'Network: middle 1', shortLabel: 'middle 1' },
    ];
    const plot = layout([vote('Sam', 'family', 5)], 300, medians);
    assert.deepEqual(plot.medians.map((m) => m.label), ['middle 5', 'Network: middle 1']);
    const family = plot.medians[0];
    assert.equal(family.anchor, 'start');
    assert.ok(family.labelX > family.x);
  });

  test('long names are shortened in the picture (the table has them whole)', () => {
    assert.equal(shortName('Sam'), 'Sam');
    assert.equal(shortName('Bartholomew Fitzgerald-Smythe'), 'Bartholomew Fit…');
    assert.equal(shortName('Bartholomew Fitzgerald-Smythe').length, 16);
  });
});
