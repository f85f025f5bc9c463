"""One contract for every store backend: the same tests run on SQLite, on a real Redis and
on a real three-master Redis Cluster."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import pytest

from server.board import ops, wire
from server.board.cards import CardAdd
from server.board.errors import Forbidden, Invalid, NotFound
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Change, LinkKind, Meeting
from server.board.ops import Context
from server.board.roles import Role
from server.store.board_log import activity_time
from server.store.records import Commit, Link, OpRecord, Presence, Session
from server.store.roles import Mutation, Store, Update
from tests.support.stores import Backend, OpenStore

# Every test on each backend (conftest.py's `backend`), the Redis Cluster too.
pytestmark = pytest.mark.parametrize("backend", ["sqlite", "redis", "cluster"], indirect=True)

MID = "m7Hq2LwX9pZa"
T0 = "2026-11-27T09:00:00.000Z"
T1 = "2026-11-27T09:14:03.221Z"
PEOPLE = [
    ("p_fac", "Fatima", Role.FACILITATOR),
    ("p_mum", "Sam", Role.PARENT),
    ("p_gran", "Gran", Role.NETWORK),
]


# --- fixtures: one backend's data, and store objects (workers) on it --------------------------


@pytest.fixture
async def store(open_store: OpenStore) -> Store:
    return await open_store()


# --- realistic boards and mutations -----------------------------------------------------------


def first_board(
    meeting_id: str = MID, title: str = "Family meeting", created_at: str = T0
) -> Board:
    board = Board(Meeting(meeting_id, title, created_at=created_at))
    for pid, name, role in PEOPLE:
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, created_at))
    return board


def mutation(
    message: dict[str, Any], actor: str = "p_mum", now: str = T1, new_id: str = ""
) -> Mutation:
    _, op = ops.parse_op({"id": "o_x", **message})
    return lambda board: ops.apply(board, op, Context(actor, now, new_id))


async def add_card(
    store: Store,
    card_id: str,
    *,
    actor: str = "p_mum",
    key: str | None = None,
    meeting_id: str = MID,
    after: str | None = None,
) -> Commit:
    message = {
        "type": "card.add",
        "section": "strengths",
        "text": f"Card {card_id}",
        "after": after,
    }
    return await store.update(
        Update(
            meeting_id,
            key or f"{actor}:o_{card_id}",
            f"o_{card_id}",
            actor,
            T1,
            mutation(message, actor, new_id=card_id),
        )
    )


def visible(board: Board) -> dict[str, Any]:
    """The board as participants get it (participants in id order: the wire does not fix one)."""
    encoded = wire.encode_board(board)
    encoded["participants"].sort(key=lambda p: p["id"])
    return encoded


async def created(store: Store, meeting_id: str = MID) -> Board:
    board = first_board(meeting_id)
    await store.create(board)
    return board


# --- boards -----------------------------------------------------------------------------------


async def test_create_then_load(store: Store, open_store: OpenStore) -> None:
    board = await created(store)
    assert await store.load(MID) == (board, 0)
    other = await open_store()
    assert await other.load(MID) == (board, 0)  # read back from the backend, not a cache


async def test_last_activity_reads_the_index_for_the_meetings_asked_only(
    store: Store, open_store: OpenStore
) -> None:
    await store.create(first_board(MID, created_at=T0))
    await store.create(first_board("m_quiet", created_at=T0))
    await store.create(first_board("m_other", created_at=T0))
    await add_card(store, "c1")
    other = await open_store()
    assert await other.last_activity([MID, "m_quiet", "m_nobody"]) == {
        MID: activity_time(T1),
        "m_quiet": activity_time(T0),
    }
    assert await other.last_activity([]) == {}


async def test_load_of_an_unknown_meeting_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.load("m_nobody")
    with pytest.raises(NotFound):
        await store.changes_since("m_nobody", 0)
    with pytest.raises(NotFound):
        await add_card(store, "c1", meeting_id="m_nobody")


async def test_update_commits_one_op_and_bumps_seq(store: Store, open_store: OpenStore) -> None:
    board = await created(store)
    commit = await store.update(
        Update(
            MID,
            "p_mum:o_1",
            "o_1",
            "p_mum",
            T1,
            mutation(
                {"type": "card.add", "section": "safety", "text": "Gran visits daily"}, new_id="c1"
            ),
        )
    )
    expected_board, changes = ops.apply(
        board,
        CardAdd("safety", "Gran visits daily"),
        Context("p_mum", T1, "c1"),
    )
    assert commit.seq == 1
    assert not commit.duplicate
    assert commit.board == expected_board
    assert commit.record == OpRecord(
        1, "o_1", "p_mum", T1, tuple(wire.encode_change(c) for c in changes)
    )
    assert commit.record.changes[0]["value"]["text"] == "Gran visits daily"
    assert await store.load(MID) == (expected_board, 1)
    assert await store.changes_since(MID, 0) == (1, [commit.record])
    assert await (await open_store()).load(MID) == (expected_board, 1)

    second = await add_card(store, "c2", after="c1")
    assert second.seq == 2
    assert [c.id for c in second.board.section_cards("strengths")] == ["c2"]


async def test_a_refused_mutation_commits_nothing(store: Store, open_store: OpenStore) -> None:
    await created(store)
    await add_card(store, "c1")
    board, seq = await store.load(MID)
    log = await store.changes_since(MID, 0)
    edit_others = mutation({"type": "card.edit", "card_id": "c1", "text": "mine now"}, "p_gran")
    with pytest.raises(Forbidden):
        await store.update(Update(MID, "p_gran:o_9", "o_9", "p_gran", T1, edit_others))
    assert await store.load(MID) == (board, seq)
    assert await store.changes_since(MID, 0) == log
    assert await (await open_store()).load(MID) == (board, seq)
    # A refused op is not remembered: the same op key may be used again and is checked again.
    ok = mutation({"type": "card.edit", "card_id": "c1", "text": "Mum's words"}, "p_mum")
    commit = await store.update(Update(MID, "p_gran:o_9", "o_9", "p_mum", T1, ok))
    assert (commit.seq, commit.duplicate) == (seq + 1, False)
    assert commit.board.cards["c1"].text == "Mum's words"


async def test_an_op_key_is_applied_once(store: Store, open_store: OpenStore) -> None:
    await created(store)
    first = await add_card(store, "c1", key="p_mum:o_same")
    await add_card(store, "c2")

    def again_card(board: Board) -> tuple[Board, list[Change]]:
        return mutation({"type": "card.add", "section": "harm", "text": "again"}, new_id="c3")(
            board
        )

    again = await store.update(Update(MID, "p_mum:o_same", "o_same", "p_mum", T1, again_card))
    assert (first.seq, first.duplicate) == (1, False)
    assert (again.seq, again.duplicate, again.record) == (1, True, None)
    # The pure mutation may run (the store tries the commit first); it applies nothing.
    board, seq = await store.load(MID)
    assert seq == 2
    assert sorted(board.cards) == ["c1", "c2"]
    assert again.board == board
    # ...also for another worker, and after a restart.
    other = await open_store()
    from_other = await other.update(Update(MID, "p_mum:o_same", "o_same", "p_mum", T1, again_card))
    assert (from_other.seq, from_other.duplicate) == (1, True)
    assert (await other.changes_since(MID, 0))[0] == 2


async def test_op_keys_belong_to_their_meeting(store: Store) -> None:
    await created(store, "m_one")
    await created(store, "m_two")
    one = await add_card(store, "c1", key="k", meeting_id="m_one")
    two = await add_card(store, "c1", key="k", meeting_id="m_two")
    assert (one.seq, one.duplicate, two.seq, two.duplicate) == (1, False, 1, False)
    assert list((await store.load("m_two"))[0].cards) == ["c1"]


async def test_changes_since_returns_the_later_ops_in_order(store: Store) -> None:
    await created(store)
    commits = [await add_card(store, f"c{i}") for i in range(1, 6)]
    records = [c.record for c in commits]
    assert [r.seq for r in records if r] == [1, 2, 3, 4, 5]
    assert await store.changes_since(MID, 0) == (5, records)
    assert await store.changes_since(MID, 3) == (5, records[3:])
    assert await store.changes_since(MID, 4) == (5, records[4:])
    assert await store.changes_since(MID, 5) == (5, [])
    assert await store.changes_since(MID, 9) == (5, [])
    since_two = (await store.changes_since(MID, 2))[1]
    assert since_two is not None
    assert [(r.seq, r.op_id, r.by, r.changes[0]["id"]) for r in since_two] == [
        (3, "o_c3", "p_mum", "c3"),
        (4, "o_c4", "p_mum", "c4"),
        (5, "o_c5", "p_mum", "c5"),
    ]


async def test_changes_since_is_none_once_the_log_is_trimmed(open_store: OpenStore) -> None:
    store = await open_store(log_limit=3)
    await created(store)
    for i in range(1, 7):
        await add_card(store, f"c{i}")
    assert await store.changes_since(MID, 0) == (6, None)
    assert await store.changes_since(MID, 2) == (6, None)
    seq, records = await store.changes_since(MID, 3)
    assert seq == 6
    assert records is not None
    assert [r.seq for r in records] == [4, 5, 6]
    assert await store.changes_since(MID, 6) == (6, [])
    # The whole board is still there for a client that fell too far behind.
    board, seq = await store.load(MID)
    assert (seq, sorted(board.cards)) == (6, [f"c{i}" for i in range(1, 7)])


async def test_data_survives_a_restart(store: Store, open_store: OpenStore) -> None:
    await created(store)
    await add_card(store, "c1")
    await add_card(store, "c2", actor="p_gran", after="c1")
    await store.update(
        Update(
            MID,
            "p_gran:o_r",
            "o_r",
            "p_gran",
            T1,
            mutation({"type": "card.react", "card_id": "c1", "stance": "agree"}, "p_gran"),
        )
    )
    await store.update(
        Update(MID, "p_fac:o_l", "o_l", "p_fac", T1, mutation({"type": "meeting.lock"}, "p_fac"))
    )
    board, seq = await store.load(MID)
    log = await store.changes_since(MID, 0)
    await store.close()

    restarted = await open_store()
    assert await restarted.load(MID) == (board, seq)
    assert seq == 4
    assert board.meeting.status == "locked"
    assert dict(board.cards["c1"].stances) == {"p_gran": "agree"}
    assert await restarted.changes_since(MID, 0) == log
    again = await add_card(restarted, "c1")  # the same op key as before the restart
    assert (again.seq, again.duplicate) == (1, True)


async def test_create_does_not_overwrite_an_existing_meeting(
    store: Store, open_store: OpenStore
) -> None:
    await created(store)
    await add_card(store, "c1")
    board, seq = await store.load(MID)
    with pytest.raises(Invalid):
        await store.create(first_board(MID, title="Another meeting"))
    assert await store.load(MID) == (board, seq)
    fresh = await open_store()
    assert await fresh.load(MID) == (board, seq)
    assert (await add_card(fresh, "c2")).seq == seq + 1
    _, records = await fresh.changes_since(MID, 0)
    assert records is not None
    assert [r.seq for r in records] == [1, 2]
    assert [m.title for m in await fresh.list_meetings()] == ["Family meeting"]


# --- two workers on the same data -------------------------------------------------------------


async def test_two_workers_updating_one_meeting_concurrently(open_store: OpenStore) -> None:
    worker_a = await open_store()
    worker_b = await open_store()
    await created(worker_a)
    await add_card(worker_a, "shared", actor="p_fac")
    await worker_b.load(MID)  # both have the meeting in memory

    per_worker = 20

    async def work(store: Store, name: str, actor: str) -> list[Commit]:
        commits = []
        for i in range(per_worker):
            if i % 3 == 2:
                stance = "agree" if i % 2 else "disagree"
                message = {"type": "card.react", "card_id": "shared", "stance": stance}
                commits.append(
                    await store.update(
                        Update(
                            MID,
                            f"{actor}:o_{name}{i}",
                            f"o_{name}{i}",
                            actor,
                            T1,
                            mutation(message, actor),
                        )
                    )
                )
            else:
                commits.append(await add_card(store, f"{name}{i}", actor=actor, after="shared"))
        return commits

    results = await asyncio.gather(
        work(worker_a, "a", "p_mum"),
        work(worker_b, "b", "p_gran"),
        *(add_card(worker_a, f"x{i}", actor="p_mum") for i in range(5)),
        *(add_card(worker_b, f"y{i}", actor="p_gran") for i in range(5)),
    )
    commits = [c for group in results for c in (group if isinstance(group, list) else [group])]
    total = 2 * per_worker + 10
    assert len(commits) == total
    assert not any(c.duplicate for c in commits)
    assert sorted(c.seq for c in commits) == list(range(2, total + 2))

    seq, records = await worker_a.changes_since(MID, 0)
    assert seq == total + 1
    assert records is not None
    assert [r.seq for r in records] == list(range(1, total + 2))  # gap-free
    op_ids = [r.op_id for r in records]
    assert len(op_ids) == len(set(op_ids))  # each op exactly once
    added = (
        ["shared"]
        + [f"{n}{i}" for n in "ab" for i in range(per_worker) if i % 3 != 2]
        + [f"x{i}" for i in range(5)]
        + [f"y{i}" for i in range(5)]
    )
    reactions = [f"{n}{i}" for n in "ab" for i in range(per_worker) if i % 3 == 2]
    assert sorted(op_ids) == sorted(f"o_{name}" for name in added + reactions)

    board_a, seq_a = await worker_a.load(MID)
    board_b, seq_b = await worker_b.load(MID)
    fresh_board, fresh_seq = await (await open_store()).load(MID)
    assert seq_a == seq_b == fresh_seq == total + 1
    assert board_a == board_b == fresh_board
    assert sorted(fresh_board.cards) == sorted(added)
    positions = [c.position for c in fresh_board.section_cards("strengths")]
    assert len(set(positions)) == len(positions)
    # The last reaction of each participant wins.
    assert dict(fresh_board.cards["shared"].stances) == {"p_mum": "agree", "p_gran": "agree"}


async def test_two_workers_sending_the_same_op_key_apply_it_once(open_store: OpenStore) -> None:
    worker_a = await open_store()
    worker_b = await open_store()
    await created(worker_a)
    for round_ in range(10):
        key = f"p_mum:o_{round_}"
        one, two = await asyncio.gather(
            add_card(worker_a, f"a{round_}", key=key),
            add_card(worker_b, f"b{round_}", key=key),
        )
        assert one.seq == two.seq == round_ + 1
        assert sorted([one.duplicate, two.duplicate]) == [False, True]
    board, seq = await worker_b.load(MID)
    assert seq == 10
    assert len(board.cards) == 10
    assert board == (await worker_a.load(MID))[0]


async def test_a_cached_board_catches_up_by_replaying_the_log(
    open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_a = await open_store()
    worker_b = await open_store()
    await created(worker_a)
    await add_card(worker_a, "c1")
    assert (await worker_b.load(MID))[1] == 1  # B caches the board at seq 1

    await add_card(worker_a, "c2", after="c1")
    await worker_a.update(
        Update(
            MID,
            "p_fac:o_e",
            "o_e",
            "p_fac",
            T1,
            mutation({"type": "card.edit", "card_id": "c1", "text": "Edited by Fatima"}, "p_fac"),
        )
    )
    await worker_a.update(
        Update(
            MID,
            "p_fac:o_t",
            "o_t",
            "p_fac",
            T1,
            mutation({"type": "meeting.edit", "title": "Review"}, "p_fac"),
        )
    )
    full_reloads = 0
    read_board = worker_b._read_board

    async def counting_read_board(meeting_id: str) -> tuple[Board, int]:
        nonlocal full_reloads
        full_reloads += 1
        return await read_board(meeting_id)

    monkeypatch.setattr(worker_b, "_read_board", counting_read_board)
    board_b, seq_b = await worker_b.load(MID)
    assert full_reloads == 0  # replayed from the log, not reloaded
    assert (board_b, seq_b) == await worker_a.load(MID)
    assert seq_b == 4
    assert board_b.meeting.title == "Review"
    assert [c.id for c in board_b.section_cards("strengths")] == ["c1", "c2"]
    assert board_b.cards["c1"].text == "Edited by Fatima"
    # B goes on from there.
    commit = await add_card(worker_b, "c3", actor="p_gran", after="c2")
    assert commit.seq == 5
    assert (await worker_a.load(MID))[0] == commit.board


async def test_a_cached_board_reloads_when_the_log_no_longer_reaches_back(
    open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_a = await open_store(log_limit=2)
    worker_b = await open_store(log_limit=2)
    await created(worker_a)
    await worker_b.load(MID)
    for i in range(5):
        await add_card(worker_a, f"c{i}")
    full_reloads = 0
    read_board = worker_b._read_board

    async def counting_read_board(meeting_id: str) -> tuple[Board, int]:
        nonlocal full_reloads
        full_reloads += 1
        return await read_board(meeting_id)

    monkeypatch.setattr(worker_b, "_read_board", counting_read_board)
    assert await worker_b.load(MID) == await worker_a.load(MID)
    assert full_reloads == 1
    assert (await worker_b.load(MID))[1] == 5


async def _delete_seen_by_another_worker(open_store: OpenStore) -> tuple[Board, Board]:
    """(worker B's board after replaying A's delete, the board as stored)."""
    worker_a = await open_store()
    worker_b = await open_store()
    await created(worker_a)
    await add_card(worker_a, "c1")
    await add_card(worker_a, "c2")
    await worker_b.load(MID)
    later = "2026-11-27T10:00:00.000Z"
    delete = mutation({"type": "card.delete", "card_id": "c1"}, "p_fac", later)
    await worker_a.update(Update(MID, "p_fac:o_d", "o_d", "p_fac", later, delete))
    board_b, seq_b = await worker_b.load(MID)
    stored, seq = await (await open_store()).load(MID)
    assert seq_b == seq == 3
    return board_b, stored


async def test_a_cached_board_catches_up_with_a_delete(open_store: OpenStore) -> None:
    board_b, stored = await _delete_seen_by_another_worker(open_store)
    assert visible(board_b) == visible(stored)
    assert board_b.cards["c1"].deleted
    assert [c.id for c in board_b.live_cards()] == ["c2"]


async def test_a_cached_board_catches_up_with_a_delete_exactly(open_store: OpenStore) -> None:
    board_b, stored = await _delete_seen_by_another_worker(open_store)
    assert board_b.cards["c1"] == stored.cards["c1"]
    assert board_b == stored


# --- meetings -----------------------------------------------------------------------------------


async def test_list_meetings_newest_first(store: Store) -> None:
    assert await store.list_meetings() == []
    for meeting_id, created_at in [
        ("m_b", "2026-11-27T09:00:00.000Z"),
        ("m_old", "2026-10-01T09:00:00.000Z"),
        ("m_new", "2026-11-28T09:00:00.000Z"),
        ("m_a", "2026-11-27T09:00:00.000Z"),
    ]:
        await store.create(
            first_board(meeting_id, title=f"Meeting {meeting_id}", created_at=created_at)
        )
    await add_card(store, "c1", meeting_id="m_old")
    meetings = await store.list_meetings()
    assert [m.id for m in meetings] == ["m_new", "m_b", "m_a", "m_old"]
    assert meetings[0] == Meeting("m_new", "Meeting m_new", created_at="2026-11-28T09:00:00.000Z")


async def test_list_meetings_shows_the_current_title(store: Store) -> None:
    await created(store)
    await store.update(
        Update(
            MID,
            "p_fac:o_t",
            "o_t",
            "p_fac",
            T1,
            mutation({"type": "meeting.edit", "title": "Review meeting"}, "p_fac"),
        )
    )
    assert [m.title for m in await store.list_meetings()] == ["Review meeting"]


async def test_ping(store: Store) -> None:
    assert await store.ping() is None


# --- links and sessions -----------------------------------------------------------------------


def link(n: int, meeting_id: str = MID, **fields: Any) -> Link:
    kinds = [LinkKind.FACILITATOR, LinkKind.PARTICIPANT, LinkKind.DISPLAY]
    values: dict[str, Any] = {
        "id": f"l_{n}",
        "meeting_id": meeting_id,
        "kind": kinds[n % 3],
        "token_hash": f"{n:064x}",
        "created_at": 1_795_000_000.0 + n,
        "expires_at": 1_795_600_000.0 + n,
    }
    values.update(fields)
    return Link(**values)


async def test_links(store: Store, open_store: OpenStore) -> None:
    await created(store)
    await created(store, "m_other")
    for n in (2, 0, 1):
        await store.add_link(link(n))
    await store.add_link(link(7, "m_other", expires_at=None))
    assert await store.find_link(link(1).token_hash) == link(1)
    assert await store.find_link(link(7).token_hash) == link(7, "m_other", expires_at=None)
    assert await store.find_link("f" * 64) is None
    assert await store.meeting_links(MID) == [link(0), link(1), link(2)]
    assert await store.meeting_links("m_other") == [link(7, "m_other", expires_at=None)]
    assert await store.meeting_links("m_none") == []
    # Revoking writes the link again under the same hash.
    await store.add_link(replace(link(1), revoked=True))
    found = await store.find_link(link(1).token_hash)
    assert found is not None and found.revoked
    assert [x.revoked for x in await store.meeting_links(MID)] == [False, True, False]
    other = await open_store()
    assert await other.find_link(link(2).token_hash) == link(2)


async def test_sessions(store: Store, open_store: OpenStore) -> None:
    wall = time.time()
    session = Session("a" * 64, MID, "p_mum", wall, wall + 24 * 3600)
    await store.add_session(session)
    await store.add_session(Session("b" * 64, "m_other", "p_x", wall, wall + 60))
    assert await store.find_session("a" * 64) == session
    assert await store.find_session("c" * 64) is None
    assert await (await open_store()).find_session("a" * 64) == session


async def test_live_sessions_are_those_of_the_meeting_not_ended(
    store: Store, open_store: OpenStore
) -> None:
    wall = time.time()
    await created(store)
    for token_hash, meeting_id, participant in (
        ("a" * 64, MID, "p_mum"),
        ("b" * 64, MID, "p_dad"),
        ("e" * 64, MID, "p_gran"),
        ("f" * 64, "m_other", "p_x"),
    ):
        await store.add_session(Session(token_hash, meeting_id, participant, wall, wall + 60))
    expired = Session("d" * 64, MID, "p_kid", wall - 7200, wall - 3600)
    await store.add_session(expired)
    asked = {"a" * 64, "b" * 64, "d" * 64, "e" * 64, "f" * 64, "c" * 64}
    # Another meeting's session and an unknown hash are not live; expiry is the caller's.
    assert await store.live_sessions(MID, asked) == {"a" * 64, "b" * 64, "d" * 64, "e" * 64}
    assert await store.end_sessions(MID, participant_id="p_dad") == {"p_dad"}
    assert await store.live_sessions(MID, asked) == {"a" * 64, "d" * 64, "e" * 64}
    assert await (await open_store()).live_sessions(MID, ["e" * 64]) == {"e" * 64}
    assert await store.live_sessions(MID, []) == set()
    assert await store.live_sessions("m_other", asked) == {"f" * 64}


async def test_find_session_leaves_expiry_to_the_caller(store: Store) -> None:
    """Store.find_session: "The session, whether or not it has expired (the caller checks
    with its clock)"."""
    wall = time.time()
    expired = Session("e" * 64, MID, "p_mum", wall - 7200, wall - 3600)
    await store.add_session(expired)
    assert await store.find_session("e" * 64) == expired


