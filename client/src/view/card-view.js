// One card's element. It is made once per card id and then only updated in place, so a
// remote change never rebuilds a card someone is looking at or typing in.
import { dayWords } from '../dates.js';
import { WORDS } from '../words.js';
import { t } from '../i18n.js';
import { el, setText, show } from './dom.js';
import { speakerButton } from './read-aloud-view.js';
import { renderTranslations } from './translation-view.js';

export class CardView {
  constructor(cardId, { readOnly }) {
    this.cardId = cardId;
    this.readOnly = readOnly;
    this.editor = null;
    this.textWhenEditingStarted = null;

    this.text = el('p', { class: 'card-text', id: `card-${cardId}-text`, dir: 'auto' });
    this.body = el('div', { class: 'card-body' }, this.text);
    this.saidBy = el('p', { class: 'card-said-by', hidden: true });
    // Interpreters' translations, under the original (for those who read their language).
    this.translations = el('div', { class: 'card-translations', hidden: true });
    this.translateSlot = el('div', { class: 'translate-slot' });
    this.translateForm = null;
    // Carried over into a review meeting, where last time's plan is looked at again.
    this.fromLastMeeting = el(
      'p',
      { class: 'card-tag', hidden: true, dataset: { role: 'from-last-meeting' } },
      WORDS.fromLastMeeting,
    );
    this.owner = el('span', { class: 'card-owner' });
    this.due = el('span', { class: 'card-due' });
    // Said in words and marked with a sign, not shown by colour alone.
    this.overdue = el('strong', { class: 'card-overdue', hidden: true, dataset: { role: 'overdue' } }, WORDS.overdue);
    this.timing = el('p', { class: 'card-timing', hidden: true }, this.owner, this.due, this.overdue);
    this.note = el('p', { class: 'card-note', hidden: true });
    // Who can see it, when not everyone: said in words, with a sign, to those it was sent to.
    this.marking = el('p', { class: 'card-audience', hidden: true, dataset: { role: 'audience' } });
    this.audienceSlot = el('div', { class: 'audience-slot' });
    this.picker = null;
    this.element = el(
      'article',
      { class: 'card', dataset: { cardId } },
      this.marking,
      this.fromLastMeeting,
      this.body,
      this.translations,
      this.saidBy,
      this.timing,
      this.note,
    );

    if (readOnly) {
      this.stances = el('p', { class: 'card-stances', hidden: true });
      this.element.append(this.stances);
    } else {
      this.handle = el('span', { class: 'drag-handle', title: WORDS.dragHandle, 'aria-hidden': 'true' }, '⠿');
      this.body.prepend(this.handle);
      this.body.append(speakerButton('card', cardId, this.text.id));
      this.agree = stanceButton('agree', WORDS.agree);
      this.disagree = stanceButton('disagree', WORDS.disagree);
      this.editButton = actionButton('edit', WORDS.edit);
      this.moveButton = actionButton('move', WORDS.move);
      this.moveButton.setAttribute('aria-expanded', 'false');
      this.deleteButton = actionButton('delete', WORDS.remove);
      this.scaleButton = actionButton('scale-for-card', WORDS.scaling.scaleForWorry);
      this.audienceButton = actionButton('audience', WORDS.audience.button);
      this.audienceButton.setAttribute('aria-expanded', 'false');
      this.goalButton = actionButton('compose-goal', WORDS.composer.writeGoal);
      this.translateButton = actionButton('translate', t('Translate'));
      this.translateButton.setAttribute('aria-expanded', 'false');
      this.moveMenu = el('div', { class: 'move-menu', role: 'group', 'aria-label': WORDS.move, hidden: true });
      this.element.append(
        el(
          'div',
          { class: 'card-actions' },
          this.agree.button,
          this.disagree.button,
          this.editButton,
          this.moveButton,
          this.deleteButton,
          this.scaleButton,
          this.audienceButton,
          this.goalButton,
          this.translateButton,
        ),
        this.moveMenu,
        this.audienceSlot,
        this.translateSlot,
      );
    }
  }

  get isEditing() {
    return this.editor !== null;
  }

  get hasUnsavedDraft() {
    return Boolean(this.editor?.isDirty());
  }

  focusEditor() {
    this.editor?.focus();
  }

