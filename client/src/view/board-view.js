// The map's three columns and, as a view of its own, the family's plan: their sections
// and cards. Built once from the template in `state`, then updated by key on every
// render: cards are reused by id and moved only when their place changed, and the card
// being edited is never moved or rebuilt.
import Sortable from 'sortablejs';
import { audienceWords, hideableFrom } from '../audience.js';
import { columnsOf, isOverdue, timedSections } from '../plan.js';
import { sectionLabel } from '../state.js';
import { attributionWords } from '../template-words.js';
import { ownTranslation, translationsOf } from '../translations.js';
import { WORDS } from '../words.js';
import { createAudiencePicker } from './audience-picker.js';
import { createCardEditor } from './card-editor.js';
import { createComposer } from './composer.js';
import { CardView } from './card-view.js';
import { el, setText, show } from './dom.js';
import { speakerButton } from './read-aloud-view.js';
import { createTranslateForm } from './translation-view.js';

export class BoardView {
  // `actions` (board page only): addCard(section, draft), saveCard(cardId, section, draft),
  // moveCard(cardId, section, after), deleteCard(cardId), react(cardId, stance),
  // editingChanged(cardId or null), scaleForCard(cardId), setAudience(cardId, audience);
  // the composers' (composer.js): addStatement(fields), editStatement(cardId, fields),
  // addGoal(statementId, fields), editGoal(cardId, fields).
  // `extraTabs`: more panels the phone tabs switch to, after the columns:
  // [{key, heading, panel (an element with an id), badge(model) -> text for the tab}].
  // `planParts`: elements shown below the plan's sections (the decision and the minutes);
  // `mapParts`: below the map's columns (the worries and safety goals side by side).
  // `tabs`: the (empty) tablist element the tabs go in, beside "Who is here" on a wide screen.
  constructor(root, { readOnly = false, actions = null, extraTabs = [], planParts = [], mapParts = [], tabs = null } = {}) {
    this.root = root;
    this.tabs = readOnly ? null : tabs;
    this.readOnly = readOnly;
    this.actions = actions;
    this.extraTabs = readOnly ? [] : extraTabs;
    this.planParts = planParts;
    this.mapParts = mapParts;
    this.cardViews = new Map();
    this.sections = new Map(); // key -> {element, label, list, addButton, addSlot, empty, sortable}
    this.columns = new Map(); // key -> {element, tab, count}
    this.mapTab = null;
    this.mapKeys = [];
    this.planKeys = [];
    this.lastMapColumn = null; // the map column a phone shows when going back to the map
    this.timed = new Set(); // sections whose cards have who and by when
    this.addEditors = new Map(); // section key -> open "add a card" editor
    this.editingCardId = null;
    this.dragging = false;
    this.model = null;
    this.focusAfterRender = null;
    if (!readOnly) {
      root.addEventListener('click', (event) => this.onClick(event));
      root.addEventListener('keydown', (event) => this.onKeydown(event));
      this.tabs.addEventListener('click', (event) => this.onClick(event));
    }
  }

  // model: {template, board (see projection.js), can (see abilities.js), meId, editingNames,
  // scaleOfCard, today}
  render(model) {
    this.model = model;
    if (this.dragging) return; // SortableJS owns the DOM until the drop; rendered after it
    if (!this.columns.size) this.build(model.template);
    const active = document.activeElement;
    const { board } = model;
    const vocabulary = board.meeting.vocabulary;

    for (const column of model.template.columns) {
      let cardsInColumn = 0;
      for (const section of column.sections) {
        const parts = this.sections.get(section.key);
        setText(parts.label, sectionLabel(section, vocabulary));
        const ids = board.order.get(section.key) ?? [];
        cardsInColumn += ids.length;
        this.placeCards(parts.list, ids);
        if (parts.empty) show(parts.empty, ids.length === 0);
        if (parts.sortable) parts.sortable.option('disabled', !model.can.contribute);
        if (parts.addButton) this.renderAddControls(section.key, model.can.contribute);
        if (parts.composeButton) show(parts.composeButton, model.can.contribute && !this.addEditors.has(section.key));
      }
      const tabCount = this.columns.get(column.key).count;
      if (tabCount) setText(tabCount, String(cardsInColumn));
    }
    for (const tab of this.extraTabs) {
      const { count } = this.columns.get(tab.key);
      const badge = tab.badge(model);
      setText(count, badge);
      show(count, Boolean(badge));
    }
    this.forgetGoneCards(board);
    this.restoreFocus(active);
  }

