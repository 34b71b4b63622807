"""Conversations through the API: detail, transfer, close, and who may see or change what."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any


async def _conversations(server: Any, login: str = "admin", **query: str) -> list[dict[str, Any]]:
    answer = await server.call(login, "GET", "/v1/conversations", params=query)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


async def _two_teams(server: Any) -> dict[str, str]:
    """Team a: ana, ben (agents), sue (supervisor) on account A; team b: zoe on account B."""
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=1),
        "ben": await server.add_agent("ben", team="a", capacity=1),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b"),
    }
    ids["A"] = await server.add_account("+1", [ids["ana"], ids["ben"]], team="a")
    ids["B"] = await server.add_account("+2", [ids["zoe"]], team="b")
    await server.heartbeat("ana", [ids["A"]])
    await server.heartbeat("zoe", [ids["B"]])
    return ids


async def test_detail_shows_contact_and_owner_history(server) -> None:
    ids = await _two_teams(server)
    await server.events("ana", server.message("e1", ids["A"], "+44", 1000.0))
    [conv] = await _conversations(server)
    detail = (await server.call("ana", "GET", f"/v1/conversations/{conv['id']}")).json()
    assert detail["contact"]["handle"] == "+44"
    assert [(h["agent_id"], h["end"]) for h in detail["owner_history"]] == [(ids["ana"], None)]


async def test_transfer_to_a_named_agent_then_back_to_the_queue(server) -> None:
    ids = await _two_teams(server)
    await server.heartbeat("ben", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", 1000.0))
    [conv] = await _conversations(server)
    first = conv["owner_id"]
    other = ids["ben"] if first == ids["ana"] else ids["ana"]
    first_login = "ana" if first == ids["ana"] else "ben"
    answer = await server.call(
        first_login, "POST", f"/v1/conversations/{conv['id']}/transfer", {"to_agent_id": other}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["owner_id"] == other
    other_login = "ben" if first_login == "ana" else "ana"
    answer = await server.call(other_login, "POST", f"/v1/conversations/{conv['id']}/transfer", {})
    assert answer.json()["owner_id"] == first  # routing again, never back to who gave it away
    detail = (await server.call("admin", "GET", f"/v1/conversations/{conv['id']}")).json()
    assert [h["agent_id"] for h in detail["owner_history"]] == [first, other, first]
    assert [h["end"] is None for h in detail["owner_history"]] == [False, False, True]


async def test_a_transfer_past_capacity_is_allowed_and_warned(server) -> None:
    ids = await _two_teams(server)
    await server.heartbeat("ben", [ids["A"]])
    await server.events(
        "ana",
        server.message("e1", ids["A"], "+441", 1000.0),
        server.message("e2", ids["A"], "+442", 1001.0),
    )
    convs = await _conversations(server)
    assert {c["owner_id"] for c in convs} == {ids["ana"], ids["ben"]}
    ana_conv = next(c for c in convs if c["owner_id"] == ids["ana"])
    answer = await server.call(
        "sue", "POST", f"/v1/conversations/{ana_conv['id']}/transfer", {"to_agent_id": ids["ben"]}
    )
    assert answer.status_code == 200 and answer.json()["owner_id"] == ids["ben"]
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        kinds = [r[0] for r in db.execute("SELECT kind FROM warnings")]
    assert kinds == ["overload"]


async def test_an_agent_sees_only_their_own_and_a_supervisor_their_team(server) -> None:
    ids = await _two_teams(server)
    await server.heartbeat("ben", [ids["A"]])
    await server.events(
        "ana",
        server.message("e1", ids["A"], "+441", 1000.0),
        server.message("e2", ids["A"], "+442", 1001.0),
    )
    await server.events("zoe", server.message("z1", ids["B"], "+449", 1000.0))
    assert {c["owner_id"] for c in await _conversations(server, "ana")} == {ids["ana"]}
    assert {c["owner_id"] for c in await _conversations(server, "ben")} == {ids["ben"]}
    assert len(await _conversations(server, "sue")) == 2
    assert {c["account_id"] for c in await _conversations(server, "zoe")} == {ids["B"]}
    assert len(await _conversations(server, "admin")) == 3


async def test_members_of_a_shared_account_see_all_of_its_conversations(server) -> None:
    ids = await _two_teams(server)
    await server.call("admin", "PATCH", f"/v1/accounts/{ids['A']}", {"shared": True})
    await server.heartbeat("ben", [ids["A"]])
    await server.events(
        "ana",
        server.message("e1", ids["A"], "+441", 1000.0),
        server.message("e2", ids["A"], "+442", 1001.0),
    )
    assert len(await _conversations(server, "ana")) == 2


async def test_another_team_cannot_read_or_change_a_conversation(server) -> None:
    ids = await _two_teams(server)
    await server.events("ana", server.message("e1", ids["A"], "+44", 1000.0))
    [conv] = await _conversations(server)
    for method, path, body in (
        ("GET", f"/v1/conversations/{conv['id']}", None),
        ("POST", f"/v1/conversations/{conv['id']}/transfer", {"to_agent_id": ids["zoe"]}),
        ("POST", f"/v1/conversations/{conv['id']}/close", None),
    ):
        answer = await server.call("zoe", method, path, body)
        assert answer.status_code == 404, (path, answer.text)
    answer = await server.call(
        "zoe", "POST", "/v1/events", {"events": [server.message("z", ids["A"], "+44", 1.0)]}
    )
    assert answer.status_code == 422
    answer = await server.call(
        "zoe", "POST", "/v1/heartbeat", {"status": "online", "open_accounts": [ids["A"]]}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "open_accounts[0]"
    [after] = await _conversations(server)
    assert after["state"] == "assigned" and after["owner_id"] == ids["ana"]


async def test_an_agent_cannot_move_a_colleagues_conversation_nor_to_another_team(server) -> None:
    ids = await _two_teams(server)
    await server.call("admin", "PATCH", f"/v1/accounts/{ids['A']}", {"shared": True})
    await server.events("ana", server.message("e1", ids["A"], "+44", 1000.0))
    [conv] = await _conversations(server)
    answer = await server.call("ben", "POST", f"/v1/conversations/{conv['id']}/close")
    assert answer.status_code == 403
    answer = await server.call(
        "ana", "POST", f"/v1/conversations/{conv['id']}/transfer", {"to_agent_id": ids["zoe"]}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "to_agent_id"


async def test_concurrent_events_never_give_two_owners_nor_exceed_capacity(server) -> None:
    agents = [await server.add_agent(f"agent{i}", team="a", capacity=2) for i in range(6)]
    account = await server.add_account("+1", agents, shared=True, team="a")
    for i in range(6):
        await server.heartbeat(f"agent{i}", [account])

    async def burst(i: int) -> None:
        # every workstation reports the same 20 customers' messages, with its own ids
        events = [server.message(f"w{i}-{n}", account, f"+44{n}", 1000.0 + n) for n in range(20)]
        await server.events(f"agent{i % 6}", *events)

    await asyncio.gather(*(burst(i) for i in range(12)))
    convs = await _conversations(server)
    assert len(convs) == 20
    owned = [c["owner_id"] for c in convs if c["owner_id"]]
    assert len(owned) == 12  # 6 agents x capacity 2; the rest wait
    assert all(owned.count(a) == 2 for a in agents)
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        open_stretches = db.execute(
            "SELECT conversation_id, count(*) FROM ownerships WHERE end IS NULL "
            "GROUP BY conversation_id HAVING count(*) > 1"
        ).fetchall()
        messages = db.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert open_stretches == [] and messages == 20
