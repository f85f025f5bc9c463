import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { projectBoard } from '../src/projection.js';
import {
  answeredOf,
  currentScaleId,
  describeScales,
  leftOutOf,
  likelyTwice,
  lowVotes,
  ownVote,
  scaleOfCard,
} from '../src/scaling.js';
import { BoardState } from '../src/state.js';
import { boardPayload, card } from './fixtures.js';

const OPENED = '2026-11-27T09:00:00.000Z';
const scale = (id, extra = {}) => ({
  id,
  question: `question of ${id}`,
  low_label: 'low',
  high_label: 'high',
  card_id: null,
  overall: false,
  created_at: '2026-11-27T08:00:00.000Z',
  ...extra,
});
const answered = (name, role, recordedBy = null) => ({ voter: `p_${name}`, name, role, recorded_by: recordedBy });
const openRound = (id, scaleId, extra = {}) => ({
  id,
  scale_id: scaleId,
  number: 1,
  status: 'open',
  opened_at: OPENED,
  revealed_at: null,
  answered: [],
  votes: [],
  ...extra,
});
const revealed = (id, scaleId, values, extra = {}) =>
  openRound(id, scaleId, {
    status: 'revealed',
    revealed_at: '2026-11-27T09:05:00.000Z',
    votes: values.map((value, n) => ({ voter: `p_${n}`, name: `P${n}`, role: 'parent', value })),
    ...extra,
  });
const participants = (...roles) => new Map(roles.map((role, n) => [`p${n}`, { id: `p${n}`, name: `P${n}`, role }]));

describe('answeredOf: "4 of 6 have answered", names only', () => {
  const cases = [
    { name: 'nobody yet', roles: ['facilitator', 'parent', 'viewer'], answered: [], count: 0, total: 2 },
    {
      name: 'the meeting-room screen is not counted',
      roles: ['facilitator', 'parent', 'child', 'viewer', 'viewer'],
      answered: [answered('Sam', 'parent')],
      count: 1,
      total: 3,
    },
    {
      name: 'someone recorded by the facilitator adds to who can vote',
      roles: ['facilitator', 'parent', 'network', 'professional'],
      answered: [answered('Sam', 'parent'), answered('Grandad', 'network', 'p0'), answered('Ava', 'child', 'p0')],
      count: 3,
      total: 6,
    },
    {
      name: 'someone taken out of the meeting before answering is not counted',
      roles: ['facilitator', 'parent', 'network'],
      removed: ['p2'],
      answered: [answered('Sam', 'parent')],
      count: 1,
      total: 2,
    },
    {
      name: 'a join whose answer was left out as a second one of the same person is not counted',
      roles: ['facilitator', 'parent', 'parent', 'network'],
      answered: [{ ...answered('P1', 'parent'), voter: 'p1' }],
      leftOut: [{ voter: 'p2', name: 'P2', role: 'parent', why: 'duplicate', by: 'p0' }],
      count: 1,
      total: 3,
    },
    {
      name: 'someone taken out after answering is left out and not counted',
      roles: ['facilitator', 'parent', 'network'],
      removed: ['p2'],
      answered: [answered('Sam', 'parent')],
      leftOut: [{ voter: 'p2', name: 'P2', role: 'network', why: 'removed', by: 'p0' }],
      count: 1,
      total: 2,
    },
  ];
  for (const row of cases) {
    test(row.name, () => {
      const people = participants(...row.roles);
      for (const id of row.removed ?? []) people.set(id, { ...people.get(id), removed: true });
      const round = openRound('r1', 's1', { answered: row.answered, left_out: row.leftOut ?? [] });
      const summary = answeredOf(round, people);
      assert.equal(summary.count, row.count);
      assert.equal(summary.total, row.total);
      assert.deepEqual(
        summary.people,
        row.answered.map((a) => ({ name: a.name, recorded: Boolean(a.recorded_by) })),
      );
      assert.ok(!JSON.stringify(summary.people).match(/value/));
    });
  }
});

