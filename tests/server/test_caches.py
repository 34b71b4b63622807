"""What the server keeps in memory never outlives a change: logout, agent PATCH, rules PUT."""

from __future__ import annotations

from typing import Any


async def _team(server: Any, capacity: int) -> tuple[str, str]:
    ana = await server.add_agent("ana", team="a", capacity=capacity)
    account = await server.add_account("+15550100", [ana], shared=True, team="a")
    await server.heartbeat("ana", [account])
    return ana, account


async def _conversations(server: Any) -> list[dict[str, Any]]:
    answer = await server.call("admin", "GET", "/v1/conversations")
    assert answer.status_code == 200, answer.text
    return list(answer.json())


async def test_a_logged_out_token_is_refused_at_once_though_it_was_just_used(server) -> None:
    await server.add_agent("ana")
    for _ in range(3):  # used (and so remembered) several times
        assert (await server.call("ana", "GET", "/v1/conversations")).status_code == 200
    assert (await server.call("ana", "POST", "/v1/auth/logout")).status_code == 204
    assert (await server.call("ana", "GET", "/v1/conversations")).status_code == 401
    answer = await server.call("ana", "POST", "/v1/heartbeat", {"status": "online"})
    assert answer.status_code == 401


async def test_a_new_role_applies_from_the_next_request(server) -> None:
    ana = await server.add_agent("ana")
    assert (await server.call("ana", "GET", "/v1/rules")).status_code == 403
    await server.call("admin", "PATCH", f"/v1/agents/{ana}", {"role": "admin"})
    assert (await server.call("ana", "GET", "/v1/rules")).status_code == 200


async def test_a_patched_capacity_takes_effect_for_the_next_conversation(server) -> None:
    ana, account = await _team(server, capacity=1)
    await server.events("ana", server.message("e1", account, "+441", 1000.0))
    await server.events("ana", server.message("e2", account, "+442", 1001.0))
    assert sorted(c["state"] for c in await _conversations(server)) == ["assigned", "queued"]
    answer = await server.call("admin", "PATCH", f"/v1/agents/{ana}", {"capacity": 3})
    assert answer.status_code == 200
    await server.events("ana", server.message("e3", account, "+443", 1002.0))
    states = {c["contact_id"]: c["state"] for c in await _conversations(server)}
    assert sorted(states.values()) == ["assigned", "assigned", "queued"]
    await server.heartbeat("ana", [account])  # room now: the queued one is taken too
    assert {c["state"] for c in await _conversations(server)} == {"assigned"}


async def test_a_rules_change_applies_to_the_next_conversation(server) -> None:
    _, account = await _team(server, capacity=5)
    await server.events("ana", server.message("e1", account, "+441", 1000.0))
    [first] = await _conversations(server)
    assert first["reply_deadline"] - first["opened_at"] > 100  # the default, 120 s
    await server.set_rules(default_reply_timeout_s=7.0)
    await server.events("ana", server.message("e2", account, "+442", 1001.0))
    second = next(c for c in await _conversations(server) if c["id"] != first["id"])
    assert abs(second["reply_deadline"] - second["opened_at"] - 7.0) < 1.0
    rules = (await server.call("admin", "GET", "/v1/rules")).json()
    assert rules["default_reply_timeout_s"] == 7.0
