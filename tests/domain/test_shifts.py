"""Weekly shift schedules: boundaries, midnight, the week's wrap, DST, validation, handover."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relaydesk.domain.decisions import Assigned, HandedOff, Queued
from relaydesk.domain.engine import Dispatcher
from relaydesk.domain.load import LoadParams, agent_load
from relaydesk.domain.models import Agent, AgentStatus, Conversation, ConversationState
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.shifts import (
    ShiftError,
    ShiftSchedule,
    current_shift,
    hand_over,
    next_shift,
    next_shift_start,
    on_shift,
    shift_end,
    wall_clock,
)

MADRID = ZoneInfo("Europe/Madrid")


def ts(zone: ZoneInfo, *parts: int) -> float:
    return datetime(*parts, tzinfo=zone).timestamp()  # type: ignore[misc]


def schedule(zone: str, *intervals: tuple[int, str, str]) -> ShiftSchedule:
    return ShiftSchedule.from_document(
        {"timezone": zone, "intervals": [{"day": d, "start": s, "end": e} for d, s, e in intervals]}
    )


# 2026-12-07 is a Monday.
def test_a_day_shift_starts_inclusive_and_ends_exclusive() -> None:
    week = schedule("Europe/Madrid", (1, "09:00", "17:00"))
    assert not on_shift(week, ts(MADRID, 2026, 12, 7, 8, 59, 59))
    assert on_shift(week, ts(MADRID, 2026, 12, 7, 9, 0))
    assert shift_end(week, ts(MADRID, 2026, 12, 7, 12, 0)) == ts(MADRID, 2026, 12, 7, 17, 0)
    assert not on_shift(week, ts(MADRID, 2026, 12, 7, 17, 0))
    assert shift_end(week, ts(MADRID, 2026, 12, 7, 17, 0)) is None
    # Tuesday: off; the next start is next Monday's.
    assert next_shift_start(week, ts(MADRID, 2026, 12, 8, 10, 0)) == ts(MADRID, 2026, 12, 14, 9)


def test_the_time_zone_is_the_agents_own() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    week = schedule("Asia/Shanghai", (1, "09:00", "18:00"))
    at = ts(shanghai, 2026, 12, 7, 9, 30)  # 01:30 UTC, 02:30 in Madrid
    assert on_shift(week, at)
    assert not on_shift(schedule("Europe/Madrid", (1, "09:00", "18:00")), at)


def test_several_intervals_a_day_with_a_lunch_break() -> None:
    week = schedule("Europe/Madrid", (1, "09:00", "13:00"), (1, "14:00", "18:00"))
    assert shift_end(week, ts(MADRID, 2026, 12, 7, 10, 0)) == ts(MADRID, 2026, 12, 7, 13, 0)
    assert not on_shift(week, ts(MADRID, 2026, 12, 7, 13, 30))
    assert next_shift_start(week, ts(MADRID, 2026, 12, 7, 13, 30)) == ts(MADRID, 2026, 12, 7, 14)


def test_a_night_shift_runs_past_midnight_and_the_weeks_end() -> None:
    week = schedule("Europe/Madrid", (7, "22:00", "06:00"))  # Sunday night into Monday
    monday_3am = ts(MADRID, 2026, 12, 7, 3, 0)
    assert on_shift(week, monday_3am)
    assert shift_end(week, monday_3am) == ts(MADRID, 2026, 12, 7, 6, 0)
    assert current_shift(week, monday_3am).start == ts(MADRID, 2026, 12, 6, 22, 0)  # type: ignore[union-attr]
    assert not on_shift(week, ts(MADRID, 2026, 12, 6, 21, 59))


def test_touching_intervals_are_one_shift() -> None:
    week = schedule("Europe/Madrid", (1, "18:00", "24:00"), (2, "00:00", "02:00"))
    assert shift_end(week, ts(MADRID, 2026, 12, 7, 20, 0)) == ts(MADRID, 2026, 12, 8, 2, 0)
    overlapping = schedule("Europe/Madrid", (1, "09:00", "12:00"), (1, "11:00", "15:00"))
    assert shift_end(overlapping, ts(MADRID, 2026, 12, 7, 9, 0)) == ts(MADRID, 2026, 12, 7, 15)


def test_a_night_shift_over_the_spring_forward_lasts_an_hour_less() -> None:
    # Europe/Madrid skips 02:00–03:00 on Sunday 2026-03-29.
    week = schedule("Europe/Madrid", (6, "22:00", "06:00"))
    start = ts(MADRID, 2026, 3, 28, 22, 0)
    period = current_shift(week, start + 60)
    assert period is not None and period.start == start
    assert period.end is not None and period.end - period.start == 7 * 3600


def test_a_night_shift_over_the_autumn_change_lasts_an_hour_more() -> None:
    week = schedule("Europe/Madrid", (6, "22:00", "06:00"))  # 2026-10-25 repeats 02:00–03:00
    period = current_shift(week, ts(MADRID, 2026, 10, 24, 23, 0))
    assert period is not None and period.end is not None
    assert period.end - period.start == 9 * 3600


def test_a_start_in_the_missing_hour_moves_forward_by_the_gap() -> None:
    week = schedule("Europe/Madrid", (7, "02:30", "08:00"))
    starts = next_shift_start(week, ts(MADRID, 2026, 3, 28, 12, 0))
    assert starts == datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("UTC")).timestamp()
    assert datetime.fromtimestamp(starts, MADRID).hour == 3  # 03:30 local


def test_a_schedule_on_every_hour_never_ends_and_no_schedule_is_always_on() -> None:
    always = schedule("UTC", *((d, "00:00", "24:00") for d in range(1, 8)))
    at = ts(MADRID, 2026, 12, 9, 12, 0)
    assert on_shift(always, at) and shift_end(always, at) is None
    assert on_shift(None, at) and shift_end(None, at) is None and next_shift(None, at) is None
    never = schedule("UTC")
    assert not on_shift(never, at) and next_shift(never, at) is None


def test_seconds_are_accepted_and_written_back() -> None:
    week = schedule("UTC", (1, "09:00:30", "24:00"))
    assert week.to_document()["intervals"] == [{"day": 1, "start": "09:00:30", "end": "24:00"}]
    assert ShiftSchedule.from_document(week.to_document()) == week


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([], "$"),
        ({"intervals": []}, "timezone"),
        ({"timezone": "Mars/Olympus", "intervals": []}, "timezone"),
        ({"timezone": "UTC"}, "intervals"),
        ({"timezone": "UTC", "intervals": [], "owner": 1}, "owner"),
        ({"timezone": "UTC", "intervals": ["mon"]}, "intervals[0]"),
        ({"timezone": "UTC", "intervals": [{"day": 8, "start": "09:00", "end": "10:00"}]},
         "intervals[0].day"),
        ({"timezone": "UTC", "intervals": [{"day": True, "start": "09:00", "end": "10:00"}]},
         "intervals[0].day"),
        ({"timezone": "UTC", "intervals": [{"day": 1, "start": "9am", "end": "10:00"}]},
         "intervals[0].start"),
        ({"timezone": "UTC", "intervals": [{"day": 1, "start": "09:00", "end": "10:00"},
                                           {"day": 2, "start": "09:00", "end": "25:00"}]},
         "intervals[1].end"),
        ({"timezone": "UTC", "intervals": [{"day": 1, "start": "24:00", "end": "10:00"}]},
         "intervals[0].start"),
        ({"timezone": "UTC", "intervals": [{"day": 1, "start": "10:00", "end": "10:00"}]},
         "intervals[0].end"),
        ({"timezone": "UTC", "intervals": [{"day": 1, "start": "10:00", "end": "11:00",
                                            "break": 5}]},
         "intervals[0].break"),
    ],
)  # fmt: skip
def test_mistakes_name_the_field(doc: Any, field: str) -> None:
    with pytest.raises(ShiftError) as caught:
        ShiftSchedule.from_document(doc)
    assert caught.value.field == field


_clock = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 30]))
_interval = st.tuples(st.integers(1, 7), _clock, _clock).filter(lambda i: i[1] != i[2])
_zone = st.sampled_from(["UTC", "Europe/Madrid", "America/New_York", "Asia/Kolkata"])
# Instants over 2026, including both European and American DST changes.
_at = st.floats(1_767_225_600.0, 1_798_761_600.0)


@settings(max_examples=150, deadline=None)
@given(_zone, st.lists(_interval, max_size=6), _at)
def test_shift_boundaries_agree_with_on_shift(zone: str, intervals: list[Any], at: float) -> None:
    week = schedule(zone, *intervals)
    period = current_shift(week, at)
    assert on_shift(week, at) == (period is not None)
    if period is not None:
        assert period.start <= at
        assert not on_shift(week, period.start - 0.5)
        if period.end is not None:
            assert at < period.end
            assert on_shift(week, period.end - 0.5) and not on_shift(week, period.end)
    upcoming = next_shift(week, at)
    if upcoming is not None:
        assert upcoming.start > at and on_shift(week, upcoming.start)
        assert not on_shift(week, upcoming.start - 0.5)
        if period is None:  # off until then
            assert not on_shift(week, (at + upcoming.start) / 2)
    elif intervals:
        assert period is not None and period.end is None  # on for the next two weeks


@settings(max_examples=60, deadline=None)
@given(st.lists(_interval, min_size=1, max_size=6), _at)
def test_a_weekly_schedule_repeats_every_week_in_utc(intervals: list[Any], at: float) -> None:
    week = schedule("UTC", *intervals)
    assert on_shift(week, at) == on_shift(week, at + timedelta(days=7).total_seconds())


# ---------------------------------------------------------------- the handover


def _agent(agent_id: str) -> Agent:
    return Agent(agent_id, capacity=2, status=AgentStatus.ONLINE, accounts=frozenset({"acc"}))


def _owned_by(agent_id: str) -> Conversation:
    conv = Conversation("c1", "acc", "contact", 0.0, state=ConversationState.ASSIGNED)
    conv.owner_id = agent_id
    conv.returning, conv.previous_agent_id = True, agent_id
    return conv


def test_the_handover_goes_to_a_colleague_never_back_to_the_leaver() -> None:
    leaving, colleague = _agent("ana"), _agent("ben")
    candidates = [(a, agent_load(a, [], 100.0, LoadParams())) for a in (leaving, colleague)]
    conv = _owned_by("ana")
    decisions = hand_over(conv, candidates, RoutingRules(), 100.0)
    assert decisions[0] == HandedOff("c1", "ana", "ben", 100.0, "shift_end")
    assert isinstance(decisions[1], Assigned) and decisions[1].agent_id == "ben"
    assert conv.owner_id == "ben" and conv.owner_history[-1].reason == "shift_end"


def test_the_handover_queues_when_nobody_else_is_on() -> None:
    leaving = _agent("ana")
    conv = _owned_by("ana")
    candidates = [(leaving, agent_load(leaving, [], 100.0, LoadParams()))]
    decisions = hand_over(conv, candidates, RoutingRules(), 100.0)
    assert [type(d) for d in decisions] == [HandedOff, Queued]
    assert conv.state is ConversationState.QUEUED and conv.owner_id is None
    closed = Conversation("c2", "acc", "contact", 0.0, state=ConversationState.CLOSED)
    assert hand_over(closed, candidates, RoutingRules(), 100.0) == []


def test_the_end_is_told_on_the_clocks_of_the_agents_zone() -> None:
    now = ts(MADRID, 2026, 12, 7, 16, 50)  # a Monday in winter: UTC+1
    assert wall_clock(ts(MADRID, 2026, 12, 7, 17, 0), "Europe/Madrid", now) == "17:00"
    assert wall_clock(ts(MADRID, 2026, 12, 7, 17, 0), "UTC", now) == "16:00"
    summer = ts(MADRID, 2026, 7, 6, 17, 0)  # UTC+2
    assert wall_clock(summer, "Europe/Madrid", summer - 600) == "17:00"
    # Past the local midnight the weekday says which day; beyond the week, the date.
    night = ts(MADRID, 2026, 12, 7, 23, 55)
    assert wall_clock(ts(MADRID, 2026, 12, 8, 0, 5), "Europe/Madrid", night) == "Tue 00:05"
    assert wall_clock(ts(MADRID, 2026, 12, 24, 9, 0), "Europe/Madrid", now) == "2026-12-24 09:00"


def test_the_dispatcher_hands_over_at_shift_end_as_the_server_does() -> None:
    """The simulator's engine: kept ones stay, the others go to who is online or queue."""
    d = Dispatcher(RoutingRules())
    for agent_id, capacity, status in (
        ("ana", 5, AgentStatus.ONLINE),
        ("ben", 1, AgentStatus.OFFLINE),
        ("cy", 1, AgentStatus.OFFLINE),
        ("dee", 5, AgentStatus.OFFLINE),
    ):
        d.add_agent(Agent(agent_id, capacity=capacity, status=status, accounts=frozenset({"acc"})))
    for n in range(4):
        d.open_conversation(Conversation(f"c{n}", "acc", f"contact{n}", float(n)), float(n))
    assert {d.conversations[f"c{n}"].owner_id for n in range(4)} == {"ana"}
    d.set_status("ben", AgentStatus.ONLINE, 10.0)
    d.set_status("cy", AgentStatus.ONLINE, 10.0)

    out = d.end_shift("ana", 20.0, keep=frozenset({"c1"}))
    handed = [x for x in out if isinstance(x, HandedOff)]
    assert [(h.conversation_id, h.to_agent_id, h.reason) for h in handed] == [
        ("c0", "ben", "shift_end"),  # oldest first; a tie goes to the longest idle, then id
        ("c2", "cy", "shift_end"),
        ("c3", None, "shift_end"),  # nobody online has room: queued, never dee (offline)
    ]
    assert d.conversations["c1"].owner_id == "ana"  # kept
    assert [c.id for c in d.queue()] == ["c3"]
    d.open_conversation(Conversation("c9", "acc", "contact9", 21.0), 21.0)
    assert d.conversations["c9"].owner_id is None  # off shift: nothing new for ana
    assert Assigned("c3", "ben", 30.0, "queue") in d.close("c0", 30.0)  # a freed slot takes it
    d.advance(30.0 + 10 * RoutingRules().offline_grace_s)
    assert d.conversations["c1"].owner_id == "ana"  # off shift is not gone: the keep holds
