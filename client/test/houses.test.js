import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { strokePath, strokePoints } from '../src/freehand.js';
import { housesOfChildren, myHouses } from '../src/houses.js';
import { BoardState } from '../src/state.js';
import { boardPayload } from './fixtures.js';

const AVA = { id: 'p_ava', name: 'Ava', role: 'child', age: 9 };
const MIA = { id: 'p_mia', name: 'Mia', role: 'child', age: null };
const item = (id, child, house, sharing, extra = {}) => ({
  id,
  child,
  house,
  sharing,
  words: `words of ${id}`,
  picture: null,
  strokes: null,
  card_id: null,
  created_at: `2026-11-27T09:0${id.at(-1)}:00.000Z`,
  ...extra,
});

function stateOf(me, { shared = [], unshared = [] } = {}) {
  const state = new BoardState();
  const payload = boardPayload({ me: { ...me, can: {} }, participants: [AVA, MIA] });
  payload.board.house_items = shared;
  payload.private_items = unshared;
  state.applyState(payload);
  return state;
}

describe('the three houses', () => {
  test('a child sees their own items in each house, shared or not, oldest first', () => {
    const state = stateOf(AVA, {
      shared: [item('i2', 'p_ava', 'worries', 'everyone'), item('i3', 'p_mia', 'worries', 'everyone')],
      unshared: [item('i1', 'p_ava', 'worries', 'nobody'), item('i4', 'p_ava', 'dreams', 'worker')],
    });
    const houses = myHouses(state, []);
    assert.deepEqual([...houses.keys()], ['worries', 'good_things', 'dreams']);
    assert.deepEqual(houses.get('worries').map((i) => i.id), ['i1', 'i2']);
    assert.deepEqual(houses.get('good_things'), []);
    assert.deepEqual(houses.get('dreams').map((i) => i.id), ['i4']);
  });

  test('pending adds, shares and removals show at once', () => {
    const state = stateOf(AVA, { unshared: [item('i1', 'p_ava', 'worries', 'nobody'), item('i2', 'p_ava', 'dreams', 'nobody')] });
    const pending = [
      { type: 'house.add', item_id: 'i_new', house: 'good_things', picture: '2600' },
      { type: 'house.share', item_id: 'i1', sharing: 'everyone' },
      { type: 'house.remove', item_id: 'i2' },
    ];
    const houses = myHouses(state, pending);
    const added = houses.get('good_things')[0];
    assert.equal(added.id, 'i_new');
    assert.equal(added.sharing, 'nobody'); // nobody yet, as the server does
    assert.equal(added.picture, '2600');
    assert.ok(added.pending);
    assert.equal(houses.get('worries')[0].sharing, 'everyone');
    assert.deepEqual(houses.get('dreams'), []);
  });

  test('the board groups each child\'s shared items, and a worker\'s panel only "my worker" ones', () => {
    const state = stateOf(
      { id: 'p_fac', name: 'Fay', role: 'facilitator' },
      {
        shared: [item('i1', 'p_ava', 'worries', 'everyone'), item('i2', 'p_mia', 'dreams', 'everyone')],
        unshared: [item('i3', 'p_ava', 'good_things', 'worker')],
      },
    );
    const shared = housesOfChildren(state, 'shared');
    assert.deepEqual(shared.map(({ child }) => child.name), ['Ava', 'Mia']);
    assert.deepEqual(shared[0].houses.get('worries').map((i) => i.id), ['i1']);
    const worker = housesOfChildren(state, 'worker');
    assert.deepEqual(worker.map(({ child }) => child.name), ['Ava']);
    assert.deepEqual(worker[0].houses.get('good_things').map((i) => i.id), ['i3']);
  });

  test('applied house_item changes come and go; an older private list does not replace a newer', () => {
    const state = stateOf(AVA);
    state.applyEvent({ seq: 2, changes: [{ entity: 'house_item', id: 'i1', value: item('i1', 'p_ava', 'worries', 'everyone') }] });
    assert.deepEqual([...state.houseItems.keys()], ['i1']);
    state.applyEvent({ seq: 3, changes: [{ entity: 'house_item', id: 'i1', deleted: true }] });
    assert.equal(state.houseItems.size, 0);
    state.applyPrivateItems(5, [item('i1', 'p_ava', 'worries', 'nobody')]);
    state.applyPrivateItems(4, []);
    assert.deepEqual(state.privateItems.map((i) => i.id), ['i1']);
  });
});

describe('drawings', () => {
  test('strokes of numbers become path data of numbers only', () => {
    assert.deepEqual(strokePoints([1, 2, 3, 4]), [[1, 2], [3, 4]]);
    const d = strokePath([100, 100, 200, 200, 300, 250]);
    assert.match(d, /^M[0-9. Q-]+Z$/);
  });

  test('a single point is still drawn', () => {
    assert.match(strokePath([500, 500]), /^M/);
  });
});
