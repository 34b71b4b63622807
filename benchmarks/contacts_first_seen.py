"""How long the team server takes to say when the team first saw a batch of contacts.

A real team server (``relaydesk-server run`` on 127.0.0.1 in its own process, temporary SQLite,
real migrations) holds one team with ``--accounts`` WhatsApp accounts and ``--contacts``
contacts, each seen on two of the accounts (two intakes: about twice as many intake rows), plus
another team of the same size whose rows must not be read. An agent's workstation then asks
``--runs`` times about a batch of 500 contacts (the endpoint's limit; half the team has seen,
half unknown), as the intake counter's "team" scope does. Printed: the request time, p50/p99,
and the first request apart (the database's pages not yet cached).

    python benchmarks/contacts_first_seen.py [--accounts 20] [--contacts 100000] [--runs 200]
        [--json]
"""

from __future__ import annotations

import argparse
import asyncio
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


def _setup(url: str, accounts: int) -> tuple[str, dict[str, list[str]]]:
    """Agent ``ana`` of team a; ``accounts`` accounts per team a and b (ana on team a's)."""
    import httpx

    with httpx.Client(base_url=url, timeout=60) as http:
        token = http.post("/v1/auth/login", json={"login": "admin", "password": ADMIN})
        http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        answer = http.post("/v1/agents", json={"login": "ana", "password": AGENT, "team": "a"})
        ana = answer.json()["id"]
        ids: dict[str, list[str]] = {"a": [], "b": []}
        for team in ("a", "b"):
            for n in range(accounts):
                body = {"platform": "whatsapp", "handle": f"+1555{team}{n:04d}", "team": team,
                        "members": [ana] if team == "a" else []}  # fmt: skip
                ids[team].append(http.post("/v1/accounts", json=body).json()["id"])
    return ana, ids


def _fill(db: Path, ids: dict[str, list[str]], contacts: int) -> None:
    """Contacts and intakes written straight into the server's tables (the event path would
    take an hour for this many; what is measured is the read)."""
    rng = random.Random(7)
    now = time.time()
    with sqlite3.connect(db) as conn:
        contact_rows, intake_rows = [], []
        for n in range(contacts):
            cid = f"c{n:012d}"
            contact_rows.append((cid, "whatsapp", f"+4477{n:08d}", "", None, "[]"))
            for team in ("a", "b"):
                for account in rng.sample(ids[team], 2):
                    intake_rows.append((cid, account, None, None,
                                        now - rng.uniform(0, 60 * 86400), False))  # fmt: skip
        conn.executemany(
            "INSERT INTO contacts (id, platform, handle, name, language, tags) "
            "VALUES (?, ?, ?, ?, ?, ?)", contact_rows,
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO intakes (contact_id, account_id, agent_id, link_id, at, is_returning) "
            "VALUES (?, ?, ?, ?, ?, ?)", intake_rows,
        )  # fmt: skip
        conn.commit()


async def _measure(url: str, account: str, contacts: int, runs: int) -> list[float]:
    import httpx

    rng = random.Random(11)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        login = await http.post("/v1/auth/login", json={"login": "ana", "password": AGENT})
        http.headers["Authorization"] = f"Bearer {login.json()['token']}"
        times = []
        for _ in range(runs):
            known = [f"+4477{n:08d}" for n in rng.sample(range(contacts), 250)]
            unknown = [f"+4499{n:08d}" for n in rng.sample(range(contacts), 250)]
            body = {"contacts": [{"account_id": account, "handle": h} for h in known + unknown]}
            start = time.perf_counter()
            answer = await http.post("/v1/contacts/first-seen", json=body)
            times.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text
            assert len(answer.json()["contacts"]) == 250
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with team_server("relaydesk-first-seen-") as (db, url):
        _ana, ids = _setup(url, args.accounts)
        _fill(db, ids, args.contacts)
        times = asyncio.run(_measure(url, ids["a"][0], args.contacts, args.runs))
    first_ms, ms = times[0] * 1000, sorted(t * 1000 for t in times[1:])
    result: dict[str, Any] = {
        "accounts_per_team": args.accounts,
        "contacts": args.contacts,
        "intakes": args.contacts * 4,
        "batch": 500,
        "runs": args.runs,
        "first_ms": round(first_ms, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
        "max_ms": round(ms[-1], 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.contacts:,} contacts, {result['intakes']:,} intakes in 2 teams of "
              f"{args.accounts} accounts; batches of 500 (250 known), {args.runs} runs: "
              f"first {result['first_ms']} ms, then p50 {result['p50_ms']} ms, "
              f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms "
              f"(load {result['load_average']})")  # fmt: skip


if __name__ == "__main__":
    main()
