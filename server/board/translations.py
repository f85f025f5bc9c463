"""Interpreters' translations (`card.translate`): an interpreter writes, or writes again, their
translation of a card (a worry statement, a safety goal and a plan item are cards too) or
of a reason given in a revealed round, into the language they interpret. The original is
never touched. Who may read a translation is the one visibility rule's (`Reach.LANGUAGE`):
those who chose its language, its interpreter and the facilitators, and only while they may
see what it translates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from .entities import live_card, put
from .errors import Forbidden, Invalid, Nn_, NotFound, TooLong, TooMany
from .languages import BY_CODE, DEFAULT
from .limits import MAX_TEXT, MAX_TRANSLATIONS
from .model import Board, Card, Change, Participant
from .parsing import UNSET, Fields
from .roles import Role
from .scaling_model import RoundStatus, Vote
from .translation_model import Target, Translation, translation_id
from .visibility import EVERYONE, Audience, Reach

# What an interpreter may translate into: every language Kinboard speaks but English, in
# which everything is written first.
INTERPRETED = frozenset(code for code in BY_CODE if code != DEFAULT)


@dataclass(frozen=True)
class CardTranslate:
    """An interpreter's translation of `target` into `language` (replacing their own)."""

    target_kind: Target
    target: str
    language: str
    text: str

    @property
    def card_id(self) -> str | None:
        """The card it translates, for the rule that a card kept from the interpreter is,
        to them, not on the board (`ops.apply`)."""
        return self.target if self.target_kind is Target.CARD else None


_TOO_LONG = Nn_(
    "A translation can have at most {most} character.",
    "A translation can have at most {most} characters.",
    "most",
)


def _parse(f: Fields) -> CardTranslate:
    card_id = f.card_id(required=False)
    round_id = f.card_id("round_id", required=False)
    voter = f.string("voter")
    if (card_id is UNSET) == (round_id is UNSET) or (round_id is UNSET) != (voter is UNSET):
        raise Invalid("card.translate needs card_id, or round_id and voter for a reason.")
    language = f.string("language", required=True)
    text = str(f.string("text", required=True)).strip()
    if not text:
        raise Invalid("A translation needs some words.")
    if len(text) > MAX_TEXT:
        raise TooLong(_TOO_LONG, most=MAX_TEXT)
    if card_id is not UNSET:
        return CardTranslate(Target.CARD, card_id, language, text)
    return CardTranslate(Target.REASON, f"{round_id}/{voter}", language, text)


PARSERS: Mapping[str, Callable[[Fields], CardTranslate]] = MappingProxyType(
    {"card.translate": _parse}
)


_TOO_MANY = Nn_(
    "A board can keep at most {most} translation.",
    "A board can keep at most {most} translations.",
    "most",
)


def apply(
    board: Board, op: CardTranslate, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    if actor.role is not Role.INTERPRETER:
        raise Forbidden("Only an interpreter can add a translation.")
    if op.language not in INTERPRETED:
        raise Invalid("There is no language {code} to translate into.", code=op.language)
    if op.language != actor.interprets:
        raise Forbidden(
            "You translate into {held} in this meeting, not {asked}.",
            held=actor.interprets or "",
            asked=op.language,
        )
    within = _target_audience(board, op)
    audience = Audience(Reach.LANGUAGE, (actor.id,), op.language, within)
    translation_key = translation_id(op.target_kind, op.target, actor.id)
    before = board.translations.get(translation_key)
    translation = Translation(
        translation_key, op.target_kind, op.target, op.language, op.text, actor.id, now, audience
    )
    if before is not None and before == replace(translation, translated_at=before.translated_at):
        return board, []  # the same words again change nothing
    if before is None and len(board.translations) >= MAX_TRANSLATIONS:
        raise TooMany(_TOO_MANY, most=MAX_TRANSLATIONS)
    return put(board, "translation", translation)


def _target_audience(board: Board, op: CardTranslate) -> Audience | None:
    """Who may see what is translated (None: everyone), or NotFound if it is not there."""
    if op.target_kind is Target.CARD:
        return _within(live_card(board, op.target))
    if _reason(board, op.target) is None:
        raise NotFound("That reason is not on the board.")
    return None  # everyone sees the scales and their revealed rounds


def _reason(board: Board, target: str) -> Vote | None:
    """The revealed vote with a reason that `target` ("<round id>/<voter>") names, if any."""
    round_id, _, voter = target.partition("/")
    round_ = board.rounds.get(round_id)
    scale = board.scales.get(round_.scale_id) if round_ else None
    if round_ is None or scale is None or scale.deleted:
        return None
    if round_.status is not RoundStatus.REVEALED:
        return None
    return next((v for v in round_.votes if v.voter == voter and v.reason), None)


def _within(card: Card) -> Audience | None:
    return None if card.audience == EVERYONE else card.audience


def follow_card(board: Board, card: Card) -> tuple[Board, list[Change]]:
    """The translations of a card whose marking changed, kept from whoever the card now is:
    each change carries its audience before, so those who no longer may see it are sent its
    removal (visibility.changes_for)."""
    moved = [
        (t, replace(t, audience=replace(t.audience, within=_within(card))))
        for t in board.translations.values()
        if t.target_kind is Target.CARD and t.target == card.id
    ]
    moved = [(old, new) for old, new in moved if old != new]
    if not moved:
        return board, []
    board, changes = put(board, "translation", *(new for _, new in moved))
    return board, [replace(c, was=old.audience) for c, (old, _) in zip(changes, moved, strict=True)]


def follow_edits(before: Board, after: Board, changes: list[Change]) -> tuple[Board, list[Change]]:
    """After any op: the translations of each card whose words it changed are marked
    outdated, in the same op, so nobody reads an old translation as the card's words."""
    edited = {
        c.id
        for c in changes
        if c.entity == "card"
        and isinstance(c.value, Card)
        and (old := before.cards.get(c.id)) is not None
        and old.text != c.value.text
    }
    if not edited or not after.translations:
        return after, changes
    outdated = [
        replace(t, outdated=True)
        for t in after.translations.values()
        if t.target_kind is Target.CARD and t.target in edited and not t.outdated
    ]
    if not outdated:
        return after, changes
    after, marked = put(after, "translation", *outdated)
    return after, [*changes, *marked]


def by_target(board: Board) -> dict[tuple[Target, str], list[Translation]]:
    """The translations shown, by what they translate."""
    found: dict[tuple[Target, str], list[Translation]] = {}
    for translation in shown(board):
        found.setdefault((translation.target_kind, translation.target), []).append(translation)
    return found


def shown(board: Board) -> list[Translation]:
    """The translations of what is on the board now (a removed card's wait for its undo),
    oldest first."""
    return sorted(
        (t for t in board.translations.values() if _target_live(board, t)),
        key=lambda t: (t.translated_at, t.id),
    )


def _target_live(board: Board, translation: Translation) -> bool:
    if translation.target_kind is Target.CARD:
        card = board.cards.get(translation.target)
        return card is not None and not card.deleted
    return _reason(board, translation.target) is not None
