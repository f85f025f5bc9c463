"""Which commits move a meeting's activity entry: at most one a minute per meeting."""

from __future__ import annotations

import pytest

from server.store import activity_notes
from server.store.activity_notes import NOTE_EVERY, ActivityNotes

T = 1_796_000_000.0


def test_the_first_op_of_a_meeting_is_due_and_the_next_one_only_a_minute_later() -> None:
    notes = ActivityNotes()
    assert notes.due("m1", T)
    notes.noted("m1", T)
    assert not notes.due("m1", T + 1)
    assert not notes.due("m1", T + NOTE_EVERY - 0.001)
    assert notes.due("m1", T + NOTE_EVERY)
    assert notes.due("m2", T + 1)  # each meeting has its own minute


def test_an_op_that_was_not_noted_leaves_the_next_one_due() -> None:
    notes = ActivityNotes()
    assert notes.due("m1", T)  # asked, but the write failed: not noted
    assert notes.due("m1", T + 1)


def test_a_clock_set_back_makes_the_op_due() -> None:
    notes = ActivityNotes()
    notes.noted("m1", T)
    assert notes.due("m1", T - 1)


def test_past_the_limit_only_the_meetings_of_the_last_minute_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(activity_notes, "KEEP", 3)
    notes = ActivityNotes()
    notes.noted("old", T)
    notes.noted("recent", T + 100)
    notes.noted("newer", T + 110)
    notes.noted("newest", T + 120)  # the map is full: "old" is forgotten, the rest kept
    assert notes.due("old", T + 30)  # forgotten, so due even within its minute
    assert not notes.due("recent", T + 121)
    assert not notes.due("newer", T + 121)
    assert not notes.due("newest", T + 121)
