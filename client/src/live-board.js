// What the board page and the display page share: the connection, the board state, and
// the views every live board has (the map and the plan, the scales, the decision and the
// minutes, the title and banners, the connection line). Renders at most once a frame,
// however many events arrive. When this person's session ends (taken out of the meeting,
// their link turned off, or the meeting ended), the board stays on screen, unchangeable.
import { abilities } from './abilities.js';
import { today } from './dates.js';
import { describeFamilyTime } from './family-time.js';
import { feedState } from './feed.js';
import { deletionDate } from './looking-after.js';
import { editingNames, peopleHere, peopleInMeeting } from './presence.js';
import { projectBoard } from './projection.js';
import { whatToRead } from './read-aloud.js';
import { describeMinutes, takingMinutes } from './record.js';
import { describeScales, scaleOfCard } from './scaling.js';
import { connectToMeeting } from './socket.js';
import { BoardState } from './state.js';
import { BoardView } from './view/board-view.js';
import { ChildHousesView } from './view/child-houses-view.js';
import { ConnectionView } from './view/connection-view.js';
import { FamilyTimeView } from './view/family-time-view.js';
import { MeetingEndView } from './view/meeting-end-view.js';
import { MeetingView } from './view/meeting-view.js';
import { ReadAloudControls } from './view/read-aloud-view.js';
import { ReviewPromptsView } from './view/review-prompts-view.js';
import { ScalesView } from './view/scales-view.js';
import { SetsView } from './view/sets-view.js';
import { StagesView } from './view/stages-view.js';
import { ReadinessView } from './view/readiness-view.js';
import { SpotlightView } from './view/spotlight-view.js';
import { StepBarView } from './view/step-bar-view.js';
import { TimerView } from './view/timer-view.js';
import { pendingStep } from './steering.js';

// actions, scaleActions, endActions, familyActions, houseActions, steerActions: what the
// board page does (see board-page.js); none on the read-only display. beforeApplied(event,
// state): each `applied` event, while `state` is still the board before it.
export function startLiveBoard(
  root,
  {
    readOnly = false,
    actions = null,
    scaleActions = null,
    endActions = null,
    familyActions = null,
    houseActions = null,
    steerActions = null,
    onRender = () => {},
    beforeApplied = () => {},
  } = {},
) {
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  const meetingId = root.dataset.meetingId;
  const state = new BoardState();
  const connection = connectToMeeting(meetingId);
  const scalesView = new ScalesView(part('scales'), { readOnly, actions: scaleActions });
  const endView = new MeetingEndView({ meetingId, actions: endActions });
  const setsView = new SetsView({ readOnly, actions });
  const boardView = new BoardView(part('board'), {
    readOnly,
    actions,
    extraTabs: [scalesView.tab],
    planParts: [endView.element],
    mapParts: [setsView.element],
    tabs: part('view-tabs'),
  });
  const promptsView = new ReviewPromptsView(part('review-prompts'));
  const housesView = new ChildHousesView(part('child-houses'), houseActions);
  const meetingView = new MeetingView({
    title: part('title'),
    statusBanner: part('status-banner'),
    closedBanner: part('meeting-closed'),
    endedBanner: part('session-ended'),
  });
  const connectionView = new ConnectionView(part('connection'), part('refused'));
  const stagesView = new StagesView(part('stages'), { actions: familyActions });
  const familyTimeView = new FamilyTimeView(part('family-time'), { root, actions: familyActions });
  // Where the meeting is: the step bar, the timer, "I'm done", the spotlight.
  // The server's time now, by the offset `state` keeps from its `now`s.
  const serverNow = () => Date.now() + state.clockOffset;
  const steer = part('steer');
  const steerViews = [
    new StepBarView(steer, { actions: steerActions }),
    new TimerView(steer, { serverNow, actions: steerActions }),
    new ReadinessView(steer, { actions: steerActions }),
  ];
  // The room screen always shows what is spotlit; the others when they choose to.
  const spotlightView = new SpotlightView(steer, {
    meetingId,
    follow: readOnly ? 'always' : 'choice',
    actions: steerActions,
    showColumn: readOnly ? null : (key) => boardView.showColumn(key),
  });
  // Cards, columns, the plan and scales read aloud (the room screen has no controls).
  if (!readOnly) new ReadAloudControls(root, (control) => whatToRead(control, snapshot()));
  let online = [];

  const snapshot = () => {
    const pendingOps = connection.pendingOps();
    const board = projectBoard(state, pendingOps);
    const scales = describeScales(state, board, pendingOps);
    const meId = state.me?.id ?? null;
    // Ended by the server's word, or seen on the board (if that word was lost).
    const ended = connection.ended || Boolean(state.participants.get(meId)?.removed);
    const can = abilities(state.me, board.meeting, state.template.statuses, { ended });
    return {
      state,
      board,
      template: state.template,
      meId,
      ended,
      can,
      people: peopleHere(state, online),
      everyone: peopleInMeeting(state, online),
      // the facilitator is told when an ended meeting's records are deleted
      deletionDate: can.runMeeting ? deletionDate(board.meeting, state.retentionDays) : null,
      // after the meeting, the family (whose sessions it keeps) are shown the way to their plan
      planUrl: board.meeting.status === 'closed' && !can.runMeeting && !ended ? `/m/${board.meeting.id}/plan` : null,
      ending: pendingOps.some((op) => op.type === 'meeting.close'),
      editingNames: editingNames(state, online),
      scales,
      scaleOfCard: scaleOfCard(scales),
      threshold: board.meeting.worry_threshold,
      minutes: describeMinutes(board, state.me?.id ?? null),
      takingMinutes: takingMinutes(pendingOps),
      pendingStep: pendingStep(pendingOps),
      spotlitScale: state.focus?.kind === 'scale' ? state.focus.target : null,
      today: today(),
      familyTime: describeFamilyTime(state, meId),
    };
  };

  let frameRequested = false;
  const render = () => {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      if (!state.loaded) return;
      const model = snapshot();
      meetingView.render(model.board.meeting, { deletionDate: model.deletionDate, sessionEnded: model.ended, planUrl: model.planUrl });
      promptsView.render(model.board.meeting, model.template);
      housesView.render(model);
      boardView.render(model);
      setsView.render(model);
      scalesView.render(model);
      endView.render(model);
      stagesView.render(model);
      familyTimeView.render(model);
      for (const view of steerViews) view.render(model);
      spotlightView.render(model); // last: what it highlights is on the page by now
      onRender(model);
    });
  };

  connection.on('applied', (event) => beforeApplied(event, state)); // before feedState's
  feedState(connection, state, render);
  // My own number comes back only in the ack of my vote: remembered for this screen alone.
  connection.on('acked', ({ op, ack }) => {
    if (op.type !== 'vote.cast' || !ack.vote) return;
    state.rememberMyVote(op.scale_id, ack.vote);
    render();
  });
  connection.on('presence', (presence) => {
    online = presence.online ?? [];
    render();
  });
  connection.on('time', (now) => state.setServerTime(now));
  connection.on('pending', render);
  connection.on('ended', () => {
    online = [];
    render();
  });
  connection.on('status', (status) => connectionView.render(status));
  connectionView.render(connection.status());

  return { connection, snapshot, boardView, scalesView };
}
