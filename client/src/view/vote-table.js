// The numbers of a revealed round as a table: the same as the picture, for screen readers
// and for reading each reason. Lowest number first, so low scores are talked about.
// On a phone each row stacks (who and the number, the reason below); the explicit table
// roles keep it a table for screen readers whatever CSS display the rows get.
import { WORDS } from '../words.js';
import { groupIcon } from './group-shape.js';
import { el } from './dom.js';

// template: for the role and group names
export function voteTable(votes, template) {
  const sorted = [...votes].sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
  const { scaling: words } = WORDS;
  const table = el(
    'table',
    { class: 'vote-table', role: 'table', dataset: { role: 'vote-table' } },
    el(
      'thead',
      { role: 'rowgroup' },
      el(
        'tr',
        { role: 'row' },
        ...[words.who, words.number, words.why].map((heading) => el('th', { scope: 'col', role: 'columnheader' }, heading)),
      ),
    ),
    el('tbody', { role: 'rowgroup' }, ...sorted.map((vote) => voteRow(vote, template))),
  );
  // A very narrow screen scrolls the table sideways rather than squeezing the reasons.
  return el('div', { class: 'table-scroll' }, table);
}

function voteRow(vote, template) {
  const { group } = vote;
  return el(
    'tr',
    { role: 'row', dataset: { voter: vote.voter, value: String(vote.value) } },
    el(
      'th',
      { scope: 'row', role: 'rowheader', class: 'cell-who' },
      el('span', { class: 'vote-name', dir: 'auto' }, vote.name),
      el('span', { class: 'vote-group' }, groupIcon(group), template.groups[group]),
      el('span', { class: 'vote-role' }, vote.unconfirmed ? template.unconfirmed_label : template.roles[vote.role]),
      vote.recorded_by ? el('span', { class: 'vote-recorded' }, WORDS.scaling.recordedByFacilitator) : null,
    ),
    el('td', { role: 'cell', class: 'cell-number' }, String(vote.value)),
    // The reason in its own element: an interpreter's translations and "Translate" join it in
    // the cell (view/round-view.js); the cell stays empty where no reason was given.
    el('td', { role: 'cell', class: 'cell-reason' }, ...(vote.reason ? [el('span', { class: 'reason-text', dir: 'auto' }, vote.reason)] : [])),
  );
}
