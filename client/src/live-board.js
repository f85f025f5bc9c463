// What the board page and the display page share: the connection, the board state, and
// the views every live board has (the map and the plan, the scales, the decision and the
// minutes, the title and banners, the connection line). Renders at most once a frame,
// however many events arrive.
import { abilities } from './abilities.js';
import { today } from './dates.js';
import { editingNames, peopleHere } from './presence.js';
import { projectBoard } from './projection.js';
import { describeMinutes, takingMinutes } from './record.js';
import { describeScales, scaleOfCard, worryThreshold } from './scaling.js';
import { connectToMeeting } from './socket.js';
import { BoardState } from './state.js';
import { BoardView } from './view/board-view.js';
import { ConnectionView } from './view/connection-view.js';
import { MeetingEndView } from './view/meeting-end-view.js';
import { MeetingView } from './view/meeting-view.js';
import { ReviewPromptsView } from './view/review-prompts-view.js';
import { ScalesView } from './view/scales-view.js';

// actions, scaleActions, endActions: what the board page does (see board-page.js); none on
// the read-only display.
export function startLiveBoard(
  root,
  { readOnly = false, actions = null, scaleActions = null, endActions = null, onRender = () => {} } = {},
) {
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  const meetingId = root.dataset.meetingId;
  const state = new BoardState();
  const connection = connectToMeeting(meetingId);
  const scalesView = new ScalesView(part('scales'), { readOnly, actions: scaleActions });
  const endView = new MeetingEndView({ meetingId, actions: endActions });
  const boardView = new BoardView(part('board'), {
    readOnly,
    actions,
    extraTabs: [scalesView.tab],
    planParts: [endView.element],
    tabs: part('view-tabs'),
  });
  const promptsView = new ReviewPromptsView(part('review-prompts'));
  const meetingView = new MeetingView(part('title'), part('status-banner'));
  const connectionView = new ConnectionView(part('connection'), part('refused'));
  let online = [];

  const snapshot = () => {
    const pendingOps = connection.pendingOps();
    const board = projectBoard(state, pendingOps);
    const scales = describeScales(state, board, pendingOps);
    return {
      state,
      board,
      template: state.template,
      meId: state.me?.id ?? null,
      can: abilities(state.me, board.meeting),
      people: peopleHere(state, online),
      editingNames: editingNames(state, online),
      scales,
      scaleOfCard: scaleOfCard(scales),
      threshold: worryThreshold(board.meeting),
      minutes: describeMinutes(board, state.me?.id ?? null),
      takingMinutes: takingMinutes(pendingOps),
      today: today(),
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
      meetingView.render(model.board.meeting);
      promptsView.render(model.board.meeting, model.template);
      boardView.render(model);
      scalesView.render(model);
      endView.render(model);
      onRender(model);
    });
  };

  connection.on('state', (payload) => {
    state.applyState(payload);
    render();
  });
  connection.on('board', ({ seq, board }) => {
    state.applyBoard(seq, board);
    render();
  });
  connection.on('applied', (event) => {
    state.applyEvent(event);
    render();
  });
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
  connection.on('pending', render);
  connection.on('status', (status) => connectionView.render(status));
  connectionView.render(connection.status());

  return { connection, snapshot, boardView, scalesView };
}
