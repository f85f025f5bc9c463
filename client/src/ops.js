// Builders for the ops of docs/protocol.md, each with a fresh op id (its idempotency key).
import { newCardId, newItemId, newOpId, newScaleId } from './ids.js';

const op = (type, fields = {}) => ({ id: newOpId(), type, ...fields });

// "Who will do it" and "By when": only a card of a timed section has them (the server
// refuses them elsewhere), so they are sent only when the editor asked for them.
const timing = ({ owner, due }) =>
  owner === undefined && due === undefined ? {} : { owner: owner || null, due: due || null };

export const addCard = ({ section, text, attributedTo, owner, due, after }) =>
  op('card.add', {
    card_id: newCardId(),
    section,
    text,
    attributed_to: attributedTo || null,
    ...timing({ owner, due }),
    after: after ?? null,
  });

export const editCard = (cardId, { text, attributedTo, owner, due }) =>
  op('card.edit', { card_id: cardId, text, attributed_to: attributedTo || null, ...timing({ owner, due }) });

// The composers (view/composer.js): `parts` by name, and the sentence as the group saves it.
const composed = ({ parts, text }) => ({ ...parts, text });

export const addStatement = ({ harms, after, ...fields }) =>
  op('statement.add', { card_id: newCardId(), ...composed(fields), harms: harms ?? [], after: after ?? null });

export const editStatement = (cardId, { harms, ...fields }) =>
  op('statement.edit', { card_id: cardId, ...composed(fields), ...(harms && { harms }) });

export const addGoal = (statementId, { due, after, ...fields }) =>
  op('goal.add', {
    card_id: newCardId(),
    statement_id: statementId,
    ...composed(fields),
    due: due || null,
    after: after ?? null,
  });

export const editGoal = (cardId, { due, ...fields }) =>
  op('goal.edit', { card_id: cardId, ...composed(fields), due: due || null });

export const moveCard = (cardId, section, after) =>
  op('card.move', { card_id: cardId, section, after: after ?? null });

export const deleteCard = (cardId) => op('card.delete', { card_id: cardId });
export const restoreCard = (cardId) => op('card.restore', { card_id: cardId });
export const reactToCard = (cardId, stance) => op('card.react', { card_id: cardId, stance });
// The facilitator: who can see a card ({kind, people}, see audience.js).
export const setCardAudience = (cardId, audience) => op('card.audience', { card_id: cardId, audience });

// An interpreter's translation into their language (`me.interprets`): of a card, or of the
// reason `voter` gave in a revealed round.
export const translateCard = (cardId, language, text) => op('card.translate', { card_id: cardId, language, text });
export const translateReason = (roundId, voter, language, text) =>
  op('card.translate', { round_id: roundId, voter, language, text });

export const editMeeting = (fields) => op('meeting.edit', fields);
export const setMeetingLanguage = (language) => op('meeting.language', { language });
export const setMyLanguage = (language) => op('participant.language', { language });
export const lockMeeting = () => op('meeting.lock');
export const unlockMeeting = () => op('meeting.unlock');
// Looking after the meeting (the facilitator): these end people's sessions on the server.
export const closeMeeting = () => op('meeting.close');
export const removeParticipant = (participantId) => op('participant.remove', { participant_id: participantId });
// Anyone but the room screen may change the name everyone sees them by (their own only).
export const renameMe = (name) => op('participant.rename', { name });
// The facilitator sets right someone's name or role, or confirms that they are a worker.
export const correctPerson = (participantId, fields) => op('participant.correct', { participant_id: participantId, ...fields });
export const confirmWorker = (participantId) => op('participant.confirm', { participant_id: participantId });

// Scaling together
export const addScale = ({ question, lowLabel, highLabel, cardId }) =>
  op('scale.add', {
    scale_id: newScaleId(),
    question,
    low_label: lowLabel,
    high_label: highLabel,
    card_id: cardId ?? null,
  });

export const editScale = (scaleId, { question, lowLabel, highLabel }) =>
  op('scale.edit', { scale_id: scaleId, question, low_label: lowLabel, high_label: highLabel });

export const deleteScale = (scaleId) => op('scale.delete', { scale_id: scaleId });
export const openRound = (scaleId) => op('round.open', { scale_id: scaleId });
export const revealRound = (scaleId) => op('round.reveal', { scale_id: scaleId });

// The facilitator leaves one of a likely pair of answers (one person twice) out of the round.
export const excludeVote = (scaleId, voter) => op('vote.exclude', { scale_id: scaleId, voter });

// `onBehalfOf` ({name, role}): the facilitator records a vote for someone without a device.
export const castVote = ({ scaleId, value, reason, onBehalfOf }) =>
  op('vote.cast', {
    scale_id: scaleId,
    value,
    reason: reason || null,
    ...(onBehalfOf && { on_behalf_of: onBehalfOf }),
  });

// The decision and minutes
export const setDecision = ({ outcome, nextReview, note }) =>
  op('decision.set', { outcome, next_review: nextReview || null, note: note || null });

export const takeMinutes = (label) => op('minutes.take', { label: label || null });

export const signMinutes = (number, stance, reason) =>
  op('minutes.sign', { minutes: number, stance, reason: reason || null });

export const agreeMinutes = (number) => op('minutes.agree', { minutes: number });

// A family group meeting: its stages, and private family time with the family's own plan
export const setStage = (stage) => op('meeting.stage', { stage });
export const startFamilyTime = (backAt) => op('family_time.start', { back_at: backAt });
export const askFamilyBack = () => op('family_time.ask');
export const answerFamilyTime = (ready) => op('family_time.answer', { ready });
export const forceEndFamilyTime = () => op('family_time.force_end');
export const addFamilyItem = (section, text) =>
  op('family_plan.add', { item_id: newItemId(), section, text });
export const editFamilyItem = (itemId, fields) => op('family_plan.edit', { item_id: itemId, ...fields });
export const deleteFamilyItem = (itemId) => op('family_plan.delete', { item_id: itemId });
export const shareFamilyPlan = () => op('family_plan.share');
// The child's three houses. `content`: {words}, {picture} or {strokes}.
export const addHouseItem = (house, content) => op('house.add', { item_id: newItemId(), house, ...content });
export const shareHouseItem = (itemId, sharing) => op('house.share', { item_id: itemId, sharing });
export const removeHouseItem = (itemId) => op('house.remove', { item_id: itemId });
// The facilitator: who can see a child's shared item ({kind, people}, as a card's).
export const setHouseItemAudience = (itemId, audience) => op('house.audience', { item_id: itemId, audience });
export const placeHouseItem = (itemId, section, after) =>
  op('house.place', { item_id: itemId, section, after: after ?? null, card_id: newCardId() });
export const setChildAge = (participantId, age) => op('child.age', { participant_id: participantId, age });
// Steering the meeting (the facilitator), and "I'm done" (everyone but the room screen)
export const goToStep = (step) => op('agenda.go', { step });
export const addStep = (title, at) => op('agenda.add', { title, at: at ?? null });
export const renameStep = (step, title) => op('agenda.rename', { step, title });
export const removeStep = (step) => op('agenda.remove', { step });
export const moveStep = (step, to) => op('agenda.move', { step, to });
export const spotlight = (kind, target) => op('focus.set', { kind, target });
export const clearSpotlight = () => op('focus.clear');
export const startTimer = (seconds) => op('timer.start', { seconds });
export const extendTimer = (seconds) => op('timer.extend', { seconds });
export const pauseTimer = () => op('timer.pause');
export const resumeTimer = () => op('timer.resume');
export const stopTimer = () => op('timer.stop');
export const sayReady = (state) => op('ready.say', { state });
