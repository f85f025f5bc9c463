"""Data export: everything the board holds about one person, for a subject access request."""

from __future__ import annotations

from typing import Any

from .codec import encode_entity, plain
from .houses import shared_items
from .model import Board
from .readiness import readiness_of
from .scaling_model import RoundStatus
from .visibility import Viewer, visible

# A person's own card, as their export gives it: their words, without what others did with
# them (others' stances, edits).
OWN_CARD_FIELDS = (
    "id",
    "section",
    "text",
    "attributed_to",
    "owner",
    "due",
    "set_aside",
    "created_at",
    "deleted",
)


def encode_person(board: Board, participant_id: str) -> dict[str, Any]:
    """Everything the board holds about one participant, and nothing about anyone else nor
    anything kept from them (visibility.py): for a subject access request, which they read."""
    person = board.participants[participant_id]
    viewer = Viewer(person.id, person.role, person.unconfirmed, person.device_key, person.language)
    seen = [c for c in board.cards.values() if visible(viewer, c)]
    cards = [c for c in seen if c.author == participant_id]
    return {
        "participant": encode_entity(person),
        "cards_added": [
            {name: plain(getattr(card, name)) for name in OWN_CARD_FIELDS} for card in cards
        ],
        "agree_or_disagree": [
            {"card_id": card.id, "stance": card.stances[participant_id]}
            for card in seen
            if participant_id in card.stances
        ],
        "votes": [
            {"scale_id": r.scale_id, "round": r.number, **plain(vote)}
            for r in board.rounds.values()
            for vote in r.votes
            if vote.voter == participant_id
        ],
        # That they answered an open round, never what: its numbers and reasons are
        # secret from everyone but the voter until the reveal, in an export too.
        "answered_open_rounds": [
            {"scale_id": r.scale_id, "round": r.number}
            for r in board.rounds.values()
            if r.status is RoundStatus.OPEN
            for answered in r.answered
            if answered.voter == participant_id
        ],
        # "I'm done" or "I need more time" in the step or round under way, if they said it.
        "ready": readiness_of(board).answers.get(participant_id),
        "minutes_sign_offs": [
            {"minutes": m.number, **plain(signoff)}
            for m in board.minutes.values()
            for signoff in m.signoffs
            if signoff.participant_id == participant_id
        ],
        # What a child shared with everyone in their three houses; what they have not
        # shared is theirs alone, never in an export, which staff download.
        "three_houses": [
            encode_entity(item)
            for item in shared_items(board)
            if item.child == participant_id and visible(viewer, item)
        ],
        # An interpreter's own translations (of what they may still see).
        "translations": [
            encode_entity(t)
            for t in board.translations.values()
            if t.translator == participant_id and visible(viewer, t)
        ],
    }
