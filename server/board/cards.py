"""Card ops: adding, editing, moving, removing and bringing back cards, and agreeing or
disagreeing with them. `ops.apply` hands these over after its common checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .entities import live_card, put
from .errors import N_, Forbidden, Invalid, Msgid, Nn_, NotFound, TooMany
from .limits import MAX_CARDS, MAX_CARDS_KEPT, MAX_OWNER, MAX_POSITION
from .marking import CARD_REACHES, check_people, parse_audience, require_marker
from .model import Board, Card, Change, Participant, Stance, Timing
from .parsing import ATTRIBUTION, CARD_TEXT, UNSET, Fields, Words, iso_date, words
from .positions import even_keys, key_between
from .roles import ROLE_ABILITIES
from .template import TIMED_SECTIONS
from .visibility import EVERYONE, Audience


@dataclass(frozen=True)
class CardAdd:
    section: str
    text: str
    attributed_to: str | None = None
    after: str | None = None
    card_id: str | None = None
    owner: str | None = None
    due: str | None = None
    audience: Audience = EVERYONE  # a card may be kept from some people from the start


@dataclass(frozen=True)
class CardEdit:
    card_id: str
    text: str = UNSET
    attributed_to: str | None = UNSET
    owner: str | None = UNSET
    due: str | None = UNSET


@dataclass(frozen=True)
class CardMove:
    card_id: str
    section: str
    after: str | None = None


@dataclass(frozen=True)
class CardDelete:
    card_id: str


@dataclass(frozen=True)
class CardRestore:
    card_id: str


@dataclass(frozen=True)
class CardReact:
    card_id: str
    stance: Stance | None


_OWNER = Words.optional(
    MAX_OWNER,
    Nn_(
        "Who will do it can be at most {most} character.",
        "Who will do it can be at most {most} characters.",
        "most",
    ),
    N_("Who will do it must be words or null."),
)

CardOp = CardAdd | CardEdit | CardMove | CardDelete | CardRestore | CardReact


def _parse_card_add(f: Fields) -> CardAdd:
    section = f.section()
    text = words(f.get("text", required=True), CARD_TEXT)
    attributed = f.get("attributed_to", nullable=True)
    after = f.card_id("after", required=False, nullable=True)
    card_id = f.card_id("card_id", required=False, nullable=True)
    owner, due = _timing(f)
    audience = f.get("audience")
    return CardAdd(
        section=section,
        text=text,
        attributed_to=None if attributed is UNSET else words(attributed, ATTRIBUTION) or None,
        after=None if after is UNSET else after,
        card_id=None if card_id is UNSET else card_id,
        owner=None if owner is UNSET else owner,
        due=None if due is UNSET else due,
        audience=EVERYONE if audience is UNSET else parse_audience(audience, CARD_REACHES),
    )


def _timing(f: Fields) -> tuple[Any, Any]:
    """`owner` and `due` (UNSET when not sent; None clears)."""
    owner = f.get("owner", nullable=True)
    due = f.get("due", nullable=True)
    return (
        owner if owner is UNSET else words(owner, _OWNER) or None,
        due if due in (UNSET, None) else iso_date(due, "due"),
    )


def _parse_card_edit(f: Fields) -> CardEdit:
    card_id = f.card_id()
    text = f.get("text")
    attributed = f.get("attributed_to", nullable=True)
    owner, due = _timing(f)
    if text is UNSET and attributed is UNSET and owner is UNSET and due is UNSET:
        raise Invalid("card.edit needs text, attributed_to, owner or due.")
    return CardEdit(
        card_id=card_id,
        text=UNSET if text is UNSET else words(text, CARD_TEXT),
        attributed_to=UNSET if attributed is UNSET else words(attributed, ATTRIBUTION) or None,
        owner=owner,
        due=due,
    )


def _parse_card_move(f: Fields) -> CardMove:
    card_id = f.card_id()
    section = f.section()
    after = f.card_id("after", required=True, nullable=True)
    if after == card_id:
        raise Invalid("A card cannot go below itself.")
    return CardMove(card_id=card_id, section=section, after=after)


def _parse_card_react(f: Fields) -> CardReact:
    card_id = f.card_id()
    stance = f.enum("stance", Stance, required=True, nullable=True)
    return CardReact(card_id=card_id, stance=stance)


PARSERS: Mapping[str, Callable[[Fields], CardOp]] = MappingProxyType(
    {
        "card.add": _parse_card_add,
        "card.edit": _parse_card_edit,
        "card.move": _parse_card_move,
        "card.delete": lambda f: CardDelete(f.card_id()),
        "card.restore": lambda f: CardRestore(f.card_id()),
        "card.react": _parse_card_react,
    }
)


def apply(
    board: Board, op: CardOp, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    match op:
        case CardAdd():
            return _add(board, op, actor, now, new_id)
        case CardEdit():
            return _edit(board, op, actor, now)
        case CardMove():
            return _move(board, op, actor, now)
        case CardDelete() | CardRestore():
            return _delete_or_restore(board, op, actor, now)
        case CardReact():
            return _react(board, op, actor)
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def _add(
    board: Board, op: CardAdd, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    require_timed(op.section, op.owner, op.due)
    audience = op.audience
    if audience != EVERYONE:
        require_marker(actor)
        audience = check_people(board, audience)
    card = new_card(
        board,
        op.card_id or new_id,
        op.section,
        op.text,
        actor,
        now,
        attributed_to=op.attributed_to,
        owner=op.owner,
        due=op.due,
        audience=audience,
    )
    return place(board, card, op.after)


FULL = Nn_(
    "A board can hold at most {most} card.",
    "A board can hold at most {most} cards.",
    "most",
)
_KEPT_FULL = Nn_(
    "A board keeps at most {most} card, counting removed ones (so they can be brought "
    "back): this one has no room for more.",
    "A board keeps at most {most} cards, counting removed ones (so they can be brought "
    "back): this one has no room for more.",
    "most",
)


def new_card(
    board: Board,
    card_id: str,
    section: str,
    text: str,
    actor: Participant,
    now: str,
    **more: Any,
) -> Card:
    """A card `actor` adds now (not yet placed), once its id and the board's room are
    checked; `more` are its other fields."""
    if not card_id:
        raise Invalid("Adding a card needs a card id.")
    if card_id in board.cards:
        raise Invalid("That card id is used already.")
    if len(board.live_cards()) >= MAX_CARDS:
        raise TooMany(FULL, most=MAX_CARDS)
    if len(board.cards) >= MAX_CARDS_KEPT:
        raise TooMany(_KEPT_FULL, most=MAX_CARDS_KEPT)
    return Card(
        id=card_id,
        section=section,
        text=text,
        position="",
        author=actor.id,
        created_at=now,
        updated_at=now,
        updated_by=actor.id,
        **more,
    )


def require_timed(section: str, owner: Any, due: Any) -> None:
    if section not in TIMED_SECTIONS and (owner not in (None, UNSET) or due not in (None, UNSET)):
        raise Invalid("Only safety goals, next steps and the plan say who will do it and by when.")


CHANGE_CARD = N_("Only the person who added a card, or the facilitator, can change it.")
_REMOVE_CARD = N_(
    "Only the person who added a card, or the facilitator, can remove it or bring it back."
)


def require_author_or_facilitator(actor: Participant, card: Card, refusal: Msgid) -> None:
    if not ROLE_ABILITIES[actor.role].edit_any_card and card.author != actor.id:
        raise Forbidden(refusal)


def _edit(board: Board, op: CardEdit, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    card = live_card(board, op.card_id)
    require_author_or_facilitator(actor, card, CHANGE_CARD)
    require_timed(card.section, op.owner, op.due)
    updated = card
    for name in ("text", "attributed_to", "owner", "due"):
        value = getattr(op, name)
        if value is not UNSET:
            updated = replace(updated, **{name: value})
    if updated == card:
        return board, []
    return put(board, "card", replace(updated, updated_at=now, updated_by=actor.id))


def _move(board: Board, op: CardMove, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    card = live_card(board, op.card_id)
    moved = replace(card, section=op.section, updated_at=now, updated_by=actor.id)
    return place(board, _timing_for_section(moved), op.after)


def _timing_for_section(card: Card) -> Card:
    """Who and when belong to the timed sections only: a card moved out sets them aside,
    and moved back (to any timed section) has them again."""
    if card.section in TIMED_SECTIONS:
        if card.set_aside is None:
            return card
        return replace(card, owner=card.set_aside.owner, due=card.set_aside.due, set_aside=None)
    if card.owner is None and card.due is None:
        return card
    return replace(card, owner=None, due=None, set_aside=Timing(card.owner, card.due))


def _delete_or_restore(
    board: Board, op: CardDelete | CardRestore, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    card = board.cards.get(op.card_id)
    if card is None:
        raise NotFound("That card is not on the board.")
    require_author_or_facilitator(actor, card, _REMOVE_CARD)
    restoring = isinstance(op, CardRestore)
    if card.deleted != restoring:
        return board, []  # already as asked: nothing to do
    if restoring and len(board.live_cards()) >= MAX_CARDS:
        raise TooMany(FULL, most=MAX_CARDS)
    item = board.house_items.get(card.house_item) if card.house_item else None
    if restoring and item is not None and item.deleted:
        # The child took back what it said: it comes back only if they share it again.
        raise Forbidden("The child who said this has not shared it now.")
    updated = replace(card, deleted=not restoring, updated_at=now, updated_by=actor.id)
    if restoring:
        # A re-spaced section may have given its old place away: then it goes to the end.
        siblings = board.section_cards(card.section)
        if any(c.position == card.position for c in siblings):
            return place(board, updated, siblings[-1].id)
    return put(board, "card", updated)


def _react(board: Board, op: CardReact, actor: Participant) -> tuple[Board, list[Change]]:
    card = live_card(board, op.card_id)
    stances = dict(card.stances)
    if op.stance is None:
        stances.pop(actor.id, None)
    else:
        stances[actor.id] = op.stance
    if stances == dict(card.stances):
        return board, []
    return put(board, "card", replace(card, stances=MappingProxyType(stances)))


def place(board: Board, card: Card, after: str | None) -> tuple[Board, list[Change]]:
    """Put `card` into its section just below `after` (None: at the top).

    When `after` has meanwhile left the section (a concurrent move or delete), the card
    goes to the end of the section rather than being refused: nothing the user typed is lost.
    """
    siblings = [c for c in board.section_cards(card.section) if c.id != card.id]
    ids = [c.id for c in siblings]
    if after is None:
        index = 0
    elif after in ids:
        index = ids.index(after) + 1
    else:
        index = len(siblings)
    before_key = siblings[index - 1].position if index > 0 else None
    after_key = siblings[index].position if index < len(siblings) else None
    position = key_between(before_key, after_key)
    if len(position) <= MAX_POSITION:
        return put(board, "card", replace(card, position=position))
    # Many moves to one spot made the keys long: re-space the whole section.
    ordered = [*siblings[:index], card, *siblings[index:]]
    respaced = [
        replace(c, position=key) for c, key in zip(ordered, even_keys(len(ordered)), strict=True)
    ]
    return put(board, "card", *respaced)
