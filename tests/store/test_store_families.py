"""The families role of the store contract: the same tests on SQLite and on a real Redis."""

from __future__ import annotations

import asyncio

import pytest

from server.board.model import Board, Meeting
from server.store.records import Child, Family, FamilyMeeting
from server.store.roles import Store
from tests.support.stores import OpenStore

PRIYA = "priya@council.example"
BEA = "bea@council.example"


@pytest.fixture
async def store(open_store: OpenStore) -> Store:
    return await open_store()


def family(n: int, owner: str = PRIYA, case_ref: str | None = None, **fields: object) -> Family:
    return Family(
        id=f"f_{n:04d}",
        name=str(fields.pop("name", f"Family {n:04d}")),
        created_at="2026-11-27T09:00:00.000Z",
        case_ref=case_ref,
        owner=owner,
        **fields,  # type: ignore[arg-type]
    )


def seen(meeting_id: str, created_at: str, seq: int = 0, **fields: object) -> FamilyMeeting:
    return FamilyMeeting(
        meeting_id=meeting_id,
        title=f"Meeting {meeting_id}",
        kind="initial",
        status="open",
        created_at=created_at,
        seq=seq,
        **fields,  # type: ignore[arg-type]
    )


async def test_a_family_is_kept_whole_and_found_by_id_and_case_reference(
    store: Store, open_store: OpenStore
) -> None:
    khan = family(
        1, case_ref="CR-1042", name="Khan family", children=(Child("Ava", 7), Child("Leo"))
    )
    assert await store.add_family(khan, "fp-khan") is None
    other = await open_store()  # another worker, or after a restart
    assert await other.family(khan.id) == khan
    assert await other.family_by_case_ref("CR-1042") == khan
    assert await other.family_by_case_ref("CR-9999") is None
    assert await other.family("f_none") is None


async def test_a_case_reference_belongs_to_one_family_even_when_both_are_added_at_once(
    open_store: OpenStore,
) -> None:
    one, two = await open_store(), await open_store()
    clashes = await asyncio.gather(
        one.add_family(family(1, case_ref="CR-7"), None),
        two.add_family(family(2, owner=BEA, case_ref="CR-7"), None),
    )
    assert sorted(clashes, key=str) == [None, "case_ref"]
    kept = await one.family_by_case_ref("CR-7")
    assert kept is not None and kept.id in ("f_0001", "f_0002")
    # The refused one was not stored at all.
    refused = "f_0002" if kept.id == "f_0001" else "f_0001"
    assert await one.family(refused) is None


async def test_the_same_family_twice_is_refused_for_one_staff_member_only(store: Store) -> None:
    assert await store.add_family(family(1), "same") is None
    assert await store.add_family(family(2, case_ref="CR-2"), "same") == "fingerprint"
    # The refusal claimed nothing: the case reference is still free.
    assert await store.add_family(family(3, case_ref="CR-2"), None) is None
    assert await store.add_family(family(4, owner=BEA), "same") is None
    assert await store.add_family(family(5), None) is None  # not checked
    assert await store.family("f_0002") is None


async def test_a_familys_meetings_in_order_and_never_replaced_by_an_older_view(
    store: Store,
) -> None:
    await store.add_family(family(1), None)
    await store.add_family(family(2), None)
    await store.put_family_meeting("f_0001", seen("m_b", "2026-12-01T09:00:00.000Z"))
    await store.put_family_meeting("f_0001", seen("m_a", "2026-11-01T09:00:00.000Z"))
    await store.put_family_meeting("f_0002", seen("m_c", "2026-11-15T09:00:00.000Z"))
    agreed = seen("m_a", "2026-11-01T09:00:00.000Z", seq=9, minutes=1, plan=("Gran visits",))
    await store.put_family_meeting("f_0001", agreed)
    await store.put_family_meeting("f_0001", seen("m_a", "2026-11-01T09:00:00.000Z", seq=4))
    chains = await store.family_meetings(["f_0001", "f_0002", "f_none"])
    assert chains == {
        "f_0001": [agreed, seen("m_b", "2026-12-01T09:00:00.000Z")],
        "f_0002": [seen("m_c", "2026-11-15T09:00:00.000Z")],
        "f_none": [],
    }
    assert await store.meeting_family("m_a") == "f_0001"
    assert await store.meeting_family("m_c") == "f_0002"
    assert await store.meeting_family("m_none") is None


