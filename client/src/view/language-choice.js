// The person's own language, changed on the board (the join page chose it first): the
// pages, refusals and downloads Kinboard gives them are in it; what people wrote stays as
// they wrote it. Choosing sends `participant.language`; once the server has it, the page
// reloads to show itself in that language. A reload loses no change: changes still
// waiting to be sent are kept in sessionStorage by the op queue (op-queue.js) and sent
// after it. Words being typed in an open card are not a change yet, so while a card is
// being written the choice waits and says so.
import { t } from '../i18n.js';
import { el, show } from './dom.js';

export class LanguageChoice {
  // choose(code) -> whether it was sent (false while a card is being written)
  constructor(slot, { choose }) {
    this.slot = slot;
    this.select = el('select', { class: 'language-select', name: 'language', dataset: { role: 'my-language' } });
    this.select.addEventListener('change', () => {
      if (!choose(this.select.value)) this.select.value = this.current;
    });
    slot.replaceChildren(
      el('label', { class: 'language-choice' }, el('span', { class: 'field-caption' }, t('Language')), this.select),
    );
    this.codes = '';
    this.current = null;
  }

  render(model) {
    const me = model.state.me;
    const offered = Boolean(me?.can?.edit_board) && model.template.statuses[model.board.meeting.status].meeting && !model.ended;
    show(this.slot, offered);
    if (!offered) return;
    const languages = model.template.languages;
    const codes = languages.map((language) => language.code).join(' ');
    if (codes !== this.codes) {
      this.codes = codes;
      this.select.replaceChildren(
        ...languages.map(({ code, name }) => el('option', { value: code, lang: code }, name)),
      );
    }
    this.current = me.language;
    if (document.activeElement !== this.select) this.select.value = me.language;
  }
}
