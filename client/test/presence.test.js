import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editingNames, peopleHere } from '../src/presence.js';
import { BoardState } from '../src/state.js';
import { boardPayload } from './fixtures.js';

function state() {
  const s = new BoardState();
  s.applyState(boardPayload());
  s.applyChanges([
    { entity: 'participant', id: 'p_gran', value: { id: 'p_gran', name: 'Gran', role: 'network' } },
    { entity: 'participant', id: 'p_jo', value: { id: 'p_jo', name: 'Jo', role: 'facilitator' } },
  ]);
  return s;
}

test('peopleHere names each person once, with the role label, and marks me', () => {
  const online = [
    { participant_id: 'p_me', editing: null },
    { participant_id: 'p_gran', editing: null },
    { participant_id: 'p_gran', editing: 'c1' }, // Gran on a second device
  ];
  assert.deepEqual(peopleHere(state(), online), [
    { id: 'p_me', name: 'Sam', roleLabel: 'Parent or carer', isMe: true },
    { id: 'p_gran', name: 'Gran', roleLabel: 'Family, friend or support person', isMe: false },
  ]);
});

test('peopleHere keeps someone the board does not know yet, without a name', () => {
  assert.deepEqual(peopleHere(state(), [{ participant_id: 'p_new', editing: null }]), [
    { id: 'p_new', name: null, roleLabel: '', isMe: false },
  ]);
});

test('editingNames lists the others editing each card, never me', () => {
  const online = [
    { participant_id: 'p_me', editing: 'c1' },
    { participant_id: 'p_gran', editing: 'c1' },
    { participant_id: 'p_jo', editing: 'c1' },
    { participant_id: 'p_new', editing: 'c2' },
    { participant_id: 'p_jo', editing: null },
  ];
  const names = editingNames(state(), online);
  assert.deepEqual(names.get('c1'), ['Gran', 'Jo']);
  assert.deepEqual(names.get('c2'), ['Someone']);
  assert.equal(names.size, 2);
});
