// The page reads the server's own `state` (state.json, written by the pytest contract test
// from the real codec): what it offers and shows follows the rules the server sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abilities } from '../src/abilities.js';
import { layoutDotPlot } from '../src/dot-plot.js';
import { checkNewLink } from '../src/looking-after.js';
import { projectBoard } from '../src/projection.js';
import { describeScales } from '../src/scaling.js';
import { BoardState } from '../src/state.js';
import { STATE } from './fixtures.js';

function loaded() {
  const state = new BoardState();
  state.applyState(STATE);
  return state;
}

test("the server's state: the facilitator may do everything in an open meeting", () => {
  const state = loaded();
  const can = abilities(state.me, state.meeting, state.template.statuses);
  for (const ability of ['runMeeting', 'lookAfter', 'contribute', 'runScales', 'vote', 'decide', 'finishMeeting', 'signMinutes']) {
    assert.equal(can[ability], true, ability);
  }
  assert.equal(can.changeCard(state.cards.get('c_strong')), true); // another person's card
});

test("the server's state: paused, only minutes and looking after the meeting remain", () => {
  const state = loaded();
  const can = abilities(state.me, { ...state.meeting, status: 'locked' }, state.template.statuses);
  assert.deepEqual(
    ['contribute', 'runScales', 'decide', 'lookAfter', 'finishMeeting', 'signMinutes'].map((ability) => can[ability]),
    [false, false, false, true, true, true],
  );
});

test("the server's state: scales, my own number in the open round, and each vote's group", () => {
  const state = loaded();
  const scales = describeScales(state, projectBoard(state, []), []);
  assert.deepEqual(scales.map((item) => item.scale.id), ['s_overall', 's_worry']);
  const [overall] = scales;
  assert.equal(overall.openRound.id, 'r_2');
  assert.deepEqual(overall.rounds[0].myVote, { value: 4, reason: null, pending: false, replacesRecorded: false });
  // every participant but the room screen may answer
  assert.deepEqual([overall.rounds[0].answered.count, overall.rounds[0].answered.total], [2, 5]);
  assert.deepEqual(overall.lowVotes, []); // the lowest number, 3, is above the threshold of 2

  const revealed = overall.rounds[1].round;
  const plot = layoutDotPlot({ votes: revealed.votes, medians: [], width: 600, fontSize: 18, measure: (text) => text.length * 10 });
  assert.deepEqual(
    plot.dots.map((dot) => [dot.vote.name, dot.group]),
    [['Jo from school', 'professionals'], ['Ayaan', 'family'], ['Sam', 'family'], ['Gran', 'network']],
  );
});

test("the server's state: a person's link follows the template's roles and days", () => {
  const { template } = loaded();
  assert.deepEqual(checkNewLink({ name: 'Gran', role: 'network', days: String(template.link_days.max) }, template), {
    link: { name: 'Gran', role: 'network', days: template.link_days.max },
  });
  assert.equal(checkNewLink({ name: 'Gran', role: 'network', days: String(template.link_days.max + 1) }, template).problem, 'needsDays');
  assert.equal(checkNewLink({ name: 'Gran', role: 'facilitator', days: '7' }, template).problem, 'needsRole');
});
