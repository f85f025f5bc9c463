import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editingNames, peopleHere, peopleInMeeting } from '../src/presence.js';
import { BoardState } from '../src/state.js';
import { boardPayload } from './fixtures.js';

function state({ removed = [] } = {}) {
  const s = new BoardState();
  s.applyState(boardPayload({ participants: [{ id: 'p_me', name: 'Sam', role: 'parent', joined_at: '2026-11-27T09:00:00Z' }] }));
  s.applyChanges([
    { entity: 'participant', id: 'p_jo', value: { id: 'p_jo', name: 'Jo', role: 'facilitator', joined_at: '2026-11-27T08:55:00Z' } },
    { entity: 'participant', id: 'p_gran', value: { id: 'p_gran', name: 'Gran', role: 'network', joined_at: '2026-11-27T09:05:00Z' } },
  ]);
  for (const id of removed) {
    s.applyChanges([{ entity: 'participant', id, value: { ...s.participants.get(id), removed: true } }]);
  }
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

test('someone taken out of the meeting is not listed as here, even while their socket lingers', () => {
  const online = [
    { participant_id: 'p_me', editing: null },
    { participant_id: 'p_gran', editing: 'c1' },
  ];
  const removed = state({ removed: ['p_gran'] });
  assert.deepEqual(peopleHere(removed, online).map((p) => p.id), ['p_me']);
  assert.equal(editingNames(removed, online).size, 0);
});

test('peopleInMeeting: everyone who joined, in the order they joined, here or not; not those taken out', () => {
  const online = [{ participant_id: 'p_gran', editing: null }, { participant_id: 'p_me', editing: null }];
  assert.deepEqual(peopleInMeeting(state(), online), [
    { id: 'p_jo', name: 'Jo', roleLabel: 'Facilitator', role: 'facilitator', unconfirmed: false, correctable: false, here: false, isMe: false, language: null },
    { id: 'p_me', name: 'Sam', roleLabel: 'Parent or carer', role: 'parent', unconfirmed: false, correctable: true, here: true, isMe: true, language: null },
    { id: 'p_gran', name: 'Gran', roleLabel: 'Family, friend or support person', role: 'network', unconfirmed: false, correctable: true, here: true, isMe: false, language: null },
  ]);
  assert.deepEqual(peopleInMeeting(state({ removed: ['p_gran'] }), online).map((p) => p.id), ['p_jo', 'p_me']);
});

test("someone's own language is named where it is not the meeting's", () => {
  const s = state();
  s.applyChanges([{ entity: 'participant', id: 'p_gran', value: { ...s.participants.get('p_gran'), language: 'pl' } }]);
  const languages = () => peopleInMeeting(s, []).map((p) => [p.id, p.language]);
  assert.deepEqual(languages(), [['p_jo', null], ['p_me', null], ['p_gran', 'Polski']]);
  s.applyChanges([{ entity: 'meeting', id: s.meeting.id, value: { ...s.meeting, language: 'pl' } }]);
  assert.deepEqual(languages(), [['p_jo', null], ['p_me', null], ['p_gran', null]]);
});

test('someone who says they are a worker is shown so, here and in the meeting, until confirmed', () => {
  const s = state();
  const kim = { id: 'p_kim', name: 'Kim', role: 'professional', joined_at: '2026-11-27T09:06:00Z', unconfirmed: true };
  s.applyChanges([{ entity: 'participant', id: 'p_kim', value: kim }]);
  const online = [{ participant_id: 'p_kim', editing: null }];
  assert.equal(peopleHere(s, online)[0].roleLabel, 'Says they are a worker');
  const listed = peopleInMeeting(s, online).find((p) => p.id === 'p_kim');
  assert.deepEqual([listed.roleLabel, listed.unconfirmed, listed.correctable], ['Says they are a worker', true, true]);
  s.applyChanges([{ entity: 'participant', id: 'p_kim', value: { ...kim, unconfirmed: false } }]);
  assert.equal(peopleHere(s, online)[0].roleLabel, 'Worker (school, health, social care...)');
});
