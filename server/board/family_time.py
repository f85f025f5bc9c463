"""A family group meeting's ops: moving its stage on, and private family time, in which the
family write a plan of their own and share it with everyone when they are ready.

Who may do what: the facilitator moves the stage, starts family time, asks the family
whether they are ready to come back, and can end it without them (audited like every op);
the family (`PLAN_READERS`: parents, children, family and friends) write their plan, answer
the facilitator, and share the plan, which ends family time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .cards import FULL
from .entities import put
from .errors import (
    N_,
    FamilyTimeNotRunning,
    FamilyTimeRunning,
    Forbidden,
    Invalid,
    Nn_,
    NotFound,
    TooMany,
)
from .family_group import Answer, Ended, FamilyItem, FamilyTime, Stage
from .limits import MAX_CARDS, MAX_FAMILY_ITEMS, MAX_FAMILY_TIME_MINUTES
from .model import Board, Card, Change, Kind, Participant
from .parsing import CARD_TEXT, UNSET, Fields, words
from .positions import key_between
from .roles import PLAN_READERS, ROLE_ABILITIES
from .template import FAMILY_ATTRIBUTION, PLAN_SECTIONS
from .times import iso, ms_between


@dataclass(frozen=True)
class StageSet:
    stage: Stage


@dataclass(frozen=True)
class FamilyTimeStart:
    back_at: str


@dataclass(frozen=True)
class FamilyTimeAsk:
    """The facilitator asks the family whether they are ready to come back."""


@dataclass(frozen=True)
class FamilyTimeAnswer:
    ready: bool


@dataclass(frozen=True)
class FamilyTimeForceEnd:
    """The facilitator ends family time without the family's yes."""


@dataclass(frozen=True)
class FamilyItemAdd:
    section: str
    text: str
    item_id: str | None = None


@dataclass(frozen=True)
class FamilyItemEdit:
    item_id: str
    text: str = UNSET
    section: str = UNSET


@dataclass(frozen=True)
class FamilyItemDelete:
    item_id: str


@dataclass(frozen=True)
class FamilyPlanShare:
    pass


FamilyGroupOp = (
    StageSet
    | FamilyTimeStart
    | FamilyTimeAsk
    | FamilyTimeAnswer
    | FamilyTimeForceEnd
    | FamilyItemAdd
    | FamilyItemEdit
    | FamilyItemDelete
    | FamilyPlanShare
)

NOT_FAMILY_GROUP = N_("Family time is part of family group meetings only.")
_BACK_AT = N_("back_at must be a time like 2026-12-01T14:30:00Z.")


def first_stage(kind: Kind) -> Stage | None:
    """The stage a new meeting of `kind` starts at (only family group meetings have any)."""
    return Stage.INFORMATION if kind is Kind.FAMILY_GROUP else None


def _plan_section(f: Fields, *, required: bool = True) -> Any:
    value = f.string("section", required=required)
    if value is not UNSET and value not in PLAN_SECTIONS:
        raise Invalid("The family's plan has no section called {section!r}.", section=value)
    return value


def _parse_back_at(f: Fields) -> FamilyTimeStart:
    value = f.string("back_at", required=True)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(_BACK_AT) from None
    if when.tzinfo is None:
        raise Invalid("back_at needs its time zone (Z for UTC).")
    return FamilyTimeStart(iso(when.timestamp()))


def _parse_add(f: Fields) -> FamilyItemAdd:
    section = _plan_section(f)
    text = words(f.get("text", required=True), CARD_TEXT)
    item_id = f.card_id("item_id", required=False)
    return FamilyItemAdd(section, text, None if item_id is UNSET else item_id)


def _parse_edit(f: Fields) -> FamilyItemEdit:
    item_id = f.card_id("item_id")
    text = f.get("text")
    section = _plan_section(f, required=False)
    if text is UNSET and section is UNSET:
        raise Invalid("family_plan.edit needs text or section.")
    return FamilyItemEdit(item_id, UNSET if text is UNSET else words(text, CARD_TEXT), section)


