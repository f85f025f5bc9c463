// Scaling together as the page shows it: the scales in order, each with its rounds, who
// has answered ("4 of 6"), my own number while a round is open, and the revealed numbers
// at or below the worry threshold. Pure, so what may show (and what must stay secret)
// is unit-tested without a DOM.
import { scaleInWords } from './template-words.js';

// Whose voice a number is (docs/protocol.md, "Groups"), in the order the picture shows
// them. Each vote says its own group (`vote.group`).
export const GROUPS = ['family', 'network', 'professionals'];

// Ops whose answer changes which round is open: while one is on its way, its button waits.
const ROUND_OPS = new Set(['round.open', 'round.reveal']);

// state: BoardState; board: projectBoard(state, pendingOps).
export function describeScales(state, board, pendingOps) {
  const meId = state.me?.id ?? null;
  const threshold = board.meeting.worry_threshold;
  const roundsOf = roundsByScale(state.rounds);
  return [...board.scales.values()].sort(compareScales).map((scale) => {
    const rounds = roundsOf.get(scale.id) ?? [];
    return {
      scale: scaleInWords(scale),
      card: scale.card_id ? (board.cards.get(scale.card_id) ?? null) : null,
      pending: board.pendingScales.has(scale.id),
      waiting: pendingOps.some((op) => ROUND_OPS.has(op.type) && op.scale_id === scale.id),
      openRound: rounds.find((round) => round.status === 'open') ?? null,
      // newest first: the round that matters now is on top, earlier ones below it
      rounds: rounds.map((round) => ({
        round,
        answered: answeredOf(round, state.participants),
        myVote: round.status === 'open' ? ownVote(state.myVotes, pendingOps, round, meId) : null,
        twice: round.status === 'open' ? likelyTwice(round, pendingOps) : [],
        leftOut: leftOutOf(round, state.participants),
      })),
      lowVotes: lowVotes(rounds, threshold),
    };
  });
}

// "4 of 6 have answered" and who: the people who can vote are every participant but the
// meeting-room screen and those taken out of the meeting, plus everyone the facilitator
// recorded an answer for, less the joins whose answer was left out as a second one of the
// same person (someone taken out after answering is left out too). Names only.
export function answeredOf(round, participants) {
  let voters = 0;
  for (const participant of participants.values()) {
    // The room screen and an interpreter give no number of their own.
    if (participant.role !== 'viewer' && participant.role !== 'interpreter' && !participant.removed) voters += 1;
  }
  const recorded = round.answered.filter((a) => a.recorded_by).length;
  const twice = (round.left_out ?? []).filter((left) => left.why === 'duplicate' && participants.has(left.voter)).length;
  return {
    count: round.answered.length,
    total: voters + recorded - twice,
    people: round.answered.map((a) => ({ name: a.name, recorded: Boolean(a.recorded_by) })),
  };
}

// My own number in an open round, or null: one still on its way wins (it shows at once),
// then the one the server confirmed. A vote from an ack has no round id; it belongs to
// this round when it was cast after the round opened (both are server times).
export function ownVote(myVotes, pendingOps, round, meId) {
  const sending = pendingOps.filter(
    (op) => op.type === 'vote.cast' && op.scale_id === round.scale_id && !op.on_behalf_of,
  );
  const last = sending.at(-1);
  if (last) return { value: last.value, reason: last.reason ?? null, pending: true, replacesRecorded: false };
  const given = myVotes.find(
    (vote) =>
      vote.voter === meId &&
      vote.scale_id === round.scale_id &&
      (vote.round_id ? vote.round_id === round.id : vote.at >= round.opened_at),
  );
  if (!given) return null;
  // Their own answer took the place of one the facilitator had recorded for them.
  const replacesRecorded = Boolean(given.replaces_recorded_by);
  return { value: given.value, reason: given.reason ?? null, pending: false, replacesRecorded };
}

// The answers of an open round that may be one person's (the server says which: the same
// name, or joined from the same browser), as groups of {voter, name, recorded}. Names only:
// nobody's number is known here. An answer being left out right now is not offered again.
export function likelyTwice(round, pendingOps) {
  const leaving = new Set(
    pendingOps.filter((op) => op.type === 'vote.exclude' && op.scale_id === round.scale_id).map((op) => op.voter),
  );
  const byVoter = new Map(round.answered.map((a) => [a.voter, a]));
  return (round.likely_duplicates ?? [])
    .map((group) =>
      group
        .filter((voter) => byVoter.has(voter))
        .map((voter) => ({
          voter,
          name: byVoter.get(voter).name,
          recorded: Boolean(byVoter.get(voter).recorded_by),
          leaving: leaving.has(voter),
        })),
    )
    .filter((group) => group.length > 1);
}

// The answers that will not count, with why and who left them out: {name, why, by}.
export function leftOutOf(round, participants) {
  return (round.left_out ?? []).map((left) => ({
    name: left.name,
    why: left.why,
    by: participants.get(left.by)?.name ?? null,
  }));
}

// The revealed votes at or below the threshold: they raise the facilitator's worry flag.
export function lowVotes(rounds, threshold) {
  return rounds
    .filter((round) => round.status === 'revealed')
    .flatMap((round) => round.votes.filter((vote) => vote.value <= threshold));
}

// The scale the room is busy with: the one whose latest round opened or was revealed last.
export function currentScaleId(scales) {
  let current = null;
  let latest = '';
  for (const { scale, rounds } of scales) {
    const newest = rounds[0]?.round;
    const at = newest ? (newest.revealed_at ?? newest.opened_at) : '';
    if (at > latest) {
      latest = at;
      current = scale.id;
    }
  }
  return current;
}

// card id -> the scale about that worry (the first, if there are several)
export function scaleOfCard(scales) {
  const scaleIds = new Map();
  for (const { scale } of scales) {
    if (scale.card_id && !scaleIds.has(scale.card_id)) scaleIds.set(scale.card_id, scale.id);
  }
  return scaleIds;
}

// The overall scale first, then in the order they were made; new ones not yet saved last.
function compareScales(a, b) {
  if (a.overall !== b.overall) return a.overall ? -1 : 1;
  if (a.created_at !== b.created_at) {
    if (a.created_at === null) return 1;
    if (b.created_at === null) return -1;
    return a.created_at < b.created_at ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function roundsByScale(rounds) {
  const byScale = new Map();
  for (const round of rounds.values()) {
    const list = byScale.get(round.scale_id) ?? [];
    list.push(round);
    byScale.set(round.scale_id, list);
  }
  for (const list of byScale.values()) list.sort((a, b) => b.number - a.number);
  return byScale;
}
