"""The meeting's general links over HTTP, in-process: who is shown the family link's QR code,
turning the family link off and on, and renewing and turning off the facilitator link."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import segno

from tests.support.inprocess import (
    KEY,
    Browser,
    Kin,
    MovableClock,
    fast_hashing,
    start,
    token_of,
)
from tests.support.stores import Backend


def qr_of(url: str) -> str:
    """The QR code the server draws for this link."""
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, scale=8, border=2)
    return svg.getvalue().decode()


def joined(kin: Kin, link: str, name: str, role: str | None = None) -> Browser:
    browser = kin.browser()
    answer = browser.join(link, name, role)
    assert answer.status_code == 200, answer.text
    return browser


def test_the_qr_code_is_for_the_facilitator_and_the_room_screen_only(kin: Kin) -> None:
    meeting = kin.new_meeting()
    mid, links = meeting["id"], meeting["links"]
    kin.add_staff("priya@council.example")
    staff = kin.browser()
    assert staff.sign_in("priya@council.example").status_code == 303
    kin.run(kin.staff.add_to_meeting, mid, "priya@council.example")
    person = kin.client.post(
        f"/api/meetings/{mid}/people-links", json={"name": "Gran", "role": "network"}, headers=KEY
    ).json()["url"]
    other = kin.new_meeting()["links"]["facilitator"]
    shown = {
        "facilitator": joined(kin, links["facilitator"], "Priya"),
        "display": joined(kin, links["display"], ""),
        "staff": staff,
    }
    refused = {
        "parent": joined(kin, links["participant"], "Sam", "parent"),
        "professional": joined(kin, links["participant"], "Jo", "professional"),
        "invited by name": joined(kin, person, "", None),
        "another meeting's facilitator": joined(kin, other, "Mallory"),
        "nobody": kin.browser(),
    }
    path = f"/m/{mid}/qr.svg"
    for name, browser in shown.items():
        answer = browser.get(path)
        assert answer.status_code == 200, name
        assert answer.text == qr_of(links["participant"]), name
        assert answer.headers["cache-control"] == "no-store"
    assert kin.client.get(path, headers=KEY).text == qr_of(links["participant"])
    for name, browser in refused.items():
        answer = browser.get(path)
        assert answer.status_code == 403, name
        assert "svg" not in answer.text, name

    # Right after a renewal the screen shows the new link; the others still get nothing.
    renewed = kin.client.post(f"/api/meetings/{mid}/links/participant/renew", headers=KEY)
    new = renewed.json()["participant"]
    assert new != links["participant"]
    assert shown["display"].get(path).text == qr_of(new)
    for name, browser in refused.items():
        assert browser.get(path).status_code == 403, name


def test_the_family_link_can_be_turned_off_and_on_again(kin: Kin) -> None:
    meeting = kin.new_meeting()
    mid, links = meeting["id"], meeting["links"]
    facilitator = joined(kin, links["facilitator"], "Priya")
    sam = joined(kin, links["participant"], "Sam", "parent")
    path = f"/api/meetings/{mid}/links/participant"
    assert sam.request("DELETE", path).status_code == 403  # only the facilitator may
    assert kin.browser().join(links["participant"], "Gran", "network").status_code == 200

    off = facilitator.request("DELETE", path)
    assert off.status_code == 200, off.text
    assert off.json() == {"facilitator": links["facilitator"], "display": links["display"]}
    assert facilitator.get(f"/api/meetings/{mid}/links").json() == off.json()
    for answer in (
        kin.browser().join(links["participant"], "Mallory", "parent"),
        kin.browser().post("/api/join/preview", json={"token": token_of(links["participant"])}),
    ):
        error = answer.json()["error"]
        assert (answer.status_code, error["code"]) == (410, "link_off")
        assert "turned this link off" in error["message"]
    assert facilitator.get(f"/m/{mid}/qr.svg").status_code == 404
    # Who came in by it stays; the other links go on working.
    assert sam.get(f"/api/meetings/{mid}").status_code == 200
    assert kin.browser().join(links["display"], "").status_code == 200
    names = [p.name for p in kin.board(mid).participants.values()]
    assert "Mallory" not in names and {"Sam", "Gran"} <= set(names)
    # Turning it off again, or something that is not a general link, changes nothing.
    assert facilitator.request("DELETE", path).status_code == 200
    for kind in ("person", "nonsense"):
        answer = facilitator.request("DELETE", f"/api/meetings/{mid}/links/{kind}")
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid"), kind

    on = facilitator.post(f"{path}/renew")
    assert on.status_code == 200
    fresh = on.json()["participant"]
    assert fresh != links["participant"]
    assert facilitator.get(f"/m/{mid}/qr.svg").text == qr_of(fresh)
    assert kin.browser().join(fresh, "Ava", "child").status_code == 200
    stale = kin.browser().join(links["participant"], "Mallory", "parent")
    assert (stale.status_code, stale.json()["error"]["code"]) == (410, "link_gone")
    events = [(e["event"], e.get("link")) for e in kin.audit(mid) if e["event"].startswith("link.")]
    assert events == [("link.turned_off", "participant")] * 2 + [("link.renewed", "participant")]


@pytest.fixture
def kin_on(
    backend: Backend, tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Kin]:
    """The application on SQLite or on Redis."""
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock, store=backend.new_store())


def session_of(kin: Kin, browser: Browser, mid: str) -> Any:
    return kin.run(kin.services.sessions.find, browser.cookie(f"kb_{mid}"), mid)


def test_the_facilitator_link_can_be_renewed_and_turned_off_without_shutting_out_staff(
    kin_on: Kin,
) -> None:
    kin = kin_on
    kin.add_staff("priya@council.example")
    staff = kin.browser()
    assert staff.sign_in("priya@council.example").status_code == 303
    started = staff.form("/meetings", {"title": "Meeting for Ava", "name": "Priya"}, page="/")
    assert started.status_code == 303, started.text
    mid = started.headers["location"].rsplit("/", 1)[1]
    old = kin.run(kin.services.links.urls, mid)["facilitator"]
    # The facilitator link went where it should not: Mallory is in, as a facilitator.
    jo = joined(kin, old, "Jo")
    mallory = joined(kin, old, "Mallory")
    assert mallory.get(f"/api/meetings/{mid}/links").status_code == 200

    # Jo renews it: the old link and Mallory's session stop at once; Jo and staff stay.
    renewed = jo.post(f"/api/meetings/{mid}/links/facilitator/renew")
    assert renewed.status_code == 200, renewed.text
    new = renewed.json()["facilitator"]
    assert new != old
    for answer in (
        kin.browser().join(old, "Mallory again"),
        kin.browser().post("/api/join/preview", json={"token": token_of(old)}),
    ):
        assert (answer.status_code, answer.json()["error"]["code"]) == (410, "link_gone")
    assert session_of(kin, mallory, mid) is None
    for path in (f"/api/meetings/{mid}/links", f"/api/meetings/{mid}", f"/m/{mid}/qr.svg"):
        assert mallory.get(path).status_code == 403, path
    assert jo.get(f"/api/meetings/{mid}/links").json()["facilitator"] == new
    assert session_of(kin, staff, mid) is not None
    sam = joined(kin, renewed.json()["participant"], "Sam", "parent")

    # Staff turn it off: whoever came in by the new one is out; the family stays.
    late = joined(kin, new, "Kim")
    off = staff.request("DELETE", f"/api/meetings/{mid}/links/facilitator")
    assert off.status_code == 200, off.text
    assert "facilitator" not in off.json()
    answer = kin.browser().join(new, "Kim again")
    assert (answer.status_code, answer.json()["error"]["code"]) == (410, "link_off")
    assert session_of(kin, late, mid) is None
    assert late.get(f"/api/meetings/{mid}").status_code == 403
    assert session_of(kin, staff, mid) is not None
    assert session_of(kin, sam, mid) is not None
    # The staff member still opens their meeting, through their staff session.
    staff.jar.clear()
    assert staff.sign_in("priya@council.example").status_code == 303
    opened = staff.form(f"/m/{mid}/open", {}, page="/")
    assert (opened.status_code, opened.headers["location"]) == (303, f"/m/{mid}")
    assert session_of(kin, staff, mid) is not None
    assert staff.get(f"/m/{mid}").status_code == 200
    # ...and can turn it on again, with a link nobody has seen.
    again = staff.post(f"/api/meetings/{mid}/links/facilitator/renew").json()["facilitator"]
    assert again not in (old, new)
    assert kin.browser().join(again, "Priya's colleague").status_code == 200
    entries = kin.audit(mid)
    joins = [(e["link"], e["role"]) for e in entries if e["event"] == "join"]
    assert joins[0] == ("staff", "facilitator")
    assert [e["event"] for e in entries if e["event"] in ("join", "staff.reopened")][-2] == (
        "staff.reopened"
    )
