// Worry statements and safety goals: the sentence a composer makes of its parts (from the
// server's pattern, `template.composers`), and the sets the board shows, each statement
// beside its goals and its own scale's last result. Pure.

// Each `{part}` of the server's pattern is that part's words, as the server composes it.
export const fillPattern = (pattern, parts) => pattern.replace(/\{(\w+)\}/g, (_, name) => parts[name] ?? '');

// Every live statement (in board order) with its live goals and its scale, if any.
// board: projectBoard(...); scales: describeScales(...); composers: template.composers.
export function describeSets(board, scales, composers) {
  const goals = (board.order.get(composers.goal.section) ?? []).map((id) => board.cards.get(id));
  return (board.order.get(composers.statement.section) ?? []).map((id) => {
    const scale = scales.find((described) => described.scale.card_id === id) ?? null;
    return {
      statement: board.cards.get(id),
      goals: goals.filter((goal) => goal.goal?.statement === id),
      scale,
      lastSummary: lastSummary(scale),
    };
  });
}

// The summary of a scale's latest revealed round (trend.js summaryWords puts it in words).
function lastSummary(described) {
  const revealed = described?.rounds.find(({ round }) => round.status === 'revealed');
  return revealed?.round.summary ?? null;
}
