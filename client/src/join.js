// Entry of the join page (templates/join.html). The link's token is in the address after
// "#": it is read once, taken out of the address bar (so it is not left on screen or in
// bookmarks), checked with the server, and posted with the person's name, role and the
// language they chose (the page offers the browser's first). A link made for one person
// already says who they are: the page only asks them to confirm.
import { ApiError, requestJson } from './api.js';
import { inWords } from './template-words.js';
import { el, show } from './view/dom.js';
import { WORDS } from './words.js';

const page = document.querySelector('[data-role="join"]');
const part = (role) => page.querySelector(`[data-role="${role}"]`);

const token = takeTokenFromAddress();
if (token) preview(token);
else showStop(WORDS.join.notValid);

function takeTokenFromAddress() {
  const value = location.hash.slice(1);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return value;
}

async function preview(linkToken) {
  try {
    const answer = await requestJson('/api/join/preview', { method: 'POST', body: { token: linkToken } });
    showForm(linkToken, answer);
  } catch (error) {
    showStop(stopMessage(error));
  }
}

// A problem that ends the visit: the link is wrong, gone, or the site cannot be reached.
function showStop(message) {
  show(part('join-loading'), false);
  show(part('join-form'), false);
  part('join-message').textContent = message;
  show(part('join-message'), true);
}

// Answers that end the visit: the link is unknown or gone, or the meeting has ended.
function endsVisit(error) {
  return error instanceof ApiError && (error.status === 404 || error.status === 410 || error.code === 'closed');
}

function stopMessage(error) {
  if (error instanceof ApiError && error.status === 404) return WORDS.join.notValid;
  if (error instanceof ApiError && error.code === 'link_off') return WORDS.join.off;
  if (error instanceof ApiError && error.status === 410) return WORDS.join.gone;
  if (error instanceof ApiError && error.code === 'closed') return WORDS.join.ended;
  return WORDS.join.trouble;
}

function showForm(linkToken, { meeting, link, roles: englishRoles, person }) {
  const roles = englishRoles && inWords(englishRoles);
  const form = part('join-form');
  const submit = form.querySelector('button[type="submit"]');
  part('join-title').textContent = WORDS.join.joining(meeting.title);
  // A link for one person: their name and role come with it (the server uses those).
  const forPerson = Boolean(person);
  // After the meeting, a family member's own link opens the plan they agreed.
  const toPlan = forPerson && meeting.status === 'closed';
  const submitLabel = toPlan ? WORDS.join.openPlan : forPerson ? WORDS.join.join : WORDS.join.submit;
  submit.textContent = submitLabel;
  if (toPlan) part('join-title').textContent = WORDS.join.planOf(meeting.title);
  if (forPerson) part('joining-as').textContent = toPlan ? WORDS.join.planFor(person.name) : WORDS.join.joiningAs(person.name, roles?.[person.role] ?? person.role);
  show(part('joining-as'), forPerson);
  show(part('name-field'), !forPerson);
  part('name-label').textContent = link === 'display' ? WORDS.join.nameOptional : WORDS.join.nameQuestion;
  const nameInput = form.elements.namedItem('name');
  nameInput.required = link !== 'display' && !forPerson;

  const asksRole = link === 'participant' && !forPerson;
  if (asksRole) {
    part('role-options').replaceChildren(
      ...Object.entries(roles).map(([value, label]) =>
        el(
          'label',
          { class: 'choice choice-large' },
          el('input', { type: 'radio', name: 'role', value }),
          el('span', {}, label),
        ),
      ),
    );
  }
  show(part('role-choice'), asksRole);
  show(part('join-loading'), false);
  show(form, true);
  (forPerson ? submit : nameInput).focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems();
    const name = forPerson ? undefined : nameInput.value.trim();
    const role = asksRole ? form.querySelector('input[name="role"]:checked')?.value : undefined;
    // Theirs from now on: their pages and downloads are in it (they can change it on the board).
    const language = form.elements.namedItem('language').value;
    if (!forPerson && !name && link !== 'display') return problem('name-problem', WORDS.join.nameNeeded, nameInput);
    if (asksRole && !role) return problem('role-problem', WORDS.join.pickRole, form.querySelector('input[name="role"]'));
    submit.disabled = true;
    submit.textContent = WORDS.join.busy;
    try {
      const joined = await requestJson('/api/join', { method: 'POST', body: { token: linkToken, name, role, language } });
      location.assign(joined.board_url);
    } catch (error) {
      submit.disabled = false;
      submit.textContent = submitLabel;
      if (error instanceof ApiError && error.status === 400 && !forPerson) {
        problem('name-problem', error.message, nameInput);
      } else if (endsVisit(error)) {
        showStop(stopMessage(error));
      } else {
        problem('form-problem', WORDS.join.trouble, submit);
      }
    }
  });
}

function problem(role, message, field) {
  const line = part(role);
  line.textContent = message;
  show(line, true);
  field?.focus();
}

function clearProblems() {
  for (const role of ['name-problem', 'role-problem', 'form-problem']) show(part(role), false);
}
