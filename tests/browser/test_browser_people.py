"""Looking after a meeting in real browsers: links for particular people, taking someone out,
and ending the meeting.

The facilitator makes a link for Grandma (family, friend or support person); Grandma joins
with it without being asked her name or role, and adds a card. The facilitator turns her
link off: Grandma's page says she is no longer in the meeting within seconds, and nothing
she tries afterwards is accepted. The facilitator takes Sam out of the meeting the same
way. Then the facilitator ends the meeting: every page still in it says so, nothing can be
changed, and the facilitator is told the day the records will be deleted.
"""

from __future__ import annotations

import asyncio
import datetime
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import socketio
from playwright.sync_api import Page, expect

from server.board.limits import MAX_LINK_DAYS, MAX_NAME
from tests.support.harness import API_KEY, ServerProcess, create_meeting
from tests.support.pages import LAPTOP, PHONE, PROJECTOR, Screens, join

ENDED_WITHIN_MS = 6_000  # the server closes ended sockets within 5 s even if its word is lost
NETWORK = "Family, friend or support person"
SESSION_ENDED = (
    "You are no longer in this meeting. If you think this is a mistake, please ask the facilitator."
)
TIME_ZONE = "Europe/London"
RETENTION_DAYS = 30  # the server's default (KINBOARD_RETENTION_DAYS)


