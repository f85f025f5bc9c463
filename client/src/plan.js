// The family's plan beside the map: which columns belong to which view, which sections
// have "Who will do it" and "By when", and which steps are overdue. Pure.

export const viewOf = (column) => column.view ?? 'map';

export const columnsOf = (template, view) => template.columns.filter((column) => viewOf(column) === view);

// The sections whose cards may have an owner and a due date (next steps and the plan).
export const timedSections = (template) => new Set(template.timed_sections);

// A review meeting checks the last meeting's plan: a step whose day has passed is overdue.
// `today` is YYYY-MM-DD, so days compare as text.
export function isOverdue(card, meeting, timed, today) {
  return meeting?.kind === 'review' && timed.has(card.section) && Boolean(card.due) && card.due < today;
}

// What saving a card's editor changes, or null when nothing did. Who and when go only
// with a card that is in a timed section now (someone may have moved it meanwhile).
export function cardChanges(card, draft, timed) {
  const withTiming = 'owner' in draft && timed.has(card.section);
  const same =
    card.text === draft.text &&
    (card.attributed_to ?? '') === draft.attributedTo &&
    (!withTiming || ((card.owner ?? '') === draft.owner && (card.due ?? '') === draft.due));
  if (same) return null;
  const { owner, due, ...words } = draft;
  return withTiming ? { ...words, owner, due } : words;
}
