"""Shifts over the real API: schedules, on-shift routing and links, the board, the keep choice,
the handover fired by the scheduler at shift end (also after a restart), and a release that
never gives a conversation straight back to the giver."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import websockets


async def _eventually(check: Callable[[], Awaitable[bool]], limit_s: float = 10.0) -> bool:
    for _ in range(int(limit_s / 0.05)):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


async def _next(ws: Any, kind: str, limit_s: float = 10.0) -> dict[str, Any]:
    while True:
        push = json.loads(await asyncio.wait_for(ws.recv(), timeout=limit_s))
        if push["type"] == kind:
            return dict(push)


def _until(seconds: float, *, began_h: float = 1.0) -> dict[str, Any]:
    """A UTC schedule whose shift began ``began_h`` hours ago and ends ``seconds`` from now."""
    now = datetime.now(UTC)
    start, end = now - timedelta(hours=began_h), now + timedelta(seconds=seconds)
    return {
        "timezone": "UTC",
        "intervals": [
            {"day": start.isoweekday(), "start": start.strftime("%H:%M:%S"),
             "end": end.strftime("%H:%M:%S")}
        ],
    }  # fmt: skip


def _off_now() -> dict[str, Any]:
    """On shift for one hour starting in six hours: off now."""
    start = datetime.now(UTC) + timedelta(hours=6)
    end = start + timedelta(hours=1)
    return {
        "timezone": "UTC",
        "intervals": [
            {"day": start.isoweekday(), "start": start.strftime("%H:%M"),
             "end": end.strftime("%H:%M")}
        ],
    }  # fmt: skip


async def _team(server: Any) -> dict[str, str]:
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=3),
        "ben": await server.add_agent("ben", team="a", capacity=3),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b", role="supervisor"),
    }
    ids["A"] = await server.add_account("+1", [ids["ana"], ids["ben"]], team="a")
    return ids


async def _conversation(server: Any, handle: str) -> dict[str, Any]:
    rows = (await server.call("admin", "GET", "/v1/conversations")).json()
    [conv] = [r for r in rows if r["id"] in await _ids_for(server, handle)]
    return dict(conv)


async def _ids_for(server: Any, handle: str) -> set[str]:
    rows = (await server.call("admin", "GET", "/v1/conversations")).json()
    out = set()
    for row in rows:
        detail = (await server.call("admin", "GET", f"/v1/conversations/{row['id']}")).json()
        if detail["contact"]["handle"] == handle:
            out.add(row["id"])
    return out


async def _by_handle(server: Any) -> dict[str, dict[str, Any]]:
    """Every conversation, by its contact's handle (one read of each)."""
    out = {}
    for row in (await server.call("admin", "GET", "/v1/conversations")).json():
        detail = (await server.call("admin", "GET", f"/v1/conversations/{row['id']}")).json()
        out[detail["contact"]["handle"]] = dict(row)
    return out


async def test_a_schedule_is_stored_validated_and_only_planned_by_the_team(server) -> None:
    ids = await _team(server)
    path = f"/v1/agents/{ids['ana']}/shifts"
    week = {
        "timezone": "Europe/Madrid",
        "intervals": [{"day": 1, "start": "22:00", "end": "06:00"}],
    }
    answer = await server.call("sue", "PUT", path, week)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["scheduled"] and body["timezone"] == "Europe/Madrid"
    assert body["intervals"] == [{"day": 1, "start": "22:00", "end": "06:00"}]
    assert body["next_shift_start"] is not None
    assert (await server.call("ana", "GET", path)).json()["intervals"] == body["intervals"]

    bad = {"timezone": "UTC", "intervals": [week["intervals"][0], {"day": 2, "start": "09:00"}]}
    answer = await server.call("sue", "PUT", path, bad)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "intervals[1].end"
    answer = await server.call("sue", "PUT", path, {"timezone": "Nowhere/City", "intervals": []})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "timezone"

    assert (await server.call("zoe", "PUT", path, week)).status_code == 404  # another team
    assert (await server.call("ben", "PUT", path, week)).status_code == 403  # a colleague
    assert (await server.call("ben", "GET", path)).status_code == 403

    answer = await server.call("sue", "DELETE", path)
    assert answer.status_code == 200 and not answer.json()["scheduled"]
    assert answer.json()["on_shift"] is True  # no schedule: always on


