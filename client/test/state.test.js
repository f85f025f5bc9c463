import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BoardState, sectionLabel } from '../src/state.js';
import { boardPayload, card, TEMPLATE } from './fixtures.js';

describe('BoardState', () => {
  test('applyState takes the board, me and the template', () => {
    const state = new BoardState();
    state.applyState(boardPayload({ seq: 7, cards: [card('c1', 'harm', 'V')] }));
    assert.equal(state.seq, 7);
    assert.equal(state.me.id, 'p_me');
    assert.equal(state.meeting.title, 'Family meeting');
    assert.deepEqual([...state.cards.keys()], ['c1']);
    assert.equal(state.participantName('p_me'), 'Sam');
    assert.equal(state.roleLabel('parent'), 'Parent or carer');
  });

  test('my name and role set right by the facilitator: I am who they said, with what that role may do', () => {
    const state = new BoardState();
    state.applyState(boardPayload({ participants: [{ id: 'p_me', name: 'Sam', role: 'parent' }] }));
    state.applyChanges([{ entity: 'participant', id: 'p_me', value: { id: 'p_me', name: 'Sam Lee', role: 'viewer' } }]);
    assert.equal(state.me.name, 'Sam Lee');
    assert.equal(state.me.role, 'viewer');
    assert.deepEqual(state.me.can, TEMPLATE.abilities.viewer);
    assert.equal(state.me.can.edit_board, false);
    // Someone else's change leaves me as I am.
    state.applyChanges([{ entity: 'participant', id: 'p_gran', value: { id: 'p_gran', name: 'Gran', role: 'network' } }]);
    assert.equal(state.me.name, 'Sam Lee');
  });

  const changeCases = [
    {
      name: 'upserts a new card',
      changes: [{ entity: 'card', id: 'c2', value: card('c2', 'harm', 'X') }],
      cards: ['c1', 'c2'],
    },
    {
      name: 'replaces a card as a whole',
      changes: [{ entity: 'card', id: 'c1', value: { ...card('c1', 'harm', 'V'), text: 'new' } }],
      cards: ['c1'],
      text: { c1: 'new' },
    },
    {
      name: 'deletes a card and remembers it for undo',
      changes: [{ entity: 'card', id: 'c1', deleted: true }],
      cards: [],
      removed: ['c1'],
    },
    {
      name: 'a deletion of an unknown card changes nothing',
      changes: [{ entity: 'card', id: 'zz', deleted: true }],
      cards: ['c1'],
      removed: [],
    },
    {
      name: 'upserts a participant',
      changes: [{ entity: 'participant', id: 'p2', value: { id: 'p2', name: 'Gran', role: 'network' } }],
      cards: ['c1'],
      participants: ['p_me', 'p2'],
    },
    {
      name: 'replaces the meeting',
      changes: [{ entity: 'meeting', id: 'm1', value: { id: 'm1', title: 'New', status: 'locked', vocabulary: 'wellbeing' } }],
      cards: ['c1'],
      title: 'New',
    },
  ];
  for (const row of changeCases) {
    test(`applyChanges ${row.name}`, () => {
      const state = new BoardState();
      state.applyState(boardPayload({ cards: [card('c1', 'harm', 'V')] }));
      state.applyChanges(row.changes);
      assert.deepEqual([...state.cards.keys()].sort(), row.cards);
      for (const [id, text] of Object.entries(row.text ?? {})) assert.equal(state.cards.get(id).text, text);
      if (row.removed) assert.deepEqual([...state.removedCards.keys()], row.removed);
      if (row.participants) assert.deepEqual([...state.participants.keys()], row.participants);
      if (row.title) assert.equal(state.meeting.title, row.title);
    });
  }

  test('a restored card is no longer counted as removed', () => {
    const state = new BoardState();
    state.applyState(boardPayload({ cards: [card('c1', 'harm', 'V')] }));
    state.applyChanges([{ entity: 'card', id: 'c1', deleted: true }]);
    state.applyChanges([{ entity: 'card', id: 'c1', value: card('c1', 'harm', 'V') }]);
    assert.deepEqual([...state.cards.keys()], ['c1']);
    assert.equal(state.removedCards.size, 0);
  });

  test('applyEvent applies the changes and moves seq on', () => {
    const state = new BoardState();
    state.applyState(boardPayload({ seq: 3 }));
    state.applyEvent({ seq: 4, changes: [{ entity: 'card', id: 'c9', value: card('c9', 'goals', 'a') }] });
    assert.equal(state.seq, 4);
    assert.ok(state.cards.has('c9'));
  });

  test('applyBoard keeps cards that vanished as removed, and keeps me and template', () => {
    const state = new BoardState();
    state.applyState(boardPayload({ cards: [card('c1', 'harm', 'V'), card('c2', 'harm', 'W')] }));
    state.applyBoard(20, boardPayload({ cards: [card('c2', 'harm', 'W')] }).board);
    assert.equal(state.seq, 20);
    assert.deepEqual([...state.removedCards.keys()], ['c1']);
    assert.equal(state.me.id, 'p_me');
    assert.ok(state.template);
  });

  const orderCases = [
    { name: 'by position', cards: [['b', 'V'], ['a', 'W']], expected: ['b', 'a'] },
    { name: 'ties by id', cards: [['c_b', 'V'], ['c_a', 'V']], expected: ['c_a', 'c_b'] },
    // Plain string order: upper case sorts before lower case, unlike localeCompare.
    { name: 'plain string comparison, not locale', cards: [['x', 'a'], ['y', 'Z']], expected: ['y', 'x'] },
    { name: 'shorter prefix first', cards: [['x', 'Va'], ['y', 'V']], expected: ['y', 'x'] },
    { name: 'digits before letters', cards: [['x', 'a'], ['y', '5']], expected: ['y', 'x'] },
  ];
  for (const row of orderCases) {
    test(`sectionCards orders ${row.name}`, () => {
      const state = new BoardState();
      const cards = row.cards.map(([id, position]) => card(id, 'harm', position));
      state.applyState(boardPayload({ cards: [...cards, card('other', 'goals', '0')] }));
      assert.deepEqual(state.sectionCards('harm').map((c) => c.id), row.expected);
    });
  }

  test('scales and rounds come with the board and change as whole entities', () => {
    const state = new BoardState();
    const scale = { id: 's1', question: 'q', low_label: 'l', high_label: 'h' };
    const round = { id: 'r1', scale_id: 's1', status: 'open', answered: [], votes: [] };
    state.applyState(boardPayload({ scales: [scale], rounds: [round] }));
    assert.deepEqual([...state.scales.keys()], ['s1']);
    state.applyChanges([
      { entity: 'round', id: 'r1', value: { ...round, status: 'revealed' } },
      { entity: 'scale', id: 's2', value: { ...scale, id: 's2' } },
    ]);
    assert.equal(state.rounds.get('r1').status, 'revealed');
    state.applyChanges([{ entity: 'scale', id: 's1', deleted: true }]);
    assert.deepEqual([...state.scales.keys()], ['s2']);
  });

  test('my votes: from state, replaced by an ack on the same scale, kept across a sync', () => {
    const state = new BoardState();
    const mine = { round_id: 'r1', scale_id: 's1', voter: 'p_me', value: 3, at: 'a' };
    const other = { round_id: 'r9', scale_id: 's9', voter: 'p_me', value: 9, at: 'a' };
    state.applyState(boardPayload({ myVotes: [mine, other] }));
    state.rememberMyVote('s1', { voter: 'p_me', value: 8, at: 'b', reason: null });
    assert.deepEqual(
      state.myVotes.map((v) => [v.scale_id, v.round_id, v.value]),
      [['s9', 'r9', 9], ['s1', null, 8]],
    );
    state.applyBoard(5, boardPayload().board); // `sync` has no my_votes: keep them
    assert.equal(state.myVotes.length, 2);
    state.applyState(boardPayload({ myVotes: [] })); // a fresh `state` is the truth
    assert.deepEqual(state.myVotes, []);
  });

  test('retention_days from state: how long an ended meeting is kept', () => {
    const state = new BoardState();
    state.applyState({ ...boardPayload(), retention_days: 30 });
    assert.equal(state.retentionDays, 30);
    state.applyState(boardPayload()); // an older server says nothing: no day is made up
    assert.equal(state.retentionDays, null);
  });

  test('a participant taken out of the meeting stays on the board, marked removed', () => {
    const state = new BoardState();
    state.applyState(boardPayload({ participants: [{ id: 'p_me', name: 'Sam', role: 'parent' }, { id: 'p2', name: 'Gran', role: 'network' }] }));
    state.applyChanges([{ entity: 'participant', id: 'p2', value: { id: 'p2', name: 'Gran', role: 'network', removed: true } }]);
    assert.equal(state.participants.get('p2').removed, true);
    assert.equal(state.participantName('p2'), 'Gran'); // names stay, for what they did
  });

  test('sectionLabel follows the vocabulary', () => {
    const danger = TEMPLATE.columns[0].sections[1];
    assert.equal(sectionLabel(danger, 'safety'), 'Danger statements');
    assert.equal(sectionLabel(danger, 'wellbeing'), 'Worry statements');
    assert.equal(sectionLabel(danger, 'unknown'), 'Danger statements');
  });
});
