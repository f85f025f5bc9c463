import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpQueue } from '../src/op-queue.js';
import { memoryStorage } from './fixtures.js';

test('OpQueue keeps order and survives a reload through storage', () => {
  const storage = memoryStorage();
  const queue = new OpQueue(storage, 'k');
  queue.add({ id: 'o1', type: 'card.add' });
  queue.add({ id: 'o2', type: 'card.edit' });
  const reloaded = new OpQueue(storage, 'k');
  assert.deepEqual(reloaded.list().map((op) => op.id), ['o1', 'o2']);
  assert.equal(reloaded.first().id, 'o1');
});

test('OpQueue.remove forgets one op, and an empty queue leaves nothing stored', () => {
  const storage = memoryStorage();
  const queue = new OpQueue(storage, 'k');
  queue.add({ id: 'o1' });
  queue.add({ id: 'o2' });
  queue.remove('o1');
  assert.deepEqual(queue.list().map((op) => op.id), ['o2']);
  assert.equal(queue.has('o1'), false);
  queue.remove('o2');
  assert.equal(storage.items.has('k'), false);
});

test('OpQueue.clear forgets every op, here and in storage', () => {
  const storage = memoryStorage();
  const queue = new OpQueue(storage, 'k');
  queue.add({ id: 'o1' });
  queue.add({ id: 'o2' });
  queue.clear();
  assert.equal(queue.length, 0);
  assert.equal(storage.items.has('k'), false);
  assert.equal(new OpQueue(storage, 'k').length, 0);
});

const badStorage = [
  { name: 'not JSON', value: '{oops' },
  { name: 'not a list', value: '{"id": "o1"}' },
  { name: 'entries without ids', value: '[1, null, {"id": "o1"}]', expected: ['o1'] },
];
for (const row of badStorage) {
  test(`OpQueue ignores stored data that is ${row.name}`, () => {
    const queue = new OpQueue(memoryStorage({ k: row.value }), 'k');
    assert.deepEqual(queue.list().map((op) => op.id), row.expected ?? []);
  });
}

test('OpQueue still works in memory when storage throws', () => {
  const throwing = {
    getItem: () => null,
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: () => {},
  };
  const queue = new OpQueue(throwing, 'k');
  queue.add({ id: 'o1' });
  assert.equal(queue.length, 1);
});
