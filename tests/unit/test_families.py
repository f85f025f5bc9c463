"""The family service's pure parts: the days to a review that is due, children typed on
the home page, and the duplicate rule's fingerprint."""

from __future__ import annotations

from datetime import date

import pytest

from server.board.errors import Invalid, TooLong
from server.families import (
    children_from_text,
    fingerprint,
    parse_children,
    review_in,
)
from server.store.records import Child

TODAY = date(2027, 3, 10)


@pytest.mark.parametrize(
    ("next_review", "days"),
    [
        (None, None),
        ("2027-04-10", None),
        ("2027-03-24", 14),
        ("2027-03-15", 5),
        ("2027-03-11", 1),
        ("2027-03-10", 0),
        ("2027-03-09", -1),
        ("2026-01-01", -433),
    ],
)
def test_the_next_review_is_counted_while_it_is_due_soon(
    next_review: str | None, days: int | None
) -> None:
    assert review_in(next_review, TODAY) == days


def test_children_as_typed_on_the_home_page() -> None:
    assert children_from_text("Ava 7, Leo 4") == [
        {"name": "Ava", "age": 7},
        {"name": "Leo", "age": 4},
    ]
    assert children_from_text(" Mary Jane ,, Tom 12 ") == [
        {"name": "Mary Jane", "age": None},
        {"name": "Tom", "age": 12},
    ]
    assert children_from_text("") == []


def test_children_are_refused_clearly() -> None:
    assert parse_children([{"name": " Ava ", "age": 7}]) == (Child("Ava", 7),)
    with pytest.raises(Invalid):
        parse_children([{"name": "Ava", "age": 26}])
    with pytest.raises(Invalid):
        parse_children([{"name": "", "age": 3}])
    with pytest.raises(TooLong):
        parse_children([{"name": "A" * 41}])
    with pytest.raises(Invalid):
        parse_children([{"name": "Ava"}] * 13)


def test_the_same_family_is_the_same_whatever_the_case_spacing_and_order() -> None:
    one = fingerprint("Khan family", (Child("Ava", 7), Child("Leo", 4)))
    assert fingerprint("khan FAMILY", (Child("leo", 4), Child("AVA", 7))) == one
    assert fingerprint("Khan family", (Child("Ava", 7),)) != one
    assert fingerprint("Khan family", (Child("Ava", 8), Child("Leo", 4))) != one
