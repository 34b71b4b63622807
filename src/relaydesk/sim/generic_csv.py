"""Reader for the simulator's generic CSV trace format (documented in docs/sim.md).

One contact a row, comma-separated, with a header naming the columns (any order):

``arrival``     ISO-8601 date-time (``2024-03-04T09:15:00``, offset optional) or Unix seconds
``contact_id``  the customer; empty or ``0`` for an unidentified one (never counted as returning)
``priority``    whole number, higher is more urgent
``skill``       the queue / skill the contact needs (may be empty)
``language``    the language it needs (may be empty)
``service_s``   handling time in seconds
``patience_s``  how long the customer waits before leaving; empty waits as long as it takes
``agent``       optional: who served it in reality (for ``--roster trace-hourly`` and skills)
``service_start`` optional: when service started (else the roster uses ``arrival``)
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from relaydesk.sim.trace import Trace, TraceContact, TraceError

REQUIRED = ("arrival", "contact_id", "priority", "skill", "language", "service_s", "patience_s")
OPTIONAL = ("agent", "service_start")


def parse_time(value: str, path: Path, line: int, column: str) -> float:
    """ISO-8601 (naive times read as UTC, like the bank trace) or Unix seconds."""
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(seconds):
            return seconds
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise TraceError(
            path, line, f"{column} {value!r} is neither an ISO-8601 time nor Unix seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _seconds(value: str, path: Path, line: int, column: str, *, optional: bool) -> float | None:
    text = value.strip()
    if not text and optional:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise TraceError(path, line, f"{column} {value!r} is not a number of seconds >= 0")
    return seconds


def read(path: Path) -> Trace:
    """Read a generic CSV trace; every row is a contact at the agent pool."""
    contacts: list[TraceContact] = []
    with path.open("r", encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        names = [n.strip() for n in reader.fieldnames or ()]
        reader.fieldnames = names
        absent = [c for c in REQUIRED if c not in names]
        if absent:
            raise TraceError(
                path,
                1,
                f"missing column(s) {', '.join(absent)} (a trace needs {', '.join(REQUIRED)})",
            )
        for index, row in enumerate(reader):
            line = reader.line_num
            if None in row or any(row[c] is None for c in REQUIRED):
                raise TraceError(path, line, f"expected {len(names)} fields")
            try:
                priority = int(row["priority"].strip())
            except ValueError:
                raise TraceError(
                    path, line, f"priority {row['priority']!r} is not a whole number"
                ) from None
            customer = row["contact_id"].strip()
            start_text = (row.get("service_start") or "").strip()
            service = _seconds(row["service_s"], path, line, "service_s", optional=False)
            contacts.append(
                TraceContact(
                    id=f"row{index + 2}",
                    arrival=parse_time(row["arrival"], path, line, "arrival"),
                    priority=priority,
                    service_s=service or 0.0,
                    customer_id=None if customer in ("", "0") else customer,
                    skill=row["skill"].strip() or None,
                    language=row["language"].strip() or None,
                    patience_s=_seconds(row["patience_s"], path, line, "patience_s", optional=True),
                    agent_id=(row.get("agent") or "").strip() or None,
                    service_start=(
                        parse_time(start_text, path, line, "service_start") if start_text else None
                    ),
                )
            )
    if not contacts:
        raise TraceError(path, None, "holds no contacts (only a header)")
    contacts.sort(key=lambda c: (c.arrival, c.id))
    return Trace(str(path), tuple(contacts), {})
