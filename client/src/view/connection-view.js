// The connection line ("Connected", "Reconnecting… 2 changes waiting", ...) and, when the
// server will not let this browser in, a plain banner saying what to do.
import { WORDS } from '../words.js';
import { setText, show } from './dom.js';

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
      setText(this.refusedBanner, connection === 'refused' ? WORDS.linkNotValid : '');
      show(this.refusedBanner, connection === 'refused');
    }
  }
}
