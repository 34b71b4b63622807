"""WebSocket /v1/stream: numbered pushes, and what was missed replayed on reconnect."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed


async def _next(ws: Any, kind: str | None = None, limit_s: float = 10.0) -> dict[str, Any]:
    """The next push (of ``kind``, skipping others), bounded in time."""
    while True:
        push = json.loads(await asyncio.wait_for(ws.recv(), timeout=limit_s))
        if kind is None or push["type"] == kind:
            return dict(push)


async def _pair(server: Any) -> tuple[str, str, str]:
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+1", [ana, ben], shared=True, team="a")
    return ana, ben, account


async def test_an_assignment_is_pushed_to_the_agent_with_a_sequence_number(live_server) -> None:
    server = live_server
    ana, _, account = await _pair(server)
    async with websockets.connect(server.stream_url("ana")) as ws:
        await server.heartbeat("ana", [account])
        await server.events("ana", server.message("e1", account, "+44", 1000.0))
        push = await _next(ws, "assigned")
    assert push["owner_id"] == ana and push["account_id"] == account
    assert isinstance(push["seq"], int) and push["seq"] >= 1


async def test_a_bad_token_is_refused(live_server) -> None:
    url = live_server.url.replace("http://", "ws://") + "/v1/stream?token=wrong"
    with pytest.raises((ConnectionClosed, websockets.InvalidStatus)):
        async with websockets.connect(url) as ws:
            await asyncio.wait_for(ws.recv(), timeout=10)


async def test_a_reconnecting_client_gets_what_it_missed_in_order(live_server) -> None:
    server = live_server
    ana, _, account = await _pair(server)
    await server.call("admin", "PATCH", f"/v1/agents/{ana}", {"capacity": 10})
    await server.heartbeat("ana", [account])
    async with websockets.connect(server.stream_url("ana")) as ws:
        await server.events("ana", server.message("e1", account, "+441", 1000.0))
        first = await _next(ws, "assigned")
    # offline for a while: three more assignments happen
    for n in range(2, 5):
        await server.events("ana", server.message(f"e{n}", account, f"+44{n}", 1000.0 + n))
    async with websockets.connect(server.stream_url("ana", after=first["seq"])) as ws:
        missed = [await _next(ws) for _ in range(3)]
        await server.events("ana", server.message("e9", account, "+449", 1009.0))
        live = await _next(ws, "assigned")
    seqs = [p["seq"] for p in missed]
    assert seqs == sorted(seqs) and seqs[0] == first["seq"] + 1
    assert len(set(seqs)) == 3
    handles_missed = [p for p in missed if p["type"] == "assigned"]
    assert len(handles_missed) == 3
    assert live["seq"] > seqs[-1]


async def test_a_collision_is_pushed_as_a_warning_to_both_agents(live_server) -> None:
    server = live_server
    ana, ben, account = await _pair(server)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    async with (
        websockets.connect(server.stream_url("ana")) as ana_ws,
        websockets.connect(server.stream_url("ben")) as ben_ws,
    ):
        reply = server.message("r1", account, "+44", 1001.0, "hi", kind="agent_reply")
        await server.events("ben", reply)
        to_ana = await _next(ana_ws, "warning")
        to_ben = await _next(ben_ws, "warning")
    for push in (to_ana, to_ben):
        assert push["kind"] == "collision"
        assert (push["agent_id"], push["other_agent_id"]) == (ana, ben)


async def test_new_rules_are_pushed_to_everyone(live_server) -> None:
    server = live_server
    await _pair(server)
    async with websockets.connect(server.stream_url("ben")) as ws:
        await server.set_rules(policy="round_robin")
        push = await _next(ws, "rules_changed")
    assert push["policy"] == "round_robin"


async def test_a_handoff_is_pushed_to_both_sides(live_server) -> None:
    server = live_server
    ana, ben, account = await _pair(server)
    await server.set_rules(default_reply_timeout_s=0.5)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    async with (
        websockets.connect(server.stream_url("ana", after=0)) as ana_ws,
        websockets.connect(server.stream_url("ben")) as ben_ws,
    ):
        await server.heartbeat("ben", [account])
        to_ana = await _next(ana_ws, "handoff")
        to_ben = await _next(ben_ws, "handoff")
    for push in (to_ana, to_ben):
        assert (push["from_agent_id"], push["to_agent_id"]) == (ana, ben)
        assert push["reason"] == "handoff_timeout"


async def test_the_push_path_probe_stamps_each_step_in_order_and_stores_no_stamps(
    live_server, monkeypatch
) -> None:
    """The benchmark's --trace (RELAYDESK_TRACE_PUSHES=1): a live push carries the server's
    times along its path; the stored push (what a reconnect replays) carries none."""
    from relaydesk.server import pushes

    monkeypatch.setattr(pushes, "TRACE", True)
    server = live_server
    _, _, account = await _pair(server)
    async with websockets.connect(server.stream_url("ana")) as ws:
        await server.heartbeat("ana", [account])
        await server.events("ana", server.message("e1", account, "+44", 1000.0))
        live = await _next(ws, "assigned")
    trace = live["_trace"]
    steps = ["began", "worked", "committed", "delivered", "sending"]
    assert sorted(trace) == sorted(steps)
    assert [trace[s] for s in steps] == sorted(trace[s] for s in steps)
    monkeypatch.setattr(pushes, "TRACE", False)
    async with websockets.connect(server.stream_url("ana", after=live["seq"] - 1)) as ws:
        replayed = await _next(ws, "assigned")
    assert replayed["seq"] == live["seq"] and "_trace" not in replayed
