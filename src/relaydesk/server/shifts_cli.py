"""``relaydesk-server set-shifts``: an agent's weekly schedule from the command line.

    relaydesk-server set-shifts --login ana --timezone Europe/Madrid \\
        --shift "mon-fri 09:00-17:00" --shift "sat 10:00-14:00"
    relaydesk-server set-shifts --login ana --file ana.json     # the API's JSON document
    relaydesk-server set-shifts --login ana --clear             # always on shift again

It writes the database directly, through the same code as ``PUT /v1/agents/{id}/shifts``
(the on-shift flag and the shift timers included). Meant for setting a team up; while the
server runs, use the API, which also wakes the scheduler for the new timers at once.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relaydesk.cli import fail

_DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
_SPEC = re.compile(r"^\s*(?P<days>[\w,-]+)\s+(?P<start>[\d:]+)-(?P<end>[\d:]+)\s*$")


def add_parser(
    sub: Any, with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]
) -> None:
    p = with_db(sub.add_parser("set-shifts", help="set (or clear) an agent's weekly shifts"))
    p.add_argument("--login", required=True, help="the agent's login")
    p.add_argument("--timezone", help="IANA time zone of the shifts, e.g. Europe/Madrid")
    p.add_argument(
        "--shift",
        action="append",
        default=[],
        help='"DAYS HH:MM-HH:MM", DAYS like mon-fri, sat,sun or 1-5 (repeatable)',
    )
    p.add_argument("--file", type=Path, help="a JSON schedule {timezone, intervals}")
    p.add_argument("--clear", action="store_true", help="no schedule: always on shift")


def _day(name: str, spec: str) -> int:
    name = name.strip().lower()
    if name.isdigit() and 1 <= int(name) <= 7:
        return int(name)
    if name[:3] in _DAYS:
        return _DAYS[name[:3]]
    raise ValueError(f"--shift {spec!r}: {name!r} is not a weekday (mon…sun or 1…7)")


def _days(text: str, spec: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, last = (_day(x, spec) for x in part.split("-", 1))
            span = (last - first) % 7
            days += [(first - 1 + i) % 7 + 1 for i in range(span + 1)]
        else:
            days.append(_day(part, spec))
    return days


def intervals_from(specs: list[str]) -> list[dict[str, Any]]:
    """``["mon-fri 09:00-17:00"]`` as the schedule document's intervals."""
    out = []
    for spec in specs:
        match = _SPEC.match(spec)
        if match is None:
            raise ValueError(f'--shift {spec!r}: write it as "mon-fri 09:00-17:00"')
        for day in _days(match["days"], spec):
            out.append({"day": day, "start": match["start"], "end": match["end"]})
    return out


def document_from(args: argparse.Namespace) -> dict[str, Any] | None:
    """The schedule the options ask for (None: clear); a mistake is one sentence."""
    if args.clear:
        if args.file or args.shift:
            fail("relaydesk-server", "--clear takes no --shift or --file")
        return None
    if args.file:
        if args.shift:
            fail("relaydesk-server", "give --shift or --file, not both")
        try:
            doc = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            fail("relaydesk-server", f"cannot read {args.file}: {exc}")
        return doc if isinstance(doc, dict) else {"intervals": doc}
    if not args.shift or not args.timezone:
        fail("relaydesk-server", "give --timezone and at least one --shift (or --file, --clear)")
    try:
        return {"timezone": args.timezone, "intervals": intervals_from(args.shift)}
    except ValueError as exc:
        fail("relaydesk-server", str(exc))


async def set_shifts(url: str, login: str, document: dict[str, Any] | None) -> str:
    """Store the schedule for ``login``; a sentence saying where the agent stands now."""
    from sqlalchemy import select

    from relaydesk.domain.rules import RoutingRules
    from relaydesk.domain.shifts import ShiftError, ShiftSchedule, next_shift_start, shift_end
    from relaydesk.server import shifts
    from relaydesk.server.db import make_engine, make_sessionmaker, migrate
    from relaydesk.server.models import AgentRow, RulesRow
    from relaydesk.server.pushes import Outbox
    from relaydesk.server.state import Tx

    try:
        schedule = None if document is None else ShiftSchedule.from_document(document)
    except ShiftError as exc:
        fail("relaydesk-server", f"{exc.field}: {exc.message}")
    await migrate(url)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            agent = await session.scalar(select(AgentRow).where(AgentRow.login == login))
            if agent is None:
                fail("relaydesk-server", f"no agent with the login {login!r}")
            stored = await session.get(RulesRow, 1)
            rules = RoutingRules.from_document(stored.document) if stored else RoutingRules()
            tx = Tx(session, Outbox(session), rules, time.time())
            await shifts.set_schedule(tx, agent, schedule)
            await tx.outbox.write()
            now = tx.now
    finally:
        await engine.dispose()
    if schedule is None:
        return f"{login}: no schedule, always on shift"
    end, start = shift_end(schedule, now), next_shift_start(schedule, now)
    if agent.on_shift:
        until = (
            ""
            if end is None
            else f" until {time.strftime('%Y-%m-%d %H:%M %Z', time.localtime(end))}"
        )
        return f"{login}: on shift now{until}"
    after = (
        ""
        if start is None
        else f", next from {time.strftime('%Y-%m-%d %H:%M %Z', time.localtime(start))}"
    )
    return f"{login}: off shift now{after}"
