"""The push stream against a loopback WebSocket stand-in of ``/v1/stream``: typed delivery,
the position kept on disk, resumption after every reconnect, observable state, refused tokens."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.client import Credential, MemoryTokenStore, TeamClient
from relaydesk.sync.errors import TokenRevoked
from relaydesk.sync.outbox import SqliteOutbox
from relaydesk.sync.pushes import Assigned, Push, QueueChanged, Warning
from relaydesk.sync.stream import ConnectionState, PushStream

TOKEN = "tok-1"


@dataclass
class StreamStandIn:
    """Numbers pushes, replays those after ``after``, then sends live ones; can drop sockets."""

    pushes: list[dict[str, Any]] = field(default_factory=list)
    afters: list[int] = field(default_factory=list)
    sockets: set[ServerConnection] = field(default_factory=set)
    close_code: int | None = None  # close every socket with this code right after accepting
    server: Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        port = next(iter(self.server.sockets)).getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def push(self, push_type: str, **payload: Any) -> None:
        self.pushes.append({"seq": len(self.pushes) + 1, "type": push_type, "at": 1.0, **payload})

    async def drop_all(self) -> None:
        for socket in list(self.sockets):
            await socket.close()

    async def handler(self, socket: ServerConnection) -> None:
        assert socket.request is not None
        if socket.request.headers.get("Authorization") != f"Bearer {TOKEN}":
            await socket.close(4401, "a valid token is required")
            return
        if self.close_code is not None:
            await socket.close(self.close_code)
            return
        after = int(parse_qs(urlparse(socket.request.path).query)["after"][0])
        self.afters.append(after)
        self.sockets.add(socket)
        sent = after
        try:
            while True:  # ends when the socket closes: send raises ConnectionClosed
                for message in self.pushes[sent:]:
                    await socket.send(json.dumps(message))
                    sent = message["seq"]
                await asyncio.sleep(0.01)
                await socket.ping()
        except ConnectionClosed:
            pass
        finally:
            self.sockets.discard(socket)


@pytest.fixture
async def stream_server() -> AsyncIterator[StreamStandIn]:
    stand_in = StreamStandIn()
    async with serve(stand_in.handler, "127.0.0.1", 0) as server:
        stand_in.server = server
        yield stand_in
        await stand_in.drop_all()


def _stream(url: str, tmp_path: Path, token: str = TOKEN) -> tuple[PushStream, SqliteOutbox]:
    tokens = MemoryTokenStore()
    tokens.save(url, Credential(token, "agent-1", "agent"))
    cursor = SqliteOutbox(tmp_path / "sync.db")
    stream = PushStream(TeamClient(url, tokens), cursor, backoff=Backoff(0.01, 0.05))
    return stream, cursor


async def _until(condition: Any, timeout_s: float = 5.0) -> None:
    for _ in range(int(timeout_s / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not come true in time")


CONVERSATION = {"conversation_id": "c1", "account_id": "a1", "owner_id": "agent-1"}


async def test_pushes_arrive_typed_to_the_subscribers_that_want_them(
    stream_server: StreamStandIn, tmp_path: Path
) -> None:
    stream, _ = _stream(stream_server.url, tmp_path)
    everything: list[Push] = []
    assignments: list[Push] = []
    stream.subscribe(everything.append)
    stream.subscribe(assignments.append, Assigned)
    task = asyncio.create_task(stream.run())
    await stream.wait_for(ConnectionState.CONNECTED)
    await stream_server.push("assigned", **CONVERSATION, state="assigned")
    await stream_server.push("queue_changed", account_id="a1", queued=2)
    await stream_server.push("warning", kind="collision", message="Ana replied to Ben's chat")
    await _until(lambda: len(everything) == 3)
    assert [type(p) for p in everything] == [Assigned, QueueChanged, Warning]
    assert [p.seq for p in assignments] == [1]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await stream.client.aclose()


async def test_after_a_drop_it_reconnects_and_gets_what_it_missed_once(
    stream_server: StreamStandIn, tmp_path: Path
) -> None:
    stream, cursor = _stream(stream_server.url, tmp_path)
    states: list[ConnectionState] = []
    stream.on_state(states.append)
    seen: list[int] = []
    stream.subscribe(lambda p: seen.append(p.seq))
    task = asyncio.create_task(stream.run())
    await stream.wait_for(ConnectionState.CONNECTED)
    await stream_server.push("assigned", **CONVERSATION, state="assigned")
    await _until(lambda: seen == [1])
    await stream_server.drop_all()
    # pushes made while the workstation is away are replayed on its return
    await stream_server.push("owner_changed", **CONVERSATION, state="queued")
    await stream_server.push("rules_changed", policy="round_robin")
    await _until(lambda: seen == [1, 2, 3])
    assert stream_server.afters == [0, 1]
    assert ConnectionState.RECONNECTING in states and states[-1] is ConnectionState.CONNECTED
    # saved once the subscribers have seen it
    await _until(lambda: cursor.last_seq(f"{stream_server.url}#agent-1") == 3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert stream.state is ConnectionState.STOPPED
    await stream.client.aclose()


async def test_a_restarted_workstation_resumes_from_the_saved_position(
    stream_server: StreamStandIn, tmp_path: Path
) -> None:
    for n in range(3):
        await stream_server.push("queue_changed", account_id="a1", queued=n)
    first, cursor = _stream(stream_server.url, tmp_path)
    seen_first: list[int] = []
    first.subscribe(lambda p: seen_first.append(p.seq))
    task = asyncio.create_task(first.run())
    await _until(lambda: seen_first == [1, 2, 3])
    await _until(lambda: cursor.last_seq(f"{stream_server.url}#agent-1") == 3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await first.client.aclose()
    cursor.close()

    await stream_server.push("queue_changed", account_id="a1", queued=9)
    second, _ = _stream(stream_server.url, tmp_path)
    seen_second: list[int] = []
    second.subscribe(lambda p: seen_second.append(p.seq))
    task = asyncio.create_task(second.run())
    await _until(lambda: seen_second == [4])
    assert stream_server.afters[-1] == 3
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await second.client.aclose()


async def test_a_failing_subscriber_does_not_stop_the_others(
    stream_server: StreamStandIn, tmp_path: Path
) -> None:
    stream, _ = _stream(stream_server.url, tmp_path)

    def broken(_push: Push) -> None:
        raise RuntimeError("a widget bug")

    received: list[int] = []

    async def careful(push: Push) -> None:
        received.append(push.seq)

    stream.subscribe(broken)
    stream.subscribe(careful)
    task = asyncio.create_task(stream.run())
    await stream_server.push("queue_changed", account_id="a1", queued=1)
    await stream_server.push("queue_changed", account_id="a1", queued=2)
    await _until(lambda: received == [1, 2])
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await stream.client.aclose()


async def test_a_refused_token_signs_out_instead_of_retrying_forever(
    stream_server: StreamStandIn, tmp_path: Path
) -> None:
    stream, _ = _stream(stream_server.url, tmp_path, token="revoked")
    with pytest.raises(TokenRevoked):
        await asyncio.wait_for(stream.run(), timeout=5)
    assert stream.state is ConnectionState.SIGNED_OUT
    assert stream.client.credential is None
    await stream.client.aclose()


async def test_while_the_server_is_gone_the_state_says_reconnecting(tmp_path: Path) -> None:
    async with serve(lambda _s: asyncio.sleep(0), "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
    stream, _ = _stream(f"http://127.0.0.1:{port}", tmp_path)  # nobody listens any more
    task = asyncio.create_task(stream.run())
    await stream.wait_for(ConnectionState.RECONNECTING)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await stream.client.aclose()


async def test_each_agent_on_a_shared_workstation_resumes_from_their_own_position(
    stream_server: StreamStandIn, tmp_path: Path
) -> None:
    stream, cursor = _stream(stream_server.url, tmp_path)
    cursor.save_seq(f"{stream_server.url}#agent-1", 3)
    cursor.save_seq(f"{stream_server.url}#agent-2", 1)
    assert stream.last_seq == 3
    stream.client.sign_in_with(Credential(TOKEN, "agent-2", "agent"))
    assert stream.last_seq == 1
    await stream.client.aclose()
