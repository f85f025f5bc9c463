import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clockOffset, countdown, describeFamilyTime, nextTimeOfDay, secondsLeft } from '../src/family-time.js';
import { BoardState } from '../src/state.js';
import { boardPayload, STATE } from './fixtures.js';

const BACK = '2026-12-01T14:30:00.000Z';
const RUNNING = { started_at: '2026-12-01T14:00:00.000Z', started_by: 'p_fac', back_at: BACK, asked_at: null, answer: null, answered_by: null, ended_at: null, ended_by: null, ended: null };
const item = (id, at, extra = {}) => ({ id, section: 'plan_rules', text: `text of ${id}`, author: 'p_me', created_at: at, updated_at: at, updated_by: 'p_me', shared_as: null, ...extra });

function familyState({ role = 'parent', familyTime = RUNNING, plan = [] } = {}) {
  const state = new BoardState();
  const payload = boardPayload({ participants: [{ id: 'p_me', name: 'Sam', role }], me: { id: 'p_me', name: 'Sam', role, can: {} } });
  payload.board.meeting = { ...payload.board.meeting, kind: 'family_group', stage: 'family_time' };
  payload.board.family_time = familyTime;
  payload.board.family_plan = plan;
  state.applyState({ ...payload, now: '2026-12-01T14:10:00.000Z' });
  return state;
}

describe('the server clock and countdowns', () => {
  test('the offset is the server time less this screen time', () => {
    assert.equal(clockOffset('2026-12-01T14:10:00.000Z', Date.parse('2026-12-01T14:09:00.000Z')), 60000);
    assert.equal(clockOffset('not a time', 5), 0);
  });

  test('time left counts by the server clock, never below nothing', () => {
    const local = Date.parse('2026-12-01T14:09:00.000Z'); // a minute slow
    assert.equal(secondsLeft(BACK, 60000, local), 20 * 60);
    assert.equal(secondsLeft(BACK, 60000, local + 3600000), 0);
  });

  test('a countdown reads minutes and seconds, with hours past one', () => {
    assert.equal(countdown(0), '0:00');
    assert.equal(countdown(605), '10:05');
    assert.equal(countdown(3725), '1:02:05');
  });

  test('a time of day is the next one: today, or tomorrow once passed', () => {
    const at = new Date(2026, 11, 1, 14, 0).getTime();
    assert.equal(nextTimeOfDay('14:30', at), new Date(2026, 11, 1, 14, 30).toISOString());
    assert.equal(nextTimeOfDay('09:00', at), new Date(2026, 11, 2, 9, 0).toISOString());
    assert.equal(nextTimeOfDay('half past', at), null);
  });
});

describe('family time in the board state', () => {
  test('state keeps family time, the family plan and the server clock', () => {
    const state = familyState({ plan: [item('i2', '2026-12-01T14:05:00.000Z'), item('i1', '2026-12-01T14:02:00.000Z')] });
    assert.equal(state.familyTime.back_at, BACK);
    assert.deepEqual([...state.familyPlan.keys()], ['i2', 'i1']);
    assert.ok(Math.abs(state.clockOffset - (Date.parse('2026-12-01T14:10:00.000Z') - Date.now())) < 1000);
  });

  test('applied changes upsert and delete family time and plan items', () => {
    const state = familyState();
    state.applyChanges([{ entity: 'family_item', id: 'i1', value: item('i1', '2026-12-01T14:02:00.000Z') }]);
    assert.deepEqual([...state.familyPlan.keys()], ['i1']);
    state.applyChanges([{ entity: 'family_item', id: 'i1', deleted: true }]);
    assert.equal(state.familyPlan.size, 0);
    state.applyChanges([{ entity: 'family_time', id: 'family_time', value: { ...RUNNING, ended_at: BACK, ended: 'forced' } }]);
    assert.equal(state.familyTime.ended, 'forced');
  });

  test('the family see their plan, oldest first, shared lines left out', () => {
    const state = familyState({
      plan: [item('i2', '2026-12-01T14:05:00.000Z'), item('i1', '2026-12-01T14:02:00.000Z'), item('i3', '2026-12-01T14:01:00.000Z', { shared_as: 'c1' })],
    });
    const family = describeFamilyTime(state, 'p_me');
    assert.equal(family.isFamily, true);
    assert.equal(family.running, true);
    assert.deepEqual(family.items.map((i) => i.id), ['i1', 'i2']);
    assert.deepEqual(family.planSections.map((s) => s.key), STATE.template.columns.at(-1).sections.map((s) => s.key));
    assert.deepEqual(family.stages.map((s) => s.key), ['information', 'family_time', 'agreeing', 'review']);
  });

  const roles = [
    ['parent', true],
    ['child', true],
    ['network', true],
    ['professional', false],
    ['facilitator', false],
    ['viewer', false],
  ];
  for (const [role, isFamily] of roles) {
    test(`a ${role} is ${isFamily ? '' : 'not '}the family in family time`, () => {
      assert.equal(describeFamilyTime(familyState({ role }), 'p_me').isFamily, isFamily);
    });
  }

  const answers = [
    ['not asked', { asked_at: null, answer: null }, false, false],
    ['asked', { asked_at: '2026-12-01T14:20:00.000Z', answer: null }, true, false],
    ['not yet', { asked_at: '2026-12-01T14:20:00.000Z', answer: 'not_yet' }, false, true],
  ];
  for (const [name, fields, asked, notYet] of answers) {
    test(`the ask, ${name}`, () => {
      const family = describeFamilyTime(familyState({ familyTime: { ...RUNNING, ...fields } }), 'p_me');
      assert.equal(family.asked, asked);
      assert.equal(family.notYet, notYet);
    });
  }

  test('ended family time is not running and asks nothing', () => {
    const family = describeFamilyTime(familyState({ familyTime: { ...RUNNING, asked_at: BACK, ended_at: BACK, ended: 'ready' } }), 'p_me');
    assert.equal(family.running, false);
    assert.equal(family.asked, false);
  });

  test('a meeting of another kind has no stages', () => {
    const state = new BoardState();
    state.applyState(boardPayload());
    const family = describeFamilyTime(state, 'p_me');
    assert.equal(family.hasStages, false);
    assert.equal(family.running, false);
  });
});
