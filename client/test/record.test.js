import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as ops from '../src/ops.js';
import { projectBoard } from '../src/projection.js';
import { describeMinutes, takingMinutes } from '../src/record.js';
import { BoardState } from '../src/state.js';
import { boardPayload } from './fixtures.js';

const signoff = (id, name, stance, reason = null) => ({ participant_id: id, name, role: 'parent', stance, reason, at: 'x' });
const minutes = (number, extra = {}) => ({
  number,
  label: null,
  status: 'draft',
  taken_at: '2026-11-27T10:00:00.000Z',
  taken_by: 'p_fac',
  hash: 'ab12',
  signoffs: [],
  agreed_at: null,
  agreed_by: null,
  ...extra,
});

function stateWith(list, me = { id: 'p_me', name: 'Sam', role: 'parent', can: { edit_board: true } }) {
  const state = new BoardState();
  state.applyState(boardPayload({ minutes: list, me }));
  return state;
}

describe('the minutes as the page shows them', () => {
  test('newest first, with who agreed, who did not and why, and what I said', () => {
    const state = stateWith([
      minutes(1, { status: 'agreed' }),
      minutes(2, {
        signoffs: [signoff('p_me', 'Sam', 'agree'), signoff('p_gran', 'Gran', 'disagree', 'Dad was not asked'), signoff('p_ava', 'Ava', 'agree')],
      }),
    ]);
    const [second, first] = describeMinutes(projectBoard(state, []), 'p_me');
    assert.equal(second.minutes.number, 2);
    assert.equal(second.draft, true);
    assert.deepEqual(second.agreed, ['Sam', 'Ava']);
    assert.deepEqual(second.notAgreed, [{ name: 'Gran', reason: 'Dad was not asked' }]);
    assert.equal(second.mine.stance, 'agree');
    assert.equal(first.draft, false);
    assert.equal(first.mine, null);
  });

  test('my sign-off shows at once, replacing what I said before', () => {
    const state = stateWith([minutes(1, { signoffs: [signoff('p_me', 'Sam', 'agree')] })]);
    const pending = [ops.signMinutes(1, 'disagree', 'The date is wrong')];
    const [item] = describeMinutes(projectBoard(state, pending), 'p_me');
    assert.equal(item.pending, true);
    assert.deepEqual(item.mine, { participant_id: 'p_me', name: 'Sam', role: 'parent', stance: 'disagree', reason: 'The date is wrong', at: null });
    assert.deepEqual(item.agreed, []);
    assert.equal(item.minutes.signoffs.length, 1);
  });

  test('agreeing shows at once; agreed minutes take no guessed sign-off', () => {
    const state = stateWith([minutes(1)]);
    const [agreed] = describeMinutes(projectBoard(state, [ops.agreeMinutes(1)]), 'p_me');
    assert.equal(agreed.draft, false);
    const later = stateWith([minutes(1, { status: 'agreed' })]);
    const [item] = describeMinutes(projectBoard(later, [ops.signMinutes(1, 'agree', '')]), 'p_me');
    assert.equal(item.mine, null);
    assert.equal(item.pending, false);
  });

  test('minutes being taken make "Take minutes" wait', () => {
    assert.equal(takingMinutes([ops.takeMinutes('')]), true);
    assert.equal(takingMinutes([ops.agreeMinutes(1)]), false);
  });
});

describe('the decision', () => {
  test('comes with the board, changes as a whole, and my new one shows at once', () => {
    const decision = { outcome: 'continue', next_review: '2027-03-01', note: null, set_at: 'a', set_by: 'p_fac' };
    const state = new BoardState();
    state.applyState(boardPayload({ decision }));
    assert.deepEqual(state.decision, decision);
    state.applyChanges([{ entity: 'decision', id: 'decision', value: { ...decision, outcome: 'close' } }]);
    assert.equal(state.decision.outcome, 'close');
    const board = projectBoard(state, [ops.setDecision({ outcome: 'escalate', nextReview: '', note: 'More help' })]);
    assert.equal(board.pendingDecision, true);
    assert.equal(board.decision.outcome, 'escalate');
    assert.equal(board.decision.note, 'More help');
    assert.equal(state.decision.outcome, 'close'); // the server's copy is untouched
  });

  test('minutes entities are kept by number and replaced as a whole', () => {
    const state = stateWith([]);
    state.applyChanges([{ entity: 'minutes', id: '1', value: minutes(1) }]);
    state.applyChanges([{ entity: 'minutes', id: '1', value: minutes(1, { status: 'agreed' }) }]);
    assert.deepEqual([...state.minutes.keys()], ['1']);
    assert.equal(state.minutes.get('1').status, 'agreed');
  });
});
