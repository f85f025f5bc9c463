"""Words that are not text (lone UTF-16 surrogates, which JSON's "\\ud800" escapes decode
to) and numbers no store holds are refused `invalid` at parsing, never left to the store."""

from __future__ import annotations

from typing import Any

import pytest

from server.board import ops, parsing
from server.board.errors import Invalid
from server.board.parsing import MAX_WHOLE, NAME, TITLE, words
from tests.support.boards import raw

LONE = "\ud800"  # half of an emoji
ADD = {"section": "strengths", "after": None}
SCALE = {"scale_id": "s_1"}

# Every op field people type words into, each given a lone surrogate.
NOT_TEXT = [
    raw("card.add", **ADD, text=f"Gran helps {LONE}"),
    raw("card.add", **ADD, text="Gran helps", attributed_to=LONE),
    raw("card.add", **ADD, text="Gran helps", owner=f"Sam{LONE}"),
    raw("card.edit", card_id="c_1", text=f"{LONE}x"),
    raw("card.edit", card_id="c_1", owner=LONE),
    raw("meeting.edit", title=f"Review {LONE}"),
    raw("scale.add", question=LONE, low_label="Worried", high_label="Safe"),
    raw("scale.edit", **SCALE, high_label=LONE),
    raw("vote.cast", **SCALE, value=5, reason=LONE),
    raw("vote.cast", **SCALE, value=5, on_behalf_of={"name": LONE, "role": "network"}),
    raw("vote.exclude", **SCALE, voter=f"behalf:{LONE}|network"),
    raw("decision.set", outcome="continue", note=LONE),
    raw("minutes.take", label=LONE),
    raw("minutes.sign", minutes=1, stance="disagree", reason=LONE),
    raw("card.move", card_id="c_1", section=LONE, after=None),
    raw("card.react", card_id="c_1", stance=LONE),
]


@pytest.mark.parametrize("message", NOT_TEXT, ids=lambda m: m["type"])
def test_an_op_with_a_lone_surrogate_is_invalid(message: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as refused:
        ops.parse_op(message)
    assert parsing.is_text(refused.value.message)  # the refusal itself can be sent and logged


def test_the_same_ops_with_whole_emoji_are_accepted() -> None:
    for message in NOT_TEXT[:14]:
        whole = {k: _emoji(v) for k, v in message.items()}
        ops.parse_op(whole)


def _emoji(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(LONE, "\U0001f600")
    if isinstance(value, dict):
        return {k: _emoji(v) for k, v in value.items()}
    return value


def test_an_unknown_field_named_with_a_lone_surrogate_is_refused_in_sendable_words() -> None:
    with pytest.raises(Invalid) as refused:
        ops.parse_op(raw("meeting.lock", **{LONE: 1}))
    assert parsing.is_text(refused.value.message)


@pytest.mark.parametrize("kind", [NAME, TITLE], ids=["name", "title"])
@pytest.mark.parametrize("value", [LONE, f"Sam {LONE}", f"{LONE}\udfff", "\udc00Sam"])
def test_names_and_titles_with_a_lone_surrogate_are_invalid(value: str, kind: Any) -> None:
    with pytest.raises(Invalid, match="not text"):
        words(value, kind)


def test_a_surrogate_pair_written_properly_is_text() -> None:
    assert words("Sam \U0001f600", NAME) == "Sam \U0001f600"


@pytest.mark.parametrize("value", [MAX_WHOLE + 1, 10**30, 10**300])
def test_a_whole_number_past_what_a_browser_holds_is_invalid(value: int) -> None:
    with pytest.raises(Invalid):
        ops.parse_op(raw("minutes.agree", minutes=value))


def test_the_largest_whole_number_a_browser_holds_is_accepted() -> None:
    assert parsing.whole_number(MAX_WHOLE, 1, None, "no") == MAX_WHOLE


# --- JSON from a client -----------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_as_deep_as_allowed_is_read() -> None:
    assert parsing.read_json(nested(parsing.MAX_JSON_DEPTH)) is not None
    assert parsing.read_json('{"a": ' * 31 + "1" + "}" * 31) is not None


@pytest.mark.parametrize("depth", [parsing.MAX_JSON_DEPTH + 1, 10_000, 1_000_000])
def test_json_nested_deeper_is_invalid(depth: int) -> None:
    with pytest.raises(Invalid, match="nested too deeply"):
        parsing.read_json(nested(depth))


def test_numbers_of_up_to_100_digits_are_read_and_longer_ones_are_invalid() -> None:
    assert parsing.read_json("9" * parsing.MAX_DIGITS) == int("9" * parsing.MAX_DIGITS)
    assert parsing.read_json("-" + "9" * parsing.MAX_DIGITS) == -int("9" * parsing.MAX_DIGITS)
    for text in ["9" * (parsing.MAX_DIGITS + 1), "[" + "9" * 5000 + "]"]:
        with pytest.raises(Invalid, match="number"):
            parsing.read_json(text)


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "{", "", b"\xff"])
def test_what_is_not_json_is_invalid(text: str | bytes) -> None:
    with pytest.raises(Invalid):
        parsing.read_json(text)


@pytest.mark.parametrize("text", ['"\\ud800"', '{"\\udfff": 1}', '[["a", "\\ud83d"]]'])
def test_lone_surrogates_are_invalid_only_when_text_is_required(text: str) -> None:
    with pytest.raises(Invalid, match="not text"):
        parsing.read_json(text)
    assert parsing.read_json(text, text_only=False) is not None


def test_a_whole_emoji_written_as_a_pair_of_escapes_is_text() -> None:
    assert parsing.read_json('"\\ud83d\\ude00"') == "\U0001f600"
