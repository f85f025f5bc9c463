"""The wire format: what clients are sent of the board, its changes and the template."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from . import houses, scaling, translations
from .agenda import agenda_of
from .codec import encode_entity, plain
from .focus import focus_of
from .languages import BY_CODE, LANGUAGES
from .limits import (
    MAX_ANCHOR,
    MAX_ATTRIBUTION,
    MAX_FAMILY_TIME_MINUTES,
    MAX_LABEL,
    MAX_LINK_DAYS,
    MAX_NAME,
    MAX_NOTE,
    MAX_OWNER,
    MAX_PART,
    MAX_QUESTION,
    MAX_REASON,
    MAX_STEP,
    MAX_STEPS,
    MAX_TEXT,
    MAX_TIMER_SECONDS,
    MAX_TITLE,
    MIN_TIMER_SECONDS,
)
from .marking import CARD_REACHES
from .model import STATUS_ALLOWS, Board, Change, Entity, Participant, Vocabulary
from .readiness import readiness_of
from .roles import PERSON_LINK_ROLES, PLAN_READERS, ROLE_ABILITIES, SELF_CHOSEN_ROLES, Role
from .scaling_model import Answered, Round, RoundStatus, Vote
from .summary import summarise
from .template import (
    AUDIENCE_LABELS,
    BOTTOM_LINE_SETTER,
    COLUMNS,
    FAMILY_ATTRIBUTION,
    GOAL_PATTERN,
    GOAL_SECTION,
    GROUP_LABELS,
    HARM_SECTION,
    HOUSE_LABELS,
    OUTCOME_LABELS,
    REVIEW_PROMPTS,
    ROLE_LABELS,
    SCALED_SECTIONS,
    STAGE_LABELS,
    STATEMENT_PATTERN,
    STATEMENT_SECTION,
    TIMED_SECTIONS,
    UNCONFIRMED_LABEL,
)
from .translations import INTERPRETED
from .visibility import (
    ANYONE,
    AUDIENCE_KEY,
    EVERYONE,
    WAS_KEY,
    Reach,
    Viewer,
    encode_audience,
    visible,
)


def _public(value: Entity) -> dict[str, Any]:
    """An entity as participants see it: no tombstone flag; a revealed round with its
    summary."""
    data = encode_entity(value)
    data.pop("deleted", None)
    if isinstance(value, Round):
        voices: list[Answered | Vote] = [*value.answered, *value.votes]
        for entry, voice in zip([*data["answered"], *data["votes"]], voices, strict=True):
            entry["group"] = voice.group.value
        if value.status is RoundStatus.REVEALED:
            data["summary"] = summarise(value.votes)
        else:
            # For the facilitator's "Leave this one out": whose answers may be one person's.
            data["likely_duplicates"] = [
                [a.voter for a in group] for group in scaling.likely_duplicates(value)
            ]
    return data


def encode_change(change: Change) -> dict[str, Any]:
    """A change as the op log keeps it. One that not everyone may see carries its audience
    (and the one before, when it moved), for `visibility.changes_for` to copy per viewer."""
    if change.secret:
        raise ValueError("secret changes are never encoded for clients")
    data: dict[str, Any] = {"entity": change.entity, "id": change.id}
    if change.deleted or change.value is None:
        data["deleted"] = True
    else:
        data["value"] = _public(change.value)
    if change.audience != EVERYONE:
        data[AUDIENCE_KEY] = encode_audience(change.audience)
    if change.was is not None and change.was != change.audience:
        data[WAS_KEY] = encode_audience(change.was)
    return data


def encode_me(me: Participant) -> dict[str, Any]:
    """The participant a client acts as, with what their role may do (the page offers only
    that; the server checks every op anyway)."""
    return {**encode_entity(me), "can": _abilities(me.role)}


def _abilities(role: Role) -> dict[str, bool]:
    can = ROLE_ABILITIES[role]
    return {f.name: getattr(can, f.name) for f in fields(can)}


def encode_board(board: Board, viewer: Viewer = ANYONE) -> dict[str, Any]:
    """The board as `viewer` may see it: live cards and scales, and the rounds of live
    scales. Open rounds say who has answered, never what; secret ballots are not here;
    nothing `viewer` may not see (visibility.py) is either."""
    cards = sorted(
        (c for c in board.live_cards() if visible(viewer, c)),
        key=lambda c: (c.section, c.position, c.id),
    )
    scales = board.live_scales()
    return {
        "meeting": encode_entity(board.meeting),
        "participants": [
            encode_entity(p)
            for p in sorted(board.participants.values(), key=lambda p: (p.joined_at, p.id))
        ],
        "cards": [_public(card) for card in cards],
        "scales": [_public(scale) for scale in scales],
        "rounds": [_public(r) for scale in scales for r in board.scale_rounds(scale.id)],
        "decision": _public(board.decision["decision"]) if board.decision else None,
        "minutes": [_public(m) for m in sorted(board.minutes.values(), key=lambda m: m.number)],
        "family_time": _public(board.family_time["family_time"]) if board.family_time else None,
        # The family's own plan, on the family's screens only (visibility.py).
        "family_plan": [
            _public(item)
            for item in sorted(board.family_plan.values(), key=lambda i: (i.created_at, i.id))
            if not item.deleted and visible(viewer, item)
        ],
        **encode_steering(board),
        # Children's items shared with everyone (less any kept from `viewer`); unshared ones
        # are a secret part of the board.
        "house_items": [_public(i) for i in houses.shared_items(board) if visible(viewer, i)],
        # Interpreters' translations, to those who read their language (visibility.py).
        "translations": [_public(t) for t in translations.shown(board) if visible(viewer, t)],
    }


def encode_steering(board: Board) -> dict[str, Any]:
    """Where the meeting is: its agenda and step, what is spotlit (null: nothing), the
    timer (null: none yet) and who has said they are done or need more time."""
    focus = focus_of(board)
    timer = board.timer.get("timer")
    return {
        "agenda": encode_entity(agenda_of(board)),
        "focus": None if focus is None else encode_entity(focus),
        "timer": None if timer is None else encode_entity(timer),
        "readiness": encode_entity(readiness_of(board)),
    }


def encode_own_ballots(board: Board, participant_id: str) -> list[dict[str, Any]]:
    """The numbers this participant gave (or recorded for someone) in open rounds: shown
    only on their own screen."""
    return [
        encode_ballot(board.rounds[key.split("/", 1)[0]], vote)
        for key, vote in sorted(board.ballots.items())
        if participant_id in (vote.voter, vote.recorded_by)
    ]


def encode_private_items(board: Board, viewer: Viewer) -> list[dict[str, Any]]:
    """The children's items not shared with everyone that `viewer` may see (a child their
    own, a facilitator those shared with the child's worker): sent only to that viewer."""
    return [_public(item) for item in houses.private_items(board) if visible(viewer, item)]


