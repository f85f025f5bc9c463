"""A meeting's data over HTTP, in-process: the audit log, retention and erasing (nothing
left on disk, on either backend), and a person's data (subject access)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

import server.staff
from server import i18n
from server.clock import iso
from server.http.admin_routes import AUDIT_COLUMNS
from server.retention import ERASURE_LOG
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore
from tests.support.inprocess import (
    KEY,
    Browser,
    Kin,
    MovableClock,
    fast_hashing,
    joined,
    staff_with_meeting,
    start,
)
from tests.support.services import REDIS_URL, need_redis

# --- a meeting with everything in it -------------------------------------------------------

# Every piece of text written in `full_meeting`, by who wrote it.
SAM_TEXTS = ("SAM-CARD Sam walks Leo to school", "SAM-REVEALED he goes", "SAM-OPEN maybe")
GRAN_TEXTS = (
    "GRAN-CARD Dad shouted at Leo",
    "GRAN-REVEALED still drinking",
    "GRAN-OPEN worried",
    "GRAN-SIGNOFF the plan misses Dad",
)
FACILITATOR_TEXT = "FAC-CARD We all want Leo safe at home"


def full_meeting(kin: Kin, meeting_id: str, facilitator: str) -> dict[str, Any]:
    """A parent (general link) and a grandmother (her own link) join; cards, stances, a
    revealed round, an open round and signed minutes."""
    links = kin.run(kin.services.links.urls, meeting_id)
    person = kin.run(
        kin.services.links.add_person_link, meeting_id, "Gran", "network", None, facilitator
    )
    sam_browser, gran_browser = kin.browser("203.0.113.50"), kin.browser("203.0.113.51")
    sam = joined(sam_browser, links["participant"], "Sam", "parent")
    gran = joined(gran_browser, kin.services.links.url(person), "ignored", None)

    def do(by: str, op_type: str, **fields: Any) -> None:
        kin.op(meeting_id, by, op_type, **fields)

    do(sam, "card.add", section="strengths", text=SAM_TEXTS[0], card_id="c_sam")
    do(gran, "card.add", section="harm", text=GRAN_TEXTS[0], card_id="c_gran")
    do(facilitator, "card.add", section="goals", text=FACILITATOR_TEXT, card_id="c_fac")
    do(sam, "card.react", card_id="c_sam", stance="agree")
    do(gran, "card.react", card_id="c_gran", stance="agree")
    do(sam, "card.react", card_id="c_fac", stance="agree")
    overall = next(s.id for s in kin.board(meeting_id).scales.values() if s.overall)
    do(facilitator, "round.open", scale_id=overall)
    do(sam, "vote.cast", scale_id=overall, value=7, reason=SAM_TEXTS[1])
    do(gran, "vote.cast", scale_id=overall, value=3, reason=GRAN_TEXTS[1])
    do(facilitator, "round.reveal", scale_id=overall)
    do(
        facilitator,
        "scale.add",
        scale_id="s_school",
        question="Is Leo going to school?",
        low_label="Never",
        high_label="Every day",
    )
    do(facilitator, "round.open", scale_id="s_school")
    do(sam, "vote.cast", scale_id="s_school", value=6, reason=SAM_TEXTS[2])
    do(gran, "vote.cast", scale_id="s_school", value=2, reason=GRAN_TEXTS[2])
    do(facilitator, "minutes.take")
    do(sam, "minutes.sign", minutes=1, stance="agree")
    do(gran, "minutes.sign", minutes=1, stance="disagree", reason=GRAN_TEXTS[3])
    return {
        "sam": sam,
        "gran": gran,
        "sam_browser": sam_browser,
        "gran_browser": gran_browser,
        "person_link": person.id,
        "links": links,
        "texts": (*SAM_TEXTS, *GRAN_TEXTS, FACILITATOR_TEXT),
    }


# --- the audit log ------------------------------------------------------------------------


def csv_rows(answer: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(answer.text)))


def test_the_audit_log_records_who_did_what_and_never_what_they_wrote(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    sam, gran = people["sam"], people["gran"]
    kin.op(mid, facilitator, "participant.remove", participant_id=gran)
    sam_browser: Browser = people["sam_browser"]
    assert sam_browser.get(f"/m/{mid}/minutes/1").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.json").status_code == 200
    entries = kin.audit(mid)
    links = {link.kind.value: link.id for link in kin.run(kin.store.meeting_links, mid)}

    joins = {e["by"]: e for e in entries if e["event"] == "join"}
    assert (joins[sam]["role"], joins[sam]["link_id"]) == ("parent", links["participant"])
    assert (joins[gran]["role"], joins[gran]["link_id"]) == ("network", people["person_link"])
    assert joins[facilitator]["role"] == "facilitator"
    ops_ = [e for e in entries if e["event"] == "op"]
    card = next(e for e in ops_ if e["op"] == "card.add" and e["by"] == sam)
    assert (card["role"], card["link_id"], card["entities"]) == (
        "parent",
        links["participant"],
        ["card:c_sam"],
    )
    assert isinstance(card["seq"], int) and card["at"]
    gran_card = next(e for e in ops_ if e["op"] == "card.add" and e["by"] == gran)
    assert (gran_card["role"], gran_card["link_id"]) == ("network", people["person_link"])
    assert {e["op"] for e in ops_} >= {
        "card.add",
        "card.react",
        "round.open",
        "vote.cast",
        "round.reveal",
        "scale.add",
        "minutes.take",
        "minutes.sign",
        "participant.remove",
    }
    assert any(e["event"] == "link.created" for e in entries)
    removed = next(e for e in entries if e["event"] == "participant.removed")
    assert (removed["by"], removed["participant"]) == (facilitator, gran)
    viewed = [e for e in entries if e["event"] == "minutes.viewed"]
    downloaded = [e for e in entries if e["event"] == "minutes.downloaded"]
    assert [(e["by"], e["minutes"]) for e in viewed] == [(sam, 1)]
    assert sorted(e["format"] for e in downloaded) == ["json", "md"]
    signins = kin.audit(server.staff.STAFF_LOG)
    assert [(e["event"], e["staff"]) for e in signins] == [
        ("staff.signin", "priya@council.example")
    ]

    # Never what anyone wrote: not in the log, the Activity page or the CSV.
    page = staff.get(f"/m/{mid}/activity")
    sheet = staff.get(f"/m/{mid}/activity.csv")
    assert page.status_code == sheet.status_code == 200
    assert sheet.headers["content-disposition"].startswith("attachment;")
    assert sheet.headers["cache-control"] == "no-store"
    everything = json.dumps(entries) + page.text + sheet.text
    for text in (*people["texts"], "Is Leo going to school?", "Meeting for Ava"):
        assert text not in everything, text
        assert html.escape(text) not in page.text, text
    rows = csv_rows(sheet)
    assert rows[0] == list(AUDIT_COLUMNS)
    assert len(rows) == len(entries) + 1


def test_the_activity_page_names_its_columns_in_the_readers_language(
    looked_after: dict[str, Any],
) -> None:
    """The page's headings are the reader's words; the CSV's header stays the same English
    names whatever the language, for the machines that read it."""
    mid = looked_after["meeting_id"]
    polish = {"Accept-Language": "pl"}
    page = looked_after["staff"].get(f"/m/{mid}/activity", headers=polish).text
    headings = re.findall(r'<th scope="col">([^<]+)</th>', page)
    words = i18n.translations("pl")
    english = ["When", "What happened", "Who did it", "Their role", "Link", "Change"]
    english += ["What it changed", "Staff member", "Person it was about"]
    assert headings == [html.escape(words.pgettext("activity column", w)) for w in english]
    assert headings[0] != "When"
    sheet = looked_after["staff"].get(f"/m/{mid}/activity.csv", headers=polish)
    assert csv_rows(sheet)[0] == list(AUDIT_COLUMNS)


def test_reading_the_same_minutes_again_within_a_minute_is_written_down_once(
    kin: Kin, looked_after: dict[str, Any], clock: MovableClock
) -> None:
    mid = looked_after["meeting_id"]
    sam_browser = kin.browser("203.0.113.50")
    sam = joined(sam_browser, looked_after["links"]["participant"], "Sam")
    gran_browser = kin.browser("203.0.113.51")
    gran = joined(gran_browser, looked_after["person_link"], "ignored", None)

    def reads() -> list[tuple[str, str, str | None]]:
        return [
            (e["event"], e["by"], e.get("format"))
            for e in kin.audit(mid)
            if e["event"] in ("minutes.viewed", "minutes.downloaded")
        ]

    for _ in range(5):
        assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
        assert sam_browser.get(f"/m/{mid}/minutes/1").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.json").status_code == 200
    assert gran_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    once = [
        ("minutes.downloaded", sam, "md"),
        ("minutes.viewed", sam, None),
        ("minutes.downloaded", sam, "json"),  # another file
        ("minutes.downloaded", gran, "md"),  # another person
    ]
    assert reads() == once
    clock.now += 59
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert reads() == once
    clock.now += 1
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert reads() == [*once, ("minutes.downloaded", sam, "md")]


def test_the_activity_page_and_csv_are_for_the_meetings_staff_only(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    facilitator = kin.browser("203.0.113.60")  # the facilitator's link, but not staff
    joined(facilitator, looked_after["links"]["facilitator"], "Fran", None)
    parent = kin.browser("203.0.113.61")
    joined(parent, looked_after["links"]["participant"], "Sam")
    for who in (facilitator, parent, kin.browser("203.0.113.62")):
        for path in (f"/m/{mid}/activity", f"/m/{mid}/activity.csv"):
            assert who.get(path).status_code == 403, path
    for path in (f"/m/{mid}/activity", f"/m/{mid}/activity.csv"):
        assert looked_after["staff"].get(path).status_code == 200
        assert kin.browser().get(path, headers=KEY).status_code == 200


def test_activity_csv_cells_cannot_run_as_spreadsheet_formulas(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    dangerous = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
    for column, value in zip(("by", "role", "link_id", "op", "staff"), dangerous, strict=True):
        kin.run(kin.store.append_audit, mid, {"at": "2027-01-01", "event": "test", column: value})
    kin.run(kin.store.append_audit, mid, {"at": "x", "event": "test", "entities": ["=1", "b"]})
    # End to end: a staff member whose email starts with "=" makes a link without having
    # joined the meeting, so the log names them by email.
    odd = "=cmd@evil.example"
    kin.add_staff(odd)
    kin.run(kin.staff.add_to_meeting, mid, odd)
    other = kin.browser("203.0.113.70")
    other.sign_in(odd)
    made = other.post(f"/api/meetings/{mid}/people-links", json={"name": "X", "role": "network"})
    assert made.status_code == 201
    rows = csv_rows(looked_after["staff"].get(f"/m/{mid}/activity.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    for value in [*dangerous, "=1 b", odd]:
        assert "'" + value in cells, value
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# --- retention and erasing ------------------------------------------------------------------


def sqlite_everything(path: Path) -> str:
    """Every row of every table, as text."""
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert {"meetings", "records", "oplog", "links", "sessions", "kv", "audit"} <= set(tables)
        rows = [
            f"{table}: {row!r}" for table in tables for row in db.execute(f"SELECT * FROM {table}")
        ]
    return "\n".join(rows)


def redis_everything(prefix: str) -> str:
    """Every key under the prefix and its whole value, as text."""
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    lines = []
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        kind = client.type(key)
        if kind == "string":
            value: Any = client.get(key)
        elif kind == "hash":
            value = client.hgetall(key)
        elif kind == "set":
            value = sorted(client.smembers(key))
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        elif kind == "zset":
            value = client.zrange(key, 0, -1)
        else:
            value = f"<{kind}>"
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    client.close()
    return "\n".join(lines)


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if request.param == "sqlite":
        path = tmp_path / "kinboard.sqlite3"
        yield {"store": SQLiteStore(path), "dump": lambda: sqlite_everything(path), "extra": {}}
        return
    need_redis()
    prefix = f"kbtest-{secrets.token_hex(6)}"
    yield {
        "store": RedisStore(REDIS_URL, prefix=prefix),
        "dump": lambda: redis_everything(prefix),
        "extra": {"redis_url": REDIS_URL, "redis_prefix": prefix},
    }
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def kin_on(
    backend: dict[str, Any], tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Kin]:
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock, store=backend["store"], **backend["extra"])


def traces(kin: Kin, meeting_id: str, people: dict[str, Any]) -> list[str]:
    """What must not outlive the meeting: its id, its people's ids, its links' ids and
    token hashes, and every word written in it."""
    links = kin.run(kin.store.meeting_links, meeting_id)
    return [
        meeting_id,
        *kin.board(meeting_id).participants,
        *(link.id for link in links),
        *(link.token_hash for link in links),
        *people["texts"],
    ]


def leftovers(dump: str, what: list[str]) -> list[str]:
    """What is still there, apart from the log of erasures (a line of its own in a dump)."""
    kept = "\n".join(line for line in dump.splitlines() if ERASURE_LOG not in line)
    return [trace for trace in what if trace in kept]


def erasures(kin: Kin) -> list[tuple[str, str]]:
    entries = kin.audit(ERASURE_LOG)
    assert all(set(e) == {"at", "event", "meeting_id", "by"} for e in entries), entries
    assert {e["event"] for e in entries} <= {"meeting.erased"}
    return [(e["meeting_id"], e["by"]) for e in entries]


def test_a_closed_meeting_is_purged_completely_once_its_retention_period_has_passed(
    kin_on: Kin, backend: dict[str, Any], clock: MovableClock
) -> None:
    kin = kin_on
    staff, doomed = staff_with_meeting(kin)
    (facilitator,) = kin.board(doomed).participants
    people = full_meeting(kin, doomed, facilitator)
    kept = kin.new_meeting(title="Still going")
    kept_parent = kin.browser("203.0.113.80")
    kept_id = joined(kept_parent, kept["links"]["participant"], "Kim")
    kin.op(kept["id"], kept_id, "card.add", section="goals", text="KEPT-CARD Kim's goal")
    later = kin.new_meeting(title="Closed two days later")
    later_facilitator = joined(
        kin.browser("203.0.113.81"), later["links"]["facilitator"], "F", None
    )

    kin.op(doomed, facilitator, "meeting.close")
    # Closing ends every session of the meeting but the family's, who read "Our plan"
    # only; staff still read it as staff.
    sam_browser: Browser = people["sam_browser"]
    closed = sam_browser.get(f"/api/meetings/{doomed}")
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "closed")
    assert staff.cookie(f"kb_{doomed}") is not None
    session = kin.run(kin.services.sessions.find, staff.cookie(f"kb_{doomed}"), doomed)
    assert session is None  # the facilitator's own participant session ended too
    assert staff.get(f"/api/meetings/{doomed}").status_code == 200
    assert kin.browser().join(people["links"]["participant"], "Late").status_code == 409

    what = traces(kin, doomed, people)
    assert leftovers(backend["dump"](), what) == what  # all there before: the check can fail
    clock.now += 2 * 86400
    kin.op(later["id"], later_facilitator, "meeting.close")
    clock.now += kin.settings.retention_days * 86400 - 2 * 86400 - 60
    assert kin.run(kin.services.retention.purge_expired) == []
    assert kin.board(doomed).meeting.status.value == "closed"
    clock.now += 120
    assert erasures(kin) == []
    assert kin.run(kin.services.retention.purge_expired) == [doomed]
    assert leftovers(backend["dump"](), what) == []
    # Only the record that it was erased, by whom and when, outlives it.
    assert erasures(kin) == [(doomed, "retention")]
    assert kin.audit(ERASURE_LOG)[0]["at"] == iso(clock.now)
    # The other meetings are whole.
    assert [c.text for c in kin.board(kept["id"]).cards.values()] == ["KEPT-CARD Kim's goal"]
    assert kin.board(later["id"]).meeting.status.value == "closed"
    clock.now += 2 * 86400
    assert kin.run(kin.services.retention.purge_expired) == [later["id"]]
    assert kin.board(kept["id"]).meeting.status.value == "open"
    assert erasures(kin) == [(doomed, "retention"), (later["id"], "retention")]


def test_erasing_a_meeting_removes_everything_about_it_at_once(
    kin_on: Kin, backend: dict[str, Any]
) -> None:
    kin = kin_on
    staff, doomed = staff_with_meeting(kin)
    (facilitator,) = kin.board(doomed).participants
    people = full_meeting(kin, doomed, facilitator)
    other = kin.new_meeting(title="Another family")
    what = traces(kin, doomed, people)
    assert leftovers(backend["dump"](), what) == what
    sam_browser: Browser = people["sam_browser"]
    assert sam_browser.request("DELETE", f"/api/meetings/{doomed}").status_code == 403
    assert erasures(kin) == []
    assert staff.request("DELETE", f"/api/meetings/{doomed}").status_code == 204
    assert leftovers(backend["dump"](), what) == []
    assert erasures(kin) == [(doomed, "priya@council.example")]
    assert sam_browser.get(f"/api/meetings/{doomed}").status_code == 403
    assert staff.get(f"/api/meetings/{doomed}").status_code in (403, 404)
    assert "Meeting for Ava" not in staff.get("/").text
    assert kin.browser().join(people["links"]["participant"], "Sam").status_code == 404
    assert kin.board(other["id"]).meeting.title == "Another family"
    assert staff.request("DELETE", f"/api/meetings/{doomed}").status_code in (403, 404)
    assert erasures(kin) == [(doomed, "priya@council.example")]  # nothing more was erased
    # Neither a meeting's staff nor anyone else reads the log of erasures as a meeting's.
    for who in (staff, sam_browser):
        assert who.get(f"/m/{ERASURE_LOG}/activity").status_code in (403, 404)


def erased_words_on_disk(kin: Kin, tmp_path: Path, checkpoint: bool) -> list[str]:
    staff, doomed = staff_with_meeting(kin)
    (facilitator,) = kin.board(doomed).participants
    people = full_meeting(kin, doomed, facilitator)
    assert staff.request("DELETE", f"/api/meetings/{doomed}").status_code == 204
    if checkpoint:
        with sqlite3.connect(tmp_path / "kinboard.sqlite3") as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("kinboard.sqlite3*"))
    assert raw
    return [text for text in people["texts"] if text.encode() in raw]


def test_an_erased_meetings_words_are_not_left_in_free_pages_of_the_database_file(
    kin: Kin, tmp_path: Path
) -> None:
    # Holds because this SQLite is built with SECURE_DELETE on; the store does not ask for it.
    assert erased_words_on_disk(kin, tmp_path, checkpoint=True) == []


def test_an_erased_meetings_words_are_not_left_in_the_write_ahead_log(
    kin: Kin, tmp_path: Path
) -> None:
    assert erased_words_on_disk(kin, tmp_path, checkpoint=False) == []


def test_failed_sign_ins_at_unknown_emails_are_forgotten_once_their_window_ends(
    kin_on: Kin, backend: dict[str, Any], clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a stranger types as an e-mail (perhaps someone's real address) is kept only
    as long as the sign-in limit needs it."""
    monkeypatch.setattr(server.staff, "FAILURE_DELAY", 0.0)
    kin = kin_on
    kin.add_staff("priya@council.example")
    typed = "no-such-person@elsewhere.example"
    stranger = kin.browser("203.0.113.66")
    assert stranger.sign_in(typed, "a guessed password").status_code == 401
    assert typed in backend["dump"]()
    if backend["extra"]:  # Redis forgets it by itself, on its own clock
        client = redis.Redis.from_url(REDIS_URL)
        (key,) = client.scan_iter(match=f"{backend['extra']['redis_prefix']}:counter:*{typed}")
        assert 0 < client.pttl(key) <= (server.staff.FAILURE_WINDOW + 60) * 1000
        client.close()
        return
    clock.now += server.staff.FAILURE_WINDOW - 1
    assert kin.browser("203.0.113.67").sign_in("priya@council.example").status_code == 303
    assert typed in backend["dump"]()  # still counted while its window lasts
    clock.now += 1
    assert kin.browser("203.0.113.68").sign_in("priya@council.example").status_code == 303
    assert typed not in backend["dump"]()


