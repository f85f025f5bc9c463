// Builders for the ops of docs/protocol.md, each with a fresh op id (its idempotency key).
import { newCardId, newOpId } from './ids.js';

const op = (type, fields = {}) => ({ id: newOpId(), type, ...fields });

export const addCard = ({ section, text, attributedTo, after }) =>
  op('card.add', {
    card_id: newCardId(),
    section,
    text,
    attributed_to: attributedTo || null,
    after: after ?? null,
  });

export const editCard = (cardId, { text, attributedTo }) =>
  op('card.edit', { card_id: cardId, text, attributed_to: attributedTo || null });

export const moveCard = (cardId, section, after) =>
  op('card.move', { card_id: cardId, section, after: after ?? null });

export const deleteCard = (cardId) => op('card.delete', { card_id: cardId });
export const restoreCard = (cardId) => op('card.restore', { card_id: cardId });
export const reactToCard = (cardId, stance) => op('card.react', { card_id: cardId, stance });

export const editMeeting = (fields) => op('meeting.edit', fields);
export const lockMeeting = () => op('meeting.lock');
export const unlockMeeting = () => op('meeting.unlock');
