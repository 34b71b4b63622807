"""How fast a workstation's sync moves events: durable outbox appends, and upload to a real server.

Appends are one SQLite commit each (WAL, synchronous=FULL), as the desktop records events one by
one. The upload drains ``--events`` recorded customer messages (each a new contact, so each opens
and routes a conversation) to the real team server app (uvicorn on 127.0.0.1 in a thread,
temporary SQLite, real migrations) in batches of ``--batch``, the agent online with room for all,
and reports events/s and the per-batch round trip (p50/p99).

    python benchmarks/sync_upload.py [--events 500] [--batch 50] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def _serve(db_path: Path) -> tuple[Any, threading.Thread, str]:
    import uvicorn

    from relaydesk.server.app import create_app
    from relaydesk.server.settings import ServerSettings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(ServerSettings(database_url=f"sqlite+aiosqlite:///{db_path}"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           loop="asyncio", ws="websockets-sansio"))  # fmt: skip
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def _team(url: str) -> str:
    import httpx

    with httpx.Client(base_url=url) as http:
        token = http.post("/v1/auth/login", json={"login": "admin", "password": "bench-admin-1"})
        http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        agent = http.post("/v1/agents", json={"login": "ana", "password": "bench-agent-1",
                                              "team": "a", "capacity": 1000}).json()  # fmt: skip
        account = http.post(
            "/v1/accounts",
            json={
                "platform": "whatsapp",
                "handle": "+15550100",
                "team": "a",
                "members": [agent["id"]],
            },
        )
        return str(account.json()["id"])


async def _measure(
    url: str, account_id: str, work: Path, events: int, batch: int
) -> dict[str, Any]:
    from relaydesk.sync.client import MemoryTokenStore, Presence, TeamClient
    from relaydesk.sync.events import Contact, EventType, TeamEvent
    from relaydesk.sync.outbox import SqliteOutbox
    from relaydesk.sync.uploader import OutboxUploader

    outbox = SqliteOutbox(work / "sync.db")
    made = [TeamEvent(EventType.CUSTOMER_MESSAGE, account_id, Contact(f"+1777{n:07d}"),
                      text=f"bench {n}") for n in range(events)]  # fmt: skip
    start = time.perf_counter()
    for event in made:
        outbox.append([event])
    append_s = time.perf_counter() - start

    async with TeamClient(url, MemoryTokenStore(), timeout_s=120.0) as client:
        await client.login("ana", "bench-agent-1")
        await client.heartbeat(Presence("online", (account_id,)))  # an agent at work
        round_trips: list[float] = []
        post = client.post_events

        async def timed(batch_events: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await post(batch_events)
            finally:
                round_trips.append(time.perf_counter() - t0)

        client.post_events = timed  # type: ignore[method-assign]
        uploader = OutboxUploader(client, outbox, batch_size=batch)
        start = time.perf_counter()
        await uploader.upload_pending()
        upload_s = time.perf_counter() - start
    round_trips.sort()
    return {
        "events": events, "batch": batch,
        "outbox_appends_per_s": round(events / append_s),
        "upload_events_per_s": round(events / upload_s),
        "batch_round_trip_ms_p50": round(statistics.median(round_trips) * 1000, 1),
        "batch_round_trip_ms_p99": round(round_trips[int(0.99 * (len(round_trips) - 1))] * 1000, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    from relaydesk.server.cli import main as server_cli

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["RELAYDESK_BENCH_ADMIN"] = "bench-admin-1"
        with contextlib.redirect_stdout(io.StringIO()):  # it prints the new admin's id
            server_cli(["create-admin", "--db", str(work / "server.db"), "--login", "admin",
                        "--password-env", "RELAYDESK_BENCH_ADMIN"])  # fmt: skip
        server, thread, url = _serve(work / "server.db")
        try:
            figures = asyncio.run(_measure(url, _team(url), work, args.events, args.batch))
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"outbox appends (one durable commit each): {figures['outbox_appends_per_s']}/s")
    print(f"upload to the team server: {figures['upload_events_per_s']} events/s "
          f"(batches of {args.batch}; round trip p50 {figures['batch_round_trip_ms_p50']} ms, "
          f"p99 {figures['batch_round_trip_ms_p99']} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
