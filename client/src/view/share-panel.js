// The facilitator's "Share and settings" panel: the links to hand out (with Copy buttons
// and the QR code; the family link can be turned off and on again), links for particular
// people, the colleagues who have the meeting (sharing it and no longer), the people in
// the meeting (and taking someone out), the meeting's name, which words the board uses,
// pausing changes, the Activity page, and ending the meeting.
import { requestJson } from '../api.js';
import { t } from '../i18n.js';
import { WORDS } from '../words.js';
import { CloseMeetingView } from './close-meeting-view.js';
import { ColleaguesView } from './colleagues-view.js';
import { createConfirm } from './confirm.js';
import { el, setText, show } from './dom.js';
import { linkField } from './link-field.js';
import { PeopleView } from './people-view.js';
import { PersonLinksView } from './person-links-view.js';

export class SharePanel {
  // actions: editMeeting(fields), setMeetingLanguage(code), lock(), unlock(),
  // removeParticipant(id), renameMe(name),
  // closeMeeting()
  constructor({ toggle, panel, meetingId, staff, actions }) {
    this.toggle = toggle;
    this.panel = panel;
    this.meetingId = meetingId;
    this.staff = staff;
    this.actions = actions;
    this.model = null;
    this.built = false;
    setText(toggle, WORDS.share);
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', panel.id);
    toggle.addEventListener('click', () => this.setOpen(panel.hidden));
  }

  // model: the live board's snapshot
  render(model) {
    this.model = model;
    const runsMeeting = model.can.runMeeting;
    show(this.toggle, runsMeeting);
    if (!runsMeeting) this.setOpen(false);
    if (this.built) this.renderParts();
  }

