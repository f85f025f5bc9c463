// "Colleagues who have this meeting", in the facilitator's panel, for the meeting's staff
// only (it stays hidden for anyone else, and if the list cannot be had): who has it, and
// for the one who started it, "Stop sharing" beside each colleague and a small form that
// shares it with one more, or (ticked) the whole family with them: every meeting of it,
// and those started later. The colleagues who have the whole family are listed under it,
// each with "Stop sharing the family" (docs/protocol.md, "Staff, people's links, and
// looking after a meeting").
import { ApiError, requestJson } from '../api.js';
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, show } from './dom.js';
import { field, problemLine } from './form-parts.js';

export class ColleaguesView {
  constructor({ meetingId }) {
    const words = WORDS.colleagues;
    this.api = `/api/meetings/${encodeURIComponent(meetingId)}/share`;
    this.sharing = { staff: [], started_by_you: false, family_id: null };
    this.list = el('ul', { class: 'colleagues', dataset: { role: 'colleagues' } });
    this.familyHeading = el('h3', { class: 'form-heading', hidden: true }, words.familyHeading);
    this.familyList = el('ul', { class: 'colleagues', dataset: { role: 'family-colleagues' }, hidden: true });
    this.problem = problemLine();
    this.form = this.buildForm();
    this.element = el(
      'section',
      { class: 'panel-section', 'aria-labelledby': 'colleagues-heading', hidden: true },
      el('h2', { id: 'colleagues-heading' }, words.heading),
      this.list,
      this.familyHeading,
      this.familyList,
      this.problem.element,
      this.form,
    );
  }

  async load() {
    try {
      this.show(await requestJson(this.api));
    } catch {
      show(this.element, false);
    }
  }

  familyApi() {
    return `/api/families/${encodeURIComponent(this.sharing.family_id)}/share`;
  }

  // Both lists again, after any change: sharing the family changes who has the meeting.
  async reload() {
    const sharing = await this.call(this.api);
    if (sharing) this.show(sharing);
  }

  async showFamily() {
    const mine = this.sharing.started_by_you && this.sharing.family_id;
    const family = mine ? await this.call(this.familyApi()) : null;
    const words = WORDS.colleagues;
    const emails = family ? family.staff : [];
    this.familyList.replaceChildren(
      ...emails.map((email) => this.item(email, `${this.familyApi()}/${encodeURIComponent(email)}`, words.stopFamily, words.reallyStopFamily(email))),
    );
    show(this.familyHeading, emails.length > 0);
    show(this.familyList, emails.length > 0);
    show(this.wholeFamily, Boolean(mine));
  }

  show(sharing) {
    this.sharing = sharing;
    const [owner, ...colleagues] = sharing.staff;
    const words = WORDS.colleagues;
    const items = [el('li', { class: 'colleague' }, el('span', { class: 'colleague-email', dir: 'auto' }, owner), el('span', { class: 'muted' }, words.startedIt))];
    for (const email of colleagues) items.push(this.item(email, `${this.api}/${encodeURIComponent(email)}`, words.stop, words.reallyStop(email)));
    this.list.replaceChildren(...items);
    show(this.form, sharing.started_by_you);
    show(this.element, true);
    this.showFamily();
  }

  // A colleague, and for the owner a "Stop sharing" button (`label`) that asks `question`
  // first, then DELETEs `url`.
  item(email, url, label, question) {
    const words = WORDS.colleagues;
    const element = el('li', { class: 'colleague', dataset: { email } }, el('span', { class: 'colleague-email' }, email));
    if (!this.sharing.started_by_you) return element;
    const slot = el('div', { class: 'colleague-slot' });
    const stop = el('button', { type: 'button', class: 'button button-small', dataset: { action: 'unshare' }, 'aria-expanded': 'false' }, label);
    const close = () => {
      slot.replaceChildren();
      stop.setAttribute('aria-expanded', 'false');
    };
    stop.addEventListener('click', () => {
      if (slot.firstChild) {
        close();
        return;
      }
      const confirm = createConfirm({
        question,
        yes: words.yesStop,
        no: words.keepSharing,
        onNo: () => {
          close();
          stop.focus();
        },
        onYes: async () => {
          if (await this.call(url, { method: 'DELETE' })) await this.reload();
        },
      });
      slot.append(confirm.element);
      stop.setAttribute('aria-expanded', 'true');
      confirm.focus();
    });
    element.append(stop, slot);
    return element;
  }

  buildForm() {
    const words = WORDS.colleagues;
    const email = el('input', { type: 'email', name: 'colleague-email', autocomplete: 'off' });
    const done = el('p', { class: 'form-saved', role: 'status' });
    const whole = el('input', { type: 'checkbox', name: 'whole-family' });
    this.wholeFamily = el('label', { class: 'choice', hidden: true }, whole, ' ', words.wholeFamily);
    const form = el(
      'form',
      { class: 'small-form share-with-colleague', novalidate: true, hidden: true },
      el('h3', { class: 'form-heading' }, words.shareHeading),
      field(words.emailCaption, email),
      this.wholeFamily,
      el('div', { class: 'form-buttons' }, el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'share' } }, words.share)),
      done,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      done.textContent = '';
      const asked = email.value.trim();
      const family = whole.checked && this.sharing.family_id;
      const shared = await this.call(family ? this.familyApi() : this.api, { method: 'POST', body: { email: asked } });
      if (!shared) return;
      done.textContent = family ? words.sharedFamily(asked) : words.shared(asked);
      email.value = '';
      whole.checked = false;
      await this.reload();
    });
    return form;
  }

  // One request; on a refusal, the server's own words (or plain ones).
  async call(url, options) {
    this.problem.say(null);
    try {
      return await requestJson(url, options);
    } catch (error) {
      const ownWords = error instanceof ApiError && error.code !== 'unknown' && error.message;
      this.problem.say(ownWords || WORDS.problem);
      return null;
    }
  }
}
