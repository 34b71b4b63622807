"""Intake counting: new and returning contacts per account, hour and working day. Pure Python.

A working day starts at a configurable local time (``DayClock``, e.g. 04:00, so a night shift's
contacts after midnight still count for the evening's day). Each contact is counted once per
working day, in the hour and on the account where it first appeared that day; it is **new** when
that day is its first appearance ever within the dedup scope, **returning** otherwise. The dedup
scope decides who is "the same contact": the same person on this account, on any of my accounts,
or anywhere in the team (the team's first-seen times come from the team server when connected).

The classification and once-a-day counting are ``relaydesk.domain.intake``'s (the team server
counts with the same code); this module adds what the desktop shows on top: local clock hours
and zones (DST days have 23 or 25 hours), the day's figures, the pace, the usual profile, CSV.
"""

from __future__ import annotations

import csv
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import TextIO

from relaydesk.domain import intake as domain
from relaydesk.store.views import Appearance

HOURS = 24


class DedupScope(StrEnum):
    ACCOUNT = "account"  # the same person on this account
    MY_ACCOUNTS = "my_accounts"  # the same person on any of this workstation's accounts
    TEAM = "team"  # anywhere in the team (needs the team server's first-seen times)


# One mapping for the three spellings of the same scopes: the settings file ("all_accounts"),
# the store ("my_accounts") and the domain ("agent": everything this agent's workstation sees).
_SCOPE_SPELLINGS = {
    "account": DedupScope.ACCOUNT,
    "all_accounts": DedupScope.MY_ACCOUNTS,
    "my_accounts": DedupScope.MY_ACCOUNTS,
    "agent": DedupScope.MY_ACCOUNTS,
    "team": DedupScope.TEAM,
}


def scope_from_setting(value: str) -> DedupScope:
    """The store's dedup scope for a settings (or domain) value; a clear error otherwise."""
    try:
        return _SCOPE_SPELLINGS[value]
    except KeyError:
        allowed = ", ".join(sorted(_SCOPE_SPELLINGS))
        raise ValueError(f"unknown intake dedup scope {value!r} (one of {allowed})") from None


def domain_scope(scope: DedupScope) -> str:
    """How ``relaydesk.domain.intake.DedupScope`` spells ``scope``."""
    return {"account": "account", "my_accounts": "agent", "team": "team"}[scope.value]


@dataclass(frozen=True, slots=True)
class DayClock:
    """Where working days begin: ``boundary`` local time in ``zone``."""

    boundary: time = time(0, 0)
    zone: tzinfo = UTC

    def day_of(self, moment: datetime) -> date:
        local = moment.astimezone(self.zone)
        day = local.date()
        return day - timedelta(days=1) if local.time() < self.boundary else day

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, self.boundary, tzinfo=self.zone).astimezone(UTC)

    def end_of(self, day: date) -> datetime:
        return self.start_of(day + timedelta(days=1))

    def hour_of(self, moment: datetime) -> int:
        """The local clock hour (0–23) a moment falls in."""
        return moment.astimezone(self.zone).hour

    def hours_in_order(self) -> list[int]:
        """Clock hours in the order a working day runs through them (from the boundary's hour)."""
        return [(self.boundary.hour + offset) % HOURS for offset in range(HOURS)]


@dataclass(frozen=True, slots=True)
class IntakeCount:
    """New and returning contacts in one clock hour of one working day on one account."""

    day: date
    hour: int
    account_id: str
    new: int
    returning: int


def dedup_key(appearance: Appearance, scope: DedupScope) -> str:
    if scope is DedupScope.ACCOUNT:
        return f"{appearance.account_id}\x1f{appearance.person_key}"
    return appearance.person_key


_GROUP = "\x1f"  # joins account and clock hour into the domain's group id


def _wall_seconds(moment: datetime, clock: DayClock) -> float:
    """``moment``'s local wall-clock time as seconds on a UTC clock: the domain's fixed-offset
    ``DayBoundary`` then cuts working days where the local clock does, on DST days too."""
    return moment.astimezone(clock.zone).replace(tzinfo=UTC).timestamp()


