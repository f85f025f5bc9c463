// Puts committed ops back into seq order. Socket.IO delivers in order on one connection,
// but the server's pub/sub between workers is at-most-once, so an `applied` can arrive
// early (its predecessor is late) or never (then the caller asks `sync`). A `heartbeat`
// (or an ack) says how far the server is: when that is past what was applied, the last
// broadcasts were lost even though nothing arrived early, which is a gap too.
export class Sequencer {
  constructor(seq = 0) {
    this.seq = seq;
    this.latest = seq; // the highest seq the server is known to have committed
    this.early = new Map(); // seq -> event that arrived before its predecessor
  }

  // A fresh starting point (a whole board): forget what it already contains.
  reset(seq) {
    this.seq = seq;
    this.latest = Math.max(this.latest, seq);
    for (const buffered of this.early.keys()) {
      if (buffered <= seq) this.early.delete(buffered);
    }
  }

  // The server has committed up to `seq` (from a heartbeat or an ack).
  serverAt(seq) {
    if (Number.isInteger(seq) && seq > this.latest) this.latest = seq;
  }

  // Takes one event; returns the events that can now be applied, in order.
  accept(event) {
    if (event.seq <= this.seq) return []; // already applied (e.g. a sync overlapped)
    this.early.set(event.seq, event);
    const ready = [];
    while (this.early.has(this.seq + 1)) {
      this.seq += 1;
      ready.push(this.early.get(this.seq));
      this.early.delete(this.seq);
    }
    this.latest = Math.max(this.latest, this.seq);
    return ready;
  }

  // True while something the server has committed is missing here.
  get hasGap() {
    return this.early.size > 0 || this.latest > this.seq;
  }
}
