// The facilitator records the answer of someone in the room without a phone: their name,
// who they are, their number and, if they like, why. It stays open for the next person.
import { WORDS } from '../words.js';
import { createAnchors } from './anchors.js';
import { el } from './dom.js';
import { field, problemLine, smallForm } from './form-parts.js';

// roles: [{value, label}]; limits: the template's text limits; onSave({name, role, value, reason})
export function createRecordVoteForm({ roles, limits, onSave, onCancel }) {
  const text = WORDS.scaling;
  const name = el('input', { type: 'text', maxlength: limits.name, autocomplete: 'off', dataset: { field: 'behalf-name' } });
  const role = el(
    'select',
    { dataset: { field: 'behalf-role' } },
    el('option', { value: '' }, text.choose),
    ...roles.map(({ value, label }) => el('option', { value }, label)),
  );
  const number = el(
    'select',
    { dataset: { field: 'behalf-value' } },
    el('option', { value: '' }, text.choose),
    ...Array.from({ length: 11 }, (_, value) => el('option', { value: String(value) }, String(value))),
  );
  const reason = el('textarea', { rows: 2, maxlength: limits.reason, dataset: { field: 'behalf-reason' } });
  const anchors = createAnchors();
  const problem = problemLine();
  const saved = el('p', { class: 'form-saved', role: 'status' });

  const element = smallForm(
    {
      className: 'record-vote-form',
      saveLabel: text.saveTheirAnswer,
      saveAction: 'save-recorded-vote',
      onCancel,
      onSubmit() {
        const answer = { name: name.value.trim(), role: role.value, value: Number(number.value), reason: reason.value.trim() };
        if (!answer.name || !answer.role || number.value === '') {
          problem.say(text.needsNameRoleNumber);
          return;
        }
        problem.say(null);
        onSave(answer);
        saved.textContent = text.recorded(answer.name);
        for (const input of [name, role, number, reason]) input.value = '';
        name.focus();
      },
    },
    el('h4', { class: 'form-heading' }, text.recordVoteHeading),
    field(text.theirName, name),
    field(text.theirRole, role),
    field(text.theirNumber, number),
    anchors.element,
    field(text.theirReason, reason),
    problem.element,
    saved,
  );
  return { element, focus: () => name.focus(), render: (scale) => anchors.render(scale) };
}