def encode_ballot(round_: Round, vote: Vote) -> dict[str, Any]:
    """A vote as its own voter sees it, with where it belongs."""
    return {
        "round_id": round_.id,
        "scale_id": round_.scale_id,
        "group": vote.group.value,
        **plain(vote),
    }


def encode_state(
    board: Board, seq: int, me: Participant, *, retention_days: int, link_days: int, now: str
) -> dict[str, Any]:
    """What a client gets on joining: the board, who they are, the rules and words, and
    the server's time (`now`), from which a screen learns how far its own clock is off."""
    return {
        "seq": seq,
        "now": now,
        "me": encode_me(me),
        "board": encode_board(board, me.viewer),
        "template": encode_template(link_days),
        "my_votes": encode_own_ballots(board, me.id),
        "private_items": encode_private_items(board, me.viewer),
        # A closed meeting is erased this many days after `meeting.closed_at`.
        "retention_days": retention_days,
    }


def _columns() -> list[dict[str, Any]]:
    """The map's columns and their sections, with both vocabularies' labels."""
    return [
        {
            "key": column.key,
            "heading": column.heading,
            "prompt": column.prompt,
            "view": column.view,
            "sections": [
                {
                    "key": section.key,
                    "labels": {
                        Vocabulary.SAFETY.value: section.safety_label,
                        Vocabulary.WELLBEING.value: section.wellbeing_label,
                    },
                }
                for section in column.sections
            ],
        }
        for column in COLUMNS
    ]


