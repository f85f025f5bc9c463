// Shared test data. state.json is a `state` payload as the server sends it: the pytest
// contract test writes it from the real codec, so the client's tests cannot drift from it.
import { readFileSync } from 'node:fs';

export const STATE = JSON.parse(readFileSync(new URL('./state.json', import.meta.url), 'utf8'));
export const TEMPLATE = STATE.template;

export function card(id, section, position, extra = {}) {
  return {
    id,
    section,
    position,
    text: `text of ${id}`,
    attributed_to: null,
    author: 'p_me',
    stances: {},
    ...extra,
  };
}

export function boardPayload({ seq = 1, cards = [], scales = [], rounds = [], decision = null, minutes = [], myVotes = [], participants = [{ id: 'p_me', name: 'Sam', role: 'parent' }], me = { id: 'p_me', name: 'Sam', role: 'parent', can: { edit_board: true, edit_any_card: false, run_meeting: false } } } = {}) {
  return {
    seq,
    me,
    board: {
      meeting: { ...STATE.board.meeting, id: 'm1', title: 'Family meeting' },
      participants,
      cards,
      scales,
      rounds,
      decision,
      minutes,
    },
    template: TEMPLATE,
    my_votes: myVotes,
  };
}

// A stand-in for sessionStorage.
export function memoryStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}
