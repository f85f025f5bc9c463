"""An interpreter's translation of something said in the meeting, as a frozen value (its ops
are in translations.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .visibility import EVERYONE, Audience


class Target(StrEnum):
    """What a translation is of."""

    CARD = "card"  # a card: worry statements, safety goals and plan items are cards too
    REASON = "reason"  # the reason given with a number in a revealed round


@dataclass(frozen=True)
class Translation:
    """One interpreter's words for `target` (a card's id, or "<round id>/<voter>" for a
    reason) in `language`. The original stays as it was written; an interpreter has at most
    one translation of each thing, which they may replace."""

    id: str
    target_kind: Target
    target: str
    language: str
    text: str
    translator: str  # the interpreter's participant id
    translated_at: str
    # The readers of `language`, the interpreter and the facilitators, within whoever may
    # see what it translates (visibility.py).
    audience: Audience = EVERYONE
    # The original's words changed after it was translated: shown as such until the
    # interpreter translates it again.
    outdated: bool = False


def translation_id(target_kind: Target, target: str, translator: str) -> str:
    return f"{target_kind.value}:{target}:{translator}"
