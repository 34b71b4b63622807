"""Reader for the Anonymous Bank call-center format (Technion SEE Center).

How the trace's rows become contacts at the agent pool:

- arrival is ``q_start`` for queued calls, else ``vru_exit`` (the caller leaves the voice menu and
  reaches an agent directly);
- ``PHANTOM`` rows are ignored, and so are ``HANG`` rows that never entered the queue: those callers
  hung up in the voice menu and never asked for an agent;
- ``HANG`` callers wait at most their ``q_time``; everyone else waits as long as it takes;
- service time is ``ser_time``; where a served row lacks it (and ``ser_start``/``ser_exit`` don't
  give it either), and for callers who hung up but whom a replay answers, it is the mean service
  time of the same queue;
- a served row without an agent (``NO_SERVER``) is still a contact; it just adds no one to rosters;
- times are read on the call's date; a stage earlier than the arrival by more than half a day is on
  the next day (calls crossing midnight).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from relaydesk.sim.trace import (
    DAY_S,
    Trace,
    TraceContact,
    TraceError,
    day_start,
    fill_missing_service,
)

COLUMNS = (
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "q_start",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
)
NOT_APPLICABLE = "0:00:00"
NO_SERVER = "NO_SERVER"
HALF_DAY_S = DAY_S / 2


def looks_like(header: str) -> bool:
    """True for the bank's tab-separated header."""
    names = header.rstrip("\r\n").split("\t")
    return "vru_entry" in names and "outcome" in names


def _clock(value: str, path: Path, line: int, column: str) -> float:
    parts = value.strip().split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        h, m, s = (int(p) for p in parts)
        if not (0 <= h < 24 and 0 <= m < 60 and 0 <= s < 60):
            raise ValueError
    except ValueError:
        raise TraceError(path, line, f"{column} {value!r} is not a time H:MM:SS") from None
    return float(h * 3600 + m * 60 + s)


def _after(clock_s: float, reference_s: float) -> float:
    """``clock_s`` moved to the next day when it reads much earlier than ``reference_s``."""
    return clock_s + DAY_S if clock_s < reference_s - HALF_DAY_S else clock_s


def _int(value: str, path: Path, line: int, column: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise TraceError(path, line, f"{column} {value!r} is not a whole number") from None


def _date(value: str, path: Path, line: int) -> float:
    try:
        day = dt.datetime.strptime(value.strip(), "%y%m%d").date()
    except ValueError:
        raise TraceError(path, line, f"date {value!r} is not a date YYMMDD") from None
    return day_start(day)


def read(path: Path) -> Trace:
    """Read the bank's TSV into contacts at the agent pool (see the module docstring)."""
    contacts: list[TraceContact] = []
    missing_service: set[str] = set()
    skipped = {"phantom": 0, "hung up in the voice menu": 0}
    with path.open("r", encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter="\t")
        absent = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if absent:
            raise TraceError(path, 1, f"missing column(s) {', '.join(absent)}")
        for row in reader:
            line = reader.line_num
            if None in row.values() or None in row:
                raise TraceError(path, line, f"expected {len(reader.fieldnames or ())} fields")
            outcome = row["outcome"].strip()
            queued = row["q_start"].strip() != NOT_APPLICABLE
            if outcome == "PHANTOM":
                skipped["phantom"] += 1
                continue
            if outcome not in ("AGENT", "HANG"):
                raise TraceError(path, line, f"outcome {outcome!r} is not AGENT, HANG or PHANTOM")
            if outcome == "HANG" and not queued:
                skipped["hung up in the voice menu"] += 1
                continue
            midnight = _date(row["date"], path, line)
            entry = _clock(row["vru_entry"], path, line, "vru_entry")
            arrival_column = "q_start" if queued else "vru_exit"
            arrival = _after(_clock(row[arrival_column], path, line, arrival_column), entry)
            # call ids repeat across voice-menu lines; the pair is unique.
            call_id = f"{row['vru+line'].strip()}/{row['call_id'].strip()}"
            customer = row["customer_id"].strip()
            agent = row["server"].strip()
            served = outcome == "AGENT"
            service_start: float | None = None
            service_s = float(_int(row["ser_time"], path, line, "ser_time"))
            if served and row["ser_start"].strip() != NOT_APPLICABLE:
                service_start = _after(_clock(row["ser_start"], path, line, "ser_start"), arrival)
                if service_s <= 0:
                    exit_s = _after(_clock(row["ser_exit"], path, line, "ser_exit"), service_start)
                    service_s = max(0.0, exit_s - service_start)
            if not served or service_s <= 0:
                missing_service.add(call_id)
            patience = float(_int(row["q_time"], path, line, "q_time")) if not served else None
            contacts.append(
                TraceContact(
                    id=call_id,
                    arrival=midnight + arrival,
                    priority=_int(row["priority"], path, line, "priority"),
                    service_s=service_s,
                    customer_id=None if customer in ("", "0") else customer,
                    skill=row["type"].strip() or None,
                    patience_s=patience,
                    agent_id=agent if served and agent and agent != NO_SERVER else None,
                    service_start=None if service_start is None else midnight + service_start,
                )
            )
    if not contacts:
        raise TraceError(path, None, "holds no contacts (only a header, or only ignored rows)")
    filled = fill_missing_service(contacts, missing_service)
    filled.sort(key=lambda c: (c.arrival, c.id))
    return Trace(str(path), tuple(filled), skipped)