def api(server: ServerProcess, path: str) -> Any:
    answer = httpx.get(
        f"{server.url}{path}", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()


def board_texts(server: ServerProcess, meeting_id: str) -> list[str]:
    return [card["text"] for card in api(server, f"/api/meetings/{meeting_id}")["cards"]]


def socket_refusal(server: ServerProcess, page: Page, meeting_id: str) -> str:
    """Open a socket as the person of this page (their session cookie) outside the page;
    the reason the server refuses it ("" if it lets them in)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies(server.url))

    async def attempt() -> str:
        sio = socketio.AsyncClient(reconnection=False)
        reasons: list[Any] = []
        sio.on("connect_error", reasons.append)
        try:
            await sio.connect(
                server.url,
                headers={"Cookie": cookie, "Origin": server.url},
                auth={"meeting_id": meeting_id},
                transports=["websocket"],
                wait_timeout=5,
            )
        except socketio.exceptions.ConnectionError:
            reason = reasons[0] if reasons else ""
            return reason.get("message", "") if isinstance(reason, dict) else str(reason)
        await sio.disconnect()
        return ""

    # Playwright's sync API owns this thread's event loop: the socket runs in another.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, attempt()).result()


def add_card(page: Page, section: str, text: str) -> None:
    place = page.locator(f"[data-section={section}]")
    place.locator("[data-action=add-card]").click()
    editor = place.locator(".add-slot [data-field=card-text]")
    editor.fill(text)
    editor.press("Enter")
    expect(place.locator("[data-card-id]", has_text=text)).not_to_have_class(
        re.compile("is-pending")
    )
    editor.press("Escape")


def expect_session_ended(page: Page) -> None:
    banner = page.locator("[data-role=session-ended]")
    expect(banner).to_be_visible(timeout=ENDED_WITHIN_MS)
    expect(banner).to_have_text(SESSION_ENDED)
    expect(page.locator("[data-role=connection]")).to_have_attribute("data-state", "ended")
    # The board stays to read; nothing on it can be changed.
    expect(page.locator("[data-action=add-card]:visible")).to_have_count(0)
    expect(page.locator("[data-card-id] [data-action=edit]:visible")).to_have_count(0)


def person_in_panel(page: Page, name: str) -> str:
    """The participant id of `name` in the facilitator's "People in this meeting"."""
    item = page.locator("[data-role=people] li[data-participant-id]", has_text=name)
    expect(item).to_have_count(1)
    participant_id = item.get_attribute("data-participant-id")
    assert participant_id
    return participant_id


def test_links_for_people_taking_someone_out_and_ending_the_meeting(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava and Leo")
    meeting_id, links = meeting["id"], meeting["links"]
    facilitator = screens.open(**LAPTOP, timezone_id=TIME_ZONE)
    join(facilitator, links["facilitator"], "Priya")
    sam = screens.open(**LAPTOP)
    join(sam, links["participant"], "Sam", "parent")
    okafor = screens.open(**LAPTOP)
    join(okafor, links["participant"], "Ms Okafor", "professional")
    room = screens.open(**PROJECTOR)
    join(room, links["display"], "")
    add_card(sam, "harm", "Leo came to school with a bruise on his arm")

    # --- a link for Grandma -------------------------------------------------------------
    facilitator.click("[data-role=share-toggle]")
    form = facilitator.locator("[data-role=new-person-link]")
    # the form's limits and its default days are the server's template's
    expect(form.locator("input[name=person-name]")).to_have_attribute("maxlength", str(MAX_NAME))
    expect(form.locator("input[name=person-days]")).to_have_attribute("max", str(MAX_LINK_DAYS))
    expect(form.locator("input[name=person-days]")).to_have_value("7")
    expect(form.locator("label", has=facilitator.locator("input[name=person-days]"))).to_have_text(
        f"How many days should it work? (1 to {MAX_LINK_DAYS})"
    )
    form.locator("[data-action=make-person-link]").click()  # nothing filled in yet
    expect(form.locator("[role=alert]")).to_have_text("Please write their name.")
    form.locator("input[name=person-name]").fill("Grandma")
    form.locator("select[name=person-role]").select_option("network")
    form.locator("input[name=person-days]").fill("95")
    form.locator("[data-action=make-person-link]").click()
    expect(form.locator("[role=alert]")).to_have_text(
        f"Please write a number of days from 1 to {MAX_LINK_DAYS}."
    )
    form.locator("input[name=person-days]").fill("14")
    with facilitator.expect_response(
        lambda r: r.url.endswith("/people-links") and r.request.method == "POST"
    ) as made:
        form.locator("[data-action=make-person-link]").click()
    assert made.value.status == 201
    assert made.value.request.post_data_json == {"name": "Grandma", "role": "network", "days": 14}

    grandmas = facilitator.locator("[data-role=people-links] [data-link-id]")
    expect(grandmas).to_have_count(1)
    grandmas_link = grandmas.first
    link_id = grandmas_link.get_attribute("data-link-id")
    (listed,) = api(server, f"/api/meetings/{meeting_id}/people-links")["links"]
    assert listed["id"] == link_id and listed["name"] == "Grandma" and listed["role"] == "network"
    expires = datetime.datetime.fromisoformat(listed["expires_at"]).astimezone(ZoneInfo(TIME_ZONE))
    expect(grandmas_link).to_contain_text("Grandma")
    expect(grandmas_link).to_contain_text(NETWORK)
    expect(grandmas_link).to_contain_text(f"works until {expires.day} {expires:%B %Y}")
    expect(grandmas_link.locator("[data-action=copy]")).to_be_visible()
    url = grandmas_link.locator("input.link-input").input_value()
    assert url == listed["url"]

    # How long it works: 30 days from now.
    grandmas_link.locator("[data-action=change-link-days]").click()
    grandmas_link.locator("input[name=link-days]").fill("30")
    with facilitator.expect_response(lambda r: r.request.method == "PATCH") as changed:
        grandmas_link.locator("[data-action=save-link-days]").click()
    assert changed.value.ok and changed.value.request.post_data_json == {"days": 30}
    (listed,) = api(server, f"/api/meetings/{meeting_id}/people-links")["links"]
    expires = datetime.datetime.fromisoformat(listed["expires_at"]).astimezone(ZoneInfo(TIME_ZONE))
    assert expires - datetime.datetime.now(ZoneInfo(TIME_ZONE)) > datetime.timedelta(days=29)
    expect(grandmas_link).to_contain_text(f"works until {expires.day} {expires:%B %Y}")

    # --- Grandma joins with it: no questions, her name and role come with the link --------
    grandma = screens.open(**PHONE)
    grandma.goto(url)
    expect(grandma.locator("[data-role=joining-as]")).to_have_text(
        f"You are joining as Grandma ({NETWORK})"
    )
    expect(grandma.locator("input[name=name]")).to_be_hidden()
    expect(grandma.locator("input[name=role]")).to_have_count(0)
    grandma.locator("[data-role=join-form] [type=submit]").filter(has_text="Join").click()
    expect(grandma.locator("[data-role=connection]")).to_have_attribute("data-state", "connected")
    grandma.click("[data-tab=working_well]")
    add_card(grandma, "strengths", "Grandma can have the children on Saturdays")
    expect(
        facilitator.locator("[data-card-id]", has_text="Grandma can have the children")
    ).to_be_visible()
    grandma_id = person_in_panel(facilitator, "Grandma")
    expect(
        facilitator.locator(f"[data-role=people] li[data-participant-id={grandma_id}]")
    ).to_contain_text("here now")
    expect(facilitator.locator("[data-role=presence]")).to_contain_text("Grandma")
    # She starts another card, not saved yet.
    grandma.locator("[data-section=strengths] [data-action=add-card]").click()
    grandmas_draft = grandma.locator("[data-section=strengths] .add-slot [data-field=card-text]")
    grandmas_draft.fill("Grandma's words after her link was turned off")

    # --- the facilitator turns Grandma's link off ------------------------------------------
    grandmas_link.locator("[data-action=revoke-link]").click()
    question = grandmas_link.locator("[role=group]")
    expect(question).to_contain_text("Turn off the link for Grandma?")
    grandmas_link.locator("[data-action=cancel]").click()  # "Keep it": nothing happens
    expect(question).to_have_count(0)
    expect(grandma.locator("[data-role=connection]")).to_have_attribute("data-state", "connected")
    grandmas_link.locator("[data-action=revoke-link]").click()
    grandmas_link.locator("[data-action=confirm]").click()

    expect_session_ended(grandma)
    expect(grandmas_link).to_contain_text("turned off")
    expect(grandmas_link.locator("[data-action=copy]")).to_have_count(0)
    # Her next change is not accepted: the page keeps her words but will not send them,
    # and the server lets her socket in no more.
    expect(grandmas_draft).to_have_value("Grandma's words after her link was turned off")
    grandmas_draft.press("Enter")
    expect(
        grandma.locator("[data-section=strengths] .add-slot [data-action=save]")
    ).to_be_disabled()
    assert socket_refusal(server, grandma, meeting_id) == "session_invalid"
    assert "Grandma's words after her link was turned off" not in board_texts(server, meeting_id)
    # What she added stays; she is not listed as here or in the meeting any more.
    assert "Grandma can have the children on Saturdays" in board_texts(server, meeting_id)
    expect(facilitator.locator("[data-role=presence]")).not_to_contain_text("Grandma")
    # The link itself is gone for good.
    again = screens.open(**PHONE)
    again.goto(url)
    expect(again.locator("[data-role=join-message]")).to_have_text(
        "This link has expired or was turned off. Please ask the facilitator for a new one."
    )

    # --- the facilitator takes Sam out of the meeting ---------------------------------------
    sam_id = person_in_panel(facilitator, "Sam")
    remove = facilitator.locator(f"[data-action=remove-participant][data-participant-id={sam_id}]")
    remove.click()
    people = facilitator.locator("[data-role=people]")
    expect(people.locator("[role=group]")).to_contain_text("Take Sam out of the meeting?")
    people.locator("[data-action=confirm]").click()
    expect_session_ended(sam)
    assert socket_refusal(server, sam, meeting_id) == "session_invalid"
    expect(facilitator.locator("[data-role=presence]")).not_to_contain_text("Sam")
    expect(people.locator(f"[data-participant-id={sam_id}]")).to_have_count(0)
    participants = api(server, f"/api/meetings/{meeting_id}")["participants"]
    assert [p.get("removed") for p in participants if p["id"] == sam_id] == [True]
    # What Sam said stays on the board for everyone.
    expect(okafor.locator("[data-card-id]", has_text="Leo came to school")).to_be_visible()
    # The facilitator is never offered to take themself out.
    me = facilitator.locator("[data-role=people] li[data-participant-id]", has_text="Priya")
    expect(me.locator("[data-action=remove-participant]")).to_be_hidden()

    # --- the facilitator ends the meeting --------------------------------------------------
    closing = facilitator.locator(".close-meeting")
    expect(closing).to_contain_text(f"Its records are deleted {RETENTION_DAYS} days later.")
    closing.locator("[data-action=close-meeting]").click()
    expect(closing.locator("[role=group]")).to_contain_text("This can not be undone.")
    closing.locator("[data-action=confirm]").click()

    for page in (facilitator, okafor, room):
        banner = page.locator("[data-role=meeting-closed]")
        expect(banner).to_be_visible(timeout=ENDED_WITHIN_MS)
        expect(banner).to_contain_text("This meeting has ended.")
        # Everyone's session ends with the meeting: one calm banner says it all.
        expect(page.locator("[data-role=session-ended]")).to_be_hidden()
        expect(page.locator("[data-action=add-card]:visible")).to_have_count(0)
    expect(okafor.locator("[data-action=agree]:enabled")).to_have_count(0)
    expect(facilitator.locator("[data-action=open-round]:visible")).to_have_count(0)

    closed = api(server, f"/api/meetings/{meeting_id}")["meeting"]
    assert closed["status"] == "closed"
    deleted = (
        datetime.datetime.fromisoformat(closed["closed_at"])
        + datetime.timedelta(days=RETENTION_DAYS)
    ).astimezone(ZoneInfo(TIME_ZONE))
    expect(facilitator.locator("[data-role=records-deleted]")).to_have_text(
        f"Its records will be deleted on {deleted.day} {deleted:%B %Y}. "
        "Save the agreed minutes to the case record before then."
    )
    for page in (okafor, room):
        expect(page.locator("[data-role=records-deleted]")).to_be_hidden()
    # Nobody can join an ended meeting: the join page says so plainly.
    late = screens.open(**PHONE)
    late.goto(links["participant"])
    late.fill("input[name=name]", "Uncle Ray")
    late.check("input[name=role][value=network]")
    late.locator("[data-role=join-form] [type=submit]").click()
    expect(late.locator("[data-role=join-message]")).to_contain_text("This meeting has ended.")

    # The Activity page is linked for the meeting's staff; a facilitator who joined by link
    # alone is told kindly that it is not for them.
    activity = facilitator.locator("[data-action=activity]")
    expect(activity).to_have_attribute("href", f"/m/{meeting_id}/activity")
    answer = facilitator.context.request.get(f"{server.url}/m/{meeting_id}/activity")
    assert answer.status == 403 and "Sorry" in answer.text()

    # The browser logs the two refusals the join pages show (gone: 410, ended: 409).
    expected = ("status of 409 (Conflict)", "status of 410 (Gone)")
    assert [p for p in screens.problems if not p.endswith(expected)] == []


def test_the_facilitator_makes_a_new_family_link(server: ServerProcess, screens: Screens) -> None:
    meeting = create_meeting(server.url, "A link that went astray")
    page = screens.open(**LAPTOP)
    join(page, meeting["links"]["facilitator"], "Priya")
    page.click("[data-role=share-toggle]")
    field = page.locator("[data-field=participant-link]")
    expect(field).to_have_value(meeting["links"]["participant"])
    page.click("[data-action=renew-family-link]")
    expect(field).not_to_have_value(meeting["links"]["participant"])
    assert field.input_value().startswith(f"{server.url}/join#")
    stale = httpx.post(
        f"{server.url}/api/join/preview",
        json={"token": meeting["links"]["participant"].split("#", 1)[1]},
    )
    assert stale.status_code == 410

    # Turning it off asks first; "No" keeps it.
    renewed = field.input_value()
    page.click("[data-action=turn-off-family-link]")
    expect(page.locator(".confirm-question")).to_contain_text("Turn off the family link?")
    page.click(".invite [data-action=cancel]")
    expect(field).to_have_value(renewed)
    page.click("[data-action=turn-off-family-link]")
    page.click(".invite [data-action=confirm]")
    expect(page.locator("[data-role=family-link-off]")).to_have_text(
        "The family link is turned off. Nobody new can join with it."
    )
    expect(field).to_be_hidden()
    expect(page.locator(".share-qr")).to_be_hidden()
    # Someone who opens it is told plainly.
    late = screens.open(**PHONE)
    late.goto(renewed)
    expect(late.locator("[data-role=join-message]")).to_contain_text(
        "The facilitator has turned this link off"
    )
    # The room screen has no QR code to show meanwhile (and the facilitator's is hidden).
    room = screens.open(**PROJECTOR)
    join(room, meeting["links"]["display"], "")
    expect(room.locator(".join-qr")).to_be_hidden()
    # On again: a new link, and its QR code.
    page.click("[data-action=turn-on-family-link]")
    expect(field).to_be_visible()
    expect(field).not_to_have_value(renewed)
    expect(page.locator(".share-qr img")).to_be_visible()
    assert field.input_value().startswith(f"{server.url}/join#")
    room.reload()
    expect(room.locator(".join-qr img")).to_be_visible()
    expected = ("status of 410 (Gone)", "status of 404 (Not Found)")
    assert [p for p in screens.problems if not p.endswith(expected)] == []
