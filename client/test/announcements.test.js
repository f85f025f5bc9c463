import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Announcer, batchMessage, describeApplied } from '../src/announcements.js';
import { BoardState } from '../src/state.js';
import { boardPayload, card } from './fixtures.js';

const PEOPLE = [
  { id: 'p_me', name: 'Sam', role: 'parent' },
  { id: 'p_gran', name: 'Gran', role: 'network' },
  { id: 'p_priya', name: 'Priya', role: 'facilitator' },
];

const boardWith = (cards = [], extra = {}) => {
  const state = new BoardState();
  state.applyState(boardPayload({ cards, participants: PEOPLE, ...extra }));
  return state;
};

const cardChange = (value) => ({ entity: 'card', id: value.id, value });
const said = (event, before) => describeApplied(event, before, 'p_me')?.sentence ?? null;

describe('describeApplied: one change in one short sentence', () => {
  const c1 = card('c1', 'strengths', 'a0', { text: 'Gran walks them to school' });

  test('a card added, edited, moved, agreed with and taken off, by its section name', () => {
    assert.equal(said({ by: 'p_gran', changes: [cardChange(c1)] }, boardWith()), 'Gran added a card to Existing strengths');
    const before = boardWith([c1]);
    assert.equal(said({ by: 'p_gran', changes: [cardChange({ ...c1, text: 'Gran walks them' })] }, before), 'Gran changed a card in Existing strengths');
    assert.equal(said({ by: 'p_gran', changes: [cardChange({ ...c1, section: 'harm' })] }, before), 'Gran moved a card to What has happened (harm)');
    assert.equal(said({ by: 'p_gran', changes: [cardChange({ ...c1, stances: { p_gran: 'agree' } })] }, before), 'Gran agreed with a card in Existing strengths');
    assert.equal(said({ by: 'p_gran', changes: [cardChange({ ...c1, stances: { p_gran: 'disagree' } })] }, before), 'Gran does not agree with a card in Existing strengths');
    assert.equal(said({ by: 'p_gran', changes: [{ entity: 'card', id: 'c1', value: { ...c1, deleted: true }, deleted: true }] }, before), 'Gran took a card off Existing strengths');
  });

  test('a move that re-spaces its section is said as the move, not as the cards shifted', () => {
    const c2 = card('c2', 'harm', 'b0');
    const before = boardWith([c1, c2]);
    const changes = [cardChange({ ...c2, position: 'a5' }), cardChange({ ...c1, section: 'harm', position: 'a2' })];
    assert.equal(said({ by: 'p_priya', changes }, before), 'Priya moved a card to What has happened (harm)');
  });

  test('a removed card put back, someone joining, a scale opened and its answers shown', () => {
    const before = boardWith([c1]);
    before.applyChanges([{ entity: 'card', id: 'c1', deleted: true }]);
    assert.equal(said({ by: 'p_gran', changes: [cardChange(c1)] }, before), 'Gran put a card back in Existing strengths');
    const joining = { by: 'p_jo', changes: [{ entity: 'participant', id: 'p_jo', value: { id: 'p_jo', name: 'Jo', role: 'network' } }] };
    assert.equal(said(joining, boardWith()), 'Jo joined the meeting');
    const round = { id: 'r1', scale_id: 's1', number: 1, status: 'open', answered: [] };
    assert.equal(said({ by: 'p_priya', changes: [{ entity: 'round', id: 'r1', value: round }] }, boardWith()), 'Priya opened a scale for everyone to answer');
    const opened = boardWith([], { rounds: [round] });
    assert.equal(said({ by: 'p_gran', changes: [{ entity: 'round', id: 'r1', value: { ...round, answered: [{ voter: 'p_gran' }] } }] }, opened), 'Gran answered a scale');
    assert.equal(said({ by: 'p_priya', changes: [{ entity: 'round', id: 'r1', value: { ...round, status: 'revealed' } }] }, opened), "Priya showed everyone's answers");
  });

  test('minutes taken, signed and agreed; "I\'m done"; anything else is "made a change"', () => {
    const minutes = { number: 1, status: 'draft', signoffs: [] };
    assert.equal(said({ by: 'p_priya', changes: [{ entity: 'minutes', id: '1', value: minutes }] }, boardWith()), 'Priya took the minutes');
    const taken = boardWith([], { minutes: [minutes] });
    assert.equal(said({ by: 'p_gran', changes: [{ entity: 'minutes', id: '1', value: { ...minutes, signoffs: [{ participant_id: 'p_gran' }] } }] }, taken), 'Gran signed the minutes');
    assert.equal(said({ by: 'p_priya', changes: [{ entity: 'minutes', id: '1', value: { ...minutes, status: 'agreed' } }] }, taken), 'Priya marked the minutes as agreed');
    const ready = (answers) => ({ entity: 'readiness', id: 'readiness', value: { answers } });
    assert.equal(said({ by: 'p_gran', changes: [ready({ p_gran: 'done' })] }, boardWith()), 'Gran is done');
    const waiting = boardWith();
    waiting.applyChanges([ready({ p_gran: 'done' })]);
    assert.equal(said({ by: 'p_gran', changes: [ready({ p_gran: 'more_time' })] }, waiting), 'Gran needs more time');
    assert.equal(said({ by: 'p_priya', changes: [{ entity: 'focus', id: 'focus', value: { kind: 'section', target: 'harm' } }] }, boardWith()), 'Priya made a change');
  });

  test('my own changes, empty ones, ones by nobody named and someone\'s own settings are not said', () => {
    const gran = { id: 'p_gran', name: 'Gran', role: 'network', language: 'pl' };
    assert.equal(describeApplied({ by: 'p_gran', changes: [{ entity: 'participant', id: 'p_gran', value: gran }] }, boardWith(), 'p_me'), null);
    assert.equal(describeApplied({ by: 'p_me', changes: [cardChange(c1)] }, boardWith(), 'p_me'), null);
    assert.equal(describeApplied({ by: 'p_gran', changes: [] }, boardWith(), 'p_me'), null);
    assert.equal(describeApplied({ by: 'system', changes: [cardChange(c1)] }, boardWith(), 'p_me'), null);
  });
});

