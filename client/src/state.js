// The board as the server last told it: pure data, no DOM and no socket, so it can be
// unit-tested. It applies whole entities from `state`, `sync` and `applied` and never
// re-implements a board rule; the server decides, this only remembers.
import { clockOffset } from './family-time.js';
import { t } from './i18n.js';
import { compareCards } from './order.js';
import { templateInWords } from './template-words.js';

// One each per meeting, kept whole: the agenda, the spotlight, the timer, who is done.
const STEERING = ['agenda', 'focus', 'timer', 'readiness'];

export class BoardState {
  constructor() {
    this.seq = 0;
    this.me = null;
    this.template = null;
    this.meeting = null;
    this.participants = new Map();
    this.cards = new Map();
    // Cards removed while this page was open, kept so an "Undo" can show them again at once.
    this.removedCards = new Map();
    this.scales = new Map();
    this.rounds = new Map();
    this.decision = null;
    this.minutes = new Map(); // number (as the entity id, a string) -> minutes
    // The numbers I gave (or recorded for someone) in open rounds: only this screen knows
    // them. From `state.my_votes` ({round_id, scale_id, ...vote}) and from my votes' acks.
    this.myVotes = [];
    // How many days after it ends the meeting's records are kept (from `state`).
    this.retentionDays = null;
    // A family group meeting's family time, and (on the family's screens only) their plan.
    this.familyTime = null;
    this.familyPlan = new Map();
    // The server's clock less this screen's (see family-time.js).
    this.clockOffset = 0;
    // Children's items shared with everyone (`board.house_items`, entity `house_item`).
    this.houseItems = new Map();
    // Interpreters' translations this screen may see (`board.translations`, entity
    // `translation`): the server sends each only to its language's readers, its interpreter
    // and the facilitators.
    this.translations = new Map();
    // Children's items not shared with everyone that this screen may see (a child's own; a
    // facilitator's "only my worker" ones): whole lists from `state`, `sync` and the
    // `private_items` event, never in `applied`. `privateSeq`: the seq the list was made at.
    this.privateItems = [];
    this.privateSeq = -1;
    // How the facilitator steers the meeting (docs/protocol.md, "Steering the meeting").
    this.agenda = null;
    this.focus = null;
    this.timer = null;
    this.readiness = null;
  }

  get loaded() {
    return this.meeting !== null;
  }

  // The `state` event: everything, including who I am and the map's template.
  applyState({ seq, me, board, template, my_votes: myVotes, retention_days: retentionDays, now, private_items: privateItems }) {
    this.me = me;
    if (now) this.setServerTime(now);
    this.privateSeq = -1;
    this.applyPrivateItems(seq, privateItems ?? []);
    if (template) this.template = templateInWords(template);
    this.myVotes = myVotes ?? [];
    this.retentionDays = Number.isInteger(retentionDays) ? retentionDays : null;
    this.applyBoard(seq, board);
  }

  // The server's time (`state.now`, the `now` of each heartbeat and `applied`), for countdowns.
  setServerTime(now, localMs = Date.now()) {
    this.clockOffset = clockOffset(now, localMs);
  }

  // A whole list of the unshared items this screen may see; an older list than the one
  // held (events may cross) is ignored.
  applyPrivateItems(seq, items) {
    if (seq < this.privateSeq) return;
    this.privateSeq = seq;
    this.privateItems = items;
  }

  // The ack of my own `vote.cast` carries my number. It replaces what I said before on
  // this scale; `at` (server time) tells which round it belongs to (see scaling.js).
  rememberMyVote(scaleId, vote) {
    this.myVotes = this.myVotes.filter((v) => !(v.scale_id === scaleId && v.voter === vote.voter));
    this.myVotes.push({ ...vote, scale_id: scaleId, round_id: null });
  }