# --- presence ---------------------------------------------------------------------------------


async def test_presence_put_merge_drop_and_expiry(store: Store) -> None:
    now = 1_795_000_000.0
    await store.presence_put(MID, "sid-1", Presence("p_mum", None), now + 30)
    await store.presence_put(MID, "sid-2", Presence("p_mum", "c1"), now + 30)  # her phone
    await store.presence_put(MID, "sid-3", Presence("p_fac", None), now + 60)
    await store.presence_put("m_other", "sid-4", Presence("p_x", None), now + 60)
    assert await store.presence(MID, now) == [Presence("p_fac", None), Presence("p_mum", "c1")]
    # The same socket again replaces its entry.
    await store.presence_put(MID, "sid-2", Presence("p_mum", "c2"), now + 30)
    assert await store.presence(MID, now) == [Presence("p_fac", None), Presence("p_mum", "c2")]
    await store.presence_drop(MID, "sid-2")
    assert await store.presence(MID, now) == [Presence("p_fac", None), Presence("p_mum", None)]
    await store.presence_drop(MID, "sid-unknown")
    # Entries expire at their time: a dead worker's sockets fade away.
    assert await store.presence(MID, now + 30) == [Presence("p_fac", None)]
    assert await store.presence(MID, now + 10) == [Presence("p_fac", None)]  # gone for good
    assert await store.presence(MID, now + 61) == []
    assert await store.presence("m_other", now) == [Presence("p_x", None)]
    assert await store.presence("m_none", now) == []


