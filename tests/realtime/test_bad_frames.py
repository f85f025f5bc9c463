"""Every malformed thing a socket can send to a real server, over a raw WebSocket and raw
long-polling: a well-formed event with a bad argument is answered with its refusal code; a
frame or packet that cannot be read closes the socket cleanly. Never a silence, and never
a traceback in the server's log."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import socketio
import websockets

from tests.support.harness import API_KEY, Client, ServerProcess, create_meeting, token_of

DEEP = "[" * 10_000 + "]" * 10_000
DIGITS_5000 = "9" * 5000
DIGITS_101 = "9" * 101
OP = '{"id":"o_1","type":"card.add","section":"strengths","after":null,"text":%s}'
ENGINE_CLOSE = "1"  # Engine.IO's close packet
INVALID_DATA = 1007  # the WebSocket close code for a frame that does not fit its type
MESSAGE_TOO_BIG = 1009  # and for one longer than the server takes (64 KiB)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("frames")).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def meeting(server: ServerProcess) -> dict[str, Any]:
    return create_meeting(server.url)


@pytest.fixture
def seat(server: ServerProcess, meeting: dict[str, Any]) -> tuple[str, str]:
    """The cookie of a parent who has just joined (limits are per person): (meeting id, cookie)."""
    body = {"token": token_of(meeting["links"]["participant"]), "name": "Sam", "role": "parent"}
    answer = httpx.post(f"{server.url}/api/join", json=body)
    answer.raise_for_status()
    return meeting["id"], "; ".join(f"{k}={v}" for k, v in answer.cookies.items())


@pytest.fixture
def clean_log(server: ServerProcess) -> Iterator[None]:
    """What the test makes the server write must hold no traceback."""
    start = len(server.log())
    yield
    written = server.log()[start:]
    assert "Traceback" not in written, written
    assert "handler error" not in written and "Exception in" not in written, written


class Raw:
    """A socket that speaks Engine.IO and Socket.IO by hand, frame by frame."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws

    async def frames(self, timeout: float = 3.0) -> AsyncIterator[str | bytes]:
        """What the server sends (answering its pings; presence and heartbeats left out)."""
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), timeout)
            if frame == "2":
                await self.ws.send("3")
            elif isinstance(frame, bytes) or not frame.startswith(
                ('42["presence"', '42["heartbeat"', '42["state"')
            ):
                yield frame

    async def next(self) -> str | bytes:
        return await anext(aiter(self.frames()))

    async def answer(self, frame: str | bytes) -> str | bytes:
        """Send one frame; the first thing the server sends back (a closed WebSocket: its
        close code, as an int)."""
        await self.ws.send(frame)
        try:
            return await self.next()
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code


async def raw_socket(server: ServerProcess, cookie: str) -> websockets.ClientConnection:
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = await websockets.connect(url, additional_headers={"Cookie": cookie, "Origin": server.url})
    assert (await ws.recv()).startswith("0{")  # Engine.IO's open
    return ws


@pytest.fixture
async def joined(server: ServerProcess, seat: tuple[str, str]) -> AsyncIterator[Raw]:
    """A socket in the meeting (its Socket.IO connect accepted)."""
    meeting_id, cookie = seat
    ws = await raw_socket(server, cookie)
    raw = Raw(ws)
    assert (await raw.answer("40" + json.dumps({"meeting_id": meeting_id}))).startswith('40{"sid"')
    yield raw
    await ws.close()


@pytest.fixture
async def unjoined(server: ServerProcess, seat: tuple[str, str]) -> AsyncIterator[Raw]:
    """A socket that has opened Engine.IO only: its Socket.IO connect is to come."""
    ws = await raw_socket(server, seat[1])
    yield Raw(ws)
    await ws.close()


def event(name: str, argument: str) -> str:
    return f'421["{name}",{argument}]'


def refused(frame: str | bytes, code: str = "invalid") -> bool:
    if not isinstance(frame, str) or not frame.startswith("431["):
        return False
    ack = json.loads(frame[3:])[0]
    return ack["ok"] is False and ack["code"] == code


# --- a well-formed event with a bad argument: answered with its code ------------------------

