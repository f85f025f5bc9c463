// The meeting's title and the calm banners: changes paused; the meeting has ended (for
// the facilitator with the day its records are deleted); and this person is no longer in
// the meeting.
import { momentDayWords } from '../dates.js';
import { WORDS } from '../words.js';
import { el, setText, show } from './dom.js';

export class MeetingView {
  constructor({ title, statusBanner, closedBanner, endedBanner }) {
    this.title = title;
    this.statusBanner = statusBanner;
    this.closedBanner = closedBanner;
    this.endedBanner = endedBanner;
    this.closedMessage = el('p', { class: 'banner-line', dataset: { role: 'closed-message' } }, WORDS.closed);
    this.deletion = el('p', { class: 'banner-line', dataset: { role: 'records-deleted' }, hidden: true });
    this.planLink = el('a', { class: 'button', dataset: { action: 'our-plan' } }, WORDS.ourPlan);
    this.plan = el('p', { class: 'banner-line', hidden: true }, this.planLink);
    closedBanner.replaceChildren(this.closedMessage, this.deletion, this.plan);
  }

  // deletionDate: when an ended meeting's records are deleted, shown to the facilitator
  // only (null otherwise); sessionEnded: this person's session ended (see abilities.js);
  // planUrl: the family's "Our plan" once the meeting has ended (null otherwise)
  render(meeting, { deletionDate = null, sessionEnded = false, planUrl = null } = {}) {
    setText(this.title, meeting.title);
    document.title = `${meeting.title} – Kinboard`;
    const closed = meeting.status === 'closed';
    setText(this.statusBanner, meeting.status === 'locked' ? WORDS.locked : '');
    show(this.statusBanner, meeting.status === 'locked' && !sessionEnded);

    show(this.closedBanner, closed);
    setText(this.deletion, deletionDate ? WORDS.recordsDeleted(momentDayWords(deletionDate)) : '');
    show(this.deletion, Boolean(deletionDate));
    if (planUrl) this.planLink.href = planUrl;
    show(this.plan, Boolean(planUrl));

    // Everyone's session ends with the meeting: the banner above says it already.
    const ended = sessionEnded && !closed;
    setText(this.endedBanner, ended ? WORDS.sessionEnded : '');
    show(this.endedBanner, ended);
  }
}
