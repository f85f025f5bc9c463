// The board page: the live board plus everything that changes it — adding, editing,
// moving, agreeing, removing with Undo, scaling together, the decision and the minutes —
// the facilitator's Share panel (links, people, and ending the meeting), and for the
// meeting's staff, their menu (a person's data, erasing the meeting).
import { requestJson } from './api.js';
import { startLiveBoard } from './live-board.js';
import * as ops from './ops.js';
import { cardChanges, timedSections } from './plan.js';
import { WORDS } from './words.js';
import { t } from './i18n.js';
import { AnnouncerView } from './view/announcer-view.js';
import { LanguageChoice } from './view/language-choice.js';
import { PresenceView } from './view/presence-view.js';
import { SharePanel } from './view/share-panel.js';
import { StaffMenu } from './view/staff-menu.js';
import { keepFocusClearOfBars } from './view/sticky-bars.js';
import { Toasts } from './view/toasts.js';

export function startBoardPage(root) {
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  const toasts = new Toasts(part('toasts'));
  const presenceView = new PresenceView(part('presence'));
  const announcerView = new AnnouncerView(part('announcements'), part('announce-choice'));
  keepFocusClearOfBars({ exit: document.querySelector('[data-role=quick-exit]'), tabs: part('view-tabs'), toasts: part('toasts') });
  let live = null;
  const meetingId = root.dataset.meetingId;
  const send = (op) => live.connection.send(op);
  const board = () => live.snapshot().board;
  let editing = null; // the card this person is writing, if any
  let myLanguage = null; // the one the page was shown in
  const languageChoice = new LanguageChoice(part('language-choice'), {
    choose(language) {
      if (editing !== null) {
        toasts.show(t('Please save or close the card you are writing first, then choose your language.'));
        return false;
      }
      send(ops.setMyLanguage(language));
      return true;
    },
  });

  const actions = {
    addCard(section, draft) {
      const after = board().order.get(section)?.at(-1) ?? null; // new cards go at the end
      send(ops.addCard({ ...draft, section, after }));
    },
    saveCard(cardId, section, draft) {
      const card = board().cards.get(cardId);
      // Removed by someone else while being edited: the words go back on as a new card.
      if (!card) return actions.addCard(section, draft);
      const changes = cardChanges(card, draft, timedSections(live.snapshot().template));
      if (changes) send(ops.editCard(cardId, changes));
    },
    addStatement(fields) {
      const after = board().order.get(live.snapshot().template.composers.statement.section)?.at(-1);
      send(ops.addStatement({ ...fields, after }));
    },
    editStatement: (cardId, fields) => send(ops.editStatement(cardId, fields)),
    addGoal(statementId, fields) {
      const after = board().order.get(live.snapshot().template.composers.goal.section)?.at(-1);
      send(ops.addGoal(statementId, { ...fields, after }));
    },
    editGoal: (cardId, fields) => send(ops.editGoal(cardId, fields)),
    moveCard: (cardId, section, after) => send(ops.moveCard(cardId, section, after)),
    react: (cardId, stance) => send(ops.reactToCard(cardId, stance)),
    deleteCard(cardId) {
      send(ops.deleteCard(cardId));
      toasts.undo(WORDS.removed, () => send(ops.restoreCard(cardId)));
    },
    editingChanged(cardId) {
      editing = cardId;
      live.connection.editing(cardId);
    },
    setAudience: (cardId, audience) => send(ops.setCardAudience(cardId, audience)),
    translateCard: (cardId, language, text) => send(ops.translateCard(cardId, language, text)),
    // A worry's own scale: made with plain starting words the facilitator can change.
    scaleForCard(cardId) {
      let scaleId = live.snapshot().scaleOfCard.get(cardId);
      if (!scaleId) scaleId = scaleActions.addScale({ ...WORDS.scaling.worryScale, cardId });
      live.boardView.showColumn('scales');
      live.scalesView.reveal(scaleId);
    },
  };

  const scaleActions = {
    translateReason(roundId, voter, text) {
      send(ops.translateReason(roundId, voter, live.snapshot().state.me.interprets, text));
    },
    addScale(words) {
      const op = ops.addScale(words);
      send(op);
      return op.scale_id;
    },
    editScale: (scaleId, words) => send(ops.editScale(scaleId, words)),
    deleteScale: (scaleId) => send(ops.deleteScale(scaleId)),
    openRound: (scaleId) => send(ops.openRound(scaleId)),
    revealRound: (scaleId) => send(ops.revealRound(scaleId)),
    vote: (scaleId, value, reason) => send(ops.castVote({ scaleId, value, reason })),
    recordVote: (scaleId, { name, role, value, reason }) =>
      send(ops.castVote({ scaleId, value, reason, onBehalfOf: { name, role } })),
    leaveOut: (scaleId, voter) => send(ops.excludeVote(scaleId, voter)),
    setWorryThreshold: (threshold) => send(ops.editMeeting({ worry_threshold: threshold })),
  };

  const endActions = {
    decide: (fields) => send(ops.setDecision(fields)),
    takeMinutes: (label) => send(ops.takeMinutes(label)),
    pause: () => send(ops.lockMeeting()),
    sign: (number, stance, reason) => send(ops.signMinutes(number, stance, reason)),
    agree: (number) => send(ops.agreeMinutes(number)),
    startReview: () => requestJson(`/api/meetings/${encodeURIComponent(meetingId)}/review`, { method: 'POST', body: {} }),
    inviteSamePeople: (reviewId) =>
      requestJson(`/api/meetings/${encodeURIComponent(reviewId)}/invite-same-people`, { method: 'POST', body: {} }),
  };

  const familyActions = {
    setStage: (stage) => send(ops.setStage(stage)),
    startFamilyTime: (backAt) => send(ops.startFamilyTime(backAt)),
    ask: () => send(ops.askFamilyBack()),
    forceEnd: () => send(ops.forceEndFamilyTime()),
    answer: (ready) => send(ops.answerFamilyTime(ready)),
    addItem: (section, text) => send(ops.addFamilyItem(section, text)),
    editItem: (itemId, text) => send(ops.editFamilyItem(itemId, { text })),
    deleteItem: (itemId) => send(ops.deleteFamilyItem(itemId)),
    share: () => send(ops.shareFamilyPlan()),
  };

  const steerActions = {
    goToStep: (step) => send(ops.goToStep(step)),
    renameStep: (step, title) => send(ops.renameStep(step, title)),
    moveStep: (step, to) => send(ops.moveStep(step, to)),
    removeStep: (step) => send(ops.removeStep(step)),
    addStep: (title) => send(ops.addStep(title)),
    spotlight: (kind, target) => send(ops.spotlight(kind, target)),
    clearSpotlight: () => send(ops.clearSpotlight()),
    startTimer: (seconds) => send(ops.startTimer(seconds)),
    extendTimer: (seconds) => send(ops.extendTimer(seconds)),
    pauseTimer: () => send(ops.pauseTimer()),
    resumeTimer: () => send(ops.resumeTimer()),
    stopTimer: () => send(ops.stopTimer()),
    sayReady: (state) => send(ops.sayReady(state)),
  };

  const sharePanel = new SharePanel({
    toggle: part('share-toggle'),
    panel: part('share-panel'),
    meetingId,
    // The meeting's staff see who has it (docs/protocol.md); nobody else may.
    staff: 'staff' in root.dataset,
    actions: {
      editMeeting: (fields) => send(ops.editMeeting(fields)),
      setMeetingLanguage: (language) => send(ops.setMeetingLanguage(language)),
      lock: () => send(ops.lockMeeting()),
      unlock: () => send(ops.unlockMeeting()),
      removeParticipant: (participantId) => send(ops.removeParticipant(participantId)),
      renameMe: (name) => send(ops.renameMe(name)),
      correctPerson: (participantId, fields) => send(ops.correctPerson(participantId, fields)),
      confirmWorker: (participantId) => send(ops.confirmWorker(participantId)),
      closeMeeting: () => send(ops.closeMeeting()),
    },
  });

  // On the page only for the meeting's staff.
  const staffMenu = part('staff-menu') && new StaffMenu({ toggle: part('staff-toggle'), menu: part('staff-menu'), meetingId });

  const houseActions = {
    place(itemId, section) {
      const after = board().order.get(section)?.at(-1) ?? null; // on the map at the end
      send(ops.placeHouseItem(itemId, section, after));
    },
    setAge: (childId, age) => send(ops.setChildAge(childId, age)),
    setAudience: (itemId, audience) => send(ops.setHouseItemAudience(itemId, audience)),
  };

  live = startLiveBoard(root, {
    actions,
    scaleActions,
    endActions,
    familyActions,
    houseActions,
    steerActions,
    beforeApplied: (event, state) => announcerView.hear(event, state),
    onRender(model) {
      presenceView.render(model.people);
      languageChoice.render(model);
      // Their own language changed (here or on another of their screens), now the server
      // has it: the page again, in it (see language-choice.js).
      myLanguage ??= model.state.me?.language;
      if (model.state.me?.language !== myLanguage) location.reload();
      sharePanel.render(model);
      staffMenu?.render(model);
    },
  });
  live.connection.on('refused', ({ op, message }) => {
    toasts.problem(message || WORDS.changeRefused);
    if (op.type === 'card.add') {
      const { text, attributed_to: attributedTo, owner, due } = op;
      live.boardView.offerDraftAgain(op.section, { text, attributedTo, owner, due });
    }
  });
  live.connection.on('notice', ({ code, message }) => {
    // The store being away is said by the connection line, not by a toast at every try.
    if (code !== 'unavailable') toasts.show(message || WORDS.changeDelayed);
  });
}
