import assert from 'node:assert/strict';
import { beforeEach, describe, mock, test } from 'node:test';
import { MeetingConnection } from '../src/socket.js';
import { boardPayload, memoryStorage } from './fixtures.js';

// Stands in for a socket.io-client socket; the test plays the server.
class FakeSocket {
  constructor(options) {
    this.options = options;
    this.handlers = new Map();
    this.sent = [];
    this.connected = false;
    this.active = true;
    this.connectCalls = 0;
  }
  on(event, handler) {
    this.handlers.set(event, handler);
  }
  emit(event, data) {
    this.sent.push({ event, data });
  }
  timeout(ms) {
    return { emit: (event, data, answer) => this.sent.push({ event, data, answer, ms }) };
  }
  connect() {
    this.connectCalls += 1;
    return this;
  }
  disconnect() {
    const wasConnected = this.connected;
    this.connected = false;
    this.active = false;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }
  // --- the server's side
  fire(event, payload) {
    this.handlers.get(event)?.(payload);
  }
  serverConnects(payload = boardPayload({ seq: 1 })) {
    this.connected = true;
    this.fire('connect');
    if (payload) this.fire('state', payload);
  }
  dropped(reason = 'transport close') {
    this.connected = false;
    this.fire('disconnect', reason);
  }
  sends(event) {
    return this.sent.filter((s) => s.event === event);
  }
  lastSend(event) {
    return this.sends(event).at(-1);
  }
}

function open({ storage = memoryStorage(), online = true } = {}) {
  let socket;
  const connection = new MeetingConnection('m1', {
    io: (options) => (socket = new FakeSocket(options)),
    storage,
    isOnline: () => online,
  });
  const seen = { applied: [], refused: [], notices: [], statuses: [], boards: [] };
  connection.on('applied', (e) => seen.applied.push(e.seq));
  connection.on('refused', (r) => seen.refused.push(r));
  connection.on('notice', (n) => seen.notices.push(n));
  connection.on('status', (s) => seen.statuses.push(s));
  connection.on('board', (b) => seen.boards.push(b));
  return { connection, socket, seen, storage };
}

const op = (id) => ({ id, type: 'card.react', card_id: 'c1', stance: 'agree' });
const applied = (seq, extra = {}) => ({ seq, op_id: `x${seq}`, by: 'p_other', changes: [], ...extra });