  // --- building ---------------------------------------------------------------------

  // The map (its columns side by side on a wide screen) and the plan are two views; the
  // meeting-room screen shows both, one below the other.
  build(template) {
    const mapColumns = columnsOf(template, 'map');
    const planColumns = columnsOf(template, 'plan');
    this.mapKeys = mapColumns.map((column) => column.key);
    this.planKeys = planColumns.map((column) => column.key);
    this.timed = timedSections(template);
    this.composers = template.composers;
    const mapView = el('div', { class: 'columns map-view', id: 'map-view' }, ...mapColumns.map((c) => this.buildColumn(c)));
    const planView = el(
      'div',
      { class: 'plan-view', id: 'plan-view' },
      ...planColumns.map((column) => this.buildColumn(column)),
      ...this.planParts,
    );
    this.root.replaceChildren(mapView, ...this.mapParts, planView);
    if (this.readOnly) return;
    this.buildTabs(mapColumns, planColumns);
    this.showColumn(this.mapKeys[0]);
  }

  buildColumn(column) {
    const panelId = `column-${column.key}`;
    const element = el(
      'section',
      {
        // Read-only screens have no tabs: every column shows.
        class: `column column-${column.key}${this.readOnly ? ' is-active' : ''}`,
        id: panelId,
        dataset: { column: column.key },
        'aria-labelledby': `${panelId}-heading`,
      },
      el(
        'header',
        { class: 'column-header' },
        el('h2', { class: 'column-heading', id: `${panelId}-heading` }, column.heading),
        // The plan is read whole; a map column by itself.
        this.readOnly ? null : speakerButton(column.view === 'plan' ? 'plan' : 'column', column.key, `${panelId}-heading`),
        el('p', { class: 'column-prompt' }, column.prompt),
      ),
      el('div', { class: 'column-sections' }, ...column.sections.map((section) => this.buildSection(section.key))),
    );
    this.columns.set(column.key, { element, tab: null, count: null });
    return element;
  }

  // One row of tabs. On a wide screen: "The map" and "Our plan" (the scales are below
  // both). On a phone, one at a time: each map column, the plan and the scales, in two
  // rows if need be.
  buildTabs(mapColumns, planColumns) {
    const { tabs } = this;
    this.mapTab = columnTab({ key: 'map', heading: WORDS.theMap, panelId: 'map-view', view: 'map', only: 'wide' }).tab;
    tabs.replaceChildren(this.mapTab);
    const addTab = (key, options) => {
      const { tab, count } = columnTab({ key, ...options });
      tabs.append(tab);
      Object.assign(this.columns.get(key), { tab, count });
    };
    for (const { key, heading } of mapColumns) addTab(key, { heading, panelId: `column-${key}`, only: 'phone' });
    for (const { key, heading } of planColumns) addTab(key, { heading, panelId: 'plan-view', view: 'plan' });
    for (const extra of this.extraTabs) {
      extra.panel.classList.add('tab-panel');
      this.columns.set(extra.key, { element: extra.panel });
      addTab(extra.key, { heading: extra.heading, panelId: extra.panel.id, only: 'phone' });
    }
    show(tabs, true);
  }

