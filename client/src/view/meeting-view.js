// The meeting's title and the calm banner shown while changes are paused or the meeting
// has ended.
import { WORDS } from '../words.js';
import { setText, show } from './dom.js';

export class MeetingView {
  constructor(title, statusBanner) {
    this.title = title;
    this.statusBanner = statusBanner;
  }

  render(meeting) {
    setText(this.title, meeting.title);
    document.title = `${meeting.title} – Kinboard`;
    const message = { locked: WORDS.locked, closed: WORDS.closed }[meeting.status] ?? '';
    setText(this.statusBanner, message);
    show(this.statusBanner, Boolean(message));
  }
}