BAD_ARGUMENTS = {
    "op": {
        "surrogate-text": OP % '"Gran \\ud800"',
        "surrogate-key": '{"id":"o_1","type":"meeting.lock","\\udfff":1}',
        "number-past-2^53": '{"id":"o_1","type":"minutes.agree","minutes":%s}' % ("9" * 30),
        "list": "[1,2]",
        "string": '"card.add"',
        "number": "5",
        "null": "null",
    },
    "sync": {
        "surrogate": '{"since":"\\ud800"}',
        "number-past-2^53": '{"since":%s}' % ("9" * 30),
        "negative": '{"since":-1}',
        "float": '{"since":1.5}',
        "list": "[0]",
        "null": "null",
    },
    "editing": {
        "surrogate": '{"card_id":"\\ud800"}',
        "number": '{"card_id":%s}' % ("9" * 30),
        "list": "[]",
        "string": '"c_1"',
    },
}
ARGUMENT_CASES = [(name, arg) for name, cases in BAD_ARGUMENTS.items() for arg in cases.values()]
ARGUMENT_IDS = [f"{name}-{case}" for name, cases in BAD_ARGUMENTS.items() for case in cases]


@pytest.mark.parametrize(("name", "argument"), ARGUMENT_CASES, ids=ARGUMENT_IDS)
async def test_a_bad_argument_is_refused_invalid(
    joined: Raw, clean_log: None, name: str, argument: str
) -> None:
    assert refused(await joined.answer(event(name, argument)))
    # The socket stays and works.
    answer = await joined.answer(event("sync", '{"since":0}'))
    assert isinstance(answer, str) and answer.startswith('431[{"ok":true')


@pytest.mark.parametrize("frame", ['421["op"]', '421["sync"]', '421["op",{},{},1]'])
async def test_an_event_with_too_few_or_too_many_arguments_is_refused(
    joined: Raw, clean_log: None, frame: str
) -> None:
    assert refused(await joined.answer(frame))


@pytest.mark.parametrize("name", ['"connect_me"', '"message"', '"*"', '""'])
async def test_an_unknown_event_is_refused_invalid(joined: Raw, clean_log: None, name: str) -> None:
    assert refused(await joined.answer(f"421[{name},{{}}]"))


# --- a packet Socket.IO cannot read: the socket is closed -----------------------------------

UNREADABLE = {
    "op-nested-10000-deep": event("op", DEEP),
    "op-nested-40-deep": event("op", '{"text":' + "[" * 40 + "]" * 40 + "}"),
    "op-integer-of-5000-digits": event("op", OP % DIGITS_5000),
    "op-integer-of-101-digits": event("op", OP % DIGITS_101),
    "sync-integer-of-5000-digits": event("sync", f'{{"since":{DIGITS_5000}}}'),
    "sync-nested-10000-deep": event("sync", DEEP),
    "editing-nested-10000-deep": event("editing", DEEP),
    "editing-integer-of-101-digits": event("editing", f'{{"card_id":{DIGITS_101}}}'),
    "op-nan": event("op", '{"id":"o_1","type":"minutes.agree","minutes":NaN}'),
    "garbled-json": '421["op",{"id":',
    "garbled-type": "4x",
    "no-event-list": '421{"type":"card.add"}',
    "empty-event-list": "421[]",
    "event-not-a-list": "4215",
    "event-named-by-a-number": "421[5,{}]",
    "event-named-by-an-object": '421[{"a":1},{}]',
    "event-named-by-null": "421[null]",
    "long-ack-id": "42" + "1" * 120 + '["sync",{}]',
    "binary-event": '451-["op",{"_placeholder":true,"num":0}]',
    "connect-error-from-client": '44{"message":"x"}',
    "unknown-packet-type": "49",
    "bytes": b"\x00\x01\x02",
    "bytes-like-an-event": b'421["sync",{"since":0}]',
    "binary-ack": '461-[{"_placeholder":true,"num":0}]',
}


@pytest.mark.parametrize("frame", UNREADABLE.values(), ids=UNREADABLE.keys())
async def test_an_unreadable_packet_closes_the_socket_cleanly(
    joined: Raw, clean_log: None, frame: str | bytes
) -> None:
    assert await joined.answer(frame) == ENGINE_CLOSE


# --- joining (Socket.IO's connect, with its auth) ------------------------------------------

