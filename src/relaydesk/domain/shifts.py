"""Weekly shift schedules in the agent's own time zone, and the handover when a shift ends.

A schedule is a list of intervals on ISO weekdays (1 = Monday) in local wall-clock time; an
interval whose end is not after its start runs past midnight into the next day, and "24:00"
ends at midnight. Touching or overlapping intervals (22:00–24:00 Monday and 00:00–06:00
Tuesday) form one shift. Local times become instants through ``zoneinfo``: a start or end that
falls in a spring-forward gap moves forward by the gap (02:30 in a missing hour is 03:30), and
one in a repeated autumn hour is its first occurrence. Pure: every call takes ``at`` (Unix
seconds); nothing here reads a clock.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from relaydesk.domain.decisions import Decision, HandedOff, Queued
from relaydesk.domain.handoff import release_ownership, take_ownership
from relaydesk.domain.models import Conversation, ConversationState
from relaydesk.domain.routing import Candidate, choose_agent
from relaydesk.domain.rules import RoutingRules

MAX_INTERVALS = 100
# Occurrences are built for local days from a week before ``at`` to two weeks after: a
# shift found touching the far edge has lasted that long and is taken as never ending.
_DAYS_BEFORE = 8
_DAYS_AFTER = 15


class ShiftError(ValueError):
    """A schedule document is invalid; ``field`` is the JSON path of the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ShiftInterval:
    """On ``day`` from ``start`` to ``end``; ``end`` None is midnight (written "24:00")."""

    day: int
    start: time
    end: time | None

    @property
    def crosses_midnight(self) -> bool:
        return self.end is not None and self.end <= self.start


@dataclass(frozen=True, slots=True)
class ShiftPeriod:
    """One concrete shift: ``end`` None when it never ends (on every hour of the week)."""

    start: float
    end: float | None


@dataclass(frozen=True, slots=True)
class ShiftSchedule:
    timezone: str
    intervals: tuple[ShiftInterval, ...]

    @classmethod
    def from_document(cls, doc: object) -> ShiftSchedule:
        """``{"timezone": "Europe/Madrid", "intervals": [{"day": 1, "start": "09:00",
        "end": "17:00"}, …]}``; a mistake raises :class:`ShiftError` naming the field."""
        return _parse(doc)

    def to_document(self) -> dict[str, object]:
        return {
            "timezone": self.timezone,
            "intervals": [
                {"day": i.day, "start": clock_text(i.start), "end": clock_text(i.end)}
                for i in self.intervals
            ],
        }


def clock_text(value: time | None) -> str:
    """A schedule time as written: "HH:MM", "HH:MM:SS" with seconds, "24:00" for midnight."""
    if value is None:
        return "24:00"
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _parse_clock(value: object, path: str, *, allow_midnight_end: bool) -> time | None:
    if not isinstance(value, str):
        raise ShiftError(path, 'must be a time "HH:MM" (or "HH:MM:SS")')
    if allow_midnight_end and value in ("24:00", "24:00:00"):
        return None
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(len(p) == 2 and p.isdigit() for p in parts):
        raise ShiftError(path, 'must be a time "HH:MM" (or "HH:MM:SS")')
    hour, minute, second = (int(p) for p in (*parts, "00")[:3])
    if hour > 23 or minute > 59 or second > 59:
        raise ShiftError(path, "is not a time of day")
    return time(hour, minute, second)


def _parse(doc: object) -> ShiftSchedule:
    if not isinstance(doc, Mapping):
        raise ShiftError("$", "a shift schedule must be a JSON object")
    unknown = set(doc) - {"timezone", "intervals"}
    if unknown:
        raise ShiftError(str(sorted(unknown)[0]), "is not a known schedule field")
    zone = doc.get("timezone")
    if not isinstance(zone, str) or not zone:
        raise ShiftError("timezone", 'must be an IANA time zone name, e.g. "Europe/Madrid"')
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ShiftError("timezone", f"{zone!r} is not a known IANA time zone") from None
    raw = doc.get("intervals")
    if not isinstance(raw, list):
        raise ShiftError("intervals", "must be a list of {day, start, end}")
    if len(raw) > MAX_INTERVALS:
        raise ShiftError("intervals", f"must hold at most {MAX_INTERVALS} intervals")
    intervals = []
    for n, item in enumerate(raw):
        path = f"intervals[{n}]"
        if not isinstance(item, Mapping):
            raise ShiftError(path, "must be an object {day, start, end}")
        extra = set(item) - {"day", "start", "end"}
        if extra:
            raise ShiftError(f"{path}.{sorted(extra)[0]}", "is not a known interval field")
        day = item.get("day")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise ShiftError(f"{path}.day", "must be an ISO weekday, 1 (Monday) to 7 (Sunday)")
        start = _parse_clock(item.get("start"), f"{path}.start", allow_midnight_end=False)
        end = _parse_clock(item.get("end"), f"{path}.end", allow_midnight_end=True)
        assert start is not None
        if end == start:
            raise ShiftError(f"{path}.end", "must differ from the start (an empty shift)")
        intervals.append(ShiftInterval(day, start, end))
    return ShiftSchedule(zone, tuple(intervals))


