"""Conversation notes: who may write and read them, and that a handoff carries them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets


async def _next(ws: Any, kind: str, limit_s: float = 10.0) -> dict[str, Any]:
    """The next push of ``kind`` (skipping others), bounded in time."""
    while True:
        push = json.loads(await asyncio.wait_for(ws.recv(), timeout=limit_s))
        if push["type"] == kind:
            return dict(push)


async def _team(server: Any) -> dict[str, str]:
    """Team a: ana, ben (agents on shared account A), sue (supervisor); team b: zoe, max."""
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=2),
        "ben": await server.add_agent("ben", team="a", capacity=2),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b"),
        "max": await server.add_agent("max", team="b", role="supervisor"),
    }
    ids["A"] = await server.add_account("+1", [ids["ana"], ids["ben"]], team="a", shared=True)
    await server.heartbeat("ana", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", 1000.0))
    [conv] = (await server.call("ana", "GET", "/v1/conversations")).json()
    ids["conv"] = conv["id"]
    return ids


async def _note(server: Any, login: str, conversation_id: str, text: Any) -> Any:
    return await server.call(login, "POST", f"/v1/conversations/{conversation_id}/notes",
                             {"text": text})  # fmt: skip


async def test_the_team_writes_notes_and_the_detail_lists_them_newest_last(server) -> None:
    ids = await _team(server)
    conv = ids["conv"]
    first = await _note(server, "ana", conv, "  Ordered size M  ")
    assert first.status_code == 201, first.text
    assert first.json()["text"] == "Ordered size M" and first.json()["author"] == "Ana"
    for login, text in (("ben", "Prefers a refund"), ("sue", "VIP: be quick"),
                        ("admin", "Checked the stock")):  # fmt: skip
        answer = await _note(server, login, conv, text)
        assert answer.status_code == 201, answer.text
    detail = (await server.call("ben", "GET", f"/v1/conversations/{conv}")).json()
    assert [n["text"] for n in detail["notes"]] == [
        "Ordered size M",
        "Prefers a refund",
        "VIP: be quick",
        "Checked the stock",
    ]
    assert [n["agent_id"] for n in detail["notes"]][:3] == [ids["ana"], ids["ben"], ids["sue"]]
    assert detail["notes"][1]["author"] == "Ben"
    ats = [n["at"] for n in detail["notes"]]
    assert ats == sorted(ats)


async def test_another_team_can_neither_read_nor_add_notes(server) -> None:
    ids = await _team(server)
    conv = ids["conv"]
    assert (await _note(server, "ana", conv, "Private to team a")).status_code == 201
    for login in ("zoe", "max"):
        refused = await _note(server, login, conv, "sneaky")
        assert refused.status_code == 404, refused.text
        assert refused.json()["error"]["code"] == "not_found"
        read = await server.call(login, "GET", f"/v1/conversations/{conv}")
        assert read.status_code == 404
    missing = await _note(server, "ana", "nosuchconversation", "x")
    assert missing.status_code == 404
    detail = (await server.call("admin", "GET", f"/v1/conversations/{conv}")).json()
    assert [n["text"] for n in detail["notes"]] == ["Private to team a"]


async def test_a_note_needs_1_to_2000_characters(server) -> None:
    ids = await _team(server)
    for text in ("", "   ", "x" * 2001, None):
        refused = await _note(server, "ana", ids["conv"], text)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == "text"
    assert (await _note(server, "ana", ids["conv"], "x" * 2000)).status_code == 201


async def test_a_handoff_push_carries_the_notes_and_the_contacts_tags(live_server) -> None:
    server = live_server
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+1", [ana, ben], shared=True, team="a")
    await server.heartbeat("ana", [account])
    await server.heartbeat("ben", [account])
    tagged = server.message("e1", account, "+44", 1000.0, tags=["exchange"])
    await server.events("ana", tagged)
    [conv] = (await server.call("ana", "GET", "/v1/conversations")).json()
    owner, other = ("ana", "ben") if conv["owner_id"] == ana else ("ben", "ana")
    for text in ("Ordered size M", "Wants it by Friday"):
        assert (await _note(server, owner, conv["id"], text)).status_code == 201
    async with websockets.connect(server.stream_url(other)) as ws:
        ids = {"ana": ana, "ben": ben}
        moved = await server.call(owner, "POST", f"/v1/conversations/{conv['id']}/transfer",
                                  {"to_agent_id": ids[other]})  # fmt: skip
        assert moved.status_code == 200, moved.text
        push = await _next(ws, "handoff")
    assert push["notes"] == ["Ordered size M", "Wants it by Friday"]
    assert push["tags"] == ["exchange"]
    assert push["to_agent_id"] == ids[other]
