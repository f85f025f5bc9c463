// What "read aloud" says, as sentences read one after another: a card with who said it
// (and who will do it, by when); a column: its heading, its question, then each part and
// each card in order; "our plan": every column of the plan; a scale: its question, the
// worry it is about and what 0 and 10 mean; a line of the family's own plan. Pure:
// speech.js reads them.
import { dayWords } from './dates.js';
import { t } from './i18n.js';
import { columnsOf } from './plan.js';
import { sectionLabel } from './state.js';
import { attributionWords } from './template-words.js';
import { WORDS } from './words.js';

// template: the state's (a shared family plan's "the family" is read in the page's language)
export function cardSentences(card, template) {
  // Bottom lines say who sets them (see card-view.js).
  const saidBy = card.section === 'bottom_lines' ? WORDS.setBy : WORDS.saidBy;
  const attribution = attributionWords(card.attributed_to, template);
  return [
    card.text,
    attribution ? saidBy(attribution) : null,
    card.owner ? WORDS.owner(card.owner) : null,
    card.due ? WORDS.due(dayWords(card.due)) : null,
  ].filter(Boolean);
}

// board: as projection.js makes it (cards, order by section, the meeting's vocabulary)
export function columnSentences(column, board, template) {
  return [column.heading, column.prompt, ...column.sections.flatMap((section) => sectionSentences(section, board, template))];
}

function sectionSentences(section, board, template) {
  const cards = (board.order.get(section.key) ?? []).map((id) => board.cards.get(id)).filter(Boolean);
  const label = sectionLabel(section, board.meeting.vocabulary);
  if (!cards.length) return [label, WORDS.emptySection];
  return [label, ...cards.flatMap((card) => cardSentences(card, template))];
}

export const planSentences = (template, board) => columnsOf(template, 'plan').flatMap((column) => columnSentences(column, board, template));

// item: one of describeScales() (its scale, and the worry card it is about)
export function scaleSentences({ scale, card }) {
  return [
    scale.question,
    card ? WORDS.scaling.aboutWorry(card.text) : null,
    t('0 means {words}.', { words: scale.low_label }),
    t('10 means {words}.', { words: scale.high_label }),
  ].filter(Boolean);
}

// What one control reads: `read` is its kind, `target` the card, column or scale it is
// on; model: live-board.js's snapshot. Nothing when it is gone meanwhile.
export function whatToRead({ read, target }, { template, board, scales, familyTime }) {
  if (read === 'card') {
    const card = board.cards.get(target);
    return card ? cardSentences(card, template) : [];
  }
  if (read === 'column') {
    const column = template.columns.find((c) => c.key === target);
    return column ? columnSentences(column, board, template) : [];
  }
  if (read === 'plan') return planSentences(template, board);
  if (read === 'scale') {
    const item = scales.find((s) => s.scale.id === target);
    return item ? scaleSentences(item) : [];
  }
  if (read === 'family-item') {
    const item = familyTime.items.find((i) => i.id === target);
    return item ? [item.text] : [];
  }
  return [];
}
