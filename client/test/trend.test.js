import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layoutTrend, mediansWords, trendOf } from '../src/trend.js';

const LABELS = { family: 'Family', network: 'Network', professionals: 'Professionals' };
const point = (date, medians) => ({ meeting_id: `m_${date}`, date, votes: [], medians });
const revealed = (groups) => ({ status: 'revealed', summary: { groups: groups.map(([group, median]) => ({ group, median, count: 1 })) } });

describe('a scale across meetings', () => {
  test('no history: no trend', () => {
    assert.equal(trendOf({ history: [] }, []), null);
    assert.equal(trendOf({}, [revealed([['family', 5]])]), null);
  });

  test("the earlier meetings, then this meeting's newest shown round", () => {
    const scale = { history: [point('2026-09-01', { family: 5, professionals: 2 }), point('2026-11-27', { family: 7, network: 6, professionals: 3 })] };
    const rounds = [{ status: 'open', summary: null }, revealed([['family', 8], ['professionals', 5]]), revealed([['family', 1]])];
    const trend = trendOf(scale, rounds);
    assert.deepEqual(trend.lastTime, { family: 7, network: 6, professionals: 3 });
    assert.deepEqual(
      trend.points.map((p) => [p.date, p.medians, p.current]),
      [
        ['2026-09-01', { family: 5, professionals: 2 }, false],
        ['2026-11-27', { family: 7, network: 6, professionals: 3 }, false],
        [null, { family: 8, professionals: 5 }, true],
      ],
    );
    assert.equal(trendOf(scale, [rounds[0]]).points.length, 2); // nothing shown yet here
  });

  test('last time in words, in the order of the groups', () => {
    assert.equal(mediansWords({ professionals: 3, family: 7, network: 6 }, LABELS), 'Family 7, network 6, professionals 3');
    assert.equal(mediansWords({ network: 6.5, professionals: 3 }, LABELS), 'Network 6.5, professionals 3');
    assert.equal(mediansWords({}, LABELS), '');
  });
});

describe('layoutTrend', () => {
  const points = [
    { date: '2026-09-01', medians: { family: 5, professionals: 2 } },
    { date: '2026-11-27', medians: { family: 7, network: 6, professionals: 3 } },
    { date: null, medians: { family: 8, network: 6, professionals: 3 }, current: true },
  ];

  test('one column per meeting, left to right, higher numbers higher up', () => {
    const plot = layoutTrend({ points, width: 600, fontSize: 18 });
    const [first, middle, last] = plot.columns.map((c) => c.x);
    assert.deepEqual([first, last], [plot.x0, plot.x1]);
    assert.ok(Math.abs(middle - (plot.x0 + plot.x1) / 2) < 1e-9);
    const [family, network, professionals] = plot.series;
    assert.deepEqual(plot.series.map((s) => s.group), ['family', 'network', 'professionals']);
    assert.deepEqual(family.marks.map((m) => m.value), [5, 7, 8]);
    assert.deepEqual(network.marks.map((m) => m.value), [6, 6]); // no network the first time
    assert.ok(family.marks[0].y > family.marks[1].y && family.marks[1].y > family.marks[2].y);
    const [zero, , ten] = plot.grid;
    assert.ok(zero.y > ten.y);
    for (const mark of professionals.marks) assert.ok(mark.y <= zero.y && mark.y >= ten.y);
    for (const { marks } of plot.series) for (const m of marks) assert.ok(m.x > 0 && m.x < plot.width);
    assert.ok(plot.labelsY < plot.height);
  });

  test('groups with the same number at one meeting sit apart', () => {
    const plot = layoutTrend({ points: [{ date: 'd', medians: { family: 4, network: 4, professionals: 4 } }], width: 300, fontSize: 18 });
    const xs = plot.series.map((s) => s.marks[0].x);
    assert.equal(new Set(xs).size, 3);
    assert.ok(Math.min(xs[1] - xs[0], xs[2] - xs[1]) >= plot.radius * 0.8);
  });

  test('right to left, the oldest meeting is on the right and the numbers stand right of the lines', () => {
    const ltr = layoutTrend({ points, width: 600, fontSize: 18 });
    const rtl = layoutTrend({ points, width: 600, fontSize: 18, rtl: true });
    const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} is not ${b}`);
    rtl.columns.forEach((column, n) => near(column.x, 600 - ltr.columns[n].x));
    near(rtl.columns[0].x, rtl.x1);
    near(rtl.columns.at(-1).x, rtl.x0);
    assert.deepEqual(rtl.numbers, { x: rtl.x1 + 18 * 0.6, anchor: 'start' });
    assert.deepEqual(ltr.numbers, { x: ltr.x0 - 18 * 0.6, anchor: 'end' });
    // "10" written from there fits inside the picture
    assert.ok(rtl.numbers.x + 2 * 18 * 0.6 <= rtl.width);
    assert.deepEqual(rtl.grid, ltr.grid);
    const family = rtl.series.find((s) => s.group === 'family');
    assert.ok(family.marks[0].x > family.marks[1].x && family.marks[1].x > family.marks[2].x);
  });

  test('on a narrow screen only some dates are written, always the last one', () => {
    const many = Array.from({ length: 9 }, (_, n) => ({ date: `2026-0${n + 1}-01`, medians: { family: n } }));
    const narrow = layoutTrend({ points: many, width: 320, fontSize: 18 });
    const labelled = narrow.columns.filter((c) => c.labelled);
    assert.ok(labelled.length < many.length);
    assert.equal(narrow.columns.at(-1).labelled, true);
    for (let i = 1; i < labelled.length; i += 1) assert.ok(labelled[i].x - labelled[i - 1].x >= 18 * 4);
    const wide = layoutTrend({ points: many, width: 1600, fontSize: 18 });
    assert.ok(wide.columns.every((c) => c.labelled));
  });
});
