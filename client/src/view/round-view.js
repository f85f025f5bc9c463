// One round of a scale. While it is open: how many have answered and who (never a number),
// and the number buttons for whoever may vote. Once the answers are shown: the spread in
// words, the picture and the table. Made once per round id and updated in place, so a
// reason being typed is never lost to a re-render.
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';
import { DotPlotView } from './dot-plot-view.js';
import { createVotePanel } from './vote-panel.js';
import { voteTable } from './vote-table.js';

export class RoundView {
  // onVote(value, reason): only where this person may vote (the board page)
  constructor(roundId, { onVote = null } = {}) {
    this.onVote = onVote;
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

  // entry: {round, answered, myVote} (see scaling.js); context: {scale, can, template, earlier}
  render({ round, answered, myVote }, { scale, can, template, earlier }) {
    if (round.status !== this.status) {
      this.status = round.status;
      this.element.dataset.status = round.status;
      if (round.status === 'revealed') this.buildRevealed(round, template);
      else this.buildOpen(template);
    }
    this.element.classList.toggle('is-earlier', earlier);
    setText(this.heading, WORDS.scaling.roundHeading(round.number));
    setText(this.state, round.status === 'open' ? WORDS.scaling.answering : WORDS.scaling.shown);
    if (round.status === 'revealed') {
      this.plot.render(scale, round, template.groups);
      return;
    }
    this.renderAnswered(answered);
    if (this.votePanel) {
      show(this.votePanel.element, can.vote);
      this.votePanel.render(scale, myVote);
    }
  }

  dispose() {
    this.plot?.dispose();
  }

  buildOpen(template) {
    this.answeredLine = el('p', { class: 'answered', dataset: { role: 'answered' } });
    this.answeredNames = el('ul', { class: 'answered-names' });
    this.answeredKey = null;
    this.votePanel = this.onVote ? createVotePanel({ onVote: this.onVote, maxReason: template.limits.reason }) : null;
    this.body.replaceChildren(...[this.answeredLine, this.answeredNames, this.votePanel?.element].filter(Boolean));
  }

  // The answers of a shown round never change: everything is made once.
  buildRevealed(round, template) {
    this.votePanel = null;
    this.plot?.dispose();
    this.plot = new DotPlotView();
    this.body.replaceChildren(
      el('p', { class: 'spread', dataset: { role: 'spread' } }, round.summary.words),
      this.plot.element,
      voteTable(round.votes, template),
    );
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
