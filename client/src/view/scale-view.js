// One scale: its question and what 0 and 10 mean, the worry it is about, last time's
// numbers and their trend (in a review meeting), its rounds (the newest on top, earlier
// ones faded), the facilitator's buttons and small forms, and, on the facilitator's
// screen only, the calm flag when someone scored safety very low.
import { trendOf } from '../trend.js';
import { WORDS } from '../words.js';
import { createAnchors } from './anchors.js';
import { el, placeChildren, setText, show } from './dom.js';
import { createRecordVoteForm } from './record-vote-form.js';
import { RoundView } from './round-view.js';
import { speakerButton } from './read-aloud-view.js';
import { createScaleForm } from './scale-form.js';
import { TrendView } from './trend-view.js';

export class ScaleView {
  // actions (board page only): see ScalesView
  constructor(scaleId, { actions = null } = {}) {
    this.scaleId = scaleId;
    this.actions = actions;
    this.item = null;
    this.roundViews = new Map();
    this.form = null; // the open small form: {kind, element, ...}

    this.question = el('h3', { class: 'scale-question', id: `scale-${scaleId}-question`, dir: 'auto', tabindex: '-1' });
    this.about = el('p', { class: 'scale-about', hidden: true });
    this.anchors = createAnchors();
    this.flag = el('p', { class: 'worry-flag', role: 'alert', hidden: true, dataset: { role: 'worry-flag' } });
    this.trend = new TrendView();
    this.rounds = el('div', { class: 'rounds' });
    this.empty = el('p', { class: 'scale-empty' }, WORDS.scaling.notAskedYet);
    this.element = el(
      'section',
      { class: 'scale', dataset: { scaleId } },
      el(
        'header',
        { class: 'scale-header' },
        el('div', { class: 'scale-title' }, this.question, actions ? speakerButton('scale', scaleId, this.question.id) : null),
        this.about,
        this.anchors.element,
      ),
      this.flag,
    );
    if (actions) this.buildControls();
    this.element.append(this.trend.element, this.rounds, this.empty);
  }

  buildControls() {
    const words = WORDS.scaling;
    const button = (action, label, onclick, className = 'button') =>
      el('button', { type: 'button', class: className, dataset: { action }, onclick }, label);
    this.openButton = button('open-round', words.askEveryone, () => this.actions.openRound(this.scaleId), 'button button-primary');
    this.revealButton = button('reveal-round', words.showAnswers, () => this.actions.revealRound(this.scaleId), 'button button-primary');
    this.recordButton = button('record-vote', words.recordVote, () => this.toggleForm('record'));
    this.editButton = button('edit-scale', words.editScale, () => this.toggleForm('edit'));
    this.deleteButton = button('delete-scale', words.deleteScale, () => this.toggleForm('delete'));
    for (const toggle of [this.recordButton, this.editButton, this.deleteButton]) toggle.setAttribute('aria-expanded', 'false');
    this.controls = el(
      'div',
      { class: 'scale-controls' },
      this.openButton,
      this.revealButton,
      this.recordButton,
      this.editButton,
      this.deleteButton,
    );
    this.formSlot = el('div', { class: 'scale-form-slot' });
    this.element.append(this.controls, this.formSlot);
  }

  // item: one of describeScales(); context: {can, template, threshold, onlyLatest}
  render(item, context) {
    this.item = item;
    this.context = context;
    const { scale, card, rounds, openRound, lowVotes } = item;
    setText(this.question, scale.question);
    setText(this.about, card ? WORDS.scaling.aboutWorry(card.text) : '');
    show(this.about, Boolean(card));
    this.anchors.render(scale);
    this.element.classList.toggle('is-pending', item.pending);

    const flagged = context.can.runMeeting && lowVotes.length > 0;
    setText(this.flag, flagged ? WORDS.scaling.worryFlag(context.threshold) : '');
    show(this.flag, flagged);

    const trend = trendOf(scale, rounds.map((entry) => entry.round));
    show(this.trend.element, Boolean(trend));
    if (trend) this.trend.render(trend, context.template.groups);

    if (this.controls) this.renderControls(item, context.can);
    this.renderRounds(context.onlyLatest ? rounds.slice(0, 1) : rounds, context);
    show(this.empty, rounds.length === 0);
    if (this.form?.kind === 'record') this.form.render(scale);
    if (openRound === null && this.form?.kind === 'record') this.closeForm();
  }

