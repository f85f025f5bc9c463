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