def count_intake(
    appearances: Iterable[Appearance],
    first_seen: Mapping[str, datetime],
    clock: DayClock,
    scope: DedupScope,
) -> list[IntakeCount]:
    """Count ``appearances`` per day, hour and account (see the module docstring), with the
    domain's counting (``relaydesk.domain.intake``): one rule for the server and the desktop.

    ``first_seen`` maps each ``dedup_key`` to its first appearance ever in the scope (earlier
    than the appearances given, or among them); a key missing from it is new on its first day.
    """
    boundary = domain.DayBoundary(clock.boundary.hour * 60 + clock.boundary.minute)
    domain_scope_ = domain.DedupScope(domain_scope(scope))

    def domain_key(key: str) -> str:
        # dedup_key spells "anywhere on my accounts" as the person alone; the domain's agent
        # scope prefixes the agent (one workstation: "").
        return f"{_GROUP}{key}" if scope is DedupScope.MY_ACCOUNTS else key

    # The store's rule: new when the first appearance ever falls on the counted working day.
    # The domain's classifier calls an appearance new when nothing was seen before it, so each
    # known first appearance stands at the very end of its working day.
    known = {
        domain_key(key): boundary.end_of(clock.day_of(moment)) - 1e-3
        for key, moment in first_seen.items()
    }
    seen = [
        domain.Appearance(
            appearance.person_key,
            appearance.account_id,
            _wall_seconds(appearance.at, clock),
            agent_id="",
            link_id=f"{appearance.account_id}{_GROUP}{clock.hour_of(appearance.at)}",
        )
        for appearance in appearances
    ]
    events = domain.classify(seen, domain_scope_, known)
    counts = domain.count_intake(events, boundary, scope=domain_scope_, group_by="link")
    cells = []
    for count in counts:
        account, _, hour = count.group.rpartition(_GROUP)
        cells.append(IntakeCount(count.day, int(hour), account, count.new, count.returning))
    return sorted(cells, key=lambda c: (c.day, c.hour, c.account_id))


@dataclass(frozen=True, slots=True)
class DayFigures:
    """One working day's intake summed over accounts, by clock hour and by account."""

    day: date
    new_by_hour: tuple[int, ...]
    returning_by_hour: tuple[int, ...]
    by_account: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def new(self) -> int:
        return sum(self.new_by_hour)

    @property
    def returning(self) -> int:
        return sum(self.returning_by_hour)

    @property
    def total(self) -> int:
        return self.new + self.returning


def day_figures(day: date, counts: Iterable[IntakeCount]) -> DayFigures:
    new = [0] * HOURS
    returning = [0] * HOURS
    accounts: dict[str, tuple[int, int]] = {}
    for count in counts:
        if count.day != day:
            continue
        new[count.hour] += count.new
        returning[count.hour] += count.returning
        before = accounts.get(count.account_id, (0, 0))
        accounts[count.account_id] = (before[0] + count.new, before[1] + count.returning)
    return DayFigures(day, tuple(new), tuple(returning), accounts)


@dataclass(frozen=True, slots=True)
class DayArrival:
    """A contact's first appearance of one working day, in epoch milliseconds."""

    account_id: str
    key: str  # the dedup key (see ``dedup_key``)
    at_ms: int  # first appearance this day
    first_ever_ms: int  # first appearance ever within the dedup scope