  buildSection(key) {
    const label = el('h3', { class: 'section-label' });
    const list = el('div', { class: 'card-list', dataset: { sectionList: key } });
    const element = el('div', { class: 'section', dataset: { section: key } }, label, list);
    const parts = { element, label, list };
    if (this.readOnly) {
      parts.empty = el('p', { class: 'section-empty' }, WORDS.emptySection);
      element.append(parts.empty);
    } else {
      parts.addButton = el(
        'button',
        { type: 'button', class: 'button add-card', dataset: { action: 'add-card' } },
        WORDS.addCard,
      );
      parts.addSlot = el('div', { class: 'add-slot' });
      element.append(parts.addSlot, parts.addButton);
      if (key === this.composers.statement.section) {
        parts.composeButton = el(
          'button',
          { type: 'button', class: 'button add-card compose', dataset: { action: 'compose-statement' } },
          WORDS.composer.writeStatement,
        );
        element.append(parts.composeButton);
      }
      parts.sortable = Sortable.create(list, {
        group: 'cards',
        handle: '.drag-handle',
        draggable: '.card',
        // Pointer events instead of native drag and drop: the same on mouse and touch,
        // and it keeps working when the list re-renders around the drag.
        forceFallback: true,
        fallbackOnBody: true,
        animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 150,
        touchStartThreshold: 4,
        onStart: () => {
          this.dragging = true;
        },
        onEnd: (event) => this.onDrop(event),
      });
    }
    this.sections.set(key, parts);
    return element;
  }

  // --- keyed update -------------------------------------------------------------------

