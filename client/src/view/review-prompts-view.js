// A review meeting starts gently, with the template's two questions at the top.
import { WORDS } from '../words.js';
import { el, show } from './dom.js';

export class ReviewPromptsView {
  constructor(root) {
    this.root = root;
    this.built = false;
  }

  render(meeting, template) {
    const prompts = template.review_prompts;
    const shown = meeting.kind === 'review' && prompts.length > 0;
    show(this.root, shown);
    if (!shown || this.built) return;
    this.built = true;
    this.root.replaceChildren(
      el('h2', { class: 'review-prompts-heading', id: 'review-prompts-heading' }, WORDS.reviewPromptsHeading),
      el('ul', { class: 'review-prompts-list' }, ...prompts.map((prompt) => el('li', {}, prompt))),
    );
  }
}
