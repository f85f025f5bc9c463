// The connection line ("Connected", "Reconnecting… 2 changes waiting", ...) and, when the
// server will not let this browser in, a plain banner saying what to do.
import { WORDS } from '../words.js';
import { setText, show } from './dom.js';

// Connections the server refused, and what the person can do about it.
const REFUSED_MESSAGES = { refused: WORDS.linkNotValid, crowded: WORDS.tooManyWindows };

export class ConnectionView {
  constructor(line, refusedBanner) {
    this.line = line;
    this.refusedBanner = refusedBanner;
  }

  render({ connection, waiting }) {
    setText(this.line, WORDS.connection[connection](waiting));
    this.line.dataset.state = connection;
    this.line.dataset.waiting = String(waiting);
    if (this.refusedBanner) {
      const message = REFUSED_MESSAGES[connection] ?? '';
      setText(this.refusedBanner, message);
      show(this.refusedBanner, Boolean(message));
    }
  }
}
