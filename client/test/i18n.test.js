import assert from 'node:assert/strict';
import { test } from 'node:test';
import { andList, commaList, lang, locale, t, tc, tn } from '../src/i18n.js';

// Without a catalogue on the page (as here) every message is its English msgid.
test('a page without a catalogue speaks English', () => {
  assert.equal(lang(), 'en');
  assert.equal(locale(), 'en-GB');
  assert.equal(t('Save'), 'Save');
  assert.equal(tc('length of time', 'Minutes'), 'Minutes');
});

test('placeholders are filled from the params; unknown ones are left as they are', () => {
  assert.equal(t('said by {name}', { name: 'Gran' }), 'said by Gran');
  assert.equal(t('{name} and {name} again', { name: 'Sam' }), 'Sam and Sam again');
  assert.equal(t('set by {who}', { name: 'Gran' }), 'set by {who}');
  assert.equal(t('Step {number} of {count}', { number: 2, count: 9 }), 'Step 2 of 9');
  assert.equal(t('middle {value}', { value: 6.5 }), 'middle 6.5');
  assert.equal(t('{count} cards', { count: 1200 }), '1200 cards');
  assert.equal(t('No {braces} here'), 'No {braces} here');
});

test("English plurals: one for 1, the other for every other count, with {count} filled in", () => {
  assert.equal(tn('{count} card', '{count} cards', 1), '1 card');
  assert.equal(tn('{count} card', '{count} cards', 0), '0 cards');
  assert.equal(tn('{count} card', '{count} cards', 2), '2 cards');
  assert.equal(tn('{count} of {total} has answered', '{count} of {total} have answered', 3, { total: 5 }), '3 of 5 have answered');
});

test('lists of names in the language', () => {
  assert.equal(andList(['Sam']), 'Sam');
  assert.equal(andList(['Sam', 'Gran']), 'Sam and Gran');
  assert.equal(commaList(['Sam', 'Gran', 'Mo']), 'Sam, Gran, Mo');
});
