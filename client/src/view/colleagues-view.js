// "Colleagues who have this meeting", in the facilitator's panel, for the meeting's staff
// only (it stays hidden for anyone else, and if the list cannot be had): who has it, and
// for the one who started it, "Stop sharing" beside each colleague and a small form that
// shares it with one more (docs/protocol.md, "Staff, people's links, and looking after a
// meeting").
import { ApiError, requestJson } from '../api.js';
import { WORDS } from '../words.js';
import { createConfirm } from './confirm.js';
import { el, show } from './dom.js';
import { field, problemLine } from './form-parts.js';

export class ColleaguesView {
  constructor({ meetingId }) {
    const words = WORDS.colleagues;
    this.api = `/api/meetings/${encodeURIComponent(meetingId)}/share`;
    this.sharing = { staff: [], started_by_you: false };
    this.list = el('ul', { class: 'colleagues', dataset: { role: 'colleagues' } });
    this.problem = problemLine();
    this.form = this.buildForm();
    this.element = el(
      'section',
      { class: 'panel-section', 'aria-labelledby': 'colleagues-heading', hidden: true },
      el('h2', { id: 'colleagues-heading' }, words.heading),
      this.list,
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

  show(sharing) {
    this.sharing = sharing;
    const [owner, ...colleagues] = sharing.staff;
    const words = WORDS.colleagues;
    const items = [el('li', { class: 'colleague' }, el('span', { class: 'colleague-email' }, owner), el('span', { class: 'muted' }, words.startedIt))];
    for (const email of colleagues) items.push(this.item(email));
    this.list.replaceChildren(...items);
    show(this.form, sharing.started_by_you);
    show(this.element, true);
  }

  item(email) {
    const words = WORDS.colleagues;
    const element = el('li', { class: 'colleague', dataset: { email } }, el('span', { class: 'colleague-email' }, email));
    if (!this.sharing.started_by_you) return element;
    const slot = el('div', { class: 'colleague-slot' });
    const stop = el('button', { type: 'button', class: 'button button-small', dataset: { action: 'unshare' }, 'aria-expanded': 'false' }, words.stop);
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
        question: words.reallyStop(email),
        yes: words.yesStop,
        no: words.keepSharing,
        onNo: () => {
          close();
          stop.focus();
        },
        onYes: async () => {
          const sharing = await this.call(`${this.api}/${encodeURIComponent(email)}`, { method: 'DELETE' });
          if (sharing) this.show(sharing);
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
    const form = el(
      'form',
      { class: 'small-form share-with-colleague', novalidate: true, hidden: true },
      el('h3', { class: 'form-heading' }, words.shareHeading),
      field(words.emailCaption, email),
      el('div', { class: 'form-buttons' }, el('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'share' } }, words.share)),
      done,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      done.textContent = '';
      const asked = email.value.trim();
      const sharing = await this.call(this.api, { method: 'POST', body: { email: asked } });
      if (!sharing) return;
      done.textContent = words.shared(asked);
      email.value = '';
      this.show(sharing);
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