  setOpen(open) {
    if (open && !this.built) this.build();
    show(this.panel, open);
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.renderParts();
      this.loadLinks();
      this.personLinks.load();
      if (this.staff) this.colleagues.load();
    }
  }

  build() {
    this.built = true;
    const meetingPath = `/m/${encodeURIComponent(this.meetingId)}`;
    this.participantLink = linkField('participant-link', WORDS.participantLink);
    this.displayLink = linkField('display-link', WORDS.displayLink);
    this.linksProblem = el('p', { class: 'panel-problem', role: 'alert', hidden: true });
    // If the family link went where it should not, a new one shuts that door for new people.
    this.renew = el(
      'p',
      { class: 'renew-link' },
      el('button', { type: 'button', class: 'button', dataset: { action: 'renew-family-link' }, onclick: () => this.renewFamilyLink() }, WORDS.renewFamilyLink),
      el('span', { class: 'field-hint' }, WORDS.renewFamilyLinkHint),
    );
    // Turning the family link off (after an "Are you sure?") stops anyone new joining by it
    // or its QR code; turning it on again makes a new one.
    const off = WORDS.familyLinkOff;
    this.turnOffButton = el('button', { type: 'button', class: 'button', dataset: { action: 'turn-off-family-link' }, onclick: () => this.askTurnOff() }, off.turnOff);
    this.turnOff = el('p', { class: 'renew-link' }, this.turnOffButton, el('span', { class: 'field-hint' }, off.turnOffHint));
    this.turnOffConfirm = el('div', { hidden: true });
    this.turnOnButton = el('button', { type: 'button', class: 'button', dataset: { action: 'turn-on-family-link' }, onclick: () => this.renewFamilyLink() }, off.turnOn);
    this.familyOff = el(
      'div',
      { class: 'family-link-off', hidden: true },
      el('p', { dataset: { role: 'family-link-off' } }, off.isOff),
      el('p', { class: 'renew-link' }, this.turnOnButton, el('span', { class: 'field-hint' }, off.turnOnHint)),
    );
    this.qr = el(
      'figure',
      { class: 'share-qr' },
      (this.qrImage = el('img', { src: `${meetingPath}/qr.svg`, alt: WORDS.qrAlt, width: 200, height: 200 })),
      el('figcaption', {}, WORDS.scanToJoin),
    );
    this.personLinks = new PersonLinksView({ meetingId: this.meetingId });
    this.colleagues = new ColleaguesView({ meetingId: this.meetingId });
    this.people = new PeopleView({
      remove: (id) => this.actions.removeParticipant(id),
      rename: (name) => this.actions.renameMe(name),
      correct: (id, fields) => this.actions.correctPerson(id, fields),
      confirm: (id) => this.actions.confirmWorker(id),
    });
    this.closing = new CloseMeetingView({ close: () => this.actions.closeMeeting() });

    this.titleInput = el('input', { type: 'text', name: 'title', required: true, autocomplete: 'off' });
    this.titleButton = el('button', { type: 'submit', class: 'button' }, WORDS.saveTitle);
    const titleForm = el(
      'form',
      { class: 'title-form', onsubmit: (event) => this.saveTitle(event) },
      el('label', { class: 'field-label' }, el('span', { class: 'field-caption' }, WORDS.titleLabel), this.titleInput),
      this.titleButton,
    );

    this.vocabularyChoices = Object.entries(WORDS.vocabulary).map(([value, label]) => {
      const input = el('input', { type: 'radio', name: 'vocabulary', value });
      input.addEventListener('change', () => this.actions.editMeeting({ vocabulary: value }));
      return el('label', { class: 'choice' }, input, el('span', {}, label));
    });
    this.vocabularyFieldset = el(
      'fieldset',
      { class: 'vocabulary-choice' },
      el('legend', {}, WORDS.wordsToUse),
      ...this.vocabularyChoices,
    );

    // The room screen's and the minutes' language: each person's own pages keep theirs.
    this.meetingLanguage = el('select', { name: 'meeting-language', dataset: { role: 'meeting-language' } });
    this.meetingLanguage.addEventListener('change', () => this.actions.setMeetingLanguage(this.meetingLanguage.value));
    const meetingLanguage = el(
      'label',
      { class: 'field-label' },
      el('span', { class: 'field-caption' }, t('Language of the room screen and the minutes')),
      this.meetingLanguage,
    );

    this.lockButton = el('button', { type: 'button', class: 'button button-strong', onclick: () => this.toggleLock() });

    // The audit log, for the meeting's staff: in a new tab, so the board stays open here.
    const activity = el(
      'p',
      { class: 'activity-link' },
      el('a', { class: 'button', href: `${meetingPath}/activity`, target: '_blank', rel: 'noopener', dataset: { action: 'activity' } }, WORDS.activity),
      el('span', { class: 'field-hint' }, WORDS.activityHint),
    );

    // Handing out links makes sense only while the meeting goes on.
    this.invite = el(
      'section',
      { class: 'invite', 'aria-labelledby': 'invite-heading' },
      el('h2', { id: 'invite-heading' }, WORDS.invite),
      this.participantLink.element,
      this.displayLink.element,
      this.linksProblem,
      this.familyOff,
      this.renew,
      this.turnOff,
      this.turnOffConfirm,
      this.qr,
    );

    this.panel.replaceChildren(
      this.invite,
      this.personLinks.element,
      this.colleagues.element,
      this.people.element,
      el('h2', {}, WORDS.settings),
      titleForm,
      this.vocabularyFieldset,
      meetingLanguage,
      this.lockButton,
      activity,
      this.closing.element,
      el('button', { type: 'button', class: 'button', onclick: () => this.closeAndReturn() }, WORDS.closePanel),
    );
  }

  renderParts() {
    const { model } = this;
    if (!model) return;
    const { meeting } = model.board;
    const { can } = model;
    const changeable = can.changeMeeting;
    show(this.invite, can.lookAfter);
    if (document.activeElement !== this.titleInput) this.titleInput.value = meeting.title;
    this.titleInput.maxLength = model.template.limits.title;
    this.titleInput.disabled = !changeable;
    this.titleButton.disabled = !changeable;
    this.vocabularyFieldset.disabled = !changeable;
    for (const label of this.vocabularyChoices) {
      const input = label.querySelector('input');
      input.checked = input.value === meeting.vocabulary;
    }
    if (this.meetingLanguage.options.length === 0) {
      this.meetingLanguage.replaceChildren(
        ...model.template.languages.map(({ code, name }) => el('option', { value: code, lang: code }, name)),
      );
    }
    this.meetingLanguage.value = meeting.language;
    this.meetingLanguage.disabled = !can.lookAfter;
    setText(this.lockButton, meeting.status === 'open' ? WORDS.pauseChanges : WORDS.allowChanges);
    this.lockButton.dataset.action = meeting.status === 'open' ? 'lock' : 'unlock';
    this.lockButton.hidden = !can.lookAfter;
    this.personLinks.render(model);
    this.people.render(model.everyone, can, model.template);
    this.closing.render({ can, retentionDays: model.state.retentionDays, ending: model.ending });
  }

  loadLinks() {
    return this.showLinks(() => requestJson(`/api/meetings/${encodeURIComponent(this.meetingId)}/links`));
  }

  async renewFamilyLink() {
    const meetingPath = `/api/meetings/${encodeURIComponent(this.meetingId)}`;
    await this.showLinks(() => requestJson(`${meetingPath}/links/participant/renew`, { method: 'POST', body: {} }));
    // The QR code shows the family link: fetch it again.
    this.qrImage.src = `/m/${encodeURIComponent(this.meetingId)}/qr.svg?v=${Date.now()}`;
  }

  askTurnOff() {
    const words = WORDS.familyLinkOff;
    const close = () => {
      this.turnOffConfirm.replaceChildren();
      show(this.turnOffConfirm, false);
    };
    const confirm = createConfirm({
      question: words.question,
      yes: words.yes,
      no: words.no,
      onNo: () => {
        close();
        this.turnOffButton.focus();
      },
      onYes: async () => {
        close();
        const path = `/api/meetings/${encodeURIComponent(this.meetingId)}/links/participant`;
        await this.showLinks(() => requestJson(path, { method: 'DELETE' }));
        if (!this.familyOff.hidden) this.turnOnButton.focus();
      },
    });
    this.turnOffConfirm.replaceChildren(confirm.element);
    show(this.turnOffConfirm, true);
    confirm.focus();
  }

  async showLinks(fetchLinks) {
    show(this.linksProblem, false);
    try {
      const links = await fetchLinks();
      this.participantLink.set(links.participant);
      this.displayLink.set(links.display);
      // No family link in the answer: it is turned off.
      const familyOn = Boolean(links.participant);
      for (const part of [this.participantLink.element, this.renew, this.turnOff, this.qr]) show(part, familyOn);
      show(this.familyOff, !familyOn);
    } catch {
      setText(this.linksProblem, WORDS.linksFailed);
      show(this.linksProblem, true);
    }
  }

  saveTitle(event) {
    event.preventDefault();
    const title = this.titleInput.value.trim();
    if (title && title !== this.model.board.meeting.title) this.actions.editMeeting({ title });
    this.titleInput.blur();
  }

  toggleLock() {
    if (this.model.board.meeting.status === 'open') this.actions.lock();
    else this.actions.unlock();
  }

  closeAndReturn() {
    this.setOpen(false);
    this.toggle.focus();
  }
}
