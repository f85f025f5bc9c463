// The facilitator starts the review meeting: a new board from the minutes (the last agreed
// ones, else the last ones), in the same family, with its own links. Its facilitator's link
// is then shown to open, and "Invite the same people" makes a fresh link in it for each
// named person of this meeting, listed to send.
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';
import { linkField } from './link-field.js';

export class ReviewStart {
  // start() -> Promise of {id, links} (POST /api/meetings/{id}/review);
  // invite(reviewId) -> Promise of {links} (POST /api/meetings/{review id}/invite-same-people)
  constructor({ start, invite }) {
    const words = WORDS.review;
    this.start = start;
    this.invite = invite;
    this.reviewId = null;
    this.roles = {};
    this.button = el(
      'button',
      { type: 'button', class: 'button button-strong', dataset: { action: 'start-review' }, onclick: () => this.onStart() },
      words.start,
    );
    this.hint = el('p', { class: 'field-hint' }, words.needsMinutes);
    this.link = el('a', { class: 'button button-primary', dataset: { action: 'open-review' } }, words.open);
    this.ready = el('p', { class: 'review-ready', role: 'status', hidden: true }, el('span', {}, words.ready), this.link);
    this.inviteButton = el(
      'button',
      { type: 'button', class: 'button', hidden: true, dataset: { action: 'invite-same-people' }, onclick: () => this.onInvite() },
      words.invite,
    );
    this.invited = el('ul', { class: 'person-links', hidden: true, dataset: { role: 'invited-links' } });
    this.problem = el('p', { class: 'panel-problem', role: 'alert', hidden: true });
    this.busy = false;
    this.element = el(
      'section',
      { class: 'review-start' },
      this.button,
      this.hint,
      this.ready,
      this.inviteButton,
      this.invited,
      this.problem,
    );
  }

  render({ can, minutes, template }) {
    this.roles = template?.roles ?? {};
    show(this.element, can.startReview);
    const hasMinutes = minutes.length > 0;
    show(this.hint, !hasMinutes);
    this.button.disabled = this.busy || !hasMinutes;
  }

  async onStart() {
    const words = WORDS.review;
    this.busy = true;
    this.button.disabled = true;
    setText(this.button, words.starting);
    show(this.problem, false);
    try {
      const { id, links } = await this.start();
      this.reviewId = id;
      this.link.href = links.facilitator;
      show(this.ready, true);
      show(this.inviteButton, true);
      this.link.focus();
    } catch (error) {
      // The server's own words when it has them ("Take the minutes first: ...").
      setText(this.problem, error.code && error.message !== error.code ? error.message : words.failed);
      show(this.problem, true);
    } finally {
      this.busy = false;
      this.button.disabled = false;
      setText(this.button, words.start);
    }
  }

  async onInvite() {
    const words = WORDS.review;
    this.inviteButton.disabled = true;
    show(this.problem, false);
    try {
      const { links } = await this.invite(this.reviewId);
      this.invited.replaceChildren(
        ...(links.length
          ? links.map((link) => {
              const field = linkField('invited-link', words.invitedLink(link.name, this.roles[link.role] ?? link.role));
              field.set(link.url);
              return el('li', {}, field.element);
            })
          : [el('li', { class: 'muted' }, words.nobodyToInvite)]),
      );
      show(this.invited, true);
    } catch (error) {
      setText(this.problem, error.code && error.message !== error.code ? error.message : words.inviteFailed);
      show(this.problem, true);
    } finally {
      this.inviteButton.disabled = false;
    }
  }
}
