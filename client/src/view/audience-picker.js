// "Who can see this": the facilitator's choice for one card, inside the card. Radios for
// everyone, everyone but some people (then a tick box for each of them), or professionals
// only; Save sends it, Cancel or Escape closes it. Native controls, so the keyboard works
// as everywhere (Tab, arrows between the radios, Space to tick).
import { chosenAudience } from '../audience.js';
import { WORDS } from '../words.js';
import { el, show } from './dom.js';

let pickers = 0; // each open picker's radios need a group name of their own

// card: the card as now (or anything with its `audience`, e.g. a child's item's marking);
// kinds: the markings a card may have (template.audiences.for_cards); people: whom it can be
// hidden from (audience.js hideableFrom); legend: the question asked; onSave(audience); onCancel().
export function createAudiencePicker({ card, kinds, people, legend = WORDS.audience.legend, onSave, onCancel }) {
  pickers += 1;
  const name = `audience-${pickers}`;
  const current = card.audience ?? { kind: 'everyone', people: [] };
  const labels = { everyone: WORDS.audience.everyone, hidden_from: WORDS.audience.hiddenFrom, professionals: WORDS.audience.professionals };
  const radios = kinds.map((kind) => {
    const input = el('input', { type: 'radio', name, value: kind, dataset: { audienceKind: kind } });
    input.checked = kind === current.kind;
    return { kind, input, label: el('label', { class: 'choice' }, input, el('span', {}, labels[kind])) };
  });
  const ticks = people.map((person) => {
    const input = el('input', { type: 'checkbox', value: person.id, dataset: { hideFrom: person.id } });
    input.checked = current.kind === 'hidden_from' && (current.people ?? []).includes(person.id);
    return { input, label: el('label', { class: 'choice' }, input, el('span', { dir: 'auto' }, person.name)) };
  });
  const who = el(
    'fieldset',
    { class: 'audience-people' },
    el('legend', {}, WORDS.audience.hideFrom),
    ...(ticks.length ? ticks.map((t) => t.label) : [el('p', { class: 'muted' }, WORDS.audience.nobodyToHide)]),
  );
  const problem = el('p', { class: 'editor-problem', role: 'alert', hidden: true });
  const save = el('button', { type: 'button', class: 'button primary', dataset: { action: 'audience-save' } }, WORDS.audience.save);
  const cancel = el('button', { type: 'button', class: 'button', dataset: { action: 'audience-cancel' } }, WORDS.audience.cancel);
  const element = el(
    'div',
    { class: 'audience-picker', dataset: { role: 'audience-picker' } },
    el('fieldset', { class: 'audience-kinds' }, el('legend', {}, legend), ...radios.map((r) => r.label)),
    who,
    problem,
    el('div', { class: 'editor-actions' }, save, cancel),
  );

  const chosenKind = () => radios.find((r) => r.input.checked)?.kind ?? 'everyone';
  const showPeople = () => show(who, chosenKind() === 'hidden_from');
  for (const { input } of radios) input.addEventListener('change', showPeople);
  showPeople();

  save.addEventListener('click', () => {
    const audience = chosenAudience(
      chosenKind(),
      ticks.filter((t) => t.input.checked).map((t) => t.input.value),
    );
    if (!audience) {
      problem.textContent = WORDS.audience.chooseSomeone;
      show(problem, true);
      (ticks[0]?.input ?? radios[0].input).focus();
      return;
    }
    onSave(audience);
  });
  cancel.addEventListener('click', onCancel);
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  });

  return {
    element,
    focus: () => (radios.find((r) => r.input.checked) ?? radios[0]).input.focus(),
  };
}