async def test_the_agents_list_shows_who_is_on_shift_and_who_has_a_schedule(server) -> None:
    ids = await _team(server)
    created = await server.call(
        "admin", "POST", "/v1/agents", {"login": "new", "password": "long-enough-1"}
    )
    assert created.json()["on_shift"] is True and created.json()["scheduled"] is False
    await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _off_now())
    await server.call("sue", "PUT", f"/v1/agents/{ids['ben']}/shifts", _until(3600))

    async def listed(login: str) -> dict[str, tuple[bool, bool]]:
        rows = (await server.call(login, "GET", "/v1/agents")).json()
        return {r["login"]: (r["on_shift"], r["scheduled"]) for r in rows}

    team = await listed("sue")  # the supervisor's board sees the same as the admin
    assert team == {"ana": (False, True), "ben": (True, True), "sue": (True, False)}
    assert (await listed("admin"))["ana"] == (False, True)

    path = f"/v1/agents/{ids['ana']}"
    answer = await server.call("admin", "PATCH", path, {"capacity": 5})
    assert answer.status_code == 200
    assert answer.json()["on_shift"] is False and answer.json()["scheduled"] is True
    refused = await server.call("admin", "PATCH", path, {"on_shift": True})  # read-only
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "on_shift"
    assert (await listed("sue"))["ana"] == (False, True)

    await server.call("sue", "DELETE", f"/v1/agents/{ids['ana']}/shifts")
    assert (await listed("sue"))["ana"] == (True, False)  # no schedule: always on


async def test_routing_and_split_links_pass_an_agent_off_shift_by(server) -> None:
    ids = await _team(server)
    await server.heartbeat("ana", [ids["A"]])
    answer = await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _off_now())
    assert answer.status_code == 200 and answer.json()["on_shift"] is False
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    assert (await _conversation(server, "+44"))["state"] == "queued"  # online, but off shift

    link = {"slug": "promo", "targets": [{"account_id": ids["A"]}]}
    assert (await server.call("admin", "POST", "/v1/links", link)).status_code == 201
    async with server.client() as http:
        assert (await http.get("/r/promo", follow_redirects=False)).status_code == 503

    await server.heartbeat("ben", [ids["A"]])  # no schedule: always on, takes the queue
    assert (await _conversation(server, "+44"))["owner_id"] == ids["ben"]
    async with server.client() as http:
        assert (await http.get("/r/promo", follow_redirects=False)).status_code == 302

    # Back on shift (schedule removed): queued work is offered to ana at once.
    await server.call("admin", "PATCH", f"/v1/agents/{ids['ben']}", {"capacity": 1})
    await server.events("ana", server.message("e2", ids["A"], "+45", time.time()))
    assert (await _conversation(server, "+45"))["state"] == "queued"
    assert (
        await server.call("sue", "DELETE", f"/v1/agents/{ids['ana']}/shifts")
    ).status_code == 200
    assert (await _conversation(server, "+45"))["owner_id"] == ids["ana"]


async def test_the_board_shows_who_is_on_now_and_next_per_team(server) -> None:
    ids = await _team(server)
    await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _off_now())
    await server.call("sue", "PUT", f"/v1/agents/{ids['ben']}/shifts", _until(3600))
    board = (await server.call("sue", "GET", "/v1/shifts")).json()
    [team] = board["teams"]  # a supervisor sees their own team only
    assert team["team"] == "a"
    on_now = {e["name"]: e for e in team["on_now"]}
    assert set(on_now) == {"Ben", "Sue"} and on_now["Sue"]["scheduled"] is False
    assert on_now["Ben"]["shift_end"] is not None
    assert [e["name"] for e in team["next"]] == ["Ana"]
    assert team["next"][0]["next_shift_start"] > board["at"]

    later = board["at"] + 6.5 * 3600  # inside ana's shift, after ben's
    board = (await server.call("admin", "GET", "/v1/shifts", params={"at": later})).json()
    by_team = {t["team"]: t for t in board["teams"]}
    assert {e["name"] for e in by_team["a"]["on_now"]} == {"Ana", "Sue"}
    assert "b" in by_team  # an admin sees every team
    assert (await server.call("ana", "GET", "/v1/shifts")).status_code == 403


