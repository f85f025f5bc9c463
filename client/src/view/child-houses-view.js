// On the board (and the room screen): each child's three houses as they shared them with
// everyone, shown above the map; for a facilitator also what a child shared with their
// worker only (a private panel), a way to put a shared item on the map, and the child's age.
import { HOUSES, housesOfChildren, PLACE_IN } from '../houses.js';
import { sectionLabel } from '../state.js';
import { WORDS } from '../words.js';
import { el, placeChildren, show } from './dom.js';
import { itemContent } from './houses-view.js';

const W = WORDS.houses;

export class ChildHousesView {
  // actions: {place(itemId, section), setAge(childId, age)}, or null (read only).
  constructor(root, actions = null) {
    this.root = root;
    this.actions = actions;
    this.shared = el('div', { class: 'child-houses-shared', dataset: { role: 'shared-houses' } });
    this.worker = el('div', { class: 'child-houses-worker', dataset: { role: 'worker-houses' } });
    root.replaceChildren(this.shared, this.worker);
    this.key = null;
  }

  render(model) {
    const { state, can, board } = model;
    this.labels = state.template.houses;
    const shared = housesOfChildren(state, 'shared');
    const worker = can.runMeeting ? housesOfChildren(state, 'worker') : [];
    const placed = (item) => Boolean(item.card_id && board.cards.has(item.card_id));
    const key = JSON.stringify([shared, worker, can.runMeeting, state.meeting.vocabulary, [...state.participants.values()], shared.flatMap(({ houses }) => [...houses.values()].flat().map(placed))]);
    if (key === this.key) return;
    this.key = key;
    const placing = Boolean(this.actions && can.runMeeting && can.contribute);
    placeChildren(
      this.shared,
      shared.map(({ child, houses }) =>
        this.childBlock(child, houses, { title: W.boardTitle(child.name), item: (i) => this.sharedItem(i, state, placing, placed(i)) }),
      ),
    );
    placeChildren(
      this.worker,
      worker.map(({ child, houses }) =>
        this.childBlock(child, houses, { title: W.workerTitle(child.name), hint: W.workerHint, item: (i) => el('li', { class: 'house-item', dataset: { itemId: i.id } }, itemContent(i)) }),
      ),
    );
    if (this.actions && can.runMeeting) this.ages(state);
    show(this.root, shared.length > 0 || worker.length > 0 || this.root.querySelector('[data-role=child-age]') !== null);
  }

  childBlock(child, houses, { title, hint = null, item }) {
    return el(
      'section',
      { class: 'child-houses-child', dataset: { child: child.id } },
      el('h2', { class: 'child-houses-title', text: title }),
      hint ? el('p', { class: 'child-houses-hint', text: hint }) : null,
      el(
        'div',
        { class: 'child-houses-row' },
        ...HOUSES.map((house) =>
          houses.get(house).length
            ? el('div', { class: `house house-${house}`, dataset: { house } }, el('h3', { class: 'house-title', text: this.labels[house] }), el('ul', { class: 'house-items' }, ...houses.get(house).map(item)))
            : null,
        ),
      ),
    );
  }

  sharedItem(item, state, placing, isPlaced) {
    const li = el('li', { class: 'house-item', dataset: { itemId: item.id } }, itemContent(item));
    if (isPlaced) li.append(el('p', { class: 'house-placed', text: W.placed }));
    else if (placing) li.append(this.placeForm(item, state));
    return li;
  }

  placeForm(item, state) {
    const sections = state.template.columns.filter((c) => c.view === 'map').flatMap((c) => c.sections);
    const select = el(
      'select',
      { class: 'field', 'aria-label': W.placeIn, dataset: { role: 'place-section' } },
      ...sections.map((s) => el('option', { value: s.key, selected: s.key === PLACE_IN[item.house], text: sectionLabel(s, state.meeting.vocabulary) })),
    );
    const button = el('button', { type: 'button', class: 'button', dataset: { action: 'place' }, text: W.place, onclick: () => this.actions.place(item.id, select.value) });
    return el('div', { class: 'house-place' }, select, button);
  }

  // The facilitator gives each child's age, shown with what they say ("Ava (9)").
  ages(state) {
    const children = [...state.participants.values()].filter((p) => p.role === 'child' && !p.removed);
    let box = this.root.querySelector('[data-role=child-ages]');
    if (!box) {
      box = el('div', { class: 'child-ages', dataset: { role: 'child-ages' } });
      this.root.append(box);
    }
    placeChildren(
      box,
      children.map((child) => {
        const input = el('input', { class: 'field', type: 'number', min: 0, max: 25, value: child.age ?? '', 'aria-label': W.ageHint(child.name), dataset: { role: 'child-age', child: child.id } });
        const save = el('button', {
          type: 'button',
          class: 'button',
          dataset: { action: 'save-age' },
          text: W.saveAge,
          onclick: () => this.actions.setAge(child.id, input.value === '' ? null : Number(input.value)),
        });
        return el('label', { class: 'child-age' }, `${W.age}: ${child.name} `, input, save);
      }),
    );
  }
}
