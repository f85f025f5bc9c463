// Below the plan: what was decided, the minutes, and for the facilitator the way on to the
// review meeting. The meeting-room screen shows the decision and the list of minutes.
import { DecisionView } from './decision-view.js';
import { el } from './dom.js';
import { MinutesView } from './minutes-view.js';
import { ReviewStart } from './review-start.js';

export class MeetingEndView {
  // actions (board page only): decide(fields), takeMinutes(label), pause(),
  // sign(number, stance, reason), agree(number), startReview() -> Promise of {id, links},
  // inviteSamePeople(reviewId) -> Promise of {links}
  constructor({ meetingId, actions = null }) {
    this.decision = new DecisionView({ onSave: actions?.decide ?? null });
    this.minutes = new MinutesView({ meetingId, actions });
    this.review = actions ? new ReviewStart({ start: actions.startReview, invite: actions.inviteSamePeople }) : null;
    this.element = el(
      'div',
      { class: 'meeting-end' },
      this.decision.element,
      this.minutes.element,
      this.review?.element,
    );
  }

  render(model) {
    const { board, template, can } = model;
    this.decision.render({ decision: board.decision, pending: board.pendingDecision, template, can });
    this.minutes.render(model);
    this.review?.render(model);
  }
}
