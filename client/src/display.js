// Entry of the meeting-room display (templates/display.html): the live board, read-only,
// in large type, with the QR code to join, and above it the scale the room is busy with:
// who has answered while a round is open, the picture once the answers are shown.
import { startLiveBoard } from './live-board.js';

// The room screen speaks the meeting's language (the server renders the page in it): when
// the facilitator sets another, the page comes back in that one.
let language = null;
startLiveBoard(document.querySelector('[data-meeting-id]'), {
  readOnly: true,
  onRender({ board }) {
    language ??= board.meeting.language;
    if (board.meeting.language !== language) location.reload();
  },
});

// While the facilitator has the family link turned off there is no QR code to show.
const qr = document.querySelector('.join-qr');
const qrImage = qr?.querySelector('img');
if (qrImage) {
  const hide = () => {
    qr.hidden = true;
  };
  if (qrImage.complete && qrImage.naturalWidth === 0) hide();
  else qrImage.addEventListener('error', hide);
}
