"""What one volume-anomaly check costs the team server: the time of ``AnomalyWatch.check`` over
29 days of stored intakes (real migrations, SQLite file), spread over teams and accounts.

    python benchmarks/anomaly_check.py [--per-day 20000] [--teams 5] [--repeat 5]
                                       [--surge N] [--json]

Every intake carries a first message (one of a few everyday phrases). The first check also
finds each team's first intake (once per process); the later ones are what the server pays every
minute. ``--surge N`` adds N intakes to one team's current hour, all asking about a blocked card:
each check then finds the anomaly, reads that team's texts and names the keyword (the warning
is recorded once; the later checks judge and name it again, then find it warned already).
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


PHRASES = [
    "hello, where is my order?",
    "hi, I want to change my address",
    "do you deliver on Sunday",
    "你好，请问什么时候发货",
    "how much is the blue one",
]


async def measure(
    per_day: int, teams: int, repeat: int, surge: int
) -> dict[str, float | int | str]:
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
                text = PHRASES[len(rows) % len(PHRASES)]
                rows.append(
                    {
                        "contact_id": "c",
                        "account_id": account,
                        "at": at,
                        "returning": False,
                        "first_text": text,
                    }
                )
    hour = NOW - NOW % 3600
    for n in range(surge):
        at = hour + (NOW - hour) * n / surge
        text = f"my card is blocked ({n})"
        row = {"contact_id": "c", "account_id": "a0", "at": at, "returning": False}
        rows.append({**row, "first_text": text})
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
        rows.sort(key=lambda row: row["at"])  # the server appends intakes as they come
        for start in range(0, len(rows), 20_000):
            await session.execute(insert(IntakeRow), rows[start : start + 20_000])
    watch = AnomalyWatch()
    watch.texts_cleared_at = NOW  # the hourly clearing is not what is measured
    times = []
    named = None
    # The first check, an hour earlier (no surge there), finds each team's first intake; with
    # --surge the second is the one that warns, the later ones find the hour warned already.
    for moment in [NOW - 3600] + [NOW] * (repeat + 1):
        began = time.perf_counter()
        warned = await watch.check(state, now=moment)
        times.append((time.perf_counter() - began) * 1000)
        if warned:
            named = (warned[0]["stand_outs"] or [{"dimension": "nothing", "value": ""}])[0]
    await lifespan.__aexit__(None, None, None)
    figures: dict[str, float | int | str] = {
        "intakes": len(rows),
        "teams": teams,
        "first_check_ms": round(times[0], 1),
        "check_median_ms": round(statistics.median(times[2:]), 1),
        "surge": surge,
    }
    if surge:
        figures["warning_check_ms"] = round(times[1], 1)
        figures["named"] = f"{named['dimension']} {named['value']}" if named else "no warning"
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=20_000, help="intakes a day (all teams)")
    parser.add_argument("--teams", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--surge", type=int, default=0, help="intakes added to one team's hour")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.per_day, args.teams, args.repeat, args.surge))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{figures['intakes']:,} intakes over 29 days, {figures['teams']} teams", end="")
        print(f", a surge of {args.surge} in one team's hour" if args.surge else "")
        print(f"first check   {figures['first_check_ms']:.1f} ms (finds each team's first intake)")
        if args.surge:
            what = (
                f"reads the team's texts, names {figures['named']}"
                if figures["named"] != "no warning"
                else "no warning: the surge is not far enough above the usual"
            )
            print(f"warning check {figures['warning_check_ms']:.1f} ms ({what})")
        print(f"each check    {figures['check_median_ms']:.1f} ms (median of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
