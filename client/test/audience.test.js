import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abilities } from '../src/abilities.js';
import { audienceWords, chosenAudience, hideableFrom } from '../src/audience.js';
import { projectBoard } from '../src/projection.js';
import { BoardState } from '../src/state.js';
import { boardPayload, card, TEMPLATE } from './fixtures.js';

const names = { p_dad: 'Sam', p_kid: 'Ava' };
const nameOf = (id) => names[id] ?? null;

test('audienceWords: the marking in the server’s words, naming people', () => {
  assert.equal(audienceWords(card('a', 'harm', 'V'), TEMPLATE, nameOf), null);
  assert.equal(audienceWords(card('a', 'harm', 'V', { audience: { kind: 'everyone', people: [] } }), TEMPLATE, nameOf), null);
  const hidden = card('a', 'harm', 'V', { audience: { kind: 'hidden_from', people: ['p_dad', 'p_kid'] } });
  assert.equal(audienceWords(hidden, TEMPLATE, nameOf), 'Hidden from Sam, Ava');
  const twice = card('a', 'harm', 'V', { audience: { kind: 'hidden_from', people: ['p_dad', 'p_dad2'] } });
  assert.equal(audienceWords(twice, TEMPLATE, (id) => (id === 'p_kid' ? 'Ava' : 'Sam')), 'Hidden from Sam');
  const pros = card('a', 'harm', 'V', { audience: { kind: 'professionals', people: [] } });
  assert.equal(audienceWords(pros, TEMPLATE, nameOf), 'For professionals only');
});

test('hideableFrom: people in the meeting but facilitators, the room screen and those taken out', () => {
  const people = [
    { id: 'p_fac', name: 'Priya', role: 'facilitator' },
    { id: 'p_tv', name: 'Meeting room screen', role: 'viewer' },
    { id: 'p_dad', name: 'Sam', role: 'parent' },
    { id: 'p_gone', name: 'Lee', role: 'parent', removed: true },
    { id: 'p_kid', name: 'Ava', role: 'child' },
    { id: 'p_sw', name: 'Jo', role: 'professional' },
  ];
  assert.deepEqual(
    hideableFrom(people).map((p) => p.id),
    ['p_kid', 'p_sw', 'p_dad'],
  );
});

test('chosenAudience: hidden from needs someone; the others name nobody', () => {
  assert.equal(chosenAudience('hidden_from', []), null);
  assert.deepEqual(chosenAudience('hidden_from', ['p_kid', 'p_dad']), { kind: 'hidden_from', people: ['p_dad', 'p_kid'] });
  assert.deepEqual(chosenAudience('professionals', ['p_kid']), { kind: 'professionals', people: [] });
  assert.deepEqual(chosenAudience('everyone', []), { kind: 'everyone', people: [] });
});

test('the template offers the markings a card may have', () => {
  assert.deepEqual(TEMPLATE.audiences.for_cards, ['everyone', 'hidden_from', 'professionals']);
});

test('abilities: only the facilitator marks cards, on a paused board too, not once it has ended', () => {
  const facilitator = { id: 'p1', can: { edit_board: true, edit_any_card: true, run_meeting: true } };
  const parent = { id: 'p2', can: { edit_board: true, edit_any_card: false, run_meeting: false } };
  const statuses = TEMPLATE.statuses;
  assert.equal(abilities(facilitator, { status: 'open' }, statuses).markCards, true);
  assert.equal(abilities(facilitator, { status: 'locked' }, statuses).markCards, true);
  assert.equal(abilities(facilitator, { status: 'closed' }, statuses).markCards, false);
  assert.equal(abilities(parent, { status: 'open' }, statuses).markCards, false);
});

test('a pending marking shows at once; a card that was hidden from me goes by its deletion', () => {
  const state = new BoardState();
  state.applyState(boardPayload({ cards: [card('a', 'harm', 'V'), card('b', 'harm', 'X')] }));
  const audience = { kind: 'professionals', people: [] };
  const board = projectBoard(state, [{ type: 'card.audience', card_id: 'a', audience }]);
  assert.deepEqual(board.cards.get('a').audience, audience);
  state.applyEvent({ seq: 2, changes: [{ entity: 'card', id: 'b', deleted: true }] });
  assert.deepEqual(projectBoard(state, []).order.get('harm'), ['a']);
});