BAD_AUTH = {
    "surrogate-meeting-id": '40{"meeting_id":"\\ud800"}',
    "number-meeting-id": '40{"meeting_id":%s}' % ("9" * 30),
    "auth-a-list": "40[1,2]",
    "auth-a-string": '40"m"',
    "no-auth": "40",
}


@pytest.mark.parametrize("frame", BAD_AUTH.values(), ids=BAD_AUTH.keys())
async def test_a_connect_with_bad_auth_is_refused_no_session(
    unjoined: Raw, clean_log: None, frame: str
) -> None:
    answer = await unjoined.answer(frame)
    assert isinstance(answer, str) and answer.startswith("44"), answer
    assert json.loads(answer[2:])["message"] == "no_session"


@pytest.mark.parametrize(
    "frame",
    [
        "40" + DEEP,
        '40{"meeting_id":' + DIGITS_5000 + "}",
        '40{"meeting_id":' + "[" * 10_000,
        "40/nowhere" + "x" * 1000,
    ],
    ids=["nested-10000-deep", "integer-of-5000-digits", "garbled", "garbled-namespace"],
)
async def test_a_connect_that_cannot_be_read_closes_the_socket(
    unjoined: Raw, clean_log: None, frame: str
) -> None:
    answer = await unjoined.answer(frame)
    assert answer == ENGINE_CLOSE or (isinstance(answer, str) and answer.startswith("44"))


@pytest.mark.parametrize("frame", [event("op", OP % '"Gran"'), event("sync", '{"since":0}')])
async def test_an_event_before_joining_closes_the_socket(
    unjoined: Raw, clean_log: None, frame: str
) -> None:
    assert await unjoined.answer(frame) == ENGINE_CLOSE


async def test_an_event_after_a_refused_connect_closes_the_socket(
    unjoined: Raw, clean_log: None
) -> None:
    assert (await unjoined.answer('40{"meeting_id":"nope"}')).startswith("44")
    assert await unjoined.answer(event("sync", '{"since":0}')) == ENGINE_CLOSE


# --- an Engine.IO frame that cannot be read: the WebSocket is closed -------------------------

ENGINE_GARBAGE = {
    "empty": "",
    "not-a-type": "x",
    "unknown-type": "9",
    "open-from-a-client": "0",
    "nested-10000-deep": "4" + DEEP,
}


@pytest.mark.parametrize("frame", ENGINE_GARBAGE.values(), ids=ENGINE_GARBAGE.keys())
async def test_an_unreadable_engine_frame_closes_the_websocket(
    joined: Raw, clean_log: None, frame: str
) -> None:
    assert await joined.answer(frame) in (INVALID_DATA, ENGINE_CLOSE)


# --- the size of a message ---------------------------------------------------------------------


async def test_a_frame_over_64_kib_closes_the_websocket(joined: Raw, clean_log: None) -> None:
    frame = event("op", OP % json.dumps("x" * 64 * 1024))
    assert await joined.answer(frame) == MESSAGE_TOO_BIG


async def test_a_frame_just_under_64_kib_is_read_and_its_op_refused_too_long(
    joined: Raw, clean_log: None
) -> None:
    frame = event("op", OP % json.dumps("x" * 63 * 1024))
    assert refused(await joined.answer(frame), "too_long")


# --- long-polling ------------------------------------------------------------------------------


class Polling:
    def __init__(self, server: ServerProcess, http: httpx.AsyncClient, sid: str) -> None:
        self.url = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
        self.http = http
        self.headers = {"Origin": server.url}

    async def post(self, body: str | bytes) -> httpx.Response:
        return await self.http.post(self.url, content=body, headers=self.headers)

    async def get(self) -> httpx.Response:
        return await self.http.get(self.url, headers=self.headers, timeout=30)


@pytest.fixture
async def polling(server: ServerProcess, seat: tuple[str, str]) -> AsyncIterator[Polling]:
    meeting_id, cookie = seat
    async with httpx.AsyncClient(base_url=server.url, headers={"Cookie": cookie}) as http:
        opened = await http.get(
            "/socket.io/?EIO=4&transport=polling", headers={"Origin": server.url}
        )
        poll = Polling(server, http, json.loads(opened.text[1:])["sid"])
        assert (await poll.post("40" + json.dumps({"meeting_id": meeting_id}))).text == "OK"
        assert '40{"sid"' in (await poll.get()).text
        yield poll


