// The spotlight. The facilitator picks a part of the board, a card or a scale and
// spotlights it; every screen highlights it gently. The room screen always moves to it;
// anyone else only if they ticked "Follow the facilitator" (kept by this browser, off
// until they choose it: a view that moves by itself while someone reads or writes is
// unkind, so it is offered, never forced). Following never takes the keyboard focus.
import { t } from '../i18n.js';
import { sectionLabel } from '../state.js';
import { describeFocus, focusSelector } from '../steering.js';
import { WORDS } from '../words.js';
import { el, show } from './dom.js';

const SPOTLIT = 'is-spotlit';

export class SpotlightView {
  // `follow`: "always" (the room screen) or "choice". `actions` (board page only):
  // spotlight(kind, target), clearSpotlight(). `showColumn(key)`: brings a column or the
  // scales into view on a phone (BoardView's), if the page has tabs.
  constructor(root, { meetingId, follow = 'choice', actions = null, showColumn = null }) {
    this.follow = follow;
    this.actions = actions;
    this.showColumn = showColumn;
    this.storageKey = `kinboard:follow:${meetingId}`;
    this.spotlit = null; // the element highlighted now
    this.followed = null; // the spotlight last moved to (its `at`)
    this.current = null;
    this.optionsKey = '';
    this.root = el('section', { class: 'spotlight', 'aria-label': WORDS.steer.spotlight });
    root.append(this.root);
    if (actions) this.root.append(this.buildControls());
    if (follow === 'choice') this.root.append(this.buildFollow());
  }

  buildControls() {
    this.select = el('select', { class: 'spotlight-select', id: 'spotlight-select', dataset: { field: 'spotlight' } });
    const button = (label, action, onclick) =>
      el('button', { type: 'button', class: 'button button-small', dataset: { action }, onclick }, label);
    this.clear = button(WORDS.steer.clearSpotlight, 'clear-spotlight', () => this.actions.clearSpotlight());
    this.controls = el(
      'p',
      { class: 'spotlight-controls' },
      el('label', { for: 'spotlight-select' }, WORDS.steer.spotlight),
      this.select,
      button(WORDS.steer.spotlightIt, 'spotlight', () => {
        const [kind, target] = this.select.value.split(':');
        if (kind && target) this.actions.spotlight(kind, target);
      }),
      this.clear,
    );
    return this.controls;
  }

  buildFollow() {
    this.followBox = el('input', { type: 'checkbox', id: 'follow-facilitator', dataset: { field: 'follow' } });
    this.followBox.checked = this.readChoice();
    this.followBox.addEventListener('change', () => {
      this.saveChoice(this.followBox.checked);
      this.followed = null;
      if (this.followBox.checked && this.current) this.moveTo(this.current);
    });
    this.followLine = el(
      'p',
      { class: 'follow' },
      this.followBox,
      el('label', { for: 'follow-facilitator' }, WORDS.steer.follow),
      el('span', { class: 'follow-hint' }, WORDS.steer.followHint),
    );
    return this.followLine;
  }

  // After every other view has rendered, so the spotlit element is on the page.
  render(model) {
    const focus = describeFocus(model.state.focus, model.template, model.state);
    this.current = focus;
    if (this.controls) {
      show(this.controls, model.can.steer);
      this.renderOptions(model, focus);
      this.clear.disabled = !focus;
    }
    // The facilitator is the one followed.
    if (this.followLine) show(this.followLine, !model.can.steer);
    const element = focus ? document.querySelector(focusSelector(focus)) : null;
    if (element !== this.spotlit) {
      this.spotlit?.classList.remove(SPOTLIT);
      element?.classList.add(SPOTLIT);
      this.spotlit = element;
    }
    if (focus && this.following() && this.followed !== focus.at) this.moveTo(focus);
  }

  following() {
    return this.follow === 'always' || Boolean(this.followBox?.checked && !this.followLine.hidden);
  }

  moveTo(focus) {
    this.followed = focus.at;
    this.showColumn?.(focus.column);
    const element = document.querySelector(focusSelector(focus));
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    element?.scrollIntoView({ block: 'center', behavior: reduced ? 'auto' : 'smooth' });
  }

  // What can be spotlit: the board's sections, its scales and its cards.
  renderOptions(model, focus) {
    const { template, state } = model;
    const vocabulary = state.meeting.vocabulary;
    const groups = [
      [WORDS.steer.sections, template.columns.flatMap((c) => c.sections.map((s) => [`section:${s.key}`, sectionLabel(s, vocabulary)]))],
      [WORDS.steer.scales, [...state.scales.values()].map((s) => [`scale:${s.id}`, WORDS.steer.spotlightScale(t(s.question))])],
      [WORDS.steer.cards, [...state.cards.values()].map((c) => [`card:${c.id}`, WORDS.steer.spotlightCard(c.text)])],
    ];
    const key = JSON.stringify(groups);
    if (key !== this.optionsKey) {
      this.optionsKey = key;
      const chosen = this.select.value;
      this.select.replaceChildren(
        ...groups
          .filter(([, options]) => options.length)
          .map(([label, options]) =>
            el('optgroup', { label }, ...options.map(([value, text]) => el('option', { value }, text))),
          ),
      );
      if (chosen) this.select.value = chosen;
    }
    if (focus && document.activeElement !== this.select) this.select.value = `${focus.kind}:${focus.target}`;
  }

  readChoice() {
    try {
      return window.localStorage.getItem(this.storageKey) === 'on';
    } catch {
      return false; // storage turned off: nobody is followed without asking
    }
  }

  saveChoice(on) {
    try {
      window.localStorage.setItem(this.storageKey, on ? 'on' : 'off');
    } catch {
      // kept for this page only
    }
  }
}