def _instant(day: date, clock: time, zone: ZoneInfo) -> float:
    return datetime.combine(day, clock, tzinfo=zone).timestamp()


def _occurrences(schedule: ShiftSchedule, at: float) -> tuple[list[tuple[float, float]], float]:
    """Concrete (start, end) pairs around ``at``, merged where they touch; and the far edge."""
    zone = ZoneInfo(schedule.timezone)
    today = datetime.fromtimestamp(at, zone).date()
    first = today - timedelta(days=_DAYS_BEFORE)
    spans: list[tuple[float, float]] = []
    for offset in range(_DAYS_BEFORE + _DAYS_AFTER + 1):
        day = first + timedelta(days=offset)
        for interval in schedule.intervals:
            if interval.day != day.isoweekday():
                continue
            start = _instant(day, interval.start, zone)
            if interval.end is None:
                end = _instant(day + timedelta(days=1), time(0), zone)
            elif interval.crosses_midnight:
                end = _instant(day + timedelta(days=1), interval.end, zone)
            else:
                end = _instant(day, interval.end, zone)
            if end > start:  # a whole interval inside a spring-forward gap is no shift
                spans.append((start, end))
    spans.sort()
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    edge = _instant(first + timedelta(days=_DAYS_BEFORE + _DAYS_AFTER + 1), time(0), zone)
    return merged, edge


def _shift(span: tuple[float, float], edge: float) -> ShiftPeriod:
    return ShiftPeriod(span[0], None if span[1] >= edge else span[1])


def current_shift(schedule: ShiftSchedule, at: float) -> ShiftPeriod | None:
    """The shift under way at ``at`` (start inclusive, end exclusive), or None."""
    spans, edge = _occurrences(schedule, at)
    for span in spans:
        if span[0] <= at < span[1]:
            return _shift(span, edge)
    return None


def on_shift(schedule: ShiftSchedule | None, at: float) -> bool:
    """Is the agent on shift at ``at``? An agent without a schedule always is."""
    return schedule is None or current_shift(schedule, at) is not None


def shift_end(schedule: ShiftSchedule | None, at: float) -> float | None:
    """When the current shift ends; None when off shift, unscheduled, or it never ends."""
    if schedule is None:
        return None
    shift = current_shift(schedule, at)
    return shift.end if shift is not None else None


def next_shift(schedule: ShiftSchedule | None, at: float) -> ShiftPeriod | None:
    """The first shift starting after ``at`` (within two weeks), or None."""
    if schedule is None:
        return None
    spans, edge = _occurrences(schedule, at)
    for span in spans:
        if span[0] > at:
            return _shift(span, edge)
    return None


def next_shift_start(schedule: ShiftSchedule | None, at: float) -> float | None:
    shift = next_shift(schedule, at)
    return shift.start if shift is not None else None


# Fixed English abbreviations: strftime's %a follows the process locale.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def wall_clock(at: float, timezone: str, now: float) -> str:
    """``at`` on the clocks of ``timezone``: "17:00" on the local day of ``now``, else with the
    weekday ("Sat 01:00"), or the date beyond six days ("2026-12-24 09:00")."""
    zone = ZoneInfo(timezone)
    when = datetime.fromtimestamp(at, zone)
    days = (when.date() - datetime.fromtimestamp(now, zone).date()).days
    if days == 0:
        return when.strftime("%H:%M")
    if 0 < days < 7:
        return f"{_WEEKDAYS[when.isoweekday() - 1]} {when:%H:%M}"
    return when.strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- the handover at shift end


def hand_over(
    conv: Conversation,
    candidates: Sequence[Candidate],
    rules: RoutingRules,
    now: float,
    rng: random.Random | None = None,
) -> list[Decision]:
    """Hand one open conversation of an agent whose shift ended to an on-shift colleague.

    ``candidates`` are the agents who may take it (off-shift agents already left out by the
    caller); the leaving agent is never chosen, even when listed. When nobody can take it, it
    is queued. Stickiness is ignored: the previous agent is the one leaving.
    """
    conv_owner = conv.owner_id
    if conv.state is not ConversationState.ASSIGNED or conv_owner is None:
        return []
    release_ownership(conv, now)
    others = [c for c in candidates if c[0].id != conv_owner]
    choice = choose_agent(conv, others, rules, now, rng, sticky=False)
    if choice is None:
        return [
            HandedOff(conv.id, conv_owner, None, now, "shift_end"),
            Queued(conv.id, now, "shift_end"),
        ]
    agent = next(a for a, _ in others if a.id == choice.agent_id)
    return [
        HandedOff(conv.id, conv_owner, agent.id, now, "shift_end"),
        take_ownership(conv, agent, now, "shift_end", rules),
    ]
