import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abilities } from '../src/abilities.js';
import { TEMPLATE } from './fixtures.js';

// what each meeting status allows, as the server sends it
const STATUSES = TEMPLATE.statuses;

const open = { status: 'open' };
const locked = { status: 'locked' };
const mine = { author: 'p1' };
const theirs = { author: 'p2' };
// `me.can` as the server sends it for each kind of role
const PARTICIPANT = { edit_board: true, edit_any_card: false, run_meeting: false };
const FACILITATOR = { edit_board: true, edit_any_card: true, run_meeting: true };
const VIEWER = { edit_board: false, edit_any_card: false, run_meeting: false };

const cases = [
  { who: 'a participant', can: PARTICIPANT, meeting: open, contribute: true, mine: true, theirs: false, run: false, scales: false },
  { who: 'the facilitator', can: FACILITATOR, meeting: open, contribute: true, mine: true, theirs: true, run: true, scales: true },
  { who: 'a viewer', can: VIEWER, meeting: open, contribute: false, mine: false, theirs: false, run: false, scales: false },
  { who: 'a participant', can: PARTICIPANT, meeting: locked, contribute: false, mine: false, theirs: false, run: false, scales: false },
  { who: 'the facilitator', can: FACILITATOR, meeting: locked, contribute: false, mine: false, theirs: false, run: true, scales: false },
  { who: 'a participant', can: PARTICIPANT, meeting: { status: 'closed' }, contribute: false, mine: false, theirs: false, run: false, scales: false },
];

for (const row of cases) {
  test(`abilities: ${row.who} in a ${row.meeting.status} meeting`, () => {
    const can = abilities({ id: 'p1', can: row.can }, row.meeting, STATUSES);
    assert.equal(can.contribute, row.contribute);
    assert.equal(can.changeCard(mine), row.mine);
    assert.equal(can.changeCard(theirs), row.theirs);
    assert.equal(can.runMeeting, row.run);
    assert.equal(can.runScales, row.scales);
    assert.equal(can.vote, row.contribute); // everyone who may change the board may vote
  });
}

const minutesCases = [
  { who: 'a participant', can: PARTICIPANT, status: 'open', decide: false, keep: false, sign: true, review: false },
  { who: 'a participant', can: PARTICIPANT, status: 'locked', decide: false, keep: false, sign: true, review: false },
  { who: 'a participant', can: PARTICIPANT, status: 'closed', decide: false, keep: false, sign: false, review: false },
  { who: 'a viewer', can: VIEWER, status: 'open', decide: false, keep: false, sign: false, review: false },
  { who: 'the facilitator', can: FACILITATOR, status: 'open', decide: true, keep: true, sign: true, review: true },
  // a paused board still takes, signs and agrees minutes, but the decision is part of the board
  { who: 'the facilitator', can: FACILITATOR, status: 'locked', decide: false, keep: true, sign: true, review: true },
  { who: 'the facilitator', can: FACILITATOR, status: 'closed', decide: false, keep: false, sign: false, review: true },
];

for (const row of minutesCases) {
  test(`abilities: the decision and minutes for ${row.who} in a ${row.status} meeting`, () => {
    const can = abilities({ id: 'p1', can: row.can }, { status: row.status }, STATUSES);
    assert.equal(can.decide, row.decide);
    assert.equal(can.finishMeeting, row.keep);
    assert.equal(can.signMinutes, row.sign);
    assert.equal(can.startReview, row.review);
  });
}

const lookAfterCases = [
  { who: 'the facilitator', can: FACILITATOR, status: 'open', ended: false, lookAfter: true, change: true },
  // pausing changes does not stop links being made or turned off, or someone being taken out
  { who: 'the facilitator', can: FACILITATOR, status: 'locked', ended: false, lookAfter: true, change: false },
  { who: 'the facilitator', can: FACILITATOR, status: 'closed', ended: false, lookAfter: false, change: false },
  { who: 'a participant', can: PARTICIPANT, status: 'open', ended: false, lookAfter: false, change: false },
  { who: 'a viewer', can: VIEWER, status: 'open', ended: false, lookAfter: false, change: false },
];
for (const row of lookAfterCases) {
  test(`abilities: looking after the meeting, for ${row.who} in a ${row.status} meeting`, () => {
    const can = abilities({ id: 'p1', can: row.can }, { status: row.status }, STATUSES, { ended: row.ended });
    assert.equal(can.lookAfter, row.lookAfter);
    // the title and words change only while changes are allowed
    assert.equal(can.changeMeeting, row.change);
  });
}

// Taken out of the meeting, their link turned off, or the meeting ended: the board stays on
// screen and nothing on it can be changed.
for (const [who, role] of [['a participant', PARTICIPANT], ['the facilitator', FACILITATOR]]) {
  test(`abilities: ${who} whose session ended can change nothing`, () => {
    const can = abilities({ id: 'p1', can: role }, open, STATUSES, { ended: true });
    for (const ability of ['contribute', 'runScales', 'vote', 'decide', 'finishMeeting', 'signMinutes', 'lookAfter', 'changeMeeting']) {
      assert.equal(can[ability], false, ability);
    }
    assert.equal(can.changeCard(mine), false);
    assert.equal(can.changeCard(theirs), false);
  });
}

test('abilities: after the end the facilitator keeps the panel (links, Activity) and the review', () => {
  const can = abilities({ id: 'p1', can: FACILITATOR }, { status: 'closed' }, STATUSES, { ended: true });
  assert.equal(can.runMeeting, true);
  assert.equal(can.startReview, true);
});

test('abilities: nothing before the page knows who I am', () => {
  const can = abilities(null, open, STATUSES);
  assert.equal(can.contribute, false);
  assert.equal(can.changeCard(mine), false);
  assert.equal(can.runMeeting, false);
  assert.equal(can.runScales, false);
  assert.equal(can.vote, false);
  assert.equal(can.signMinutes, false);
});