  // Puts the cards `ids` into `list` in order, reusing elements. The card being edited
  // stays exactly where it is (moving it would take the focus and the caret away).
  placeCards(list, ids) {
    const frozen = this.editingView()?.element ?? null;
    let cursor = list.firstElementChild;
    for (const id of ids) {
      const view = this.cardView(id);
      if (view.element === frozen) continue;
      if (frozen && cursor === frozen) cursor = cursor.nextElementSibling;
      if (view.element === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(view.element, cursor);
    }
    while (cursor) {
      const next = cursor.nextElementSibling;
      if (cursor !== frozen) cursor.remove();
      cursor = next;
    }
  }

  cardView(cardId) {
    const { board, can, meId, editingNames, scaleOfCard } = this.model;
    let view = this.cardViews.get(cardId);
    if (!view) {
      view = new CardView(cardId, { readOnly: this.readOnly });
      this.cardViews.set(cardId, view);
    }
    const card = board.cards.get(cardId);
    view.render(card, {
      can,
      meId,
      pending: board.pendingCards.has(cardId),
      editingNames: editingNames.get(cardId) ?? [],
      hasScale: scaleOfCard.has(cardId),
      scalable: this.model.template.scaled_sections.includes(card.section),
      isStatement: card.section === this.composers.statement.section,
      bottomLine: card.section === 'bottom_lines',
      attribution: attributionWords(card.attributed_to, this.model.template),
      overdue: isOverdue(card, board.meeting, this.timed, this.model.today),
      marking: audienceWords(card, this.model.template, (id) => this.model.state?.participantName(id)),
      translations: translationsOf(this.model.state?.translations ?? new Map(), 'card', cardId),
      nameOf: (id) => this.model.state?.participantName(id),
    });
    return view;
  }

  forgetGoneCards(board) {
    for (const [id, view] of this.cardViews) {
      if (board.cards.has(id)) continue;
      if (id === this.editingCardId) view.noteRemoved();
      else this.cardViews.delete(id);
    }
  }

  // Moving an element takes the focus from a button inside it: give it back.
  restoreFocus(previouslyActive) {
    const target = this.takeFocusRequest() ?? previouslyActive;
    if (target && target !== document.activeElement && target.isConnected) target.focus();
  }

  takeFocusRequest() {
    const request = this.focusAfterRender;
    this.focusAfterRender = null;
    if (!request) return null;
    const view = this.cardViews.get(request.cardId);
    return view?.element.querySelector(`[data-action="${request.action}"]`) ?? null;
  }

  editingView() {
    return this.editingCardId ? this.cardViews.get(this.editingCardId) : null;
  }

  // --- adding -------------------------------------------------------------------------

  renderAddControls(section, canAdd) {
    const parts = this.sections.get(section);
    const editor = this.addEditors.get(section);
    if (!canAdd && editor && !editor.isDirty()) this.closeAdd(section);
    else editor?.setSaveAllowed(canAdd); // unsaved words stay in the box until allowed
    show(parts.addButton, canAdd && !this.addEditors.has(section));
  }

  // A new card the server refused: its words go back into the section's editor.
  offerDraftAgain(section, draft) {
    if (!this.sections.has(section)) return;
    this.openAdd(section);
    this.addEditors.get(section).fill?.(draft); // not into a composer open there
  }

  openAdd(section) {
    const parts = this.sections.get(section);
    let editor = this.addEditors.get(section);
    if (!editor) {
      editor = createCardEditor({
        hint: WORDS.addCardHint,
        timed: this.timed.has(section),
        ...this.attribution(section),
        limits: this.model.template.limits,
        onSave: (draft) => {
          this.actions.addCard(section, draft);
          editor.clear(); // stays open for the next card: meetings add many in a row
          editor.focus();
        },
        onCancel: () => {
          this.closeAdd(section);
          parts.addButton.focus();
        },
      });
      this.addEditors.set(section, editor);
      parts.addSlot.append(editor.element);
      show(parts.addButton, false);
    }
    editor.focus();
  }

  // Bottom lines say who sets them, the council usually: offered, to change if not.
  attribution(section) {
    if (section !== 'bottom_lines') return {};
    return { attributionLabel: WORDS.whoSetsIt, attributionStart: this.model.template.bottom_line_setter };
  }

  // A composer in place of a section's "add" editor: a new statement, or the goal of one.
  openComposer(kind, statement = null) {
    const section = this.composers[kind].section;
    if (this.addEditors.has(section)) return this.addEditors.get(section).focus();
    const parts = this.sections.get(section);
    const composer = createComposer({
      kind,
      pattern: this.composers[kind].pattern,
      statement,
      harmCards: kind === 'statement' ? this.harmCards() : [],
      limits: this.model.template.limits,
      onSave: (fields) => {
        if (kind === 'statement') this.actions.addStatement(fields);
        else this.actions.addGoal(statement.id, fields);
        this.closeAdd(section);
      },
      onCancel: () => this.closeAdd(section),
    });
    this.addEditors.set(section, composer);
    parts.addSlot.append(composer.element);
    show(parts.addButton, false);
    if (parts.composeButton) show(parts.composeButton, false);
    if (kind === 'goal') this.showColumn(this.columnOf(section));
    composer.focus();
  }

  harmCards() {
    const { board } = this.model;
    return (board.order.get(this.composers.harm_section) ?? []).map((id) => board.cards.get(id));
  }

  columnOf(section) {
    return this.model.template.columns.find((column) => column.sections.some((s) => s.key === section)).key;
  }

  closeAdd(section) {
    const editor = this.addEditors.get(section);
    if (!editor) return;
    editor.element.remove();
    this.addEditors.delete(section);
    const { addButton, composeButton } = this.sections.get(section);
    show(addButton, Boolean(this.model?.can.contribute));
    if (composeButton) show(composeButton, Boolean(this.model?.can.contribute));
  }

  // --- editing ------------------------------------------------------------------------

  startEditing(cardId) {
    const current = this.editingView();
    if (current && current.cardId !== cardId) {
      // Never throw away words: finish the open card first.
      if (current.hasUnsavedDraft) return current.focusEditor();
      this.stopEditing();
    }
    const view = this.cardViews.get(cardId);
    const card = this.model.board.cards.get(cardId);
    if (!view || !card || view.isEditing) return;
    const section = card.section;
    this.editingCardId = cardId;
    const onCancel = () => this.stopEditing();
    const kind = card.worry ? 'statement' : card.goal ? 'goal' : null;
    const editor = kind
      ? createComposer({
          kind,
          card,
          pattern: this.composers[kind].pattern,
          harmCards: kind === 'statement' ? this.harmCards() : [],
          limits: this.model.template.limits,
          onSave: (fields) => {
            if (kind === 'statement') this.actions.editStatement(cardId, fields);
            else this.actions.editGoal(cardId, fields);
            this.stopEditing();
          },
          onCancel,
        })
      : createCardEditor({
          hint: WORDS.editCardHint,
          card,
          timed: this.timed.has(section),
          ...this.attribution(section),
          limits: this.model.template.limits,
          onSave: (draft) => {
            this.actions.saveCard(cardId, section, draft);
            this.stopEditing();
          },
          onCancel,
        });
    view.openEditor(card, editor);
    this.actions.editingChanged(cardId);
  }

  stopEditing() {
    const view = this.editingView();
    if (!view) return;
    view.closeEditor();
    const cardId = this.editingCardId;
    this.editingCardId = null;
    this.actions.editingChanged(null);
    this.focusAfterRender = { cardId, action: 'edit' };
    if (!this.model.board.cards.has(cardId)) this.cardViews.delete(cardId);
    this.render(this.model); // the card was held still while edited: put it in its place
  }

  // --- moving -------------------------------------------------------------------------

  onDrop(event) {
    this.dragging = false;
    const cardId = event.item.dataset.cardId;
    const moved = event.from !== event.to || event.oldIndex !== event.newIndex;
    if (moved) {
      const above = event.item.previousElementSibling;
      this.actions.moveCard(cardId, event.to.dataset.sectionList, above?.dataset.cardId ?? null);
    } else {
      this.render(this.model);
    }
  }

  toggleMoveMenu(cardId) {
    const view = this.cardViews.get(cardId);
    if (view.moveMenuOpen) return view.closeMoveMenu();
    const { board, template } = this.model;
    const section = board.cards.get(cardId).section;
    const ids = board.order.get(section);
    const index = ids.indexOf(cardId);
    const choices = [];
    if (index > 0) choices.push({ label: WORDS.moveUp, action: 'move-up' });
    if (index < ids.length - 1) choices.push({ label: WORDS.moveDown, action: 'move-down' });
    for (const column of template.columns) {
      for (const other of column.sections) {
        if (other.key === section) continue;
        const label = sectionLabel(other, board.meeting.vocabulary);
        choices.push({ label: WORDS.moveTo(label), action: 'move-to', section: other.key });
      }
    }
    view.openMoveMenu(choices);
  }

  moveByMenu(cardId, action, targetSection) {
    const { board } = this.model;
    const section = board.cards.get(cardId).section;
    const ids = board.order.get(section);
    const index = ids.indexOf(cardId);
    this.cardViews.get(cardId).closeMoveMenu();
    this.focusAfterRender = { cardId, action: 'move' };
    if (action === 'move-up') this.actions.moveCard(cardId, section, index >= 2 ? ids[index - 2] : null);
    else if (action === 'move-down') this.actions.moveCard(cardId, section, ids[index + 1]);
    else this.actions.moveCard(cardId, targetSection, board.order.get(targetSection).at(-1) ?? null);
  }

  // --- input --------------------------------------------------------------------------

  // key: a column, an extra panel, or "map" (back to the map column shown last).
  showColumn(key) {
    const chosen = key === 'map' ? this.lastMapColumn : key;
    if (this.mapKeys.includes(chosen)) this.lastMapColumn = chosen;
    const showingPlan = this.planKeys.includes(chosen);
    for (const [columnKey, { element, tab }] of this.columns) {
      element.classList.toggle('is-active', columnKey === chosen);
      tab?.setAttribute('aria-selected', String(columnKey === chosen));
    }
    this.mapTab?.setAttribute('aria-selected', String(!showingPlan));
    this.root.dataset.showing = showingPlan ? 'plan' : 'map';
  }

  onClick(event) {
    const button = event.target.closest('button[data-action]');
    if (!button || !this.model) return;
    const cardId = button.closest('[data-card-id]')?.dataset.cardId;
    const card = cardId ? this.model.board.cards.get(cardId) : null;
    const action = button.dataset.action;
    if (action === 'show-column') return this.showColumn(button.dataset.tab);
    if (action === 'add-card') return this.openAdd(button.closest('[data-section]').dataset.section);
    if (action === 'compose-statement') return this.openComposer('statement');
    if (!card) return;
    if (action === 'agree' || action === 'disagree') {
      const mine = card.stances?.[this.model.meId];
      this.actions.react(cardId, mine === action ? null : action); // pressing again clears it
    } else if (action === 'edit') {
      this.startEditing(cardId);
    } else if (action === 'delete') {
      this.actions.deleteCard(cardId);
    } else if (action === 'move') {
      this.toggleMoveMenu(cardId);
    } else if (action === 'compose-goal') {
      this.openComposer('goal', card);
    } else if (action === 'scale-for-card') {
      this.actions.scaleForCard(cardId);
    } else if (action === 'audience') {
      this.toggleAudience(cardId);
    } else if (action === 'translate') {
      this.toggleTranslate(cardId);
    } else if (action.startsWith('move-')) {
      this.moveByMenu(cardId, action, button.dataset.section);
    }
  }

  // An interpreter's "Translate": their form opens inside the card, with their own
  // translation to change if they wrote one; Save, Cancel or Escape close it and give the
  // focus back to the card's button.
  toggleTranslate(cardId) {
    const view = this.cardViews.get(cardId);
    if (view.translateForm) return view.closeTranslate();
    const { state, meId, template } = this.model;
    const language = state.me.interprets;
    const close = () => {
      view.closeTranslate();
      view.translateButton.focus();
    };
    const form = createTranslateForm({
      language,
      current: ownTranslation(state.translations, 'card', cardId, meId)?.text,
      limit: template.limits.text,
      onSave: (text) => {
        this.actions.translateCard(cardId, language, text);
        close();
      },
      onCancel: close,
    });
    view.openTranslate(form);
  }

  // "Who can see this": opened inside the card; closed by Save, Cancel or Escape, which
  // give the focus back to the card's button.
  toggleAudience(cardId) {
    const view = this.cardViews.get(cardId);
    if (view.audienceOpen) return view.closeAudience();
    const close = () => {
      view.closeAudience();
      view.audienceButton.focus();
    };
    const picker = createAudiencePicker({
      card: this.model.board.cards.get(cardId),
      kinds: this.model.template.audiences.for_cards,
      people: hideableFrom(this.model.state.participants.values()),
      onSave: (audience) => {
        this.actions.setAudience(cardId, audience);
        close();
      },
      onCancel: close,
    });
    view.openAudience(picker);
  }

  onKeydown(event) {
    if (event.key !== 'Escape') return;
    const menu = event.target.closest('.move-menu');
    if (!menu) return;
    const cardId = menu.closest('[data-card-id]').dataset.cardId;
    const view = this.cardViews.get(cardId);
    view.closeMoveMenu();
    view.moveButton.focus();
  }
}

// A tab that shows one column, the plan, or another panel (e.g. the scales). `view`:
// the tabs that switch between the map and the plan; `only`: "wide" or "phone" screens.
function columnTab({ key, heading, panelId, view, only }) {
  const count = el('span', { class: 'tab-count' });
  const tab = el(
    'button',
    {
      type: 'button',
      class: `column-tab${only ? ` ${only}-only` : ''}`,
      role: 'tab',
      'aria-controls': panelId,
      'aria-selected': 'false',
      dataset: { tab: key, action: 'show-column', ...(view && { view }) },
    },
    // One run of text, so the count sits after the last word rather than on a line of its own.
    el('span', { class: 'tab-label' }, el('span', { class: 'tab-heading' }, heading), count),
  );
  return { tab, count };
}
