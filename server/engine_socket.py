"""Engine.IO's socket, sending without a task and a timer of its own for every packet.

python-engineio's socket waits for each packet it sends with `asyncio.wait_for`, which on
Python 3.11 wraps the wait in a new task, with a future and a timer, every time: ten of
them per op at ten people a meeting, and the garbage collector finds several thousand
such objects young at any moment under load. `QuickSocket.poll` takes a packet already
queued at once, and otherwise waits under `asyncio.timeout` (no task); it answers as the
library's does: the packets queued, [] once the socket closes, QueueEmpty on a timeout.

A WebSocket's writer waits with no timer at all: its reader, which gives up on a silent
client after the same ping interval and timeout, then queues the None that ends the writer
(and so does every close). That is a timer started and cancelled less for every packet
sent. Long-polling's wait keeps its timeout: it is the answer to a GET that must come.
"""

from __future__ import annotations

import asyncio

from engineio import async_socket, exceptions, packet


class QuickSocket(async_socket.AsyncSocket):  # type: ignore[misc]
    async def poll(self) -> list[packet.Packet]:
        queue: asyncio.Queue[packet.Packet | None] = self.queue
        if queue.empty():
            try:
                if self.upgraded:
                    first = await queue.get()
                else:
                    async with asyncio.timeout(
                        self.server.ping_interval + self.server.ping_timeout
                    ):
                        first = await queue.get()
            except (TimeoutError, asyncio.CancelledError):  # as the library's: nothing to send
                raise exceptions.QueueEmpty() from None
        else:
            first = queue.get_nowait()
        queue.task_done()
        if first is None:
            return []
        packets = [first]
        while not queue.empty():
            pkt = queue.get_nowait()
            queue.task_done()
            if pkt is None:  # the socket closes after these: the next poll says so
                queue.put_nowait(None)
                break
            packets.append(pkt)
        return packets


def install() -> None:
    """Make engineio's server build QuickSockets. It builds its sockets by this module
    name (`async_socket.AsyncSocket(self, sid)`), with no option to pass another class."""
    async_socket.AsyncSocket = QuickSocket
