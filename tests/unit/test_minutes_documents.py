"""The minutes as documents (server/documents.py): Markdown, JSON and file names, with
user markup kept as text."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest

from server import documents, minutes_markdown
from server.board import codec, ops
from server.board.meeting import ParticipantJoin
from server.board.minutes_content import (
    canonical,
    digest,
)
from server.board.model import (
    Board,
    Outcome,
)
from server.board.ops import Context
from server.board.roles import Role
from server.board.template import OUTCOME_LABELS, SECTIONS
from server.board.visibility import STAFF, Viewer
from tests.support.boards import PEOPLE, T0, raw
from tests.support.minutes import (
    CARDS,
    LATER,
    OVERALL,
    T3,
    TITLE,
    content_of,
    new_board,
    signed_board,
    step,
    taken,
)

# --- documents ----------------------------------------------------------------------------

MARKUP = "<img src=x onerror=alert(1)> **bold** [click](javascript:alert(1)) `code` _u_ a|b"


def view_of(board: Board, number: int = 1) -> dict[str, Any]:
    key = str(number)
    return documents.minutes_view(board.minutes[key], board.snapshots[key].body, STAFF)


def markup_board() -> Board:
    """User markup everywhere a person can type, then minutes signed."""
    board = new_board(title="Meeting for <b>Ava</b> # 1")
    board, _ = ops.apply(
        board,
        ParticipantJoin("p_x", "Mallory <script>x</script>", Role.NETWORK),
        Context("p_x", T0),
    )
    board = step(
        board, raw("card.add", section="harm", text=MARKUP, attributed_to="*Dad*"), new_id="c_m"
    )
    board = step(
        board,
        raw(
            "card.add",
            section="next_steps",
            text="first\n# Injected heading\n- injected item",
            owner="[Sam](x)",
        ),
        new_id="c_n",
    )
    board = step(board, raw("round.open", scale_id=OVERALL), new_id="r_1")
    board = step(board, raw("vote.cast", scale_id=OVERALL, value=4, reason="a | b | c"), "p_x")
    board = step(board, raw("round.reveal", scale_id=OVERALL))
    board = step(board, raw("decision.set", outcome="close", note="Note with <i>tags</i>"))
    board = step(board, raw("minutes.take", label="**Label**"), now=T3)
    return step(
        board, raw("minutes.sign", minutes=1, stance="disagree", reason="Because [x](y) <u>"), "p_x"
    )


def test_the_markdown_has_everything_in_plain_words() -> None:
    board = signed_board()
    view = view_of(board)
    md = minutes_markdown.to_markdown(view)
    lines = md.splitlines()
    assert (
        lines[0] == "**OFFICIAL \N{EN DASH} SENSITIVE**"
        and lines[-1] == "**OFFICIAL \N{EN DASH} SENSITIVE**"
    )
    assert f"# {TITLE}" in lines
    assert "Minutes 1 (agreed), taken 2026-11-27: End of meeting" in lines
    for name, role in PEOPLE.values():
        assert (f"- {name} (" in md) is (role is not Role.VIEWER)
    flat = md.replace("\\", "")
    for _, text, owner, due in CARDS.values():
        assert text in flat
        if owner:
            assert f"who: {owner}" in flat
        if due:
            assert f"by {due}" in flat
    assert "said by School" in flat
    assert "- " + OUTCOME_LABELS[Outcome.CONTINUE] in lines
    assert "- Next review: 2027-03-01" in lines
    assert "| Sam | Parent or carer | 7 | He goes to school |" in flat
    assert (
        "| Grandad (recorded by the facilitator) | Family, friend or support person | 9 |" in flat
    )
    assert "- Sam agreed" in lines
    assert "- Gran did not agree: Dad was not asked" in lines
    assert "- Marked agreed on 2027-03-01" in lines
    assert f"SHA-256 of the minutes: `{board.minutes['1'].hash}`" in lines
    assert "SECRET-REASON" not in md and "GONE-CARD" not in md


def test_the_markdown_of_a_draft_without_decision_or_cards() -> None:
    board = taken(new_board(), label=None)
    md = minutes_markdown.to_markdown(view_of(board))
    assert "Minutes 1 (draft), taken 2026-11-27" in md.splitlines()
    assert "- No decision was written down." in md
    assert md.count("- (nothing written)") == len(SECTIONS)
    assert "Marked agreed" not in md


def test_the_markdown_escapes_user_markup() -> None:
    md = minutes_markdown.to_markdown(view_of(markup_board()))
    assert "<" not in md.replace("\\<", "") and ">" not in md.replace("\\>", "")
    assert r"\<img src=x onerror=alert\(1\)\> \*\*bold\*\* \[click\]\(javascript:alert\(1\)\)" in md
    assert r"\`code\` \_u\_ a\|b" in md
    assert r"# Meeting for \<b\>Ava\</b\> \# 1" in md.splitlines()
    assert r"said by \*Dad\*" in md and r"who: \[Sam\]\(x\)" in md
    assert r"Mallory \<script\>x\</script\>" in md
    assert r": \*\*Label\*\*" in md
    assert r"did not agree: Because \[x\]\(y\) \<u\>" in md
    assert r"Note with \<i\>tags\</i\>" in md
    # A card with line breaks stays on its own line: it cannot start a heading or an item.
    assert r"- first \# Injected heading \- injected item" in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(not h.lower().startswith(("# injected", "## injected")) for h in headings)
    assert not any(line.startswith("- injected") for line in md.splitlines())
    # Table rows keep their four cells: a | in a reason is escaped.
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)
    assert r"a \| b \| c" in md


def test_to_json_carries_the_content_and_its_hash() -> None:
    board = signed_board()
    document = json.loads(documents.to_json(view_of(board)))
    entry = board.minutes["1"]
    assert document["minutes"] == {
        "number": 1,
        "label": "End of meeting",
        "status": "agreed",
        "taken_at": T3,
        "agreed_at": LATER,
        "sha256": entry.hash,
        "signoffs": [codec.encode_entity(s) for s in entry.signoffs],
    }
    assert document["content"] == content_of(board)
    recomputed = hashlib.sha256(canonical(document["content"]).encode("utf-8")).hexdigest()
    assert recomputed == document["minutes"]["sha256"]
    draft = json.loads(documents.to_json(view_of(board, 2)))["minutes"]
    assert (draft["status"], draft["agreed_at"], draft["signoffs"]) == ("draft", None, [])


def test_to_json_keeps_non_ascii_text_as_is() -> None:
    board = step(
        new_board(title="Zoë\N{RIGHT SINGLE QUOTATION MARK}s family 👪"),
        raw("card.add", section="strengths", text="Ñandú"),
        new_id="c_u",
    )
    board = taken(board)
    text = documents.to_json(view_of(board))
    assert "Zoë\N{RIGHT SINGLE QUOTATION MARK}s family 👪" in text and "Ñandú" in text
    document = json.loads(text)
    assert digest(canonical(document["content"])) == document["minutes"]["sha256"]


def test_minutes_view_names_the_decision_and_the_signoffs() -> None:
    view = view_of(signed_board())
    assert view["marking"] == "OFFICIAL \N{EN DASH} SENSITIVE"
    assert view["decision_words"] == OUTCOME_LABELS[Outcome.CONTINUE]
    assert view["agreed_by_people"] == ["Sam"]
    assert view["not_agreed"] == [{"name": "Gran", "reason": "Dad was not asked"}]
    assert view_of(taken(new_board()))["decision_words"] is None


FILE_NAME_RE = re.compile(r"kinboard-[a-z0-9-]+-2026-11-27-minutes-1\.(pdf|md|json)")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Family meeting for Ava", "family-meeting-for-ava"),
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\Windows\\System32", "windows-system32"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ('Ava"; filename="evil.exe', "ava-filename-evil-exe"),
        ("Ava\r\nSet-Cookie: kb=1", "ava-set-cookie-kb-1"),
        ("Zoë and Ñandú Ångström", "zoe-and-nandu-angstrom"),
        ("Family 👪 meeting", "family-meeting"),
        ("👪🏽❤️", "meeting"),
        ("Дети Ивановых", "meeting"),
        ("...", "meeting"),
        ("%2e%2e%2fetc", "2e-2e-2fetc"),
    ],
)
@pytest.mark.parametrize("extension", ["pdf", "md", "json"])
def test_file_names_are_safe_and_say_meeting_and_date(
    title: str, slug: str, extension: str
) -> None:
    name = documents.file_name(title, T3, "minutes-1", extension)
    assert name == f"kinboard-{slug}-2026-11-27-minutes-1.{extension}"
    assert FILE_NAME_RE.fullmatch(name)
    assert name.isascii() and not any(c in name for c in '/\\"\r\n;: ')


def test_a_long_title_makes_a_bounded_file_name() -> None:
    name = documents.file_name("Ava " * 200, T3, "minutes-12", "pdf")
    assert len(name) <= 100 and name.endswith("-2026-11-27-minutes-12.pdf")
    assert name.startswith("kinboard-ava-ava-")


def test_a_cut_title_does_not_end_in_a_dash() -> None:
    name = documents.file_name("a" * 59 + " b", T3, "minutes-1", "pdf")
    assert "--" not in name
    assert re.fullmatch(r"kinboard-[a-z0-9]+(-[a-z0-9]+)*-2026-11-27-minutes-1\.pdf", name)


def test_the_minutes_say_who_only_says_they_are_a_worker() -> None:
    """Someone who chose "worker" on the family link and was not confirmed, in the list of
    people and beside their number; a worker by their own link as a worker."""
    board = new_board()
    join = ParticipantJoin("p_kim", "Kim", Role.PROFESSIONAL, chose_role=True)
    board, _ = ops.apply(board, join, Context("p_kim", T0))
    board = step(board, raw("round.open", scale_id=OVERALL), new_id="r_1")
    board = step(board, raw("vote.cast", scale_id=OVERALL, value=4), "p_kim")
    board = step(board, raw("vote.cast", scale_id=OVERALL, value=2), "p_sw")
    board = step(board, raw("round.reveal", scale_id=OVERALL))
    md = minutes_markdown.to_markdown(view_of(taken(board)))
    assert "- Kim (Says they are a worker)" in md
    assert "- Jo from school (Worker (school, health, social care...))" in md
    assert "| Kim | Says they are a worker | 4 |" in md
    assert "Network 4, professionals 2: a gap of 2" in md
    board = step(board, raw("participant.confirm", participant_id="p_kim"))
    md = minutes_markdown.to_markdown(view_of(taken(board)))
    assert "Says they are a worker" not in md
    assert "| Kim | Worker (school, health, social care...) | 4 |" in md
    assert "Professionals 3" in md


# --- worries and safety goals as sets; bottom lines and who set them -----------------------

WORRY = {
    "who": "Gran and the school",
    "happened": "Dad drinks and shouts",
    "worry": "Leo could be hurt",
    "likely": "likely to happen soon",
}
GOAL = {
    "will_do": "Dad will not drink at home",
    "seen_by": "Gran",
    "how_often": "every week",
    "how_long": "six months",
}


def sets_board() -> Board:
    """A worry statement with its goal and its scale revealed (Sam 4), a statement with no
    goal, and a bottom line set by the council; minutes taken."""
    board = step(new_board(), raw("statement.add", **WORRY), new_id="s_1")
    board = step(board, raw("statement.add", **{**WORRY, "worry": "NO-GOAL"}), new_id="s_2")
    board = step(board, raw("goal.add", statement_id="s_1", **GOAL, due="2027-02-01"), new_id="g_1")
    scale = {"question": "How close are we?", "low_label": "Far", "high_label": "There"}
    board = step(board, raw("scale.add", scale_id="s_pair", card_id="s_1", **scale))
    board = step(board, raw("round.open", scale_id="s_pair"), new_id="r_1")
    board = step(board, raw("vote.cast", scale_id="s_pair", value=4), "p_mum")
    board = step(board, raw("round.reveal", scale_id="s_pair"))
    line = {"text": "No drinking when the children are home", "attributed_to": "The council"}
    board = step(board, raw("card.add", section="bottom_lines", **line), new_id="c_b")
    return taken(board)


def test_minutes_list_each_worry_with_its_goal_and_its_scale() -> None:
    view = view_of(sets_board())
    goal_text = "Dad will not drink at home. Gran will see this every week, for six months."
    assert view["sets"] == [
        {
            "worry": "Gran and the school are worried that if Dad drinks and shouts again, "
            "Leo could be hurt. We think this is likely to happen soon.",
            "goals": [{"text": goal_text, "due": "2027-02-01"}],
            "scale": "How close are we?",
            "result": "Family 4",
        }
    ]
    markdown = minutes_markdown.to_markdown(view)
    sets = markdown.split("## Worries and safety goals", 1)[1]
    assert "- Safety goal: Dad will not drink at home\\. Gran will see this" in sets
    assert "(by 2027-02-01)" in sets
    assert "- Scale: How close are we?: Family 4" in sets
    assert "NO-GOAL" not in sets
    assert "- No drinking when the children are home (set by The council" in markdown


def test_minutes_from_before_the_composers_have_no_sets() -> None:
    board = taken()
    content = content_of(board)
    del content["sets"]
    body = canonical(content)
    view = documents.minutes_view(board.minutes["1"], body, STAFF)
    assert view["sets"] == []
    assert "Worries and safety goals" not in minutes_markdown.to_markdown(view)


@pytest.mark.parametrize("hidden", ["g_1", "s_1"])
def test_a_set_shows_only_with_what_its_reader_may_see(hidden: str) -> None:
    """Sam may not see the goal (or the statement): his copy of the minutes has no set."""
    board = sets_board()
    audience = {"kind": "hidden_from", "people": ["p_mum"]}
    board = step(board, raw("card.audience", card_id=hidden, audience=audience))
    board = step(board, raw("minutes.take"), now=LATER)
    sam = Viewer("p_mum", Role.PARENT)
    view = documents.minutes_view(board.minutes["2"], board.snapshots["2"].body, sam)
    assert view["sets"] == []
    assert "NO-GOAL" not in minutes_markdown.to_markdown(view)
    assert len(view_of(board, 2)["sets"]) == 1  # staff see it, marked
