import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cardSentences, whatToRead } from '../src/read-aloud.js';
import { chooseVoice } from '../src/speech.js';
import { card, TEMPLATE } from './fixtures.js';

// A board as projection.js makes it: cards by id, each section's order.
function boardOf(cards, vocabulary = 'safety') {
  const order = new Map();
  for (const c of cards) order.set(c.section, [...(order.get(c.section) ?? []), c.id]);
  return { cards: new Map(cards.map((c) => [c.id, c])), order, meeting: { vocabulary } };
}

const model = (cards, extra = {}) => ({ template: TEMPLATE, board: boardOf(cards), scales: [], ...extra });

describe('what is read aloud', () => {
  test('a card: its words, then who said it', () => {
    assert.deepEqual(cardSentences(card('c1', 'strengths', 'a', { text: 'Gran takes Ava to school', attributed_to: 'Gran' }), TEMPLATE), [
      'Gran takes Ava to school',
      'said by Gran',
    ]);
    assert.deepEqual(cardSentences(card('c2', 'bottom_lines', 'a', { text: 'No hitting', attributed_to: 'The council' }), TEMPLATE), [
      'No hitting',
      'set by The council',
    ]);
  });

  test('"Read this column": the heading, its question, then each part and its cards in order', () => {
    const cards = [
      card('c1', 'strengths', 'a', { text: 'Gran takes Ava to school', attributed_to: 'Gran' }),
      card('c2', 'strengths', 'b', { text: 'Dad cooks on Sundays' }),
      card('c3', 'safety', 'a', { text: 'Ava knows who to call', attributed_to: 'Ava' }),
    ];
    assert.deepEqual(whatToRead({ read: 'column', target: 'working_well' }, model(cards)), [
      "What's working well?",
      'What is going well already? Who helps? What keeps the children safe now?',
      'Existing strengths',
      'Gran takes Ava to school',
      'said by Gran',
      'Dad cooks on Sundays',
      'Existing safety',
      'Ava knows who to call',
      'said by Ava',
    ]);
  });

  test('a part with nothing in it says so; the meeting\'s words name the parts', () => {
    const sentences = whatToRead(
      { read: 'column', target: 'working_well' },
      { template: TEMPLATE, board: boardOf([], 'wellbeing'), scales: [] },
    );
    assert.deepEqual(sentences.slice(2), ['Existing strengths', 'Nothing here yet.', 'Existing wellbeing', 'Nothing here yet.']);
  });

  test('"Read our plan": the plan\'s columns with who will do each step and by when, and nothing of the map', () => {
    const cards = [
      card('c1', 'plan_rules', 'a', { text: 'Gran picks Ava up on Mondays', owner: 'Gran', due: '2027-03-01' }),
      card('c2', 'strengths', 'a', { text: 'Not in the plan' }),
    ];
    const sentences = whatToRead({ read: 'plan' }, model(cards));
    assert.equal(sentences[0], 'Our plan');
    assert.deepEqual(sentences.slice(2, 6), [
      'What we will do to keep the children safe',
      'Gran picks Ava up on Mondays',
      'Who: Gran',
      'By: 1 March 2027',
    ]);
    assert.ok(!sentences.includes('Not in the plan'));
    assert.ok(!sentences.includes("What's working well?"));
  });

  test('a scale: its question, its worry and what 0 and 10 mean', () => {
    const worry = card('c1', 'danger', 'a', { text: 'Ava could be hurt' });
    const scale = { id: 's1', question: 'How safe is Ava?', low_label: 'not safe at all', high_label: 'completely safe' };
    assert.deepEqual(whatToRead({ read: 'scale', target: 's1' }, model([worry], { scales: [{ scale, card: worry }] })), [
      'How safe is Ava?',
      'About this worry: Ava could be hurt',
      '0 means not safe at all.',
      '10 means completely safe.',
    ]);
  });

  test("a line of the family's own plan: its words", () => {
    const familyTime = { items: [{ id: 'f1', text: 'Gran will come on Fridays' }] };
    assert.deepEqual(whatToRead({ read: 'family-item', target: 'f1' }, model([], { familyTime })), ['Gran will come on Fridays']);
    assert.deepEqual(whatToRead({ read: 'family-item', target: 'gone' }, model([], { familyTime })), []);
  });

  test('something gone meanwhile reads nothing', () => {
    assert.deepEqual(whatToRead({ read: 'card', target: 'gone' }, model([])), []);
    assert.deepEqual(whatToRead({ read: 'scale', target: 'gone' }, model([])), []);
    assert.deepEqual(whatToRead({ read: 'column', target: 'gone' }, model([])), []);
  });
});

describe('the voice for a language', () => {
  const voices = [
    { name: 'US', lang: 'en-US', default: false },
    { name: 'UK', lang: 'en-GB', default: false },
    { name: 'Welsh', lang: 'cy_GB', default: false },
    { name: 'Polish A', lang: 'pl-PL', default: false },
    { name: 'Polish B', lang: 'pl-PL', default: true },
  ];
  const chosen = (language) => chooseVoice(voices, language)?.name ?? null;

  test('exactly the tag asked for, else the default of the language, else its first', () => {
    assert.equal(chosen('en-GB'), 'UK');
    assert.equal(chosen('en'), 'US');
    assert.equal(chosen('pl'), 'Polish B');
    assert.equal(chosen('cy'), 'Welsh');
    assert.equal(chosen('CY-gb'), 'Welsh');
  });

  test('none for a language without a voice', () => {
    assert.equal(chosen('ar'), null);
    assert.equal(chosen('ur'), null);
    assert.equal(chooseVoice([], 'en'), null);
  });
});
