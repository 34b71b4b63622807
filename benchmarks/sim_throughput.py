"""How fast the simulator replays: contacts simulated per second on a month of the bank trace.

The shipped file holds two weeks (1–14 February 1999); the month is that fortnight twice, the
second copy shifted by 14 days, replayed as one trace (about 32,000 contacts at the agent pool).

    python benchmarks/sim_throughput.py [--policy load_aware] [--repeat 1] [--json]

Data: Anonymous Bank call-center data, Technion SEE Center.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from relaydesk.sim.outcomes import ReplayConfig
from relaydesk.sim.replay import replay
from relaydesk.sim.roster import trace_hourly
from relaydesk.sim.trace import DAY_S, read_trace

TRACE = Path(__file__).resolve().parents[1] / "data" / "anonymous-bank" / "calls-1999-02-01_14.tsv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", default="load_aware")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs (the best is reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    fortnight = read_trace(TRACE)
    month = fortnight.concat(fortnight.shifted(14 * DAY_S, "+14d"))
    roster = trace_hourly(month.contacts)
    read_s = time.perf_counter() - started

    runs = []
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        replay(month.contacts, roster, ReplayConfig(policy=args.policy))
        runs.append(time.perf_counter() - started)
    best = min(runs)
    figures = {
        "policy": args.policy,
        "contacts": len(month.contacts),
        "read_s": round(read_s, 3),
        "replay_s": round(best, 3),
        "contacts_per_s": round(len(month.contacts) / best),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"{figures['contacts']} contacts ({args.policy}) replayed in {best:.2f} s "
            f"(+{read_s:.2f} s reading): {figures['contacts_per_s']} contacts/s",
            file=sys.stdout,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
