// Calendar days as the pages show them. A "by when" or a review date is a day
// (YYYY-MM-DD) with no time of day: days are compared as text and put into words without
// ever becoming a moment in some time zone, which could move them by a day. Days are
// written in the page's language (i18n.js).
import { locale } from './i18n.js';

const LONG = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const SHORT = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

// Today on this device's calendar, as YYYY-MM-DD.
export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// "27 November 2026" (the day of a date or of a server time such as "2026-11-27T09:00Z").
export const dayWords = (iso) => format(LONG, iso);

// "27 Nov": where room is short (under the trend of a scale).
export const shortDayWords = (iso) => format(SHORT, iso);

// The day of a moment (a link's expiry, when records are deleted) on this device's
// calendar: "4 June 2027". `timeZone` is for tests; pages use the device's own.
export function momentDayWords(iso, timeZone = undefined) {
  const moment = new Date(iso ?? '');
  if (Number.isNaN(moment.getTime())) return iso ?? '';
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(moment);
}

function format(formatter, iso) {
  const match = DAY.exec(iso ?? '');
  if (!match) return iso ?? '';
  const [, year, month, day] = match.map(Number);
  return formatter.format(new Date(Date.UTC(year, month - 1, day)));
}
