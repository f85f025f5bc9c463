import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BoardState } from '../src/state.js';
import { describeAgenda, describeFocus, describeReadiness, describeTimer } from '../src/steering.js';
import { STATE, TEMPLATE } from './fixtures.js';

const END = '2026-11-27T09:19:03.221Z';
const at = (iso) => Date.parse(iso);

describe('the shared timer', () => {
  const running = { status: 'running', seconds: 300, round: 1, ends_at: END, remaining_ms: null };
  const cases = [
    { name: 'five minutes left', timer: running, now: '2026-11-27T09:14:03.221Z', clock: '5:00', up: false },
    { name: 'part of a second shows as a whole one', timer: running, now: '2026-11-27T09:19:02.500Z', clock: '0:01', up: false },
    { name: 'time is up at the end', timer: running, now: END, clock: '0:00', up: true },
    { name: 'and stays up after it', timer: running, now: '2026-11-27T10:00:00.000Z', clock: '0:00', up: true },
    {
      name: 'paused, it shows what was left whatever the time',
      timer: { ...running, status: 'paused', ends_at: null, remaining_ms: 61_000 },
      now: '2026-11-27T11:00:00.000Z',
      clock: '1:01',
      up: false,
      paused: true,
    },
  ];
  for (const row of cases) {
    test(row.name, () => {
      const shown = describeTimer(row.timer, at(row.now));
      assert.equal(shown.clock, row.clock);
      assert.equal(shown.up, row.up);
      assert.equal(shown.paused, Boolean(row.paused));
    });
  }

  test('a stopped timer, or none, is not shown', () => {
    assert.equal(describeTimer({ ...running, status: 'stopped', ends_at: null }, at(END)), null);
    assert.equal(describeTimer(null, at(END)), null);
  });

  test('the clock past an hour', () => {
    const long = { ...running, ends_at: '2026-11-27T12:19:03.221Z' };
    assert.equal(describeTimer(long, at('2026-11-27T09:19:03.221Z')).clock, '3:00:00');
    assert.equal(describeTimer(long, at('2026-11-27T11:16:58.221Z')).clock, '1:02:05');
  });

  test('the timer from the server fixture', () => {
    assert.equal(describeTimer(STATE.board.timer, at(STATE.now)).clock, '5:00');
  });
});

describe("the server's time", () => {
  test('a device whose clock is two minutes slow counts down to the same moment', () => {
    const state = new BoardState();
    const device = at('2026-11-27T09:12:03.221Z'); // the server says 09:14:03.221
    state.setServerTime('2026-11-27T09:14:03.221Z', device);
    assert.equal(describeTimer(STATE.board.timer, device + state.clockOffset).clock, '5:00');
    assert.equal(describeTimer(STATE.board.timer, device + 1000 + state.clockOffset).clock, '4:59');
  });
});

describe('the agenda', () => {
  test('the step the meeting is at', () => {
    const shown = describeAgenda(STATE.board.agenda);
    assert.equal(shown.current, 2);
    assert.equal(shown.title, "What's working well");
    assert.equal(shown.steps.length, 9);
    assert.deepEqual([shown.isFirst, shown.isLast], [false, false]);
    assert.deepEqual(
      [describeAgenda({ steps: ['A'], current: 0 }).isFirst, describeAgenda({ steps: ['A'], current: 0 }).isLast],
      [true, true],
    );
  });
});

describe("I'm done and I need more time", () => {
  test('names of the people still in the meeting, and what I said', () => {
    const participants = new Map([
      ['p_mum', { id: 'p_mum', name: 'Sam' }],
      ['p_gran', { id: 'p_gran', name: 'Gran' }],
      ['p_gone', { id: 'p_gone', name: 'Jo', removed: true }],
    ]);
    const readiness = { answers: { p_mum: 'done', p_gran: 'more_time', p_gone: 'done' } };
    assert.deepEqual(describeReadiness(readiness, participants, 'p_mum'), { done: ['Sam'], moreTime: ['Gran'], mine: 'done' });
    assert.deepEqual(describeReadiness(null, participants, 'p_mum'), { done: [], moreTime: [], mine: null });
  });
});

describe('the spotlight', () => {
  const state = new BoardState();
  state.applyState(STATE);

  const cases = [
    { focus: { kind: 'section', target: 'strengths', at: 't' }, column: 'working_well' },
    { focus: { kind: 'card', target: 'c_worry', at: 't' }, column: 'worries' },
    { focus: { kind: 'scale', target: 's_overall', at: 't' }, column: 'scales' },
    { focus: { kind: 'card', target: 'c_not_here', at: 't' }, column: null },
    { focus: { kind: 'scale', target: 's_not_here', at: 't' }, column: null },
    { focus: { kind: null, target: null, at: 't' }, column: null },
  ];
  for (const { focus, column } of cases) {
    test(`${focus.kind} ${focus.target} is shown in ${column}`, () => {
      assert.equal(describeFocus(focus, TEMPLATE, state)?.column ?? null, column);
    });
  }

  test('the state keeps the steering entities whole, from the board and from changes', () => {
    assert.equal(state.focus.target, 'c_strong');
    assert.equal(state.timer.ends_at, END);
    state.applyChanges([
      { entity: 'agenda', id: 'agenda', value: { steps: ['Hello'], current: 0 } },
      { entity: 'readiness', id: 'readiness', value: { answers: {} } },
    ]);
    assert.deepEqual(state.agenda, { steps: ['Hello'], current: 0 });
    assert.deepEqual(state.readiness, { answers: {} });
  });
});
