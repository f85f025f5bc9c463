import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pluralRule } from '../src/plural-rule.js';

// Each shipped language's rule exactly as Babel writes it into the catalogues
// (babel.messages.plurals.get_plural(code).plural_expr), and the form each count takes
// (as Python's gettext.c2py reads the same rule).
const COUNTS = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 19, 20, 21, 22, 25, 99, 100, 101, 102, 103, 111, 112, 114, 119, 120, 121, 122, 1000, 1002];
const RULES = {
  en: ['(n != 1)', [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
  cy: [
    '(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n == 3 ? 3 : n == 6 ? 4 : 5)',
    [0, 1, 2, 3, 5, 5, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
  ],
  pl: [
    'n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2',
    [2, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 1],
  ],
  ro: [
    '(n == 1 ? 0 : n == 0 || n != 1 && n % 100 >= 1 && n % 100 <= 19 ? 1 : 2)',
    [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1],
  ],
  ar: [
    '(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 && n % 100 <= 99 ? 4 : 5)',
    [0, 1, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5],
  ],
  ur: ['(n != 1)', [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
};

for (const [code, [expression, forms]] of Object.entries(RULES)) {
  test(`the ${code} plural rule gives each count its form`, () => {
    const rule = pluralRule(expression);
    assert.deepEqual(
      COUNTS.map((count) => rule(count)),
      forms,
    );
  });
}

test('the rule as gettext writes it elsewhere: no spaces, a trailing space, brackets', () => {
  const rule = pluralRule('(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2) ');
  assert.deepEqual([1, 2, 5, 12, 22, 25].map(rule), [0, 1, 2, 2, 1, 2]);
  assert.deepEqual([0, 1, 2].map(pluralRule('((((n))) > 1)')), [0, 0, 1]);
});

test("C's precedence and meaning: comparisons are 1 or 0, && before ||, ! binds tightest", () => {
  assert.equal(pluralRule('n == 1 == 1')(2), 0);
  assert.equal(pluralRule('1 || 0 && 0')(0), 1);
  assert.equal(pluralRule('(1 || 0) && 0')(0), 0);
  assert.equal(pluralRule('!n')(0), 1);
  assert.equal(pluralRule('!n == 0')(3), 1);
  assert.equal(pluralRule('!!n')(7), 1);
  assert.equal(pluralRule('n % 7 % 4')(13), 2);
  assert.equal(pluralRule('n > 2 ? n < 5 ? 1 : 2 : 0')(6), 2);
  assert.equal(pluralRule('n >= 2 != n <= 4')(9), 1);
  assert.equal(pluralRule('0 ? 1 : 2 ? 3 : 4')(0), 3);
});

test('a count is taken as a whole number of things', () => {
  const rule = pluralRule('n != 1');
  assert.equal(rule(1.5), 0);
  assert.equal(rule(-1), 0);
  assert.equal(rule(-2), 1);
});

test('anything outside the rules gettext writes is refused, never run', () => {
  for (const expression of [
    '',
    'n +1',
    'alert(1)',
    'n == 1 ? 0',
    '(n != 1',
    'n != 1)',
    'n = 1',
    'n & 1',
    'n ? : 1',
    '1 2',
    'constructor',
    'n; 1',
  ]) {
    assert.throws(() => pluralRule(expression), SyntaxError, expression);
  }
});
