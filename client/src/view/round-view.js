// One round of a scale. While it is open: how many have answered and who (never a number),
// on the facilitator's screen the answers that may be one person's twice, each with "Leave
// this one out", and the number buttons for whoever may vote. Answers left out are named. Once the answers are shown: the spread in
// words, the picture and the table. Made once per round id and updated in place, so a
// reason being typed is never lost to a re-render.
import { t } from '../i18n.js';
import { ownTranslation, translationsOf } from '../translations.js';
import { summaryWords } from '../trend.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';
import { DotPlotView } from './dot-plot-view.js';
import { createVotePanel } from './vote-panel.js';
import { createTranslateForm, renderTranslations } from './translation-view.js';
import { voteTable } from './vote-table.js';

export class RoundView {
  // onVote(value, reason): only where this person may vote (the board page);
  // onLeaveOut(voter): the facilitator's "Leave this one out" (the board page);
  // onTranslate(voter, text): an interpreter's translation of a reason (the board page)
  constructor(roundId, { onVote = null, onLeaveOut = null, onTranslate = null } = {}) {
    this.roundId = roundId;
    this.onVote = onVote;
    this.onLeaveOut = onLeaveOut;
    this.onTranslate = onTranslate;
    this.reasons = new Map(); // voter -> the parts of their reason's cell (translations)
    this.status = null;
    this.heading = el('h4', { class: 'round-heading' });
    this.state = el('span', { class: 'round-state' });
    this.body = el('div', { class: 'round-body' });
    this.element = el(
      'article',
      { class: 'round', dataset: { roundId } },
      el('header', { class: 'round-header' }, this.heading, this.state),
      this.body,
    );
    this.plot = null;
  }

  // entry: {round, answered, myVote, twice, leftOut} (see scaling.js);
  // context: {scale, can, template, earlier}
  render({ round, answered, myVote, twice, leftOut }, { scale, can, template, earlier, forChild = false, translations, nameOf, me }) {
    if (round.status !== this.status) {
      this.status = round.status;
      this.element.dataset.status = round.status;
      if (round.status === 'revealed') this.buildRevealed(round, template);
      else this.buildOpen(template);
    }
    this.element.classList.toggle('is-earlier', earlier);
    setText(this.heading, WORDS.scaling.roundHeading(round.number));
    setText(this.state, round.status === 'open' ? WORDS.scaling.answering : WORDS.scaling.shown);
    this.renderLeftOut(leftOut);
    if (round.status === 'revealed') {
      this.plot.render(scale, round, template.groups);
      this.renderReasons({ can, template, translations, nameOf, me });
      return;
    }
    this.renderAnswered(answered);
    this.renderTwice(this.onLeaveOut && can.runScales ? twice : []);
    if (this.votePanel) {
      show(this.votePanel.element, can.vote);
      this.votePanel.render(scale, myVote, { forChild });
    }
  }

  dispose() {
    this.plot?.dispose();
  }

  buildOpen(template) {
    this.answeredLine = el('p', { class: 'answered', tabindex: '-1', dataset: { role: 'answered' } });
    this.answeredNames = el('ul', { class: 'answered-names' });
    this.answeredKey = null;
    this.twice = el('div', { class: 'likely-twice', hidden: true, dataset: { role: 'likely-twice' } });
    this.twiceKey = null;
    this.leftOutList = el('ul', { class: 'left-out', hidden: true, dataset: { role: 'left-out' } });
    this.leftOutKey = null;
    this.votePanel = this.onVote ? createVotePanel({ onVote: this.onVote, maxReason: template.limits.reason }) : null;
    this.body.replaceChildren(
      ...[this.answeredLine, this.answeredNames, this.twice, this.leftOutList, this.votePanel?.element].filter(Boolean),
    );
  }

  // The answers of a shown round never change: everything is made once.
  buildRevealed(round, template) {
    this.votePanel = null;
    this.plot?.dispose();
    this.plot = new DotPlotView();
    this.leftOutList = el('ul', { class: 'left-out', hidden: true, dataset: { role: 'left-out' } });
    this.leftOutKey = null;
    this.body.replaceChildren(
      el('p', { class: 'spread', dataset: { role: 'spread' } }, summaryWords(round.summary, template.groups)),
      this.plot.element,
      voteTable(round.votes, template),
      this.leftOutList,
    );
    this.reasons = new Map();
    for (const row of this.body.querySelectorAll('tr[data-voter]')) {
      const vote = round.votes.find((v) => v.voter === row.dataset.voter);
      if (!vote?.reason) continue;
      const shown = el('div', { class: 'reason-translations', hidden: true });
      const button = el(
        'button',
        { type: 'button', class: 'button button-small', hidden: true, 'aria-expanded': 'false', dataset: { action: 'translate-reason' } },
        t('Translate'),
      );
      const slot = el('div', { class: 'translate-slot' });
      button.addEventListener('click', () => this.toggleTranslate(vote.voter));
      row.querySelector('.cell-reason').append(shown, button, slot);
      this.reasons.set(vote.voter, { shown, button, slot, form: null });
    }
  }