def _parse_answer(f: Fields) -> FamilyTimeAnswer:
    ready = f.get("ready", required=True)
    if not isinstance(ready, bool):
        raise Invalid("ready must be true or false.")
    return FamilyTimeAnswer(ready)


def _parse_stage(f: Fields) -> StageSet:
    stage = f.enum("stage", Stage, required=True)
    if stage is Stage.FAMILY_TIME:
        raise Invalid("Start family time with the time the family will be back.")
    return StageSet(stage)


PARSERS: Mapping[str, Callable[[Fields], FamilyGroupOp]] = MappingProxyType(
    {
        "meeting.stage": _parse_stage,
        "family_time.start": _parse_back_at,
        "family_time.ask": lambda f: FamilyTimeAsk(),
        "family_time.answer": _parse_answer,
        "family_time.force_end": lambda f: FamilyTimeForceEnd(),
        "family_plan.add": _parse_add,
        "family_plan.edit": _parse_edit,
        "family_plan.delete": lambda f: FamilyItemDelete(f.card_id("item_id")),
        "family_plan.share": lambda f: FamilyPlanShare(),
    }
)

_FACILITATOR_OPS = (StageSet, FamilyTimeStart, FamilyTimeAsk, FamilyTimeForceEnd)


def apply(
    board: Board, op: FamilyGroupOp, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    if board.meeting.kind is not Kind.FAMILY_GROUP:
        raise Invalid(NOT_FAMILY_GROUP)
    if isinstance(op, _FACILITATOR_OPS):
        if not ROLE_ABILITIES[actor.role].run_meeting:
            raise Forbidden("Only the facilitator can do that.")
    elif actor.role not in PLAN_READERS:
        raise Forbidden("Only the family can do that: it is their plan.")
    match op:
        case StageSet():
            _not_running(board)
            return _set_stage(board, op.stage)
        case FamilyTimeStart():
            return _start(board, op, actor, now)
        case FamilyTimeAsk():
            time = _running(board)
            return put(board, "family_time", replace(time, asked_at=now, answer=None))
        case FamilyTimeAnswer():
            return _answer(board, op, actor, now)
        case FamilyTimeForceEnd():
            return _end(board, _running(board), actor, now, Ended.FORCED)
        case FamilyPlanShare():
            return _share(board, actor, now, new_id)
    return _write(board, op, actor, now, new_id)


def _running(board: Board) -> FamilyTime:
    """Family time, refused unless it is on."""
    time = board.family_time.get("family_time")
    if time is None or not time.running:
        raise FamilyTimeNotRunning("Family time is not on now.")
    return time


def _not_running(board: Board) -> None:
    time = board.family_time.get("family_time")
    if time is not None and time.running:
        raise FamilyTimeRunning("Family time is on: it ends when the family are back.")


def _set_stage(board: Board, stage: Stage) -> tuple[Board, list[Change]]:
    if board.meeting.stage is stage:
        return board, []
    meeting = replace(board.meeting, stage=stage)
    return replace(board, meeting=meeting), [Change("meeting", meeting.id, meeting)]


_TOO_LONG = Nn_(
    "Family time can be at most {hours} hour: please check the time.",
    "Family time can be at most {hours} hours: please check the time.",
    "hours",
)


def _start(
    board: Board, op: FamilyTimeStart, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    _not_running(board)
    away = ms_between(now, op.back_at)
    if away <= 0:
        raise Invalid("The time the family will be back has passed already.")
    if away > MAX_FAMILY_TIME_MINUTES * 60_000:
        raise Invalid(_TOO_LONG, hours=MAX_FAMILY_TIME_MINUTES // 60)
    board, stage = _set_stage(board, Stage.FAMILY_TIME)
    board, time = put(board, "family_time", FamilyTime(now, actor.id, op.back_at))
    return board, stage + time


def _answer(
    board: Board, op: FamilyTimeAnswer, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    time = _running(board)
    if time.asked_at is None:
        raise Invalid("Nobody has asked the family to come back yet.")
    if op.ready:
        return _end(board, time, actor, now, Ended.READY)
    return put(board, "family_time", replace(time, answer=Answer.NOT_YET, answered_by=actor.id))


def _end(
    board: Board, time: FamilyTime, actor: Participant, now: str, how: Ended
) -> tuple[Board, list[Change]]:
    """Family time over: everyone is back together, agreeing the plan."""
    board, ended = put(
        board, "family_time", replace(time, ended_at=now, ended_by=actor.id, ended=how)
    )
    board, stage = _set_stage(board, Stage.AGREEING)
    return board, ended + stage


_PLAN_FULL = Nn_(
    "The family's plan can have at most {most} line.",
    "The family's plan can have at most {most} lines.",
    "most",
)


def _write(
    board: Board,
    op: FamilyItemAdd | FamilyItemEdit | FamilyItemDelete,
    actor: Participant,
    now: str,
    new_id: str,
) -> tuple[Board, list[Change]]:
    """The family's plan is written in family time only."""
    _running(board)
    if isinstance(op, FamilyItemAdd):
        item_id = op.item_id or new_id
        if item_id in board.family_plan:
            raise Invalid("That id is used already.")
        if len(board.family_plan) >= MAX_FAMILY_ITEMS:
            raise TooMany(_PLAN_FULL, most=MAX_FAMILY_ITEMS)
        added = FamilyItem(item_id, op.section, op.text, actor.id, now, now, actor.id)
        return put(board, "family_item", added)
    item = board.family_plan.get(op.item_id)
    if item is None or item.deleted or item.shared_as is not None:
        raise NotFound("That is not in the family's plan any more.")
    if isinstance(op, FamilyItemDelete):
        updated = replace(item, deleted=True)
    else:
        updated = replace(
            item,
            text=item.text if op.text is UNSET else op.text,
            section=item.section if op.section is UNSET else op.section,
        )
        if updated == item:
            return board, []
    return put(board, "family_item", replace(updated, updated_at=now, updated_by=actor.id))


def _share(board: Board, actor: Participant, now: str, new_id: str) -> tuple[Board, list[Change]]:
    """Every line of the family's plan not shared yet becomes a card at the end of its plan
    section, by the family member who wrote it and "said by the family"; family time, if it
    is still on, ends."""
    time = board.family_time.get("family_time")
    items = sorted(
        (i for i in board.family_plan.values() if not i.deleted and i.shared_as is None),
        key=lambda i: (i.created_at, i.id),
    )
    if time is None or (not time.running and not items):
        raise FamilyTimeNotRunning("Family time is not on, and there is no plan to share.")
    if len(board.live_cards()) + len(items) > MAX_CARDS:
        raise TooMany(FULL, most=MAX_CARDS)
    changes: list[Change] = []
    for number, item in enumerate(items, start=1):
        card_id = f"{new_id}-{number}"
        board, card = put(board, "card", _card_of(board, item, card_id, actor, now))
        board, shared = put(board, "family_item", replace(item, shared_as=card_id))
        changes += card + shared
    if time.running:
        board, ended = _end(board, time, actor, now, Ended.SHARED)
        changes += ended
    return board, changes


def _card_of(board: Board, item: FamilyItem, card_id: str, actor: Participant, now: str) -> Card:
    siblings = board.section_cards(item.section)
    return Card(
        id=card_id,
        section=item.section,
        text=item.text,
        position=key_between(siblings[-1].position if siblings else None, None),
        author=item.author,
        created_at=now,
        updated_at=now,
        updated_by=actor.id,
        attributed_to=FAMILY_ATTRIBUTION,
    )
