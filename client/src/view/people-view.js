// "People in this meeting", in the facilitator's panel: everyone who joined and is still
// in the meeting, with who they are and whether they are here now, and "Take out of the
// meeting" (after a question) for everyone but the facilitator themself, who can change
// the name everyone sees them by instead. A family member's or worker's name and role can
// be set right ("Change name or role"), and someone who says they are a worker confirmed.
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, placeChildren, setText, show } from './dom.js';
import { field, problemLine, smallForm } from './form-parts.js';

export class PeopleView {
  // remove(participantId): sends participant.remove; rename(name): sends participant.rename;
  // correct(participantId, {name, role}): participant.correct; confirm(participantId):
  // participant.confirm
  constructor({ remove, rename, correct, confirm }) {
    this.remove = remove;
    this.rename = rename;
    this.correct = correct;
    this.confirm = confirm;
    this.items = new Map(); // participant id -> {element, name, role, language, here, button, slot}
    this.list = el('ul', { class: 'people-list', dataset: { role: 'people' } });
    this.element = el(
      'section',
      { class: 'panel-section', 'aria-labelledby': 'people-heading' },
      el('h2', { id: 'people-heading' }, WORDS.people.heading),
      this.list,
    );
  }

  // people: peopleInMeeting(); can: see abilities.js; template: for the text limits and
  // the roles a person may be given
  render(people, can, template) {
    this.template = template;
    this.limits = template.limits;
    const shown = people.map((person) => {
      const item = this.items.get(person.id) ?? this.makeItem(person);
      this.items.set(person.id, item);
      setText(item.name, person.name);
      setText(item.role, person.roleLabel);
      setText(item.language, person.language ?? '');
      show(item.language, Boolean(person.language));
      setText(item.here, person.isMe ? WORDS.people.you : person.here ? WORDS.people.here : WORDS.people.notHere);
      item.element.classList.toggle('is-here', person.here);
      const removable = can.lookAfter && !person.isMe;
      show(item.button, removable);
      show(item.renameButton, person.isMe);
      const correctable = removable && person.correctable;
      show(item.correctButton, correctable);
      show(item.confirmButton, can.lookAfter && person.unconfirmed);
      item.person = person;
      if (!removable && !person.isMe) item.close();
      return item.element;
    });
    const ids = new Set(people.map((person) => person.id));
    for (const id of this.items.keys()) if (!ids.has(id)) this.items.delete(id);
    placeChildren(this.list, shown);
  }

  makeItem(person) {
    const words = WORDS.people;
    const name = el('span', { class: 'person-name', dir: 'auto' });
    const role = el('span', { class: 'person-role' });
    const here = el('span', { class: 'person-here' });
    const language = el('span', { class: 'person-language', hidden: true });
    const slot = el('div', { class: 'person-slot' });
    const close = () => {
      slot.replaceChildren();
      for (const opener of [button, renameButton, correctButton]) opener.setAttribute('aria-expanded', 'false');
    };
    // A button that opens `form()` in the item's slot, or closes it again.
    const opener = (action, label, form) => {
      const opening = el(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          'aria-expanded': 'false',
          hidden: true,
          dataset: { action },
          onclick: () => {
            if (slot.firstChild) {
              close();
              return;
            }
            slot.append(form(() => {
              close();
              opening.focus();
            }));
            opening.setAttribute('aria-expanded', 'true');
            slot.querySelector('input').focus();
          },
        },
        label,
      );
      return opening;
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
    const renameButton = opener('rename-me', words.rename, (done) => this.renameForm(name.textContent, done));
    const correctButton = opener('correct-person', words.correct, (done) => this.correctForm(item.person, done));
    const confirmButton = el(
      'button',
      {
        type: 'button',
        class: 'button button-small',
        hidden: true,
        dataset: { action: 'confirm-worker', participantId: person.id },
        onclick: () => this.confirm(person.id),
      },
      words.confirmWorker,
    );
    const element = el(
      'li',
      { class: 'people-item', dataset: { participantId: person.id } },
      el('p', { class: 'people-who' }, name, role, language, here),
      confirmButton,
      correctButton,
      button,
      renameButton,
      slot,
    );
    const item = { element, name, role, language, here, button, renameButton, correctButton, confirmButton, slot, close, person };
    return item;
  }

  // Someone's name and role set right (the server checks both and says why it refuses).
  correctForm(person, done) {
    const words = WORDS.people;
    const input = el('input', {
      type: 'text',
      value: person.name,
      maxlength: this.limits?.name,
      autocomplete: 'off',
      dataset: { field: 'their-name' },
    });
    const roles = this.template.self_chosen_roles;
    const select = el(
      'select',
      { dataset: { field: 'their-role' } },
      ...roles.map((value) => el('option', { value, selected: value === person.role }, this.template.roles[value])),
    );
    const problem = problemLine();
    return smallForm(
      {
        className: 'correct-form',
        saveLabel: words.saveCorrection,
        saveAction: 'save-correction',
        onCancel: done,
        onSubmit: () => {
          const chosen = input.value.trim();
          if (!chosen) {
            problem.say(words.needsName);
            return;
          }
          const fields = {};
          if (chosen !== person.name) fields.name = chosen;
          // Confirming a worker is its own button: a new name alone leaves that as it was.
          if (select.value !== person.role) fields.role = select.value;
          if (Object.keys(fields).length) this.correct(person.id, fields);
          done();
        },
      },
      field(words.correctName, input),
      field(words.correctRole, select),
      problem.element,
    );
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
