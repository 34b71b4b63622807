"""How long the team server takes to answer the workload report with a month of busy days.

A real team server (``relaydesk-server run`` on 127.0.0.1 in its own process, temporary SQLite,
real migrations) holds one team of ``--agents`` agents who were each given ``--per-day``
conversations a day over the last 29 days and today so far (each with its ownership stretch,
a first reply and ``--replies`` reported agent replies), and another team of the same size whose
rows are not the supervisor's. The team's supervisor (the board: everyone against their usual)
and then one agent ("My day": their own usual, the team's average today) each ask ``--runs``
times for ``/v1/reports/workload`` (today against the past four same weekdays). Printed per
caller: the first request (pages not cached yet), then p50/p99.

    python benchmarks/workload_report.py [--agents 20] [--per-day 400] [--replies 2] [--runs 20]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from team_board import BENCH_ADMIN as ADMIN  # the same admin and way of running the server
from team_board import team_server

AGENT = "bench-agent-1"
DAY = 86400.0


def _setup(url: str, agents: int) -> dict[str, Any]:
    import httpx

    with httpx.Client(base_url=url, timeout=60) as http:
        token = http.post("/v1/auth/login", json={"login": "admin", "password": ADMIN})
        http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        ids: dict[str, Any] = {"agents": {}, "accounts": {}}
        for team in ("a", "b"):
            body = {"login": f"sue-{team}", "password": AGENT, "team": team, "role": "supervisor"}
            assert http.post("/v1/agents", json=body).status_code == 201
            made = []
            for n in range(agents):
                agent = {"login": f"{team}{n:03d}", "password": AGENT, "team": team,
                         "capacity": 10}  # fmt: skip
                made.append(http.post("/v1/agents", json=agent).json()["id"])
            ids["agents"][team] = made
            account = {"platform": "whatsapp", "handle": f"+1555{team}0000", "team": team,
                       "shared": True, "members": made}  # fmt: skip
            ids["accounts"][team] = http.post("/v1/accounts", json=account).json()["id"]
    return ids


def _fill(db: Path, ids: dict[str, Any], per_day: int, replies: int) -> int:
    """Rows written straight into the server's tables (the event path would take too long for
    this many; what is measured is the read). Returns the number of conversations."""
    rng = random.Random(7)
    now = time.time()
    today = now - now % DAY
    with sqlite3.connect(db) as conn:
        columns = conn.execute("PRAGMA table_info(conversations)").fetchall()
        contacts, convs, stretches, messages, received = [], [], [], [], []
        n = 0
        for team in ("a", "b"):
            account = ids["accounts"][team]
            for agent in ids["agents"][team]:
                for day in range(29, -1, -1):
                    start = today - day * DAY
                    span = (now - start) if day == 0 else DAY
                    count = per_day if day else int(per_day * span / DAY)
                    for _ in range(count):
                        n += 1
                        cid, conv = f"c{n:010d}", f"v{n:010d}"
                        at = start + rng.uniform(0, span)
                        first = at + rng.uniform(5, 300)
                        contacts.append((cid, "whatsapp", f"+44{n:010d}", "", None, "[]"))
                        row = {"id": conv, "account_id": account, "contact_id": cid,
                               "state": "closed", "owner_id": agent, "opened_at": at,
                               "closed_at": at + 600, "priority": 0, "label": "",
                               "source": "organic", "is_returning": False, "link_id": None,
                               "tags": "[]", "complaint": False, "awaiting": "customer",
                               "lapsed_agent_ids": "[]", "auto_handoffs": 0,
                               "first_reply_at": first, "customer_messages": 1,
                               "agent_messages": replies, "customer_chars_total": 10,
                               "recent_customer_lengths": "[10]"}  # fmt: skip
                        for _, name, _type, notnull, default, _pk in columns:
                            if name not in row and notnull and default is None:
                                row[name] = 0  # a column added since: its zero value
                        convs.append(row)
                        stretches.append((conv, agent, at, at + 600, "policy"))
                        for k in range(replies):
                            key = hashlib.sha256(f"{conv}/{k}".encode()).hexdigest()
                            messages.append((key, conv, "agent_reply", first + k))
                            received.append((f"{agent}:{conv}/{k}", key, agent, first + k))
        conn.executemany(
            "INSERT INTO contacts (id, platform, handle, name, language, tags) "
            "VALUES (?, ?, ?, ?, ?, ?)", contacts,
        )  # fmt: skip
        names = list(convs[0])
        conn.executemany(
            f"INSERT INTO conversations ({', '.join(names)}) "
            f"VALUES ({', '.join(':' + n for n in names)})", convs,
        )  # fmt: skip
        conn.executemany(
            'INSERT INTO ownerships (conversation_id, agent_id, start, "end", reason) '
            "VALUES (?, ?, ?, ?, ?)", stretches,
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO messages (message_key, conversation_id, kind, at) VALUES (?, ?, ?, ?)",
            messages,
        )
        conn.executemany(
            "INSERT INTO received_events (client_id, message_key, agent_id, received_at) "
            "VALUES (?, ?, ?, ?)", received,
        )  # fmt: skip
        conn.commit()
    return n


def _measure(url: str, runs: int, login: str) -> list[float]:
    import httpx

    times = []
    with httpx.Client(base_url=url, timeout=300) as http:
        answer = http.post("/v1/auth/login", json={"login": login, "password": AGENT})
        http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        for _ in range(runs):
            start = time.perf_counter()
            answer = http.get("/v1/reports/workload")
            times.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text
    return times


def _figures(times: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in times[1:])
    return {
        "first_ms": round(times[0] * 1000, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--replies", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with team_server("relaydesk-workload-report-") as (db, url):
        ids = _setup(url, args.agents)
        conversations = _fill(db, ids, args.per_day, args.replies)
        # The supervisor's board (everyone's usual), then an agent's "My day" (their own).
        times = {who: _measure(url, args.runs, who) for who in ("sue-a", "a000")}
    result: dict[str, Any] = {
        "agents_per_team": args.agents,
        "per_day": args.per_day,
        "conversations": conversations,
        "replies": conversations * args.replies,
        "runs": args.runs,
        "load_average": round(os.getloadavg()[0], 2),
        "supervisor": _figures(times["sue-a"]),
        "agent": _figures(times["a000"]),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{conversations:,} conversations and {result['replies']:,} replies over 30 days "
          f"(2 teams of {args.agents}, {args.per_day} a day each), {args.runs} runs "
          f"(load {result['load_average']}):")  # fmt: skip
    for who in ("supervisor", "agent"):
        r = result[who]
        print(f"  {who}: first {r['first_ms']} ms, then p50 {r['p50_ms']} ms, "
              f"p99 {r['p99_ms']} ms")  # fmt: skip


if __name__ == "__main__":
    main()
