import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNewLink, deletionDate, describeLink, parseDays } from '../src/looking-after.js';
import { TEMPLATE } from './fixtures.js';

const daysCases = [
  ['7', 7],
  [' 90 ', 90],
  ['1', 1],
  [7, 7],
  ['0', null],
  ['91', null],
  ['3.5', null],
  ['-2', null],
  ['1e1', null],
  ['seven', null],
  ['', null],
  [null, null],
];
for (const [typed, days] of daysCases) {
  test(`how many days a link works: ${JSON.stringify(typed)} -> ${days}`, () => {
    assert.equal(parseDays(typed, TEMPLATE.link_days.max), days);
  });
}

const linkCases = [
  {
    name: 'a name, a role and days: sent trimmed, days as a number',
    fields: { name: '  Grandma ', role: 'network', days: '14' },
    answer: { link: { name: 'Grandma', role: 'network', days: 14 } },
  },
  { name: 'no name', fields: { name: '   ', role: 'network', days: '7' }, answer: { problem: 'needsName', field: 'name' } },
  { name: 'no role chosen', fields: { name: 'Gran', role: '', days: '7' }, answer: { problem: 'needsRole', field: 'role' } },
  // the facilitator's and the room screen's roles are never given by a person's link
  { name: 'a role that is not self-chosen', fields: { name: 'Gran', role: 'facilitator', days: '7' }, answer: { problem: 'needsRole', field: 'role' } },
  { name: 'too many days', fields: { name: 'Gran', role: 'child', days: '120' }, answer: { problem: 'needsDays', field: 'days' } },
  { name: 'the name is checked first', fields: { name: '', role: '', days: '' }, answer: { problem: 'needsName', field: 'name' } },
  // an interpreter's link names the language they translate into (not English)
  {
    name: "an interpreter's, with their language",
    fields: { name: 'Olga', role: 'interpreter', days: '7', language: 'pl' },
    answer: { link: { name: 'Olga', role: 'interpreter', days: 7, language: 'pl' } },
  },
  { name: 'an interpreter without a language', fields: { name: 'Olga', role: 'interpreter', days: '7', language: '' }, answer: { problem: 'needsLanguage', field: 'language' } },
  { name: 'an interpreter into English', fields: { name: 'Olga', role: 'interpreter', days: '7', language: 'en' }, answer: { problem: 'needsLanguage', field: 'language' } },
  { name: "nobody else's link has a language", fields: { name: 'Gran', role: 'network', days: '7', language: 'pl' }, answer: { link: { name: 'Gran', role: 'network', days: 7 } } },
];
for (const row of linkCases) {
  test(`a new person's link: ${row.name}`, () => {
    assert.deepEqual(checkNewLink(row.fields, TEMPLATE), row.answer);
  });
}

const link = (extra) => ({
  id: 'l_1',
  name: 'Grandma',
  role: 'network',
  url: 'https://kinboard.example/join#abc',
  expires_at: '2026-12-04T10:00:00.000Z',
  revoked: false,
  usable: true,
  ...extra,
});
const label = (role) => ({ network: 'Family, friend or support person' })[role] ?? role;

const stateCases = [
  { name: 'a link that works', link: link(), state: 'works' },
  { name: 'a link whose days ran out', link: link({ usable: false }), state: 'expired' },
  { name: 'a link turned off', link: link({ revoked: true, usable: false }), state: 'off' },
  // turned off wins, whatever its days say
  { name: 'a link turned off before it ran out', link: link({ revoked: true, usable: true }), state: 'off' },
];
for (const row of stateCases) {
  test(`describeLink: ${row.name}`, () => {
    assert.deepEqual(describeLink(row.link, label), {
      id: 'l_1',
      name: 'Grandma',
      roleLabel: 'Family, friend or support person',
      url: 'https://kinboard.example/join#abc',
      state: row.state,
      until: '2026-12-04T10:00:00.000Z',
    });
  });
}

const deletionCases = [
  {
    name: 'retention days after it was closed',
    meeting: { status: 'closed', closed_at: '2026-11-27T16:30:00.000Z' },
    days: 30,
    date: '2026-12-27T16:30:00.000Z',
  },
  { name: 'an open meeting is not deleted', meeting: { status: 'open', closed_at: null }, days: 30, date: null },
  { name: 'a paused meeting is not deleted', meeting: { status: 'locked' }, days: 30, date: null },
  { name: 'unknown retention: no day is made up', meeting: { status: 'closed', closed_at: '2026-11-27T16:30:00.000Z' }, days: null, date: null },
  { name: 'closed without a time: no day', meeting: { status: 'closed' }, days: 30, date: null },
  { name: 'no meeting yet', meeting: null, days: 30, date: null },
];
for (const row of deletionCases) {
  test(`deletionDate: ${row.name}`, () => {
    assert.equal(deletionDate(row.meeting, row.days), row.date);
  });
}
