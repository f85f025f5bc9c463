// Puts committed ops back into seq order. Socket.IO delivers in order on one connection,
// but the server's pub/sub between workers is at-most-once, so an `applied` can arrive
// early (its predecessor is late) or never (then the caller asks `sync`).
export class Sequencer {
  constructor(seq = 0) {
    this.seq = seq;
    this.early = new Map(); // seq -> event that arrived before its predecessor
  }

  // A fresh starting point (a whole board): forget what it already contains.
  reset(seq) {
    this.seq = seq;
    for (const buffered of this.early.keys()) {
      if (buffered <= seq) this.early.delete(buffered);
    }
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
    return ready;
  }

  // True while an early event waits for a missing one.
  get hasGap() {
    return this.early.size > 0;
  }
}
