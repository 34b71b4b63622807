"""What the intake counter's "team" scope adds to a refresh, on the store's thread.

On a copy of ``store_latency.py``'s cached store (100,000 contacts, ~4,900 of them appearing on
its Monday: far more than one agent sees), each run records one new customer's arrival (not
timed), then times what ``IntakeController`` does on the store's thread in the team scope: the
day's contacts (``IntakeLedger.contacts_of``), naming them as the team server does and finding
which to ask (``TeamIntake``; every account linked, the team's answers known for half of them,
no network), each person's earliest time, and the dashboard with ``team_first_seen`` — against
the same dashboard in "all my accounts". Printed: p50 and max of each.

The usual profile's past days (the four past Mondays' contacts) are asked about once a day, in
the background: timed once, on the store's thread, are reading them (``past_contacts``), naming
them and finding which to ask (today's already known are not), each person's earliest time, the
usual counted again with the team's times, and keeping the answers in the store and recalling
them (what a restart reads instead of asking), with how many contacts and requests that is. The
refreshes then pass those times as ``usual_first_seen``, as ``IntakeController`` does.

    python benchmarks/intake_team_scope.py [--runs 100] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
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
    from relaydesk.store.team_first_seen import keep_first_seen, recall_first_seen
    from relaydesk.sync.contacts import MAX_PER_CALL, ContactRef, FirstSeenBook

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
        past: dict[str, Any] = {}
        marks = [time.perf_counter()]
        past_contacts = ledger.past_contacts(NOW.date(), clock)
        marks.append(time.perf_counter())
        past_people, past_to_ask = team._plan(past_contacts)
        marks.append(time.perf_counter())
        past_found = {ref: 2.0 for ref in past_to_ask[::2]}  # the team saw half of them first
        team.book.learn(past_to_ask, past_found)  # on the qasync loop, with the answer
        marks.append(time.perf_counter())
        usual_first_seen = team.times_of(past_people)
        marks.append(time.perf_counter())
        ledger.dashboard(NOW, clock, DedupScope.TEAM, 400, usual_first_seen=usual_first_seen)
        marks.append(time.perf_counter())
        answers = [(r.account_id, r.handle, past_found.get(r)) for r in past_to_ask]
        keep_first_seen(store, "http://team.example", answers, time.time())
        marks.append(time.perf_counter())
        recalled = recall_first_seen(store, "http://team.example", past_to_ask)
        marks.append(time.perf_counter())
        assert len(recalled.seen) + len(recalled.absent) == len(past_to_ask)
        seen = {ContactRef(*c): at for c, at in recalled.seen.items()}
        absent = {ContactRef(*c): 60.0 for c in recalled.absent}
        learning = time.perf_counter()
        FirstSeenBook().recall(seen, absent)  # a restarted book takes them, on the loop
        past["past_recall_on_loop_ms"] = round((time.perf_counter() - learning) * 1000, 1)
        steps = ("read", "plan", "learn", "times", "usual", "keep", "recall")
        for name, (start, end) in zip(steps, itertools.pairwise(marks), strict=True):
            past[f"past_{name}_ms"] = round((end - start) * 1000, 1)
        past["past_contacts"] = len(past_contacts)
        past["past_asked"] = len(past_to_ask)
        past["past_requests"] = math.ceil(len(past_to_ask) / MAX_PER_CALL)
        past["past_work_ms"] = round((marks[5] - marks[0] - (marks[3] - marks[2])) * 1000, 1)
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
            ledger.dashboard(moment, clock, DedupScope.TEAM, 400, team_first_seen=first_seen,
                             usual_first_seen=usual_first_seen)  # fmt: skip
            counted = time.perf_counter()
            mine_ledger.dashboard(moment, clock, DedupScope.MY_ACCOUNTS, 400)
            mine = time.perf_counter()
            for name, spent in (("contacts", read - began), ("plan", planned - read),
                                ("times", resolved - planned), ("team", counted - resolved),
                                ("mine", mine - counted)):  # fmt: skip
                timings[name].append(spent * 1000)
        store.engine.dispose()
    result: dict[str, Any] = {"contacts_today": len(contacts), "runs": args.runs, **past}
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
    print(f"usual's past days, once a day: {r['past_contacts']:,} contacts, "
          f"{r['past_asked']:,} to ask ({r['past_requests']} requests of {MAX_PER_CALL}); "
          f"{r['past_work_ms']} ms on the store's thread (read {r['past_read_ms']}, naming "
          f"{r['past_plan_ms']}, times {r['past_times_ms']}, usual recounted "
          f"{r['past_usual_ms']}); answers kept {r['past_keep_ms']} ms, recalled after a "
          f"restart {r['past_recall_ms']} ms; on the qasync loop: the answer learnt "
          f"{r['past_learn_ms']} ms, the kept ones recalled "
          f"{r['past_recall_on_loop_ms']} ms")  # fmt: skip


if __name__ == "__main__":
    main()
