// What the page offers this person, from `me.can` (the server's own table of what each
// role may do) and whether the meeting is open. The server checks every op anyway; this
// only keeps the page from offering buttons whose press would be refused.
export function abilities(me, meeting) {
  const can = me?.can ?? {};
  const open = meeting?.status === 'open';
  // Minutes record the board rather than change it: they are taken and signed on a
  // paused board too (pausing first is the usual end of a meeting), not on an ended one.
  const notEnded = Boolean(meeting) && meeting.status !== 'closed';
  const editBoard = Boolean(can.edit_board) && open;
  return {
    // the Share panel: title, words, pausing changes; and the worry flag of revealed numbers
    runMeeting: Boolean(can.run_meeting),
    // add, move and agree/disagree
    contribute: editBoard,
    // edit, remove and bring back: one's own cards, or any card for the facilitator
    changeCard: (card) => editBoard && (Boolean(can.edit_any_card) || card.author === me.id),
    // add, change and remove scales, ask everyone, show the answers, record a vote for
    // someone without a device
    runScales: Boolean(can.run_meeting) && open,
    // give one's own number in an open round (everyone but the meeting-room screen)
    vote: editBoard,
    // write down the decision: part of the board, so not while changes are paused
    decide: Boolean(can.run_meeting) && open,
    // write down the decision (while changes are allowed), take minutes, mark them agreed
    finishMeeting: Boolean(can.run_meeting) && notEnded,
    // say "I agree" or "I don't agree" with draft minutes (everyone but the room screen)
    signMinutes: Boolean(can.edit_board) && notEnded,
    // start the next meeting from the minutes
    startReview: Boolean(can.run_meeting),
  };
}