def _text_limits() -> dict[str, int]:
    """The longest text of each kind an op may carry."""
    return {
        "text": MAX_TEXT,
        "attribution": MAX_ATTRIBUTION,
        "owner": MAX_OWNER,
        "title": MAX_TITLE,
        "name": MAX_NAME,
        "question": MAX_QUESTION,
        "anchor": MAX_ANCHOR,
        "reason": MAX_REASON,
        "note": MAX_NOTE,
        "label": MAX_LABEL,
        "step": MAX_STEP,
        "part": MAX_PART,
    }


def encode_template(link_days: int) -> dict[str, Any]:
    """The map's columns and sections with both vocabularies' labels, the role names, and
    the rules a page follows so as to offer only what the server accepts: the text limits,
    what each meeting status allows, which sections' cards may have a scale, and how many
    days a link works (`link_days`, the default a new one is given)."""
    return {
        "columns": _columns(),
        "roles": {role.value: label for role, label in ROLE_LABELS.items()},
        "houses": {house.value: label for house, label in HOUSE_LABELS.items()},
        "unconfirmed_label": UNCONFIRMED_LABEL,
        # What each role may do, so that a screen whose person's role is corrected
        # follows at once (`me.can` is their own row).
        "abilities": {role.value: _abilities(role) for role in Role},
        "groups": {group.value: label for group, label in GROUP_LABELS.items()},
        "outcomes": {outcome.value: label for outcome, label in OUTCOME_LABELS.items()},
        "timed_sections": sorted(TIMED_SECTIONS),
        "review_prompts": list(REVIEW_PROMPTS),
        "self_chosen_roles": [role.value for role in SELF_CHOSEN_ROLES],
        # Who a person's own link can be for, and the languages an interpreter's can name.
        "person_link_roles": [role.value for role in PERSON_LINK_ROLES],
        # Every language a person or the meeting can have (`participant.language`).
        "languages": [{"code": lang.code, "name": lang.name} for lang in LANGUAGES],
        "interpreter_languages": [
            {"code": code, "name": BY_CODE[code].name} for code in sorted(INTERPRETED)
        ],
        "scaled_sections": sorted(SCALED_SECTIONS),
        # The composers: where each puts its card, and the sentence it makes of its parts.
        "composers": {
            "statement": {"section": STATEMENT_SECTION, "pattern": STATEMENT_PATTERN},
            "goal": {"section": GOAL_SECTION, "pattern": GOAL_PATTERN},
            "harm_section": HARM_SECTION,
        },
        "bottom_line_setter": BOTTOM_LINE_SETTER,
        # Who a shared family plan's cards are said by: pages show it in their language.
        "family_attribution": FAMILY_ATTRIBUTION,
        "statuses": {
            status.value: {f.name: getattr(allows, f.name) for f in fields(allows)}
            for status, allows in STATUS_ALLOWS.items()
        },
        "limits": _text_limits(),
        "agenda_steps": MAX_STEPS,
        "timer_seconds": {"min": MIN_TIMER_SECONDS, "max": MAX_TIMER_SECONDS},
        "link_days": {"default": link_days, "max": MAX_LINK_DAYS},
        # A family group meeting's stages, in order, and who is "the family" in its
        # family time (they write the family's plan; everyone else waits for them).
        "stages": [{"key": stage.value, "label": label} for stage, label in STAGE_LABELS.items()],
        "family_roles": sorted(role.value for role in PLAN_READERS),
        "family_time_max_minutes": MAX_FAMILY_TIME_MINUTES,
        # The markings of what not everyone may see ({names}: who it names), and the ones
        # the facilitator may give a card.
        "audiences": {
            "labels": {reach.value: label for reach, label in AUDIENCE_LABELS.items()},
            "for_cards": [reach.value for reach in Reach if reach in CARD_REACHES],
        },
    }