  // A whole board (from `state`, or from `sync` when the log no longer reaches back).
  applyBoard(seq, board) {
    this.seq = seq;
    this.meeting = board.meeting;
    this.participants = new Map(board.participants.map((p) => [p.id, p]));
    const previous = this.cards;
    this.cards = new Map(board.cards.map((c) => [c.id, c]));
    for (const [id, card] of previous) {
      if (!this.cards.has(id)) this.removedCards.set(id, card);
    }
    this.scales = new Map(board.scales.map((s) => [s.id, s]));
    this.rounds = new Map(board.rounds.map((r) => [r.id, r]));
    this.decision = board.decision ?? null;
    this.minutes = new Map((board.minutes ?? []).map((m) => [String(m.number), m]));
    this.familyTime = board.family_time ?? null;
    this.familyPlan = new Map((board.family_plan ?? []).map((item) => [item.id, item]));
    this.houseItems = new Map((board.house_items ?? []).map((i) => [i.id, i]));
    this.translations = new Map((board.translations ?? []).map((t) => [t.id, t]));
    for (const name of STEERING) this[name] = board[name] ?? null;
  }

  // One committed op (`applied`, or one entry of a `sync` answer), already in seq order.
  applyEvent({ seq, changes }) {
    this.applyChanges(changes);
    this.seq = seq;
  }

  // Generic upsert / delete by entity: the only way entities change.
  applyChanges(changes) {
    for (const change of changes) {
      if (change.entity === 'meeting') {
        if (!change.deleted) this.meeting = change.value;
      } else if (change.entity === 'participant') {
        upsertOrDelete(this.participants, change);
        if (change.id === this.me?.id && !change.deleted) this.followMe(change.value);
      } else if (change.entity === 'card') {
        const before = this.cards.get(change.id);
        upsertOrDelete(this.cards, change);
        if (change.deleted && before) this.removedCards.set(change.id, before);
        if (!change.deleted) this.removedCards.delete(change.id);
      } else if (change.entity === 'scale') {
        upsertOrDelete(this.scales, change);
      } else if (change.entity === 'round') {
        upsertOrDelete(this.rounds, change);
      } else if (change.entity === 'decision') {
        this.decision = change.deleted ? null : change.value;
      } else if (change.entity === 'minutes') {
        upsertOrDelete(this.minutes, change);
      } else if (change.entity === 'family_time') {
        this.familyTime = change.deleted ? null : change.value;
      } else if (change.entity === 'family_item') {
        upsertOrDelete(this.familyPlan, change);
      } else if (change.entity === 'house_item') {
        upsertOrDelete(this.houseItems, change);
      } else if (change.entity === 'translation') {
        upsertOrDelete(this.translations, change);
      } else if (STEERING.includes(change.entity)) {
        this[change.entity] = change.deleted ? null : change.value;
      }
    }
  }

  // The live cards of one section in board order.
  sectionCards(section) {
    const cards = [];
    for (const card of this.cards.values()) {
      if (card.section === section) cards.push(card);
    }
    return cards.sort(compareCards);
  }

  sectionKeys() {
    if (!this.template) return [];
    return this.template.columns.flatMap((column) => column.sections.map((s) => s.key));
  }

  participantName(participantId) {
    const person = this.participants.get(participantId);
    return person ? this.personName(person) : null;
  }

  // The meeting-room screen, left unnamed, is named "Meeting room screen" by the server in
  // English: each reader sees that name in their own language; a name someone gave it stays.
  personName(person) {
    return person.role === 'viewer' ? t(person.name) : person.name;
  }

  roleLabel(role) {
    return this.template.roles[role];
  }

  // Who someone is, as everyone sees it: "Says they are a worker" until a facilitator
  // confirms them (a participant, or a vote's voter: both carry `unconfirmed`).
  personRole(person) {
    return person.unconfirmed ? this.template.unconfirmed_label : this.roleLabel(person.role);
  }

  // The facilitator set my name or role right: I am who they said at once, and may do
  // what my new role may (the server's row for it, from the template).
  followMe(participant) {
    const can = this.template?.abilities?.[participant.role] ?? this.me.can;
    this.me = { ...participant, can };
  }
}

// A section's label in the meeting's vocabulary ("Danger statements" / "Worry statements").
export function sectionLabel(section, vocabulary) {
  return section.labels[vocabulary] ?? Object.values(section.labels)[0];
}

function upsertOrDelete(map, change) {
  if (change.deleted) map.delete(change.id);
  else map.set(change.id, change.value);
}
