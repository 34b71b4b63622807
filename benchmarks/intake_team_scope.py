"""What the intake counter's "team" scope adds to a refresh, on the store's thread.

On a copy of ``store_latency.py``'s cached store (100,000 contacts, ~4,900 of them appearing on
its Monday: far more than one agent sees), each run records one new customer's arrival (not
timed), then times what ``IntakeController`` does on the store's thread in the team scope: the
day's contacts (``IntakeLedger.contacts_of``), naming them as the team server does and finding
which to ask (``TeamIntake``; every account linked, the team's answers known for half of them,
no network), each person's earliest time, and the dashboard with ``team_first_seen`` — against
the same dashboard in "all my accounts". Printed: p50 and max of each.

    python benchmarks/intake_team_scope.py [--runs 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from store_latency import NOW, build  # the same store and its Monday afternoon


class _Links:
    def server_account(self, account_id: str) -> str:
        return f"server-{account_id}"


class _Team:  # what TeamIntake reads of team mode for naming contacts
    links = _Links()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from relaydesk.desktop.intake_team import TeamIntake
    from relaydesk.store.intake import DayClock, DedupScope
    from relaydesk.store.intake_events import IntakeLedger
    from relaydesk.store.repository import Store

    cached = Path(tempfile.gettempdir()) / "relaydesk-store-bench" / "store-100000-1000000-v3.db"
    if not cached.exists():
        cached.parent.mkdir(exist_ok=True)
        build(cached, 100_000, 1_000_000)
    with tempfile.TemporaryDirectory(prefix="relaydesk-team-scope-") as folder:
        path = Path(folder) / "store.db"
        shutil.copyfile(cached, path)
        store = Store.open(path)
        ledger, clock = IntakeLedger(store), DayClock()
        mine_ledger = IntakeLedger(store)  # a ledger keeps one scope's day between refreshes
        day = clock.day_of(NOW)
        team = TeamIntake(_Team())  # type: ignore[arg-type]
        people, to_ask = team._plan(ledger.contacts_of(day, day, clock))
        team.book.learn(to_ask, {ref: 1.0 for ref in to_ask[::2]})  # the team saw half first
        ledger.dashboard(NOW, clock, DedupScope.TEAM, 400)  # the usual profile, once a day
        mine_ledger.dashboard(NOW, clock, DedupScope.MY_ACCOUNTS, 400)
        timings: dict[str, list[float]] = {"contacts": [], "plan": [], "times": [], "team": [],
                                           "mine": []}  # fmt: skip
        for n in range(args.runs):
            moment = NOW + timedelta(seconds=n + 1)
            store.ensure_account("bench-new", "whatsapp")
            store.note_arrival("bench-new", f"+1555{n:07d}", "", moment)
            began = time.perf_counter()
            contacts = ledger.contacts_of(day, day, clock)
            read = time.perf_counter()
            people, _to_ask = team._plan(contacts)
            planned = time.perf_counter()
            first_seen = team.times_of(people)
            resolved = time.perf_counter()
            ledger.dashboard(moment, clock, DedupScope.TEAM, 400, team_first_seen=first_seen)
            counted = time.perf_counter()
            mine_ledger.dashboard(moment, clock, DedupScope.MY_ACCOUNTS, 400)
            mine = time.perf_counter()
            for name, spent in (("contacts", read - began), ("plan", planned - read),
                                ("times", resolved - planned), ("team", counted - resolved),
                                ("mine", mine - counted)):  # fmt: skip
                timings[name].append(spent * 1000)
        store.engine.dispose()
    result: dict[str, Any] = {"contacts_today": len(contacts), "runs": args.runs}
    for name, values in timings.items():
        result[f"{name}_p50_ms"] = round(statistics.median(values), 1)
        result[f"{name}_max_ms"] = round(max(values), 1)
    total = [sum(t) for t in zip(*(timings[k] for k in ("contacts", "plan", "times", "team")),
                                  strict=True)]  # fmt: skip
    result["team_refresh_p50_ms"] = round(statistics.median(total), 1)
    result["team_refresh_max_ms"] = round(max(total), 1)
    result["load_average"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(result))
        return
    r = result
    print(
        f"{r['contacts_today']:,} contacts today, {args.runs} refreshes (load {r['load_average']}):"
    )
    print(f"  contacts_of p50 {r['contacts_p50_ms']} ms (max {r['contacts_max_ms']}); naming and "
          f"what to ask {r['plan_p50_ms']} ms ({r['plan_max_ms']}); each person's time "
          f"{r['times_p50_ms']} ms ({r['times_max_ms']})")  # fmt: skip
    print(f"  dashboard, team scope with team_first_seen: p50 {r['team_p50_ms']} ms "
          f"(max {r['team_max_ms']}); all my accounts: p50 {r['mine_p50_ms']} ms "
          f"(max {r['mine_max_ms']})")  # fmt: skip
    print(f"  the team scope's whole refresh on the store's thread: p50 "
          f"{r['team_refresh_p50_ms']} ms, max {r['team_refresh_max_ms']} ms")  # fmt: skip


if __name__ == "__main__":
    main()