async def test_only_the_owner_keeps_a_conversation(server) -> None:
    ids = await _team(server)
    await server.heartbeat("ana", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    conv = await _conversation(server, "+44")
    path = f"/v1/conversations/{conv['id']}/keep"
    assert (await server.call("sue", "POST", path, {"keep": True})).status_code == 403
    assert (await server.call("ben", "POST", path, {"keep": True})).status_code == 404
    answer = await server.call("ana", "POST", path, {"keep": True})
    assert answer.status_code == 200 and answer.json() == {
        "conversation_id": conv["id"],
        "kept": True,
    }
    assert (await server.call("ana", "POST", path, {"keep": "yes"})).status_code == 422


async def test_at_shift_end_open_work_moves_with_its_context_unless_kept(live_server) -> None:
    server = live_server
    ids = await _team(server)
    await server.set_rules(shift_notice_s=1.0)
    await server.heartbeat("ana", [ids["A"]])
    now = time.time()
    for n, handle in enumerate(("+44", "+45", "+46")):
        await server.events("ana", server.message(f"e{n}", ids["A"], handle, now + n))
    moving, kept, waiting = [await _conversation(server, h) for h in ("+44", "+45", "+46")]
    for conv in (moving, kept, waiting):
        assert conv["owner_id"] == ids["ana"]
    note = {"text": "wants the blue one, size M"}
    path = f"/v1/conversations/{moving['id']}/notes"
    assert (await server.call("ana", "POST", path, note)).status_code == 201
    keep = await server.call("ana", "POST", f"/v1/conversations/{kept['id']}/keep", {"keep": True})
    assert keep.status_code == 200

    async with (
        websockets.connect(server.stream_url("ana")) as ana_ws,
        websockets.connect(server.stream_url("ben")) as ben_ws,
    ):
        schedule = _until(2.5)
        answer = await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", schedule)
        assert answer.status_code == 200 and answer.json()["on_shift"] is True
        # ben is on, with room for one of the two that move: the other queues.
        await server.call("admin", "PATCH", f"/v1/agents/{ids['ben']}", {"capacity": 1})
        await server.heartbeat("ben", [ids["A"]])
        notice = await _next(ana_ws, "warning")
        assert notice["kind"] == "shift_ending"
        listed = {c["conversation_id"]: c["kept"] for c in notice["conversations"]}
        assert listed == {moving["id"]: False, kept["id"]: True, waiting["id"]: False}
        handoff = await _next(ben_ws, "handoff")
    assert handoff["reason"] == "shift_end" and handoff["from_agent_id"] == ids["ana"]
    assert handoff["conversation_id"] == moving["id"]  # the oldest first
    assert handoff["notes"] == [note["text"]]

    async def settled() -> bool:
        return (await _conversation(server, "+46"))["state"] == "queued"

    assert await _eventually(settled)
    assert (await _conversation(server, "+44"))["owner_id"] == ids["ben"]
    assert (await _conversation(server, "+45"))["owner_id"] == ids["ana"]  # kept
    # Off shift now: nothing new for ana, even with room and online.
    await server.events("ana", server.message("e9", ids["A"], "+47", time.time()))
    assert (await _conversation(server, "+47"))["state"] == "queued"
    detail = (await server.call("admin", "GET", f"/v1/conversations/{moving['id']}")).json()
    assert [h["reason"] for h in detail["owner_history"]] == ["policy", "shift_end"]


async def test_a_large_handover_spreads_by_load_and_each_move_carries_its_own_notes(
    live_server,
) -> None:
    server = live_server
    ids = await _team(server)
    ids["cy"] = await server.add_agent("cy", team="a", capacity=3)
    await server.call("admin", "PATCH", f"/v1/accounts/{ids['A']}",
                      {"members": [ids["ana"], ids["ben"], ids["cy"]]})  # fmt: skip
    await server.call("admin", "PATCH", f"/v1/agents/{ids['ana']}", {"capacity": 10})
    await server.heartbeat("ana", [ids["A"]])
    now = time.time()
    handles = [f"+4470{n}" for n in range(7)]
    for n, handle in enumerate(handles):
        await server.events("ana", server.message(f"e{n}", ids["A"], handle, now + n))
    before = await _by_handle(server)
    convs = [before[h] for h in handles]
    assert {c["owner_id"] for c in convs} == {ids["ana"]}
    for n in range(22):  # more than a handoff carries
        path = f"/v1/conversations/{convs[0]['id']}/notes"
        assert (await server.call("ana", "POST", path, {"text": f"note {n}"})).status_code == 201
    path = f"/v1/conversations/{convs[3]['id']}/notes"
    await server.call("ana", "POST", path, {"text": "call back after 5"})
    await server.heartbeat("ben", [ids["A"]])
    await server.heartbeat("cy", [ids["A"]])
    handoffs: list[dict[str, Any]] = []
    async with (
        websockets.connect(server.stream_url("ben")) as ben_ws,
        websockets.connect(server.stream_url("cy")) as cy_ws,
    ):
        answer = await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _until(1.5))
        assert answer.status_code == 200
        for ws in (ben_ws, cy_ws):
            for _ in range(3):
                handoffs.append(await _next(ws, "handoff"))
    after = await _by_handle(server)
    owners = [after[h]["owner_id"] for h in handles]
    # Three slots each: the policy alternates between the two, the seventh waits.
    assert sorted(owners[:6], key=str) == sorted([ids["ben"]] * 3 + [ids["cy"]] * 3)
    assert owners[6] is None and after[handles[6]]["state"] == "queued"
    assert owners[0] != owners[1]
    by_id = {h["conversation_id"]: h for h in handoffs}
    assert set(by_id) == {c["id"] for c in convs[:6]}
    assert by_id[convs[0]["id"]]["notes"] == [f"note {n}" for n in range(2, 22)]
    assert by_id[convs[3]["id"]]["notes"] == ["call back after 5"]
    assert all(by_id[c["id"]]["notes"] == [] for c in (convs[1], convs[2], convs[4], convs[5]))
    for conv, owner in zip(convs[:6], owners[:6], strict=True):
        assert by_id[conv["id"]]["to_agent_id"] == owner
        assert by_id[conv["id"]]["owner_id"] == owner and by_id[conv["id"]]["state"] == "assigned"


