// What the page offers this person. The server checks every op anyway; this only keeps
// the page from offering buttons whose press would be refused.
export function abilities(me, meeting) {
  const role = me?.role;
  const canWrite = Boolean(role) && role !== 'viewer' && meeting?.status === 'open';
  const isFacilitator = role === 'facilitator';
  return {
    isFacilitator,
    // add, move and agree/disagree
    contribute: canWrite,
    // edit, remove and bring back: the card's author or the facilitator
    changeCard: (card) => canWrite && (isFacilitator || card.author === me.id),
  };
}
