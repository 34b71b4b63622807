"""What one volume-anomaly check costs the team server: the time of ``AnomalyWatch.check`` over
29 days of stored intakes (real migrations, SQLite file), spread over teams and accounts.

    python benchmarks/anomaly_check.py [--per-day 20000] [--teams 5] [--repeat 5] [--json]

The first check also finds each team's first intake (once per process); the later ones are what
the server pays every minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from relaydesk.server.anomalies import AnomalyWatch
from relaydesk.server.app import create_app
from relaydesk.server.models import AccountRow, ContactRow, IntakeRow
from relaydesk.server.settings import ServerSettings

NOW = datetime(2026, 11, 16, 14, 40, tzinfo=UTC).timestamp()  # a Monday, 40 minutes in
DAY_S = 86400.0


async def measure(per_day: int, teams: int, repeat: int) -> dict[str, float | int]:
    folder = Path(tempfile.mkdtemp(prefix="relaydesk-anomaly-bench-"))
    app = create_app(
        ServerSettings(f"sqlite+aiosqlite:///{folder / 'server.db'}", anomaly_check_s=0)
    )
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    state = app.state.relaydesk
    accounts = teams * 4
    rng = random.Random(1)
    rows = []
    for day in range(29):
        midnight = NOW - (28 - day) * DAY_S - (NOW % DAY_S)
        for _ in range(per_day):
            at = midnight + rng.random() * DAY_S
            if at < NOW:
                account = f"a{rng.randrange(accounts)}"
                rows.append(
                    {"contact_id": "c", "account_id": account, "at": at, "returning": False}
                )
    async with state.sessions() as session, session.begin():
        await session.execute(
            insert(AccountRow),
            [
                {"id": f"a{i}", "platform": "whatsapp", "handle": f"+{i}", "team": f"t{i % teams}"}
                for i in range(accounts)
            ],
        )
        await session.execute(
            insert(ContactRow), [{"id": "c", "platform": "whatsapp", "handle": "+c"}]
        )
        for start in range(0, len(rows), 20_000):
            await session.execute(insert(IntakeRow), rows[start : start + 20_000])
    watch = AnomalyWatch()
    times = []
    for _ in range(repeat + 1):
        began = time.perf_counter()
        await watch.check(state, now=NOW)
        times.append((time.perf_counter() - began) * 1000)
    await lifespan.__aexit__(None, None, None)
    return {
        "intakes": len(rows),
        "teams": teams,
        "first_check_ms": round(times[0], 1),
        "check_median_ms": round(statistics.median(times[1:]), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=20_000, help="intakes a day (all teams)")
    parser.add_argument("--teams", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.per_day, args.teams, args.repeat))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{figures['intakes']:,} intakes over 29 days, {figures['teams']} teams")
        print(f"first check   {figures['first_check_ms']:.1f} ms (finds each team's first intake)")
        print(f"each check    {figures['check_median_ms']:.1f} ms (median of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