async def test_the_notice_tells_the_end_on_the_clocks_of_the_agents_zone(live_server) -> None:
    server = live_server
    ids = await _team(server)
    await server.set_rules(shift_notice_s=1200.0)  # a schedule ending sooner: notice at once
    await server.heartbeat("ana", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    zone = ZoneInfo("Asia/Kolkata")  # UTC+05:30: no whole-hour offset hides a wrong zone
    now = datetime.now(zone)
    start, end = now - timedelta(hours=1), (now + timedelta(seconds=600)).replace(microsecond=0)
    schedule = {
        "timezone": "Asia/Kolkata",
        "intervals": [{"day": start.isoweekday(), "start": f"{start:%H:%M:%S}",
                       "end": f"{end:%H:%M:%S}"}],
    }  # fmt: skip
    async with websockets.connect(server.stream_url("ana")) as ana_ws:
        answer = await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", schedule)
        assert answer.status_code == 200 and answer.json()["shift_end"] == end.timestamp()
        notice = await _next(ana_ws, "warning")
    assert notice["kind"] == "shift_ending"
    assert notice["shift_end"] == end.timestamp() and notice["timezone"] == "Asia/Kolkata"
    assert f"{end:%H:%M} (Asia/Kolkata)" in notice["message"]
    assert f"{end.astimezone(UTC):%H:%M}" not in notice["message"]  # not the UTC clock
    assert "1 of your 1 open conversations" in notice["message"]
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        stored = db.execute(
            "SELECT agent_id, team FROM warnings WHERE kind = 'shift_ending'"
        ).fetchall()
    assert stored == [(ids["ana"], "a")]  # the warning is stored with the agent's team


async def test_a_shift_end_due_while_the_server_was_down_fires_on_start(make_server) -> None:
    server = await make_server()
    ids = await _team(server)
    await server.heartbeat("ana", [ids["A"]])
    await server.heartbeat("ben", [ids["A"]])
    await server.call("admin", "PATCH", f"/v1/agents/{ids['ben']}", {"capacity": 0})
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    assert (await _conversation(server, "+44"))["owner_id"] == ids["ana"]
    await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _until(1.0))
    await server.stop()
    await asyncio.sleep(1.5)
    server = await make_server()
    await server.login("ana", server.agent_password)

    async def queued() -> bool:
        return (await _conversation(server, "+44"))["state"] == "queued"

    assert await _eventually(queued)  # ben has no room, ana is off: it waits
    schedule = (await server.call("ana", "GET", f"/v1/agents/{ids['ana']}/shifts")).json()
    assert schedule["on_shift"] is False and schedule["next_shift_start"] > time.time()


