import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayWords, momentDayWords, shortDayWords, today } from '../src/dates.js';

test("today is this device's calendar day", () => {
  assert.equal(today(new Date(2027, 0, 5, 23, 59)), '2027-01-05');
  assert.equal(today(new Date(2026, 11, 31, 0, 1)), '2026-12-31');
});

const cases = [
  { iso: '2026-11-27', long: '27 November 2026', short: '27 Nov' },
  // a server time: its day, whatever the time zone of this device
  { iso: '2027-03-01T23:30:00.000Z', long: '1 March 2027', short: '1 Mar' },
  { iso: 'soon', long: 'soon', short: 'soon' },
  { iso: null, long: '', short: '' },
];
for (const row of cases) {
  test(`a day in words: ${row.iso}`, () => {
    assert.equal(dayWords(row.iso), row.long);
    assert.equal(shortDayWords(row.iso), row.short);
  });
}

const momentCases = [
  { iso: '2026-12-04T10:00:00.000Z', timeZone: 'Europe/London', words: '4 December 2026' },
  // late in the evening in London is already the next day in Sydney
  { iso: '2026-12-04T22:30:00.000Z', timeZone: 'Australia/Sydney', words: '5 December 2026' },
  { iso: '2026-07-01T23:30:00.000Z', timeZone: 'Europe/London', words: '2 July 2026' }, // summer time
  { iso: 'never', timeZone: 'UTC', words: 'never' },
  { iso: null, timeZone: 'UTC', words: '' },
];
for (const row of momentCases) {
  test(`the day of a moment, on this device's calendar: ${row.iso} in ${row.timeZone}`, () => {
    assert.equal(momentDayWords(row.iso, row.timeZone), row.words);
  });
}