async def test_each_staff_members_list_is_their_own_paged_and_searched(store: Store) -> None:
    for n in range(1, 26):
        await store.add_family(family(n, case_ref=f"CR-{n:03d}"), None)
        await store.list_family_for(PRIYA, f"f_{n:04d}", 1000.0 + n)
    await store.add_family(family(99, owner=BEA, name="Okafor family"), None)
    await store.list_family_for(BEA, "f_0099", 5000.0)
    await store.list_family_for(BEA, "f_0003", 6000.0)  # shared with Bea too

    first = await store.staff_families(PRIYA, "", 0, 10)
    assert first.total == 25
    assert [f.id for f in first.families] == [f"f_{n:04d}" for n in range(25, 15, -1)]
    last = await store.staff_families(PRIYA, "", 20, 10)
    assert [f.id for f in last.families] == [f"f_{n:04d}" for n in range(5, 0, -1)]
    # A search by name or case reference, in lower case.
    found = await store.staff_families(PRIYA, "family 001", 0, 10)
    assert [f.id for f in found.families] == [f"f_{n:04d}" for n in range(19, 9, -1)]
    assert found.total == 10
    by_case = await store.staff_families(PRIYA, "cr-007", 0, 10)
    assert ([f.id for f in by_case.families], by_case.total) == (["f_0007"], 1)
    assert (await store.staff_families(PRIYA, "okafor", 0, 10)).total == 0

    bea = await store.staff_families(BEA, "", 0, 10)
    assert [f.id for f in bea.families] == ["f_0003", "f_0099"]
    assert await store.lists_family(BEA, "f_0003")
    assert not await store.lists_family(BEA, "f_0004")
    # Activity only moves a family up.
    await store.list_family_for(PRIYA, "f_0001", 1.0)
    assert (await store.staff_families(PRIYA, "", 24, 10)).families[0].id == "f_0001"
    await store.list_family_for(PRIYA, "f_0001", 9999.0)
    assert (await store.staff_families(PRIYA, "", 0, 1)).families[0].id == "f_0001"
    assert (await store.staff_families("nobody@council.example", "", 0, 10)).total == 0
    await store.unlist_family_for(BEA, "f_0003")
    assert [f.id for f in (await store.staff_families(BEA, "", 0, 10)).families] == ["f_0099"]
    assert (await store.staff_families(BEA, "family", 0, 10)).total == 1
    assert not await store.lists_family(BEA, "f_0003")
    assert await store.lists_family(PRIYA, "f_0003")


async def test_erasing_a_meeting_takes_it_out_of_its_family_and_the_last_one_the_family(
    store: Store,
) -> None:
    await store.add_family(family(1, case_ref="CR-1"), "fp")
    for meeting_id in ("m_one", "m_two"):
        await store.create(Board(Meeting(meeting_id, "Meeting")))
        await store.put_family_meeting("f_0001", seen(meeting_id, "2026-11-01T09:00:00.000Z"))
    await store.list_family_for(PRIYA, "f_0001", 1.0)
    # Records kept by the family's id (who the whole family is shared with) go with it.
    shares = {"family_id": "f_0001", "staff": [BEA]}
    await store.put_record("family_staff", "f_0001", shares)
    await store.put_record("family_staff", "f_0002", {"family_id": "f_0002", "staff": [BEA]})
    await store.erase("m_one")
    assert [m.meeting_id for m in (await store.family_meetings(["f_0001"]))["f_0001"]] == ["m_two"]
    assert await store.meeting_family("m_one") is None
    assert await store.get_record("family_staff", "f_0001") == shares
    await store.erase("m_two")
    assert await store.family("f_0001") is None
    assert await store.get_record("family_staff", "f_0001") is None
    assert await store.list_records("family_staff") == [{"family_id": "f_0002", "staff": [BEA]}]
    assert await store.family_by_case_ref("CR-1") is None
    assert (await store.staff_families(PRIYA, "", 0, 10)).total == 0
    assert not await store.lists_family(PRIYA, "f_0001")
    # Its case reference and name are free again.
    assert await store.add_family(family(2, case_ref="CR-1"), "fp") is None
