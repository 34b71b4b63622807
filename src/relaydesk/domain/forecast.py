"""Arrivals forecast per interval from history, and the overload early warning.

The forecast is a day-of-week × time-of-day profile: the arrivals expected in an interval are the
mean of the arrivals in the same weekday and time slot over the days the history covers (a covered
day with no arrivals in that slot counts as a zero, so quiet days pull the mean down). When the
history holds no day of that weekday (say, three days of data), the forecast falls back to the
all-days profile of that time slot; with no history at all it is zero, marked ``basis="none"``.

The overload warning compares what the forecast needs (arrivals × handle time, through
``staffing.required_agents``) with the agents on shift for each interval.

Times are taken as given: pass local wall-clock datetimes (all naive, or all in one time zone)
so that "Monday 09:00" means what the team means by it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from relaydesk.domain.staffing import required_agents

Basis = Literal["weekday", "all_days", "none"]

_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class IntervalForecast:
    """Expected arrivals in ``[start, start + interval)``, averaged over ``days`` days."""

    start: datetime
    interval_minutes: int
    arrivals: float
    basis: Basis
    days: int

    @property
    def arrivals_per_hour(self) -> float:
        return self.arrivals * 60.0 / self.interval_minutes


@dataclass(frozen=True, slots=True)
class OverloadWarning:
    """An interval whose forecast needs more agents than are on shift."""

    start: datetime
    forecast_arrivals: float
    required_agents: int
    scheduled_agents: int
    on_shift: int

    @property
    def shortfall(self) -> int:
        """Agents missing from the rota (``scheduled`` includes shrinkage)."""
        return self.scheduled_agents - self.on_shift


def _check_interval(interval_minutes: int) -> None:
    if interval_minutes <= 0 or _MINUTES_PER_DAY % interval_minutes:
        raise ValueError(
            f"interval_minutes must divide a day (e.g. 15, 30, 60), got {interval_minutes}"
        )


def _slot(moment: datetime, interval_minutes: int) -> int:
    return (moment.hour * 60 + moment.minute) // interval_minutes


class ArrivalsProfile:
    """Weekday × slot arrival counts over the covered days of a history."""

    def __init__(
        self,
        arrivals: Iterable[datetime],
        *,
        interval_minutes: int = 60,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> None:
        """Count ``arrivals`` per weekday and slot. The covered days run from ``first_day`` to
        ``last_day`` inclusive (default: the first and last arrival's dates); arrivals outside
        that span are ignored."""
        _check_interval(interval_minutes)
        self.interval_minutes = interval_minutes
        times = list(arrivals)
        dates = [moment.date() for moment in times]
        start = first_day if first_day is not None else min(dates, default=None)
        end = last_day if last_day is not None else max(dates, default=None)
        if start is not None and end is not None and end < start:
            raise ValueError(f"last_day {end} is before first_day {start}")
        self._by_weekday_slot: Counter[tuple[int, int]] = Counter()
        self._by_slot: Counter[int] = Counter()
        self._days_per_weekday: Counter[int] = Counter()
        self.covered_days = 0
        if start is None or end is None:
            return
        for moment, day in zip(times, dates, strict=True):
            if start <= day <= end:
                slot = _slot(moment, interval_minutes)
                self._by_weekday_slot[(day.weekday(), slot)] += 1
                self._by_slot[slot] += 1
        self.covered_days = (end - start).days + 1
        for offset in range(min(self.covered_days, 7)):
            weekday = (start + timedelta(days=offset)).weekday()
            self._days_per_weekday[weekday] = len(range(offset, self.covered_days, 7))

    def forecast(self, start: datetime) -> IntervalForecast:
        """Expected arrivals in the interval beginning at ``start`` (aligned down to its slot)."""
        slot = _slot(start, self.interval_minutes)
        aligned = datetime.combine(start.date(), time(), start.tzinfo) + timedelta(
            minutes=slot * self.interval_minutes
        )
        weekday = start.weekday()
        days = self._days_per_weekday[weekday]
        if days:
            mean = self._by_weekday_slot[(weekday, slot)] / days
            return IntervalForecast(aligned, self.interval_minutes, mean, "weekday", days)
        if self.covered_days:
            mean = self._by_slot[slot] / self.covered_days
            return IntervalForecast(
                aligned, self.interval_minutes, mean, "all_days", self.covered_days
            )
        return IntervalForecast(aligned, self.interval_minutes, 0.0, "none", 0)

    def forecast_day(self, day: date, zone: tzinfo | None = None) -> list[IntervalForecast]:
        """One forecast per interval of ``day``, midnight first."""
        midnight = datetime.combine(day, time(), zone)
        steps = _MINUTES_PER_DAY // self.interval_minutes
        return [
            self.forecast(midnight + timedelta(minutes=i * self.interval_minutes))
            for i in range(steps)
        ]


def forecast_arrivals(
    history: Iterable[datetime],
    start: datetime,
    intervals: int,
    *,
    interval_minutes: int = 60,
) -> list[IntervalForecast]:
    """Forecast ``intervals`` consecutive intervals from ``start`` using all of ``history``."""
    if intervals < 0:
        raise ValueError(f"intervals must be >= 0, got {intervals}")
    profile = ArrivalsProfile(history, interval_minutes=interval_minutes)
    first = profile.forecast(start).start
    step = timedelta(minutes=interval_minutes)
    return [profile.forecast(first + i * step) for i in range(intervals)]


OnShift = Mapping[datetime, int] | Callable[[datetime], int]


def _on_shift_at(on_shift: OnShift, start: datetime) -> int:
    if callable(on_shift):
        return on_shift(start)
    return on_shift.get(start, 0)


def overload_warnings(
    forecasts: Sequence[IntervalForecast],
    on_shift: OnShift,
    *,
    aht_s: float,
    target_s: float,
    service_level: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_s: float | None = None,
) -> list[OverloadWarning]:
    """Intervals whose forecast load needs more agents (on the rota, after ``shrinkage``) than
    ``on_shift`` holds for the interval's start (a mapping, missing = 0, or a function).

    Raises ValueError naming the bad figure (handle time, service level, …)."""
    warnings: list[OverloadWarning] = []
    for item in forecasts:
        needed = required_agents(
            item.arrivals_per_hour,
            aht_s,
            target_s,
            service_level,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
            patience_s=patience_s,
        )
        present = _on_shift_at(on_shift, item.start)
        if needed.scheduled > present:
            warnings.append(
                OverloadWarning(item.start, item.arrivals, needed.agents, needed.scheduled, present)
            )
    return warnings
