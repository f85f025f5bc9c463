"""The content minutes freeze: everything they record, by name rather than by internal id,
as one canonical text and its digest."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import scaling, statements, translations
from .codec import plain
from .houses_minutes import houses_content
from .model import Board, Card, Stance
from .roles import Role
from .scaling_model import RoundStatus
from .summary import summarise
from .template import COLUMNS, audience_words
from .translation_model import Target, Translation
from .visibility import EVERYONE, Audience, Viewer, decode_audience, encode_audience, sees


def canonical(content: Any) -> str:
    """One text for one content: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def snapshot_content(board: Board, number: int, label: str | None, now: str) -> dict[str, Any]:
    """Everything the minutes record, by name rather than by internal id."""
    names = {p.id: p.name for p in board.participants.values()}
    translated = translations.by_target(board)

    def card(card: Card) -> dict[str, Any]:
        return {**_card(card, names), **_translated(translated.get((Target.CARD, card.id)), names)}

    meeting = board.meeting
    people = sorted(
        (p for p in board.participants.values() if p.role is not Role.VIEWER),
        key=lambda p: (p.joined_at, p.id),
    )
    return {
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "kind": meeting.kind.value,
            "vocabulary": meeting.vocabulary.value,
            "previous": meeting.previous,
            "created_at": meeting.created_at,
        },
        "minutes": {"number": number, "label": label, "taken_at": now},
        "people": [
            {"name": p.name, "role": p.role.value, "unconfirmed": p.unconfirmed} for p in people
        ],
        "columns": [
            {
                "key": column.key,
                "heading": column.heading,
                "view": column.view,
                "sections": [
                    {
                        "key": section.key,
                        "label": section.label(meeting.vocabulary),
                        "cards": [card(c) for c in board.section_cards(section.key)],
                    }
                    for section in column.sections
                ],
            }
            for column in COLUMNS
        ],
        "scales": [_scale(board, scale, names, translated) for scale in board.live_scales()],
        "sets": _sets(board),
        "decision": _decision(board, names),
        # What each child shared with everyone in their three houses.
        "houses": houses_content(board, lambda audience: _marking(audience, names)),
    }


def _card(card: Card, names: dict[str, str]) -> dict[str, Any]:
    return {
        **_marking(card.audience, names),
        "worry": plain(card.worry),
        "goal": plain(card.goal),
        "id": card.id,
        "text": card.text,
        "attributed_to": card.attributed_to,
        "owner": card.owner,
        "due": card.due,
        "added_by": names.get(card.author, "someone at the last meeting"),
        "from_last_meeting": card.from_last_meeting,
        "agree": sorted(names.get(p, "?") for p, s in card.stances.items() if s is Stance.AGREE),
        "disagree": sorted(
            names.get(p, "?") for p, s in card.stances.items() if s is Stance.DISAGREE
        ),
    }


def _translated(found: list[Translation] | None, names: dict[str, str]) -> dict[str, Any]:
    """An interpreter's translations of one thing, with who made them. None: no key at all,
    so that minutes without translations keep the shape their digest was signed in."""
    if not found:
        return {}
    return {
        "translations": [
            {
                "language": t.language,
                "text": t.text,
                "by": names.get(t.translator, "someone"),
                "outdated": t.outdated,
                "audience": encode_audience(t.audience),
            }
            for t in found
        ]
    }


def _marking(audience: Audience, names: dict[str, str]) -> dict[str, Any]:
    """What minutes keep of an audience that is not everyone: the rule's ids (for each
    reader's copy, `content_for`) and the marking in words (for staff copies)."""
    if audience == EVERYONE:
        return {}
    return {
        "audience": {
            **encode_audience(audience),
            "names": [names.get(p, "someone") for p in audience.people],
            "words": audience_words(audience, names),
        }
    }


def content_for(content: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """Minutes content as `viewer` may read it: without the cards they may not see."""
    columns = [
        {
            **column,
            "sections": [
                {
                    **section,
                    "cards": [
                        _readable(viewer, card) for card in section["cards"] if _seen(viewer, card)
                    ],
                }
                for section in column["sections"]
            ],
        }
        for column in content["columns"]
    ]
    readable = {**content, "columns": columns}
    if "scales" in content:
        readable["scales"] = _readable_scales(content["scales"], viewer)
    # A child's item the facilitator kept from `viewer` is left out as a card is. Minutes
    # from before the houses have none, and must keep their shape: their digest is signed.
    if "houses" in content:
        readable["houses"] = [
            {
                **child,
                "houses": [
                    {**house, "items": [i for i in house["items"] if _seen(viewer, i)]}
                    for house in child["houses"]
                ],
            }
            for child in content["houses"]
        ]
    return readable


def _readable(viewer: Viewer, entry: dict[str, Any]) -> dict[str, Any]:
    """A card or a vote without the translations `viewer` may not read."""
    if "translations" not in entry:
        return entry
    return {**entry, "translations": [t for t in entry["translations"] if _seen(viewer, t)]}


def _readable_scales(scales: list[dict[str, Any]], viewer: Viewer) -> list[dict[str, Any]]:
    return [
        {
            **scale,
            "rounds": [
                {**r, "votes": [_readable(viewer, vote) for vote in r["votes"]]}
                for r in scale["rounds"]
            ],
        }
        for scale in scales
    ]


def _seen(viewer: Viewer, entry: dict[str, Any]) -> bool:
    return sees(viewer, decode_audience(entry.get("audience")))


def _sets(board: Board) -> list[dict[str, Any]]:
    """Each worry statement with its safety goals (by card id) and its own scale, if any:
    the minutes list them together."""
    scales = {s.card_id: s.id for s in board.live_scales() if s.card_id is not None}
    return [
        {"statement": card.id, "goals": [g.id for g in goals], "scale": scales.get(card.id)}
        for card, goals in statements.pairs(board)
        if goals
    ]


def _scale(
    board: Board,
    scale: Any,
    names: dict[str, str],
    translated: dict[tuple[Target, str], list[Translation]],
) -> dict[str, Any]:
    # Only revealed rounds: an open round's numbers are secret, in minutes too.
    rounds = [r for r in board.scale_rounds(scale.id) if r.status is RoundStatus.REVEALED]
    return {
        "id": scale.id,
        "question": scale.question,
        "low_label": scale.low_label,
        "high_label": scale.high_label,
        "overall": scale.overall,
        "card_id": scale.card_id,
        "rounds": [
            {
                "number": r.number,
                "revealed_at": r.revealed_at,
                "votes": [
                    {
                        "name": v.name,
                        "role": v.role.value,
                        "value": v.value,
                        "reason": v.reason,
                        "recorded_by_facilitator": v.recorded_by is not None,
                        "unconfirmed": v.unconfirmed,
                        **_translated(translated.get((Target.REASON, f"{r.id}/{v.voter}")), names),
                    }
                    for v in r.votes
                ],
                "summary": summarise(r.votes),
                "left_out": [scaling.left_out_words(left, names) for left in r.left_out],
            }
            for r in rounds
        ],
        "history": [
            {
                "meeting_id": p.meeting_id,
                "date": p.date,
                "medians": dict(p.medians),
                "votes": [
                    {"name": v.name, "role": v.role.value, "value": v.value} for v in p.votes
                ],
            }
            for p in scale.history
        ],
    }


def _decision(board: Board, names: dict[str, str]) -> dict[str, Any] | None:
    decision = board.decision.get("decision")
    if decision is None:
        return None
    return {
        "outcome": decision.outcome.value,
        "next_review": decision.next_review,
        "note": decision.note,
        "set_by": names.get(decision.set_by, ""),
    }
