// What the board page and the display page share: the connection, the board state, and
// the views every live board has (the board itself, the title and banners, the
// connection line). Renders at most once a frame, however many events arrive.
import { abilities } from './abilities.js';
import { editingNames, peopleHere } from './presence.js';
import { projectBoard } from './projection.js';
import { connectToMeeting } from './socket.js';
import { BoardState } from './state.js';
import { BoardView } from './view/board-view.js';
import { ConnectionView } from './view/connection-view.js';
import { MeetingView } from './view/meeting-view.js';

export function startLiveBoard(root, { readOnly = false, actions = null, onRender = () => {} } = {}) {
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  const state = new BoardState();
  const connection = connectToMeeting(root.dataset.meetingId);
  const boardView = new BoardView(part('board'), { readOnly, actions });
  const meetingView = new MeetingView(part('title'), part('status-banner'));
  const connectionView = new ConnectionView(part('connection'), part('refused'));
  let online = [];

  const snapshot = () => {
    const board = projectBoard(state, connection.pendingOps());
    return {
      state,
      board,
      template: state.template,
      meId: state.me?.id ?? null,
      can: abilities(state.me, board.meeting),
      people: peopleHere(state, online),
      editingNames: editingNames(state, online),
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
      boardView.render(model);
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
  connection.on('presence', (presence) => {
    online = presence.online ?? [];
    render();
  });
  connection.on('pending', render);
  connection.on('status', (status) => connectionView.render(status));
  connectionView.render(connection.status());

  return { connection, snapshot, boardView };
}
