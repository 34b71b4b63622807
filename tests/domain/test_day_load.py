"""The load model's day term: a day running above the team's mean ranks an agent later."""

from __future__ import annotations

import pytest

from relaydesk.domain.decisions import Assigned
from relaydesk.domain.engine import Dispatcher
from relaydesk.domain.load import (
    LoadParams,
    agent_load,
    day_term,
    team_day_mean,
    working_day,
)
from relaydesk.domain.models import Agent, AgentStatus, Conversation
from relaydesk.domain.rules import RoutingRules, RulesError, rules_json_schema

P = LoadParams()
ACCOUNT = "acc"
DAY = 86400.0
MORNING = 20 * DAY + 8 * 3600  # 08:00 UTC on some day


def test_no_day_term_below_the_team_mean_or_before_the_minimum() -> None:
    assert P.day_min_mean == 10.0
    assert day_term(9, 9.0, P) == 0.0  # mornings: the team's mean is still small
    assert day_term(18, 9.0, P) == 0.0
    assert day_term(30, 40.0, P) == 0.0  # below the mean is no credit
    assert day_term(40, 40.0, P) == 0.0
    assert day_term(5, None, P) == 0.0


def test_day_term_grows_with_the_ratio_and_is_clamped() -> None:
    assert day_term(60, 40.0, P) == pytest.approx(0.5 * P.day_weight)
    assert day_term(80, 40.0, P) == pytest.approx(P.day_weight)  # twice the mean
    assert day_term(400, 40.0, P) == pytest.approx(P.day_weight * P.day_ratio_cap)
    steep = LoadParams(day_weight=2.0, day_ratio_cap=3.0)
    assert day_term(400, 40.0, steep) == pytest.approx(6.0)


def test_agent_load_adds_the_day_term_to_the_conversations() -> None:
    a = Agent("a", capacity=4, status=AgentStatus.ONLINE)
    plain = agent_load(a, [], MORNING, P)
    heavy = agent_load(a, [], MORNING, P, assigned_today=90, team_mean_today=60.0)
    assert plain.load == 0.0
    assert heavy.load == pytest.approx(0.5)
    assert heavy.ratio == pytest.approx(0.5 / 4)
    assert heavy.slots_used == plain.slots_used == 0  # eligibility is untouched


def test_team_mean_and_working_day_boundary() -> None:
    assert team_day_mean([10, 20, 60]) == 30.0
    assert team_day_mean([]) is None
    assert working_day(MORNING, P) == working_day(MORNING + 15 * 3600, P)
    assert working_day(MORNING + 16 * 3600, P) == working_day(MORNING, P) + 1
    # A team at UTC+8 whose day starts at 04:00 local = 20:00 UTC the day before.
    team = LoadParams(day_starts_at_utc_s=20 * 3600)
    assert working_day(20 * DAY + 19 * 3600, team) == working_day(20 * DAY + 8 * 3600, team)
    assert working_day(20 * DAY + 20 * 3600, team) == working_day(20 * DAY + 8 * 3600, team) + 1


def test_day_parameters_in_the_rules_document() -> None:
    rules = RoutingRules.from_document(
        {"load": {"day_weight": 0.5, "day_min_mean": 20, "day_starts_at_utc_s": 72000}}
    )
    assert (rules.load.day_weight, rules.load.day_min_mean) == (0.5, 20.0)
    assert RoutingRules.from_document(rules.to_document()) == rules
    with pytest.raises(RulesError, match=r"^load.day_starts_at_utc_s: must be less than 86400"):
        RoutingRules.from_document({"load": {"day_starts_at_utc_s": 86400}})
    with pytest.raises(RulesError, match=r"^load.day_ratio_cap: must be at least 0"):
        RoutingRules.from_document({"load": {"day_ratio_cap": -1}})
    props = rules_json_schema()["properties"]["load"]["properties"]
    assert props["day_starts_at_utc_s"]["exclusiveMaximum"] == 86400
    assert props["day_weight"]["default"] == 1.0


def _agent(agent_id: str, status: AgentStatus) -> Agent:
    return Agent(agent_id, capacity=3, status=status, accounts=frozenset({ACCOUNT}))


def _busy_day(rules: RoutingRules) -> tuple[Dispatcher, float]:
    """A took 30 conversations this morning, B 10; B now holds one waiting on the customer."""
    d = Dispatcher(rules)
    d.add_agent(_agent("a", AgentStatus.ONLINE))
    d.add_agent(_agent("b", AgentStatus.OFFLINE))
    now = MORNING
    d.advance(now)
    for i in range(30):
        now += 60
        assert _owner(d.open_conversation(_conv(f"a{i}", now), now)) == "a"
        d.close(f"a{i}", now + 30)
    d.set_status("a", AgentStatus.AWAY, now + 40)
    d.set_status("b", AgentStatus.ONLINE, now + 40)
    for i in range(10):
        now += 60
        assert _owner(d.open_conversation(_conv(f"b{i}", now), now)) == "b"
        if i < 9:
            d.close(f"b{i}", now + 30)
    d.agent_reply("b9", "b", now + 10)  # b9 now waits on the customer: weight 0, one slot
    now += 60
    d.set_status("a", AgentStatus.ONLINE, now)
    return d, now


def _conv(conv_id: str, at: float) -> Conversation:
    return Conversation(conv_id, ACCOUNT, f"contact-{conv_id}", at, waiting_since=at)


def _owner(decisions: list[object]) -> str | None:
    return next((d.agent_id for d in decisions if isinstance(d, Assigned)), None)


def test_router_gives_the_next_one_to_the_agent_with_the_lighter_day() -> None:
    d, now = _busy_day(RoutingRules())
    assert (d.assigned_today("a", now), d.assigned_today("b", now)) == (30, 10)
    # mean 20: A runs at 1.5x → +0.5 load; B's only conversation waits on the customer.
    assert d.load_of("a", now).load == pytest.approx(0.5)
    assert _owner(d.open_conversation(_conv("next", now + 1), now + 1)) == "b"


def test_without_the_day_term_the_busy_agent_would_get_it() -> None:
    d, now = _busy_day(RoutingRules(load=LoadParams(day_weight=0.0)))
    assert _owner(d.open_conversation(_conv("next", now + 1), now + 1)) == "a"


def test_the_count_starts_again_on_the_next_working_day() -> None:
    d, now = _busy_day(RoutingRules())
    tomorrow = (working_day(now, P) + 1) * DAY + 60
    assert d.assigned_today("a", tomorrow) == 0
    assert d.load_of("a", tomorrow).load == 0.0
