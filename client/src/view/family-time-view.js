// Private family time. While it is on, the board is put away on every screen: the family
// see their own plan (which only their screens are sent), with "Share our plan with
// everyone", and the facilitator's question when it comes; everyone else (and the meeting
// room screen) sees only "Family time — back at 14:30" and the time left by the server's
// clock, and the facilitator the buttons to ask the family back or end it.
import { clockTime, countdown, secondsLeft } from '../family-time.js';
import { sectionLabel } from '../state.js';
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, placeChildren, setText, show } from './dom.js';
import { plainWordsHint } from './plain-words-hint.js';
import { speakerButton } from './read-aloud-view.js';

const W = WORDS.familyTime;

export class FamilyTimeView {
  // actions: {ask, forceEnd, answer(ready), addItem(section, text), editItem(id, text),
  // deleteItem(id), share}; null on the display.
  constructor(element, { root, actions = null }) {
    this.element = element;
    this.root = root;
    this.actions = actions;
    this.model = null;
    this.heading = el('h2', { class: 'family-time-heading', dataset: { role: 'family-time-heading' } });
    this.timer = el('p', { class: 'family-time-left', role: 'timer', dataset: { role: 'family-time-left' } });
    this.hint = el('p', { class: 'family-time-hint' });
    this.ended = el('p', { class: 'banner banner-calm', role: 'status', dataset: { role: 'family-time-ended' } });
    this.away = this.buildAway();
    this.plan = this.buildPlan();
    this.element.append(this.heading, this.timer, this.hint, this.away, this.plan);
    this.element.before(this.ended);
    this.itemNodes = new Map();
    setInterval(() => this.tick(), 1000);
  }

  buildAway() {
    this.askButton = el('button', { type: 'button', class: 'button button-primary', dataset: { action: 'ask-family-back' }, onclick: () => this.actions.ask() }, W.ask);
    this.askState = el('p', { class: 'family-time-answer', role: 'status', dataset: { role: 'family-answer' } });
    this.forceButton = el('button', { type: 'button', class: 'button', dataset: { action: 'force-end-family-time' }, onclick: () => this.confirmForce() }, W.forceEnd);
    this.forceSlot = el('div');
    return el('div', { class: 'family-time-away' }, this.askState, el('div', { class: 'form-buttons' }, this.askButton, this.forceButton), this.forceSlot);
  }

  buildPlan() {
    this.prompt = el(
      'div',
      { class: 'family-time-prompt', role: 'alertdialog', 'aria-labelledby': 'family-prompt-q', dataset: { role: 'family-prompt' } },
      el('p', { id: 'family-prompt-q', class: 'family-time-prompt-question' }, W.askPrompt),
      el(
        'div',
        { class: 'form-buttons' },
        el('button', { type: 'button', class: 'button button-primary', dataset: { action: 'family-ready' }, onclick: () => this.actions.answer(true) }, W.ready),
        el('button', { type: 'button', class: 'button', dataset: { action: 'family-not-yet' }, onclick: () => this.actions.answer(false) }, W.notReady),
      ),
    );
    this.list = el('ul', { class: 'family-plan-list', 'aria-label': W.planHeading, dataset: { role: 'family-plan' } });
    this.empty = el('p', { class: 'muted' }, W.empty);
    this.section = el('select', { id: 'family-item-section' });
    this.text = el('textarea', { id: 'family-item-text', rows: 2, maxlength: 2000 });
    this.textHint = plainWordsHint(this.text);
    this.addForm = el(
      'form',
      { class: 'family-plan-add', onsubmit: (event) => this.add(event) },
      el('label', { for: 'family-item-text' }, W.addLabel),
      this.text,
      this.textHint.element,
      el('label', { for: 'family-item-section' }, W.sectionLabel),
      this.section,
      el('button', { type: 'submit', class: 'button', dataset: { action: 'add-family-item' } }, W.add),
    );
    this.shareButton = el(
      'button',
      { type: 'button', class: 'button button-primary family-plan-share', dataset: { action: 'share-family-plan' }, onclick: () => this.actions.share() },
      W.share,
    );
    return el('div', { class: 'family-plan' }, this.prompt, this.list, this.empty, this.addForm, this.shareButton);
  }

  add(event) {
    event.preventDefault();
    const text = this.text.value.trim();
    if (!text) return;
    this.actions.addItem(this.section.value, text);
    this.text.value = '';
    this.textHint.check();
  }

  confirmForce() {
    const close = () => placeChildren(this.forceSlot, []);
    const confirm = createConfirm({
      question: W.forceQuestion,
      yes: W.forceYes,
      no: W.forceNo,
      onYes: () => {
        close();
        this.actions.forceEnd();
      },
      onNo: close,
    });
    placeChildren(this.forceSlot, [confirm.element]);
    confirm.focus();
  }

