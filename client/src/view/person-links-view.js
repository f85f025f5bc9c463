// "Links for particular people", in the facilitator's panel: each person's link with who
// they are and how long it works, a Copy button, "Change how long it works" and "Turn off
// this link"; and a small form that makes a link for one person. These go over HTTP
// (docs/protocol.md, "Staff, people's links, and looking after a meeting").
import { ApiError, requestJson } from '../api.js';
import { momentDayWords } from '../dates.js';
import { t } from '../i18n.js';
import { checkNewLink, describeLink, parseDays } from '../looking-after.js';
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, show } from './dom.js';
import { field, problemLine, smallForm } from './form-parts.js';
import { linkField } from './link-field.js';

export class PersonLinksView {
  constructor({ meetingId }) {
    const words = WORDS.personLinks;
    this.api = `/api/meetings/${encodeURIComponent(meetingId)}/people-links`;
    this.links = [];
    this.template = null;
    this.canChange = false;
    this.list = el('ul', { class: 'person-links', dataset: { role: 'people-links' } });
    this.empty = el('p', { class: 'muted' }, words.none);
    this.problem = problemLine();
    this.form = this.buildForm();
    this.element = el(
      'section',
      { class: 'panel-section', 'aria-labelledby': 'person-links-heading' },
      el('h2', { id: 'person-links-heading' }, words.heading),
      el('p', { class: 'field-hint' }, words.intro),
      this.list,
      this.empty,
      this.problem.element,
      this.form.element,
    );
  }

  // model: the live board's snapshot (template, can)
  render({ template, can }) {
    if (!this.template) this.form.fill(template);
    const changed = this.canChange !== can.lookAfter || this.template !== template;
    this.template = template;
    this.canChange = can.lookAfter;
    show(this.form.element, this.canChange);
    if (changed) this.draw();
  }

  async load() {
    this.problem.say(null);
    try {
      this.links = (await requestJson(this.api)).links ?? [];
    } catch {
      this.problem.say(WORDS.personLinks.loadFailed);
      return;
    }
    this.draw();
  }

  // "Interpreter (Polski)": an interpreter's link says the language they translate into.
  roleLabel(role, language) {
    const label = this.template.roles[role];
    const named = this.template.interpreter_languages?.find((l) => l.code === language);
    return named ? t('{role} ({language})', { role: label, language: named.name }) : label;
  }

  draw() {
    const items = this.links.map((link) => this.item(describeLink(link, (role, language) => this.roleLabel(role, language))));
    this.list.replaceChildren(...items);
    show(this.empty, items.length === 0);
  }

  item(link) {
    const words = WORDS.personLinks;
    const status = {
      works: () => words.worksUntil(momentDayWords(link.until)),
      expired: () => words.expired(momentDayWords(link.until)),
      off: () => words.turnedOff,
    }[link.state]();
    const element = el(
      'li',
      { class: `person-link is-${link.state}`, dataset: { linkId: link.id, state: link.state } },
      el(
        'p',
        { class: 'person-link-who' },
        el('span', { class: 'person-name', dir: 'auto' }, link.name),
        el('span', { class: 'person-role' }, link.roleLabel),
        el('span', { class: 'person-link-status', dataset: { role: 'link-status' } }, status),
      ),
    );
    if (link.state === 'off') return element; // nothing more to do with it
    if (link.state === 'works') {
      const copy = linkField('person-link', words.linkFor(link.name));
      copy.set(link.url);
      element.append(copy.element);
    }
    if (!this.canChange) return element;

    // "Change how long it works" opens a small form, "Turn off this link" a question,
    // in one place under the link; pressing the same button again closes it.
    const slot = el('div', { class: 'person-link-slot' });
    let openKind = null;
    const toggles = {};
    const close = () => {
      slot.replaceChildren();
      if (openKind) toggles[openKind].setAttribute('aria-expanded', 'false');
      openKind = null;
    };
    const toggle = (kind) => {
      const wasOpen = openKind === kind;
      close();
      if (wasOpen) return;
      const done = () => {
        close();
        toggles[kind].focus();
      };
      const part = kind === 'days' ? this.daysForm(link, done) : this.turnOffQuestion(link, done);
      slot.append(part.element);
      openKind = kind;
      toggles[kind].setAttribute('aria-expanded', 'true');
      part.focus();
    };
    const button = (kind, action, label) =>
      el('button', { type: 'button', class: 'button button-small', dataset: { action }, 'aria-expanded': 'false', onclick: () => toggle(kind) }, label);
    toggles.days = button('days', 'change-link-days', words.changeDays);
    toggles.off = button('off', 'revoke-link', words.turnOff);
    element.append(el('div', { class: 'form-buttons' }, toggles.days, toggles.off), slot);
    return element;
  }

