import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { textDirection } from '../src/direction.js';
import { t, tn } from '../src/i18n.js';

describe('textDirection', () => {
  test('the first letter says which way words read, as dir="auto" does', () => {
    assert.equal(textDirection('الجدة تمشي معهم'), 'rtl');
    assert.equal(textDirection('اردو میں'), 'rtl');
    assert.equal(textDirection('שלום'), 'rtl');
    assert.equal(textDirection('Babcia odprowadza'), 'ltr');
    assert.equal(textDirection('Ćma'), 'ltr');
    assert.equal(textDirection('12, الجدة Gran'), 'rtl');
    assert.equal(textDirection('(7) Gran الجدة'), 'ltr');
  });

  test('words without a letter have no direction of their own', () => {
    assert.equal(textDirection('10'), null);
    assert.equal(textDirection('– 3 ·'), null);
    assert.equal(textDirection(''), null);
    assert.equal(textDirection(undefined), null);
  });
});

describe('words filled into a sentence', () => {
  test('right-to-left words are isolated from the sentence they are put in, as <bdi> does', () => {
    assert.equal(t('said by {name}', { name: 'الجدة' }), 'said by \u2068الجدة\u2069');
    assert.equal(tn('{count} card by {name}', '{count} cards by {name}', 2, { name: 'سام' }), '2 cards by \u2068سام\u2069');
  });

  test('on a left-to-right page, left-to-right words and numbers go in as they are', () => {
    assert.equal(t('said by {name}', { name: 'Gran' }), 'said by Gran');
    assert.equal(tn('{count} card', '{count} cards', 1), '1 card');
  });
});
