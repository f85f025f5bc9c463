// What the page shows: the server's board with this browser's not-yet-confirmed ops laid
// over it, so a new card or scale, a move, an edit, the decision or a sign-off shows at
// once and survives a dropped connection. Pure. The server's answer replaces each guess
// as soon as it arrives.
import { compareCards, insertionIndex } from './order.js';

export function projectBoard(state, pendingOps) {
  const board = {
    meeting: state.meeting,
    cards: new Map(state.cards),
    removedCards: new Map(state.removedCards),
    order: new Map(state.sectionKeys().map((key) => [key, state.sectionCards(key).map((c) => c.id)])),
    pendingCards: new Set(), // ids of cards with a change still on its way
    scales: new Map(state.scales),
    pendingScales: new Set(), // ids of scales with a change still on its way
    decision: state.decision,
    pendingDecision: false,
    minutes: new Map(state.minutes),
    pendingMinutes: new Set(), // numbers of minutes with a change still on its way
    me: state.me,
  };
  for (const op of pendingOps) GUESS[op.type]?.(board, op);
  return board;
}

const GUESS = {
  'card.add'(board, op) {
    if (board.cards.has(op.card_id)) return; // committed already, seen in the board
    const card = {
      id: op.card_id,
      section: op.section,
      text: op.text,
      attributed_to: op.attributed_to ?? null,
      owner: op.owner ?? null,
      due: op.due ?? null,
      position: '',
      author: board.me?.id,
      stances: {},
    };
    place(board, card, op.after);
  },
  'card.edit'(board, op) {
    updateCard(board, op.card_id, (card) => ({
      ...card,
      text: op.text ?? card.text,
      attributed_to: 'attributed_to' in op ? op.attributed_to : card.attributed_to,
      owner: 'owner' in op ? op.owner : card.owner,
      due: 'due' in op ? op.due : card.due,
    }));
  },
  'card.move'(board, op) {
    const card = board.cards.get(op.card_id);
    if (!card) return;
    takeOut(board, card);
    place(board, { ...card, section: op.section }, op.after);
  },
  'card.delete'(board, op) {
    const card = board.cards.get(op.card_id);
    if (!card) return;
    takeOut(board, card);
    board.cards.delete(card.id);
    board.removedCards.set(card.id, card);
  },
  'card.restore'(board, op) {
    const card = board.removedCards.get(op.card_id);
    if (!card || board.cards.has(card.id)) return;
    const ids = board.order.get(card.section);
    if (!ids) return;
    const index = ids.findIndex((id) => compareCards(card, board.cards.get(id)) < 0);
    ids.splice(index === -1 ? ids.length : index, 0, card.id);
    board.cards.set(card.id, card);
    board.pendingCards.add(card.id);
  },
  'card.audience'(board, op) {
    updateCard(board, op.card_id, (card) => ({ ...card, audience: op.audience }));
  },
  'card.react'(board, op) {
    updateCard(board, op.card_id, (card) => {
      const stances = { ...card.stances };
      if (op.stance) stances[board.me.id] = op.stance;
      else delete stances[board.me.id];
      return { ...card, stances };
    });
  },
  'meeting.edit'(board, op) {
    board.meeting = {
      ...board.meeting,
      ...(op.title !== undefined && { title: op.title }),
      ...(op.vocabulary !== undefined && { vocabulary: op.vocabulary }),
      ...(op.worry_threshold !== undefined && { worry_threshold: op.worry_threshold }),
    };
  },
  'scale.add'(board, op) {
    if (board.scales.has(op.scale_id)) return; // committed already
    board.scales.set(op.scale_id, {
      id: op.scale_id,
      question: op.question,
      low_label: op.low_label,
      high_label: op.high_label,
      card_id: op.card_id ?? null,
      overall: false,
      created_at: null, // not made yet: shown after the scales the server has
    });
    board.pendingScales.add(op.scale_id);
  },
  'scale.edit'(board, op) {
    const scale = board.scales.get(op.scale_id);
    if (!scale) return;
    board.scales.set(op.scale_id, {
      ...scale,
      question: op.question ?? scale.question,
      low_label: op.low_label ?? scale.low_label,
      high_label: op.high_label ?? scale.high_label,
    });
    board.pendingScales.add(op.scale_id);
  },
  'scale.delete'(board, op) {
    board.scales.delete(op.scale_id);
  },
  'meeting.lock'(board) {
    board.meeting = { ...board.meeting, status: 'locked' };
  },
  'meeting.unlock'(board) {
    board.meeting = { ...board.meeting, status: 'open' };
  },
  'decision.set'(board, op) {
    board.decision = { outcome: op.outcome, next_review: op.next_review, note: op.note, set_at: null, set_by: board.me?.id };
    board.pendingDecision = true;
  },
  'minutes.sign'(board, op) {
    updateMinutes(board, op.minutes, (minutes) => {
      const { id, name, role } = board.me;
      const others = minutes.signoffs.filter((signoff) => signoff.participant_id !== id);
      const mine = { participant_id: id, name, role, stance: op.stance, reason: op.reason, at: null };
      return { ...minutes, signoffs: [...others, mine] };
    });
  },
  'minutes.agree'(board, op) {
    updateMinutes(board, op.minutes, (minutes) => ({ ...minutes, status: 'agreed' }));
  },
};

function updateMinutes(board, number, change) {
  const minutes = board.minutes.get(String(number));
  if (!minutes || minutes.status === 'agreed') return; // the server will say no
  board.minutes.set(String(number), change(minutes));
  board.pendingMinutes.add(number);
}

function updateCard(board, cardId, change) {
  const card = board.cards.get(cardId);
  if (!card) return;
  board.cards.set(cardId, change(card));
  board.pendingCards.add(cardId);
}

function takeOut(board, card) {
  const ids = board.order.get(card.section);
  const index = ids ? ids.indexOf(card.id) : -1;
  if (index !== -1) ids.splice(index, 1);
}

function place(board, card, after) {
  const ids = board.order.get(card.section);
  if (!ids) return; // a section this page does not know: leave it to the server
  ids.splice(insertionIndex(ids, after), 0, card.id);
  board.cards.set(card.id, card);
  board.pendingCards.add(card.id);
}
