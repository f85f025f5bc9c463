"""What the browser tests share: Chromium's arguments, screen sizes, the pages of one test,
staff accounts signed in, and joining, adding a card and voting through the real pages."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, expect

from tests.support.harness import ServerProcess, staff_command

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
WAIT_MS = 10_000
# Every staff account the browser tests make has this password (long enough for the server).
PASSWORD = "a long password 1"


class Screens:
    """The pages of one test, each in its own browser context; page errors and console
    errors (a CSP refusal is one) are collected so the test can insist there were none."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    def open(self, **options: object) -> Page:
        context = self.browser.new_context(**options)  # type: ignore[arg-type]
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._note_console)
        return page

    def _note_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def join(
    page: Page, link: str, name: str, role: str | None = None, language: str | None = None
) -> None:
    """Through the real join page: name, role, language, submit; then wait for the live
    board."""
    page.goto(link)
    form = page.locator("[data-role=join-form]")
    expect(form).to_be_visible()
    if name:
        page.fill("input[name=name]", name)
    if role:
        page.check(f"input[name=role][value={role}]")
    if language:
        page.locator("select[name=language]").select_option(language)
    form.locator("[type=submit]").click()
    expect(page.locator("[data-role=connection]")).to_have_attribute(
        "data-state", "connected", timeout=WAIT_MS
    )


def join_as_child(page: Page, link: str, name: str = "Ava") -> None:
    """Through the real join page as a child: name, role, submit; then wait for her three
    houses, where a child's link goes first."""
    page.goto(link)
    page.fill("input[name=name]", name)
    page.check("input[name=role][value=child]")
    page.locator("[data-role=join-form] [type=submit]").click()
    page.wait_for_url("**/houses")
    expect(page.locator("[data-role=houses-title]")).to_be_visible()


def show_scales_tab(phone: Page) -> None:
    phone.click("[data-tab=scales]")
    expect(phone.locator("[data-role=scales]")).to_be_visible()


def round_of(page: Page, scale_id: str, status: str) -> Locator:
    return page.locator(f"[data-scale-id={scale_id}] [data-round-id][data-status={status}]")


def vote(phone: Page, scale_id: str, value: int, reason: str) -> None:
    open_round = round_of(phone, scale_id, "open")
    open_round.locator("[data-field=vote-reason]").fill(reason)
    open_round.locator(f"[data-action=vote][data-value='{value}']").click()
    expect(open_round.locator(f"[data-action=vote][data-value='{value}']")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(open_round.locator("[data-role=my-vote]")).to_have_text(
        f"You said {value}. You can change it until the answers are shown."
    )


def add_card(page: Page, section: str, text: str, said_by: str = "") -> None:
    page.click(f"[data-section={section}] [data-action=add-card]")
    editor = page.locator(f"[data-section={section}] [data-field=card-text]")
    editor.fill(text)
    if said_by:
        page.locator(f"[data-section={section}] [data-field=attributed-to]").fill(said_by)
        editor.focus()
    editor.press("Enter")
    card = page.locator(f"[data-section={section}] [data-card-id]", has_text=text)
    expect(card).to_be_visible()
    expect(card).not_to_have_class("is-pending", timeout=10_000)
    page.keyboard.press("Escape")


def connected(page: Page) -> None:
    """Waits until the board says it is connected."""
    expect(page.locator("[data-role=connection]")).to_have_attribute(
        "data-state", "connected", timeout=WAIT_MS
    )


def new_meeting(page: Page, title: str, name: str, **fields: str) -> str:
    """Starts a meeting from the signed-in staff home page's form (`fields`: more of its
    inputs by id, e.g. family_name, case_ref, kind) and waits for its board; its id."""
    for field, value in fields.items():
        if field == "kind":
            page.select_option("#kind", value)
        else:
            page.fill(f"#{field}", value)
    page.fill("#title", title)
    page.fill("#name", name)
    page.click("[data-role=new-meeting] [type=submit]")
    connected(page)
    return page.url.rsplit("/", 1)[1]


def staff_meeting(
    screens: Screens, url: str, staff: tuple[str, str], title: str, name: str, **fields: str
) -> tuple[Page, str, dict[str, str]]:
    """A staff member (`staff`: email, password) signs in on a laptop and starts a meeting
    (`fields` as for new_meeting): her page, the meeting's id and its links, as her Share
    panel has them."""
    office = screens.open(**LAPTOP)
    sign_in(office, url, *staff)
    meeting_id = new_meeting(office, title, name, **fields)
    links: dict[str, str] = office.request.get(f"{url}/api/meetings/{meeting_id}/links").json()
    return office, meeting_id, links


STAFF = ("priya@council.example", PASSWORD)


def priyas_meeting(screens: Screens, server: ServerProcess) -> tuple[Page, str, dict[str, str]]:
    """Priya (`STAFF`), made a staff member of this server, signs in and starts Ava's
    family meeting: as `staff_meeting`."""
    add_staff(server, STAFF[0])
    return staff_meeting(
        screens, server.url, STAFF, "Family meeting for Ava", "Priya, social worker"
    )


def sign_in(page: Page, url: str, email: str, password: str) -> None:
    """Signs in on the staff sign-in page, by the form."""
    page.goto(url + "/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("[data-role=signin-form] [type=submit]")


def add_staff(server: ServerProcess, email: str, *, admin: bool = False) -> None:
    """Makes `email` a staff member of this server (an administrator if `admin`) with
    `PASSWORD`, by `kinboard staff add` on its data folder."""
    staff_command(
        {"KINBOARD_DATA_DIR": str(server.data_dir)},
        "add",
        *(["--admin"] if admin else []),
        email,
        password=PASSWORD,
    )


def signed_in_staff(screens: Screens, server: ServerProcess, email: str) -> Page:
    """Makes `email` a staff member of this server (`add_staff`) and signs them in by the
    form on a laptop page of their own: that page."""
    add_staff(server, email)
    page = screens.open(**LAPTOP)
    sign_in(page, server.url, email, PASSWORD)
    return page
