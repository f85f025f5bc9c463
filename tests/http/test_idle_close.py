"""Retention that fits practice: an open meeting nothing has changed in for
KINBOARD_IDLE_CLOSE_DAYS (180) is closed, its staff warned 14 days before; the normal
retention then erases it. On both stores, with the clock moved on."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from server import i18n
from server.board.errors import Closed
from server.clock import iso
from tests.support.inprocess import KEY, Kin, MovableClock, fast_hashing, start
from tests.support.stores import Backend

DAY = 86400
STAFF = "priya@council.example"


@pytest.fixture
def kin(
    backend: Backend, tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Kin]:
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock, store=backend.new_store())


def long_date(timestamp: float) -> str:
    return i18n.format_date(date.fromisoformat(iso(timestamp)[:10]), "en")


def test_an_idle_meeting_closes_at_180_days_after_a_warning_from_166_then_is_purged(
    kin: Kin, clock: MovableClock
) -> None:
    kin.add_staff(STAFF)
    staff = kin.browser()
    assert staff.sign_in(STAFF).status_code == 303
    made = staff.form("/meetings", {"title": "Meeting for Ava", "name": "Priya"}, page="/")
    mid = made.headers["location"].rsplit("/", 1)[1]
    (facilitator,) = kin.board(mid).participants
    links = kin.run(kin.services.links.urls, mid)
    sam = kin.browser("203.0.113.5")
    sam_id = sam.join(links["participant"], "Sam", "parent").json()["participant"]["id"]
    gran = kin.run(kin.services.links.add_person_link, mid, "Gran", "network", 90, facilitator)
    busy = kin.new_meeting(title="Still busy")
    busy_facilitator = kin.browser("203.0.113.6").join(busy["links"]["facilitator"], "F", None)
    busy_id = busy_facilitator.json()["participant"]["id"]
    kin.op(mid, sam_id, "card.add", section="strengths", text="Sam walks Ava to school")
    last = clock.now

    def activity() -> str:
        staff.sign_in(STAFF)  # a staff session lasts 8 hours: months pass here
        page = staff.get(f"/m/{mid}/activity")
        assert page.status_code == 200
        return page.text

    clock.now = last + 100 * DAY
    kin.op(busy["id"], busy_id, "card.add", section="goals", text="Keeps changing")
    clock.now = last + 165 * DAY
    assert 'data-role="idle-warning"' not in activity()
    assert kin.client.get(f"/api/meetings/{mid}", headers=KEY).json()["retention"] == {
        "purge_at": None,
        "idle_close_at": None,
        "last_change": None,
    }
    clock.now = last + 166 * DAY
    page = activity()
    warning = (
        f"This meeting will close on {long_date(last + 180 * DAY)} because nothing has "
        f"changed since {long_date(last)}."
    )
    assert warning in page
    assert "records deleted on" not in staff.get("/").text  # open: no purge date yet
    retention = kin.client.get(f"/api/meetings/{mid}", headers=KEY).json()["retention"]
    assert retention["idle_close_at"] == iso(last + 180 * DAY)
    assert retention["last_change"] == iso(last)
    # The index finds it without reading any board; the busy meeting is not idle.
    assert mid in kin.run(kin.store.idle_meetings, clock.now - 166 * DAY)
    assert busy["id"] not in kin.run(kin.store.idle_meetings, clock.now - 166 * DAY)

    clock.now = last + 179 * DAY
    assert kin.run(kin.services.retention.close_idle) == []
    assert kin.board(mid).meeting.status.value == "open"
    clock.now = last + 180 * DAY
    assert kin.run(kin.services.retention.close_idle) == [mid]
    assert kin.run(kin.services.retention.close_idle) == []  # once
    meeting = kin.board(mid).meeting
    assert (meeting.status.value, meeting.closed_at) == ("closed", iso(clock.now))
    assert kin.board(busy["id"]).meeting.status.value == "open"
    (entry,) = [e for e in kin.audit(mid) if e["event"] == "meeting_idle_closed"]
    assert entry["last_change"] == iso(last) and entry["idle_days"] == 180
    assert entry["at"] == iso(clock.now)
    # Closed like any other: a family member's own link opens their plan, everything
    # else is refused `closed`, and the staff see when it is erased.
    phone = kin.browser("198.51.100.5")
    assert phone.join(kin.services.links.url(gran), "x", None).status_code == 200
    assert phone.get(f"/m/{mid}/plan").status_code == 200
    refused = phone.get(f"/api/meetings/{mid}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "closed")
    with pytest.raises(Closed):
        kin.op(mid, sam_id, "card.add", section="harm", text="Too late")
    purge_at = clock.now + kin.settings.retention_days * DAY
    page = activity()
    assert f"Its records will be deleted on {long_date(purge_at)}." in page
    home = staff.get("/")
    assert f"records deleted on {long_date(purge_at)}" in home.text
    assert 'data-role="idle-warning"' not in page
    assert facilitator in kin.board(mid).participants

    clock.now = purge_at - 1
    assert kin.run(kin.services.retention.purge_expired) == []
    clock.now = purge_at
    assert kin.run(kin.services.retention.purge_expired) == [mid]
    assert mid not in kin.run(kin.store.idle_meetings, clock.now)
    assert phone.get(f"/m/{mid}/plan").status_code == 403
    assert kin.board(busy["id"]).meeting.status.value == "open"


def test_a_change_made_just_in_time_keeps_the_meeting_open(kin: Kin, clock: MovableClock) -> None:
    meeting = kin.new_meeting(title="Meeting for Leo")
    answer = kin.browser("203.0.113.7").join(meeting["links"]["facilitator"], "Priya", None)
    facilitator = answer.json()["participant"]["id"]
    started = clock.now
    clock.now = started + 179 * DAY
    kin.op(meeting["id"], facilitator, "card.add", section="goals", text="Still here")
    clock.now = started + 200 * DAY
    assert kin.run(kin.services.retention.close_idle) == []
    clock.now = started + 359 * DAY
    assert kin.run(kin.services.retention.close_idle) == [meeting["id"]]


def test_two_workers_closing_an_idle_meeting_at_once_close_and_audit_it_once(
    kin: Kin, clock: MovableClock
) -> None:
    meeting = kin.new_meeting(title="Meeting for Mo")
    clock.now += 180 * DAY
    retention = kin.services.retention

    async def both() -> list[list[str]]:
        return list(await asyncio.gather(retention.close_idle(), retention.close_idle()))

    assert sorted(kin.run(both)) == [[], [meeting["id"]]]
    closes = [e for e in kin.audit(meeting["id"]) if e["event"] == "meeting_idle_closed"]
    assert len(closes) == 1
    assert kin.board(meeting["id"]).meeting.status.value == "closed"


def test_the_families_list_warns_of_each_meeting_soon_to_close_for_being_idle(
    kin: Kin, clock: MovableClock
) -> None:
    kin.add_staff(STAFF)
    staff = kin.browser()
    assert staff.sign_in(STAFF).status_code == 303

    def start_meeting(title: str, family: str) -> tuple[str, str]:
        fields = {"title": title, "name": "Priya", "family_name": family}
        made = staff.form("/meetings", fields, page="/")
        mid = made.headers["location"].rsplit("/", 1)[1]
        (facilitator,) = kin.board(mid).participants
        return mid, facilitator

    quiet, quiet_facilitator = start_meeting("Meeting for Ava", "Khan family")
    busy, busy_facilitator = start_meeting("Meeting for Leo", "Okafor family")
    kin.op(quiet, quiet_facilitator, "card.add", section="strengths", text="Gran helps")
    last = clock.now

    def warnings() -> dict[str, str]:
        """Each listed meeting's idle warning, if it has one."""
        staff.sign_in(STAFF)  # a staff session lasts 8 hours: months pass here
        home = staff.get("/")
        assert home.status_code == 200
        found = {}
        for mid in (quiet, busy):
            assert f"/m/{mid}/open" in home.text
            item = home.text.split(f"/m/{mid}/open", 1)[1].split("</li>", 1)[0]
            if 'data-role="idle-warning"' in item:
                found[mid] = item
        return found

    clock.now = last + 100 * DAY
    kin.op(busy, busy_facilitator, "card.add", section="goals", text="Keeps changing")
    clock.now = last + 165 * DAY
    assert warnings() == {}
    clock.now = last + 166 * DAY
    (warned,) = warnings().items()
    assert warned[0] == quiet
    assert (
        f"This meeting will close on {long_date(last + 180 * DAY)} because nothing has "
        f"changed since {long_date(last)}. Any change on the board keeps it open."
    ) in warned[1]

    kin.op(quiet, quiet_facilitator, "card.add", section="goals", text="Back to it")
    changed = clock.now
    assert warnings() == {}
    clock.now = changed + 180 * DAY
    assert sorted(kin.run(kin.services.retention.close_idle)) == sorted([quiet, busy])
    assert warnings() == {}  # closed: the purge date is shown instead
    assert "records deleted on" in staff.get("/").text