# --- a person's data (subject access) -------------------------------------------------------


def test_a_persons_export_has_all_of_theirs_and_none_of_anyone_elses(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    sam, gran = people["sam"], people["gran"]
    path = f"/api/meetings/{mid}/participants/{sam}/export"
    assert people["sam_browser"].get(path).status_code == 403  # staff only
    answer = staff.get(path)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"].startswith("attachment;")
    data = answer.json()
    assert (data["participant"]["id"], data["participant"]["name"]) == (sam, "Sam")
    assert [c["text"] for c in data["cards_added"]] == [SAM_TEXTS[0]]
    assert sorted((s["card_id"], s["stance"]) for s in data["agree_or_disagree"]) == [
        ("c_fac", "agree"),
        ("c_sam", "agree"),
    ]
    assert [(v["value"], v["reason"]) for v in data["votes"]] == [(7, SAM_TEXTS[1])]
    assert data["answered_open_rounds"] == [{"scale_id": "s_school", "round": 1}]
    assert [(s["minutes"], s["stance"]) for s in data["minutes_sign_offs"]] == [(1, "agree")]
    assert {e["event"] for e in data["activity"]} == {"join", "op"}
    assert all(sam in (e.get("by"), e.get("participant")) for e in data["activity"])
    text = answer.text
    for theirs in (*GRAN_TEXTS, "Gran", "ignored"):
        assert theirs not in text, theirs
    assert {v["voter"] for v in data["votes"]} == {sam}
    # An unknown person, or one of another meeting, is 404.
    assert staff.get(f"/api/meetings/{mid}/participants/p_nobody/export").status_code == 404
    assert gran in kin.board(mid).participants


@pytest.mark.parametrize("asker", ["staff", "api key"])
def test_a_persons_export_leaves_out_an_open_rounds_number_and_reason_until_the_reveal(
    kin: Kin, looked_after: dict[str, Any], asker: str
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    path = f"/api/meetings/{mid}/participants/{people['sam']}/export"

    def export() -> httpx.Response:
        answer = staff.get(path) if asker == "staff" else kin.client.get(path, headers=KEY)
        assert answer.status_code == 200, answer.text
        return answer

    before = export()
    assert SAM_TEXTS[2] not in before.text
    assert [v["value"] for v in before.json()["votes"]] == [7]  # the revealed round only
    assert before.json()["answered_open_rounds"] == [{"scale_id": "s_school", "round": 1}]
    kin.op(mid, facilitator, "round.reveal", scale_id="s_school")
    after = export().json()
    assert [(v["value"], v["reason"]) for v in after["votes"]] == [
        (7, SAM_TEXTS[1]),
        (6, SAM_TEXTS[2]),
    ]
    assert after["answered_open_rounds"] == []


def test_a_persons_export_names_no_other_participant(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    sam, gran = people["sam"], people["gran"]
    kin.op(mid, gran, "card.react", card_id="c_sam", stance="disagree")  # Gran's view of it
    text = staff.get(f"/api/meetings/{mid}/participants/{sam}/export").text
    assert [pid for pid in (gran, facilitator) if pid in text] == []
