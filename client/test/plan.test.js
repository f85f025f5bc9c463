import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cardChanges, columnsOf, isOverdue, timedSections } from '../src/plan.js';
import { card, TEMPLATE } from './fixtures.js';

const TIMED = new Set(['next_steps', 'plan_rules']);
const REVIEW = { kind: 'review' };

describe('the plan beside the map', () => {
  test('columns are split by view; a column without one is on the map', () => {
    const template = { columns: [{ key: 'worries' }, { key: 'plan', view: 'plan' }, { key: 'needs_to_happen', view: 'map' }] };
    assert.deepEqual(columnsOf(template, 'map').map((c) => c.key), ['worries', 'needs_to_happen']);
    assert.deepEqual(columnsOf(template, 'plan').map((c) => c.key), ['plan']);
    assert.deepEqual([...timedSections(TEMPLATE)], TEMPLATE.timed_sections);
  });

  const overdue = [
    { name: 'a plan step whose day has passed, in a review', card: { section: 'plan_rules', due: '2027-01-04' }, meeting: REVIEW, expected: true },
    { name: 'a next step due today is not overdue', card: { section: 'next_steps', due: '2027-01-05' }, meeting: REVIEW, expected: false },
    { name: 'a step due later', card: { section: 'next_steps', due: '2027-02-01' }, meeting: REVIEW, expected: false },
    { name: 'a step without a day', card: { section: 'next_steps', due: null }, meeting: REVIEW, expected: false },
    { name: 'not in a first meeting', card: { section: 'plan_rules', due: '2020-01-01' }, meeting: { kind: 'initial' }, expected: false },
    { name: 'not outside the timed sections', card: { section: 'harm', due: '2020-01-01' }, meeting: REVIEW, expected: false },
  ];
  for (const row of overdue) {
    test(`overdue: ${row.name}`, () => {
      assert.equal(isOverdue(row.card, row.meeting, TIMED, '2027-01-05'), row.expected);
    });
  }

  const edits = [
    {
      name: 'nothing changed: nothing to send',
      card: card('c1', 'harm', 'V', { text: 'Hi', attributed_to: null }),
      draft: { text: 'Hi', attributedTo: '' },
      expected: null,
    },
    {
      name: 'new words',
      card: card('c1', 'harm', 'V', { text: 'Hi' }),
      draft: { text: 'Hello', attributedTo: '' },
      expected: { text: 'Hello', attributedTo: '' },
    },
    {
      name: 'only who will do it changed, in a timed section',
      card: card('c1', 'plan_rules', 'V', { text: 'Hi', owner: 'Sam', due: '2027-01-05' }),
      draft: { text: 'Hi', attributedTo: '', owner: 'Gran', due: '2027-01-05' },
      expected: { text: 'Hi', attributedTo: '', owner: 'Gran', due: '2027-01-05' },
    },
    {
      name: 'the same who and when: nothing to send',
      card: card('c1', 'plan_rules', 'V', { text: 'Hi', owner: null, due: null }),
      draft: { text: 'Hi', attributedTo: '', owner: '', due: '' },
      expected: null,
    },
    {
      name: 'moved out of the plan meanwhile: the words go, who and when do not',
      card: card('c1', 'harm', 'V', { text: 'Hi' }),
      draft: { text: 'Hello', attributedTo: '', owner: 'Sam', due: '2027-01-05' },
      expected: { text: 'Hello', attributedTo: '' },
    },
  ];
  for (const row of edits) {
    test(`saving an edit: ${row.name}`, () => {
      assert.deepEqual(cardChanges(row.card, row.draft, TIMED), row.expected);
    });
  }
});
