// The only module that talks to Socket.IO. It keeps this browser's unconfirmed ops (and
// sends them one at a time, in order, with their ids), puts the server's `applied` events
// back into seq order, fills gaps with `sync`, and says how the connection is doing.
//
// Events for the page: `state` (everything, after each connect), `board` (a whole board
// from `sync`), `applied` (one committed op, in order), `presence`, `pending` (the
// unconfirmed ops changed), `status`, `acked` (an op the server committed, with its ack:
// a vote's ack carries the voter's own number), `refused` (an op the server said no to,
// with its message), `notice` (a passing problem; the op will be tried again) and `ended`
// (the server ended this person's session: nothing more is sent or received).
//
// The status's `connection` is `connecting`, `connected`, `paused` (connected, but the
// server cannot save just now: ops wait and are tried again), `reconnecting`, `offline`,
// `refused` (the server will not let this browser in), `crowded` (this person has the
// meeting open in too many windows: tried again now and then, so closing one is enough)
// or `ended` (taken out of the meeting, their link turned off, or the meeting ended).
import { io as socketIo } from 'socket.io-client';
import { Emitter } from './emitter.js';
import { OpQueue } from './op-queue.js';
import { Sequencer } from './sequencer.js';

// Reasons the server gives for not letting this browser in: retrying will not help.
const REFUSED_REASONS = new Set(['origin_not_allowed', 'no_session', 'session_invalid']);
// This person's session is no longer valid: once in, they have been let out.
const SESSION_GONE = 'session_invalid';
// A fourth window of one person: let in once another is closed.
const TOO_MANY_WINDOWS = 'too_many_connections';
const CROWDED_RETRY_MS = 10_000;
// Answers that pass: the same op is tried again later, with the same id. After a refusal
// the server remembers nothing; after `unknown_outcome` (its commit got no answer from the
// store) the op may have been applied, and the resend is then a duplicate.
const PASSING_CODES = new Set(['unavailable', 'unknown_outcome', 'rate_limited']);
// The server's store is away (or did not answer): saving is paused until an op goes through.
const STORE_AWAY = new Set(['unavailable', 'unknown_outcome']);
// Too much at once: the server says when (`retry_after`, in seconds) to try again.
const SLOW_DOWN = 'rate_limited';
// A room is waiting for its changes: never longer than this between tries.
const MAX_RETRY_DELAY_MS = 10_000;

export class MeetingConnection extends Emitter {
  constructor(meetingId, options = {}) {
    super();
    const {
      io = socketIo,
      storage = sessionStorageOrMemory(),
      isOnline = () => globalThis.navigator?.onLine !== false,
      ackTimeoutMs = 10_000, // no ack by then: treat as not delivered, keep it queued
      gapWaitMs = 1_000, // how long an early `applied` may wait for the one before it
      stateWaitMs = 3_000, // after a reconnect, ask `sync` if no `state` came by then
      retryDelayMs = 2_000,
    } = options;
    Object.assign(this, { isOnline, ackTimeoutMs, gapWaitMs, stateWaitMs, retryDelayMs });

    this.queue = new OpQueue(storage, `kinboard.ops.${meetingId}`);
    this.sequencer = new Sequencer();
    this.settling = []; // acked ops whose `applied` has not arrived yet: {op, seq}
    this.hasBoard = false;
    this.ready = false; // connected and up to date: ops may be sent
    this.inFlight = null;
    this.epoch = 0; // one per connection: answers from before a disconnect are ignored
    this.syncing = false;
    this.editingCardId = null;
    this.connection = 'connecting';
    this.savingPaused = false;
    this.refusal = null;
    this.ended = false;
    this.retryDelay = retryDelayMs;
    this.timers = {};

    this.socket = io({
      path: '/socket.io',
      // In the URL of every request, so that a proxy sends all of a meeting's sockets to
      // one worker (deploy/nginx.conf hashes on it). The session token never goes in a URL.
      query: { meeting: meetingId },
      auth: { meeting_id: meetingId },
      transports: ['websocket', 'polling'],
      tryAllTransports: true, // a proxy that blocks websockets still gets long-polling
    });
    this.listen();
  }

  // --- what the page calls -----------------------------------------------------------

  send(op) {
    if (this.ended) {
      this.emit('refused', { op, code: 'ended', message: '' });
      return;
    }
    this.queue.add(op);
    this.pendingChanged();
    this.flush();
  }

  // Ops sent or waiting whose result is not on the board yet, oldest first.
  pendingOps() {
    return [...this.settling.map((s) => s.op), ...this.queue.list()];
  }

  editing(cardId) {
    this.editingCardId = cardId;
    if (this.ready) this.socket.emit('editing', { card_id: cardId });
  }

  status() {
    const connection = this.connection === 'connected' && this.savingPaused ? 'paused' : this.connection;
    return { connection, waiting: this.queue.length, refusal: this.refusal };
  }

