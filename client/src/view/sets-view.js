// Worries and safety goals side by side: each worry statement beside what we will need to
// see (its goals, with by when) and its own scale's last result. Each set's element is made
// once and updated in place, so a button keeps its focus while others change the board.
import { dayWords } from '../dates.js';
import { describeSets } from '../sets.js';
import { translationsOf } from '../translations.js';
import { summaryWords } from '../trend.js';
import { WORDS } from '../words.js';
import { el, placeChildren, setText, show } from './dom.js';
import { renderTranslations } from './translation-view.js';

export class SetsView {
  // actions (board page only): scaleForCard(statementId), the statement's own scale.
  constructor({ readOnly, actions }) {
    this.readOnly = readOnly;
    this.actions = actions;
    this.list = el('ol', { class: 'sets-list' });
    this.element = el(
      'section',
      { class: 'sets', dataset: { role: 'sets' }, 'aria-labelledby': 'sets-heading', hidden: true },
      el('h2', { class: 'sets-heading', id: 'sets-heading' }, WORDS.sets.heading),
      el('p', { class: 'sets-intro' }, WORDS.sets.intro),
      this.list,
    );
    this.items = new Map(); // statement id -> its parts
    this.model = null;
    this.element.addEventListener('click', (event) => this.onClick(event));
  }

  render(model) {
    this.model = model;
    const sets = describeSets(model.board, model.scales, model.template.composers).filter(
      (set) => set.statement.worry || set.goals.length,
    );
    const nodes = sets.map((set) => this.renderSet(set, model.can));
    placeChildren(this.list, nodes);
    for (const id of this.items.keys()) if (!sets.some((set) => set.statement.id === id)) this.items.delete(id);
    show(this.element, sets.length > 0);
  }

  renderSet({ statement, goals, lastSummary, scale }, can) {
    let item = this.items.get(statement.id);
    if (!item) {
      item = {
        worry: el('p', { class: 'set-text', dir: 'auto' }),
        // an interpreter's translations of the statement, for those who read them
        worryTranslations: el('div', { class: 'card-translations', hidden: true }),
        goals: el('ul', { class: 'set-goals' }),
        result: el('p', { class: 'set-result', dataset: { role: 'set-result' } }),
        scaleButton: this.readOnly
          ? null
          : el('button', { type: 'button', class: 'button button-small', dataset: { action: 'scale' } }, ''),
      };
      item.element = el(
        'li',
        { class: 'set', dataset: { set: statement.id } },
        el('div', { class: 'set-worry' }, el('h3', { class: 'set-label' }, WORDS.sets.worry), item.worry, item.worryTranslations),
        el('div', { class: 'set-goal' }, el('h3', { class: 'set-label' }, WORDS.sets.goal), item.goals),
        el('div', { class: 'set-scale' }, item.result, item.scaleButton),
      );
      this.items.set(statement.id, item);
    }
    setText(item.worry, statement.text);
    const { state } = this.model;
    const translations = state?.translations ?? new Map();
    const nameOf = (id) => state?.participantName(id) ?? null;
    renderTranslations(item.worryTranslations, translationsOf(translations, 'card', statement.id), nameOf);
    item.goals.replaceChildren(
      ...(goals.length
        ? goals.map((goal) => {
            const translated = el('div', { class: 'card-translations', hidden: true });
            renderTranslations(translated, translationsOf(translations, 'card', goal.id), nameOf);
            return el(
              'li',
              { class: 'set-goal-text', dir: 'auto', dataset: { goal: goal.id } },
              goal.text,
              goal.due ? el('span', { class: 'card-due' }, ` · ${WORDS.due(dayWords(goal.due))}`) : null,
              translated,
            );
          })
        : [el('li', { class: 'set-none' }, WORDS.sets.noGoal)]),
    );
    setText(item.result, lastSummary ? WORDS.sets.scale(summaryWords(lastSummary, this.model.template.groups)) : WORDS.sets.noResult);
    if (item.scaleButton) {
      setText(item.scaleButton, scale ? WORDS.scaling.seeScaleForWorry : WORDS.scaling.scaleForWorry);
      show(item.scaleButton, can.runScales);
    }
    return item.element;
  }

  onClick(event) {
    const button = event.target.closest('button[data-action="scale"]');
    if (!button || !this.actions) return;
    this.actions.scaleForCard(button.closest('[data-set]').dataset.set);
  }
}
