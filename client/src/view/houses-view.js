// The child's three houses: each with its items and three big ways to add one (words,
// typed or said; a picture; a drawing), and on each item who can see it.
import { HOUSES, SHARINGS } from '../houses.js';
import { PICTURES, pictureName, pictureUrl } from '../pictures.js';
import { canListen, listen } from '../speech.js';
import { WORDS } from '../words.js';
import { el, placeChildren, setText, show } from './dom.js';
import { DrawingPad, drawingSvg } from './drawing-view.js';

const W = WORDS.houses;

// What an item shows: its words, its picture or its drawing.
export function itemContent(item) {
  if (item.words !== null && item.words !== undefined) return el('p', { class: 'house-words', dir: 'auto', text: item.words });
  if (item.picture) {
    const name = pictureName(item.picture);
    return el('img', { class: 'house-picture', src: pictureUrl(item.picture), alt: name, 'data-say': W.aPicture(name), width: 96, height: 96 });
  }
  return drawingSvg(item.strokes, W.aDrawing);
}

export class HousesView {
  constructor(root, actions) {
    this.actions = actions;
    this.frozen = false;
    this.items = new Map(); // item id -> {key, element}
    this.houses = new Map(HOUSES.map((house) => [house, this.house(house)]));
    root.replaceChildren(...[...this.houses.values()].map((h) => h.element));
  }

  house(house) {
    const list = el('ul', { class: 'house-items', dataset: { role: 'house-items' } });
    const empty = el('p', { class: 'house-empty', text: W.empty });
    const adder = el('div', { class: 'house-adder', dataset: { role: 'adder' }, hidden: true });
    const addButton = (kind, label) =>
      el('button', { type: 'button', class: `button house-add house-add-${kind}`, dataset: { role: `add-${kind}` }, text: label, onclick: () => this.openAdder(house, kind) });
    const buttons = el('div', { class: 'house-add-buttons' }, addButton('words', W.addWords), addButton('picture', W.addPicture), addButton('drawing', W.addDrawing));
    const element = el(
      'section',
      { class: `house house-${house}`, dataset: { house }, 'aria-labelledby': `house-${house}` },
      el('h2', { class: 'house-title', id: `house-${house}` }),
      el('p', { class: 'house-prompt', text: W.housePrompts[house] }),
      list,
      empty,
      buttons,
      adder,
    );
    return { element, title: element.querySelector('h2'), list, empty, adder, buttons };
  }

  // labels: the houses' names, from the server's template; markingOf(item): the words of
  // the facilitator's marking of a shared item ("Hidden from Sam"), or null.
  render({ houses, frozen, labels, markingOf = () => null }) {
    this.frozen = frozen;
    this.markingOf = markingOf;
    const seen = new Set();
    for (const [house, items] of houses) {
      const parts = this.houses.get(house);
      setText(parts.title, labels[house]);
      parts.title.dataset.say = `${labels[house]}. ${W.housePrompts[house]}`;
      placeChildren(parts.list, items.map((item) => this.itemElement(item)));
      for (const item of items) seen.add(item.id);
      show(parts.empty, items.length === 0);
      show(parts.buttons, !frozen);
      if (frozen) show(parts.adder, false);
    }
    for (const id of this.items.keys()) if (!seen.has(id)) this.items.delete(id);
  }

  itemElement(item) {
    const marking = item.sharing === 'everyone' ? this.markingOf(item) : null;
    const key = JSON.stringify([item, this.frozen, marking]);
    const kept = this.items.get(item.id);
    if (kept?.key === key) return kept.element;
    const choices = SHARINGS.map((sharing) =>
      el('button', {
        type: 'button',
        class: `button sharing sharing-${sharing}`,
        dataset: { sharing },
        'aria-pressed': String(item.sharing === sharing),
        'data-say': W.sharingSay[sharing],
        disabled: this.frozen,
        text: W.sharing[sharing],
        onclick: () => item.sharing !== sharing && this.actions.share(item.id, sharing),
      }),
    );
    const element = el(
      'li',
      { class: `house-item${item.pending ? ' house-item-pending' : ''}`, dataset: { itemId: item.id, sharing: item.sharing } },
      itemContent(item),
      marking ? el('p', { class: 'card-audience', dataset: { role: 'audience' }, text: marking }) : null,
      el('div', { class: 'sharing-choices', role: 'group', 'aria-label': W.whoSees }, el('span', { class: 'sharing-question', text: W.whoSees }), ...choices),
      this.frozen ? null : el('button', { type: 'button', class: 'button house-remove', dataset: { role: 'remove' }, text: W.remove, onclick: () => this.actions.remove(item.id) }),
    );
    this.items.set(item.id, { key, element });
    return element;
  }

  openAdder(house, kind) {
    const { adder } = this.houses.get(house);
    const close = () => {
      adder.replaceChildren();
      show(adder, false);
    };
    const put = (content) => {
      this.actions.add(house, content);
      close();
    };
    const cancel = el('button', { type: 'button', class: 'button', text: W.cancel, onclick: close });
    const build = { words: wordsAdder, picture: pictureAdder, drawing: drawingAdder }[kind];
    adder.replaceChildren(...build(put, cancel));
    show(adder, true);
    adder.querySelector('textarea, button')?.focus();
  }
}

function wordsAdder(put, cancel) {
  const input = el('textarea', { class: 'field house-words-input', rows: 3, maxlength: 500, 'aria-label': W.wordsLabel, dataset: { role: 'words-input' } });
  const speak = canListen()
    ? el('button', {
        type: 'button',
        class: 'button house-speak',
        text: W.speak,
        onclick: (event) => {
          const button = event.currentTarget;
          button.textContent = W.listening;
          listen(
            (heard) => (input.value = `${input.value} ${heard}`.trim()),
            () => (button.textContent = W.speak),
          );
        },
      })
    : null;
  const submit = el('button', {
    type: 'button',
    class: 'button button-primary',
    dataset: { role: 'put-in' },
    text: W.putIn,
    onclick: () => input.value.trim() && put({ words: input.value.trim() }),
  });
  return [el('label', { class: 'house-label', text: W.wordsLabel }), input, el('div', { class: 'house-adder-buttons' }, speak, submit, cancel)];
}

function pictureAdder(put, cancel) {
  const grid = el(
    'div',
    { class: 'picture-grid', role: 'group', 'aria-label': W.choosePicture },
    ...PICTURES.map(({ id }) =>
      el(
        'button',
        { type: 'button', class: 'picture-choice', dataset: { picture: id }, 'aria-label': pictureName(id), onclick: () => put({ picture: id }) },
        el('img', { src: pictureUrl(id), alt: '', width: 56, height: 56 }),
      ),
    ),
  );
  return [el('p', { class: 'house-label', text: W.choosePicture }), grid, el('div', { class: 'house-adder-buttons' }, cancel)];
}

function drawingAdder(put, cancel) {
  const pad = new DrawingPad(W.drawHere);
  const clear = el('button', { type: 'button', class: 'button', text: W.clear, onclick: () => pad.clear() });
  const submit = el('button', {
    type: 'button',
    class: 'button button-primary',
    dataset: { role: 'put-in' },
    text: W.putIn,
    onclick: () => pad.strokes.length && put({ strokes: pad.strokes }),
  });
  return [el('p', { class: 'house-label', text: W.drawHere }), pad.element, el('div', { class: 'house-adder-buttons' }, clear, submit, cancel)];
}
