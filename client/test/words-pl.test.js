// A Polish page: its catalogue (a small one, with plural forms) is on the page before
// i18n.js is first imported, as the server embeds it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const catalogue = readFileSync(new URL('./pl.json', import.meta.url), 'utf8');
globalThis.document = { getElementById: (id) => (id === 'kinboard-words' ? { textContent: catalogue } : null) };
const { lang, locale, t } = await import('../src/i18n.js');
const { WORDS } = await import('../src/words.js');
const { dayWords } = await import('../src/dates.js');
const { attributionWords, templateInWords } = await import('../src/template-words.js');
const { summaryWords } = await import('../src/trend.js');
const template = JSON.parse(readFileSync(new URL('./state.json', import.meta.url), 'utf8')).template;

test("the page's language", () => {
  assert.equal(lang(), 'pl');
  assert.equal(locale(), 'pl');
});

test('words in Polish, with their placeholders filled', () => {
  assert.equal(WORDS.save, 'Zapisz');
  assert.equal(WORDS.saidBy('Babcia'), 'powiedział(a) Babcia');
  assert.equal(WORDS.minutes.heading, 'Protokół');
  assert.equal(WORDS.steer.minutes, 'Minuty'); // the same English, another meaning
  assert.equal(WORDS.minutes.title(2, 'Przegląd'), 'Protokół 2: Przegląd');
});

test("Polish plurals: each count takes its own form", () => {
  const forms = [1, 2, 4, 5, 12, 22, 25, 102, 112].map((count) => WORDS.agreeCount(count));
  assert.deepEqual(forms, [
    '1 osoba się zgadza',
    '2 osoby się zgadzają',
    '4 osoby się zgadzają',
    '5 osób się zgadza',
    '12 osób się zgadza',
    '22 osoby się zgadzają',
    '25 osób się zgadza',
    '102 osoby się zgadzają',
    '112 osób się zgadza',
  ]);
  assert.equal(WORDS.connection.connected(3), 'Połączono – zapisuję 3 zmiany…');
  assert.equal(WORDS.isEditing(['Ala', 'Ola']), 'Ala i Ola edytują');
});

test('a message the catalogue lacks, or has left empty, shows its English', () => {
  assert.equal(WORDS.cancel, 'Cancel');
  assert.equal(WORDS.scaling.answered(2, 5), '2 of 5 have answered');
  assert.equal(t('No {such} message', { such: 'such' }), 'No such message');
});

test("days and numbers the Polish way", () => {
  assert.equal(dayWords('2026-11-27'), '27 listopada 2026');
  assert.equal(WORDS.scaling.middleShort(6.5), 'middle 6,5');
});

test("the server's words for the map and its people are shown in Polish; the rest as sent", () => {
  const polish = templateInWords(template);
  assert.equal(polish.roles.parent, 'Rodzic lub opiekun');
  assert.equal(polish.roles.child, template.roles.child);
  assert.equal(polish.columns[0].heading, 'Co nas martwi?');
  assert.equal(polish.columns[0].key, 'worries');
  assert.equal(polish.audiences.labels.hidden_from, 'Ukryte przed: {names}');
  assert.deepEqual(polish.limits, template.limits);
  // A shared family plan's cards are said by "the family": in Polish; anyone else's words as written.
  assert.equal(attributionWords(template.family_attribution, polish), 'rodzina');
  assert.equal(attributionWords('the family of Sam', polish), 'the family of Sam');
  assert.equal(attributionWords(null, polish), null);
  const summary = { groups: [{ group: 'family', median: 7 }, { group: 'professionals', median: 3.5 }], gap: 3.5 };
  assert.equal(summaryWords(summary, polish.groups), 'Rodzina 7 i specjaliści 3,5: różnica 3,5');
});

test('the meeting-room screen, left unnamed, is named in Polish; a name given to it stays', async () => {
  const { BoardState } = await import('../src/state.js');
  const { peopleInMeeting } = await import('../src/presence.js');
  const { boardPayload } = await import('./fixtures.js');
  const state = new BoardState();
  const screen = (id, name, at) => ({ id, name, role: 'viewer', joined_at: `2026-11-27T09:0${at}:00Z` });
  state.applyState(boardPayload({ participants: [screen('p_room', 'Meeting room screen', 1), screen('p_hall', 'Sala 3', 2)] }));
  assert.deepEqual(peopleInMeeting(state, []).map((person) => person.name), ['Ekran w sali spotkań', 'Sala 3']);
  assert.equal(state.participantName('p_room'), 'Ekran w sali spotkań');
});