@pytest.mark.parametrize(
    "body",
    ["x", "9", "0", "d=", b"4\xff\xfe", "\x1e".join(["3"] * 100)],
    ids=["not-a-type", "unknown-type", "open-from-a-client", "jsonp", "not-utf8", "too-many"],
)
async def test_an_unreadable_polling_body_is_refused_invalid_and_its_session_closed(
    polling: Polling, clean_log: None, body: str | bytes
) -> None:
    answer = await polling.post(body)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid"
    assert (await polling.get()).status_code == 400  # the session is gone


@pytest.mark.parametrize(
    "body",
    [event("op", DEEP), event("sync", f'{{"since":{DIGITS_5000}}}'), "4x", '421{"a":1}'],
    ids=["nested-10000-deep", "integer-of-5000-digits", "garbled", "no-event-list"],
)
async def test_an_unreadable_packet_by_polling_closes_its_session(
    polling: Polling, clean_log: None, body: str
) -> None:
    assert (await polling.post(body)).text == "OK"
    assert (await polling.get()).status_code == 400  # the session is gone


async def test_a_bad_argument_by_polling_is_answered_invalid(
    polling: Polling, clean_log: None
) -> None:
    assert (await polling.post(event("op", OP % '"\\ud800"'))).text == "OK"
    answer = await polling.get()
    assert any(refused(frame) for frame in answer.text.split("\x1e")), answer.text


async def test_the_room_carries_on_after_all_that(
    server: ServerProcess, seat: tuple[str, str]
) -> None:
    meeting = create_meeting(server.url)
    client = await Client.join(server.url, meeting["links"]["participant"], "Gran", "network")
    try:
        ack = await client.op("card.add", section="strengths", text="Gran \U0001f600", after=None)
        assert ack["ok"] is True
    finally:
        await client.close()


@pytest.mark.parametrize("transports", [["polling"], ["polling", "websocket"]])
async def test_a_real_client_by_long_polling_and_upgrading_is_not_refused(
    server: ServerProcess, seat: tuple[str, str], transports: list[str]
) -> None:
    """What the checks let through: everything a real client sends, upgrade included."""
    start = len(server.log())
    meeting_id, cookie = seat
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(
        server.url,
        headers={"Cookie": cookie, "Origin": server.url},
        auth={"meeting_id": meeting_id},
        transports=transports,
        wait_timeout=10,
    )
    try:
        for n in range(3):
            ack = await client.call("op", json.loads(OP.replace("o_1", f"o_{n}") % '"Gran"'))
            assert ack["ok"] is True, ack
            assert (await client.call("editing", {"card_id": None}))["ok"] is True
            await asyncio.sleep(0.5)  # pings and, by default, the upgrade to a WebSocket
        assert client.transport() == transports[-1]
    finally:
        await client.disconnect()
    assert "WARNING" not in server.log()[start:] and "ERROR" not in server.log()[start:]


async def test_a_lone_surrogate_in_one_meeting_costs_the_other_meetings_nothing(
    server: ServerProcess,
) -> None:
    """Ops of many meetings sent at once are committed together on SQLite: the one with a
    lone surrogate is refused `invalid`, and every other is committed and acknowledged."""
    meetings = [create_meeting(server.url, f"Meeting {n}") for n in range(12)]
    clients = [
        await Client.join(server.url, m["links"]["participant"], "Sam", "parent") for m in meetings
    ]
    try:
        texts = ["Gran \ud800" if n == 5 else f"Card {n}" for n in range(len(clients))]
        acks = await asyncio.gather(
            *(
                c.op("card.add", section="strengths", text=text, after=None)
                for c, text in zip(clients, texts, strict=True)
            )
        )
        assert acks[5]["ok"] is False and acks[5]["code"] == "invalid"
        assert all(ack["ok"] is True for n, ack in enumerate(acks) if n != 5), acks
        for n, meeting in enumerate(meetings):
            answer = httpx.get(
                f"{server.url}/api/meetings/{meeting['id']}",
                headers={"Authorization": f"Bearer {API_KEY}"},
            )
            cards = [card["text"] for card in answer.json()["cards"]]
            assert cards == ([] if n == 5 else [f"Card {n}"])
    finally:
        for client in clients:
            await client.close()
