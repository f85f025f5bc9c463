// "People in this meeting", in the facilitator's panel: everyone who joined and is still
// in the meeting, with who they are and whether they are here now, and "Take out of the
// meeting" (after a question) for everyone but the facilitator themself, who can change
// the name everyone sees them by instead.
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, placeChildren, setText, show } from './dom.js';
import { field, problemLine, smallForm } from './form-parts.js';

export class PeopleView {
  // remove(participantId): sends participant.remove; rename(name): sends participant.rename
  constructor({ remove, rename }) {
    this.remove = remove;
    this.rename = rename;
    this.items = new Map(); // participant id -> {element, name, role, here, button, slot}
    this.list = el('ul', { class: 'people-list', dataset: { role: 'people' } });
    this.element = el(
      'section',
      { class: 'panel-section', 'aria-labelledby': 'people-heading' },
      el('h2', { id: 'people-heading' }, WORDS.people.heading),
      this.list,
    );
  }

  // people: peopleInMeeting(); can: see abilities.js; limits: the template's text limits
  render(people, can, limits) {
    this.limits = limits;
    const shown = people.map((person) => {
      const item = this.items.get(person.id) ?? this.makeItem(person);
      this.items.set(person.id, item);
      setText(item.name, person.name);
      setText(item.role, person.roleLabel);
      setText(item.here, person.isMe ? WORDS.people.you : person.here ? WORDS.people.here : WORDS.people.notHere);
      item.element.classList.toggle('is-here', person.here);
      const removable = can.lookAfter && !person.isMe;
      show(item.button, removable);
      show(item.renameButton, person.isMe);
      if (!removable && !person.isMe) item.close();
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
      renameButton.setAttribute('aria-expanded', 'false');
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
    const renameButton = el(
      'button',
      {
        type: 'button',
        class: 'button button-small',
        'aria-expanded': 'false',
        hidden: true,
        dataset: { action: 'rename-me' },
        onclick: () => {
          if (slot.firstChild) {
            close();
            return;
          }
          slot.append(this.renameForm(name.textContent, () => {
            close();
            renameButton.focus();
          }));
          renameButton.setAttribute('aria-expanded', 'true');
          slot.querySelector('input').focus();
        },
      },
      words.rename,
    );
    const element = el(
      'li',
      { class: 'people-item', dataset: { participantId: person.id } },
      el('p', { class: 'people-who' }, name, role, here),
      button,
      renameButton,
      slot,
    );
    return { element, name, role, here, button, renameButton, slot, close };
  }

  // The name everyone sees, changed (the server checks it and says why it refuses).
  renameForm(current, done) {
    const words = WORDS.people;
    const input = el('input', {
      type: 'text',
      value: current,
      maxlength: this.limits?.name,
      autocomplete: 'off',
      dataset: { field: 'my-name' },
    });
    const problem = problemLine();
    return smallForm(
      {
        className: 'rename-form',
        saveLabel: words.saveName,
        saveAction: 'save-my-name',
        onCancel: done,
        onSubmit: () => {
          const chosen = input.value.trim();
          if (!chosen) {
            problem.say(words.needsName);
            return;
          }
          if (chosen !== current) this.rename(chosen);
          done();
        },
      },
      field(words.nameLabel, input),
      problem.element,
    );
  }
}
