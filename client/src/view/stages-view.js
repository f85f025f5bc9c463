// A family group meeting's stages, on every screen: which one is on now. The facilitator
// also gets the buttons that move it on, and the form that starts family time with the
// time they will be back.
import { clockTime, nextTimeOfDay } from '../family-time.js';
import { WORDS } from '../words.js';
import { el, placeChildren, setText, show } from './dom.js';

const W = WORDS.familyTime;
const FAMILY_TIME = 'family_time';
const DEFAULT_MINUTES = 30;

export class StagesView {
  // actions: {setStage(stage), startFamilyTime(backAtIso)}; null on the display.
  constructor(element, { actions = null } = {}) {
    this.element = element;
    this.actions = actions;
    this.list = el('ol', { class: 'stage-list', 'aria-label': W.stagesHeading });
    this.moves = el('div', { class: 'stage-moves' });
    this.backAt = el('input', { type: 'time', id: 'family-time-back-at', required: true });
    this.startForm = el(
      'form',
      { class: 'family-time-start', dataset: { role: 'family-time-start' }, onsubmit: (event) => this.start(event) },
      el('h2', { class: 'family-time-start-heading' }, W.startHeading),
      el('p', { class: 'muted' }, W.startHint),
      el('label', { for: 'family-time-back-at' }, W.backAtLabel),
      this.backAt,
      el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'start-family-time' } }, W.start),
    );
    this.element.append(this.list, this.moves, this.startForm);
    this.items = new Map();
    this.moveButtons = new Map();
  }

  start(event) {
    event.preventDefault();
    const backAt = nextTimeOfDay(this.backAt.value, Date.now());
    if (backAt) this.actions.startFamilyTime(backAt);
  }

  render(model) {
    const family = model.familyTime;
    show(this.element, family.hasStages);
    if (!family.hasStages) return;
    const nodes = family.stages.map((stage) => this.item(stage, stage.key === family.stage));
    placeChildren(this.list, nodes);
    const runs = Boolean(this.actions) && model.can.changeMeeting;
    const moves = runs && !family.running ? family.stages.filter((s) => s.key !== family.stage && s.key !== FAMILY_TIME) : [];
    placeChildren(this.moves, moves.map((stage) => this.moveButton(stage)));
    const offerStart = runs && !family.running;
    // Half an hour from now is offered each time the form appears; what the facilitator
    // types then stays, whatever else changes on the board.
    if (offerStart && (this.startForm.hidden || !this.backAt.value)) {
      this.backAt.value = clockTime(new Date(Date.now() + DEFAULT_MINUTES * 60000).toISOString());
    }
    show(this.startForm, offerStart);
  }

  item(stage, current) {
    let node = this.items.get(stage.key);
    if (!node) {
      node = el('li', { class: 'stage', dataset: { stage: stage.key } });
      this.items.set(stage.key, node);
    }
    setText(node, stage.label);
    node.classList.toggle('stage-current', current);
    if (current) node.setAttribute('aria-current', 'step');
    else node.removeAttribute('aria-current');
    return node;
  }

  moveButton(stage) {
    let button = this.moveButtons.get(stage.key);
    if (!button) {
      button = el(
        'button',
        { type: 'button', class: 'button', dataset: { moveStage: stage.key }, onclick: () => this.actions.setStage(stage.key) },
        W.moveTo(stage.label),
      );
      this.moveButtons.set(stage.key, button);
    }
    return button;
  }
}
