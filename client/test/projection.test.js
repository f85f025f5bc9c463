import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { projectBoard } from '../src/projection.js';
import { BoardState } from '../src/state.js';
import { boardPayload, card } from './fixtures.js';

function stateWith(cards) {
  const state = new BoardState();
  state.applyState(boardPayload({ cards }));
  return state;
}

const base = () => stateWith([card('a', 'harm', 'V'), card('b', 'harm', 'X'), card('g', 'goals', 'V')]);

describe('projectBoard', () => {
  const cases = [
    { name: 'no pending ops: the server order', ops: [], harm: ['a', 'b'], goals: ['g'], pending: [] },
    {
      name: 'add at the end',
      ops: [{ type: 'card.add', card_id: 'n', section: 'harm', text: 'hi', after: 'b' }],
      harm: ['a', 'b', 'n'],
      pending: ['n'],
    },
    {
      name: 'add at the top',
      ops: [{ type: 'card.add', card_id: 'n', section: 'harm', text: 'hi', after: null }],
      harm: ['n', 'a', 'b'],
    },
    {
      name: 'add below a card that has gone: at the end, as the server does',
      ops: [{ type: 'card.add', card_id: 'n', section: 'harm', text: 'hi', after: 'gone' }],
      harm: ['a', 'b', 'n'],
    },
    {
      name: 'add that the board already holds is not shown twice',
      ops: [{ type: 'card.add', card_id: 'a', section: 'harm', text: 'hi', after: 'b' }],
      harm: ['a', 'b'],
      pending: [],
    },
    {
      name: 'move within a section',
      ops: [{ type: 'card.move', card_id: 'a', section: 'harm', after: 'b' }],
      harm: ['b', 'a'],
    },
    {
      name: 'move to another section',
      ops: [{ type: 'card.move', card_id: 'b', section: 'goals', after: null }],
      harm: ['a'],
      goals: ['b', 'g'],
      pending: ['b'],
    },
    { name: 'delete', ops: [{ type: 'card.delete', card_id: 'a' }], harm: ['b'] },
    {
      name: 'delete then undo puts it back in its place',
      ops: [{ type: 'card.delete', card_id: 'a' }, { type: 'card.restore', card_id: 'a' }],
      harm: ['a', 'b'],
    },
    {
      name: 'ops on an unknown card change nothing',
      ops: [{ type: 'card.edit', card_id: 'zz', text: 'x' }, { type: 'card.move', card_id: 'zz', section: 'harm', after: null }],
      harm: ['a', 'b'],
      pending: [],
    },
  ];
  for (const row of cases) {
    test(row.name, () => {
      const board = projectBoard(base(), row.ops);
      assert.deepEqual(board.order.get('harm'), row.harm);
      if (row.goals) assert.deepEqual(board.order.get('goals'), row.goals);
      if (row.pending) assert.deepEqual([...board.pendingCards], row.pending);
    });
  }

  test('edit shows the new words and attribution', () => {
    const board = projectBoard(base(), [{ type: 'card.edit', card_id: 'a', text: 'new words', attributed_to: 'Gran' }]);
    assert.equal(board.cards.get('a').text, 'new words');
    assert.equal(board.cards.get('a').attributed_to, 'Gran');
  });

  test('react sets and clears my own stance only', () => {
    const state = stateWith([card('a', 'harm', 'V', { stances: { p_other: 'disagree' } })]);
    let board = projectBoard(state, [{ type: 'card.react', card_id: 'a', stance: 'agree' }]);
    assert.deepEqual(board.cards.get('a').stances, { p_other: 'disagree', p_me: 'agree' });
    board = projectBoard(state, [
      { type: 'card.react', card_id: 'a', stance: 'agree' },
      { type: 'card.react', card_id: 'a', stance: null },
    ]);
    assert.deepEqual(board.cards.get('a').stances, { p_other: 'disagree' });
  });

  test('meeting ops: title, vocabulary, lock', () => {
    const board = projectBoard(base(), [
      { type: 'meeting.edit', title: 'Review' },
      { type: 'meeting.edit', vocabulary: 'wellbeing' },
      { type: 'meeting.lock' },
    ]);
    assert.equal(board.meeting.title, 'Review');
    assert.equal(board.meeting.vocabulary, 'wellbeing');
    assert.equal(board.meeting.status, 'locked');
  });

  test('scale ops show at once: a new scale, new words, a removed scale; and the threshold', () => {
    const state = new BoardState();
    const kept = { id: 's1', question: 'q', low_label: 'l', high_label: 'h', card_id: null, overall: true };
    state.applyState(boardPayload({ scales: [kept, { ...kept, id: 's2', overall: false }] }));
    const board = projectBoard(state, [
      { type: 'scale.add', scale_id: 's3', question: 'New?', low_label: 'no', high_label: 'yes', card_id: 'c1' },
      { type: 'scale.edit', scale_id: 's1', question: 'Better?', low_label: 'not at all', high_label: 'fully' },
      { type: 'scale.delete', scale_id: 's2' },
      { type: 'meeting.edit', worry_threshold: 4 },
    ]);
    assert.deepEqual([...board.scales.keys()], ['s1', 's3']);
    assert.equal(board.scales.get('s1').question, 'Better?');
    assert.equal(board.scales.get('s3').card_id, 'c1');
    assert.deepEqual([...board.pendingScales], ['s3', 's1']);
    assert.equal(board.meeting.worry_threshold, 4);
    assert.equal(state.scales.get('s1').question, 'q');
  });

  test('who will do it and by when show at once, on a new card and on an edit (null clears)', () => {
    const state = stateWith([card('p', 'plan_rules', 'V', { owner: 'Sam', due: '2027-01-05' })]);
    const board = projectBoard(state, [
      { type: 'card.add', card_id: 'n', section: 'plan_rules', text: 'hi', owner: 'Gran', due: '2027-02-01', after: 'p' },
      { type: 'card.edit', card_id: 'p', text: 'new', attributed_to: null, owner: null, due: '2027-03-01' },
    ]);
    assert.deepEqual(board.order.get('plan_rules'), ['p', 'n']);
    assert.deepEqual([board.cards.get('n').owner, board.cards.get('n').due], ['Gran', '2027-02-01']);
    assert.deepEqual([board.cards.get('p').owner, board.cards.get('p').due], [null, '2027-03-01']);
    const wordsOnly = projectBoard(state, [{ type: 'card.edit', card_id: 'p', text: 'x', attributed_to: null }]);
    assert.equal(wordsOnly.cards.get('p').owner, 'Sam');
  });

  test('does not change the state it was given', () => {
    const state = base();
    projectBoard(state, [{ type: 'card.move', card_id: 'a', section: 'goals', after: null }, { type: 'card.delete', card_id: 'b' }]);
    assert.deepEqual(state.sectionCards('harm').map((c) => c.id), ['a', 'b']);
    assert.equal(state.cards.get('a').section, 'harm');
  });
});
