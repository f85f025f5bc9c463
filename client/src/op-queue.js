// The ops this browser has sent and not yet seen acknowledged, in order. Kept in
// sessionStorage (per meeting) so that a reload or a crash of the tab loses nothing:
// they are sent again with the same ids, and the server does not apply an id twice.
export class OpQueue {
  constructor(storage, key) {
    this.storage = storage;
    this.key = key;
    this.ops = load(storage, key);
  }

  get length() {
    return this.ops.length;
  }

  list() {
    return [...this.ops];
  }

  first() {
    return this.ops[0] ?? null;
  }

  has(opId) {
    return this.ops.some((op) => op.id === opId);
  }

  add(op) {
    this.ops.push(op);
    this.save();
  }

  remove(opId) {
    const before = this.ops.length;
    this.ops = this.ops.filter((op) => op.id !== opId);
    if (this.ops.length !== before) this.save();
  }

  // Forgets every op: they can never be saved (this person is no longer in the meeting).
  clear() {
    this.ops = [];
    this.save();
  }

  save() {
    try {
      if (this.ops.length) this.storage.setItem(this.key, JSON.stringify(this.ops));
      else this.storage.removeItem(this.key);
    } catch {
      // Storage full or blocked (private mode): the queue still lives in memory.
    }
  }
}

function load(storage, key) {
  try {
    const saved = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(saved) ? saved.filter((op) => op && typeof op.id === 'string') : [];
  } catch {
    return [];
  }
}
