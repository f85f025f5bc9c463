import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitShortcut, WITHIN_MS } from '../src/exit-shortcut.js';

function shortcut() {
  const heard = [];
  let clock = 1_000;
  const keys = new ExitShortcut({
    onProgress: (left) => heard.push(left),
    onExit: () => heard.push('exit'),
    now: () => clock,
  });
  const press = (key, { after = 100, shift = false } = {}) => {
    clock += after;
    if (shift) keys.keydown({ key: 'Shift' });
    keys.keydown({ key });
    keys.keyup({ key });
    if (shift) keys.keyup({ key: 'Shift' });
  };
  return { keys, heard, press };
}

test('Shift pressed 3 times leaves, saying how many presses are left before', () => {
  const { heard, press } = shortcut();
  press('Shift');
  press('Shift');
  press('Shift');
  assert.deepEqual(heard, [2, 1, 'exit']);
});

test('Shift held for capital letters, or another key between, does not count', () => {
  const { heard, press } = shortcut();
  press('Shift');
  press('A', { shift: true });
  press('Shift');
  press('b');
  press('Shift');
  press('Shift');
  assert.deepEqual(heard, [2, 2, 2, 1]);
});

test('more than 5 seconds from the first press starts again', () => {
  const { keys, heard, press } = shortcut();
  press('Shift');
  press('Shift');
  press('Shift', { after: WITHIN_MS });
  assert.deepEqual(heard, [2, 1, 2]);
  keys.expire();
  assert.deepEqual(heard, [2, 1, 2, 0]);
  press('Shift');
  press('Shift');
  press('Shift');
  assert.deepEqual(heard.slice(4), [2, 1, 'exit']);
});

test('a held Shift repeating counts once', () => {
  const { keys, heard } = shortcut();
  keys.keydown({ key: 'Shift' });
  keys.keydown({ key: 'Shift', repeat: true });
  keys.keydown({ key: 'Shift', repeat: true });
  keys.keyup({ key: 'Shift' });
  assert.deepEqual(heard, [2]);
});
