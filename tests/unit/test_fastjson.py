"""The fast JSON reads and writes exactly what the standard library's strict reader and
writer do: the same values, and the same refusals at every limit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server import fastjson
from server.board import parsing
from server.board.errors import Invalid
from server.frames import SocketJson


def strict(text: str, text_only: bool) -> Any:
    try:
        return ("value", parsing.read_json(text, text_only=text_only))
    except Invalid as error:
        return ("refused", error.message)


def fast(text: str, text_only: bool) -> Any:
    try:
        return ("value", fastjson.read_client_json(text, text_only=text_only))
    except Invalid as error:
        return ("refused", error.message)


EDGES = {
    "integer-of-20-digits": "[12345678901234567890]",
    "integer-of-30-digits": "[123456789012345678901234567890]",
    "integer-of-100-digits": "[" + "9" * 100 + "]",
    "integer-of-101-digits": "[" + "9" * 101 + "]",
    "negative-integer-of-101-digits": "[-" + "9" * 101 + "]",
    "integer-of-5000-digits": "9" * 5000,
    "float-overflowing": "[1e400]",
    "large-float": "[1.5e300]",
    "nan": '{"a":NaN}',
    "infinity": "[-Infinity]",
    "32-deep": "[" * 32 + "]" * 32,
    "33-deep": "[" * 33 + "]" * 33,
    "10000-deep": "[" * 10_000 + "]" * 10_000,
    "deep-in-objects": '{"a":' * 33 + "1" + "}" * 33,
    "lone-surrogate": '["Gran \\ud800"]',
    "lone-surrogate-key": '{"\\udfff":1}',
    "paired-surrogates": '["\\ud83d\\ude00"]',
    "duplicate-keys": '{"a":1,"a":2}',
    "garbled": '{"id":',
    "trailing": "[1] x",
    "empty": "",
    "unicode": '{"name":"Zoë 😀"}',
}


@pytest.mark.parametrize("text_only", [True, False])
@pytest.mark.parametrize("text", EDGES.values(), ids=EDGES.keys())
def test_every_edge_is_read_as_the_strict_reader_reads_it(text: str, text_only: bool) -> None:
    assert fast(text, text_only) == strict(text, text_only)


def test_an_integer_too_long_is_refused_though_orjson_would_read_it() -> None:
    with pytest.raises(Invalid, match="number far too long"):
        fastjson.read_client_json("[" + "9" * 101 + "]", text_only=False)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_any_json_is_read_as_the_strict_reader_reads_it(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        assert fast(text, True) == strict(text, True)
        assert fast(text, False) == strict(text, False)


@given(JSON_VALUES)
def test_what_is_written_reads_back_the_same(value: Any) -> None:
    assert json.loads(fastjson.dumps(value)) == value
    assert fastjson.loads(fastjson.dumps(value)) == value


class Colour(StrEnum):
    RED = "red"


@dataclass
class Secret:
    token: str


def test_what_orjson_would_write_differently_is_written_by_the_standard_library() -> None:
    for value in ({"colour": Colour.RED}, ["\ud800"], [2**70], {1: 2}):
        written = fastjson.dumps(value)
        assert written == json.dumps(value, separators=(",", ":"))
        written.encode()  # sendable as UTF-8, a lone surrogate included (as a \u escape)


def test_a_dataclass_is_refused_as_the_standard_library_refuses_it() -> None:
    # Nothing is sent that was not meant as plain JSON (a session, say).
    with pytest.raises(TypeError):
        fastjson.dumps({"session": Secret("t")})


def test_socket_json_refuses_what_cannot_be_read_with_a_value_error() -> None:
    for text in ("[" + "9" * 101 + "]", "[" * 40 + "]" * 40, '{"id":', "[NaN]"):
        with pytest.raises(ValueError):
            SocketJson.loads(text)
    # Strings that are not text are left to the op's fields, which refuse them.
    assert SocketJson.loads('["\\ud800"]') == ["\ud800"]
    assert SocketJson.dumps(["op", {"ok": True}], separators=(",", ":")) == '["op",{"ok":true}]'


def test_a_stored_integer_beyond_64_bits_reads_back_whole() -> None:
    assert fastjson.loads("[-9223372036854775809, 18446744073709551616]") == [
        -(2**63) - 1,
        2**64,
    ]