  close() {
    for (const name of Object.keys(this.timers)) this.clearTimer(name);
    this.socket.disconnect();
  }

  // --- the socket ---------------------------------------------------------------------

  listen() {
    const socket = this.socket;
    socket.on('connect', () => {
      this.refusal = null;
      // The server sends `state` on every connect; if it is lost, catch up from the log.
      if (this.hasBoard) this.setTimer('state', this.stateWaitMs, () => this.resync());
    });
    socket.on('state', (payload) => {
      this.clearTimer('state');
      this.meId = payload.me?.id;
      this.sequencer.reset(payload.seq);
      this.hasBoard = true;
      this.settle();
      this.emit('state', payload);
      this.becomeReady();
      this.watchGap();
    });
    // Each `applied` carries the server's time when it was sent, as a heartbeat does: a busy
    // room hears no heartbeats.
    socket.on('applied', (event) => {
      if (event?.now) this.emit('time', event.now);
      this.receive(event);
    });
    // Every 5 s, unless an `applied` said it, the server says its latest seq: a quiet room
    // learns it missed a broadcast.
    socket.on('heartbeat', (beat) => {
      if (beat?.now) this.emit('time', beat.now);
      if (!this.hasBoard) return; // the coming `state` is the whole board anyway
      this.sequencer.serverAt(beat?.seq);
      this.watchGap();
    });
    socket.on('presence', (presence) => this.emit('presence', presence));
    // The children's unshared items this screen may see: a whole list each time.
    socket.on('private_items', ({ seq, items }) => this.emit('private_items', { seq, items }));
    socket.on('session_ended', (data) => this.end(data?.message ?? ''));
    // What this person may see changed (the facilitator set their role right): the board
    // afresh, from the `state` of a new connection.
    socket.on('refresh', () => {
      if (!this.stopped()) socket.disconnect().connect();
    });
    socket.on('disconnect', (reason) => {
      if (this.ended) return;
      this.ready = false;
      this.inFlight = null;
      this.epoch += 1;
      this.syncing = false;
      this.savingPaused = false; // the next connection will find out afresh
      for (const name of Object.keys(this.timers)) this.clearTimer(name);
      // After a server-side disconnect Socket.IO does not retry by itself.
      if (reason === 'io server disconnect') this.reconnectLater();
      this.setConnection(this.offlineOrReconnecting());
    });
    socket.on('connect_error', (error) => {
      if (this.ended) return;
      // The session ended while this page was away (its `session_ended` was lost).
      if (error?.message === SESSION_GONE && this.hasBoard) {
        this.end('');
        return;
      }
      if (error?.message === TOO_MANY_WINDOWS) {
        this.setConnection('crowded');
        this.reconnectLater(CROWDED_RETRY_MS);
        return;
      }
      if (REFUSED_REASONS.has(error?.message)) {
        this.refusal = error.message;
        this.setConnection('refused');
        socket.disconnect();
        return;
      }
      if (!socket.active) this.reconnectLater();
      this.setConnection(this.offlineOrReconnecting());
    });
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', () => {
        if (!this.stopped()) this.setConnection('offline');
      });
      window.addEventListener('online', () => {
        if (this.stopped()) return;
        if (!socket.connected) {
          this.setConnection('reconnecting');
          // At once, rather than when Socket.IO's growing back-off next tries.
          socket.disconnect().connect();
        } else if (this.ready) {
          this.setConnection('connected');
        }
      });
    }
  }

  becomeReady() {
    this.ready = true;
    this.setConnection(this.isOnline() ? 'connected' : 'offline');
    if (this.editingCardId) this.socket.emit('editing', { card_id: this.editingCardId });
    this.flush();
  }

  // One committed op from `applied` or `sync`: apply what is now in order.
  receive(event) {
    for (const next of this.sequencer.accept(event)) {
      // Our own op is on the board: no need to send it again, even if its ack was lost.
      if (next.by === this.meId && this.queue.has(next.op_id)) this.queue.remove(next.op_id);
      this.emit('applied', next);
    }
    this.settle();
    this.watchGap();
  }

  // Something committed is missing: give its `applied` a moment, then ask `sync`.
  watchGap() {
    if (!this.sequencer.hasGap) this.clearTimer('gap');
    else if (!this.timers.gap) this.setTimer('gap', this.gapWaitMs, () => this.resync());
  }

  resync() {
    if (!this.socket.connected || this.syncing) return;
    this.syncing = true;
    const epoch = this.epoch;
    this.socket
      .timeout(this.ackTimeoutMs)
      .emit('sync', { since: this.sequencer.seq }, (error, answer) => {
        if (epoch !== this.epoch) return;
        this.syncing = false;
        if (answer?.code === SLOW_DOWN) {
          this.setTimer('gap', this.waitMs(answer, this.retryDelayMs), () => this.resync());
          return;
        }
        if (answer?.ok === false && !STORE_AWAY.has(answer.code)) {
          // The server will not answer from this seq: a fresh connection brings a whole `state`.
          this.socket.disconnect().connect();
          return;
        }
        if (error || !answer?.ok || (!answer.board && !Array.isArray(answer.changes))) {
          this.setTimer('gap', this.retryDelayMs, () => this.resync());
          return;
        }
        if (answer.board) {
          this.sequencer.reset(answer.seq);
          this.emit('board', { seq: answer.seq, board: answer.board });
        }
        if (Array.isArray(answer.private_items)) this.emit('private_items', { seq: answer.seq, items: answer.private_items });
        this.sequencer.serverAt(answer.seq);
        for (const event of answer.changes ?? []) this.receive(event);
        this.settle();
        this.watchGap();
        if (!this.ready) this.becomeReady();
      });
  }

  // Sends the oldest unconfirmed op; the next one goes when its answer is in, so the
  // server sees this browser's ops in the order they were made.
  flush() {
    if (this.ended || !this.ready || this.inFlight || !this.socket.connected) return;
    const op = this.queue.first();
    if (!op) return;
    this.inFlight = op.id;
    const epoch = this.epoch;
    this.socket.timeout(this.ackTimeoutMs).emit('op', op, (error, ack) => {
      if (epoch !== this.epoch) return;
      this.inFlight = null;
      if (error || !ack) {
        this.retryLater(); // not delivered as far as we know: it stays queued
        return;
      }
      this.savingPaused = STORE_AWAY.has(ack.code);
      if (ack.ok) {
        this.retryDelay = this.retryDelayMs;
        this.queue.remove(op.id);
        if (ack.seq > this.sequencer.seq) this.settling.push({ op, seq: ack.seq });
        // Its `applied` should follow; if that broadcast is lost, the gap brings it.
        this.sequencer.serverAt(ack.seq);
        this.watchGap();
        this.emit('acked', { op, ack });
        this.pendingChanged();
        this.flush();
      } else if (PASSING_CODES.has(ack.code)) {
        this.emit('status', this.status());
        this.emit('notice', { op, code: ack.code, message: ack.message });
        this.retryLater(this.waitMs(ack, 0));
      } else {
        this.queue.remove(op.id);
        this.pendingChanged();
        this.emit('refused', { op, code: ack.code, message: ack.message });
        this.flush();
      }
    });
  }

  retryLater(atLeastMs = 0) {
    this.setTimer('retry', Math.max(this.retryDelay, atLeastMs), () => this.flush());
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_DELAY_MS);
  }

  // How long a `rate_limited` answer asks us to wait (its `retry_after`), else `otherwise`.
  waitMs(answer, otherwise) {
    const seconds = Number(answer?.retry_after);
    return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_DELAY_MS) : otherwise;
  }

  reconnectLater(delay = this.retryDelayMs) {
    this.setTimer('reconnect', delay, () => {
      if (!this.stopped() && !this.socket.connected) this.socket.connect();
    });
  }

  // No more trying: the server will not let this browser in, or this person's session ended.
  stopped() {
    return this.connection === 'refused' || this.ended;
  }

  // The server ended this person's session (they were taken out of the meeting, their link
  // was turned off, or the meeting ended): stop for good. Unsent changes are dropped: they
  // can never be saved, and must not go out later from this tab under someone else's name.
  end(message) {
    if (this.ended) return;
    this.ended = true;
    this.ready = false;
    this.inFlight = null;
    this.epoch += 1;
    for (const name of Object.keys(this.timers)) this.clearTimer(name);
    this.queue.clear();
    this.settling = [];
    this.setConnection('ended');
    this.pendingChanged();
    this.emit('ended', { message });
    this.socket.disconnect();
  }

  // Drops acked ops once the board has caught up with them.
  settle() {
    const before = this.settling.length;
    this.settling = this.settling.filter((s) => s.seq > this.sequencer.seq);
    if (this.settling.length !== before) this.pendingChanged();
  }

  pendingChanged() {
    this.emit('pending', this.pendingOps());
    this.emit('status', this.status());
  }

  offlineOrReconnecting() {
    return this.isOnline() ? 'reconnecting' : 'offline';
  }

  setConnection(connection) {
    if (connection === this.connection) return;
    this.connection = connection;
    this.emit('status', this.status());
  }

  setTimer(name, delay, run) {
    this.clearTimer(name);
    this.timers[name] = setTimeout(() => {
      delete this.timers[name];
      run();
    }, delay);
  }

  clearTimer(name) {
    clearTimeout(this.timers[name]);
    delete this.timers[name];
  }
}

export const connectToMeeting = (meetingId, options) => new MeetingConnection(meetingId, options);

// sessionStorage can be missing or throw (blocked storage); then the queue lives in memory.
function sessionStorageOrMemory() {
  try {
    const storage = globalThis.sessionStorage;
    storage.getItem('kinboard');
    return storage;
  } catch {
    const items = new Map();
    return {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => items.set(key, String(value)),
      removeItem: (key) => items.delete(key),
    };
  }
}