async def test_presence_put_many_is_one_put_per_socket(store: Store) -> None:
    now = 1_795_000_000.0
    await store.presence_put(MID, "sid-1", Presence("p_mum", "c1"), now + 10)
    many = {"sid-1": Presence("p_mum", None), "sid-2": Presence("p_dad", "c2")}
    await store.presence_put_many(MID, many, now + 30)
    await store.presence_put_many(MID, {}, now + 30)
    await store.presence_put_many("m_other", {"sid-3": Presence("p_x", None)}, now + 60)
    assert await store.presence_sockets(MID, now + 20) == many  # sid-1 refreshed, and replaced
    assert await store.presence_sockets(MID, now + 31) == {}
    assert await store.presence_sockets("m_other", now + 31) == {"sid-3": Presence("p_x", None)}


async def test_a_dead_workers_sockets_stop_counting_at_once(
    store: Store, open_store: OpenStore, backend: Backend
) -> None:
    """Its entries would live a minute more; they stop counting once the worker is gone,
    so that people reconnecting elsewhere are not refused meanwhile."""
    if backend.kind != "redis":
        pytest.skip("the embedded store serves one process: presence is in its memory")
    now = 1_795_000_000.0
    other = await open_store()  # another worker
    await store.presence_put(MID, "sid-1", Presence("p_mum", None), now + 60)
    await other.presence_put(MID, "sid-2", Presence("p_dad", None), now + 60)
    assert set(await store.presence_sockets(MID, now)) == {"sid-1", "sid-2"}
    await other.close()  # as its process dying would: Redis drops its connections
    deadline = time.monotonic() + 2
    while "sid-2" in await store.presence_sockets(MID, now):
        assert time.monotonic() < deadline, "the gone worker's socket still counts"
        await asyncio.sleep(0.02)
    assert await store.presence(MID, now) == [Presence("p_mum", None)]
    again = await open_store()  # for every worker
    assert set(await again.presence_sockets(MID, now)) == {"sid-1"}
    assert set(await again.presence_sockets(MID, now + 61)) == set()  # and then expires


