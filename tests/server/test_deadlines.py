"""Stored deadlines: a lapsed reply hands off, a silent agent goes offline, restarts keep it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def _eventually(check: Callable[[], Awaitable[bool]], limit_s: float = 10.0) -> bool:
    """Poll ``check`` (bounded), for effects that happen on the server's own schedule."""
    for _ in range(int(limit_s / 0.05)):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


async def _only_conversation(server: Any) -> dict[str, Any]:
    [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
    return dict(conv)


async def _pair(server: Any) -> tuple[str, str, str]:
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+1", [ana, ben], team="a")
    return ana, ben, account


async def test_a_lapsed_reply_deadline_hands_the_conversation_off(server) -> None:
    ana, ben, account = await _pair(server)
    await server.set_rules(default_reply_timeout_s=0.5)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    assert (await _only_conversation(server))["owner_id"] == ana
    await server.heartbeat("ben", [account])

    async def handed_to_ben() -> bool:
        return (await _only_conversation(server))["owner_id"] == ben

    assert await _eventually(handed_to_ben)
    conv = await _only_conversation(server)
    assert conv["auto_handoffs"] == 1
    detail = (await server.call("admin", "GET", f"/v1/conversations/{conv['id']}")).json()
    assert [h["reason"] for h in detail["owner_history"]] == ["policy", "handoff_timeout"]


async def test_a_reply_in_time_keeps_the_conversation(server) -> None:
    ana, _, account = await _pair(server)
    await server.set_rules(default_reply_timeout_s=0.5)
    await server.heartbeat("ana", [account])
    await server.heartbeat("ben", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    owner = (await _only_conversation(server))["owner_id"]
    login = "ana" if owner == ana else "ben"
    await server.events(login, server.message("r1", account, "+44", 1001.0, kind="agent_reply"))
    await asyncio.sleep(1.0)
    conv = await _only_conversation(server)
    assert conv["owner_id"] == owner and conv["auto_handoffs"] == 0


async def test_an_agent_silent_past_the_grace_goes_offline_and_their_work_moves(server) -> None:
    ana, ben, account = await _pair(server)
    await server.set_rules(offline_grace_s=0.5)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    assert (await _only_conversation(server))["owner_id"] == ana

    async def moved_to_ben() -> bool:
        await server.heartbeat("ben", [account])  # ben keeps beating
        return (await _only_conversation(server))["owner_id"] == ben

    assert await _eventually(moved_to_ben)
    agents = {a["login"]: a for a in (await server.call("admin", "GET", "/v1/agents")).json()}
    assert agents["ana"]["status"] == "offline" and agents["ben"]["status"] == "online"


async def test_deadlines_survive_a_restart_and_fire_when_it_comes_back(make_server) -> None:
    server = await make_server()
    ana, ben, account = await _pair(server)
    await server.set_rules(default_reply_timeout_s=1.0, offline_grace_s=3600)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    await server.heartbeat("ben", [account])
    await server.stop()
    await asyncio.sleep(1.5)  # the deadline passes while the server is down
    again = await make_server(server.db)

    async def handed_to_ben() -> bool:
        return (await _only_conversation(again))["owner_id"] == ben

    assert await _eventually(handed_to_ben)
    assert ana != ben
