// Who can see a card, in words and as the facilitator's choices. Pure. The server decides
// who is sent what (docs/protocol.md, "What not everyone may see"); the page only shows
// the marking of a card it was sent, and offers the markings the template allows.
import { commaList } from './i18n.js';

// The marking of a card not everyone may see ("Hidden from Sam"), or null for everyone.
export function audienceWords(card, template, nameOf) {
  const audience = card.audience;
  if (!audience || audience.kind === 'everyone') return null;
  // One browser's joins are named together (the server adds the first), often under one name.
  const names = commaList([...new Set((audience.people ?? []).map((id) => nameOf(id) ?? '?'))]);
  return template.audiences.labels[audience.kind].replace('{names}', names);
}

// Whom a card can be hidden from: people in the meeting but the facilitators (who see all
// they mark) and the room screen (which shows only what everyone may see).
export function hideableFrom(participants) {
  return [...participants]
    .filter((p) => !p.removed && p.role !== 'facilitator' && p.role !== 'viewer')
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

// The audience to send for a choice: `hidden_from` needs someone, the others name nobody.
// null when the choice is not complete.
export function chosenAudience(kind, people) {
  if (kind === 'hidden_from') return people.length ? { kind, people: [...people].sort() } : null;
  return { kind, people: [] };
}