describe('MeetingConnection', () => {
  beforeEach(() => mock.timers.reset());

  test('connects with the meeting id (in the URL too, for routing), websocket first, polling kept', () => {
    const { socket } = open();
    assert.deepEqual(socket.options.auth, { meeting_id: 'm1' });
    assert.deepEqual(socket.options.query, { meeting: 'm1' }); // routing by meeting
    assert.equal(socket.options.path, '/socket.io');
    assert.deepEqual(socket.options.transports, ['websocket', 'polling']);
  });

  test('waits for state, then sends ops one at a time in order', () => {
    const { connection, socket } = open();
    connection.send(op('o1'));
    connection.send(op('o2'));
    assert.equal(socket.sends('op').length, 0);
    socket.serverConnects();
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1']);
    socket.lastSend('op').answer(null, { ok: true, seq: 2 });
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o2']);
    assert.equal(connection.status().waiting, 1);
  });

  test('an acked op stays in the overlay until its applied arrives', () => {
    const { connection, socket } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    socket.lastSend('op').answer(null, { ok: true, seq: 2 });
    assert.deepEqual(connection.pendingOps().map((o) => o.id), ['o1']);
    assert.equal(connection.status().waiting, 0);
    socket.fire('applied', applied(2, { op_id: 'o1', by: 'p_me' }));
    assert.deepEqual(connection.pendingOps(), []);
  });

  test('tells the page each ack with the op it answers (a vote ack has my number)', () => {
    const { connection, socket } = open();
    const acks = [];
    connection.on('acked', ({ op: sent, ack }) => acks.push([sent.id, ack.vote?.value]));
    socket.serverConnects();
    connection.send({ id: 'o1', type: 'vote.cast', scale_id: 's1', value: 7 });
    socket.lastSend('op').answer(null, { ok: false, code: 'round_closed', message: 'No open round.' });
    connection.send({ id: 'o2', type: 'vote.cast', scale_id: 's1', value: 7 });
    socket.lastSend('op').answer(null, { ok: true, seq: 2, vote: { voter: 'p_me', value: 7 } });
    assert.deepEqual(acks, [['o2', 7]]);
  });

  test('after a reconnect, resends unacked ops with the same ids', () => {
    const { connection, socket } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    connection.send(op('o2'));
    const stale = socket.lastSend('op');
    socket.dropped();
    assert.equal(connection.status().connection, 'reconnecting');
    stale.answer(new Error('socket has been disconnected'));
    socket.serverConnects(boardPayload({ seq: 1 }));
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o1']);
    socket.lastSend('op').answer(null, { ok: true, seq: 2, duplicate: true });
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o1', 'o2']);
  });

  test('a reload keeps unsent ops: they go out after the next state', () => {
    const storage = memoryStorage();
    const first = open({ storage });
    first.connection.send(op('o1'));
    const second = open({ storage });
    assert.equal(second.connection.status().waiting, 1);
    second.socket.serverConnects();
    assert.deepEqual(second.socket.sends('op').map((s) => s.data.id), ['o1']);
  });

  test('no ack in time: the op stays queued and is sent again', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    assert.equal(socket.lastSend('op').ms, 10_000);
    socket.lastSend('op').answer(new Error('operation has timed out'));
    assert.equal(connection.status().waiting, 1);
    mock.timers.tick(2_000);
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o1']);
  });

  test('a refused op is dropped and reported with the server message; the next goes on', () => {
    const { connection, socket, seen } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    connection.send(op('o2'));
    socket.lastSend('op').answer(null, { ok: false, code: 'forbidden', message: 'Not yours.' });
    assert.equal(seen.refused[0].message, 'Not yours.');
    assert.equal(seen.refused[0].op.id, 'o1');
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o2']);
    assert.deepEqual(connection.pendingOps().map((o) => o.id), ['o2']);
  });

  test('a server bug (internal) refuses the op once: it is dropped, never tried again', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket, seen } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    const bug = { ok: false, code: 'internal', message: 'Something went wrong, and this change was not saved.' };
    socket.lastSend('op').answer(null, bug);
    assert.deepEqual(seen.refused.map((r) => [r.op.id, r.code]), [['o1', 'internal']]);
    assert.deepEqual(connection.status(), { connection: 'connected', waiting: 0, refusal: null });
    mock.timers.tick(60_000);
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1']);
  });

  test('store away: saving is paused, the ops wait and are tried again with back-off until one goes through', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket, seen } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    connection.send(op('o2'));
    const away = { ok: false, code: 'unavailable', message: 'Saving is paused. Trying again.' };
    socket.lastSend('op').answer(null, away);
    assert.deepEqual(connection.status(), { connection: 'paused', waiting: 2, refusal: null });
    assert.equal(seen.statuses.at(-1).connection, 'paused');
    assert.equal(seen.refused.length, 0);
    const tries = () => socket.sends('op').map((s) => s.data.id);
    for (const wait of [2_000, 4_000, 8_000, 10_000, 10_000]) {
      mock.timers.tick(wait - 1);
      const before = tries().length;
      mock.timers.tick(1);
      assert.deepEqual(tries().slice(before), ['o1'], `tried again after ${wait} ms`);
      socket.lastSend('op').answer(null, away);
      assert.equal(connection.status().connection, 'paused');
    }
    socket.lastSend('op').answer(null, { ok: true, seq: 2 });
    assert.deepEqual(tries().at(-1), 'o2'); // the next one follows at once
    assert.deepEqual(connection.status(), { connection: 'connected', waiting: 1, refusal: null });
    socket.lastSend('op').answer(null, { ok: true, seq: 3 });
    assert.equal(connection.status().waiting, 0);
  });

  test('unknown outcome: the op stays queued and goes again with its id; a duplicate ack settles it once', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket, seen } = open();
    const acked = [];
    connection.on('acked', (a) => acked.push(a.op.id));
    socket.serverConnects();
    connection.send(op('o1'));
    connection.send(op('o2'));
    const unknown = { ok: false, code: 'unknown_outcome', message: 'This change may have been saved.' };
    socket.lastSend('op').answer(null, unknown);
    assert.deepEqual(connection.status(), { connection: 'paused', waiting: 2, refusal: null });
    assert.equal(seen.refused.length, 0);
    assert.deepEqual(seen.notices.map((n) => n.code), ['unknown_outcome']);
    mock.timers.tick(2_000);
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o1']);
    socket.lastSend('op').answer(null, { ok: true, seq: 2, duplicate: true });
    assert.deepEqual(acked, ['o1']);
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o1', 'o2']);
    assert.deepEqual(connection.status(), { connection: 'connected', waiting: 1, refusal: null });
  });

  test('saving paused is forgotten on a disconnect and after any answer from a working store', () => {
    const { connection, socket } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    socket.lastSend('op').answer(null, { ok: false, code: 'unavailable' });
    socket.dropped();
    assert.equal(connection.status().connection, 'reconnecting');
    socket.serverConnects();
    assert.equal(connection.status().connection, 'connected');
    socket.lastSend('op').answer(null, { ok: false, code: 'unavailable' });
    assert.equal(connection.status().connection, 'paused');
    socket.lastSend('op').answer(null, { ok: false, code: 'locked', message: 'Paused by the facilitator.' });
    assert.equal(connection.status().connection, 'connected');
  });

  test('a heartbeat past the last applied seq is a gap: sync within a second', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket, seen } = open();
    socket.fire('heartbeat', { seq: 9 }); // before any board: the coming state is the whole board
    socket.serverConnects(boardPayload({ seq: 3 }));
    socket.fire('heartbeat', { seq: 3 });
    mock.timers.tick(5_000);
    assert.equal(socket.sends('sync').length, 0);
    socket.fire('heartbeat', { seq: 5 });
    mock.timers.tick(999);
    assert.equal(socket.sends('sync').length, 0);
    mock.timers.tick(1);
    const sync = socket.lastSend('sync');
    assert.deepEqual(sync.data, { since: 3 });
    sync.answer(null, { ok: true, seq: 5, changes: [applied(4), applied(5)] });
    assert.deepEqual(seen.applied, [4, 5]);
    mock.timers.tick(10_000);
    assert.equal(socket.sends('sync').length, 1);
  });

  test('a heartbeat whose applied turns up meanwhile needs no sync', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket, seen } = open();
    socket.serverConnects(boardPayload({ seq: 3 }));
    socket.fire('heartbeat', { seq: 4 });
    socket.fire('applied', applied(4));
    mock.timers.tick(5_000);
    assert.deepEqual(seen.applied, [4]);
    assert.equal(socket.sends('sync').length, 0);
  });

  test('the server time comes with each applied and each heartbeat, not with a sync', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket } = open();
    const times = [];
    connection.on('time', (now) => times.push(now));
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('applied', applied(2, { now: '2026-12-02T10:00:01.000Z' }));
    socket.fire('heartbeat', { seq: 4, now: '2026-12-02T10:00:06.000Z' });
    mock.timers.tick(1_000);
    // The log's records are old news: their times are not the server's time now.
    socket.lastSend('sync').answer(null, { ok: true, seq: 4, changes: [applied(3), applied(4)] });
    assert.deepEqual(times, ['2026-12-02T10:00:01.000Z', '2026-12-02T10:00:06.000Z']);
  });

  test('an ack whose applied is lost: sync brings it', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket, seen } = open();
    socket.serverConnects(boardPayload({ seq: 1 }));
    connection.send(op('o1'));
    socket.lastSend('op').answer(null, { ok: true, seq: 2 });
    mock.timers.tick(1_000);
    socket.lastSend('sync').answer(null, { ok: true, seq: 2, changes: [applied(2, { op_id: 'o1', by: 'p_me' })] });
    assert.deepEqual(seen.applied, [2]);
    assert.deepEqual(connection.pendingOps(), []);
  });

  test('a sync the store cannot answer is asked again, keeping the connection', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket } = open();
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('heartbeat', { seq: 4 });
    mock.timers.tick(1_000);
    socket.lastSend('sync').answer(null, { ok: false, code: 'unavailable', message: 'Saving is paused.' });
    assert.equal(socket.connected, true);
    mock.timers.tick(2_000);
    assert.equal(socket.sends('sync').length, 2);
  });

  test('a sync refused rate_limited waits its retry_after, then syncs on the same connection', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket, seen } = open();
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('heartbeat', { seq: 3 });
    mock.timers.tick(1_000);
    socket.lastSend('sync').answer(null, { ok: false, code: 'rate_limited', message: 'Slow down.', retry_after: 4.5 });
    assert.equal(socket.connected, true);
    assert.equal(socket.connectCalls, 0);
    mock.timers.tick(4_499);
    assert.equal(socket.sends('sync').length, 1);
    mock.timers.tick(1);
    const again = socket.lastSend('sync');
    assert.deepEqual(again.data, { since: 1 });
    again.answer(null, { ok: true, seq: 3, changes: [applied(2), applied(3)] });
    assert.deepEqual(seen.applied, [2, 3]);
  });

  test('an op refused rate_limited is sent again no sooner than its retry_after', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    socket.lastSend('op').answer(null, { ok: false, code: 'rate_limited', message: 'Slow down.', retry_after: 3 });
    mock.timers.tick(2_999);
    assert.equal(socket.sends('op').length, 1);
    mock.timers.tick(1);
    assert.equal(socket.sends('op').length, 2);
    assert.equal(socket.lastSend('op').data.id, 'o1');
  });

  test('applies in seq order, buffers early ones, and syncs when a gap stays', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket, seen } = open();
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('applied', applied(3));
    socket.fire('applied', applied(2));
    assert.deepEqual(seen.applied, [2, 3]);
    socket.fire('applied', applied(5));
    mock.timers.tick(999);
    assert.equal(socket.sends('sync').length, 0);
    mock.timers.tick(1);
    const sync = socket.lastSend('sync');
    assert.deepEqual(sync.data, { since: 3 });
    sync.answer(null, { ok: true, seq: 5, changes: [applied(4), applied(5)] });
    assert.deepEqual(seen.applied, [2, 3, 4, 5]);
  });

  test('a sync answered with a whole board replaces the board', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket, seen } = open();
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('applied', applied(9));
    mock.timers.tick(1_000);
    const board = boardPayload({ seq: 40 }).board;
    socket.lastSend('sync').answer(null, { ok: true, seq: 40, board });
    assert.equal(seen.boards[0].seq, 40);
    socket.fire('applied', applied(41));
    assert.deepEqual(seen.applied, [41]);
  });

  test('a sync the server refuses brings a fresh connection (and so a whole state)', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { socket } = open();
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('applied', applied(9));
    mock.timers.tick(1_000);
    socket.lastSend('sync').answer(null, { ok: false, code: 'invalid', message: 'Bad since.' });
    assert.equal(socket.connected, false);
    assert.equal(socket.connectCalls, 1);
  });

  test('our own op seen applied is not sent again, even without its ack', () => {
    const { connection, socket } = open();
    socket.serverConnects();
    connection.send(op('o1'));
    connection.send(op('o2'));
    socket.dropped();
    socket.serverConnects(boardPayload({ seq: 1 }));
    socket.fire('applied', applied(2, { op_id: 'o1', by: 'p_me' }));
    socket.lastSend('op').answer(null, { ok: true, seq: 2, duplicate: true });
    assert.deepEqual(connection.pendingOps().map((o) => o.id), ['o2']);
  });

  for (const reason of ['no_session', 'session_invalid', 'origin_not_allowed']) {
    test(`refused connection (${reason}) stops trying and says why`, () => {
      const { connection, socket } = open();
      socket.fire('connect_error', new Error(reason));
      assert.deepEqual(connection.status(), { connection: 'refused', waiting: 0, refusal: reason });
      assert.equal(socket.active, false);
    });
  }

  test('session_ended: stops for good, drops what waits (here and in storage), says ended', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket, seen, storage } = open();
    const ended = [];
    connection.on('ended', (e) => ended.push(e));
    socket.serverConnects();
    connection.send(op('o1'));
    connection.send(op('o2'));
    socket.fire('session_ended', { message: 'You are no longer in this meeting.' });
    assert.deepEqual(ended, [{ message: 'You are no longer in this meeting.' }]);
    assert.deepEqual(connection.status(), { connection: 'ended', waiting: 0, refusal: null });
    assert.equal(seen.statuses.at(-1).connection, 'ended');
    assert.deepEqual(connection.pendingOps(), []);
    assert.equal(storage.items.has('kinboard.ops.m1'), false);
    assert.equal(socket.connected, false);
    // The server closes the socket too: no reconnecting, ever.
    socket.fire('disconnect', 'io server disconnect');
    mock.timers.tick(60_000);
    assert.equal(socket.connectCalls, 0);
    assert.equal(connection.status().connection, 'ended');
    // A late answer to the op that was on its way changes nothing.
    socket.lastSend('op').answer(null, { ok: true, seq: 2 });
    assert.deepEqual(connection.pendingOps(), []);
  });

  test('refresh: connects again at once for the board afresh, keeping what waits', () => {
    const { connection, socket } = open();
    const states = [];
    connection.on('state', (s) => states.push(s.seq));
    socket.serverConnects();
    connection.send(op('o1'));
    const calls = socket.connectCalls;
    socket.fire('refresh', {});
    assert.equal(socket.connectCalls, calls + 1);
    assert.equal(connection.status().connection, 'reconnecting');
    socket.serverConnects(boardPayload({ seq: 4 }));
    assert.deepEqual(states, [1, 4]);
    assert.equal(connection.status().connection, 'connected');
    assert.deepEqual(socket.sends('op').map((s) => s.data.id), ['o1', 'o1']);
  });

  test('after the end, a change is refused at once and never sent', () => {
    const { connection, socket, seen } = open();
    socket.serverConnects();
    socket.fire('session_ended', { message: '' });
    const sent = socket.sends('op').length;
    connection.send(op('o9'));
    assert.equal(socket.sends('op').length, sent);
    assert.deepEqual(seen.refused.map((r) => [r.op.id, r.code]), [['o9', 'ended']]);
    assert.equal(connection.status().waiting, 0);
  });

  test('session_ended lost: the next connect is refused session_invalid, which ends it too', () => {
    const { connection, socket } = open();
    const ended = [];
    connection.on('ended', (e) => ended.push(e));
    socket.serverConnects();
    connection.send(op('o1'));
    socket.dropped('io server disconnect');
    socket.fire('connect_error', new Error('session_invalid'));
    assert.equal(connection.status().connection, 'ended');
    assert.equal(ended.length, 1);
    assert.equal(connection.status().waiting, 0);
  });

  test('too many windows: said plainly, tried again every 10 s, and in once one is closed', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { connection, socket } = open();
    socket.fire('connect_error', new Error('too_many_connections'));
    socket.active = false; // socket.io-client gives up after a refusal
    assert.deepEqual(connection.status(), { connection: 'crowded', waiting: 0, refusal: null });
    mock.timers.tick(9_999);
    assert.equal(socket.connectCalls, 0);
    mock.timers.tick(1);
    assert.equal(socket.connectCalls, 1);
    socket.fire('connect_error', new Error('too_many_connections'));
    mock.timers.tick(10_000);
    assert.equal(socket.connectCalls, 2);
    socket.serverConnects();
    assert.equal(connection.status().connection, 'connected');
  });

  test('a network error keeps reconnecting; offline is said plainly', () => {
    const { connection, socket } = open({ online: false });
    socket.fire('connect_error', new Error('websocket error'));
    assert.equal(connection.status().connection, 'offline');
  });

  test('editing is sent when ready and again after a reconnect', () => {
    const { connection, socket } = open();
    connection.editing('c1');
    assert.equal(socket.sends('editing').length, 0);
    socket.serverConnects();
    assert.deepEqual(socket.lastSend('editing').data, { card_id: 'c1' });
    connection.editing(null);
    assert.deepEqual(socket.lastSend('editing').data, { card_id: null });
  });
});
