"""The child's three houses: worries, good things and dreams. A child puts words, a picture
or a drawing in them, and chooses who can see each one: everyone at the meeting, only their
worker (the meeting's facilitators), or nobody yet. Items not shared with everyone live in
`Board.private_items`, a secret part of the board; shared ones in `Board.house_items`. A
facilitator can place a shared item on the map as a card attributed "Ava (9)"."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from . import cards
from .drawing import strokes
from .entities import put
from .errors import N_, Forbidden, Invalid, MinutesTaken, Nn_, NotFound, TooMany
from .limits import MAX_AGE, MAX_HOUSE_ITEMS, MAX_HOUSE_WORDS, MIN_AGE
from .model import Board, Change, House, HouseItem, Participant, Sharing
from .parsing import UNSET, Fields, Words, whole_number, words
from .roles import ROLE_ABILITIES, Role
from .visibility import visible

# The words a placed picture's or drawing's card starts with: language -> picture id (or
# DRAWING) -> words, e.g. "pl" -> "1F415" -> "Obrazek: pies".
PlacedWords = Mapping[str, Mapping[str, str]]
DRAWING = "drawing"
NO_PLACED_WORDS: PlacedWords = MappingProxyType({})


@dataclass(frozen=True)
class Content:
    """What an item holds: exactly one of words, a picture id, or strokes."""

    words: str | None = None
    picture: str | None = None
    strokes: tuple[tuple[int, ...], ...] | None = None


@dataclass(frozen=True)
class HouseAdd:
    item_id: str
    house: House
    content: Content
    sharing: Sharing = Sharing.NOBODY


@dataclass(frozen=True)
class HouseEdit:
    item_id: str
    house: House | None = None
    content: Content | None = None


@dataclass(frozen=True)
class HouseShare:
    item_id: str
    sharing: Sharing


@dataclass(frozen=True)
class HouseRemove:
    item_id: str


@dataclass(frozen=True)
class HousePlace:
    """A facilitator puts a shared item on the map as a card."""

    item_id: str
    section: str
    after: str | None = None
    card_id: str | None = None


@dataclass(frozen=True)
class ChildAge:
    participant_id: str
    age: int | None


HouseOp = HouseAdd | HouseEdit | HouseShare | HouseRemove | HousePlace | ChildAge

_WORDS = Words(
    MAX_HOUSE_WORDS,
    Nn_(
        "That is a lot of words! Please use at most {most} letter.",
        "That is a lot of words! Please use at most {most} letters.",
        "most",
    ),
    N_("words must be a string."),
    N_("Please write or say something first."),
)
_AGE = N_("age is a whole number from {low} to {high}, or null.")
_NOT_YOURS = N_("That is not one of your things.")
_FROZEN = N_("The minutes have been taken, so your houses stay as they are now.")


def _content(f: Fields, *, required: bool) -> Content | None:
    given = {name: f.get(name) for name in ("words", "picture", "strokes")}
    given = {name: value for name, value in given.items() if value is not UNSET}
    if len(given) > 1 or (required and not given):
        raise Invalid("An item holds one thing: words, a picture or a drawing.")
    if not given:
        return None
    if "words" in given:
        return Content(words=words(given["words"], _WORDS))
    if "picture" in given:
        picture = given["picture"]
        if not isinstance(picture, str) or not picture:
            raise Invalid("picture must be the id of a picture.")
        return Content(picture=picture)
    return Content(strokes=strokes(given["strokes"]))


def _parse_add(f: Fields) -> HouseAdd:
    item_id = f.card_id("item_id")
    house = f.enum("house", House, required=True)
    sharing = f.enum("sharing", Sharing)
    content = _content(f, required=True)
    assert content is not None  # required above
    return HouseAdd(item_id, house, content, Sharing.NOBODY if sharing is UNSET else sharing)


def _parse_edit(f: Fields) -> HouseEdit:
    item_id = f.card_id("item_id")
    house = f.enum("house", House)
    content = _content(f, required=False)
    if house is UNSET and content is None:
        raise Invalid("house.edit needs house, words, picture or strokes.")
    return HouseEdit(item_id, None if house is UNSET else house, content)


def _parse_place(f: Fields) -> HousePlace:
    item_id = f.card_id("item_id")
    section = f.section()
    after = f.card_id("after", required=False, nullable=True)
    card_id = f.card_id("card_id", required=False, nullable=True)
    return HousePlace(
        item_id, section, None if after is UNSET else after, None if card_id is UNSET else card_id
    )


def _parse_age(f: Fields) -> ChildAge:
    participant_id = f.card_id("participant_id")
    age = f.get("age", required=True, nullable=True)
    return ChildAge(
        participant_id, None if age is None else whole_number(age, MIN_AGE, MAX_AGE, _AGE)
    )


PARSERS: Mapping[str, Callable[[Fields], HouseOp]] = MappingProxyType(
    {
        "house.add": _parse_add,
        "house.edit": _parse_edit,
        "house.share": lambda f: HouseShare(
            f.card_id("item_id"), f.enum("sharing", Sharing, required=True)
        ),
        "house.remove": lambda f: HouseRemove(f.card_id("item_id")),
        "house.place": _parse_place,
        "child.age": _parse_age,
    }
)


# --- reading ------------------------------------------------------------------------------


def _live(values: Iterable[HouseItem]) -> list[HouseItem]:
    return sorted((i for i in values if not i.deleted), key=lambda i: (i.created_at, i.id))


def items(board: Board) -> list[HouseItem]:
    """Every live item, shared or not, oldest first."""
    return _live((*board.house_items.values(), *board.private_items.values()))


def shared_items(board: Board) -> list[HouseItem]:
    """The live items shared with everyone at the meeting, oldest first."""
    return _live(board.house_items.values())


def private_items(board: Board) -> list[HouseItem]:
    """The live items not shared with everyone (the secret part of the board), oldest first."""
    return _live(board.private_items.values())


def content_free(item: HouseItem, now: str) -> HouseItem:
    """What stays of a shared item taken back or removed: a tombstone without its content."""
    # It keeps its marking, so its removal goes only to those who saw it.
    return HouseItem(
        item.id,
        item.child,
        item.house,
        item.sharing,
        item.created_at,
        now,
        deleted=True,
        marking=item.marking,
    )


def attribution(child: Participant) -> str:
    """How the map names what a child said: "Ava (9)", or "Ava" without an age."""
    return child.name if child.age is None else f"{child.name} ({child.age})"


# --- applying ------------------------------------------------------------------------------


def apply(
    board: Board,
    op: HouseOp,
    actor: Participant,
    now: str,
    new_id: str,
    pictures: Mapping[str, str],
    placed: PlacedWords = NO_PLACED_WORDS,
) -> tuple[Board, list[Change]]:
    """`pictures`: the bundled set, id -> its plain name, which picture ids must be in;
    `placed`: the words a placed picture's or drawing's card starts with, per language."""
    match op:
        case HousePlace():
            return _place(board, op, actor, now, new_id, pictures, placed)
        case ChildAge():
            return _age(board, op, actor)
    if actor.role is not Role.CHILD:
        raise Forbidden("Only a child can put things in their houses.")
    if board.minutes:
        raise MinutesTaken(_FROZEN)
    match op:
        case HouseAdd():
            return _add(board, op, actor, now, pictures)
        case HouseEdit():
            return _edit(board, op, actor, now, pictures)
        case HouseShare():
            item = _own_item(board, op.item_id, actor)
            return _store(board, item, replace(item, sharing=op.sharing, updated_at=now))
        case HouseRemove():
            item = _own_item(board, op.item_id, actor)
            return _store(board, item, replace(item, deleted=True, updated_at=now))
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def _checked(content: Content, pictures: Mapping[str, str]) -> Content:
    if content.picture is not None and content.picture not in pictures:
        raise Invalid("That picture is not one we have.")
    return content


_HOUSES_FULL = Nn_(
    "Your houses are full: they hold {most} thing at most.",
    "Your houses are full: they hold {most} things at most.",
    "most",
)


def _add(
    board: Board, op: HouseAdd, actor: Participant, now: str, pictures: Mapping[str, str]
) -> tuple[Board, list[Change]]:
    content = _checked(op.content, pictures)
    if op.item_id in board.house_items or op.item_id in board.private_items:
        raise Invalid("That item id is used already.")
    if sum(1 for i in items(board) if i.child == actor.id) >= MAX_HOUSE_ITEMS:
        raise TooMany(_HOUSES_FULL, most=MAX_HOUSE_ITEMS)
    item = HouseItem(
        op.item_id,
        actor.id,
        op.house,
        op.sharing,
        now,
        now,
        words=content.words,
        picture=content.picture,
        strokes=content.strokes,
    )
    return _store(board, None, item)


def _edit(
    board: Board, op: HouseEdit, actor: Participant, now: str, pictures: Mapping[str, str]
) -> tuple[Board, list[Change]]:
    item = _own_item(board, op.item_id, actor)
    updated = replace(item, updated_at=now, house=op.house or item.house)
    if op.content is not None:
        content = _checked(op.content, pictures)
        updated = replace(
            updated, words=content.words, picture=content.picture, strokes=content.strokes
        )
    return _store(board, item, updated)


def _own_item(board: Board, item_id: str, actor: Participant) -> HouseItem:
    """The actor's own live item. Someone else's unshared item is refused exactly as one
    that does not exist, so the refusal tells nothing of it."""
    shared = board.house_items.get(item_id)
    # One the facilitator kept from the actor is, to them, missing too.
    seen = shared is not None and not shared.deleted and visible(actor.viewer, shared)
    if seen and shared is not None and shared.child != actor.id:
        raise Forbidden("Only the child who made it can change that.")
    item = board.private_items.get(item_id) or shared
    if item is None or item.deleted or item.child != actor.id:
        raise NotFound(_NOT_YOURS)
    return item


def _store(board: Board, old: HouseItem | None, new: HouseItem) -> tuple[Board, list[Change]]:
    """Write `new` where its sharing keeps it: shared with everyone on the board, else in
    the secret part; moving out of either removes it there (a shared one leaves a tombstone
    without its content, and takes its card off the map)."""
    changes: list[Change] = []
    was_shared = old is not None and old.sharing is Sharing.EVERYONE
    shared = new.sharing is Sharing.EVERYONE and not new.deleted
    if old is not None and not was_shared and (shared or new.deleted):
        board, changes = _put_private(board, old.id, None)
    if old is not None and was_shared and not shared:
        board, changes = _unshare(board, old, new.updated_at)
    if shared:
        board, more = put(board, "house_item", new)
        changes += more
    elif not new.deleted:
        board, more = _put_private(board, new.id, new)
        changes += more
    return board, changes


def _unshare(board: Board, item: HouseItem, now: str) -> tuple[Board, list[Change]]:
    board, changes = put(board, "house_item", content_free(item, now))
    card = board.cards.get(item.card_id) if item.card_id else None
    if card is not None and not card.deleted:
        # Off the map, and without the child's words, even as a tombstone.
        removed = replace(card, text="", deleted=True, updated_at=now, updated_by=item.child)
        board, more = put(board, "card", removed)
        changes += more
    return board, changes


def _put_private(board: Board, item_id: str, item: HouseItem | None) -> tuple[Board, list[Change]]:
    merged = dict(board.private_items)
    if item is None:
        merged.pop(item_id, None)
    else:
        merged[item_id] = item
    change = Change("private_item", item_id, item, deleted=item is None)
    return replace(board, private_items=MappingProxyType(merged)), [change]


def _place(
    board: Board,
    op: HousePlace,
    actor: Participant,
    now: str,
    new_id: str,
    pictures: Mapping[str, str],
    placed_words: PlacedWords,
) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can put a child's things on the map.")
    item = board.house_items.get(op.item_id)
    # Unshared items are refused exactly as missing ones.
    if item is None or item.deleted:
        raise NotFound("That is not shared with everyone at the meeting.")
    placed = board.cards.get(item.card_id) if item.card_id else None
    if placed is not None and not placed.deleted:
        raise Invalid("That is on the map already.")
    child = board.participants[item.child]
    add = cards.CardAdd(
        section=op.section,
        text=_card_text(item, pictures, placed_words, board.meeting.language),
        attributed_to=attribution(child),
        after=op.after,
        card_id=op.card_id,
        # The card is kept from whoever the item is kept from (marking.py keeps them alike).
        audience=item.marking,
    )
    board, changes = cards.apply(board, add, actor, now, new_id)
    card_id = op.card_id or new_id
    linked = replace(board.cards[card_id], house_item=item.id)
    board, card_changes = put(board, "card", linked)
    board, item_changes = put(board, "house_item", replace(item, card_id=card_id))
    # The card's own change is replaced by the linked one: each entity once per op.
    others = [c for c in changes if not (c.entity == "card" and c.id == card_id)]
    return board, others + card_changes + item_changes


def _card_text(item: HouseItem, pictures: Mapping[str, str], placed: PlacedWords, code: str) -> str:
    """A picture's or a drawing's card starts with words in the meeting's language, as if the
    facilitator had written them (the server gives them: `placed`); English where it has none."""
    if item.words is not None:
        return item.words
    words = placed.get(code, {})
    if item.picture is not None:
        return words.get(item.picture) or f"A picture: {pictures.get(item.picture, 'a picture')}"
    return words.get(DRAWING) or "A drawing"


def _age(board: Board, op: ChildAge, actor: Participant) -> tuple[Board, list[Change]]:
    if actor.id != op.participant_id and not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator or the child can say how old they are.")
    child = board.participants.get(op.participant_id)
    if child is None or child.removed:
        raise NotFound("That person is not in the meeting.")
    if child.role is not Role.CHILD:
        raise Invalid("Only a child's age is shown.")
    if child.age == op.age:
        return board, []
    return put(board, "participant", replace(child, age=op.age))
