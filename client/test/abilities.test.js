import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abilities } from '../src/abilities.js';

const open = { status: 'open' };
const locked = { status: 'locked' };
const mine = { author: 'p1' };
const theirs = { author: 'p2' };

const cases = [
  { role: 'parent', meeting: open, contribute: true, mine: true, theirs: false },
  { role: 'facilitator', meeting: open, contribute: true, mine: true, theirs: true },
  { role: 'viewer', meeting: open, contribute: false, mine: false, theirs: false },
  { role: 'parent', meeting: locked, contribute: false, mine: false, theirs: false },
  { role: 'facilitator', meeting: locked, contribute: false, mine: false, theirs: false },
  { role: 'child', meeting: { status: 'closed' }, contribute: false, mine: false, theirs: false },
];

for (const row of cases) {
  test(`abilities: ${row.role} in a ${row.meeting.status} meeting`, () => {
    const can = abilities({ id: 'p1', role: row.role }, row.meeting);
    assert.equal(can.contribute, row.contribute);
    assert.equal(can.changeCard(mine), row.mine);
    assert.equal(can.changeCard(theirs), row.theirs);
    assert.equal(can.isFacilitator, row.role === 'facilitator');
  });
}

test('abilities: nothing before the page knows who I am', () => {
  const can = abilities(null, open);
  assert.equal(can.contribute, false);
  assert.equal(can.changeCard(mine), false);
});
