import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abilities } from '../src/abilities.js';
import { translateCard, translateReason } from '../src/ops.js';
import { BoardState } from '../src/state.js';
import { describeTranslation, languageName, ownTranslation, translationsOf } from '../src/translations.js';
import { TEMPLATE, boardPayload } from './fixtures.js';

const translation = (id, target, translator, at, extra = {}) => ({
  id,
  target_kind: 'card',
  target,
  language: 'pl',
  text: `${id} words`,
  translator,
  translated_at: at,
  audience: { kind: 'language', people: [translator], language: 'pl' },
  ...extra,
});

test("a card's translations, oldest first, and an interpreter's own among them", () => {
  const all = new Map(
    [
      translation('card:c_1:p_b', 'c_1', 'p_b', '2026-11-27T09:20:00.000Z'),
      translation('card:c_1:p_a', 'c_1', 'p_a', '2026-11-27T09:10:00.000Z'),
      translation('card:c_2:p_a', 'c_2', 'p_a', '2026-11-27T09:00:00.000Z'),
      translation('reason:r_1/p_x:p_a', 'c_1', 'p_a', '2026-11-27T09:00:00.000Z', { target_kind: 'reason' }),
    ].map((tr) => [tr.id, tr]),
  );
  assert.deepEqual(
    translationsOf(all, 'card', 'c_1').map((tr) => tr.id),
    ['card:c_1:p_a', 'card:c_1:p_b'],
  );
  assert.equal(ownTranslation(all, 'card', 'c_1', 'p_b').id, 'card:c_1:p_b');
  assert.equal(ownTranslation(all, 'card', 'c_2', 'p_b'), null);
});

test('a translation says who made it, as an interpreter', () => {
  const tr = translation('card:c_1:p_olga', 'c_1', 'p_olga', '2026-11-27T09:10:00.000Z');
  assert.deepEqual(describeTranslation(tr, (id) => (id === 'p_olga' ? 'Olga' : null)), {
    text: 'card:c_1:p_olga words',
    language: 'pl',
    by: 'translated by Olga (interpreter)',
    outdated: null,
  });
  assert.equal(
    describeTranslation({ ...tr, outdated: true }, () => 'Olga').outdated,
    'The words above have changed since this was translated.',
  );
  assert.equal(describeTranslation(tr, () => null).by, 'translated by someone (interpreter)');
});

test("a language is named in the page's language, or by its code", () => {
  assert.equal(languageName('pl', 'en'), 'Polish');
  assert.equal(languageName('not a code!', 'en'), 'not a code!');
});

test('translations come and go with the board and its changes', () => {
  const state = new BoardState();
  const tr = translation('card:c_1:p_olga', 'c_1', 'p_olga', '2026-11-27T09:10:00.000Z');
  const event = boardPayload();
  state.applyState({ ...event, board: { ...event.board, translations: [tr] } });
  assert.deepEqual([...state.translations.keys()], ['card:c_1:p_olga']);
  state.applyEvent({ seq: event.seq + 1, changes: [{ entity: 'translation', id: tr.id, value: { ...tr, text: 'nowe' } }] });
  assert.equal(state.translations.get(tr.id).text, 'nowe');
  state.applyEvent({ seq: event.seq + 2, changes: [{ entity: 'translation', id: tr.id, deleted: true }] });
  assert.equal(state.translations.size, 0);
});

test('an interpreter translates while changes are allowed, and changes nothing else', () => {
  const can = TEMPLATE.abilities.interpreter;
  const me = { id: 'p_olga', role: 'interpreter', can };
  const open = abilities(me, { status: 'open' }, TEMPLATE.statuses);
  assert.equal(open.translate, true);
  assert.equal(open.contribute, false);
  assert.equal(open.vote, false);
  assert.equal(abilities(me, { status: 'locked' }, TEMPLATE.statuses).translate, false);
  assert.equal(abilities(me, { status: 'open' }, TEMPLATE.statuses, { ended: true }).translate, false);
  const parent = abilities({ id: 'p_mum', can: TEMPLATE.abilities.parent }, { status: 'open' }, TEMPLATE.statuses);
  assert.equal(parent.translate, false);
});

test('the ops an interpreter sends', () => {
  const card = translateCard('c_1', 'pl', 'Babcia');
  assert.deepEqual({ ...card, id: undefined }, { id: undefined, type: 'card.translate', card_id: 'c_1', language: 'pl', text: 'Babcia' });
  const reason = translateReason('r_1', 'p_mum', 'pl', 'Szkoła');
  assert.deepEqual(
    { type: reason.type, round_id: reason.round_id, voter: reason.voter, language: reason.language, text: reason.text },
    { type: 'card.translate', round_id: 'r_1', voter: 'p_mum', language: 'pl', text: 'Szkoła' },
  );
});
