// "People in this meeting", in the facilitator's panel: everyone who joined and is still
// in the meeting, with who they are and whether they are here now, and "Take out of the
// meeting" (after a question) for everyone but the facilitator themself.
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, placeChildren, setText, show } from './dom.js';

export class PeopleView {
  // remove(participantId): sends participant.remove
  constructor({ remove }) {
    this.remove = remove;
    this.items = new Map(); // participant id -> {element, name, role, here, button, slot}
    this.list = el('ul', { class: 'people-list', dataset: { role: 'people' } });
    this.element = el(
      'section',
      { class: 'panel-section', 'aria-labelledby': 'people-heading' },
      el('h2', { id: 'people-heading' }, WORDS.people.heading),
      this.list,
    );
  }

  // people: peopleInMeeting(); can: see abilities.js
  render(people, can) {
    const shown = people.map((person) => {
      const item = this.items.get(person.id) ?? this.makeItem(person);
      this.items.set(person.id, item);
      setText(item.name, person.name);
      setText(item.role, person.roleLabel);
      setText(item.here, person.isMe ? WORDS.people.you : person.here ? WORDS.people.here : WORDS.people.notHere);
      item.element.classList.toggle('is-here', person.here);
      const removable = can.lookAfter && !person.isMe;
      show(item.button, removable);
      if (!removable) item.close();
      return item.element;
    });
    const ids = new Set(people.map((person) => person.id));
    for (const id of this.items.keys()) if (!ids.has(id)) this.items.delete(id);
    placeChildren(this.list, shown);
  }

  makeItem(person) {
    const words = WORDS.people;
    const name = el('span', { class: 'person-name' });
    const role = el('span', { class: 'person-role' });
    const here = el('span', { class: 'person-here' });
    const slot = el('div', { class: 'person-slot' });
    const close = () => {
      slot.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
    };
    const button = el(
      'button',
      {
        type: 'button',
        class: 'button button-small',
        'aria-expanded': 'false',
        dataset: { action: 'remove-participant', participantId: person.id },
        onclick: () => {
          if (slot.firstChild) {
            close();
            return;
          }
          const confirm = createConfirm({
            question: words.reallyRemove(name.textContent),
            yes: words.yesRemove,
            no: words.keep,
            onYes: () => {
              close();
              this.remove(person.id);
            },
            onNo: () => {
              close();
              button.focus();
            },
          });
          slot.append(confirm.element);
          button.setAttribute('aria-expanded', 'true');
          confirm.focus();
        },
      },
      words.remove,
    );
    const element = el(
      'li',
      { class: 'people-item', dataset: { participantId: person.id } },
      el('p', { class: 'people-who' }, name, role, here),
      button,
      slot,
    );
    return { element, name, role, here, button, slot, close };
  }
}
