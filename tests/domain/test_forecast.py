"""Arrivals forecast (weekday × hour profile) and the overload early warning."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from relaydesk.domain.forecast import (
    ArrivalsProfile,
    forecast_arrivals,
    overload_warnings,
)

MONDAY = date(2026, 11, 2)  # a Monday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def weeks_of_mondays(counts: list[int], hour: int = 9) -> list[datetime]:
    """``counts[i]`` arrivals at ``hour`` on the Monday of week i, plus one arrival each Sunday
    so the history covers whole weeks."""
    out: list[datetime] = []
    for week, n in enumerate(counts):
        monday = MONDAY + timedelta(weeks=week)
        out += [at(monday, hour, m) for m in range(n)]
        out.append(at(monday + timedelta(days=6), 23))
    return out


def test_mean_of_the_same_weekday_and_hour_over_past_weeks() -> None:
    profile = ArrivalsProfile(weeks_of_mondays([10, 20, 30]))
    next_monday = MONDAY + timedelta(weeks=3)
    f = profile.forecast(at(next_monday, 9, 40))
    assert f.start == at(next_monday, 9)
    assert f.arrivals == pytest.approx(20.0)
    assert (f.basis, f.days) == ("weekday", 3)
    # Tuesdays are covered with no arrivals: a forecast of zero, not a fallback.
    tuesday = profile.forecast(at(next_monday + timedelta(days=1), 9))
    assert (tuesday.arrivals, tuesday.basis) == (0.0, "weekday")


def test_a_covered_day_without_arrivals_counts_as_zero() -> None:
    history = weeks_of_mondays([12, 0])
    f = ArrivalsProfile(history).forecast(at(MONDAY + timedelta(weeks=2), 9))
    assert f.arrivals == pytest.approx(6.0)


def test_weekday_without_history_falls_back_to_the_all_days_hour_profile() -> None:
    # Monday 2 Nov to Wednesday 4 Nov: 6, 3 and 0 arrivals at 10:00.
    history = [at(MONDAY, 10, m) for m in range(6)] + [
        at(MONDAY + timedelta(days=1), 10, m) for m in range(3)
    ]
    profile = ArrivalsProfile(history, last_day=MONDAY + timedelta(days=2))
    friday = profile.forecast(at(MONDAY + timedelta(days=4), 10))
    assert (friday.basis, friday.days) == ("all_days", 3)
    assert friday.arrivals == pytest.approx(3.0)


def test_no_history_forecasts_nothing() -> None:
    f = ArrivalsProfile([]).forecast(at(MONDAY, 9))
    assert (f.arrivals, f.basis, f.days) == (0.0, "none", 0)


def test_a_day_has_one_forecast_per_interval_and_half_hours_work() -> None:
    history = [at(MONDAY, 9, 10), at(MONDAY, 9, 40), at(MONDAY, 9, 45)]
    profile = ArrivalsProfile(history, interval_minutes=30)
    day = profile.forecast_day(MONDAY + timedelta(weeks=1))
    assert len(day) == 48
    by_start = {f.start.strftime("%H:%M"): f.arrivals for f in day}
    assert by_start["09:00"] == 1.0 and by_start["09:30"] == 2.0
    assert day[19].arrivals_per_hour == 4.0


def test_forecast_arrivals_runs_consecutive_intervals() -> None:
    history = weeks_of_mondays([4, 4], hour=23)
    out = forecast_arrivals(history, at(MONDAY + timedelta(weeks=2), 22, 15), 3)
    assert [f.start.hour for f in out] == [22, 23, 0]
    assert [f.arrivals for f in out] == [0.0, 4.0, 0.0]


@pytest.mark.parametrize("minutes", [0, -15, 7, 50])
def test_interval_must_divide_a_day(minutes: int) -> None:
    with pytest.raises(ValueError, match="interval_minutes"):
        ArrivalsProfile([], interval_minutes=minutes)


def test_overload_warning_when_forecast_needs_more_than_on_shift() -> None:
    # Issue 2's staffing example: 200 contacts an hour, 180 s, 80 % in 20 s → 14 agents.
    history = [at(MONDAY, 9) + timedelta(seconds=18 * i) for i in range(200)]
    history += [at(MONDAY, 10) + timedelta(seconds=36 * i) for i in range(100)]
    profile = ArrivalsProfile(history)
    day = profile.forecast_day(MONDAY + timedelta(weeks=1))
    rota = {f.start: 10 for f in day}
    warnings = overload_warnings(day, rota, aht_s=180, target_s=20, service_level=0.8)
    assert [w.start.hour for w in warnings] == [9]
    (w,) = warnings
    assert (w.required_agents, w.scheduled_agents, w.on_shift, w.shortfall) == (14, 14, 10, 4)
    # With 30 % shrinkage 20 must be on the rota; a function can give the rota.
    shrunk = overload_warnings(
        day, lambda start: 14, aht_s=180, target_s=20, service_level=0.8, shrinkage=0.3
    )
    assert [(x.start.hour, x.scheduled_agents) for x in shrunk] == [(9, 20)]
    assert overload_warnings(day, {}, aht_s=180, target_s=20, service_level=0.8)[0].on_shift == 0


def test_overload_warning_names_a_bad_figure() -> None:
    day = ArrivalsProfile([at(MONDAY, 9)]).forecast_day(MONDAY)
    with pytest.raises(ValueError, match="aht_s"):
        overload_warnings(day, {}, aht_s=0, target_s=20, service_level=0.8)
    with pytest.raises(ValueError, match="service_level"):
        overload_warnings(day, {}, aht_s=60, target_s=20, service_level=80)
