// The child's three houses as pages show them: pure, from the board state (shared items,
// and the unshared ones this screen may see) with this browser's pending ops laid over.
// The server decides who sees what; this only sorts what it was sent.
export const HOUSES = ['worries', 'good_things', 'dreams'];
export const SHARINGS = ['everyone', 'worker', 'nobody'];

const byTime = (a, b) => (a.created_at || '\uffff').localeCompare(b.created_at || '\uffff') || a.id.localeCompare(b.id);

// Every item this screen knows of, by id: shared ones and the unshared ones it was sent.
function known(state) {
  const items = new Map(state.houseItems);
  for (const item of state.privateItems) items.set(item.id, item);
  return items;
}

const PENDING = {
  'house.add'(items, op, meId) {
    if (items.has(op.item_id)) return;
    const { words = null, picture = null, strokes = null } = op;
    items.set(op.item_id, { id: op.item_id, child: meId, house: op.house, sharing: op.sharing ?? 'nobody', words, picture, strokes, created_at: '', pending: true });
  },
  'house.share'(items, op) {
    const item = items.get(op.item_id);
    if (item) items.set(op.item_id, { ...item, sharing: op.sharing, pending: true });
  },
  'house.remove'(items, op) {
    items.delete(op.item_id);
  },
};

// A child's own items in each house (Map house -> items, oldest first), pending ones shown.
export function myHouses(state, pendingOps) {
  const meId = state.me?.id;
  const items = known(state);
  for (const op of pendingOps) PENDING[op.type]?.(items, op, meId);
  const houses = new Map(HOUSES.map((house) => [house, []]));
  for (const item of items.values()) {
    if (item.child === meId) houses.get(item.house)?.push(item);
  }
  for (const list of houses.values()) list.sort(byTime);
  return houses;
}

// For the board: each child with items to show, and their items by house. `which`:
// 'shared' (everyone at the meeting) or 'worker' (the facilitator's private panel).
export function housesOfChildren(state, which) {
  const source = which === 'shared' ? [...state.houseItems.values()] : state.privateItems.filter((i) => i.sharing === 'worker');
  const children = new Map();
  for (const item of [...source].sort(byTime)) {
    const child = state.participants.get(item.child);
    if (!child) continue;
    if (!children.has(child.id)) children.set(child.id, { child, houses: new Map(HOUSES.map((h) => [h, []])) });
    children.get(child.id).houses.get(item.house)?.push(item);
  }
  return [...children.values()];
}

// The map's section a child's item is placed in unless the facilitator picks another.
export const PLACE_IN = { worries: 'complicating', good_things: 'strengths', dreams: 'goals' };
