// Who is here and who is editing which card, from the `presence` event's list and the
// board's participants. Pure.
import { WORDS } from './words.js';

// One entry per person, even with the board open on two of their devices.
export function peopleHere(state, online) {
  const seen = new Set();
  const people = [];
  for (const { participant_id: id } of online) {
    if (seen.has(id)) continue;
    seen.add(id);
    const participant = state.participants.get(id);
    people.push({
      id,
      name: participant?.name ?? null,
      roleLabel: participant ? state.roleLabel(participant.role) : '',
      isMe: id === state.me?.id,
    });
  }
  return people;
}

// card id -> names of the other people editing it now
export function editingNames(state, online) {
  const names = new Map();
  for (const { participant_id: id, editing } of online) {
    if (!editing || id === state.me?.id) continue;
    const name = state.participantName(id) ?? WORDS.someone;
    const list = names.get(editing) ?? [];
    if (!list.includes(name)) list.push(name);
    names.set(editing, list);
  }
  return names;
}
