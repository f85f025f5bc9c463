"""The child's three houses in real browsers: Fay (signed in) starts a meeting and makes Ava
a link of her own; Ava, on a 360 px phone, puts words, a picture and a drawing in her three
houses, shares the words with everyone and the picture with her worker only, and keeps the
drawing to herself. Fay sees the two (the picture in her private panel), gives Ava's age
and puts the words on the map as a card said by "Ava (9)". Sam's phone and the room screen
show the words, and never receive the picture or the drawing, on the page or the socket.
And a child gives their number on a slider with faces, which counts with the family's."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, WebSocket, expect

from tests.support.harness import API_KEY, ROOT, ServerProcess, create_meeting
from tests.support.pages import (
    LAPTOP,
    PASSWORD,
    PHONE,
    PROJECTOR,
    Screens,
    add_staff,
    connected,
    join,
    join_as_child,
    new_meeting,
    round_of,
    show_scales_tab,
    sign_in,
)
from tests.support.readme_pictures import keep_for_readme
from tests.support.speech import FAKE_SPEECH, spoken

FAY = "fay@council.example"
WORRY = "I get scared when they shout at night"
DOG = "1F415"  # "dog" in server/pictures.json
ARTIFACTS = ROOT / "tests" / "artifacts"


def api(server: ServerProcess, path: str) -> Any:
    answer = httpx.get(
        f"{server.url}{path}", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()


def socket_frames(page: Page) -> list[str]:
    """Every frame this page's sockets receive, from now on."""
    frames: list[str] = []

    def watch(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", watch)
    return frames


def start_meeting(office: Page, server: ServerProcess) -> str:
    sign_in(office, server.url, FAY, PASSWORD)
    return new_meeting(
        office,
        "Family meeting for Ava",
        "Fay, social worker",
        family_name="Ahmed family",
        case_ref="KB-2026-0777",
    )


def avas_link(office: Page) -> str:
    office.click("[data-role=share-toggle]")
    form = office.locator("[data-role=new-person-link]")
    form.locator("input[name=person-name]").fill("Ava")
    form.locator("select[name=person-role]").select_option("child")
    form.locator("[data-action=make-person-link]").click()
    row = office.locator("[data-role=people-links] [data-link-id]")
    expect(row).to_have_count(1)
    link = row.locator("input.link-input").input_value()
    office.click("[data-role=share-toggle]")
    return link


def house(page: Page, name: str) -> Any:
    return page.locator(f"[data-role=houses] [data-house={name}]")


def draw(page: Page) -> None:
    pad = house(page, "dreams").locator("[data-role=drawing-pad]")
    box = pad.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    for start, end in (((0.2, 0.2), (0.8, 0.8)), ((0.8, 0.2), (0.2, 0.8))):
        page.mouse.move(x + w * start[0], y + h * start[1])
        page.mouse.down()
        for step in range(1, 11):
            t = step / 10
            page.mouse.move(
                x + w * (start[0] + (end[0] - start[0]) * t),
                y + h * (start[1] + (end[1] - start[1]) * t),
            )
        page.mouse.up()


def saved(page: Page, house_name: str, count: int) -> None:
    items = house(page, house_name).locator("[data-item-id]")
    expect(items).to_have_count(count)
    expect(house(page, house_name).locator(".house-item-pending")).to_have_count(0)


def share(page: Page, house_name: str, sharing: str) -> None:
    button = house(page, house_name).locator(f"[data-item-id] [data-sharing={sharing}]")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(house(page, house_name).locator(".house-item-pending")).to_have_count(0)


def test_a_child_fills_three_houses_shares_two_things_and_keeps_one(
    server: ServerProcess, screens: Screens
) -> None:
    add_staff(server, FAY)
    office = screens.open(**LAPTOP)
    meeting_id = start_meeting(office, server)
    link = avas_link(office)
    links = api(server, f"/api/meetings/{meeting_id}/links")
    sam = screens.open(**PHONE)
    sam_frames = socket_frames(sam)
    join(sam, links["participant"], "Sam", "parent")
    room = screens.open(**PROJECTOR)
    room_frames = socket_frames(room)
    join(room, links["display"], "")

    # --- Ava's link opens her three houses -------------------------------------------
    ava = screens.open(**PHONE)
    ava.add_init_script(FAKE_SPEECH)  # a French voice only, at first
    ava.goto(link)
    ava.locator("[data-role=join-form] [type=submit]").click()
    ava.wait_for_url(f"**/m/{meeting_id}/houses")
    connected(ava)
    expect(ava.locator("[data-role=houses-title]")).to_have_text("Ava's three houses")
    titles = {"worries": "Worries", "good_things": "Good things", "dreams": "Dreams"}
    for name, title in titles.items():
        expect(house(ava, name).locator("h2")).to_have_text(title)
    expect(ava.locator("[data-role=credit]")).to_contain_text("OpenMoji")
    # A page the family sees: "Exit this page" is on it.
    expect(ava.locator("[data-role=quick-exit-button]")).to_be_visible()

    # Words, typed.
    house(ava, "worries").locator("[data-role=add-words]").click()
    house(ava, "worries").locator("[data-role=words-input]").fill(WORRY)
    house(ava, "worries").locator("[data-role=put-in]").click()
    saved(ava, "worries", 1)
    expect(house(ava, "worries").locator(".house-words")).to_have_text(WORRY)
    # A picture from the set.
    house(ava, "good_things").locator("[data-role=add-picture]").click()
    house(ava, "good_things").locator(f"[data-picture='{DOG}']").click()
    saved(ava, "good_things", 1)
    expect(house(ava, "good_things").locator("img.house-picture")).to_have_attribute("alt", "dog")
    # A drawing, with a finger.
    house(ava, "dreams").locator("[data-role=add-drawing]").click()
    draw(ava)
    house(ava, "dreams").locator("[data-role=put-in]").click()
    saved(ava, "dreams", 1)
    expect(house(ava, "dreams").locator("svg.drawing path")).to_have_count(2)

    # Everything starts as hers alone; she chooses who sees what.
    for name in ("worries", "good_things", "dreams"):
        pressed = house(ava, name).locator("[data-sharing][aria-pressed=true]")
        expect(pressed).to_have_attribute("data-sharing", "nobody")
    share(ava, "worries", "everyone")
    share(ava, "good_things", "worker")

    # "Read to me" is offered once there is an English voice, as on the board.
    read_to_me = ava.locator("[data-role=read-to-me]")
    expect(read_to_me).to_be_hidden()
    ava.evaluate("__addVoice({ name: 'Daniel', lang: 'en-GB', default: false })")
    expect(read_to_me).to_be_visible()

    # Every button is big enough for a finger, and the page fits the phone.
    for button in ava.locator("button:visible").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 48, box
    assert ava.evaluate("document.documentElement.scrollWidth") <= 360

    # "Read to me" reads each label in that voice.
    spoken(ava)
    read_to_me.click()
    house(ava, "worries").locator("h2").click()
    house(ava, "dreams").locator("button[data-sharing=nobody]").click()
    said = spoken(ava)
    assert {(s["voice"], s["lang"]) for s in said} == {("Daniel", "en-GB")}
    assert {"Worries. What worries you?", "Nobody can see this yet"} <= {s["text"] for s in said}
    read_to_me.click()

    # --- Fay sees the words, and the picture in her private panel --------------------
    shared = office.locator("[data-role=shared-houses]")
    expect(shared.locator(".house-words")).to_have_text(WORRY)
    worker = office.locator("[data-role=worker-houses]")
    expect(worker.locator("img.house-picture")).to_have_attribute("alt", "dog")
    expect(office.locator("svg.drawing")).to_have_count(0)

    office.locator("[data-role=child-age]").fill("9")
    office.locator("[data-action=save-age]").click()
    expect(shared.locator("h2")).to_have_text("Ava's three houses")
    shared.locator("[data-action=place]").click()
    card = office.locator("[data-section=complicating] [data-card-id]", has_text=WORRY)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Ava (9)")
    expect(shared.locator(".house-placed")).to_have_text("On the map")

    # --- Sam and the room screen: the words and the card, never the other two --------
    for page in (sam, room):
        expect(page.locator("[data-role=shared-houses] .house-words")).to_have_text(WORRY)
        expect(page.locator("[data-section=complicating] [data-card-id]", has_text=WORRY))
        expect(page.locator("img.house-picture")).to_have_count(0)
        expect(page.locator("svg.drawing")).to_have_count(0)
        expect(page.locator("[data-role=worker-houses] *")).to_have_count(0)
    for frames in (sam_frames, room_frames):
        received = "".join(frames)
        assert WORRY in received  # the frames were watched
        assert DOG not in received
        assert re.search(r'"strokes": ?\[', received) is None

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ava.locator("[data-role=houses]").scroll_into_view_if_needed()
    ava.screenshot(path=ARTIFACTS / "three-houses.png", full_page=True)
    keep_for_readme(ARTIFACTS / "three-houses.png", "three-houses.png")
    office.screenshot(path=ARTIFACTS / "three-houses-board.png", full_page=True)
    assert screens.problems == []


def test_a_child_gives_their_number_on_a_slider_with_faces(
    server: ServerProcess, screens: Screens
) -> None:
    links = create_meeting(server.url, "Family meeting for Ava")["links"]
    facilitator = screens.open(**LAPTOP)
    join(facilitator, links["facilitator"], "Priya")
    ava = screens.open(**PHONE)
    join_as_child(ava, links["participant"])
    ava.click("[data-role=to-board]")
    connected(ava)

    scale = facilitator.locator("[data-scale-id]")
    scale_id = scale.get_attribute("data-scale-id") or ""
    scale.locator("[data-action=open-round]").click()
    show_scales_tab(ava)
    open_round = round_of(ava, scale_id, "open")
    # Faces and a slider, in the scale's own words; no row of number buttons.
    child = open_round.locator("[data-role=child-scale]")
    expect(child).to_be_visible()
    expect(open_round.locator("[data-action=vote]:visible")).to_have_count(0)
    expect(child).to_contain_text("0 means: We are sure the children will be hurt")
    expect(child).to_contain_text("10 means: We are confident the children are safe")
    child.locator("[data-field=child-slider]").fill("3")
    expect(child.locator("[data-role=child-number]")).to_have_text("3")
    expect(child.locator("[data-role=child-face]")).to_have_attribute(
        "src", "/static/pictures/1F61F.svg"
    )
    button = child.locator("[data-action=vote-slider]")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 48
    button.click()
    expect(open_round.locator("[data-role=my-vote]")).to_have_text(
        "You said 3. You can change it until the answers are shown."
    )

    # Her number counts with the family's, as any child's does.
    scale.locator("[data-action=reveal-round]").click()
    dot = round_of(facilitator, scale_id, "revealed").locator("[data-dot]")
    expect(dot).to_have_count(1)
    expect(dot).to_have_attribute("data-group", "family")
    expect(dot).to_have_attribute("data-value", "3")
    assert screens.problems == []
