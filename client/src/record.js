// The minutes as the page shows them: newest first, each with who agreed, who did not
// and why, and what I said. Pure.

// board: projectBoard(...); meId: who I am
export function describeMinutes(board, meId) {
  return [...board.minutes.values()]
    .sort((a, b) => b.number - a.number)
    .map((minutes) => ({
      minutes,
      draft: minutes.status === 'draft',
      pending: board.pendingMinutes.has(minutes.number),
      mine: minutes.signoffs.find((signoff) => signoff.participant_id === meId) ?? null,
      agreed: minutes.signoffs.filter((s) => s.stance === 'agree').map((s) => s.name),
      notAgreed: minutes.signoffs.filter((s) => s.stance === 'disagree').map(({ name, reason }) => ({ name, reason })),
    }));
}

// Minutes are being taken (the op is on its way): "Take minutes" waits.
export const takingMinutes = (pendingOps) => pendingOps.some((op) => op.type === 'minutes.take');
