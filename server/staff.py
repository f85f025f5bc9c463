"""Staff accounts: sign-in, sessions, lock-out, administrators, the one-time set-up links
(the first account's and a new colleague's), and (in sharing.py) which meetings each may open."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, replace
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .board.errors import N_, Forbidden, Invalid, Msgid, Nn_, RateLimited, Unauthorized
from .clock import Clock, iso
from .emails import clean_email
from .security import hash_token, new_session_token
from .sharing import MeetingSharing
from .store import Store

IDLE_SECONDS = 30 * 60
LONGEST_SECONDS = 8 * 3600
# Use keeps a session alive; it is written down at most this often (a board's ops use it).
TOUCH_SECONDS = 10
# Failed sign-ins in the window, then a pause: this many at one account from one address
# (so a stranger elsewhere cannot lock its owner out), and this many from one address.
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
FAILURE_WINDOW = 15 * 60
# Each failure waits this long before answering, to slow guessing.
FAILURE_DELAY = 0.4
MIN_PASSWORD = 12
SETUP_HOURS = 24
# The audit log that is about staff, not about one meeting.
STAFF_LOG = "_staff"

_WRONG = N_("That email and password do not match an account.")
_TOO_MANY = Nn_(
    "Too many tries. Please wait {minutes} minute and try again.",
    "Too many tries. Please wait {minutes} minutes and try again.",
    "minutes",
)


@dataclass(frozen=True)
class StaffMember:
    email: str
    password_hash: str
    created_at: str
    disabled: bool = False
    # The name offered when they next open a meeting ("Fay, social worker"); never the
    # e-mail, which the family is not shown.
    display_name: str = ""
    # Administrators manage accounts and integration keys. The first account is one.
    admin: bool = False


@dataclass(frozen=True)
class Invitation:
    """A colleague's set-up link not used yet: `key` is its code's hash."""

    key: str
    email: str
    admin: bool
    until: str


@dataclass(frozen=True)
class StaffSession:
    token_hash: str
    email: str
    created_at: float
    last_seen: float


_SHORT_PASSWORD = Nn_(
    "A password needs at least {least} character.",
    "A password needs at least {least} characters.",
    "least",
)


def _new_account(email: Any, password: Any) -> tuple[str, str]:
    """The e-mail, cleaned, and the password of a new account, or Invalid."""
    email = clean_email(email)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Invalid(_SHORT_PASSWORD, least=MIN_PASSWORD)
    return email, password


class Staff(MeetingSharing):
    def __init__(self, store: Store, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        self.store = store
        self.clock = clock
        self.hasher = hasher or PasswordHasher()  # argon2id
        # Verifying against this keeps an unknown email as slow as a wrong password.
        self._decoy = self.hasher.hash(secrets.token_urlsafe(16))

    # --- accounts ---

    async def add(self, email: Any, password: Any, admin: bool = False) -> StaffMember:
        email, password = _new_account(email, password)
        if await self.store.get_record("staff", email) is not None:
            raise Invalid("There is an account with that email already.")
        hashed = await asyncio.to_thread(self.hasher.hash, password)
        member = StaffMember(email, hashed, iso(self.clock()), admin=admin)
        await self._save(member)
        return member

    async def _save(self, member: StaffMember) -> None:
        await self.store.put_record(
            "staff",
            member.email,
            {
                "email": member.email,
                "password_hash": member.password_hash,
                "created_at": member.created_at,
                "disabled": member.disabled,
                "display_name": member.display_name,
                "admin": member.admin,
            },
        )

    async def find(self, email: str) -> StaffMember | None:
        data = await self.store.get_record("staff", email)
        return None if data is None else StaffMember(**data)

    async def members(self) -> list[StaffMember]:
        return [StaffMember(**data) for data in await self.store.list_records("staff")]

    async def _member(self, email: Any) -> StaffMember:
        member = await self.find(clean_email(email))
        if member is None:
            raise Invalid("There is no account with that email.")
        return member

    async def _keep_an_administrator(self, member: StaffMember, refusal: Msgid) -> None:
        """Someone must always be able to manage accounts and keys. `refusal` says
        `{email}`."""
        if member.admin and not member.disabled:
            active = [m for m in await self.members() if m.admin and not m.disabled]
            if active == [member]:
                raise Invalid(refusal, email=member.email)

    async def disable(self, email: Any, by: str) -> None:
        """The account can no longer sign in, and its sessions end now (with the meeting
        sessions bound to them): enabling it again later does not bring them back."""
        member = await self._member(email)
        await self._keep_an_administrator(
            member,
            N_(
                "{email} is the last administrator, so cannot be disabled. "
                "Make someone else an administrator first."
            ),
        )
        await self._save(replace(member, disabled=True))
        for data in await self.store.list_records("staff_session"):
            if data["email"] == member.email:
                await self.store.delete_record("staff_session", data["token_hash"])
        await self._log("staff.disabled", by, member.email)

    async def enable(self, email: Any, by: str) -> None:
        member = await self._member(email)
        await self._save(replace(member, disabled=False))
        await self._log("staff.enabled", by, member.email)

    async def set_admin(self, email: Any, admin: bool, by: str) -> None:
        """Make or unmake an administrator; the last active one stays one."""
        member = await self._member(email)
        if not admin:
            await self._keep_an_administrator(
                member,
                N_(
                    "{email} is the last administrator, so cannot be unmade. "
                    "Make someone else an administrator first."
                ),
            )
        await self._save(replace(member, admin=admin))
        await self._log("staff.admin" if admin else "staff.unadmin", by, member.email)

    async def _log(self, event: str, by: str, account: str) -> None:
        entry = {"at": iso(self.clock()), "event": event, "staff": by, "account": account}
        await self.store.append_audit(STAFF_LOG, entry)

    async def admin(self, session: StaffSession | None) -> StaffMember:
        """The signed-in administrator, or Unauthorized / Forbidden."""
        if session is None:
            raise Unauthorized("Please sign in.")
        member = await self.find(session.email)
        if member is None or not member.admin:
            raise Forbidden("Only an administrator can do this.")
        return member

    async def keep_display_name(self, email: str, name: str) -> None:
        member = await self.find(email)
        if member is not None and member.display_name != name:
            await self._save(replace(member, display_name=name))

    # --- signing in ---

    async def sign_in(self, email: Any, password: Any, address: str) -> str:
        """A new session token, or Unauthorized (the same for an unknown email, a wrong
        password and a disabled account) or RateLimited after too many failures."""
        email = email.strip().lower() if isinstance(email, str) else ""
        # An address holds no "/", so the pair's key is unambiguous.
        brakes = [
            ("signin_address", address, ADDRESS_FAILURES),
            ("signin_account", f"{address}/{email}", ACCOUNT_FAILURES),
        ]
        # Each try is reserved before the slow hash check, so that tries at once cannot all
        # slip under a limit. A try refused here is given back; a failed one stays counted.
        for taken, (kind, key, limit) in enumerate(brakes, start=1):
            if await self._count(kind, key, 1) > limit:
                for given in brakes[:taken]:
                    await self._count(given[0], given[1], -1)
                raise RateLimited(_TOO_MANY, FAILURE_WINDOW, minutes=FAILURE_WINDOW // 60)
        member = await self.find(email) if email else None
        if not await self._verify(member, password):
            await asyncio.sleep(FAILURE_DELAY)
            raise Unauthorized(_WRONG)
        await self._count("signin_address", address, -1)
        await self.store.reset_counter("signin_account", f"{address}/{email}")
        assert member is not None
        token = await self._open_session(member.email)
        await self.store.append_audit(
            STAFF_LOG, {"at": iso(self.clock()), "event": "staff.signin", "staff": member.email}
        )
        return token

    async def _verify(self, member: StaffMember | None, password: Any) -> bool:
        if not isinstance(password, str) or not password:
            password = "-"
        hashed = member.password_hash if member is not None else self._decoy
        try:
            await asyncio.to_thread(self.hasher.verify, hashed, password)
        except (VerificationError, InvalidHashError):
            return False
        return member is not None and not member.disabled

    async def _count(self, kind: str, key: str, amount: int) -> int:
        now = self.clock()
        return await self.store.add_to_counter(kind, key, amount, now, now + FAILURE_WINDOW)

    async def _open_session(self, email: str) -> str:
        token = new_session_token()
        now = self.clock()
        await self.store.put_record(
            "staff_session",
            hash_token(token),
            {"token_hash": hash_token(token), "email": email, "created_at": now, "last_seen": now},
            expires_at=now + LONGEST_SECONDS,
        )
        return token

    async def session(self, token: str | None) -> StaffSession | None:
        """The signed-in staff member's session, kept alive by use; None once it has been
        idle 30 minutes, is 8 hours old, or its account is disabled."""
        return await self.live(hash_token(token)) if token else None

    async def live(self, token_hash: str, use: bool = True) -> StaffSession | None:
        """The session with this hash, as `session` answers; `use=False` checks it
        without counting as use (the board's periodic re-check of its sockets)."""
        data = await self.store.get_record("staff_session", token_hash)
        if data is None:
            return None
        session = StaffSession(**data)
        now = self.clock()
        member = await self.find(session.email)
        if (
            now - session.last_seen > IDLE_SECONDS
            or now - session.created_at > LONGEST_SECONDS
            or member is None
            or member.disabled
        ):
            await self.store.delete_record("staff_session", session.token_hash)
            return None
        if not use or now - session.last_seen < TOUCH_SECONDS:
            return session
        await self.store.put_record(
            "staff_session",
            session.token_hash,
            {**data, "last_seen": now},
            expires_at=session.created_at + LONGEST_SECONDS,
        )
        return session

    async def sign_out(self, token: str | None) -> None:
        if token:
            await self.store.delete_record("staff_session", hash_token(token))

    # --- set-up links: the first account's, and a new colleague's ---

    async def setup_code(self) -> str | None:
        """A one-time code to create the first account, while there is none."""
        if await self.members():
            return None
        code = secrets.token_urlsafe(24)
        await self.store.put_record(
            "setup",
            "code",
            {"hash": hash_token(code)},
            expires_at=self.clock() + SETUP_HOURS * 3600,
        )
        return code

    async def invite(self, email: Any, admin: bool, by: str) -> str:
        """A one-time code (for 24 hours) with which the colleague with this e-mail makes
        their account, choosing their own password. A new one replaces an earlier one."""
        email = clean_email(email)
        if await self.find(email) is not None:
            raise Invalid("There is an account with that email already.")
        for earlier in await self.invitations():
            if earlier.email == email:
                await self.store.delete_record("setup", earlier.key)
        code = secrets.token_urlsafe(24)
        until = self.clock() + SETUP_HOURS * 3600
        # Kept under the code's hash (as sessions are), so the code is found without a scan.
        await self.store.put_record(
            "setup",
            hash_token(code),
            {"hash": hash_token(code), "email": email, "admin": admin, "until": iso(until)},
            expires_at=until,
        )
        await self._log("staff.invited", by, email)
        return code

    async def invitations(self) -> list[Invitation]:
        """The colleagues' set-up links not used yet, oldest first (not the first account's)."""
        found = [
            Invitation(data["hash"], data["email"], data["admin"], data["until"])
            for data in await self.store.list_records("setup")
            if "email" in data
        ]
        return sorted(found, key=lambda invitation: invitation.until)

    async def set_up(self, code: Any, email: Any, password: Any) -> StaffMember:
        """The account of the first set-up link (an administrator) or of a colleague's (the
        e-mail it was made for); each link makes one account, used several times at once too."""
        email, _ = _new_account(email, password)  # a typo does not use the link up
        used = Forbidden("This set-up link has been used or has expired.")
        if not isinstance(code, str) or not code:
            raise used
        hashed = hash_token(code)
        first = await self.store.get_record("setup", "code")
        if first is not None and secrets.compare_digest(first["hash"], hashed):
            if await self.members():
                raise used
            key, admin = "code", True
        else:
            invited = await self.store.get_record("setup", hashed)
            if invited is None:
                raise used
            if invited["email"] != email:
                raise Forbidden("This set-up link is for another email address.")
            key, admin = hashed, bool(invited["admin"])
        # Claimed in one atomic step before the account is made: the link used several
        # times at once makes one account.
        now = self.clock()
        until = now + SETUP_HOURS * 3600
        if await self.store.add_to_counter("setup_claim", hashed, 1, now, until) != 1:
            raise used
        try:
            member = await self.add(email, password, admin=admin)
        except Exception:
            await self.store.reset_counter("setup_claim", hashed)
            raise
        await self.store.delete_record("setup", key)
        await self._log("staff.set_up", email, email)
        return member