describe('ownVote: my number, on my screen only', () => {
  const round = openRound('r2', 's1', { opened_at: OPENED });
  const fromState = { round_id: 'r2', scale_id: 's1', voter: 'p_me', value: 7, reason: 'school', at: '2026-11-27T09:01:00.000Z' };
  const cases = [
    { name: 'nothing given yet', myVotes: [], pending: [], expected: null },
    {
      name: 'from state.my_votes',
      myVotes: [fromState],
      pending: [],
      expected: { value: 7, reason: 'school', pending: false, replacesRecorded: false },
    },
    {
      name: 'in place of one the facilitator recorded for me',
      myVotes: [{ ...fromState, replaces_recorded_by: 'p_fac' }],
      pending: [],
      expected: { value: 7, reason: 'school', pending: false, replacesRecorded: true },
    },
    {
      name: 'from an ack, cast after the round opened',
      myVotes: [{ ...fromState, round_id: null }],
      pending: [],
      expected: { value: 7, reason: 'school', pending: false, replacesRecorded: false },
    },
    {
      name: 'an ack from before this round opened belongs to an earlier round',
      myVotes: [{ ...fromState, round_id: null, at: '2026-11-27T08:59:00.000Z' }],
      pending: [],
      expected: null,
    },
    { name: 'another round of the same scale', myVotes: [{ ...fromState, round_id: 'r1' }], pending: [], expected: null },
    { name: 'another scale', myVotes: [{ ...fromState, scale_id: 's2', round_id: null }], pending: [], expected: null },
    { name: 'someone else (recorded by me)', myVotes: [{ ...fromState, voter: 'behalf:gran|network' }], pending: [], expected: null },
    {
      name: 'a vote on its way wins, the newest of them',
      myVotes: [fromState],
      pending: [
        { type: 'vote.cast', scale_id: 's1', value: 3, reason: null },
        { type: 'vote.cast', scale_id: 's1', value: 4, reason: 'why' },
      ],
      expected: { value: 4, reason: 'why', pending: true, replacesRecorded: false },
    },
    {
      name: 'a vote on its way for someone else is not mine',
      myVotes: [],
      pending: [{ type: 'vote.cast', scale_id: 's1', value: 1, on_behalf_of: { name: 'Gran', role: 'network' } }],
      expected: null,
    },
  ];
  for (const row of cases) {
    test(row.name, () => assert.deepEqual(ownVote(row.myVotes, row.pending, round, 'p_me'), row.expected));
  }
});

describe('likelyTwice: answers that may be one person, names only', () => {
  const sams = [answered('Sam', 'parent'), { ...answered('sam', 'parent'), voter: 'p_sam2' }, answered('Gran', 'network')];
  const cases = [
    { name: 'none', round: { answered: sams, likely_duplicates: [] }, pending: [], expected: [] },
    {
      name: 'a pair, by name',
      round: { answered: sams, likely_duplicates: [['p_Sam', 'p_sam2']] },
      pending: [],
      expected: [
        [
          { voter: 'p_Sam', name: 'Sam', recorded: false, leaving: false },
          { voter: 'p_sam2', name: 'sam', recorded: false, leaving: false },
        ],
      ],
    },
    {
      name: 'one being left out right now waits',
      round: { answered: sams, likely_duplicates: [['p_Sam', 'p_sam2']] },
      pending: [{ type: 'vote.exclude', scale_id: 's1', voter: 'p_sam2' }],
      expected: [
        [
          { voter: 'p_Sam', name: 'Sam', recorded: false, leaving: false },
          { voter: 'p_sam2', name: 'sam', recorded: false, leaving: true },
        ],
      ],
    },
    {
      name: 'an answer no longer in the round is not offered',
      round: { answered: sams.slice(0, 1), likely_duplicates: [['p_Sam', 'p_sam2']] },
      pending: [],
      expected: [],
    },
    { name: 'a round from before likely_duplicates', round: { answered: sams }, pending: [], expected: [] },
  ];
  for (const row of cases) {
    test(row.name, () => {
      const got = likelyTwice(openRound('r1', 's1', row.round), row.pending);
      assert.deepEqual(got, row.expected);
      assert.ok(!JSON.stringify(got).match(/value/));
    });
  }

  test('leftOutOf names who left an answer out', () => {
    const people = new Map([['p_fac', { id: 'p_fac', name: 'Priya', role: 'facilitator' }]]);
    const round = openRound('r1', 's1', {
      left_out: [
        { voter: 'p_sam2', name: 'sam', role: 'parent', why: 'duplicate', by: 'p_fac', at: OPENED },
        { voter: 'p_x', name: 'Gran', role: 'network', why: 'removed', by: 'p_gone', at: OPENED },
      ],
    });
    assert.deepEqual(leftOutOf(round, people), [
      { name: 'sam', why: 'duplicate', by: 'Priya' },
      { name: 'Gran', why: 'removed', by: null },
    ]);
  });
});