  daysForm(link, done) {
    const words = WORDS.personLinks;
    const { max, default: value } = this.template.link_days;
    const days = el('input', { type: 'number', name: 'link-days', min: 1, max, step: 1, inputmode: 'numeric', value });
    const problem = problemLine();
    const element = smallForm(
      {
        className: 'link-days-form',
        saveLabel: words.saveDays,
        saveAction: 'save-link-days',
        onCancel: done,
        onSubmit: async () => {
          const count = parseDays(days.value, max);
          if (count === null) {
            problem.say(words.needsDays(max));
            days.focus();
            return;
          }
          problem.say(null);
          const changed = await this.call(`${this.api}/${encodeURIComponent(link.id)}`, { method: 'PATCH', body: { days: count } }, problem);
          if (changed) await this.load();
        },
      },
      field(words.daysFromToday(max), days),
      problem.element,
    );
    return { element, focus: () => days.focus() };
  }

  turnOffQuestion(link, done) {
    const words = WORDS.personLinks;
    const problem = problemLine();
    const confirm = createConfirm({
      question: words.reallyTurnOff(link.name),
      yes: words.yesTurnOff,
      no: words.keepIt,
      onNo: done,
      onYes: async () => {
        const turnedOff = await this.call(`${this.api}/${encodeURIComponent(link.id)}`, { method: 'DELETE' }, problem);
        if (turnedOff) await this.load();
      },
    });
    confirm.element.append(problem.element);
    return confirm;
  }

  buildForm() {
    const words = WORDS.personLinks;
    const name = el('input', { type: 'text', name: 'person-name', autocomplete: 'off' });
    const roles = el('select', { name: 'person-role' }, el('option', { value: '' }, words.choose));
    const days = el('input', { type: 'number', name: 'person-days', min: 1, step: 1, inputmode: 'numeric' });
    // Only for an interpreter: the language they translate into.
    const language = el('select', { name: 'person-language' }, el('option', { value: '' }, words.choose));
    const languageField = field(t('Which language do they translate into?'), language);
    show(languageField, false);
    roles.addEventListener('change', () => show(languageField, roles.value === 'interpreter'));
    const problem = problemLine();
    const made = el('p', { class: 'form-saved', role: 'status' });
    const fields = { name, role: roles, days, language };
    // The caption names the template's longest link, which comes with `fill`.
    const daysCaption = document.createTextNode('');
    const element = el(
      'form',
      { class: 'small-form new-person-link', novalidate: true, dataset: { role: 'new-person-link' } },
      el('h3', { class: 'form-heading' }, words.newHeading),
      field(words.nameCaption, name),
      field(words.roleCaption, roles),
      languageField,
      field(daysCaption, days),
      problem.element,
      el('div', { class: 'form-buttons' }, el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'make-person-link' } }, words.make)),
      made,
    );
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      made.textContent = '';
      const checked = checkNewLink({ name: name.value, role: roles.value, days: days.value, language: language.value }, this.template);
      if (checked.problem) {
        problem.say(problemWords(checked.problem, this.template));
        fields[checked.field].focus();
        return;
      }
      problem.say(null);
      const link = await this.call(this.api, { method: 'POST', body: checked.link }, problem);
      if (!link) return;
      name.value = '';
      roles.value = '';
      language.value = '';
      show(languageField, false);
      days.value = this.template.link_days.default;
      made.textContent = words.made(link.name);
      await this.load();
      this.list.querySelector(`[data-link-id="${CSS.escape(link.id)}"] [data-action=copy]`)?.focus();
    });
    return {
      element,
      // the roles a person's link may give (an interpreter too), the languages an
      // interpreter's may name, and its limits
      fill: (template) => {
        roles.append(...template.person_link_roles.map((value) => el('option', { value }, template.roles[value] ?? value)));
        language.append(...template.interpreter_languages.map(({ code, name: own }) => el('option', { value: code, lang: code }, own)));
        name.maxLength = template.limits.name;
        days.max = template.link_days.max;
        days.value = template.link_days.default;
        daysCaption.data = words.daysCaption(template.link_days.max);
      },
    };
  }

  // One request; on a refusal, the server's own words (or plain ones) in `problem`.
  async call(url, options, problem) {
    try {
      return await requestJson(url, options);
    } catch (error) {
      const ownWords = error instanceof ApiError && error.code !== 'unknown' && error.message;
      problem.say(ownWords || WORDS.problem);
      return null;
    }
  }
}

// The words for what `checkNewLink` found wrong.
function problemWords(problem, template) {
  if (problem === 'needsLanguage') return t('Please choose the language they translate into.');
  if (problem === 'needsDays') return WORDS.personLinks.needsDays(template.link_days.max);
  return WORDS.personLinks[problem];
}
