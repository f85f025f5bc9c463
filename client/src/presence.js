// Who is here and who is editing which card, from the `presence` event's list and the
// board's participants; and, for the facilitator, everyone in the meeting. Someone the
// facilitator took out of the meeting (`removed`) is not listed anywhere. Pure.
import { WORDS } from './words.js';

const isRemoved = (state, id) => Boolean(state.participants.get(id)?.removed);

// One entry per person, even with the board open on two of their devices.
export function peopleHere(state, online) {
  const seen = new Set();
  const people = [];
  for (const { participant_id: id } of online) {
    if (seen.has(id) || isRemoved(state, id)) continue;
    seen.add(id);
    const participant = state.participants.get(id);
    people.push({
      id,
      name: participant ? state.personName(participant) : null,
      roleLabel: participant ? state.personRole(participant) : '',
      isMe: id === state.me?.id,
    });
  }
  return people;
}

// Everyone who joined and is still in the meeting, in the order they joined, each marked
// as here now (connected) or not.
export function peopleInMeeting(state, online) {
  const here = new Set(online.map((entry) => entry.participant_id));
  return [...state.participants.values()]
    .filter((participant) => !participant.removed)
    .sort(byJoining)
    .map((participant) => ({
      id: participant.id,
      name: state.personName(participant),
      roleLabel: state.personRole(participant),
      role: participant.role,
      unconfirmed: Boolean(participant.unconfirmed),
      // The facilitator may set right who a family member or worker is.
      correctable: state.template.self_chosen_roles.includes(participant.role),
      here: here.has(participant.id),
      isMe: participant.id === state.me?.id,
      // Their own language's name where it is not the meeting's (so the facilitator knows
      // who reads the board in another language); null where it is.
      language: otherLanguage(state, participant.language),
    }));
}

function otherLanguage(state, code) {
  if (!code || code === (state.meeting?.language ?? 'en')) return null;
  return state.template.languages?.find((language) => language.code === code)?.name ?? code;
}

// card id -> names of the other people editing it now
export function editingNames(state, online) {
  const names = new Map();
  for (const { participant_id: id, editing } of online) {
    if (!editing || id === state.me?.id || isRemoved(state, id)) continue;
    const name = state.participantName(id) ?? WORDS.someone;
    const list = names.get(editing) ?? [];
    if (!list.includes(name)) list.push(name);
    names.set(editing, list);
  }
  return names;
}

function byJoining(a, b) {
  const at = (a.joined_at ?? '').localeCompare(b.joined_at ?? '');
  return at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
