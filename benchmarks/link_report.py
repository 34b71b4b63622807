"""How long the team server takes to answer the link report and intake by source over a month.

A real team server (``relaydesk-server run`` on 127.0.0.1 in its own process, temporary SQLite,
real migrations) holds one team with ``--links`` split links over 10 accounts and, over the
last 30 days, ``--conversations`` conversations (each with its first message and intake; a
third came through a link, one in ten returning), ``--clicks-per-intake`` clicks for each link
intake, and another team of the same size whose rows are not the supervisor's. The team's
supervisor then asks ``--runs`` times for the last 30 days: ``/v1/reports/links``,
``/v1/reports/intake?group_by=source`` and, for comparison, ``group_by=day``. Printed per
report: the first request (pages not cached yet), then p50/p99.

    python benchmarks/link_report.py [--conversations 50000] [--links 20] [--runs 20] [--json]
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


def _setup(url: str, links: int) -> dict[str, Any]:
    import httpx

    with httpx.Client(base_url=url, timeout=60) as http:
        token = http.post("/v1/auth/login", json={"login": "admin", "password": ADMIN})
        http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        ids: dict[str, Any] = {"accounts": {}, "links": {}, "agents": {}}
        for team in ("a", "b"):
            body = {"login": f"sue-{team}", "password": AGENT, "team": team, "role": "supervisor"}
            http.post("/v1/agents", json=body)
            agent = {"login": f"ana-{team}", "password": AGENT, "team": team, "capacity": 1000}
            ids["agents"][team] = http.post("/v1/agents", json=agent).json()["id"]
            accounts = []
            for n in range(10):
                account = {"platform": "whatsapp", "handle": f"+1555{team}{n:04d}", "team": team,
                           "members": [ids["agents"][team]]}  # fmt: skip
                accounts.append(http.post("/v1/accounts", json=account).json()["id"])
            ids["accounts"][team] = accounts
            made = []
            for n in range(links):
                link = {
                    "slug": f"{team}-promo-{n}",
                    "team": team,
                    "targets": [{"account_id": a} for a in accounts[n % 10 : n % 10 + 2]],
                }
                made.append(http.post("/v1/links", json=link).json()["id"])  # fmt: skip
            ids["links"][team] = made
    return ids


def _fill(db: Path, ids: dict[str, Any], conversations: int, clicks_per_intake: int) -> None:
    """Rows written straight into the server's tables (the event path would take too long for
    this many; what is measured is the read)."""
    rng = random.Random(7)
    now = time.time()
    with sqlite3.connect(db) as conn:
        columns = conn.execute("PRAGMA table_info(conversations)").fetchall()
        contacts, convs, messages, intakes, clicks = [], [], [], [], []
        for team in ("a", "b"):
            for n in range(conversations):
                cid, conv = f"{team}c{n:010d}", f"{team}v{n:010d}"
                account = rng.choice(ids["accounts"][team])
                link = rng.choice(ids["links"][team]) if rng.random() < 1 / 3 else None
                at = now - rng.uniform(0, 30 * DAY)
                replied = at + rng.uniform(5, 300) if rng.random() < 0.9 else None
                closed = replied is not None and rng.random() < 0.7
                contacts.append((cid, "whatsapp", f"+44{team}{n:09d}", "", None, "[]"))
                row = {"id": conv, "account_id": account, "contact_id": cid,
                       "state": "closed" if closed else "assigned",
                       "owner_id": ids["agents"][team], "opened_at": at,
                       "closed_at": at + 600 if closed else None, "priority": 2 if link else 0,
                       "label": "campaign" if link else "", "source": "link" if link else "organic",
                       "is_returning": False, "link_id": link, "tags": "[]", "complaint": False,
                       "awaiting": "customer", "lapsed_agent_ids": "[]", "auto_handoffs": 0,
                       "first_reply_at": replied, "customer_messages": 1, "agent_messages": 1,
                       "customer_chars_total": 10, "recent_customer_lengths": "[10]"}  # fmt: skip
                for _, name, _type, notnull, default, _pk in columns:
                    if name not in row and notnull and default is None:
                        row[name] = 0  # a column added since: its zero value
                convs.append(row)
                key = hashlib.sha256(f"{conv}".encode()).hexdigest()
                messages.append((key, conv, "customer_message", at))
                returning = rng.random() < 0.1
                intakes.append((cid, account, ids["agents"][team], link, at, returning))
                if link is not None:
                    for k in range(clicks_per_intake):
                        clicks.append((link, account, f"v{team}{n}-{k % 2}", False, at - k))
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
            "INSERT INTO messages (message_key, conversation_id, kind, at) VALUES (?, ?, ?, ?)",
            messages,
        )
        conn.executemany(
            "INSERT INTO intakes (contact_id, account_id, agent_id, link_id, at, is_returning) "
            "VALUES (?, ?, ?, ?, ?, ?)", intakes,
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO clicks (link_id, account_id, visitor, is_returning, at) "
            "VALUES (?, ?, ?, ?, ?)", clicks,
        )  # fmt: skip
        conn.commit()


def _measure(url: str, runs: int) -> dict[str, list[float]]:
    import httpx

    now = time.time()
    period = {"from": now - 30 * DAY, "to": now + 1}
    asks = {
        "links": ("/v1/reports/links", period),
        "intake_by_source": ("/v1/reports/intake", {**period, "group_by": "source"}),
        "intake_by_day": ("/v1/reports/intake", {**period, "group_by": "day"}),
    }
    times: dict[str, list[float]] = {name: [] for name in asks}
    with httpx.Client(base_url=url, timeout=300) as http:
        login = http.post("/v1/auth/login", json={"login": "sue-a", "password": AGENT})
        http.headers["Authorization"] = f"Bearer {login.json()['token']}"
        for _ in range(runs):
            for name, (path, params) in asks.items():
                start = time.perf_counter()
                answer = http.get(path, params=params)
                times[name].append(time.perf_counter() - start)
                assert answer.status_code == 200, answer.text
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50_000)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--clicks-per-intake", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with team_server("relaydesk-link-report-") as (db, url):
        ids = _setup(url, args.links)
        _fill(db, ids, args.conversations, args.clicks_per_intake)
        times = _measure(url, args.runs)
    result: dict[str, Any] = {
        "conversations_per_team": args.conversations,
        "links_per_team": args.links,
        "runs": args.runs,
        "load_average": round(os.getloadavg()[0], 2),
    }
    for name, values in times.items():
        ms = sorted(v * 1000 for v in values[1:])
        result[name] = {
            "first_ms": round(values[0] * 1000, 1),
            "p50_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
        }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.conversations:,} conversations, intakes and first messages per team (2 teams), "
          f"{args.links} links per team, the last 30 days, {args.runs} runs "
          f"(load {result['load_average']}):")  # fmt: skip
    for name in times:
        r = result[name]
        print(f"  {name}: first {r['first_ms']} ms, then p50 {r['p50_ms']} ms, "
              f"p99 {r['p99_ms']} ms")  # fmt: skip


if __name__ == "__main__":
    main()
