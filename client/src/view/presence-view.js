// "Who is here": the people connected now, with their role, from `presence`.
import { WORDS } from '../words.js';
import { el } from './dom.js';

export class PresenceView {
  constructor(list) {
    this.list = list;
    this.lastKey = '';
  }

  // people: [{id, name, roleLabel, isMe}]
  render(people) {
    const key = JSON.stringify(people);
    if (key === this.lastKey) return; // presence is sent often; redraw only on a change
    this.lastKey = key;
    this.list.replaceChildren(
      ...people.map((person) =>
        el(
          'li',
          { class: `person${person.isMe ? ' is-me' : ''}`, dataset: { participantId: person.id } },
          el('span', { class: 'person-name', dir: 'auto' }, person.name ?? WORDS.someone),
          person.isMe ? el('span', { class: 'person-you' }, ` ${WORDS.you}`) : null,
          // The meeting-room screen is named after its role: say it once.
          person.roleLabel !== person.name ? el('span', { class: 'person-role' }, person.roleLabel) : null,
        ),
      ),
    );
  }
}