  renderControls({ rounds, openRound, waiting }, can) {
    show(this.controls, can.runScales);
    if (!can.runScales) this.closeForm();
    setText(this.openButton, rounds.length ? WORDS.scaling.askAgain : WORDS.scaling.askEveryone);
    show(this.openButton, !openRound);
    show(this.revealButton, Boolean(openRound));
    show(this.recordButton, Boolean(openRound));
    // One press is enough: a second "Ask everyone" on its way would be refused.
    this.openButton.disabled = waiting;
    this.revealButton.disabled = waiting;
  }

  renderRounds(entries, context) {
    const views = entries.map((entry, index) => {
      let view = this.roundViews.get(entry.round.id);
      if (!view) {
        const onVote = this.actions ? (value, reason) => this.actions.vote(this.scaleId, value, reason) : null;
        const onLeaveOut = this.actions ? (voter) => this.actions.leaveOut(this.scaleId, voter) : null;
        const roundId = entry.round.id;
        const onTranslate = this.actions?.translateReason ? (voter, text) => this.actions.translateReason(roundId, voter, text) : null;
        view = new RoundView(roundId, { onVote, onLeaveOut, onTranslate });
        this.roundViews.set(entry.round.id, view);
      }
      view.render(entry, { ...context, scale: this.item.scale, earlier: index > 0 });
      return view;
    });
    for (const [id, view] of this.roundViews) {
      if (!views.includes(view)) {
        view.dispose();
        this.roundViews.delete(id);
      }
    }
    placeChildren(this.rounds, views.map((view) => view.element));
  }

  dispose() {
    this.trend.dispose();
    for (const view of this.roundViews.values()) view.dispose();
  }

  // Brings the scale into view and puts the focus on its question (e.g. from a worry card).
  reveal() {
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.element.scrollIntoView({ block: 'start', behavior: reduced ? 'auto' : 'smooth' });
    this.question.focus({ preventScroll: true });
  }

  // --- the small forms: change the words, remove, record an answer ----------------------

  toggleForm(kind) {
    const wasOpen = this.form?.kind === kind;
    this.closeForm();
    if (wasOpen) return;
    this.form = { kind, ...this.makeForm(kind) };
    this.formSlot.append(this.form.element);
    this.toggleFor(kind).setAttribute('aria-expanded', 'true');
    this.form.focus();
  }

  makeForm(kind) {
    const { scale } = this.item;
    const done = () => {
      this.closeForm();
      this.toggleFor(kind).focus();
    };
    if (kind === 'edit') {
      return createScaleForm({
        words: { question: scale.question, lowLabel: scale.low_label, highLabel: scale.high_label },
        limits: this.context.template.limits,
        onSave: (words) => {
          const current = this.item.scale;
          const changed =
            words.question !== current.question ||
            words.lowLabel !== current.low_label ||
            words.highLabel !== current.high_label;
          if (changed) this.actions.editScale(this.scaleId, words);
          done();
        },
        onCancel: done,
      });
    }
    if (kind === 'record') {
      const { template } = this.context;
      const roles = template.self_chosen_roles.map((value) => ({ value, label: template.roles[value] ?? value }));
      const form = createRecordVoteForm({
        roles,
        limits: template.limits,
        onSave: (answer) => this.actions.recordVote(this.scaleId, answer),
        onCancel: done,
      });
      form.render(scale);
      return form;
    }
    return confirmDelete({
      onYes: () => {
        this.closeForm();
        this.actions.deleteScale(this.scaleId);
      },
      onNo: done,
    });
  }

  toggleFor(kind) {
    return { edit: this.editButton, record: this.recordButton, delete: this.deleteButton }[kind];
  }

  closeForm() {
    if (!this.form) return;
    this.form.element.remove();
    this.toggleFor(this.form.kind).setAttribute('aria-expanded', 'false');
    this.form = null;
  }
}

// "Remove this scale and all its answers?": the answers can not be brought back.
function confirmDelete({ onYes, onNo }) {
  const no = el('button', { type: 'button', class: 'button', dataset: { action: 'cancel' }, onclick: onNo }, WORDS.scaling.keepIt);
  const element = el(
    'div',
    { class: 'confirm-delete', role: 'group' },
    el('p', { class: 'confirm-question' }, WORDS.scaling.reallyDelete),
    el(
      'div',
      { class: 'form-buttons' },
      el(
        'button',
        { type: 'button', class: 'button button-danger', dataset: { action: 'confirm-delete-scale' }, onclick: onYes },
        WORDS.scaling.yesDelete,
      ),
      no,
    ),
  );
  return { element, focus: () => no.focus() };
}