  // overdue: a step whose day has passed, in a review meeting (see plan.js); marking: who
  // can see it, in words (null: everyone); isStatement: a worry statement, which can have a
  // safety goal; bottomLine: its "said by" is who sets it; translations: those of it this
  // screen was sent, and nameOf(participant id) for who made them
  render(card, { can, meId, pending, editingNames, hasScale, scalable, overdue, marking, isStatement, bottomLine, attribution = card.attributed_to, translations = [], nameOf = () => null }) {
    renderTranslations(this.translations, translations, nameOf);
    setText(this.marking, marking ?? '');
    show(this.marking, Boolean(marking));
    this.element.classList.toggle('is-restricted', Boolean(marking));
    if (!this.isEditing) setText(this.text, card.text);
    else this.noteRemoteChange(card.text, can.changeCard(card));
    const saidBy = bottomLine ? WORDS.setBy : WORDS.saidBy;
    setText(this.saidBy, attribution ? saidBy(attribution) : '');
    show(this.saidBy, Boolean(attribution));
    show(this.fromLastMeeting, Boolean(card.from_last_meeting));
    this.renderTiming(card, overdue);
    const note = [pending ? WORDS.saving : '', editingNames.length ? WORDS.isEditing(editingNames) : '']
      .filter(Boolean)
      .join(' · ');
    setText(this.note, note);
    show(this.note, Boolean(note));
    this.element.classList.toggle('is-pending', pending);
    this.element.classList.toggle('is-being-edited', editingNames.length > 0);

    const counts = countStances(card.stances);
    if (this.readOnly) {
      const parts = [];
      if (counts.agree) parts.push(WORDS.agreeCount(counts.agree));
      if (counts.disagree) parts.push(WORDS.disagreeCount(counts.disagree));
      setText(this.stances, parts.join(' · '));
      show(this.stances, parts.length > 0);
      return;
    }
    const mine = card.stances?.[meId] ?? null;
    this.agree.render(counts.agree, mine === 'agree', can.contribute);
    this.disagree.render(counts.disagree, mine === 'disagree', can.contribute);
    const canChange = can.changeCard(card);
    show(this.handle, can.contribute);
    show(this.moveButton, can.contribute);
    show(this.editButton, canChange);
    show(this.deleteButton, canChange);
    // A worry (danger) statement can have its own scale: "how sure are we it won't happen?"
    show(this.scaleButton, can.runScales && scalable);
    setText(this.scaleButton, hasScale ? WORDS.scaling.seeScaleForWorry : WORDS.scaling.scaleForWorry);
    show(this.audienceButton, can.markCards);
    show(this.goalButton, can.contribute && isStatement);
    show(this.translateButton, Boolean(can.translate));
    if (!can.translate) this.closeTranslate();
    if (!can.contribute) this.closeMoveMenu();
    if (!can.markCards) this.closeAudience();
  }

  openAudience(picker) {
    this.closeMoveMenu();
    this.picker = picker;
    this.audienceSlot.replaceChildren(picker.element);
    this.audienceButton.setAttribute('aria-expanded', 'true');
    picker.focus();
  }

  closeAudience() {
    if (!this.picker) return;
    this.picker = null;
    this.audienceSlot.replaceChildren();
    this.audienceButton.setAttribute('aria-expanded', 'false');
  }

  openTranslate(form) {
    this.translateForm = form;
    this.translateSlot.replaceChildren(form.element);
    this.translateButton.setAttribute('aria-expanded', 'true');
    form.focus();
  }

  closeTranslate() {
    if (!this.translateForm) return;
    this.translateForm = null;
    this.translateSlot.replaceChildren();
    this.translateButton.setAttribute('aria-expanded', 'false');
  }

  get audienceOpen() {
    return this.picker !== null;
  }

  renderTiming(card, overdue) {
    setText(this.owner, card.owner ? WORDS.owner(card.owner) : '');
    setText(this.due, card.due ? WORDS.due(dayWords(card.due)) : '');
    show(this.owner, Boolean(card.owner));
    show(this.due, Boolean(card.due));
    show(this.overdue, overdue);
    show(this.timing, Boolean(card.owner || card.due));
    this.element.classList.toggle('is-overdue', overdue);
  }

  // editor: the card editor (card-editor.js) or, for a composed card, its composer
  openEditor(card, editor) {
    this.closeMoveMenu();
    this.textWhenEditingStarted = card.text;
    this.editor = editor;
    show(this.text, false);
    this.body.append(this.editor.element);
    this.element.classList.add('is-editing');
    this.editor.focus();
  }

  closeEditor() {
    if (!this.editor) return;
    this.editor.element.remove();
    this.editor = null;
    show(this.text, true);
    this.element.classList.remove('is-editing');
  }

  // The user's draft always stays; they are only told that the card changed under them,
  // or that saving must wait (changes paused).
  noteRemoteChange(currentText, canSave) {
    this.editor.setSaveAllowed(canSave);
    if (canSave && currentText !== this.textWhenEditingStarted) this.editor.setNote(WORDS.changedWhileTyping);
  }

  noteRemoved() {
    this.editor?.setNote(WORDS.removedWhileTyping);
  }

  openMoveMenu(choices) {
    this.moveMenu.replaceChildren(
      ...choices.map(({ label, action, section }) =>
        el('button', { type: 'button', class: 'button', dataset: { action, section } }, label),
      ),
    );
    show(this.moveMenu, true);
    this.moveButton.setAttribute('aria-expanded', 'true');
    this.moveMenu.querySelector('button')?.focus();
  }

  closeMoveMenu() {
    if (!this.moveMenu || this.moveMenu.hidden) return;
    show(this.moveMenu, false);
    this.moveMenu.replaceChildren();
    this.moveButton.setAttribute('aria-expanded', 'false');
  }

  get moveMenuOpen() {
    return Boolean(this.moveMenu && !this.moveMenu.hidden);
  }
}

function actionButton(action, label) {
  return el('button', { type: 'button', class: 'button button-small', dataset: { action } }, label);
}

function stanceButton(stance, label) {
  const count = el('span', { class: 'count' });
  const button = el(
    'button',
    { type: 'button', class: `button button-small stance stance-${stance}`, dataset: { action: stance } },
    el('span', { class: 'stance-label' }, label),
    count,
  );
  return {
    button,
    render(total, isMine, enabled) {
      setText(count, String(total));
      button.setAttribute('aria-pressed', String(isMine));
      button.disabled = !enabled;
    },
  };
}

function countStances(stances = {}) {
  const counts = { agree: 0, disagree: 0 };
  for (const stance of Object.values(stances)) {
    if (stance in counts) counts[stance] += 1;
  }
  return counts;
}
