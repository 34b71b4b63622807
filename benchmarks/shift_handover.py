"""How late the shift-end handover is: the scheduler's stored deadline, then every open
conversation of the leaving agent handed to colleagues on shift, told by ``handoff`` pushes.

A real team server (``relaydesk-server run`` on 127.0.0.1 in its own process, temporary
SQLite) holds an agent with ``--conversations`` open conversations and ``--colleagues``
colleagues online without a schedule (always on shift), each with room for their share. The
leaving agent gets a schedule ending at the next whole second at least 3 s away; the
colleagues' WebSocket streams record when each ``handoff`` (reason ``shift_end``) arrives.
Printed: the lateness of each push after the shift's end (p50, p99, max) and how many moved.

    python benchmarks/shift_handover.py [--conversations 50] [--colleagues 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from team_board import BENCH_ADMIN, team_server


def _login(http: Any, login: str, password: str) -> str:
    answer = http.post("/v1/auth/login", json={"login": login, "password": password})
    return str(answer.json()["token"])


async def _measure(url: str, conversations: int, colleagues: int) -> dict[str, Any]:
    import httpx
    import websockets

    http = httpx.Client(base_url=url, timeout=60)
    http.headers["Authorization"] = f"Bearer {_login(http, 'admin', BENCH_ADMIN)}"
    share = math.ceil(conversations / colleagues)
    logins = ["leaver", *(f"c{n:02d}" for n in range(colleagues))]
    ids = {}
    for login in logins:
        body = {"login": login, "name": login, "password": "bench-agent-1", "team": "a",
                "capacity": conversations if login == "leaver" else share}  # fmt: skip
        ids[login] = http.post("/v1/agents", json=body).json()["id"]
    account = http.post("/v1/accounts", json={
        "platform": "whatsapp", "handle": "+15550100", "team": "a", "shared": True,
        "members": list(ids.values()),
    }).json()["id"]  # fmt: skip
    tokens = {login: _login(http, login, "bench-agent-1") for login in logins}

    def beat(login: str) -> None:
        headers = {"Authorization": f"Bearer {tokens[login]}"}
        body = {"status": "online", "open_accounts": [account]}
        http.post("/v1/heartbeat", json=body, headers=headers)

    beat("leaver")
    now = time.time()
    events = [{"id": f"m{i}", "type": "customer_message", "account_id": account,
               "contact": {"handle": f"+4470{i:07d}"}, "ts": now + i * 0.001, "text": "hello"}
              for i in range(conversations)]  # fmt: skip
    headers = {"Authorization": f"Bearer {tokens['leaver']}"}
    http.post("/v1/events", json={"events": events}, headers=headers)
    for login in logins[1:]:
        beat(login)
    ws_url = url.replace("http://", "ws://") + "/v1/stream?token="
    arrivals: list[float] = []
    streams = [await websockets.connect(ws_url + tokens[login]) for login in logins[1:]]

    async def listen(ws: Any) -> None:
        async for message in ws:
            push = json.loads(message)
            if push.get("type") == "handoff" and push.get("reason") == "shift_end":
                arrivals.append(time.time())

    listeners = [asyncio.create_task(listen(ws)) for ws in streams]
    start = datetime.now(UTC) - timedelta(hours=1)
    end = (datetime.now(UTC) + timedelta(seconds=4)).replace(microsecond=0)
    schedule = {
        "timezone": "UTC",
        "intervals": [
            {"day": start.isoweekday(), "start": f"{start:%H:%M:%S}", "end": f"{end:%H:%M:%S}"}
        ],
    }
    http.put(f"/v1/agents/{ids['leaver']}/shifts", json=schedule)
    deadline = end.timestamp() + 30
    while len(arrivals) < conversations and time.time() < deadline:
        await asyncio.sleep(0.05)
    for task in listeners:
        task.cancel()
    for ws in streams:
        await ws.close()
    http.close()
    late = sorted(max(0.0, t - end.timestamp()) * 1000 for t in arrivals)
    return {
        "conversations": conversations,
        "colleagues": colleagues,
        "handed_over": len(arrivals),
        "lateness_ms_p50": round(statistics.median(late), 1) if late else None,
        "lateness_ms_p99": round(late[min(len(late) - 1, int(len(late) * 0.99))], 1)
        if late else None,
        "lateness_ms_max": round(late[-1], 1) if late else None,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--colleagues", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with team_server("relaydesk-shift-handover-") as (_db, url):
        figures = asyncio.run(_measure(url, args.conversations, args.colleagues))
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
