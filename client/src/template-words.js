// The words the server sends for the map and its people (server/board/template.py: the
// columns' headings and prompts, section labels, role, group, house, stage and outcome
// names, the markings of who can see what, the composers' sentences ...). Each is an
// English msgid of the catalogues, so each person reads them in their own language, put
// into it here as they arrive. What people wrote never passes through here.
import { t } from './i18n.js';

// Every value of a {key: English words} object in this page's language.
export const inWords = (labels) => Object.fromEntries(Object.entries(labels).map(([key, label]) => [key, t(label)]));

const composerInWords = (composer) => ({ ...composer, pattern: t(composer.pattern) });

// The `state` event's template, its words in this page's language (the rest as it came).
export function templateInWords(template) {
  const { composers, audiences } = template;
  return {
    ...template,
    columns: template.columns.map((column) => ({
      ...column,
      heading: t(column.heading),
      prompt: t(column.prompt),
      sections: column.sections.map((section) => ({ ...section, labels: inWords(section.labels) })),
    })),
    roles: inWords(template.roles),
    houses: inWords(template.houses),
    unconfirmed_label: t(template.unconfirmed_label),
    groups: inWords(template.groups),
    outcomes: inWords(template.outcomes),
    review_prompts: template.review_prompts.map((prompt) => t(prompt)),
    composers: { ...composers, statement: composerInWords(composers.statement), goal: composerInWords(composers.goal) },
    bottom_line_setter: t(template.bottom_line_setter),
    stages: template.stages.map((stage) => ({ ...stage, label: t(stage.label) })),
    audiences: { ...audiences, labels: inWords(audiences.labels) },
  };
}

// Who a card is said by, as this page shows it: a shared family plan's "the family" in
// this page's language (the template's words, kept in English to know it by); anyone's
// own words as written.
export const attributionWords = (attributedTo, template) =>
  attributedTo && attributedTo === template.family_attribution ? t(attributedTo) : attributedTo;

// The words a meeting starts with (its steps, its overall scale, a worry's scale) are
// msgids too: each reader sees them in their own language until someone writes their own,
// which then shows as written.
export const scaleInWords = (scale) => ({
  ...scale,
  question: t(scale.question),
  low_label: t(scale.low_label),
  high_label: t(scale.high_label),
});
