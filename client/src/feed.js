// What a page hears from its meeting's connection, applied to its BoardState, then drawn.
// Shared by the board (and the room screen) and the child's houses page.

/** Keeps `state` up to date with the board's own events and calls `render` after each. */
export function feedState(connection, state, render) {
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
  connection.on('private_items', ({ seq, items }) => {
    state.applyPrivateItems(seq, items);
    render();
  });
}
