// The "Scaling together" area: every scale of the meeting (on a phone, behind the fourth
// tab "Scales"), and for the facilitator "Add a scale" and the worry threshold. On the
// meeting-room screen (read-only) it shows only the scale the room is busy with, newest
// round only, large.
import { currentScaleId } from '../scaling.js';
import { WORDS } from '../words.js';
import { el, placeChildren, show } from './dom.js';
import { createScaleForm } from './scale-form.js';
import { ScaleView } from './scale-view.js';

export class ScalesView {
  // actions (board page only): addScale(words) -> new scale id, editScale(scaleId, words),
  // deleteScale(scaleId), openRound(scaleId), revealRound(scaleId),
  // vote(scaleId, value, reason), recordVote(scaleId, {name, role, value, reason}),
  // leaveOut(scaleId, voter),
  // setWorryThreshold(number)
  constructor(root, { readOnly = false, actions = null } = {}) {
    this.root = root;
    this.readOnly = readOnly;
    this.actions = readOnly ? null : actions;
    this.scaleViews = new Map();
    this.addForm = null;
    this.revealAfterRender = null;
    this.savedThreshold = null;
    this.built = false;
  }

  // The phone tab for this area (see BoardView's extraTabs): it counts the open rounds.
  get tab() {
    return {
      key: 'scales',
      heading: WORDS.scaling.tab,
      panel: this.root,
      badge: (model) => String(model.scales.filter((item) => item.openRound).length || ''),
    };
  }

  build() {
    this.built = true;
    const words = WORDS.scaling;
    this.list = el('div', { class: 'scale-list' });
    this.empty = el('p', { class: 'scale-empty' }, words.noScales);
    const parts = [el('h2', { class: 'scales-heading', id: 'scales-heading' }, words.heading)];
    if (!this.readOnly) parts.push(el('p', { class: 'scales-intro' }, words.intro));
    if (this.actions) {
      this.addButton = el(
        'button',
        { type: 'button', class: 'button', dataset: { action: 'add-scale' }, 'aria-expanded': 'false', onclick: () => this.toggleAdd() },
        words.addScale,
      );
      this.threshold = el('input', {
        type: 'number',
        min: 0,
        max: 10,
        step: 1,
        inputmode: 'numeric',
        class: 'threshold-input',
        dataset: { field: 'worry-threshold' },
        onchange: () => this.saveThreshold(),
      });
      this.toolbar = el(
        'div',
        { class: 'scales-toolbar' },
        this.addButton,
        el('label', { class: 'threshold' }, el('span', {}, words.threshold), this.threshold),
      );
      this.addSlot = el('div', { class: 'scale-form-slot' });
      parts.push(this.toolbar, this.addSlot);
    }
    this.root.replaceChildren(...parts, this.list, this.empty);
  }

  // model: the live board's snapshot (scales from describeScales, can, template, board)
  render(model) {
    if (!this.built) this.build();
    const { can, template } = model;
    this.limits = template.limits;
    this.savedThreshold = model.threshold;
    let items = model.scales;
    if (this.readOnly) {
      // The scale the facilitator spotlights, else the one the room is busy with.
      const current = model.spotlitScale ?? currentScaleId(items);
      items = items.filter((item) => item.scale.id === current);
    }
    // The meeting-room screen shows this area only while there is something to look at.
    show(this.root, !this.readOnly || items.length > 0);

    if (this.toolbar) {
      show(this.toolbar, can.runScales);
      if (!can.runScales) this.closeAdd();
      if (document.activeElement !== this.threshold) this.threshold.value = String(model.threshold);
    }
    show(this.empty, items.length === 0);

    // A child gives their number on a slider with faces (their number counts as before).
    const forChild = model.state.me?.role === 'child';
    const context = {
      can,
      template,
      threshold: model.threshold,
      onlyLatest: this.readOnly,
      forChild,
      // interpreters' translations of the reasons (see round-view.js)
      translations: model.state.translations,
      nameOf: (id) => model.state.participantName(id),
      me: model.state.me,
    };
    const views = items.map((item) => {
      let view = this.scaleViews.get(item.scale.id);
      if (!view) {
        view = new ScaleView(item.scale.id, { actions: this.actions });
        this.scaleViews.set(item.scale.id, view);
      }
      view.render(item, context);
      return view;
    });
    for (const [id, view] of this.scaleViews) {
      if (!views.includes(view)) {
        view.dispose();
        this.scaleViews.delete(id);
      }
    }
    placeChildren(this.list, views.map((view) => view.element));

    const revealId = this.revealAfterRender;
    if (revealId && this.scaleViews.has(revealId)) {
      this.revealAfterRender = null;
      this.scaleViews.get(revealId).reveal();
    }
  }

  // Shows a scale as soon as it is on the page (it may be one just added).
  reveal(scaleId) {
    this.revealAfterRender = scaleId;
  }

  toggleAdd() {
    if (this.addForm) {
      this.closeAdd();
      this.addButton.focus();
      return;
    }
    this.addForm = createScaleForm({
      words: null,
      limits: this.limits,
      onSave: (words) => {
        this.closeAdd();
        this.reveal(this.actions.addScale(words));
      },
      onCancel: () => {
        this.closeAdd();
        this.addButton.focus();
      },
    });
    this.addSlot.append(this.addForm.element);
    this.addButton.setAttribute('aria-expanded', 'true');
    this.addForm.focus();
  }

  closeAdd() {
    if (!this.addForm) return;
    this.addForm.element.remove();
    this.addForm = null;
    this.addButton.setAttribute('aria-expanded', 'false');
  }

  // A whole number from 0 to 10 is sent; anything else goes back to the meeting's number.
  saveThreshold() {
    const typed = this.threshold.value.trim();
    const value = Number(typed);
    const valid = typed !== '' && Number.isInteger(value) && value >= 0 && value <= 10;
    if (!valid) this.threshold.value = String(this.savedThreshold);
    else if (value !== this.savedThreshold) this.actions.setWorryThreshold(value);
  }
}
