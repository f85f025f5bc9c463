"""A family's journey over months, with the clock moved on: the first meeting, its agreed
minutes, the review a staff member starts three months later (in their list, opening,
its people invited again in one step), one scale trend across the family's meetings, and
"review due" / "review overdue" on the home page. On both stores.

The whole application in-process (pages, API, services, a real store), with the
injectable clock the tests move (tests/support/inprocess.py)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from server import i18n
from server.board.model import Board, Meeting
from server.board.roles import Role
from server.board.scales import overall_scale
from server.clock import iso
from server.store import Store
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore
from tests.support.inprocess import BASE, Browser, Kin, MovableClock, fast_hashing, start
from tests.support.services import REDIS_URL

PRIYA = "priya@council.example"
DAY = 86400


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(params=["sqlite", "redis"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    def make() -> Store:
        if request.param == "redis":
            return RedisStore(REDIS_URL, prefix=request.getfixturevalue("redis_prefix"))
        return SQLiteStore(tmp_path / "kinboard.sqlite3")

    return make


@pytest.fixture
def kin(
    tmp_path: Path, clock: MovableClock, new_store: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Kin]:
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock, store=new_store())


def today(clock: MovableClock, days: int = 0) -> str:
    return datetime.fromtimestamp(clock.now + days * DAY, UTC).date().isoformat()


def signed_in(kin: Kin) -> Browser:
    if kin.run(kin.staff.find, PRIYA) is None:
        kin.add_staff(PRIYA)
    browser = kin.browser("192.0.2.1")
    assert browser.sign_in(PRIYA).status_code == 303
    return browser


def start_meeting(staff: Browser, title: str, **family: str) -> str:
    fields = family or {"family_name": "Khan family", "case_ref": "CR-1042"}
    answer = staff.form("/meetings", {"title": title, "name": "Fay", **fields}, page="/")
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[1]


def person(kin: Kin, meeting_id: str, role: Role) -> str:
    return next(p.id for p in kin.board(meeting_id).participants.values() if p.role is role)


def join(kin: Kin, link: str, name: str, role: str) -> str:
    answer = kin.browser("192.0.2.40").join(link, name, role)
    assert answer.status_code == 200, answer.text
    return answer.json()["participant"]["id"]


def family_link(kin: Kin, meeting_id: str) -> str:
    return kin.run(kin.services.links.urls, meeting_id)["participant"]


def overall(kin: Kin, meeting_id: str) -> str:
    return next(s.id for s in kin.board(meeting_id).scales.values() if s.overall)


def vote(kin: Kin, meeting_id: str, values: dict[str, int]) -> None:
    """A round of the overall scale, each of these participants answering, revealed."""
    facilitator = person(kin, meeting_id, Role.FACILITATOR)
    scale = overall(kin, meeting_id)
    kin.op(meeting_id, facilitator, "round.open", scale_id=scale)
    for voter, value in values.items():
        kin.op(meeting_id, voter, "vote.cast", scale_id=scale, value=value)
    kin.op(meeting_id, facilitator, "round.reveal", scale_id=scale)


def agree(kin: Kin, meeting_id: str, next_review: str | None) -> int:
    facilitator = person(kin, meeting_id, Role.FACILITATOR)
    kin.op(meeting_id, facilitator, "decision.set", outcome="continue", next_review=next_review)
    kin.op(meeting_id, facilitator, "minutes.take")
    number = len(kin.board(meeting_id).minutes)
    kin.op(meeting_id, facilitator, "minutes.agree", minutes=number)
    return number


def family_of(kin: Kin, meeting_id: str) -> str:
    family_id = kin.run(kin.store.meeting_family, meeting_id)
    assert family_id is not None
    return family_id


def chain(kin: Kin, family_id: str) -> list[str]:
    return [m.meeting_id for m in kin.run(kin.services.families.chain, family_id)]


def review(staff: Browser, meeting_id: str) -> dict[str, Any]:
    answer = staff.post(f"/api/meetings/{meeting_id}/review", headers={"Origin": BASE})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_review_started_at_three_months_is_in_the_staff_members_list_and_opens(
    kin: Kin, clock: MovableClock
) -> None:
    priya = signed_in(kin)
    first = start_meeting(priya, "First meeting")
    sam = join(kin, family_link(kin, first), "Sam", "parent")
    gran = priya.post(
        f"/api/meetings/{first}/people-links", json={"name": "Gran", "role": "network"}
    )
    assert gran.status_code == 201
    # Two said they were workers on the family link, later; only Lee was confirmed.
    clock.now += 1
    join(kin, family_link(kin, first), "Kim", "professional")
    lee = join(kin, family_link(kin, first), "Lee", "professional")
    kin.op(first, person(kin, first, Role.FACILITATOR), "participant.confirm", participant_id=lee)
    kin.op(first, sam, "card.add", section="plan_rules", text="Gran stays on Fridays")
    agree(kin, first, today(clock, 90))

    clock.now += 90 * DAY
    priya = signed_in(kin)
    assert priya.form(f"/m/{first}/open", {}, page="/").status_code == 303
    made = review(priya, first)
    family_id = family_of(kin, first)
    assert made["family_id"] == family_id
    assert chain(kin, family_id) == [first, made["id"]]
    # The review starts from the agreed plan.
    assert [c.text for c in kin.board(made["id"]).cards.values()] == ["Gran stays on Fridays"]

    home = priya.get("/").text
    assert re.findall(r'data-family="([^"]+)"', home) == [family_id]
    assert f'action="/m/{made["id"]}/open"' in home
    opened = priya.form(f"/m/{made['id']}/open", {"name": "Fay"}, page="/")
    assert (opened.status_code, opened.headers["location"]) == (303, f"/m/{made['id']}")
    assert priya.get(f"/m/{made['id']}").status_code == 200
    assert priya.get(f"/m/{made['id']}/activity").status_code == 200
    facilitator = person(kin, made["id"], Role.FACILITATOR)
    exported = priya.get(f"/api/meetings/{made['id']}/participants/{facilitator}/export")
    assert exported.status_code == 200

    # "Invite the same people": one step, a fresh link each for Sam, Lee and Gran, listed;
    # not for Kim, who was never confirmed as a worker.
    invited = priya.post(f"/api/meetings/{made['id']}/invite-same-people", json={})
    assert invited.status_code == 201, invited.text
    links = invited.json()["links"]
    assert [(link["name"], link["role"]) for link in links] == [
        ("Sam", "parent"),
        ("Lee", "professional"),
        ("Gran", "network"),
    ]
    again = priya.post(f"/api/meetings/{made['id']}/invite-same-people", json={})
    assert again.json()["links"] == links  # the same links, not a second set
    assert join(kin, links[0]["url"], "Sam", "parent")
    first_links = kin.run(kin.services.links.person_links, first)
    assert {link["url"] for link in links}.isdisjoint(link["url"] for link in first_links)

    # Its own staff erase it; the family keeps its first meeting.
    erased = priya.request("DELETE", f"/api/meetings/{made['id']}")
    assert erased.status_code == 204, erased.text
    assert chain(kin, family_id) == [first]


def test_a_chain_of_three_meetings_shows_one_trend(kin: Kin, clock: MovableClock) -> None:
    priya = signed_in(kin)
    first = start_meeting(priya, "First meeting")
    sam = join(kin, family_link(kin, first), "Sam", "parent")
    vote(kin, first, {sam: 3, person(kin, first, Role.FACILITATOR): 2})
    agree(kin, first, None)
    family_id = family_of(kin, first)

    # The second meeting is started afresh for the family, not as a review.
    clock.now += 60
    second = start_meeting(priya, "Second meeting", family_id=family_id)
    sam2 = join(kin, family_link(kin, second), "Sam", "parent")
    vote(kin, second, {sam2: 5, person(kin, second, Role.FACILITATOR): 4})
    agree(kin, second, None)

    clock.now += 60
    third = review(priya, second)["id"]
    assert priya.form(f"/m/{third}/open", {"name": "Fay"}, page="/").status_code == 303
    sam3 = join(kin, family_link(kin, third), "Sam", "parent")
    vote(kin, third, {sam3: 7, person(kin, third, Role.FACILITATOR): 6})
    assert chain(kin, family_id) == [first, second, third]
    number = agree(kin, third, None)

    scales = [s for s in kin.board(third).scales.values() if not s.deleted]
    assert len(scales) == 1
    assert [p.meeting_id for p in scales[0].history] == [first, second]
    page = priya.get(f"/m/{third}/minutes/{number}").text
    assert page.count('data-role="trend"') == 1
    chart = page[page.index('data-role="trend"') :]
    chart = chart[: chart.index("</figure>")]
    assert "This meeting" in chart
    assert (
        len(re.findall(r'<text x="[\d.]+" y="\d+" font-size="11" text-anchor="middle"', chart)) == 3
    )


def test_review_due_and_overdue_follow_the_clock(kin: Kin, clock: MovableClock) -> None:
    priya = signed_in(kin)
    first = start_meeting(priya, "First meeting")
    agree(kin, first, today(clock, 20))

    def label(language: str = "en") -> str | None:
        page = signed_in(kin).get("/", headers={"Accept-Language": language}).text
        found = re.search(r'class="review-(?:due|overdue)">([^<]+)<', page)
        return found.group(1) if found else None

    polish = i18n.translations("pl")
    assert label() is None  # twenty days away: the date alone
    clock.now += 15 * DAY
    assert label() == "review due in 5 days"
    in_five = polish.ngettext("review due in %(num)s day", "review due in %(num)s days", 5)
    assert label("pl") == in_five % {"num": 5} != "review due in 5 days"
    clock.now += 4 * DAY
    assert label() == "review due tomorrow"
    clock.now += DAY
    assert label() == "review due today"
    clock.now += DAY
    assert label() == "review overdue"
    assert label("pl") == polish.gettext("review overdue") != "review overdue"
    # Once the review has started, it is no longer due.
    review(signed_in(kin), first)
    assert label() is None


def test_meetings_from_before_families_are_given_one_at_start_up(
    tmp_path: Path, clock: MovableClock, new_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data written before families: meetings without one, as today's main stores them."""
    fast_hashing(monkeypatch)
    store = new_store()
    # Recent enough not to be closed as idle at start-up.
    first = Meeting("m_old_first", "Meeting for Ava", created_at=iso(clock.now - 100 * DAY))
    later = Meeting(
        "m_old_review",
        "Review: Meeting for Ava",
        previous=first.id,
        created_at=iso(clock.now - 10 * DAY),
    )

    async def write_old_data() -> None:
        await store.open()
        for meeting in (first, later):
            scale = overall_scale(meeting.vocabulary, f"s_{meeting.id}", meeting.created_at, "")
            await store.create(Board(meeting, scales=MappingProxyType({scale.id: scale})))
            record = {"meeting_id": meeting.id, "staff": [PRIYA]}
            await store.put_record("meeting_staff", meeting.id, record)
        await store._write_version(2)  # the data version of the release before families
        await store.close()

    asyncio.run(write_old_data())
    for kin in start(tmp_path, clock, store=new_store()):
        priya = signed_in(kin)
        family_id = family_of(kin, first.id)
        assert chain(kin, family_id) == [first.id, later.id]
        assert kin.run(kin.store.family, family_id).name == "Meeting for Ava"
        home = priya.get("/").text
        assert re.findall(r'data-family="([^"]+)"', home) == [family_id]
        assert priya.form(f"/m/{later.id}/open", {"name": "Fay"}, page="/").status_code == 303
    # Once: a second start adopts nothing again.
    for kin in start(tmp_path, clock, store=new_store()):
        assert chain(kin, family_id) == [first.id, later.id]
        assert kin.run(kin.store.staff_families, PRIYA, "", 0, 10).total == 1
