"""Heartbeats: answered while routing holds the write lock, written together, never lost."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any


async def _team(server: Any) -> tuple[str, str]:
    ana = await server.add_agent("ana", team="a", capacity=3)
    account = await server.add_account("+15550100", [ana], shared=True, team="a")
    await server.heartbeat("ana", [account])
    return ana, account


def _seen_and_offline_due(server: Any, agent_id: str) -> tuple[float, float]:
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        (seen,) = db.execute("SELECT last_seen_at FROM agents WHERE id = ?", (agent_id,)).fetchone()
        (due,) = db.execute(
            "SELECT due_at FROM deadlines WHERE kind = 'offline' AND subject_id = ?", (agent_id,)
        ).fetchone()
    return seen, due


async def test_a_heartbeat_is_answered_while_routing_holds_the_write_lock(server) -> None:
    ana, account = await _team(server)
    before, _ = _seen_and_offline_due(server, ana)
    state = server.app.state.relaydesk
    async with state.write_lock:  # what a long queue of routing transactions looks like
        beat = server.call(
            "ana", "POST", "/v1/heartbeat", {"status": "online", "open_accounts": [account]}
        )
        # Bounded so that a regression fails instead of hanging: the lock is never released.
        answer = await asyncio.wait_for(beat, timeout=30)
        assert answer.status_code == 200
        assert answer.json() == {"status": "online", "offline_after_s": 60.0}
    await server.write_batches()
    seen, due = _seen_and_offline_due(server, ana)
    assert seen > before
    assert due == seen + 60.0


async def test_beats_kept_in_memory_are_written_on_a_clean_stop(server) -> None:
    ana, account = await _team(server)
    before, _ = _seen_and_offline_due(server, ana)
    state = server.app.state.relaydesk
    async with state.write_lock:
        await server.heartbeat("ana", [account])
        assert state.heartbeats.pending == 1
    await server.stop()
    seen, _ = _seen_and_offline_due(server, ana)
    assert seen > before


async def test_a_beat_after_being_marked_offline_brings_the_agent_back(server) -> None:
    ana, account = await _team(server)
    await server.set_rules(offline_grace_s=0.3)
    await server.heartbeat("ana", [account])  # from now on the grace is 0.3 s
    for _ in range(200):  # the grace passes without a beat: offline
        agents = (await server.call("admin", "GET", "/v1/agents")).json()
        if next(a for a in agents if a["id"] == ana)["status"] == "offline":
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("ana never went offline")
    await server.set_rules(offline_grace_s=60.0)
    await server.heartbeat("ana", [account])
    await server.write_batches()
    agents = (await server.call("admin", "GET", "/v1/agents")).json()
    assert next(a for a in agents if a["id"] == ana)["status"] == "online"
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
    assert conv["owner_id"] == ana
