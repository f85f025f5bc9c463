// Entry of the meeting-room display (templates/display.html): the live board, read-only,
// in large type, with the QR code to join.
import { startLiveBoard } from './live-board.js';

startLiveBoard(document.querySelector('[data-meeting-id]'), { readOnly: true });
