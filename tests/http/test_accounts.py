"""The Accounts page: administrators only, a CSRF token on every form, a colleague added by
a one-time set-up link, disabling (which ends their sessions) and enabling accounts, making
and unmaking administrators, the last administrator kept, and each change audited."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

import server.staff
from server.board.errors import Forbidden
from tests.support.inprocess import BASE, PASSWORD, Browser, Kin

ADA = "ada@council.example"
BEA = "bea@council.example"
CAL = "cal@council.example"


def admin(kin: Kin) -> Browser:
    kin.run(kin.staff.add, ADA, PASSWORD, admin=True)
    ada = kin.browser("192.0.2.50")
    assert ada.sign_in(ADA).status_code == 303
    return ada


def signed_in(kin: Kin, email: str, address: str = "192.0.2.60") -> Browser:
    browser = kin.browser(address)
    assert browser.sign_in(email).status_code == 303
    return browser


def alert(answer: httpx.Response) -> str:
    found = re.search(r'role="alert"[^>]*>([^<]*)<', answer.text)
    return found.group(1) if found else ""


def done(answer: httpx.Response) -> str:
    found = re.search(r'data-role="accounts-done">([^<]*)<', answer.text)
    return found.group(1) if found else ""


def setup_link(answer: httpx.Response) -> str:
    found = re.search(r'value="([^"]+)" data-field="setup-link"', answer.text)
    assert found and found.group(1), answer.text
    return found.group(1)


def member(kin: Kin, email: str) -> server.staff.StaffMember:
    found = kin.run(kin.staff.find, email)
    assert found is not None
    return found


def staff_log(kin: Kin) -> list[tuple[str, str, str]]:
    return [
        (e["event"], e["staff"], e.get("account", ""))
        for e in kin.audit(server.staff.STAFF_LOG)
        if e["event"] != "staff.signin"
    ]


def change(browser: Browser, email: str, what: str) -> httpx.Response:
    return browser.form("/accounts/change", {"email": email, "change": what})


def test_the_page_is_for_administrators_only(kin: Kin) -> None:
    ada = admin(kin)
    kin.add_staff(BEA)
    bea = signed_in(kin, BEA)
    page = ada.get("/accounts")
    assert page.status_code == 200
    assert 'data-account="bea@council.example"' in page.text
    # Administrators find it from the home page; nobody else is offered it.
    assert 'href="/accounts"' in ada.get("/").text
    assert 'href="/accounts"' not in bea.get("/").text

    refused = bea.get("/accounts")
    assert refused.status_code == 403
    assert 'data-role="error-message">Only an administrator can do this.' in refused.text
    for answer in (
        bea.form("/accounts", {"email": CAL}),
        change(bea, ADA, "disable"),
        change(bea, BEA, "admin"),
    ):
        assert answer.status_code == 403
    assert not member(kin, ADA).disabled and not member(kin, BEA).admin
    assert kin.run(kin.staff.invitations) == []
    assert staff_log(kin) == []

    # Not signed in: to the sign-in page, and nothing changes.
    nobody = kin.browser("192.0.2.70")
    assert nobody.get("/accounts").headers["location"] == "/signin"
    assert nobody.form("/accounts", {"email": CAL}).status_code == 303
    assert kin.run(kin.staff.invitations) == []


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/accounts", {"email": CAL}),
        ("/accounts/change", {"email": "bea@council.example", "change": "disable"}),
        ("/accounts/change", {"email": "bea@council.example", "change": "admin"}),
    ],
)
def test_every_form_needs_its_csrf_token(kin: Kin, path: str, fields: dict[str, str]) -> None:
    ada = admin(kin)
    kin.add_staff(BEA)
    ada.get("/accounts")  # the page sets the token's cookie
    for token in (None, "not-the-token-of-this-browser-0123456789"):
        data = fields if token is None else {**fields, "csrf": token}
        answer = ada.post(path, data=data, headers={"Origin": BASE})
        assert answer.status_code == 403, answer.text
        assert "reload it" in answer.text
    # The right token from another site's page is refused too.
    assert ada.form(path, fields, origin="http://evil.example").status_code == 403
    assert kin.run(kin.staff.invitations) == []
    assert not member(kin, BEA).disabled and not member(kin, BEA).admin
    assert staff_log(kin) == []


def test_a_set_up_link_from_the_page_makes_the_account_once(kin: Kin) -> None:
    ada = admin(kin)
    answer = ada.form("/accounts", {"email": " Bea@Council.Example ", "admin": "yes"})
    assert answer.status_code == 200
    link = setup_link(answer)
    assert link.startswith(f"{BASE}/setup#")
    code = link.split("#", 1)[1]
    assert "Waiting to set up their account" in ada.get("/accounts").text
    [waiting] = kin.run(kin.staff.invitations)
    assert (waiting.email, waiting.admin) == (BEA, True)
    # The store keeps only the code's hash.
    assert code not in str(kin.run(kin.store.list_records, "setup"))

    bea = kin.browser("192.0.2.60")
    # Someone else with the link cannot take it, and a typo does not use it up.
    other = bea.form("/setup", {"code": code, "email": CAL, "password": PASSWORD}, page="/setup")
    assert (other.status_code, alert(other)) == (
        403,
        "This set-up link is for another email address.",
    )
    short = bea.form("/setup", {"code": code, "email": BEA, "password": "short"}, page="/setup")
    assert short.status_code == 400
    made = bea.form("/setup", {"code": code, "email": BEA, "password": PASSWORD}, page="/setup")
    assert (made.status_code, made.headers["location"]) == (303, "/")
    assert bea.signed_in()
    assert member(kin, BEA).admin
    assert kin.run(kin.staff.find, CAL) is None

    again = kin.browser("192.0.2.61").form(
        "/setup", {"code": code, "email": BEA, "password": "another long password"}, page="/setup"
    )
    assert (again.status_code, alert(again)) == (
        403,
        "This set-up link has been used or has expired.",
    )
    assert kin.run(kin.staff.invitations) == []
    assert staff_log(kin) == [("staff.invited", ADA, BEA), ("staff.set_up", BEA, BEA)]


def test_a_set_up_link_used_several_times_at_once_makes_one_account(kin: Kin) -> None:
    ada = admin(kin)
    code = setup_link(ada.form("/accounts", {"email": BEA})).split("#", 1)[1]

    async def at_once() -> list[object]:
        tries = [kin.staff.set_up(code, BEA, f"{PASSWORD} {n}") for n in range(6)]
        return await asyncio.gather(*tries, return_exceptions=True)

    results = kin.run(at_once)
    made = [r for r in results if isinstance(r, server.staff.StaffMember)]
    assert len(made) == 1, results
    assert all(isinstance(r, Forbidden) for r in results if r not in made)
    assert [m.email for m in kin.run(kin.staff.members)].count(BEA) == 1


def test_a_new_set_up_link_replaces_the_last_and_an_account_gets_none(kin: Kin) -> None:
    ada = admin(kin)
    first = setup_link(ada.form("/accounts", {"email": CAL})).split("#", 1)[1]
    second = setup_link(ada.form("/accounts", {"email": CAL})).split("#", 1)[1]
    [waiting] = kin.run(kin.staff.invitations)
    assert (waiting.email, waiting.admin) == (CAL, False)
    cal = kin.browser("192.0.2.60")
    old = cal.form("/setup", {"code": first, "email": CAL, "password": PASSWORD}, page="/setup")
    assert old.status_code == 403
    new = cal.form("/setup", {"code": second, "email": CAL, "password": PASSWORD}, page="/setup")
    assert new.status_code == 303
    assert not member(kin, CAL).admin

    for email, problem in [
        (CAL, "There is an account with that email already."),
        ("not an email", "Please give an email address like name@council.gov.uk."),
    ]:
        refused = ada.form("/accounts", {"email": email})
        assert (refused.status_code, alert(refused)) == (400, problem)
        assert 'data-field="setup-link"' not in refused.text
    assert kin.run(kin.staff.invitations) == []


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(kin: Kin) -> None:
    ada = admin(kin)
    kin.add_staff(BEA)
    office, laptop = signed_in(kin, BEA), signed_in(kin, BEA, "192.0.2.61")
    answer = change(ada, BEA, "disable")
    assert answer.status_code == 200
    assert done(answer) == f"{BEA} can no longer sign in. Their sessions have ended."
    assert member(kin, BEA).disabled
    assert office.sign_in(BEA).status_code == 401
    # Ended at once, not at their next use: letting her in again does not bring them back.
    assert [s["email"] for s in kin.run(kin.store.list_records, "staff_session")] == [ADA]

    answer = change(ada, BEA, "enable")
    assert done(answer) == f"{BEA} can sign in again."
    assert not laptop.signed_in()
    assert office.sign_in(BEA).status_code == 303 and office.signed_in()
    assert staff_log(kin) == [("staff.disabled", ADA, BEA), ("staff.enabled", ADA, BEA)]


def test_administrators_are_made_and_unmade_and_the_last_one_stays(kin: Kin) -> None:
    ada = admin(kin)
    kin.add_staff(BEA)
    last = f"{ADA} is the last administrator, so cannot be"
    for what, doing in (("unadmin", "unmade"), ("disable", "disabled")):
        refused = change(ada, ADA, what)
        assert refused.status_code == 400
        assert alert(refused) == f"{last} {doing}. Make someone else an administrator first."
    assert member(kin, ADA).admin and not member(kin, ADA).disabled and ada.signed_in()

    assert done(change(ada, BEA, "admin")) == f"{BEA} is now an administrator."
    bea = signed_in(kin, BEA)
    assert bea.get("/accounts").status_code == 200
    # With another administrator, Ada may stop being one, and loses the page.
    stepped_down = change(ada, ADA, "unadmin")
    assert (stepped_down.status_code, stepped_down.headers["location"]) == (303, "/")
    assert ada.get("/accounts").status_code == 403
    # Bea is now the last one.
    assert change(bea, BEA, "unadmin").status_code == 400
    assert done(change(bea, ADA, "admin")) == f"{ADA} is now an administrator."
    assert staff_log(kin) == [
        ("staff.admin", ADA, BEA),
        ("staff.unadmin", ADA, ADA),
        ("staff.admin", BEA, ADA),
    ]


def test_an_unknown_account_or_change_is_refused(kin: Kin) -> None:
    ada = admin(kin)
    unknown = change(ada, CAL, "disable")
    assert (unknown.status_code, alert(unknown)) == (400, "There is no account with that email.")
    odd = change(ada, ADA, "erase")
    assert (odd.status_code, alert(odd)) == (400, "That is not a change this page makes.")
    assert staff_log(kin) == []
