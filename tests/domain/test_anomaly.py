"""Volume anomalies: the usual for a weekday and hour, the stated rule, the partial hour judged
on its pace, and what stands out (link, account, keyword — Chinese and Japanese included)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from relaydesk.domain.anomaly import (
    AnomalyRule,
    Arrival,
    IntakeHistory,
    Usual,
    is_anomalous,
    judge_hour,
    keywords,
    measure,
    scan_day,
    stand_outs,
)

MONDAY = date(2026, 11, 2)


def spread(day: date, hour: int, count: int, minutes: float = 60.0, **fields: str) -> list[Arrival]:
    """``count`` arrivals evenly over the first ``minutes`` of ``hour`` on ``day``."""
    start = datetime(day.year, day.month, day.day, hour)
    step = timedelta(minutes=minutes / max(count, 1))
    return [Arrival(start + i * step, **fields) for i in range(count)]


def weeks(counts: list[int], hour: int = 10) -> IntakeHistory:
    """History of len(counts) weeks: counts[i] arrivals in ``hour`` on the Monday of week i."""
    arrivals = []
    for week, n in enumerate(counts):
        arrivals += spread(MONDAY + timedelta(weeks=week), hour, n, account="shop")
    last = MONDAY + timedelta(weeks=len(counts)) - timedelta(days=1)
    return IntakeHistory(arrivals, MONDAY, last)


def test_the_usual_is_the_same_weekday_and_hour_of_past_weeks() -> None:
    history = weeks([18, 20, 22, 20])
    usual = history.usual(MONDAY + timedelta(weeks=4), 10)
    assert (usual.basis, usual.samples) == ("weekday", 4)
    assert usual.mean == pytest.approx(20.0)
    assert usual.variance == pytest.approx(8 / 3)
    # Tuesdays are covered with nothing at 10:00: a usual of zero, not a fallback.
    tuesday = history.usual(MONDAY + timedelta(weeks=4, days=1), 10)
    assert (tuesday.basis, tuesday.mean) == ("weekday", 0.0)


def test_with_one_week_of_history_the_neighbouring_hours_join_in() -> None:
    arrivals = [*spread(MONDAY, 9, 10), *spread(MONDAY, 10, 20), *spread(MONDAY, 11, 30)]
    history = IntakeHistory(arrivals, MONDAY, MONDAY + timedelta(days=6))
    usual = history.usual(MONDAY + timedelta(weeks=1), 10)
    assert (usual.basis, usual.samples, usual.mean) == ("weekday_nearby_hours", 3, 20.0)
    assert usual.variance == pytest.approx(100.0)


def test_without_that_weekday_all_days_are_used_and_without_history_nothing_is_judged() -> None:
    three_days = [*spread(MONDAY, 10, 10), *spread(MONDAY + timedelta(days=2), 10, 30)]
    history = IntakeHistory(three_days, MONDAY, MONDAY + timedelta(days=2))
    friday = history.usual(MONDAY + timedelta(days=4), 10)
    assert (friday.basis, friday.samples) == ("all_days", 3)
    assert friday.mean == pytest.approx(40 / 3)
    empty = IntakeHistory([], MONDAY, MONDAY)
    assert empty.usual(MONDAY, 10).basis == "none"
    assert not is_anomalous(500, empty.usual(MONDAY, 10), AnomalyRule())


def test_the_rule_needs_the_count_the_ratio_and_the_z_score_together() -> None:
    rule = AnomalyRule(min_count=12, min_ratio=2.5, min_z=6.0)
    steady = Usual(20.0, 4.0, "weekday", 4)
    ratio, z = measure(60, steady)
    assert ratio == 3.0 and z == pytest.approx(40 / 20**0.5)
    assert is_anomalous(60, steady, rule)
    assert not is_anomalous(45, steady, rule)  # 2.25 times: not far enough
    wobbly = Usual(20.0, 400.0, "weekday", 4)  # the days disagree: their spread counts
    assert measure(60, wobbly)[1] == pytest.approx(2.0)
    assert not is_anomalous(60, wobbly, rule)
    quiet = Usual(1.0, 0.0, "weekday", 4)
    assert not is_anomalous(11, quiet, rule)  # 11 times the usual, but fewer than 12
    assert is_anomalous(12, quiet, rule)
    nothing = Usual(0.0, 0.0, "weekday", 4)
    assert measure(12, nothing) == (24.0, 12.0)  # no usual counts as half a contact


@pytest.mark.parametrize(
    "changes",
    [{"min_count": 0}, {"min_ratio": 1.0}, {"min_z": 0.0}, {"min_elapsed_minutes": 0.0}],
)
def test_a_rule_that_would_flag_everything_is_refused(changes: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        AnomalyRule(**changes)  # type: ignore[arg-type]


def test_a_partial_hour_is_judged_on_its_pace_after_the_minimum_time() -> None:
    history = weeks([20, 20, 20, 20])
    today = MONDAY + timedelta(weeks=4)
    start = datetime(today.year, today.month, today.day, 10)
    # 30 contacts in the first 15 minutes, where 5 usually arrive: six times the pace.
    window = spread(today, 10, 30, minutes=15, link="promo")
    assert judge_hour(history, window, start, 9.0) is None  # too early to tell
    verdict = judge_hour(history, window, start, 15.0)
    assert verdict is not None and verdict.partial and verdict.anomalous
    assert verdict.count == 30 and verdict.usual.mean == pytest.approx(5.0)
    assert verdict.stand_out is not None
    assert (verdict.stand_out.dimension, verdict.stand_out.value) == ("link", "promo")
    assert verdict.stand_out.usual == 0.0
    # The same 30 spread over the hour would be only 1.5 times the usual: no warning.
    calm = judge_hour(history, spread(today, 10, 30), start, 60.0)
    assert calm is not None and not calm.anomalous and calm.stand_outs == ()


def test_the_pace_follows_the_usual_shape_of_the_hour() -> None:
    """At 17:00 most contacts usually come in the first 20 minutes (40, then 5 more before the
    team closes). A day like the others is not a surge at 17:20, though a flat pace would make
    it 2.7 times the usual (15 of 45) and 6.5 standard deviations above it."""
    arrivals = []
    for week in range(4):
        day = MONDAY + timedelta(weeks=week)
        arrivals += spread(day, 17, 40, minutes=20) + [
            a for a in spread(day, 17, 15) if a.at.minute >= 20
        ]
    history = IntakeHistory(arrivals, MONDAY, MONDAY + timedelta(weeks=4, days=-1))
    today = MONDAY + timedelta(weeks=4)
    start = datetime(today.year, today.month, today.day, 17)
    verdict = judge_hour(history, spread(today, 17, 40, minutes=20), start, 20)
    assert verdict is not None and verdict.usual.mean == pytest.approx(40.0)
    assert not verdict.anomalous
    flat = Usual(45 * 20 / 60, 0.0, "weekday", 4)
    assert is_anomalous(40, flat, AnomalyRule())  # what a flat pace would have said


def test_scan_day_flags_the_surge_hour_at_its_first_anomalous_minute_only() -> None:
    history = weeks([20, 22, 18, 20])
    today = MONDAY + timedelta(weeks=4)
    ordinary = spread(today, 10, 21) + spread(today, 14, 3)
    surge = spread(today, 14, 80, minutes=20)[5:]  # from 14:05
    hours = scan_day(history, sorted(ordinary + surge, key=lambda a: a.at), today)
    assert len(hours) == 24
    flagged = [h for h in hours if h.anomalous]
    assert [h.hour_start.hour for h in flagged] == [14]
    assert 10 <= flagged[0].elapsed_minutes < 20  # before the surge is over


def test_stand_outs_name_the_value_whose_share_rose_most() -> None:
    usual = [
        *[Arrival(datetime(2026, 11, 2, 10), link="ad-a", account="shop", text="price?")] * 50,
        *[Arrival(datetime(2026, 11, 2, 10), account="support", text="order late")] * 50,
    ]
    window = [
        *[Arrival(datetime(2026, 11, 30, 10), link="ad-a", account="shop", text="price?")] * 10,
        *[Arrival(datetime(2026, 11, 30, 10), account="support", text="app crash login")] * 30,
    ]
    found = stand_outs(window, usual, usual_count=40.0)
    by_dimension = {s.dimension: s for s in found}
    assert set(by_dimension) == {"account", "keyword"}  # ad-a's share fell: not named
    assert by_dimension["account"].value == "support"
    assert by_dimension["account"].count == 30
    assert by_dimension["account"].usual == pytest.approx(20.0)
    assert by_dimension["keyword"].value in {"app", "crash", "login"}
    assert by_dimension["keyword"].usual == 0.0
    assert found[0].dimension == "keyword"  # from nothing to 75 %: the larger rise


def test_a_value_on_fewer_than_three_contacts_never_stands_out() -> None:
    window = [Arrival(datetime(2026, 11, 30, 10), link="rare")] * 2
    assert stand_outs(window, [], usual_count=0.0) == []


def test_keywords_drop_stop_words_and_cut_chinese_and_japanese_into_bigrams() -> None:
    assert keywords("Hello, is my CARD blocked? Thanks") == {"card", "blocked"}
    assert keywords("Olá, quero o código PROMO24") == {"quero", "código", "promo24"}
    assert keywords("信用卡被冻结") == {"信用", "用卡", "卡被", "被冻", "冻结"}
    assert "你好" not in keywords("你好，退款")  # a greeting, not a keyword
    assert keywords("退款") == {"退款"}
    assert keywords("カードが使えません") >= {"カー", "ード", "使え"}
    assert not any(all("\u3040" <= c <= "\u309f" for c in k) for k in keywords("ありがとう"))
    assert keywords(None) == set() and keywords("") == set()


def test_the_bigrams_of_one_phrase_are_named_as_the_phrase() -> None:
    window = [Arrival(datetime(2026, 11, 30, 20), text="你好，我的信用卡被冻结了，怎么办")] * 20
    usual = [Arrival(datetime(2026, 11, 23, 20), text="你好，请问运费多少")] * 40
    found = stand_outs(window, usual, usual_count=10.0)
    assert found[0].dimension == "keyword"
    assert "信用卡被冻结" in found[0].value
    assert found[0].count == 20 and found[0].usual == 0.0
