// What the page offers this person, from `me.can` (the server's own table of what each
// role may do), what the meeting's status allows (`statuses`, the template's table of
// them), and whether this person is still in it (`ended`: the facilitator took them out,
// turned their link off, or ended the meeting). The server checks every op anyway; this
// only keeps the page from offering buttons whose press would be refused.
export function abilities(me, meeting, statuses, { ended = false } = {}) {
  const can = me?.can ?? {};
  const allows = statuses[meeting.status];
  const open = allows.board;
  // Minutes record the board rather than change it: they are taken and signed on a
  // paused board too (pausing first is the usual end of a meeting), not on an ended one.
  const notEnded = allows.meeting && !ended;
  const editBoard = Boolean(can.edit_board) && open && !ended;
  const runsMeeting = Boolean(can.run_meeting);
  return {
    // the Share panel (its links and the Activity page stay there after the end); the
    // worry flag of revealed numbers; the day an ended meeting's records are deleted
    runMeeting: runsMeeting,
    // pause changes, make and turn off people's links, take someone out of the meeting,
    // end the meeting
    lookAfter: runsMeeting && notEnded,
    // choose who can see a card: on a paused board too, so something can be kept from
    // someone at any moment until the end
    markCards: runsMeeting && notEnded,
    // change the title and words: not while changes are paused
    changeMeeting: runsMeeting && open && !ended,
    // add, move and agree/disagree
    contribute: editBoard,
    // edit, remove and bring back: one's own cards, or any card for the facilitator
    changeCard: (card) => editBoard && (Boolean(can.edit_any_card) || card.author === me.id),
    // add, change and remove scales, ask everyone, show the answers, record a vote for
    // someone without a device
    runScales: runsMeeting && open && !ended,
    // give one's own number in an open round (everyone but the meeting-room screen)
    vote: editBoard,
    // write down the decision: part of the board, so not while changes are paused
    decide: runsMeeting && open && !ended,
    // write down the decision (while changes are allowed), take minutes, mark them agreed
    finishMeeting: runsMeeting && notEnded,
    // say "I agree" or "I don't agree" with draft minutes (everyone but the room screen)
    signMinutes: Boolean(can.edit_board) && notEnded,
    // start the next meeting from the minutes (staff can, after the end too)
    startReview: runsMeeting,
    // move the agenda on and change it, spotlight, set the timer: steering changes no
    // part of the board, so it goes on while changes are paused
    steer: runsMeeting && notEnded,
    // say "I'm done" or "I need more time" (everyone but the room screen)
    sayReady: Boolean(can.edit_board) && notEnded,
    // an interpreter: add or change their translation of a card or a reason (not while
    // changes are paused)
    translate: Boolean(can.translate) && open && !ended,
  };
}
