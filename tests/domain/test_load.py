"""The load model: complexity weights, active conversations, reply speed and recent pace."""

from __future__ import annotations

import pytest

from relaydesk.domain.load import (
    LoadParams,
    agent_load,
    conversation_weight,
    is_active,
    speed_factor,
    takes_slot,
    team_first_reply_s,
)
from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Awaiting,
    Conversation,
    ConversationState,
    ReplyStats,
)

NOW = 5_000.0
P = LoadParams()


def conv(**kw: object) -> Conversation:
    c = Conversation("c", "acc", "contact", NOW - 60, state=ConversationState.ASSIGNED, **kw)  # type: ignore[arg-type]
    c.owner_id = "a"
    if c.last_activity_at is None:
        c.last_activity_at = NOW - 5
    return c


def agent(ema: float | None = None, samples: int = 0, **kw: object) -> Agent:
    a = Agent("a", capacity=3, status=AgentStatus.ONLINE, **kw)  # type: ignore[arg-type]
    a.reply_stats = ReplyStats(ema, samples)
    return a


def test_a_fresh_conversation_weighs_the_base() -> None:
    assert conversation_weight(conv(customer_messages=1), NOW, P) == P.base_weight == 1.0


def test_more_customer_messages_weigh_more_up_to_a_cap() -> None:
    weights = [conversation_weight(conv(customer_messages=n), NOW, P) for n in (1, 3, 11, 50)]
    assert weights == pytest.approx([1.0, 1.1, 1.5, 1.5])


def test_messages_getting_longer_weigh_more() -> None:
    steady = conv(customer_messages=6, recent_customer_lengths=[40] * 6)
    growing = conv(customer_messages=6, recent_customer_lengths=[10, 10, 10, 80, 80, 80])
    shrinking = conv(customer_messages=6, recent_customer_lengths=[80, 80, 80, 10, 10, 10])
    base = conversation_weight(steady, NOW, P)
    assert conversation_weight(growing, NOW, P) > base
    assert conversation_weight(shrinking, NOW, P) == base
    # mean(last 3)=80, mean(all)=45: trend 0.78, times the 0.25 weight
    assert conversation_weight(growing, NOW, P) - base == pytest.approx(0.25 * (80 / 45 - 1))


def test_a_complaint_weighs_more() -> None:
    assert conversation_weight(conv(complaint=True), NOW, P) == 1.5


def test_awaiting_customer_or_idle_over_ten_minutes_is_not_active() -> None:
    waiting_on_customer = conv(awaiting=Awaiting.CUSTOMER)
    idle = conv(last_activity_at=NOW - 600)
    assert not is_active(waiting_on_customer, NOW, P)
    assert conversation_weight(waiting_on_customer, NOW, P) == 0.0
    assert not is_active(idle, NOW, P)
    assert is_active(conv(last_activity_at=NOW - 599), NOW, P)
    # Awaiting the customer still holds a slot; idle does not.
    assert takes_slot(waiting_on_customer, NOW, P)
    assert not takes_slot(idle, NOW, P)


def test_load_sums_active_weights_against_capacity() -> None:
    convs = [conv(), conv(complaint=True), conv(awaiting=Awaiting.CUSTOMER)]
    load = agent_load(agent(), convs, NOW, P)
    assert (load.slots_used, load.capacity) == (3, 3)
    assert load.load == pytest.approx(2.5)
    assert load.ratio == pytest.approx(2.5 / 3)
    assert not load.has_room and not load.over_capacity


def test_slower_agents_carry_more_load_faster_ones_less_within_bounds() -> None:
    team = 60.0
    assert speed_factor(agent(ema=60, samples=5), team, P) == 1.0
    assert speed_factor(agent(ema=240, samples=5), team, P) == 1.5  # √4 = 2, capped at 1.5
    assert speed_factor(agent(ema=90, samples=5), team, P) == pytest.approx((1.5) ** 0.5)
    assert speed_factor(agent(ema=15, samples=5), team, P) == 0.75  # √¼ = 0.5, floored
    assert speed_factor(agent(ema=240, samples=2), team, P) == 1.0  # too few samples yet
    slow = agent_load(agent(ema=240, samples=5), [conv()], NOW, P, team)
    assert slow.load == pytest.approx(1.5)


def test_reply_speed_is_an_exponential_moving_average() -> None:
    stats = ReplyStats()
    stats.record(100.0)
    stats.record(200.0)
    assert stats.first_reply_ema_s == pytest.approx(120.0)
    assert stats.samples == 2
    agents = [agent(ema=100, samples=3), agent(ema=50, samples=3), agent(ema=999, samples=1)]
    assert team_first_reply_s(agents, min_samples=3) == 75.0


def test_assignments_in_the_last_three_minutes_add_pace() -> None:
    a = agent(recent_assignments=[NOW - 200, NOW - 170, NOW - 10])
    load = agent_load(a, [], NOW, P)
    assert P.pace_window_s == 180.0
    assert load.load == pytest.approx(2 * P.pace_weight)


def test_over_capacity_after_more_slots_than_capacity() -> None:
    load = agent_load(agent(), [conv() for _ in range(4)], NOW, P)
    assert load.over_capacity and not load.has_room
