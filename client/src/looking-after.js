// Looking after a meeting (docs/protocol.md, "Staff, people's links, and looking after a
// meeting"): the links made for particular people, how many days one works, and the day
// an ended meeting's records are deleted. Pure.

const DAY_MS = 86_400_000;

// What was typed for "how many days": a whole number from 1 to `max` (the template's
// `link_days.max`), else null.
export function parseDays(typed, max) {
  const text = String(typed ?? '').trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const days = Number(text);
  return days >= 1 && days <= max ? days : null;
}

// The "make a link for one person" form: {link: {name, role, days}} to send, or
// {problem, field}: which words to show (a key of WORDS.personLinks) and which field to fix.
// The template says which roles a person may be given and how many days a link may work.
export function checkNewLink({ name, role, days, language }, template) {
  const cleanName = String(name ?? '').trim();
  if (!cleanName) return { problem: 'needsName', field: 'name' };
  if (!template.person_link_roles.includes(role)) return { problem: 'needsRole', field: 'role' };
  // An interpreter's link names the language they translate into; nobody else's does.
  const interpreter = role === 'interpreter';
  if (interpreter && !template.interpreter_languages.some((l) => l.code === language)) {
    return { problem: 'needsLanguage', field: 'language' };
  }
  const count = parseDays(days, template.link_days.max);
  if (count === null) return { problem: 'needsDays', field: 'days' };
  return { link: { name: cleanName, role, days: count, ...(interpreter && { language }) } };
}

// One person's link as the list shows it. state: "works", "expired" (its days ran out; it
// can be given more) or "off" (turned off for good).
export function describeLink(link, roleLabel) {
  return {
    id: link.id,
    name: link.name,
    roleLabel: roleLabel(link.role, link.language),
    url: link.url,
    state: link.revoked ? 'off' : link.usable ? 'works' : 'expired',
    until: link.expires_at,
  };
}

// When an ended meeting's records are deleted: `retention_days` (from `state`) after
// `closed_at`, as a server time; null while the meeting has not ended.
export function deletionDate(meeting, retentionDays) {
  if (meeting?.status !== 'closed' || !meeting.closed_at || !Number.isFinite(retentionDays)) return null;
  const closed = Date.parse(meeting.closed_at);
  if (Number.isNaN(closed)) return null;
  return new Date(closed + retentionDays * DAY_MS).toISOString();
}