  render(model) {
    this.model = model;
    const family = model.familyTime;
    const mine = family.isFamily && Boolean(this.actions);
    // Family time ended without the family sharing: their lines stay theirs to share.
    const leftOver = mine && family.hasStages && !family.running && family.items.length > 0;
    this.root.classList.toggle('family-time-on', family.running);
    const ended = family.hasStages && !family.running && model.state.familyTime?.ended;
    setText(this.ended, ended ? W.ended[model.state.familyTime.ended] : '');
    show(this.ended, Boolean(ended) && family.stage === 'agreeing');
    show(this.element, family.running || leftOver);
    show(this.timer, family.running);
    if (!family.running && !leftOver) return;
    const back = family.running ? clockTime(family.backAt) : '';
    setText(this.heading, mine ? W.planHeading : W.away(back));
    const hint = leftOver ? W.planLeft : mine ? `${W.planHint} ${W.backAtFamily(back)}` : W.awayHint;
    setText(this.hint, hint);
    show(this.away, !mine && Boolean(this.actions) && model.can.changeMeeting);
    show(this.plan, mine);
    if (mine) this.renderPlan(model, family);
    else setText(this.askState, family.asked ? W.asked : family.notYet ? W.notYet : '');
    this.tick();
  }

  renderPlan(model, family) {
    show(this.prompt, family.asked);
    // Lines are written, changed and removed in family time only; sharing works after it.
    show(this.addForm, family.running);
    this.element.classList.toggle('family-time-over', !family.running);
    const vocabulary = model.board.meeting.vocabulary;
    if (this.section.options.length !== family.planSections.length) {
      placeChildren(this.section, family.planSections.map((s) => el('option', { value: s.key }, sectionLabel(s, vocabulary))));
    }
    const labels = new Map(family.planSections.map((s) => [s.key, sectionLabel(s, vocabulary)]));
    placeChildren(this.list, family.items.map((item) => this.itemNode(item, labels, model)));
    show(this.empty, family.items.length === 0);
  }

  itemNode(item, labels, model) {
    let node = this.itemNodes.get(item.id);
    if (!node) {
      node = new ItemNode(item.id, this.actions);
      this.itemNodes.set(item.id, node);
    }
    node.render(item, labels.get(item.section) ?? '', model.state.participantName(item.author) ?? '');
    return node.element;
  }

  tick() {
    const family = this.model?.familyTime;
    if (!family?.running) return;
    const left = secondsLeft(family.backAt, this.model.state.clockOffset, Date.now());
    setText(this.timer, left > 0 ? W.left(countdown(left)) : W.overTime);
  }
}

// One line of the family's plan: its words, where it goes and who wrote it; "Change" opens
// its words for editing in place.
class ItemNode {
  constructor(id, actions) {
    this.id = id;
    this.actions = actions;
    this.words = el('p', { class: 'family-item-text', id: `family-item-${id}-text`, dir: 'auto' });
    this.meta = el('p', { class: 'muted family-item-meta' });
    this.editor = el('textarea', { rows: 2, maxlength: 2000, 'aria-label': W.edit });
    this.editorHint = plainWordsHint(this.editor);
    this.editing = el(
      'div',
      { class: 'family-item-edit' },
      this.editor,
      this.editorHint.element,
      el(
        'div',
        { class: 'form-buttons' },
        el('button', { type: 'button', class: 'button button-primary', dataset: { action: 'save-family-item' }, onclick: () => this.save() }, W.save),
        el('button', { type: 'button', class: 'button', onclick: () => this.close() }, W.cancel),
      ),
    );
    this.buttons = el(
      'div',
      { class: 'form-buttons' },
      speakerButton('family-item', id, this.words.id),
      el('button', { type: 'button', class: 'button', dataset: { action: 'edit-family-item' }, onclick: () => this.open() }, W.edit),
      el('button', { type: 'button', class: 'button', dataset: { action: 'remove-family-item' }, onclick: () => actions.deleteItem(id) }, W.remove),
    );
    this.element = el('li', { class: 'family-item', dataset: { itemId: id } }, this.words, this.meta, this.buttons, this.editing);
    show(this.editing, false);
  }

  render(item, sectionLabel, author) {
    this.text = item.text;
    setText(this.words, item.text);
    setText(this.meta, `${sectionLabel} · ${W.writtenBy(author)}`);
  }

  open() {
    this.editor.value = this.text;
    this.editorHint.check();
    show(this.editing, true);
    show(this.buttons, false);
    this.editor.focus();
  }

  close() {
    show(this.editing, false);
    show(this.buttons, true);
  }

  save() {
    const text = this.editor.value.trim();
    if (text && text !== this.text) this.actions.editItem(this.id, text);
    this.close();
  }
}
