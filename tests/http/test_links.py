"""The meeting's general links over HTTP, in-process: who is shown the family link's QR code,
turning the family link off and on, and renewing and turning off the facilitator link."""

from __future__ import annotations

import io

import segno

from tests.support.inprocess import KEY, Browser, Kin


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
