"""Workstation events: deduplicated, opening conversations routed by the routing core."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from typing import Any


async def _team(server: Any, capacity: int = 3) -> tuple[str, str, str]:
    """ana and ben (team a) on one shared WhatsApp account, both online with it open."""
    ana = await server.add_agent("ana", team="a", capacity=capacity)
    ben = await server.add_agent("ben", team="a", capacity=capacity)
    account = await server.add_account("+15550100", [ana, ben], shared=True, team="a")
    await server.heartbeat("ana", [account])
    await server.heartbeat("ben", [account])
    return ana, ben, account


async def _conversations(server: Any, login: str = "admin", **query: str) -> list[dict[str, Any]]:
    answer = await server.call(login, "GET", "/v1/conversations", params=query)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


async def test_a_customer_message_opens_a_conversation_and_assigns_it(server) -> None:
    ana, ben, account = await _team(server)
    counts = await server.events("ana", server.message("e1", account, "+4477", 1000.0))
    assert counts == {"accepted": 1, "duplicates": 0}
    [conv] = await _conversations(server)
    assert conv["state"] == "assigned"
    assert conv["owner_id"] in (ana, ben)
    assert conv["awaiting"] == "agent" and conv["reply_deadline"] is not None


async def test_a_repeated_event_id_counts_once(server) -> None:
    _, _, account = await _team(server)
    event = server.message("e1", account, "+4477", 1000.0)
    assert await server.events("ana", event) == {"accepted": 1, "duplicates": 0}
    assert await server.events("ana", event, event) == {"accepted": 0, "duplicates": 2}
    [conv] = await _conversations(server)
    detail = (await server.call("admin", "GET", f"/v1/conversations/{conv['id']}")).json()
    assert len(detail["owner_history"]) == 1


async def test_the_same_message_from_two_workstations_counts_once(server) -> None:
    _, _, account = await _team(server)
    seen_by_ana = server.message("ana-1", account, "+4477", 1000.0, "hi, is it in stock?")
    seen_by_ben = server.message("ben-9", account, "+4477", 1000.0, "hi, is it in stock?")
    assert await server.events("ana", seen_by_ana) == {"accepted": 1, "duplicates": 0}
    assert await server.events("ben", seen_by_ben) == {"accepted": 0, "duplicates": 1}
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM intakes").fetchone()[0] == 1
    [conv] = await _conversations(server)
    # A later, different message is new and lands in the same open conversation.
    later = server.message("ben-10", account, "+4477", 1005.0, "hello?")
    assert await server.events("ben", later) == {"accepted": 1, "duplicates": 0}
    assert [c["id"] for c in await _conversations(server)] == [conv["id"]]


async def test_only_agents_serving_the_account_are_routed_to(server) -> None:
    ana = await server.add_agent("ana", team="a", capacity=10)
    carl = await server.add_agent("carl", team="a", capacity=10)
    shop = await server.add_account("+1", [ana], team="a")
    other = await server.add_account("+2", [carl], team="a")
    await server.heartbeat("ana", [shop])
    await server.heartbeat("carl", [other])
    for i in range(4):
        await server.events("ana", server.message(f"e{i}", shop, f"+44{i}", 1000.0 + i))
    owners = {c["owner_id"] for c in await _conversations(server)}
    assert owners == {ana}


async def test_an_agent_who_is_away_gets_nothing_and_the_conversation_waits(server) -> None:
    ana = await server.add_agent("ana", team="a")
    shop = await server.add_account("+1", [ana], team="a")
    await server.heartbeat("ana", [shop], status="away")
    await server.events("ana", server.message("e1", shop, "+44", 1000.0))
    [conv] = await _conversations(server)
    assert conv["state"] == "queued" and conv["owner_id"] is None
    await server.heartbeat("ana", [shop])  # back online: the queue drains to her
    [conv] = await _conversations(server)
    assert conv["state"] == "assigned" and conv["owner_id"] == ana


async def test_capacity_is_respected_and_a_close_frees_a_slot(server) -> None:
    ana = await server.add_agent("ana", team="a", capacity=1)
    shop = await server.add_account("+1", [ana], team="a")
    await server.heartbeat("ana", [shop])
    await server.events(
        "ana",
        server.message("e1", shop, "+441", 1000.0),
        server.message("e2", shop, "+442", 1001.0),
    )
    convs = {c["state"]: c for c in await _conversations(server)}
    assert set(convs) == {"assigned", "queued"}
    answer = await server.call("ana", "POST", f"/v1/conversations/{convs['assigned']['id']}/close")
    assert answer.status_code == 200 and answer.json()["state"] == "closed"
    after = {c["id"]: c for c in await _conversations(server)}
    assert after[convs["queued"]["id"]]["owner_id"] == ana


async def test_a_closed_event_closes_and_a_new_message_opens_a_returning_conversation(
    server,
) -> None:
    _, _, account = await _team(server)
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    await server.events(
        "ana", server.message("e2", account, "+44", 1001.0, kind="conversation_closed")
    )
    [closed] = await _conversations(server)
    assert closed["state"] == "closed"
    await server.events("ana", server.message("e3", account, "+44", 1100.0, "me again"))
    convs = await _conversations(server, state="assigned")
    assert len(convs) == 1 and convs[0]["returning"] is True
    assert convs[0]["owner_id"] == closed["owner_id"]  # the returning contact's agent again


async def test_an_agent_reply_turns_the_conversation_to_the_customer(server) -> None:
    _, _, account = await _team(server)
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    [conv] = await _conversations(server)
    owner = "ana" if conv["owner_id"] == server.ids["ana"] else "ben"
    reply = server.message("r1", account, "+44", 1002.0, "yes!", kind="agent_reply")
    await server.events(owner, reply)
    [conv] = await _conversations(server)
    assert conv["awaiting"] == "customer" and conv["reply_deadline"] is None


async def test_a_non_owner_reply_is_a_collision_recorded_for_both(server) -> None:
    _, _, account = await _team(server)
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    [conv] = await _conversations(server)
    intruder = "ben" if conv["owner_id"] == server.ids["ana"] else "ana"
    reply = server.message("r1", account, "+44", 1002.0, "me too", kind="agent_reply")
    await server.events(intruder, reply)
    [after] = await _conversations(server)
    assert after["owner_id"] == conv["owner_id"]  # the owner keeps it
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        rows = db.execute("SELECT kind, agent_id, other_agent_id FROM warnings").fetchall()
    assert rows == [("collision", conv["owner_id"], server.ids[intruder])]


async def test_events_for_an_unknown_account_name_the_field(server) -> None:
    await _team(server)
    answer = await server.call(
        "ana", "POST", "/v1/events", {"events": [server.message("e1", "nope", "+44", 1.0)]}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "events[0].account_id"
    bad = server.message("e1", "nope", "+44", 1.0, kind="telepathy")
    answer = await server.call("ana", "POST", "/v1/events", {"events": [bad]})
    assert answer.json()["error"]["field"] == "events[0].type"


async def test_a_timestamp_that_is_not_a_number_is_refused(server) -> None:
    _, _, account = await _team(server)
    async with server.client("ana") as http:
        answer = await http.post(
            "/v1/events",
            content=b'{"events": [{"id": "x", "type": "intake", "account_id": "'
            + account.encode()
            + b'", "contact": {"handle": "+44"}, "ts": NaN}]}',
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "events[0].ts"


async def test_concurrent_requests_sharing_a_transaction_each_get_their_own_answer(server) -> None:
    ana, ben, account = await _team(server, capacity=20)
    # 30 requests at once: 10 customers, each message reported by three workstations (twice
    # by ana with the same id, once by ben with another id): every message counts once.
    requests = []
    for n in range(10):
        handle, ts = f"+44{n}", 1000.0 + n
        requests.append(("ana", server.message(f"a{n}", account, handle, ts)))
        requests.append(("ana", server.message(f"a{n}", account, handle, ts)))
        requests.append(("ben", server.message(f"b{n}", account, handle, ts)))
    answers = await asyncio.gather(*(server.events(who, event) for who, event in requests))
    assert sum(a["accepted"] for a in answers) == 10
    assert sum(a["duplicates"] for a in answers) == 20
    assert all(a["accepted"] + a["duplicates"] == 1 for a in answers)
    convs = await _conversations(server)
    assert len(convs) == 10 and {c["state"] for c in convs} == {"assigned"}
    per_owner = Counter(c["owner_id"] for c in convs)
    assert set(per_owner) <= {ana, ben}


async def test_one_batch_mixing_messages_and_replies_keeps_every_step(server) -> None:
    """Customer messages run as plain SQL, replies through the ORM, in one shared transaction:
    each step must see what the one before it wrote (no stale rows either way)."""
    ana = await server.add_agent("ana", team="a", capacity=3)
    account = await server.add_account("+15550100", [ana], shared=True, team="a")
    await server.heartbeat("ana", [account])
    batch = [
        server.message("m1", account, "+4477", 1000.0, "hello"),
        server.message("r1", account, "+4477", 1001.0, "hi!", kind="agent_reply"),
        server.message("m2", account, "+4477", 1002.0, "is it in stock?"),
        server.message("r2", account, "+4477", 1003.0, "yes", kind="agent_reply"),
        server.message("m3", account, "+4477", 1004.0, "great, how much?"),
    ]
    assert await server.events("ana", *batch) == {"accepted": 5, "duplicates": 0}
    [conv] = await _conversations(server)
    assert conv["owner_id"] == ana and conv["awaiting"] == "agent"
    db_path = server.db.split(":///", 1)[1]
    with sqlite3.connect(db_path) as db:
        row = db.execute(
            "SELECT customer_messages, agent_messages, reply_deadline FROM conversations"
        ).fetchone()
        assert row[:2] == (3, 2)
        # The last message started a new wait: its deadline is stored as a timer too.
        timers = db.execute(
            "SELECT kind, due_at FROM deadlines WHERE subject_id = ?", (conv["id"],)
        ).fetchall()
        assert timers == [("reply", row[2])] and row[2] is not None
    reply = server.message("r3", account, "+4477", 1005.0, "it is 20", kind="agent_reply")
    assert await server.events("ana", reply) == {"accepted": 1, "duplicates": 0}
    [conv] = await _conversations(server)
    assert conv["awaiting"] == "customer" and conv["reply_deadline"] is None
    with sqlite3.connect(db_path) as db:
        left = db.execute("SELECT count(*) FROM deadlines WHERE subject_id = ?", (conv["id"],))
        assert left.fetchone()[0] == 0


async def test_a_holding_reply_neither_answers_nor_takes_a_queued_conversation(server) -> None:
    ana = await server.add_agent("ana", team="a", capacity=1)
    ben = await server.add_agent("ben", team="a", capacity=1)
    account = await server.add_account("+15550100", [ana, ben], shared=True, team="a")
    await server.heartbeat("ana", [account])
    await server.heartbeat("ben", [account])
    for i, handle in enumerate(("+441", "+442", "+443")):  # two slots, three customers
        await server.events("ana", server.message(f"e{i}", account, handle, 1000.0 + i))

    async def handle_of(conversation_id: str) -> str:
        answer = await server.call("admin", "GET", f"/v1/conversations/{conversation_id}")
        return str(answer.json()["contact"]["handle"])

    def holding(event_id: str, handle: str) -> dict[str, object]:
        text = "About 5 minutes, sorry for the wait"
        return server.message(event_id, account, handle, 1010.0, text, kind="agent_reply",
                              tags=["holding"])  # fmt: skip

    [queued] = await _conversations(server, state="queued")
    await server.events("ana", holding("h1", await handle_of(queued["id"])))
    [still] = await _conversations(server, state="queued")
    assert still["id"] == queued["id"] and still["owner_id"] is None  # nobody took it
    assert still["awaiting"] == "agent"

    # On the agent's own conversation it is no answer either: the reply deadline runs on.
    [mine] = await _conversations(server, state="assigned", owner_id=ana)
    await server.events("ana", holding("h2", await handle_of(mine["id"])))
    [after] = await _conversations(server, state="assigned", owner_id=ana)
    assert after["awaiting"] == "agent" and after["reply_deadline"] == mine["reply_deadline"]
    assert after["first_reply_at"] is None and after["agent_messages"] == 1

    # A plain reply still answers.
    reply = server.message("r1", account, await handle_of(mine["id"]), 1012.0, "Here it is",
                           kind="agent_reply")  # fmt: skip
    await server.events("ana", reply)
    [answered] = await _conversations(server, state="assigned", owner_id=ana)
    assert answered["awaiting"] == "customer" and answered["reply_deadline"] is None
    assert answered["first_reply_at"] is not None and answered["agent_messages"] == 2
