"""Families: the family a chain of meetings is about (first meeting, then reviews), each
staff member's list of theirs, and what that list shows of each meeting."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .board import parsing
from .board.errors import N_, Duplicate, Invalid, KinboardError, Nn_, NotFound
from .board.model import Board
from .clock import Clock, iso, parse_iso
from .security import new_id
from .store.records import Child, Family, FamilyMeeting
from .store.roles import FamilyIndex

log = logging.getLogger("kinboard.families")

MAX_FAMILY_NAME = 120
MAX_CASE_REF = 40
MAX_CHILD_NAME = 40
MAX_CHILDREN = 12
MAX_CHILD_AGE = 25
PAGE_SIZE = 20
# A review this many days away or nearer is "due in N days".
DUE_SOON_DAYS = 14

FAMILY_NAME = parsing.Words.required(
    MAX_FAMILY_NAME,
    Nn_(
        "A family's name can be at most {most} character.",
        "A family's name can be at most {most} characters.",
        "most",
    ),
    N_("Please give the family's name, as the council writes it (for example: Khan family)."),
)
CASE_REF = parsing.Words.optional(
    MAX_CASE_REF,
    Nn_(
        "A case reference can be at most {most} character.",
        "A case reference can be at most {most} characters.",
        "most",
    ),
    N_("A case reference must be words or null."),
)
CHILD_NAME = parsing.Words.required(
    MAX_CHILD_NAME,
    Nn_(
        "A child's first name can be at most {most} character.",
        "A child's first name can be at most {most} characters.",
        "most",
    ),
    N_("Each child needs a first name."),
)
SEARCH = parsing.Words.optional(
    MAX_FAMILY_NAME,
    Nn_(
        "A search can be at most {most} character.",
        "A search can be at most {most} characters.",
        "most",
    ),
    N_("A search must be words."),
)
# Pages past this are not asked for by any list (and would overflow the store's offsets).
MAX_PAGE = 100_000
_CHILD_TEXT = re.compile(r"(.*?)\s*(\d{1,2})?$")


@dataclass(frozen=True)
class FamilyChoice:
    """Which family a new meeting is for: an existing one (by id or case reference), or a
    new one (name, case reference, children). All None: a family of its own, named after
    the meeting (as for meetings from before families)."""

    family_id: Any = None
    case_ref: Any = None
    new: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FamilyChoice:
        new = data.get("family")
        if new is not None and not isinstance(new, dict):
            raise Invalid("family must be an object: {name, case_ref, children}.")
        return cls(data.get("family_id"), data.get("case_ref"), new)

    @classmethod
    def from_form(cls, form: Any) -> FamilyChoice:
        if form.get("family_id"):
            return cls(family_id=form.get("family_id"))
        if not (form.get("family_name") or "").strip():
            # A case reference alone picks that family; nothing at all, a family of its own.
            return cls(case_ref=form.get("case_ref")) if form.get("case_ref") else cls()
        return cls(
            new={
                "name": form.get("family_name"),
                "case_ref": form.get("case_ref") or None,
                "children": children_from_text(form.get("children") or ""),
            }
        )


NO_FAMILY_CHOSEN = FamilyChoice()


@dataclass(frozen=True)
class Listed:
    """One family as the staff home page shows it."""

    family: Family
    meetings: tuple[FamilyMeeting, ...]  # first meeting, then reviews
    agreed: FamilyMeeting | None  # the latest meeting with agreed minutes
    # Days to the next review while it is due soon (negative once overdue); the page
    # says it in the reader's language ("review due in 5 days", "review overdue").
    review_in: int | None


@dataclass(frozen=True)
class ListedPage:
    families: tuple[Listed, ...]
    total: int
    page: int
    pages: int
    search: str


def children_from_text(text: str) -> list[dict[str, Any]]:
    """The home page's "Ava 7, Leo 4" as children (a number at the end is the age)."""
    children = []
    for part in text.split(","):
        if not part.strip():
            continue
        found = _CHILD_TEXT.fullmatch(part.strip())
        assert found is not None  # the pattern matches any text
        age = found.group(2)
        children.append({"name": found.group(1), "age": int(age) if age else None})
    return children


