"""GET /v1/conversations/{id}/wait over HTTP on the real app with its migrations: queued behind
others, nobody online, waiting on a busy owner at their measured pace, and who may ask."""

from __future__ import annotations

import time
from typing import Any

import pytest

from relaydesk.domain.waiting import WaitParams, gamma_quantile


async def _conversations(server: Any) -> dict[str, dict[str, Any]]:
    """Open conversations by contact handle."""
    answer = await server.call("admin", "GET", "/v1/conversations")
    assert answer.status_code == 200, answer.text
    rows = answer.json()
    handles = {}
    for row in rows:
        detail = (await server.call("admin", "GET", f"/v1/conversations/{row['id']}")).json()
        handles[detail["contact"]["handle"]] = row
    return handles


async def _wait(server: Any, login: str, conversation_id: str) -> dict[str, Any]:
    answer = await server.call(login, "GET", f"/v1/conversations/{conversation_id}/wait")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_nobody_online_is_said_without_a_number(server) -> None:
    ana = await server.add_agent("ana", team="a")
    # a shared account: its members may read its queued conversations
    account = await server.add_account("+1", [ana], team="a", shared=True)  # no heartbeat yet
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    conv = (await _conversations(server))["+44"]
    assert conv["state"] == "queued"
    wait = await _wait(server, "ana", conv["id"])
    assert wait["must_wait"] is True and wait["basis"] == "nobody_online"
    assert wait["expected_wait_s"] is None and wait["low_s"] is None and wait["high_s"] is None


async def test_queued_behind_others_waits_for_slots_to_free(server) -> None:
    ana = await server.add_agent("ana", team="a", capacity=1)
    account = await server.add_account("+1", [ana], team="a", shared=True)
    await server.heartbeat("ana", [account])
    for n in (1, 2, 3):  # one batch each: the server dates a conversation as it receives it
        await server.events("ana", server.message(f"e{n}", account, f"+44{n}", 1000.0 + n))
    convs = await _conversations(server)
    assert convs["+441"]["owner_id"] == ana
    assert convs["+442"]["state"] == convs["+443"]["state"] == "queued"
    second = await _wait(server, "ana", convs["+442"]["id"])
    third = await _wait(server, "ana", convs["+443"]["id"])
    assert second["basis"] == third["basis"] == "queue"
    assert (second["position"], third["position"]) == (1, 2)
    hold = WaitParams().default_handle_s  # nothing has closed yet: the default hold time
    assert third["measured"] is False
    assert third["expected_wait_s"] == pytest.approx(2 * hold)  # capacity 1: a slot per hold
    assert third["high_s"] == pytest.approx(gamma_quantile(2, 1 / hold, 0.9))
    assert third["low_s"] < third["expected_wait_s"] < third["high_s"]
    assert second["high_s"] < third["high_s"]

    # A second agent online doubles the rate at which slots free.
    ben = await server.add_agent("ben", team="a", capacity=1)
    await server.heartbeat("ben", [account])  # takes the first queued conversation
    convs = await _conversations(server)
    assert convs["+442"]["owner_id"] == ben
    again = await _wait(server, "ana", convs["+443"]["id"])
    assert again["position"] == 1
    assert again["expected_wait_s"] == pytest.approx(hold / 2)


async def test_waiting_on_a_busy_owner_at_their_measured_pace(server) -> None:
    ana = await server.add_agent("ana", team="a", capacity=10)
    account = await server.add_account("+1", [ana], team="a")
    await server.heartbeat("ana", [account])
    start = time.time() - 1200
    handles = [f"+44{i}" for i in range(6)]
    for i, handle in enumerate(handles):  # one batch each: the server dates them as received
        await server.events("ana", server.message(f"c{i}", account, handle, start + i))
    # ana answers the first four, one a minute (and twice in a row to the first: one answer)
    replies = [(0, 0), (0, 5), (1, 60), (2, 120), (3, 180)]
    await server.events(
        "ana",
        *(
            server.message(f"r{n}", account, handles[i], start + 300 + at, kind="agent_reply")
            for n, (i, at) in enumerate(replies)
        ),
    )
    convs = await _conversations(server)
    answered = await _wait(server, "ana", convs[handles[0]]["id"])
    assert answered["must_wait"] is False and answered["basis"] == "not_waiting"
    first = await _wait(server, "ana", convs[handles[4]]["id"])
    last = await _wait(server, "ana", convs[handles[5]]["id"])
    assert first["basis"] == "agent" and first["position"] == 1 and first["must_wait"] is False
    assert last["must_wait"] is True and last["position"] == 2 and last["measured"] is True
    assert last["expected_wait_s"] == pytest.approx(2 * 60.0, rel=1e-6)  # 3 gaps of 60 s
    assert last["high_s"] == pytest.approx(gamma_quantile(2, 1 / 60, 0.9), rel=1e-6)


async def test_who_may_ask(server) -> None:
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    zoe = await server.add_agent("zoe", team="b")
    private = await server.add_account("+1", [ana, ben], team="a")
    shared = await server.add_account("+2", [ana, ben], team="a", shared=True)
    await server.add_account("+3", [zoe], team="b")
    await server.heartbeat("ana", [private, shared])
    await server.events(
        "ana",
        server.message("e1", private, "+441", 1000.0),
        server.message("e2", shared, "+442", 1001.0),
    )
    convs = await _conversations(server)
    mine, team = convs["+441"]["id"], convs["+442"]["id"]
    assert (await server.call("ana", "GET", f"/v1/conversations/{mine}/wait")).status_code == 200
    # ben: not his, and the account is not shared; the shared account's he may read
    assert (await server.call("ben", "GET", f"/v1/conversations/{mine}/wait")).status_code == 404
    assert (await server.call("ben", "GET", f"/v1/conversations/{team}/wait")).status_code == 200
    assert (await server.call("zoe", "GET", f"/v1/conversations/{team}/wait")).status_code == 404
    assert (await server.call(None, "GET", f"/v1/conversations/{team}/wait")).status_code == 401
    missing = await server.call("admin", "GET", "/v1/conversations/nope/wait")
    assert missing.status_code == 404
