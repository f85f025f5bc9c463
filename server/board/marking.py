"""Marking what not everyone may see: the facilitator hides a card (a plan item is a card
too) or a child's shared item from named people, keeps it for professionals only, or shows
it to everyone again. `visibility.py` is the rule that then keeps it from them on every
channel."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .entities import live_card, put
from .errors import Forbidden, Invalid, MinutesTaken, NotFound
from .focus import off_card
from .limits import MAX_PARTICIPANTS
from .model import Board, Change, Participant, Sharing
from .parsing import Fields, is_id, parse_enum
from .roles import ROLE_ABILITIES, Role
from .translations import follow_card
from .visibility import EVERYONE, Audience, Reach

# What the facilitator may mark a card with (the other audiences belong to other entities:
# a child's items, the family's plan).
CARD_REACHES = frozenset({Reach.EVERYONE, Reach.HIDDEN_FROM, Reach.PROFESSIONALS})


@dataclass(frozen=True)
class CardAudience:
    card_id: str
    audience: Audience


@dataclass(frozen=True)
class HouseAudience:
    """The facilitator marks a child's item shared with everyone."""

    item_id: str
    audience: Audience


MarkOp = CardAudience | HouseAudience


def parse_audience(value: Any, reaches: Collection[Reach]) -> Audience:
    """An audience from a client: `{"kind": ..., "people": [participant ids]}`, `people`
    given exactly for the kinds that name people. Whether they are in the meeting is
    `check_people`'s."""
    if not isinstance(value, Mapping) or set(value) - {"kind", "people"}:
        raise Invalid('audience must be {"kind": ..., "people": [...]}.')
    kind = parse_enum(Reach, value.get("kind"), "audience kind")
    if kind not in reaches:
        raise Invalid("This cannot be marked {kind}.", kind=kind.value)
    people = value.get("people", [])
    if not isinstance(people, list) or not all(is_id(p) for p in people):
        raise Invalid("audience people must be a list of participant ids.")
    names_people = kind in (Reach.HIDDEN_FROM, Reach.ONLY, Reach.WITH_FACILITATORS)
    if names_people and not people:
        raise Invalid("Say who: audience people must name someone.")
    if not names_people and people:
        raise Invalid("An audience of {kind} names nobody.", kind=kind.value)
    if len(people) > MAX_PARTICIPANTS:
        raise Invalid("audience people can name at most {most}.", most=MAX_PARTICIPANTS)
    return Audience(kind, tuple(sorted(set(people))))


def check_people(board: Board, audience: Audience) -> Audience:
    """The audience to keep: everyone it names is in the meeting, and nobody is hidden from
    a facilitator, who must see everything they mark. What is hidden from someone is hidden
    from the browser they joined from too (the first of its joins is named as well), so
    joining again from it does not show it."""
    hidden = audience.kind is Reach.HIDDEN_FROM
    people = set(audience.people)
    for person_id in audience.people:
        person = board.participants.get(person_id)
        if person is None or person.removed:
            raise Invalid("Someone named in who can see this is not in the meeting.")
        if hidden and person.role is Role.FACILITATOR:
            raise Invalid("A card cannot be hidden from a facilitator.")
        first = board.participants.get(person.device_key)
        if hidden and first is not None and first.role is not Role.FACILITATOR:
            people.add(first.id)
    return replace(audience, people=tuple(sorted(people)))


def require_marker(actor: Participant) -> None:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can choose who can see a card.")


def _parse_card_audience(f: Fields) -> CardAudience:
    card_id = f.card_id()
    audience = parse_audience(f.get("audience", required=True), CARD_REACHES)
    return CardAudience(card_id, audience)


def _parse_house_audience(f: Fields) -> HouseAudience:
    item_id = f.card_id("item_id")
    return HouseAudience(item_id, parse_audience(f.get("audience", required=True), CARD_REACHES))


PARSERS: Mapping[str, Callable[[Fields], MarkOp]] = MappingProxyType(
    {"card.audience": _parse_card_audience, "house.audience": _parse_house_audience}
)


def apply(board: Board, op: MarkOp, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    """Set who may see a card or a child's shared item."""
    require_marker(actor)
    if isinstance(op, HouseAudience):
        return _mark_item(board, op, actor, now)
    card = live_card(board, op.card_id)
    if card.house_item is not None:
        raise Invalid("Choose who can see this on the child's item, in their three houses.")
    return _mark_card(board, card.id, check_people(board, op.audience), actor, now)


def _mark_item(
    board: Board, op: HouseAudience, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    """Mark a child's shared item; its card on the map (if placed) is marked alike, so the
    card never shows it to those the item is kept from. Only a shared item is marked: the
    child's "only my worker" and "nobody yet" keep it from more people already. The child
    always sees their own item, so they cannot be named."""
    if board.minutes:
        raise MinutesTaken("The minutes have been taken, so the houses stay as they are now.")
    item = board.house_items.get(op.item_id)
    # An unshared item is refused exactly as a missing one, so the refusal tells nothing.
    if item is None or item.deleted or item.sharing is not Sharing.EVERYONE:
        raise NotFound("That is not shared with everyone at the meeting.")
    if item.child in op.audience.people:
        raise Invalid("A child always sees their own things.")
    audience = check_people(board, op.audience)
    if item.marking == audience:
        return board, []
    board, changes = put(board, "house_item", replace(item, marking=audience))
    marked = [replace(change, was=item.audience) for change in changes]
    if item.card_id is None or item.card_id not in board.cards:
        return board, marked
    # A card taken off the map is marked too, so bringing it back keeps it from them.
    board, card_changes = _mark_card(board, item.card_id, audience, actor, now)
    return board, [*marked, *card_changes]


def _mark_card(
    board: Board, card_id: str, audience: Audience, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    """The change carries the card's audience before, so those who could see it and now
    cannot are sent its removal, and those who now can, the card. A card kept from anyone
    leaves the spotlight, and its scale (if any) is about no card."""
    card = board.cards[card_id]
    if card.audience == audience:
        return board, []
    board, changes = put(board, "card", replace(card, audience=audience))
    marked = [replace(change, was=card.audience) for change in changes]
    # Its translations are kept from the same people as the card.
    board, followed = follow_card(board, board.cards[card_id])
    marked += followed
    if audience == EVERYONE:
        return board, marked
    board, unlit = off_card(board, card.id, actor, now)
    # Everyone sees the scales: one about this card is now about no card.
    scales = [replace(s, card_id=None) for s in board.scales.values() if s.card_id == card.id]
    board, unlinked = put(board, "scale", *scales) if scales else (board, [])
    return board, [*marked, *unlit, *unlinked]