# --- counters -------------------------------------------------------------------------------


async def test_a_counter_gives_each_of_many_callers_at_once_a_value_of_its_own(
    store: Store, open_store: OpenStore
) -> None:
    other = await open_store()  # another worker on the same data
    now, until = 1_800_000_000.0, 1_800_000_900.0
    values = await asyncio.gather(
        *(
            (store if n % 2 else other).add_to_counter("tries", "a", 1, now, until)
            for n in range(50)
        )
    )
    assert sorted(values) == list(range(1, 51))
    assert await store.add_to_counter("tries", "b", 1, now, until) == 1, "counters by key"
    assert await store.add_to_counter("other", "a", 1, now, until) == 1, "counters by kind"


async def test_a_counter_starts_again_when_its_window_ends_and_never_goes_below_zero(
    store: Store,
) -> None:
    now = 1_800_000_000.0
    assert await store.add_to_counter("tries", "a", 3, now, now + 900) == 3
    assert await store.add_to_counter("tries", "a", -1, now + 899, now + 1799) == 2
    # The window was set by the first addition; the later `until` did not move it.
    assert await store.add_to_counter("tries", "a", 1, now + 900, now + 1800) == 1
    assert await store.add_to_counter("tries", "a", -5, now + 901, now + 1801) == 0
    assert await store.add_to_counter("tries", "new", -1, now, now + 900) == 0
    await store.reset_counter("tries", "a")
    assert await store.add_to_counter("tries", "a", 1, now + 902, now + 1802) == 1


