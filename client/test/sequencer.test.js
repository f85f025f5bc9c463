import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sequencer } from '../src/sequencer.js';

const ev = (seq) => ({ seq, changes: [] });
const seqs = (events) => events.map((e) => e.seq);

const cases = [
  { name: 'in order: each applies at once', start: 0, arrive: [1, 2, 3], released: [[1], [2], [3]], gap: false },
  { name: 'early one waits for its predecessor', start: 0, arrive: [2, 1], released: [[], [1, 2]], gap: false },
  { name: 'a missing one leaves a gap', start: 0, arrive: [1, 3], released: [[1], []], gap: true, seq: 1 },
  { name: 'old and repeated ones are dropped', start: 5, arrive: [4, 5, 6, 6], released: [[], [], [6], []], gap: false },
  { name: 'several early ones flush together', start: 10, arrive: [13, 12, 11], released: [[], [], [11, 12, 13]], gap: false, seq: 13 },
];

for (const row of cases) {
  test(`Sequencer: ${row.name}`, () => {
    const sequencer = new Sequencer(row.start);
    const released = row.arrive.map((seq) => seqs(sequencer.accept(ev(seq))));
    assert.deepEqual(released, row.released);
    assert.equal(sequencer.hasGap, row.gap);
    if (row.seq !== undefined) assert.equal(sequencer.seq, row.seq);
  });
}

test('Sequencer.reset drops buffered events the new board already holds', () => {
  const sequencer = new Sequencer(0);
  sequencer.accept(ev(3));
  sequencer.accept(ev(6));
  sequencer.reset(4);
  assert.equal(sequencer.hasGap, true); // 6 still waits for 5
  assert.deepEqual(seqs(sequencer.accept(ev(5))), [5, 6]);
  assert.equal(sequencer.hasGap, false);
});

test('Sequencer: a server further on than what arrived is a gap until it is filled', () => {
  const sequencer = new Sequencer(4);
  sequencer.serverAt(4);
  assert.equal(sequencer.hasGap, false);
  sequencer.serverAt(6);
  assert.equal(sequencer.hasGap, true);
  sequencer.accept(ev(5));
  assert.equal(sequencer.hasGap, true);
  sequencer.accept(ev(6));
  assert.equal(sequencer.hasGap, false);
  sequencer.serverAt(3); // an old heartbeat changes nothing
  sequencer.serverAt('7'); // nor a malformed one
  assert.equal(sequencer.hasGap, false);
});

test('Sequencer.reset to a whole board at the server seq closes the gap', () => {
  const sequencer = new Sequencer(2);
  sequencer.serverAt(9);
  sequencer.reset(9);
  assert.equal(sequencer.hasGap, false);
});