describe('lowVotes and the threshold', () => {
  test('only revealed numbers at or below the threshold count', () => {
    const rounds = [revealed('r1', 's1', [2, 3, 8]), openRound('r2', 's1', { votes: [{ value: 0 }] })];
    assert.deepEqual(lowVotes(rounds, 2).map((v) => v.value), [2]);
    assert.deepEqual(lowVotes(rounds, 1), []);
    assert.deepEqual(lowVotes(rounds, 3).map((v) => v.value), [2, 3]);
  });
});

describe('describeScales', () => {
  function described({ scales, rounds = [], myVotes = [], pending = [], cards = [] }) {
    const state = new BoardState();
    state.applyState(boardPayload({ scales, rounds, myVotes, cards }));
    return describeScales(state, projectBoard(state, pending), pending);
  }

  test('the overall scale first, then in the order made, unsaved ones last', () => {
    const list = described({
      scales: [scale('s_b', { created_at: '2026-11-27T08:02:00Z' }), scale('s_a', { created_at: '2026-11-27T08:01:00Z' }), scale('s_all', { overall: true, created_at: '2026-11-27T08:09:00Z' })],
      pending: [{ type: 'scale.add', scale_id: 's_new', question: 'q', low_label: 'l', high_label: 'h', card_id: null }],
    });
    assert.deepEqual(list.map((item) => item.scale.id), ['s_all', 's_a', 's_b', 's_new']);
    assert.deepEqual(list.map((item) => item.pending), [false, false, false, true]);
  });

  test('rounds newest first, the open one found, my vote only in the open round', () => {
    const [item] = described({
      scales: [scale('s1')],
      rounds: [revealed('r1', 's1', [1]), openRound('r2', 's1', { number: 2 })],
      myVotes: [{ round_id: 'r2', scale_id: 's1', voter: 'p_me', value: 6, at: OPENED }],
    });
    assert.deepEqual(item.rounds.map((entry) => entry.round.id), ['r2', 'r1']);
    assert.equal(item.openRound.id, 'r2');
    assert.equal(item.rounds[0].myVote.value, 6);
    assert.equal(item.rounds[1].myVote, null);
    assert.deepEqual(item.lowVotes.map((v) => v.value), [1]);
  });

  test('waiting while a round op is on its way; the worry card it is about', () => {
    const [item] = described({
      scales: [scale('s1', { card_id: 'c1' })],
      cards: [card('c1', 'danger', 'V')],
      pending: [{ type: 'round.open', scale_id: 's1' }],
    });
    assert.equal(item.waiting, true);
    assert.equal(item.card.id, 'c1');
    assert.deepEqual([...scaleOfCard([item])], [['c1', 's1']]);
  });

  test('a scale whose card was removed is about no card', () => {
    const [item] = described({ scales: [scale('s1', { card_id: 'gone' })] });
    assert.equal(item.card, null);
  });
});

test('currentScaleId: the scale whose newest round opened or was shown last', () => {
  const item = (id, round) => ({ scale: { id }, rounds: round ? [{ round }] : [] });
  const scales = [
    item('s1', revealed('r1', 's1', [], { revealed_at: '2026-11-27T09:10:00Z' })),
    item('s2', openRound('r2', 's2', { opened_at: '2026-11-27T09:08:00Z' })),
    item('s3', null),
  ];
  assert.equal(currentScaleId(scales), 's1');
  assert.equal(currentScaleId([scales[1], scales[2]]), 's2');
  assert.equal(currentScaleId([scales[2]]), null);
});
