"""The team server on PostgreSQL: the same behaviour, and several processes on one database."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from typing import Any

import httpx
import pytest
import websockets

pytestmark = pytest.mark.postgres


async def test_migrations_and_routing_work_on_postgresql(make_server, pg_url: str) -> None:
    server = await make_server(pg_url)
    ana = await server.add_agent("ana", team="a", capacity=1)
    account = await server.add_account("+1", [ana], team="a")
    await server.heartbeat("ana", [account])
    event = server.message("e1", account, "+44", 1000.0)
    assert await server.events("ana", event, event) == {"accepted": 1, "duplicates": 1}
    await server.events("ana", server.message("e2", account, "+45", 1001.0))
    convs = (await server.call("admin", "GET", "/v1/conversations")).json()
    assert sorted(c["state"] for c in convs) == ["assigned", "queued"]


async def test_a_deadline_fires_on_postgresql(make_server, pg_url: str) -> None:
    server = await make_server(pg_url)
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+1", [ana, ben], team="a")
    await server.set_rules(default_reply_timeout_s=0.5)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0))
    await server.heartbeat("ben", [account])
    for _ in range(200):
        [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
        if conv["owner_id"] == ben:
            break
        await asyncio.sleep(0.05)
    assert conv["owner_id"] == ben


async def test_conversation_notes_on_postgresql(make_server, pg_url: str) -> None:
    server = await make_server(pg_url)
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+1", [ana, ben], team="a", shared=True)
    await server.heartbeat("ana", [account])
    await server.events("ana", server.message("e1", account, "+44", 1000.0, tags=["vip"]))
    [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
    path = f"/v1/conversations/{conv['id']}"
    for login, text in (("ana", "Ordered size M"), ("ben", "Refund if sold out")):
        answer = await server.call(login, "POST", f"{path}/notes", {"text": text})
        assert answer.status_code == 201, answer.text
    transfer = await server.call("ana", "POST", f"{path}/transfer", {"to_agent_id": ben})
    assert transfer.status_code == 200, transfer.text
    detail = (await server.call("ben", "GET", path)).json()
    assert [(n["author"], n["text"]) for n in detail["notes"]] == [
        ("Ana", "Ordered size M"),
        ("Ben", "Refund if sold out"),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _start_process(pg_url: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "relaydesk.server.cli", "run", "--db", pg_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=url) as http:
        for _ in range(400):
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return process, url
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    process.terminate()
    _, errors = process.communicate(timeout=20)
    raise AssertionError(f"server process did not start: {errors[-2000:]}")


async def test_two_processes_share_one_database_without_double_assignment(
    make_server, pg_url: str
) -> None:
    setup = await make_server(pg_url)  # creates the admin and runs the migrations
    agents = {
        f"agent{i}": await setup.add_agent(f"agent{i}", team="a", capacity=2) for i in range(6)
    }
    account = await setup.add_account("+1", list(agents.values()), shared=True, team="a")
    await setup.stop()
    (a_proc, a_url), (b_proc, b_url) = await asyncio.gather(
        _start_process(pg_url), _start_process(pg_url)
    )
    streams: dict[str, Any] = {}
    try:
        async with (
            httpx.AsyncClient(base_url=a_url, timeout=30) as a,
            httpx.AsyncClient(base_url=b_url, timeout=30) as b,
        ):
            tokens = {}
            for login in agents:
                answer = await a.post(
                    "/v1/auth/login", json={"login": login, "password": setup.agent_password}
                )
                tokens[login] = {"Authorization": f"Bearer {answer.json()['token']}"}
            for i, login in enumerate(agents):
                http = a if i % 2 else b
                beat = await http.post(
                    "/v1/heartbeat",
                    headers=tokens[login],
                    json={"status": "online", "open_accounts": [account]},
                )
                assert beat.status_code == 200, beat.text
            # every agent listens on process A; half of the events go to process B
            streams.update(
                {
                    login: await websockets.connect(
                        a_url.replace("http", "ws")
                        + f"/v1/stream?token={tokens[login]['Authorization'][7:]}"
                    )
                    for login in agents
                }
            )

            async def report(i: int) -> None:
                login = f"agent{i % 6}"
                http = a if i % 2 else b
                events = [
                    {
                        "id": f"w{i}-{n}",
                        "type": "customer_message",
                        "account_id": account,
                        "contact": {"handle": f"+44{n}"},
                        "ts": 1000.0 + n,
                        "text": "hi",
                    }
                    for n in range(20)
                ]
                answer = await http.post(
                    "/v1/events", headers=tokens[login], json={"events": events}
                )
                assert answer.status_code == 200, answer.text

            await asyncio.gather(*(report(i) for i in range(12)))
            admin = await a.post(
                "/v1/auth/login", json={"login": "admin", "password": setup.admin_password}
            )
            headers = {"Authorization": f"Bearer {admin.json()['token']}"}
            convs = (await a.get("/v1/conversations", headers=headers)).json()
            assigned: dict[str, list[str]] = {}
            for login, ws in streams.items():
                got: list[dict[str, Any]] = []
                try:
                    while True:
                        push = json.loads(await asyncio.wait_for(ws.recv(), timeout=3))
                        if push["type"] == "assigned":
                            got.append(push)
                except TimeoutError:
                    pass
                await ws.close()
                assigned[login] = [p["conversation_id"] for p in got]
    finally:
        for ws in streams.values():
            await ws.close()
        for process in (a_proc, b_proc):
            process.terminate()
        for process in (a_proc, b_proc):
            _, errors = process.communicate(timeout=30)
            assert "Traceback" not in errors, errors[-3000:]
    assert len(convs) == 20
    owners = [c["owner_id"] for c in convs if c["owner_id"]]
    assert len(owners) == 12
    assert all(owners.count(agent_id) == 2 for agent_id in agents.values())
    # every assignment, wherever it was made, reached the owner's stream on process A
    for login, agent_id in agents.items():
        mine = sorted(c["id"] for c in convs if c["owner_id"] == agent_id)
        assert sorted(assigned[login]) == mine, login


async def test_a_change_in_one_process_reaches_the_caches_of_another(
    make_server, pg_url: str
) -> None:
    a = await make_server(pg_url)
    b = await make_server(pg_url)  # a second app on the same database, its own caches
    await a.add_agent("ana", team="a")
    await a.add_agent("ben", team="a")
    for login in ("ana", "ben", "admin"):
        b.tokens[login] = a.tokens[login]
    assert (await b.call("ana", "GET", "/v1/conversations")).status_code == 200  # cached in b
    assert (await b.call("ben", "GET", "/v1/conversations")).status_code == 200
    assert (await b.call("admin", "GET", "/v1/rules")).json()["default_reply_timeout_s"] == 120

    assert (await a.call("ana", "POST", "/v1/auth/logout")).status_code == 204
    await a.call("admin", "PATCH", f"/v1/agents/{a.ids['ben']}", {"active": False})
    await a.set_rules(default_reply_timeout_s=33.0)

    async def heard() -> bool:  # NOTIFY arrives just after the commit, well inside the TTL
        return (
            (await b.call("ana", "GET", "/v1/conversations")).status_code == 401
            and (await b.call("ben", "GET", "/v1/conversations")).status_code == 401
            and (await b.call("admin", "GET", "/v1/rules")).json()["default_reply_timeout_s"]
            == 33.0
        )

    for _ in range(40):
        if await heard():
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("process b still honours what process a changed")