# --- records ----------------------------------------------------------------------------------


async def test_expired_records_are_unread_then_forgotten_and_the_live_ones_kept(
    store: Store, open_store: OpenStore
) -> None:
    now = time.time()
    await store.put_record("staff_session", "old-1", {"n": 1}, expires_at=now - 60)
    await store.put_record("staff_session", "old-2", {"n": 2}, expires_at=now - 60)
    await store.put_record("staff_session", "live", {"n": 3}, expires_at=now + 3600)
    await store.put_record("staff", "ava@council.example", {"n": 4})  # never expires
    await store.put_record("setup", "old-3", {"n": 5}, expires_at=now - 60)
    assert await store.get_record("staff_session", "old-1") is None
    assert await store.list_records("staff_session") == [{"n": 3}]

    other = await open_store()  # any worker may do it: the hourly purge
    assert await other.forget_expired_records(now) == 3
    assert await store.forget_expired_records(now) == 0, "nothing expired is left to forget"
    assert await store.list_records("staff_session") == [{"n": 3}]
    assert await store.list_records("staff") == [{"n": 4}]
    assert await store.list_records("setup") == []
    # A record written again after it expired is a new one, kept.
    await store.put_record("staff_session", "old-1", {"n": 6}, expires_at=now + 3600)
    assert await store.forget_expired_records(now) == 0
    assert await store.get_record("staff_session", "old-1") == {"n": 6}
