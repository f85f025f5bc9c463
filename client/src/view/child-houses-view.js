// On the board (and the room screen): each child's three houses as they shared them with
// everyone, shown above the map; for a facilitator also what a child shared with their
// worker only (a private panel), a way to put a shared item on the map, "Who can see this"
// for a shared item, and the child's age. Everyone who is sent an item sees its marking.
import { audienceWords, hideableFrom } from '../audience.js';
import { HOUSES, housesOfChildren, PLACE_IN } from '../houses.js';
import { sectionLabel } from '../state.js';
import { WORDS } from '../words.js';
import { createAudiencePicker } from './audience-picker.js';
import { el, placeChildren, show } from './dom.js';
import { itemContent } from './houses-view.js';

const W = WORDS.houses;

export class ChildHousesView {
  // actions: {place(itemId, section), setAge(childId, age), setAudience(itemId, audience)},
  // or null (read only).
  constructor(root, actions = null) {
    this.root = root;
    this.actions = actions;
    this.shared = el('div', { class: 'child-houses-shared', dataset: { role: 'shared-houses' } });
    this.worker = el('div', { class: 'child-houses-worker', dataset: { role: 'worker-houses' } });
    root.replaceChildren(this.shared, this.worker);
    this.key = null;
    this.picking = null; // the item whose "Who can see this" is open, kept across renders
    this.openers = new Map(); // item id -> opens its picker, for the items just rendered
  }

  render(model) {
    const { state, can, board } = model;
    this.labels = state.template.houses;
    const shared = housesOfChildren(state, 'shared');
    const worker = can.runMeeting ? housesOfChildren(state, 'worker') : [];
    const placed = (item) => Boolean(item.card_id && board.cards.has(item.card_id));
    // The items themselves (a child's houses are a Map, which JSON does not show).
    const itemsOf = (children) => children.flatMap(({ houses }) => [...houses.values()].flat());
    const key = JSON.stringify([itemsOf(shared), itemsOf(worker), shared, worker, can.runMeeting, can.markCards, state.meeting.vocabulary, [...state.participants.values()], shared.flatMap(({ houses }) => [...houses.values()].flat().map(placed))]);
    if (key === this.key) return;
    this.key = key;
    const placing = Boolean(this.actions && can.runMeeting && can.contribute);
    const marking = Boolean(this.actions && can.markCards);
    // The items are made again: the focus goes back to where it was in them.
    const focused = this.root.contains(document.activeElement) ? document.activeElement : null;
    const inPicker = Boolean(focused?.closest('[data-role=audience-picker]'));
    const focusedItem = focused?.closest('[data-item-id]')?.dataset.itemId;
    const focusedAction = focused?.dataset.action;
    const item = (i) => this.sharedItem(i, state, { placing, marking, isPlaced: placed(i) });
    placeChildren(
      this.shared,
      shared.map(({ child, houses }) => this.childBlock(child, houses, { title: W.boardTitle(child.name), item })),
    );
    this.reopen(inPicker);
    if (!inPicker && focusedItem && focusedAction && !this.root.contains(focused)) {
      this.shared.querySelector(`[data-item-id="${CSS.escape(focusedItem)}"] [data-action="${focusedAction}"]`)?.focus();
    }
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

  sharedItem(item, state, { placing, marking, isPlaced }) {
    const li = el('li', { class: 'house-item', dataset: { itemId: item.id } }, itemContent(item));
    const nameOf = (id) => state.participants.get(id)?.name;
    const words = audienceWords({ audience: item.marking }, state.template, nameOf);
    if (words) li.append(el('p', { class: 'card-audience', dataset: { role: 'audience' }, text: words }));
    if (isPlaced) li.append(el('p', { class: 'house-placed', text: W.placed }));
    else if (placing) li.append(this.placeForm(item, state));
    if (marking) li.append(this.audienceControl(item, state));
    return li;
  }

  // The facilitator's "Who can see this" for a shared item: the card's picker, opened below
  // the button; Save, Cancel or Escape close it and give the focus back to the button.
  audienceControl(item, state) {
    const slot = el('div', { class: 'audience-slot' });
    const button = el('button', { type: 'button', class: 'button', 'aria-expanded': 'false', dataset: { action: 'item-audience' }, text: WORDS.audience.button });
    const close = () => {
      this.picking = null;
      slot.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    };
    const open = (focus) => {
      const picker = createAudiencePicker({
        card: { audience: item.marking },
        kinds: state.template.audiences.for_cards,
        // The child always sees their own things, so they are not offered.
        people: hideableFrom(state.participants.values()).filter((p) => p.id !== item.child),
        legend: WORDS.audience.itemLegend,
        onSave: (audience) => {
          this.actions.setAudience(item.id, audience);
          close();
        },
        onCancel: close,
      });
      this.picking = item.id;
      slot.replaceChildren(picker.element);
      button.setAttribute('aria-expanded', 'true');
      if (focus) picker.focus();
    };
    button.addEventListener('click', () => (this.picking === item.id ? close() : open(true)));
    this.openers.set(item.id, open);
    return el('div', { class: 'house-audience' }, button, slot);
  }

  // A render rebuilds the items: an open picker is opened again on its item (fresh, with the
  // item's marking as it is now), or forgotten if the item is no longer shared.
  reopen(focus) {
    const open = this.picking && this.openers.get(this.picking);
    this.openers = new Map();
    if (open) open(Boolean(focus));
    else this.picking = null;
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
