// Board order: ascending position, ties broken by id, both compared as plain strings
// (the server's order; localeCompare would disagree with it on case and punctuation).
export function compareCards(a, b) {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

// Where a card dropped "below `after`" lands among `ids`, as the server places it:
// null means the top; an id that has left the list means the end.
export function insertionIndex(ids, after) {
  if (after === null || after === undefined) return 0;
  const index = ids.indexOf(after);
  return index === -1 ? ids.length : index + 1;
}
