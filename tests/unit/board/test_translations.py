"""`card.translate`: an interpreter adds, or replaces, their translation of a card or of a
revealed round's reason into their language; the original stays; every refusal changes
nothing; and a translation reaches only the readers of its language, its interpreter and
the facilitators, while they may see what it translates."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from server.board import minutes_content, ops, people, storage, wire
from server.board.codec import encode_entity
from server.board.errors import (
    Closed,
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    NotFound,
    TooLong,
    TooMany,
)
from server.board.export import encode_person
from server.board.limits import MAX_TRANSLATIONS
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Change, Status
from server.board.ops import Context
from server.board.roles import ROLE_ABILITIES, Role
from server.board.translation_model import Target
from server.board.visibility import ANYONE, STAFF, Audience, Reach, Viewer, changes_for, sees
from tests.support.boards import T0, T1, populated, raw, with_status

OLGA_CARD = "card:c_mum:p_olga"
OLGA_REASON = "reason:r_1/p_mum:p_olga"


def run(board: Board, message: dict[str, Any], actor: str) -> tuple[Board, list[Change]]:
    _, op = ops.parse_op(message)
    return ops.apply(board, op, Context(actor, T1, "r_1"))


def step(board: Board, message: dict[str, Any], actor: str) -> Board:
    return run(board, message, actor)[0]


def translate(target: str = "c_mum", text: str = "Mama czyta co wieczór", **extra: Any) -> Any:
    fields: dict[str, Any] = {"language": "pl", "text": text, **extra}
    if target:
        fields["card_id"] = target
    return raw("card.translate", **fields)


def meeting() -> Board:
    """The populated board, with Olga interpreting into Polish, Ewa (a parent who reads
    Polish), and a revealed round in which Sam gave a reason."""
    board = populated()
    olga = ParticipantJoin("p_olga", "Olga", Role.INTERPRETER, interprets="pl")
    board, _ = ops.apply(board, olga, Context("p_olga", T0))
    ewa = ParticipantJoin("p_ewa", "Ewa", Role.PARENT, language="pl")
    board, _ = ops.apply(board, ewa, Context("p_ewa", T0))
    words = {"question": "How safe?", "low_label": "Not", "high_label": "Very"}
    board = step(board, raw("scale.add", scale_id="s_1", **words), "p_fac")
    board = step(board, raw("round.open", scale_id="s_1"), "p_fac")
    board = step(
        board, raw("vote.cast", scale_id="s_1", value=6, reason="He goes to school"), "p_mum"
    )
    return step(board, raw("round.reveal", scale_id="s_1"), "p_fac")


def viewer(board: Board, pid: str) -> Viewer:
    return board.participants[pid].viewer


def test_an_interpreter_translates_a_card_into_their_language() -> None:
    board = meeting()
    after, changes = run(board, translate(), "p_olga")
    [change] = changes
    assert (change.entity, change.id) == ("translation", OLGA_CARD)
    translation = after.translations[OLGA_CARD]
    assert (translation.target_kind, translation.target) == (Target.CARD, "c_mum")
    assert (translation.language, translation.text) == ("pl", "Mama czyta co wieczór")
    assert (translation.translator, translation.translated_at) == ("p_olga", T1)
    assert translation.audience == Audience(Reach.LANGUAGE, ("p_olga",), "pl")
    # The original is never replaced.
    assert after.cards["c_mum"] == board.cards["c_mum"]


def test_an_interpreter_replaces_their_own_translation_and_the_same_words_change_nothing() -> None:
    board = step(meeting(), translate(), "p_olga")
    board = step(board, translate(text="  Mama czyta każdego wieczoru \n"), "p_olga")
    assert board.translations[OLGA_CARD].text == "Mama czyta każdego wieczoru"
    assert len(board.translations) == 1
    assert run(board, translate(text="Mama czyta każdego wieczoru"), "p_olga")[1] == []


def test_a_revealed_reason_is_translated_too() -> None:
    board = step(
        meeting(), translate("", round_id="r_1", voter="p_mum", text="Chodzi do szkoły"), "p_olga"
    )
    translation = board.translations[OLGA_REASON]
    assert (translation.target_kind, translation.target) == (Target.REASON, "r_1/p_mum")
    assert [t["id"] for t in wire.encode_board(board, viewer(board, "p_ewa"))["translations"]] == [
        OLGA_REASON
    ]


def test_an_interpreter_gives_no_number_and_does_not_change_the_board() -> None:
    can = ROLE_ABILITIES[Role.INTERPRETER]
    assert (can.edit_board, can.translate, can.run_meeting) == (False, True, False)
    board = meeting()
    with pytest.raises(Forbidden, match="An interpreter adds translations"):
        run(board, raw("card.add", section="strengths", text="Hello"), "p_olga")
    with pytest.raises(Forbidden):
        run(board, raw("vote.cast", scale_id="s_1", value=3), "p_olga")


def _hidden_from_olga(board: Board) -> Board:
    return step(
        board,
        raw(
            "card.audience", card_id="c_mum", audience={"kind": "hidden_from", "people": ["p_olga"]}
        ),
        "p_fac",
    )


REFUSALS = [
    ("a-parent", "p_mum", translate(), {}, Forbidden),
    ("the-facilitator", "p_fac", translate(), {}, Forbidden),
    ("the-screen", "p_tv", translate(), {}, Forbidden),
    ("a-language-not-held", "p_olga", translate(language="ro"), {}, Forbidden),
    ("english", "p_olga", translate(language="en"), {}, Invalid),
    ("an-unknown-language", "p_olga", translate(language="xx"), {}, Invalid),
    ("a-language-not-text", "p_olga", translate(language=7), {}, Invalid),
    ("a-removed-card", "p_olga", translate("d_mum"), {}, NotFound),
    ("an-unknown-card", "p_olga", translate("c_nobody"), {}, NotFound),
    ("a-card-kept-from-them", "p_olga", translate(), {"hidden": True}, NotFound),
    ("an-unknown-reason", "p_olga", translate("", round_id="r_1", voter="p_kid"), {}, NotFound),
    ("an-unknown-round", "p_olga", translate("", round_id="r_9", voter="p_mum"), {}, NotFound),
    ("a-round-without-voter", "p_olga", translate("", round_id="r_1"), {}, Invalid),
    ("two-targets", "p_olga", translate(round_id="r_1", voter="p_mum"), {}, Invalid),
    ("no-target", "p_olga", translate(""), {}, Invalid),
    ("empty", "p_olga", translate(text=""), {}, Invalid),
    ("blank", "p_olga", translate(text=" \n "), {}, Invalid),
    ("not-text", "p_olga", translate(text=["a"]), {}, Invalid),
    ("a-lone-surrogate", "p_olga", translate(text="\ud800"), {}, Invalid),
    ("too-long", "p_olga", translate(text="a" * 2001), {}, TooLong),
    ("an-unknown-field", "p_olga", translate(why="x"), {}, Invalid),
    ("locked", "p_olga", translate(), {"status": Status.LOCKED}, Locked),
    ("closed", "p_olga", translate(), {"status": Status.CLOSED}, Closed),
]  # fmt: skip


@pytest.mark.parametrize(
    ("actor", "message", "setup", "error"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSALS],
)
def test_refusals_change_nothing(
    actor: str, message: dict[str, Any], setup: dict[str, Any], error: type[KinboardError]
) -> None:
    board = meeting()
    if setup.get("hidden"):
        board = _hidden_from_olga(board)
    if "status" in setup:
        board = with_status(board, setup["status"])
    before = storage.board_records(board)
    with pytest.raises(error) as caught:
        run(board, message, actor)
    assert caught.value.message
    assert storage.board_records(board) == before


def test_a_board_keeps_at_most_so_many_translations_and_one_can_still_be_replaced() -> None:
    board = step(meeting(), translate(), "p_olga")
    others = {
        f"card:c_{n}:p_olga": replace(board.translations[OLGA_CARD], id=f"card:c_{n}:p_olga")
        for n in range(MAX_TRANSLATIONS - 1)
    }
    full = replace(board, translations={**board.translations, **others})
    before = storage.board_records(full)
    with pytest.raises(TooMany):
        run(full, translate("c_gran"), "p_olga")
    assert storage.board_records(full) == before
    assert run(full, translate(text="Nowe słowa"), "p_olga")[0].translations[OLGA_CARD].text == (
        "Nowe słowa"
    )


def test_the_opening_refusals_say_why_in_plain_words() -> None:
    board = meeting()
    refusals = {
        "p_mum": translate(),
        "p_olga": translate(language="ro"),
    }
    messages = []
    for actor, message in refusals.items():
        with pytest.raises(KinboardError) as caught:
            run(board, message, actor)
        messages.append((caught.value.text, caught.value.params))
    assert messages == [
        ("Only an interpreter can add a translation.", {}),
        ("You translate into {held} in this meeting, not {asked}.", {"held": "pl", "asked": "ro"}),
    ]


def test_only_readers_of_the_language_the_interpreter_and_facilitators_receive_it() -> None:
    board = meeting()
    after, changes = run(board, translate(), "p_olga")
    encoded = [wire.encode_change(c) for c in changes]
    receive = {
        "Ewa (reads Polish)": viewer(after, "p_ewa"),
        "Olga": viewer(after, "p_olga"),
        "Fatima": viewer(after, "p_fac"),
        "staff": STAFF,
    }
    kept_from = {
        "Sam": viewer(after, "p_mum"),
        "Gran": viewer(after, "p_gran"),
        "Jo": viewer(after, "p_sw"),
        "screen": viewer(after, "p_tv"),
        "a stranger": ANYONE,
    }
    for name, who in receive.items():
        assert [c["id"] for c in changes_for(who, encoded)] == [OLGA_CARD], name
        assert [t["id"] for t in wire.encode_board(after, who)["translations"]] == [OLGA_CARD]
    for name, who in kept_from.items():
        assert changes_for(who, encoded) == [], name
        assert wire.encode_board(after, who)["translations"] == [], name


def test_someone_who_chooses_the_language_then_sees_it_and_others_no_longer() -> None:
    board = step(meeting(), translate(), "p_olga")
    translation = board.translations[OLGA_CARD]
    sam = viewer(board, "p_mum")
    assert not sees(sam, translation.audience)
    assert sees(replace(sam, language="pl"), translation.audience)
    assert not sees(replace(viewer(board, "p_ewa"), language="en"), translation.audience)


def test_changing_ones_language_changes_ones_view_and_so_which_translations_one_is_sent() -> None:
    board = step(meeting(), translate(), "p_olga")
    moved, _ = run(board, raw("participant.language", language="pl"), "p_mum")
    assert people.view_changed(board, moved) == {"p_mum"}
    assert len(wire.encode_board(moved, viewer(moved, "p_mum"))["translations"]) == 1
    back, _ = run(board, raw("participant.language", language="cy"), "p_ewa")
    assert people.view_changed(board, back) == {"p_ewa"}
    assert wire.encode_board(back, viewer(back, "p_ewa"))["translations"] == []


def test_a_translation_is_kept_from_whoever_the_card_is_kept_from() -> None:
    board = step(meeting(), translate(), "p_olga")
    hide = raw(
        "card.audience", card_id="c_mum", audience={"kind": "hidden_from", "people": ["p_ewa"]}
    )
    after, changes = run(board, hide, "p_fac")
    encoded = [wire.encode_change(c) for c in changes]
    ewa = viewer(after, "p_ewa")
    # Ewa saw the card and its translation until now: she is sent both removals.
    assert {(c["entity"], c.get("deleted")) for c in changes_for(ewa, encoded)} == {
        ("card", True),
        ("translation", True),
    }
    assert wire.encode_board(after, ewa)["translations"] == []
    assert [t["id"] for t in wire.encode_board(after, viewer(after, "p_olga"))["translations"]] == [
        OLGA_CARD
    ]
    # Shown to everyone again, it comes back to her.
    show = raw("card.audience", card_id="c_mum", audience={"kind": "everyone"})
    again, changes = run(after, show, "p_fac")
    mine = changes_for(ewa, [wire.encode_change(c) for c in changes])
    assert {c["entity"] for c in mine if "value" in c} == {"card", "translation"}
    assert [t["id"] for t in wire.encode_board(again, ewa)["translations"]] == [OLGA_CARD]


def test_a_removed_card_takes_its_translation_off_the_board_until_it_is_brought_back() -> None:
    board = step(meeting(), translate(), "p_olga")
    board = step(board, raw("card.delete", card_id="c_mum"), "p_mum")
    assert wire.encode_board(board, viewer(board, "p_ewa"))["translations"] == []
    board = step(board, raw("card.restore", card_id="c_mum"), "p_mum")
    assert len(wire.encode_board(board, viewer(board, "p_ewa"))["translations"]) == 1


def test_a_translation_is_stored_and_read_back_whole() -> None:
    board = step(_hidden_from_olga(meeting()), translate("c_gran"), "p_olga")
    board = step(board, translate("", round_id="r_1", voter="p_mum", text="Szkoła"), "p_olga")
    again = storage.board_from_records(storage.board_records(board))
    assert again.translations == board.translations
    assert again.participants["p_olga"].interprets == "pl"


def test_minutes_keep_each_translation_with_who_made_it_for_the_readers_who_may_see_it() -> None:
    board = step(meeting(), translate(), "p_olga")
    board = step(board, translate("", round_id="r_1", voter="p_mum", text="Szkoła"), "p_olga")
    board = step(board, raw("minutes.take"), "p_fac")
    content = json.loads(board.snapshots["1"].body)

    def copy(who: Viewer) -> dict[str, Any]:
        readable = minutes_content.content_for(content, who)
        [strengths] = [
            s for c in readable["columns"] for s in c["sections"] if s["key"] == "strengths"
        ]
        [card] = [c for c in strengths["cards"] if c["id"] == "c_mum"]
        [vote] = readable["scales"][-1]["rounds"][0]["votes"]
        return {"card": card.get("translations"), "reason": vote.get("translations")}

    for who in (STAFF, viewer(board, "p_ewa"), viewer(board, "p_olga")):
        mine = copy(who)
        assert [(t["text"], t["by"], t["language"]) for t in mine["card"]] == [
            ("Mama czyta co wieczór", "Olga", "pl")
        ]
        assert [t["text"] for t in mine["reason"]] == ["Szkoła"]
    for who in (viewer(board, "p_mum"), viewer(board, "p_sw"), ANYONE):
        assert copy(who) == {"card": [], "reason": []}
        assert "Szkoła" not in json.dumps(minutes_content.content_for(content, who))
    # Minutes without translations have no such key: their shape (and digest) is as before.
    bare = json.loads(step(meeting(), raw("minutes.take"), "p_fac").snapshots["1"].body)
    assert "translations" not in json.dumps(bare)


def test_an_interpreters_export_has_their_translations_and_nobody_elses_does() -> None:
    board = step(meeting(), translate(), "p_olga")
    assert [t["text"] for t in encode_person(board, "p_olga")["translations"]] == [
        "Mama czyta co wieczór"
    ]
    for pid in ("p_ewa", "p_mum", "p_fac"):
        assert encode_person(board, pid)["translations"] == []


def test_changing_a_cards_words_marks_its_translations_outdated_until_translated_again() -> None:
    board = step(meeting(), translate(), "p_olga")
    moved, changes = run(
        board, raw("card.move", card_id="c_mum", section="safety", after=None), "p_mum"
    )
    assert not moved.translations[OLGA_CARD].outdated
    assert {c.entity for c in changes} == {"card"}
    edited, changes = run(board, raw("card.edit", card_id="c_mum", text="Mum reads daily"), "p_mum")
    assert edited.translations[OLGA_CARD].outdated
    encoded = [wire.encode_change(c) for c in changes]
    [mine] = [
        c for c in changes_for(viewer(edited, "p_ewa"), encoded) if c["entity"] == "translation"
    ]
    assert mine["value"]["outdated"] is True
    assert [c["entity"] for c in changes_for(viewer(edited, "p_mum"), encoded)] == ["card"]
    again = step(edited, translate(), "p_olga")
    assert not again.translations[OLGA_CARD].outdated
    # The same words again on an up-to-date translation change nothing.
    assert run(again, translate(), "p_olga")[1] == []


def test_every_audience_is_written_in_its_one_shape() -> None:
    board = step(_hidden_from_olga(meeting()), translate("c_gran"), "p_olga")
    hidden = encode_entity(board.cards["c_mum"])["audience"]
    assert hidden == {"kind": "hidden_from", "people": ["p_olga"]}  # no empty extras
    assert encode_entity(board.translations["card:c_gran:p_olga"])["audience"] == {
        "kind": "language",
        "people": ["p_olga"],
        "language": "pl",
    }
    board = step(
        board, raw("card.audience", card_id="c_gran", audience={"kind": "professionals"}), "p_fac"
    )
    assert encode_entity(board.translations["card:c_gran:p_olga"])["audience"]["within"] == {
        "kind": "professionals",
        "people": [],
    }