  // Each reason's translations under it, and an interpreter's "Translate" beside it.
  renderReasons({ can, template, translations, nameOf, me }) {
    this.translating = { template, translations, me };
    for (const [voter, parts] of this.reasons) {
      renderTranslations(parts.shown, translationsOf(translations ?? new Map(), 'reason', `${this.roundId}/${voter}`), nameOf ?? (() => null));
      const offered = Boolean(can.translate && this.onTranslate);
      show(parts.button, offered);
      if (!offered && parts.form) this.closeTranslate(parts);
    }
  }

  toggleTranslate(voter) {
    const parts = this.reasons.get(voter);
    if (parts.form) return this.closeTranslate(parts, true);
    const { template, translations, me } = this.translating;
    const target = `${this.roundId}/${voter}`;
    parts.form = createTranslateForm({
      language: me.interprets,
      current: ownTranslation(translations, 'reason', target, me.id)?.text,
      limit: template.limits.text,
      onSave: (text) => {
        this.onTranslate(voter, text);
        this.closeTranslate(parts, true);
      },
      onCancel: () => this.closeTranslate(parts, true),
    });
    parts.slot.replaceChildren(parts.form.element);
    parts.button.setAttribute('aria-expanded', 'true');
    parts.form.focus();
  }

  closeTranslate(parts, refocus = false) {
    parts.form = null;
    parts.slot.replaceChildren();
    parts.button.setAttribute('aria-expanded', 'false');
    if (refocus) parts.button.focus();
  }

  // Whose answers will not count, and why (names only).
  renderLeftOut(leftOut) {
    const key = JSON.stringify(leftOut);
    if (key === this.leftOutKey) return;
    this.leftOutKey = key;
    this.leftOutList.replaceChildren(...leftOut.map((left) => el('li', {}, WORDS.scaling.leftOut(left))));
    show(this.leftOutList, leftOut.length > 0);
  }

  // The facilitator's hint: groups of answers that may be one person's, by name, each with
  // a button to leave it out. Never a number: the facilitator does not know them either.
  renderTwice(groups) {
    const key = JSON.stringify(groups);
    if (key === this.twiceKey) return;
    this.twiceKey = key;
    const words = WORDS.scaling;
    const hadFocus = this.twice.contains(document.activeElement);
    this.twice.replaceChildren(
      el('h5', { class: 'likely-twice-heading' }, words.twiceHeading),
      el('p', { class: 'likely-twice-why' }, words.twiceWhy),
      ...groups.map((group) =>
        el(
          'ul',
          { class: 'likely-twice-group' },
          ...group.map(({ voter, name, recorded, leaving }) =>
            el(
              'li',
              { class: 'likely-twice-answer' },
              el('span', { class: 'likely-twice-name' }, recorded ? `${name} (${words.twiceRecorded})` : name),
              ' ',
              el(
                'button',
                {
                  type: 'button',
                  class: 'button button-small',
                  disabled: leaving,
                  'aria-label': words.leaveOutLabel(name),
                  dataset: { action: 'leave-out', voter },
                  onclick: () => this.onLeaveOut(voter),
                },
                leaving ? words.leavingOut : words.leaveOut,
              ),
            ),
          ),
        ),
      ),
    );
    show(this.twice, groups.length > 0);
    // The button pressed goes away with the answer: keep the keyboard in this round.
    if (hadFocus && !this.twice.contains(document.activeElement)) {
      (this.twice.querySelector('button:not([disabled])') ?? this.answeredLine).focus();
    }
  }

  renderAnswered({ count, total, people }) {
    const key = JSON.stringify([count, total, people]);
    if (key === this.answeredKey) return;
    this.answeredKey = key;
    setText(this.answeredLine, WORDS.scaling.answered(count, total));
    this.answeredNames.replaceChildren(
      ...people.map(({ name, recorded }) =>
        el(
          'li',
          { class: 'answered-name' },
          name,
          recorded ? el('span', { class: 'answered-recorded' }, ` (${WORDS.scaling.recordedByFacilitator})`) : null,
        ),
      ),
    );
  }
}