describe('batchMessage and Announcer: a second or two of changes as one message', () => {
  const item = (by, sentence = `${by} made a change`) => ({ by, sentence });

  test('one change is its sentence; more are counted, with who made them', () => {
    assert.equal(batchMessage([item('Gran', 'Gran added a card to Existing strengths')]), 'Gran added a card to Existing strengths');
    assert.equal(batchMessage([item('Gran'), item('Gran')]), '2 changes by Gran');
    assert.equal(batchMessage([item('Gran'), item('Sam'), item('Gran')]), '3 changes by Gran and Sam');
    assert.equal(batchMessage([item('Gran'), item('Sam'), item('Priya')]), '3 changes by Gran, Sam and Priya');
    assert.equal(batchMessage([item('A'), item('B'), item('C'), item('D'), item('A')]), '5 changes by several people');
  });

  test('what arrives within the window is said once, when it ends; the next starts afresh', () => {
    const said = [];
    const timers = [];
    const announcer = new Announcer({ say: (text) => said.push(text), schedule: (fn, ms) => timers.push({ fn, ms }), windowMs: 1500 });
    announcer.add(item('Gran'));
    announcer.add(null); // my own change
    announcer.add(item('Sam'));
    assert.equal(timers.length, 1);
    assert.equal(timers[0].ms, 1500);
    assert.deepEqual(said, []);
    timers[0].fn();
    assert.deepEqual(said, ['2 changes by Gran and Sam']);
    announcer.add(item('Priya', 'Priya took the minutes'));
    assert.equal(timers.length, 2);
    timers[1].fn();
    assert.deepEqual(said, ['2 changes by Gran and Sam', 'Priya took the minutes']);
  });
});
