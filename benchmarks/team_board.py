"""How long the supervisor board takes to refresh, and whether the UI's loop stays free meanwhile.

A real team server (``relaydesk-server run`` on 127.0.0.1 in its own process, temporary SQLite)
holds a
team of ``--agents`` agents (all online) and ``--conversations`` conversations routed among them;
a supervisor's ``SupervisorBoard`` (offscreen Qt, the qasync loop the app uses) refreshes
``--runs`` times. Printed: the refresh time (p50/p99: seven reads in parallel, then the tables
filled) and the qasync loop's lag during the refreshes (a 10 ms sleep, how late it wakes: the
UI freezes by that much at most).

    python benchmarks/team_board.py [--agents 20] [--conversations 300] [--runs 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BENCH_ADMIN = "bench-admin-1"  # the password of the benchmark servers' admin (login ``admin``)


def _serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``relaydesk-server run`` in its own process: its work does not lag this loop."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "relaydesk.server.cli", "run", "--db", str(db),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return server, url
        time.sleep(0.05)
    server.kill()
    raise SystemExit("the team server did not start")


@contextlib.contextmanager
def team_server(prefix: str = "relaydesk-bench-") -> Iterator[tuple[Path, str]]:
    """A temporary database with an admin (``admin`` / ``BENCH_ADMIN``), served by
    :func:`_serve`: (database, base URL); the server stopped and the folder removed after."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        db = Path(folder) / "server.db"
        env = {**os.environ, "BENCH_ADMIN_PASSWORD": BENCH_ADMIN}
        subprocess.run(
            [sys.executable, "-m", "relaydesk.server.cli", "create-admin", "--db", str(db),
             "--login", "admin", "--password-env", "BENCH_ADMIN_PASSWORD"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        server, url = _serve(db)
        try:
            yield db, url
        finally:
            server.terminate()
            server.wait(timeout=15)


def _team(url: str, agents: int, conversations: int) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=60) as http:
        token = http.post("/v1/auth/login", json={"login": "admin", "password": BENCH_ADMIN})
        http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        ids = []
        for n in range(agents):
            role = "supervisor" if n == 0 else "agent"
            body = {"login": f"a{n:03d}", "name": f"Agent {n}", "password": "bench-agent-1",
                    "team": "a", "capacity": 1000, "role": role}  # fmt: skip
            ids.append(http.post("/v1/agents", json=body).json()["id"])
        account = http.post("/v1/accounts", json={
            "platform": "whatsapp", "handle": "+15550100", "team": "a", "shared": True,
            "members": ids,
        }).json()["id"]  # fmt: skip
        for n in range(len(ids) - 1):
            with httpx.Client(base_url=url, timeout=60) as agent:
                login = {"login": f"a{n + 1:03d}", "password": "bench-agent-1"}
                agent.headers["Authorization"] = (
                    f"Bearer {agent.post('/v1/auth/login', json=login).json()['token']}"
                )
                agent.post("/v1/heartbeat", json={"status": "online", "open_accounts": [account]})
                if n == 0:
                    now = time.time() - 60
                    events = [{"id": f"m{i}", "type": "customer_message", "account_id": account,
                               "contact": {"handle": f"+4470{i:07d}"}, "ts": now + i * 0.01,
                               "text": "hello"} for i in range(conversations)]  # fmt: skip
                    for start in range(0, len(events), 100):
                        agent.post("/v1/events", json={"events": events[start : start + 100]})


async def _measure(url: str, runs: int) -> dict[str, Any]:
    from relaydesk.desktop.supervisor_board import SupervisorBoard
    from relaydesk.sync.client import MemoryTokenStore, TeamClient
    from relaydesk.sync.supervisor import SupervisorApi

    client = TeamClient(url, MemoryTokenStore(), timeout_s=60)
    await client.login("a000", "bench-agent-1")
    board = SupervisorBoard(SupervisorApi(client))
    lags: list[float] = []
    running = True

    async def ticker() -> None:
        while running:
            start = time.perf_counter()
            await asyncio.sleep(0.010)
            lags.append((time.perf_counter() - start - 0.010) * 1000)

    tick = asyncio.ensure_future(ticker())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await board.refresh()
        times.append((time.perf_counter() - start) * 1000)
    running = False
    await tick
    await client.aclose()
    rows = board.agents.rowCount()
    times.sort()
    lags.sort()
    return {
        "agents_shown": rows, "waiting": board.summary.waiting if board.summary else None,
        "assigned_shown": sum(a.open_conversations for a in board.summary.agents)
        if board.summary else None,
        "refresh_ms_p50": round(statistics.median(times), 1),
        "refresh_ms_p99": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
        "loop_lag_ms_p50": round(statistics.median(lags), 1),
        "loop_lag_ms_p99": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 1),
        "loop_lag_ms_max": round(lags[-1], 1),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    with team_server() as (_db, url):
        _team(url, args.agents, args.conversations)
        app = QApplication(sys.argv[:1])
        loop = QEventLoop(app)
        asyncio.set_event_loop(loop)
        result = loop.run_until_complete(_measure(url, args.runs))
        loop.close()
    result.update(agents=args.agents, conversations=args.conversations, runs=args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
