// What a screen reader hears of other people's changes: each committed op put into one
// short sentence ("Gran added a card to Existing strengths"), and the sentences of a second
// or two joined into one message ("3 changes by Gran and Sam"), so a busy meeting does not
// talk over itself. Someone's own changes are never said: they know them already.
import { lang, t, tn } from './i18n.js';
import { sectionLabel } from './state.js';

export const BATCH_MS = 1500;
const MOST_NAMES = 3; // more people than this are "several people"

/**
 * One `applied` event as a sentence, read against the board as it was before the event
 * (`before`: a BoardState); null when it is my own change or nobody named made it.
 */
export function describeApplied(event, before, meId) {
  if (!event.changes?.length || event.by === meId || onlyOwnSettings(event, before)) return null;
  const name = before.participantName(event.by) ?? newName(event);
  if (!name) return null;
  return { by: name, sentence: sentenceOf(event, before, name) };
}

// Someone changing their own language or name changes nothing on the board for others.
function onlyOwnSettings(event, before) {
  return event.changes.every((c) => c.entity === 'participant' && c.id === event.by && before.participants.has(c.id));
}

// Someone joining is named only by their own change.
function newName(event) {
  const joined = event.changes.find((c) => c.entity === 'participant' && c.id === event.by && !c.deleted);
  return joined?.value.name ?? null;
}

function sentenceOf(event, before, name) {
  const card = cardSentence(event.changes.filter((c) => c.entity === 'card'), before, event.by, name);
  if (card) return card;
  for (const change of event.changes) {
    const sentence = otherSentence(change, before, event.by, name);
    if (sentence) return sentence;
  }
  return t('{name} made a change', { name });
}

// An op can touch several cards (a move re-spaces its section): the one that matters most.
const CARD_KINDS = ['added', 'removed', 'restored', 'moved', 'edited', 'agreed', 'disagreed', 'reordered'];

function cardSentence(changes, before, by, name) {
  const found = changes.map((change) => ({ change, kind: cardKind(change, before, by) })).filter((c) => c.kind);
  if (!found.length) return null;
  found.sort((a, b) => CARD_KINDS.indexOf(a.kind) - CARD_KINDS.indexOf(b.kind));
  const { change, kind } = found[0];
  const sectionKey = change.deleted ? before.cards.get(change.id)?.section : change.value.section;
  const section = sectionName(before, sectionKey);
  const params = { name, section };
  if (kind === 'added') return t('{name} added a card to {section}', params);
  if (kind === 'removed') return t('{name} took a card off {section}', params);
  if (kind === 'restored') return t('{name} put a card back in {section}', params);
  if (kind === 'moved') return t('{name} moved a card to {section}', params);
  if (kind === 'edited') return t('{name} changed a card in {section}', params);
  if (kind === 'agreed') return t('{name} agreed with a card in {section}', params);
  if (kind === 'disagreed') return t('{name} does not agree with a card in {section}', params);
  return t('{name} moved a card in {section}', params);
}

function cardKind(change, before, by) {
  const old = before.cards.get(change.id);
  if (change.deleted) return old ? 'removed' : null;
  const card = change.value;
  if (!old) return before.removedCards.has(change.id) ? 'restored' : 'added';
  if (card.section !== old.section) return 'moved';
  if (card.text !== old.text) return 'edited';
  const stance = card.stances?.[by];
  if (stance && stance !== old.stances?.[by]) return stance === 'agree' ? 'agreed' : 'disagreed';
  return card.position !== old.position ? 'reordered' : null;
}

function sectionName(before, key) {
  const section = before.template?.columns?.flatMap((column) => column.sections).find((s) => s.key === key);
  return section ? sectionLabel(section, before.meeting?.vocabulary) : key;
}

function otherSentence(change, before, by, name) {
  if (change.deleted) return null;
  const value = change.value;
  if (change.entity === 'participant' && !before.participants.has(change.id)) {
    return t('{name} joined the meeting', { name });
  }
  if (change.entity === 'round') {
    const old = before.rounds.get(change.id);
    if (!old) return t('{name} opened a scale for everyone to answer', { name });
    if (value.status !== old.status && value.status === 'revealed') return t("{name} showed everyone's answers", { name });
    if ((value.answered?.length ?? 0) > (old.answered?.length ?? 0)) return t('{name} answered a scale', { name });
  }
  if (change.entity === 'readiness') {
    const said = value.answers?.[by];
    if (said && said !== before.readiness?.answers?.[by]) {
      return said === 'done' ? t('{name} is done', { name }) : t('{name} needs more time', { name });
    }
  }
  if (change.entity === 'minutes') {
    const old = before.minutes.get(change.id);
    if (!old) return t('{name} took the minutes', { name });
    if (value.status !== old.status) return t('{name} marked the minutes as agreed', { name });
    if ((value.signoffs?.length ?? 0) !== (old.signoffs?.length ?? 0)) return t('{name} signed the minutes', { name });
  }
  return null;
}

/** The message for a batch of sentences: the sentence itself when there is one. */
export function batchMessage(items) {
  if (items.length === 1) return items[0].sentence;
  const names = [...new Set(items.map((item) => item.by))];
  const count = items.length;
  if (names.length > MOST_NAMES) return tn('{count} change by several people', '{count} changes by several people', count);
  return tn('{count} change by {names}', '{count} changes by {names}', count, { names: listWords(names) });
}

// "Gran, Sam and Priya", in the page's language.
function listWords(names) {
  const language = lang() === 'en' ? 'en-GB' : lang();
  return new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(names);
}

/**
 * Gathers sentences for `windowMs` after the first of a batch, then says them as one
 * message. `schedule(fn, ms)` is setTimeout on the page (tests pass their own).
 */
export class Announcer {
  constructor({ say, schedule = (fn, ms) => setTimeout(fn, ms), windowMs = BATCH_MS }) {
    this.say = say;
    this.schedule = schedule;
    this.windowMs = windowMs;
    this.waiting = [];
  }

  add(item) {
    if (!item) return;
    this.waiting.push(item);
    if (this.waiting.length === 1) this.schedule(() => this.flush(), this.windowMs);
  }

  flush() {
    const items = this.waiting;
    this.waiting = [];
    if (items.length) this.say(batchMessage(items));
  }
}
