import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ops from '../src/ops.js';

const SERVER_ID = /^[A-Za-z0-9_-]{1,64}$/; // the server's id check

const cases = [
  {
    name: 'card.add with a client-chosen card id, "Who said it?" optional',
    op: ops.addCard({ section: 'harm', text: 'Hi', attributedTo: '', after: 'c_1' }),
    fields: { type: 'card.add', section: 'harm', text: 'Hi', attributed_to: null, after: 'c_1' },
  },
  {
    name: 'card.edit sends both fields; an empty "Who said it?" clears it',
    op: ops.editCard('c_1', { text: 'New', attributedTo: '' }),
    fields: { type: 'card.edit', card_id: 'c_1', text: 'New', attributed_to: null },
  },
  {
    name: 'card.add in a timed section: who will do it and by when, empty ones are none',
    op: ops.addCard({ section: 'plan_rules', text: 'Hi', attributedTo: '', owner: 'Sam', due: '', after: null }),
    fields: { type: 'card.add', section: 'plan_rules', text: 'Hi', attributed_to: null, owner: 'Sam', due: null, after: null },
  },
  {
    name: 'card.edit in a timed section sends who and when too (empty clears)',
    op: ops.editCard('c_1', { text: 'New', attributedTo: 'Gran', owner: '', due: '2027-01-31' }),
    fields: { type: 'card.edit', card_id: 'c_1', text: 'New', attributed_to: 'Gran', owner: null, due: '2027-01-31' },
  },
  {
    name: 'card.move to the top',
    op: ops.moveCard('c_1', 'goals', undefined),
    fields: { type: 'card.move', card_id: 'c_1', section: 'goals', after: null },
  },
  { name: 'card.react clears with null', op: ops.reactToCard('c_1', null), fields: { type: 'card.react', card_id: 'c_1', stance: null } },
  { name: 'card.delete', op: ops.deleteCard('c_1'), fields: { type: 'card.delete', card_id: 'c_1' } },
  { name: 'card.restore', op: ops.restoreCard('c_1'), fields: { type: 'card.restore', card_id: 'c_1' } },
  { name: 'meeting.edit', op: ops.editMeeting({ vocabulary: 'wellbeing' }), fields: { type: 'meeting.edit', vocabulary: 'wellbeing' } },
  { name: 'meeting.lock', op: ops.lockMeeting(), fields: { type: 'meeting.lock' } },
  { name: 'meeting.unlock', op: ops.unlockMeeting(), fields: { type: 'meeting.unlock' } },
  { name: 'meeting.close', op: ops.closeMeeting(), fields: { type: 'meeting.close' } },
  {
    name: 'participant.remove',
    op: ops.removeParticipant('p_gran'),
    fields: { type: 'participant.remove', participant_id: 'p_gran' },
  },
  {
    name: 'participant.rename',
    op: ops.renameMe('Fay, social worker'),
    fields: { type: 'participant.rename', name: 'Fay, social worker' },
  },
  {
    name: 'meeting.edit sets the worry threshold',
    op: ops.editMeeting({ worry_threshold: 3 }),
    fields: { type: 'meeting.edit', worry_threshold: 3 },
  },
  {
    name: 'scale.edit sends all three words',
    op: ops.editScale('s_1', { question: 'Q', lowLabel: 'L', highLabel: 'H' }),
    fields: { type: 'scale.edit', scale_id: 's_1', question: 'Q', low_label: 'L', high_label: 'H' },
  },
  { name: 'scale.delete', op: ops.deleteScale('s_1'), fields: { type: 'scale.delete', scale_id: 's_1' } },
  { name: 'round.open', op: ops.openRound('s_1'), fields: { type: 'round.open', scale_id: 's_1' } },
  { name: 'round.reveal', op: ops.revealRound('s_1'), fields: { type: 'round.reveal', scale_id: 's_1' } },
  {
    name: 'vote.cast: my own number, an empty reason is none',
    op: ops.castVote({ scaleId: 's_1', value: 0, reason: '' }),
    fields: { type: 'vote.cast', scale_id: 's_1', value: 0, reason: null },
  },
  {
    name: 'vote.cast for someone without a device',
    op: ops.castVote({ scaleId: 's_1', value: 6, reason: 'why', onBehalfOf: { name: 'Gran', role: 'network' } }),
    fields: { type: 'vote.cast', scale_id: 's_1', value: 6, reason: 'why', on_behalf_of: { name: 'Gran', role: 'network' } },
  },
  {
    name: 'decision.set: an empty date and note are none',
    op: ops.setDecision({ outcome: 'continue', nextReview: '', note: '' }),
    fields: { type: 'decision.set', outcome: 'continue', next_review: null, note: null },
  },
  {
    name: 'decision.set with a review date and a note',
    op: ops.setDecision({ outcome: 'step_down', nextReview: '2027-03-01', note: 'Well done' }),
    fields: { type: 'decision.set', outcome: 'step_down', next_review: '2027-03-01', note: 'Well done' },
  },
  { name: 'minutes.take without a label', op: ops.takeMinutes(''), fields: { type: 'minutes.take', label: null } },
  { name: 'minutes.take with a label', op: ops.takeMinutes('End of meeting'), fields: { type: 'minutes.take', label: 'End of meeting' } },
  {
    name: 'minutes.sign: agree, no reason',
    op: ops.signMinutes(1, 'agree', ''),
    fields: { type: 'minutes.sign', minutes: 1, stance: 'agree', reason: null },
  },
  {
    name: 'minutes.sign: disagree with a reason',
    op: ops.signMinutes(2, 'disagree', 'Dad was not asked'),
    fields: { type: 'minutes.sign', minutes: 2, stance: 'disagree', reason: 'Dad was not asked' },
  },
  { name: 'minutes.agree', op: ops.agreeMinutes(1), fields: { type: 'minutes.agree', minutes: 1 } },
];

for (const row of cases) {
  test(`ops: ${row.name}`, () => {
    const { id, card_id: cardId, ...rest } = row.op;
    assert.match(id, SERVER_ID);
    assert.ok(id.startsWith('o_'));
    if (row.fields.card_id) assert.equal(cardId, row.fields.card_id);
    const { card_id: _expectedCardId, ...expected } = row.fields;
    assert.deepEqual(rest, expected);
  });
}

test('ops: a new card gets its own id, and every op a fresh id', () => {
  const a = ops.addCard({ section: 'harm', text: 'a' });
  const b = ops.addCard({ section: 'harm', text: 'b' });
  assert.match(a.card_id, SERVER_ID);
  assert.ok(a.card_id.startsWith('c_'));
  assert.notEqual(a.card_id, b.card_id);
  assert.notEqual(a.id, b.id);
});

test('ops: a new scale gets its own id and says which worry it is about', () => {
  const op = ops.addScale({ question: 'Q', lowLabel: 'L', highLabel: 'H', cardId: 'c_1' });
  const { id, scale_id: scaleId, ...rest } = op;
  assert.match(id, SERVER_ID);
  assert.match(scaleId, SERVER_ID);
  assert.ok(scaleId.startsWith('s_'));
  assert.deepEqual(rest, { type: 'scale.add', question: 'Q', low_label: 'L', high_label: 'H', card_id: 'c_1' });
  assert.equal(ops.addScale({ question: 'Q', lowLabel: 'L', highLabel: 'H' }).card_id, null);
});
