// The facilitator starts the review meeting: a new board from the minutes (the last agreed
// ones, else the last ones), with its own links. Its facilitator's link is then shown to
// open.
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';

export class ReviewStart {
  // start() -> Promise of {id, links} (POST /api/meetings/{id}/review)
  constructor({ start }) {
    const words = WORDS.review;
    this.start = start;
    this.button = el(
      'button',
      { type: 'button', class: 'button button-strong', dataset: { action: 'start-review' }, onclick: () => this.onStart() },
      words.start,
    );
    this.hint = el('p', { class: 'field-hint' }, words.needsMinutes);
    this.link = el('a', { class: 'button button-primary', dataset: { action: 'open-review' } }, words.open);
    this.ready = el('p', { class: 'review-ready', role: 'status', hidden: true }, el('span', {}, words.ready), this.link);
    this.problem = el('p', { class: 'panel-problem', role: 'alert', hidden: true });
    this.busy = false;
    this.element = el('section', { class: 'review-start' }, this.button, this.hint, this.ready, this.problem);
  }

  render({ can, minutes }) {
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
      const { links } = await this.start();
      this.link.href = links.facilitator;
      show(this.ready, true);
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
}