def parse_children(value: Any) -> tuple[Child, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_CHILDREN:
        raise Invalid("children must be a list of at most {most} {{name, age}}.", most=MAX_CHILDREN)
    children = []
    for item in value:
        if not isinstance(item, dict):
            raise Invalid("Each child is {name, age}.")
        age = item.get("age")
        children.append(
            Child(
                parsing.words(item.get("name"), CHILD_NAME),
                None
                if age is None
                else parsing.whole_number(
                    age, 0, MAX_CHILD_AGE, N_("A child's age is a whole number up to {high}.")
                ),
            )
        )
    return tuple(children)


def case_reference(value: Any) -> str | None:
    """A case reference as given, or None for none."""
    return parsing.words(value, CASE_REF) or None


def fingerprint(name: str, children: tuple[Child, ...]) -> str:
    """The same for the same name and children, whatever the case and spacing: one staff
    member cannot make the same family twice."""
    key = json.dumps([name.casefold(), sorted((c.name.casefold(), c.age or -1) for c in children)])
    return hashlib.sha256(key.encode()).hexdigest()


def _summary_inputs(board: Board) -> tuple[Any, ...]:
    return (board.meeting, board.minutes)


def review_in(next_review: str | None, today: date) -> int | None:
    """Calendar days to the next review while it is due soon or overdue (negative), else
    None: the page shows the date alone."""
    if next_review is None:
        return None
    days = (date.fromisoformat(next_review) - today).days
    return days if days <= DUE_SOON_DAYS else None


class Families:
    def __init__(self, store: FamilyIndex, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    # --- choosing or making the family of a new meeting ---

    async def choose(self, choice: FamilyChoice, staff: str | None, title: str) -> Family:
        """The family a new meeting is for. A staff member may pick (by id or case reference)
        only a family in their list; a key any."""
        if choice.family_id is not None:
            family = await self._store.family(str(choice.family_id))
            if family is None or (
                staff is not None and not await self._store.lists_family(staff, family.id)
            ):
                raise NotFound("There is no such family in your list.")
            return family
        if choice.case_ref is not None and choice.new is None:
            family = await self.by_case_ref(choice.case_ref)
            return await self.readable(family.id, staff)
        if choice.new is not None:
            return await self.make(
                choice.new.get("name"),
                choice.new.get("case_ref"),
                choice.new.get("children"),
                staff or "",
            )
        return await self._add(Family(new_id("f_"), title, iso(self._clock())), None)

    async def by_case_ref(self, value: Any) -> Family:
        case_ref = case_reference(value)
        if case_ref is None:
            raise Invalid("Please give a case reference.")
        family = await self._store.family_by_case_ref(case_ref)
        if family is None:
            raise NotFound(
                "There is no family with the case reference {case_ref}.", case_ref=case_ref
            )
        return family

    async def make(self, name: Any, case_ref: Any, children: Any, owner: str) -> Family:
        family = Family(
            id=new_id("f_"),
            name=parsing.words(name, FAMILY_NAME),
            created_at=iso(self._clock()),
            case_ref=case_reference(case_ref),
            children=parse_children(children),
            owner=owner,
        )
        # Same name and children is the same family only for one staff member: through the
        # API key, the case reference is what tells families apart.
        return await self._add(family, fingerprint(family.name, family.children) if owner else None)

    async def _add(self, family: Family, same: str | None) -> Family:
        clash = await self._store.add_family(family, same)
        if clash == "case_ref":
            raise Duplicate(
                "There is a family with the case reference {case_ref} already: "
                "start the meeting from that family.",
                case_ref=family.case_ref,
            )
        if clash == "fingerprint":
            raise Duplicate(
                "You have a family called {name} with the same children already: "
                "start the meeting from that family in your list.",
                name=family.name,
            )
        return family

    async def family(self, family_id: str) -> Family:
        family = await self._store.family(family_id)
        if family is None:
            raise NotFound("There is no such family.")
        return family

    async def readable(self, family_id: str, staff: str | None) -> Family:
        """The family, for a staff member who has it in their list (or the API key)."""
        family = await self._store.family(family_id)
        if family is None or (
            staff is not None and not await self._store.lists_family(staff, family_id)
        ):
            raise NotFound("There is no such family in your list.")
        return family

    # --- its meetings ---

    async def add_meeting(self, family: Family, board: Board, staff: list[str]) -> None:
        """A new meeting of the family, in each of its staff's lists."""
        await self._store.put_family_meeting(family.id, FamilyMeeting.of(board, 0))
        active = parse_iso(board.meeting.created_at)
        for email in staff:
            await self._store.list_family_for(email, family.id, active)

    async def list_for(self, meeting_id: str, email: str) -> None:
        """The meeting's family in one more staff member's list (a meeting shared)."""
        family_id = await self._store.meeting_family(meeting_id)
        if family_id is not None:
            await self._store.list_family_for(email, family_id, self._clock())

    async def unlist(self, email: str, family_id: str) -> None:
        await self._store.unlist_family_for(email, family_id)

    async def family_of(self, meeting_id: str) -> str | None:
        return await self._store.meeting_family(meeting_id)

    async def chain(self, family_id: str) -> list[FamilyMeeting]:
        return (await self._store.family_meetings([family_id]))[family_id]

    async def noted(self, before: Board, after: Board, seq: int) -> None:
        """After a commit: keep what the list shows of the meeting up to date. The op is
        committed whatever happens here, so a failure is logged, never refused."""
        if _summary_inputs(before) == _summary_inputs(after):
            return
        try:
            family_id = await self._store.meeting_family(after.meeting.id)
            if family_id is not None:
                await self._store.put_family_meeting(family_id, FamilyMeeting.of(after, seq))
        except KinboardError as error:
            log.warning("could not note meeting %s in its family: %s", after.meeting.id, error)

    # --- a staff member's list ---

    async def page(self, email: str, search: Any, page: Any) -> ListedPage:
        words = parsing.words(search if isinstance(search, str) else None, SEARCH)
        asked = int(page) if isinstance(page, str) and page.isdigit() else 1
        number = min(max(asked, 1), MAX_PAGE)
        found = await self._store.staff_families(
            email, words.lower(), (number - 1) * PAGE_SIZE, PAGE_SIZE
        )
        last = max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        if number > last:  # past the end (the list shrank meanwhile): its last page
            number = last
            found = await self._store.staff_families(
                email, words.lower(), (number - 1) * PAGE_SIZE, PAGE_SIZE
            )
        chains = await self._store.family_meetings([f.id for f in found.families])
        today = date.fromisoformat(iso(self._clock())[:10])
        listed = []
        for family in found.families:
            meetings = tuple(chains[family.id])
            agreed_at = [i for i, m in enumerate(meetings) if m.minutes is not None]
            agreed = meetings[agreed_at[-1]] if agreed_at else None
            # Once the next meeting has been started, its date is no longer "due".
            due = agreed is not None and agreed_at[-1] == len(meetings) - 1
            days = review_in(agreed.next_review, today) if due and agreed else None
            listed.append(Listed(family, meetings, agreed, days))
        return ListedPage(tuple(listed), found.total, number, last, words)