async def test_a_release_by_the_only_agent_online_queues_and_stays_queued(server) -> None:
    ids = await _team(server)
    await server.heartbeat("ana", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    conv = await _conversation(server, "+44")
    assert conv["owner_id"] == ids["ana"]
    answer = await server.call("ana", "POST", f"/v1/conversations/{conv['id']}/transfer", {})
    assert answer.status_code == 200
    assert answer.json()["state"] == "queued" and answer.json()["owner_id"] is None
    await server.heartbeat("ana", [ids["A"]], status="away")
    await server.heartbeat("ana", [ids["A"]])  # back, with room: still not hers again
    await server.write_batches()
    assert (await _conversation(server, "+44"))["state"] == "queued"
    await server.heartbeat("ben", [ids["A"]])
    assert (await _conversation(server, "+44"))["owner_id"] == ids["ben"]


async def test_a_schedule_saved_while_off_shift_hands_over_after_the_notice(server) -> None:
    ids = await _team(server)
    await server.set_rules(shift_notice_s=0.5)
    await server.heartbeat("ana", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    await server.heartbeat("ben", [ids["A"]])
    assert (await _conversation(server, "+44"))["owner_id"] == ids["ana"]
    answer = await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _off_now())
    assert answer.json()["on_shift"] is False
    assert (await _conversation(server, "+44"))["owner_id"] == ids["ana"]  # not at once

    async def moved() -> bool:
        return (await _conversation(server, "+44"))["owner_id"] == ids["ben"]

    assert await _eventually(moved)


@pytest.mark.postgres
async def test_a_shift_end_hands_over_on_postgresql(make_server, pg_url: str) -> None:
    server = await make_server(pg_url)
    ids = await _team(server)
    await server.heartbeat("ana", [ids["A"]])
    await server.events("ana", server.message("e1", ids["A"], "+44", time.time()))
    await server.heartbeat("ben", [ids["A"]])
    answer = await server.call("sue", "PUT", f"/v1/agents/{ids['ana']}/shifts", _until(1.5))
    assert answer.status_code == 200 and answer.json()["on_shift"] is True

    async def moved() -> bool:
        return (await _conversation(server, "+44"))["owner_id"] == ids["ben"]

    assert await _eventually(moved)
    board = (await server.call("sue", "GET", "/v1/shifts")).json()
    assert [e["name"] for e in board["teams"][0]["next"]] == ["Ana"]
