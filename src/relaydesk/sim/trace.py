"""One contact as a trace shows it, the error for unreadable traces, and format detection.

Readers turn a file into :class:`TraceContact` records on one clock (seconds, wall-clock time read
as if it were UTC, so weekdays and hours of day come out as the trace's own).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

DAY_S = 86_400.0


class TraceError(Exception):
    """A trace the simulator cannot read: names the file, the line and what is wrong."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class TraceContact:
    """A contact arriving at the agent pool, with what the trace says happened to it.

    ``patience_s`` is how long the customer waits before leaving (``None``: waits as long as it
    takes); ``service_s`` the handling time an agent needs. ``agent_id`` and ``service_start`` are
    what the trace shows (who answered, when), used only to build rosters and skills.
    """

    id: str
    arrival: float
    priority: int
    service_s: float
    customer_id: str | None = None  # None: unidentified, never counted as returning
    skill: str | None = None
    language: str | None = None
    patience_s: float | None = None
    agent_id: str | None = None
    service_start: float | None = None


@dataclass(frozen=True, slots=True)
class Trace:
    """Contacts in arrival order plus what the reader dropped and why (for the report)."""

    path: str
    contacts: tuple[TraceContact, ...]
    skipped: dict[str, int]

    def between(self, start: dt.date | None, end: dt.date | None) -> Trace:
        """Only the contacts arriving on ``start``..``end`` (inclusive, either may be open)."""
        lo = day_start(start) if start else float("-inf")
        hi = day_start(end) + DAY_S if end else float("inf")
        kept = tuple(c for c in self.contacts if lo <= c.arrival < hi)
        return replace(self, contacts=kept)

    def shifted(self, seconds: float, suffix: str) -> Trace:
        """The same contacts ``seconds`` later with ids made distinct by ``suffix``."""
        moved = tuple(
            replace(
                c,
                id=c.id + suffix,
                arrival=c.arrival + seconds,
                service_start=None if c.service_start is None else c.service_start + seconds,
            )
            for c in self.contacts
        )
        return replace(self, contacts=moved)

    def concat(self, other: Trace) -> Trace:
        merged = tuple(sorted(self.contacts + other.contacts, key=lambda c: (c.arrival, c.id)))
        skipped = dict(self.skipped)
        for reason, count in other.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + count
        return Trace(self.path, merged, skipped)


def day_start(day: dt.date) -> float:
    """Seconds of the day's midnight on the trace clock (wall-clock time read as UTC)."""
    return float(calendar.timegm(day.timetuple()))


def as_date(seconds: float) -> dt.date:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date()


def fill_missing_service(contacts: Sequence[TraceContact], missing: set[str]) -> list[TraceContact]:
    """Give contacts whose handling time is unknown (ids in ``missing``) the mean of their queue.

    Falls back to the mean over all known service times; the trace's callers who hung up, and the
    few served rows without a service time, need one when the replay answers them.
    """
    sums: dict[str | None, list[float]] = {}
    for c in contacts:
        if c.id not in missing:
            acc = sums.setdefault(c.skill, [0.0, 0.0])
            acc[0] += c.service_s
            acc[1] += 1
    total = sum(a[0] for a in sums.values())
    count = sum(a[1] for a in sums.values())
    overall = total / count if count else 0.0
    means = {skill: acc[0] / acc[1] for skill, acc in sums.items() if acc[1]}
    return [
        replace(c, service_s=means.get(c.skill, overall)) if c.id in missing else c
        for c in contacts
    ]


def read_trace(path: Path) -> Trace:
    """Read a trace in whichever supported format its header shows."""
    from relaydesk.sim import bank, generic_csv

    try:
        with path.open("r", encoding="utf-8", newline="") as stream:
            header = stream.readline()
    except FileNotFoundError:
        raise TraceError(path, None, "no such file") from None
    except IsADirectoryError:
        raise TraceError(path, None, "is a directory, not a trace file") from None
    except UnicodeDecodeError:
        raise TraceError(path, 1, "not UTF-8 text") from None
    except OSError as exc:
        raise TraceError(path, None, f"cannot be read ({exc.strerror})") from None
    if not header.strip():
        raise TraceError(path, None, "is empty (expected a header row and contacts)")
    if bank.looks_like(header):
        return bank.read(path)
    return generic_csv.read(path)
