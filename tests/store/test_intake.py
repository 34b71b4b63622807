"""The intake counter: new and returning contacts, day boundary, dedup scope, pace, profile, CSV."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from relaydesk.store.intake import (
    DayClock,
    DayFigures,
    DedupScope,
    count_intake,
    day_figures,
    domain_scope,
    local_hour_starts,
    pace_forecast,
    same_weekdays_before,
    scope_from_setting,
    usual_profile,
)
from relaydesk.store.intake_events import IntakeLedger
from relaydesk.store.repository import Store
from relaydesk.store.views import Appearance

UTC_CLOCK = DayClock()
FOUR_AM = DayClock(boundary=time(4, 0))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def seen(account: str, person: str, moment: datetime) -> Appearance:
    return Appearance(account, 0, person, moment)


def test_a_contact_is_new_on_its_first_day_and_returning_later() -> None:
    appearances = [seen("wa1", "p1", at(23, 9)), seen("wa1", "p1", at(24, 10))]
    counts = count_intake(appearances, {}, UTC_CLOCK, DedupScope.ACCOUNT)
    assert [(c.day.day, c.hour, c.new, c.returning) for c in counts] == [
        (23, 9, 1, 0),
        (24, 10, 0, 1),
    ]


def test_a_contact_counts_once_a_day_in_the_hour_it_first_appeared() -> None:
    appearances = [seen("wa1", "p1", at(23, 9)), seen("wa1", "p1", at(23, 15))]
    counts = count_intake(appearances, {}, UTC_CLOCK, DedupScope.ACCOUNT)
    assert [(c.hour, c.new) for c in counts] == [(9, 1)]


def test_the_day_boundary_keeps_the_night_on_the_evening_s_day() -> None:
    late = seen("wa1", "p1", at(24, 2))  # 02:00 on the 24th, before the 04:00 boundary
    assert FOUR_AM.day_of(late.at) == date(2026, 11, 23)
    counts = count_intake([seen("wa1", "p1", at(23, 20)), late], {}, FOUR_AM, DedupScope.ACCOUNT)
    assert [(c.day.day, c.new, c.returning) for c in counts] == [(23, 1, 0)]


def test_the_day_boundary_is_local_time() -> None:
    clock = DayClock(boundary=time(4, 0), zone=ZoneInfo("Asia/Shanghai"))
    # 19:30 UTC is 03:30 in Shanghai: still the previous working day
    assert clock.day_of(at(23, 19, 30)) == date(2026, 11, 23)
    assert clock.day_of(at(23, 20, 30)) == date(2026, 11, 24)
    assert clock.start_of(date(2026, 11, 24)) == at(23, 20)
    assert clock.hours_in_order()[:2] == [4, 5]


def test_one_person_on_two_accounts_depends_on_the_dedup_scope() -> None:
    appearances = [seen("wa1", "tel:+1", at(23, 9)), seen("tg1", "tel:+1", at(23, 11))]
    per_account = count_intake(appearances, {}, UTC_CLOCK, DedupScope.ACCOUNT)
    mine = count_intake(appearances, {}, UTC_CLOCK, DedupScope.MY_ACCOUNTS)
    assert sum(c.new for c in per_account) == 2
    assert [(c.account_id, c.new) for c in mine] == [("wa1", 1)]


def test_team_first_seen_makes_a_contact_returning() -> None:
    appearances = [seen("wa1", "tel:+1", at(23, 9))]
    counts = count_intake(appearances, {"tel:+1": at(1, 9)}, UTC_CLOCK, DedupScope.TEAM)
    assert [(c.new, c.returning) for c in counts] == [(0, 1)]


def test_day_figures_sum_hours_and_accounts() -> None:
    appearances = [
        seen("wa1", "a", at(23, 9)),
        seen("wa1", "b", at(23, 9, 30)),
        seen("tg1", "c", at(23, 10)),
    ]
    figures = day_figures(
        date(2026, 11, 23), count_intake(appearances, {}, UTC_CLOCK, DedupScope.ACCOUNT)
    )
    assert figures.new_by_hour[9] == 2 and figures.new_by_hour[10] == 1
    assert figures.by_account == {"wa1": (2, 0), "tg1": (1, 0)}
    assert figures.total == 3


def test_usual_profile_is_the_mean_of_the_same_weekday() -> None:
    monday = DayFigures(date(2026, 11, 16), (4,) + (0,) * 23, (2,) + (0,) * 23)
    monday_before = DayFigures(date(2026, 11, 9), (0,) + (0,) * 23, (0,) + (0,) * 23)
    profile = usual_profile([monday, monday_before])
    assert profile[0] == 3.0 and profile[1] == 0.0
    assert usual_profile([]) == (0.0,) * 24


def test_past_weekdays_start_no_earlier_than_the_first_data() -> None:
    days = same_weekdays_before(date(2026, 11, 23), 4, earliest=date(2026, 11, 10))
    assert days == [date(2026, 11, 16)]
    assert same_weekdays_before(date(2026, 11, 23), 4, earliest=None) == []


def _every(minutes: int, start: datetime, end: datetime) -> list[datetime]:
    return [
        start + timedelta(minutes=m)
        for m in range(0, int((end - start).total_seconds() // 60), minutes)
    ]


def test_pace_warns_when_the_threshold_will_be_reached_today() -> None:
    day_start, day_end = at(23, 0), at(24, 0)
    arrivals = _every(1, at(23, 8), at(23, 12))  # 240 contacts, 60 an hour
    forecast = pace_forecast(arrivals, 400, at(23, 12), day_start, day_end)
    assert forecast.count == 240
    assert forecast.per_hour == pytest.approx(60.0)
    assert forecast.warning
    assert forecast.reaches_at == at(23, 14, 40)  # 160 more at 60 an hour


def test_no_warning_when_the_pace_does_not_reach_the_threshold_today() -> None:
    arrivals = _every(30, at(23, 8), at(23, 12))  # 2 an hour
    forecast = pace_forecast(arrivals, 400, at(23, 12), at(23, 0), at(24, 0))
    assert not forecast.warning and forecast.reaches_at is None


def test_a_reached_threshold_is_not_a_warning_any_more() -> None:
    arrivals = _every(1, at(23, 8), at(23, 12))
    forecast = pace_forecast(arrivals, 100, at(23, 12), at(23, 0), at(24, 0))
    assert forecast.reached and not forecast.warning


def test_the_pace_follows_the_recent_hours_not_the_quiet_morning() -> None:
    arrivals = [at(23, 1), *_every(2, at(23, 10), at(23, 12))]  # 30 an hour lately
    forecast = pace_forecast(arrivals, 400, at(23, 12), at(23, 0), at(24, 0))
    assert forecast.per_hour == pytest.approx(30.0)


def test_no_pace_right_after_the_day_begins() -> None:
    forecast = pace_forecast([at(23, 0, 1)], 400, at(23, 0, 5), at(23, 0), at(24, 0))
    assert forecast.per_hour == 0.0 and not forecast.warning


def test_a_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        pace_forecast([], 0, at(23, 9), at(23, 0), at(24, 0))


@pytest.fixture
def ledger(store: Store) -> IntakeLedger:
    # Monday 16 and 23 Nov: a customer on both accounts, one who returns, one silence-break
    store.record_message("wa1", "+5511987654321", "a1", "in", "hi", at(16, 9))
    store.record_message("wa1", "+5511987654321", "a2", "in", "again", at(23, 9))
    store.record_message("tg1", "t1", "b1", "in", "hi", at(23, 10), phone="+5511987654321")
    store.record_message("wa1", "anna", "c1", "in", "hi", at(23, 10, 5))
    store.record_message("wa1", "anna", "c2", "in", "still me", at(23, 10, 20))  # same visit
    store.record_message("wa1", "anna", "c3", "out", "hello", at(23, 10, 21))
    return IntakeLedger(store)


def test_messages_become_counted_appearances(ledger: IntakeLedger) -> None:
    counts = ledger.counts(date(2026, 11, 23), date(2026, 11, 23), UTC_CLOCK, DedupScope.ACCOUNT)
    assert [(c.hour, c.account_id, c.new, c.returning) for c in counts] == [
        (9, "wa1", 0, 1),
        (10, "tg1", 1, 0),
        (10, "wa1", 1, 0),
    ]
    mine = ledger.counts(date(2026, 11, 23), date(2026, 11, 23), UTC_CLOCK, DedupScope.MY_ACCOUNTS)
    assert sum(c.new for c in mine) == 1 and sum(c.returning for c in mine) == 1


def test_the_dashboard_shows_today_against_the_usual_monday(ledger: IntakeLedger) -> None:
    board = ledger.dashboard(at(23, 11), UTC_CLOCK, DedupScope.MY_ACCOUNTS, threshold=400)
    assert board.today.total == 2
    assert board.usual[9] == 1.0  # last Monday's one contact at 09:00
    assert board.pace.count == 2


def test_any_period_exports_to_csv(ledger: IntakeLedger) -> None:
    out = io.StringIO()
    rows = ledger.export_csv(
        date(2026, 11, 16), date(2026, 11, 23), UTC_CLOCK, DedupScope.ACCOUNT, out
    )
    lines = out.getvalue().splitlines()
    assert rows == 4
    assert lines[0] == "day,hour,account,new,returning"
    assert lines[1] == "2026-11-16,09:00,wa1,1,0"
    assert "2026-11-23,10:00,tg1,1,0" in lines


def test_a_period_ending_before_it_starts_is_refused(ledger: IntakeLedger) -> None:
    with pytest.raises(ValueError, match="ends"):
        ledger.counts(date(2026, 11, 23), date(2026, 11, 1), UTC_CLOCK, DedupScope.ACCOUNT)


@pytest.mark.parametrize("scope", list(DedupScope))
def test_the_dashboard_counts_as_the_period_counts_do(
    ledger: IntakeLedger, scope: DedupScope
) -> None:
    day = date(2026, 11, 23)
    board = ledger.dashboard(at(23, 23), FOUR_AM, scope, threshold=400)
    assert board.today == day_figures(day, ledger.counts(day, day, FOUR_AM, scope))


def test_a_daylight_saving_day_has_25_clock_hours() -> None:
    clock = DayClock(boundary=time(0), zone=ZoneInfo("America/New_York"))
    starts, hours = local_hour_starts(date(2026, 11, 1), clock)
    assert len(starts) == 25
    assert hours[:3] == [0, 1, 1]  # 01:00 happens twice


def test_the_team_s_first_sight_makes_todays_new_contact_returning(ledger: IntakeLedger) -> None:
    day = date(2026, 11, 23)
    alone = ledger.day(day, UTC_CLOCK, DedupScope.TEAM)
    with_team = ledger.day(day, UTC_CLOCK, DedupScope.TEAM, {"acct:wa1:anna": at(2, 9)})
    assert (alone.new, alone.returning) == (1, 1)
    assert (with_team.new, with_team.returning) == (0, 2)


@pytest.mark.parametrize(
    ("spelling", "scope"),
    [
        ("account", DedupScope.ACCOUNT),
        ("all_accounts", DedupScope.MY_ACCOUNTS),  # the settings file
        ("my_accounts", DedupScope.MY_ACCOUNTS),  # the store
        ("agent", DedupScope.MY_ACCOUNTS),  # relaydesk.domain.intake
        ("team", DedupScope.TEAM),
    ],
)
def test_every_spelling_of_a_dedup_scope_maps_to_one_scope(spelling: str, scope: object) -> None:
    assert scope_from_setting(spelling) is scope


def test_every_dedup_scope_setting_has_a_store_and_a_domain_scope() -> None:
    from relaydesk.desktop.settings import choices
    from relaydesk.domain.intake import DedupScope as DomainScope

    for value in choices("intake_dedup_scope"):
        DomainScope(domain_scope(scope_from_setting(value)))  # raises if it has no counterpart
    assert domain_scope(DedupScope.MY_ACCOUNTS) == DomainScope.AGENT
    with pytest.raises(ValueError, match="unknown intake dedup scope 'everyone'"):
        scope_from_setting("everyone")


def test_a_threshold_of_zero_turns_the_pace_warning_off(ledger: IntakeLedger) -> None:
    board = ledger.dashboard(at(23, 12), UTC_CLOCK, DedupScope.ACCOUNT, threshold=0)
    assert board.pace is None
    assert ledger.dashboard(at(23, 12), UTC_CLOCK, DedupScope.ACCOUNT, threshold=5).pace


def test_the_dashboard_counts_new_arrivals_between_refreshes(store: Store) -> None:
    ledger = IntakeLedger(store)
    store.record_message("wa1", "anna", "a1", "in", "hi", at(23, 9))
    first = ledger.dashboard(at(23, 12), UTC_CLOCK, DedupScope.MY_ACCOUNTS, 0).today
    store.record_message("tg1", "ben", "b1", "in", "hi", at(23, 10))
    store.record_message("wa1", "anna", "a2", "in", "back", at(23, 11))  # same day: once
    second = ledger.dashboard(at(23, 12), UTC_CLOCK, DedupScope.MY_ACCOUNTS, 0).today
    assert (first.total, second.total) == (1, 2)
    assert second == IntakeLedger(store).day(at(23, 12).date(), UTC_CLOCK, DedupScope.MY_ACCOUNTS)


def test_the_dashboard_follows_a_contact_joining_another_person(store: Store) -> None:
    ledger = IntakeLedger(store)
    store.record_message("wa1", "+5511987654321", "a1", "in", "hi", at(23, 9))
    store.record_message("tg1", "tg-7", "b1", "in", "hi", at(23, 10))
    assert ledger.dashboard(at(23, 12), UTC_CLOCK, DedupScope.MY_ACCOUNTS, 0).today.total == 2
    store.record_message("tg1", "tg-7", "b2", "in", "me", at(23, 10, 40), phone="+5511987654321")
    board = ledger.dashboard(at(23, 12), UTC_CLOCK, DedupScope.MY_ACCOUNTS, 0).today
    assert board.total == 1 and board.by_account == {"wa1": (1, 0)}