def local_hour_starts(day: date, clock: DayClock) -> tuple[list[int], list[int]]:
    """Epoch-ms starts of each local clock hour of a working day (23 or 25 on DST days) and
    the clock hour each one is."""
    start, end = clock.start_of(day), clock.end_of(day)
    starts: list[int] = []
    hours: list[int] = []
    last: tuple[int, int] | None = None
    moment = start
    while moment < end:  # quarter-hour steps: every time zone's offset is a multiple of 15 min
        local = moment.astimezone(clock.zone)
        mark = (local.hour, local.utcoffset() // timedelta(minutes=1))  # type: ignore[operator]
        if mark != last:
            starts.append(round(moment.timestamp() * 1000))
            hours.append(local.hour)
            last = mark
        moment += timedelta(minutes=15)
    return starts, hours


def count_day(day: date, arrivals: Iterable[DayArrival], clock: DayClock) -> DayFigures:
    """One working day's figures from each counted contact's first appearance that day: the
    same rule as ``count_intake``, on integers, for the dashboard's refresh."""
    starts, hours = local_hour_starts(day, clock)
    day_start = starts[0]
    new = [0] * HOURS
    returning = [0] * HOURS
    accounts: dict[str, list[int]] = {}
    for arrival in arrivals:
        hour = hours[max(0, bisect_right(starts, arrival.at_ms) - 1)]
        column = 0 if arrival.first_ever_ms >= day_start else 1
        (new if column == 0 else returning)[hour] += 1
        accounts.setdefault(arrival.account_id, [0, 0])[column] += 1
    return DayFigures(
        day, tuple(new), tuple(returning), {a: (n, r) for a, (n, r) in accounts.items()}
    )


def usual_profile(past_days: Sequence[DayFigures]) -> tuple[float, ...]:
    """Mean intake per clock hour over ``past_days`` (the same weekday of past weeks)."""
    if not past_days:
        return (0.0,) * HOURS
    return tuple(
        sum(d.new_by_hour[h] + d.returning_by_hour[h] for d in past_days) / len(past_days)
        for h in range(HOURS)
    )


def usual_new_profile(past_days: Sequence[DayFigures]) -> tuple[float, ...]:
    """Mean **new** contacts per clock hour over ``past_days``: the part of the usual that the
    dedup scope changes (in the "team" scope, new to the whole team)."""
    if not past_days:
        return (0.0,) * HOURS
    return tuple(sum(d.new_by_hour[h] for d in past_days) / len(past_days) for h in range(HOURS))


def same_weekdays_before(day: date, weeks: int, earliest: date | None) -> list[date]:
    """The same weekday in each of the past ``weeks`` weeks, not before the first data."""
    days = [day - timedelta(weeks=back) for back in range(1, weeks + 1)]
    return [d for d in days if earliest is not None and d >= earliest]


@dataclass(frozen=True, slots=True)
class PaceForecast:
    """Where today's intake is heading at the current pace."""

    count: int
    threshold: int
    per_hour: float
    reaches_at: datetime | None  # when the threshold is reached at this pace (None: not today)

    @property
    def reached(self) -> bool:
        return self.count >= self.threshold

    @property
    def warning(self) -> bool:
        """Early warning: not there yet, but this pace gets there before the day ends."""
        return not self.reached and self.reaches_at is not None


def pace_forecast(
    arrivals: Sequence[datetime],
    threshold: int,
    now: datetime,
    day_start: datetime,
    day_end: datetime,
    window: timedelta = timedelta(hours=2),
    least_elapsed: timedelta = timedelta(minutes=15),
) -> PaceForecast:
    """Extrapolate today's counted arrivals (one time per contact) to the personal threshold.

    The pace is the arrivals per hour over the last ``window`` (or since the day began, if
    later); with less than ``least_elapsed`` of the day behind us there is no pace yet.
    ``reaches_at`` is set only when the threshold would be reached before ``day_end``.
    """
    if threshold < 1:
        raise ValueError(f"the intake threshold must be at least 1, got {threshold}")
    count = sum(1 for moment in arrivals if day_start <= moment <= now)
    since = max(day_start, now - window)
    elapsed = now - since
    recent = sum(1 for moment in arrivals if since <= moment <= now)
    if elapsed < least_elapsed or recent == 0:
        return PaceForecast(count, threshold, 0.0, None)
    per_hour = recent / (elapsed / timedelta(hours=1))
    if count >= threshold:
        return PaceForecast(count, threshold, per_hour, None)
    reaches_at = now + timedelta(hours=math.ceil((threshold - count) / per_hour * 60) / 60)
    return PaceForecast(count, threshold, per_hour, reaches_at if reaches_at <= day_end else None)


CSV_HEADER = ("day", "hour", "account", "new", "returning")


def write_csv(counts: Iterable[IntakeCount], stream: TextIO) -> int:
    """Write counts as CSV (one row per day, clock hour and account); returns the row count."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    rows = 0
    for count in counts:
        writer.writerow(
            (
                count.day.isoformat(),
                f"{count.hour:02d}:00",
                count.account_id,
                count.new,
                count.returning,
            )
        )
        rows += 1
    return rows
