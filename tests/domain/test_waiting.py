"""The expected wait of a waiting customer: queue position, throughput, the owner's pace, and
the rounding a customer reads."""

from __future__ import annotations

import math

import pytest

from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Awaiting,
    Conversation,
    ConversationState,
    ReplyStats,
)
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.staffing import regularized_lower_gamma
from relaydesk.domain.waiting import (
    WaitBasis,
    WaitParams,
    customer_wait,
    estimate_assigned,
    estimate_queued,
    estimate_wait,
    gamma_quantile,
    mean_slot_hold_s,
    queue_position,
    reply_interval,
    rounded,
)

NOW = 100_000.0
RULES = RoutingRules()


def queued(cid: str, waited_s: float, priority: int = 0, account: str = "acc") -> Conversation:
    return Conversation(
        cid, account, f"contact-{cid}", NOW - waited_s, priority=priority,
        waiting_since=NOW - waited_s, last_activity_at=NOW - waited_s,
    )  # fmt: skip


def agent(aid: str, capacity: int = 3, status: AgentStatus = AgentStatus.ONLINE,
          accounts: frozenset[str] = frozenset({"acc"}), **kw: object) -> Agent:  # fmt: skip
    return Agent(aid, capacity=capacity, status=status, accounts=accounts, **kw)  # type: ignore[arg-type]


def owned(cid: str, waited_s: float, awaiting: Awaiting = Awaiting.AGENT) -> Conversation:
    c = queued(cid, waited_s)
    c.state, c.owner_id, c.awaiting = ConversationState.ASSIGNED, "a", awaiting
    return c


# ---------------------------------------------------------------- the time until k events


def test_gamma_quantile_of_one_event_is_the_exponential_quantile() -> None:
    rate = 1 / 120
    for q in (0.25, 0.5, 0.9):
        assert gamma_quantile(1, rate, q) == pytest.approx(-math.log(1 - q) / rate, rel=1e-9)


def test_gamma_quantile_inverts_the_distribution() -> None:
    t = gamma_quantile(7, 0.01, 0.9)
    assert regularized_lower_gamma(7, 0.01 * t) == pytest.approx(0.9, abs=1e-9)
    assert gamma_quantile(7, 0.01, 0.25) < 7 / 0.01 < t  # mean between the two ends


def test_gamma_quantile_refuses_nonsense() -> None:
    for k, rate, q in ((0, 1.0, 0.5), (1, 0.0, 0.5), (1, 1.0, 1.0)):
        with pytest.raises(ValueError):
            gamma_quantile(k, rate, q)


# ---------------------------------------------------------------- queued


def test_queue_position_follows_routing_queue_order() -> None:
    old, new, vip = queued("old", 300), queued("new", 30), queued("vip", 10, priority=2)
    queue = [old, new, vip]
    # vip: 10 s waited + 2 levels × 600 s credit beats 300 s waited
    assert queue_position(vip, queue, RULES, NOW) == 1
    assert queue_position(old, queue, RULES, NOW) == 2
    assert queue_position(new, queue, RULES, NOW) == 3


def test_queue_position_counts_only_conversations_the_same_agents_compete_for() -> None:
    mine, elsewhere = queued("mine", 10), queued("elsewhere", 500, account="other")
    serving = [agent("a")]  # serves "acc" only
    assert queue_position(mine, [elsewhere, mine], RULES, NOW, serving) == 1
    assert queue_position(mine, [elsewhere, mine], RULES, NOW) == 2


def test_nobody_online_is_said_and_no_number_is_made_up() -> None:
    conv = queued("c", 60)
    for agents in (
        [],
        [agent("a", status=AgentStatus.OFFLINE)],
        [agent("a", accounts=frozenset())],
    ):
        estimate = estimate_queued(conv, [conv], agents, RULES, NOW)
        assert estimate.must_wait
        assert estimate.basis is WaitBasis.NOBODY_ONLINE
        assert estimate.expected_s is None and estimate.low_s is None and estimate.high_s is None
        assert rounded(estimate) is None


def test_queued_wait_from_slots_freeing() -> None:
    # 2 agents × capacity 3, a slot held 600 s: 6 / 600 = one slot per 100 s; position 3.
    queue = [queued("a", 300), queued("b", 200), queued("c", 100)]
    estimate = estimate_queued(queue[2], queue, [agent("x"), agent("y")], RULES, NOW, handle_s=600)
    assert estimate.basis is WaitBasis.QUEUE and estimate.must_wait and estimate.measured
    assert estimate.position == 3
    assert estimate.expected_s == pytest.approx(300.0)
    assert estimate.low_s is not None and estimate.high_s is not None
    assert estimate.low_s < 300.0 < estimate.high_s
    assert estimate.high_s == pytest.approx(gamma_quantile(3, 0.01, 0.9))


def test_more_agents_or_later_in_line_changes_the_wait_the_right_way() -> None:
    queue = [queued(str(i), 500 - i) for i in range(6)]
    last = queue[-1]
    one = estimate_queued(last, queue, [agent("x")], RULES, NOW, handle_s=600)
    two = estimate_queued(last, queue, [agent("x"), agent("y")], RULES, NOW, handle_s=600)
    first = estimate_queued(queue[0], queue, [agent("x")], RULES, NOW, handle_s=600)
    assert one.expected_s is not None and two.expected_s is not None
    assert first.expected_s is not None
    assert two.expected_s == pytest.approx(one.expected_s / 2)
    assert first.expected_s < one.expected_s


def test_slower_agents_free_slots_later_and_the_reply_after_assignment_is_added() -> None:
    def team(ema_a: float, ema_b: float) -> list[Agent]:
        return [
            agent("x", reply_stats=ReplyStats(ema_a, 10)),
            agent("y", reply_stats=ReplyStats(ema_b, 10)),
        ]

    conv = queued("c", 60)
    even = estimate_queued(conv, [conv], team(60, 60), RULES, NOW, handle_s=600)
    # team mean 75 s: x's factor √(30/75) = 0.63 is held at the 0.75 floor, y's √(120/75) = 1.26
    uneven = estimate_queued(conv, [conv], team(30, 120), RULES, NOW, handle_s=600)
    assert even.expected_s == pytest.approx(600 / 6 + 60)  # one slot per 100 s, then 60 s reply
    assert uneven.expected_s is not None and even.expected_s is not None
    rate = 3 / (600 * 0.75) + 3 / (600 * (120 / 75) ** 0.5)
    assert uneven.expected_s == pytest.approx(1 / rate + 75)


def test_unmeasured_hold_time_falls_back_to_the_default_and_says_so() -> None:
    conv = queued("c", 60)
    estimate = estimate_queued(conv, [conv], [agent("x")], RULES, NOW)
    assert not estimate.measured
    assert estimate.expected_s == pytest.approx(WaitParams().default_handle_s / 3)


def test_language_requirement_counts_agents_who_will_serve_it_after_relaxing() -> None:
    conv = queued("c", 10)
    conv.language = "ar"
    estimate = estimate_queued(conv, [conv], [agent("x", languages=frozenset({"en"}))], RULES, NOW)
    assert estimate.basis is WaitBasis.QUEUE  # relaxed within 2 × skill_relax_s: x will take it


def test_mean_slot_hold_ends_at_idleness() -> None:
    # 0→300 closed while active; 0→3000 but quiet since 100: the slot freed at 100 + 600
    assert mean_slot_hold_s([(0, 300, 250), (0, 3000, 100)], 600) == pytest.approx(500)
    assert mean_slot_hold_s([], 600) is None


# ---------------------------------------------------------------- assigned


def test_assigned_position_among_the_owners_waiting_conversations() -> None:
    a, b, c = owned("a", 400), owned("b", 200), owned("c", 50)
    answered = owned("done", 900, awaiting=Awaiting.CUSTOMER)
    owner = agent("a")
    estimate = estimate_assigned(c, owner, [a, b, c, answered], RULES, NOW, reply_interval_s=60)
    assert estimate.basis is WaitBasis.AGENT and estimate.must_wait and estimate.measured
    assert estimate.position == 3
    assert estimate.expected_s == pytest.approx(180)
    assert estimate.high_s == pytest.approx(gamma_quantile(3, 1 / 60, 0.9))


def test_first_in_the_owners_line_need_not_wait() -> None:
    a = owned("a", 400)
    estimate = estimate_assigned(a, agent("a"), [a, owned("b", 100)], RULES, NOW)
    assert not estimate.must_wait and estimate.position == 1


def test_owner_away_is_said_without_a_number() -> None:
    a, b = owned("a", 400), owned("b", 100)
    estimate = estimate_assigned(b, agent("a", status=AgentStatus.AWAY), [a, b], RULES, NOW)
    assert estimate.must_wait and estimate.basis is WaitBasis.OWNER_AWAY
    assert estimate.position == 2 and estimate.high_s is None


def test_unmeasured_pace_uses_first_reply_average_then_the_default() -> None:
    a, b = owned("a", 400), owned("b", 100)
    fast = agent("a", reply_stats=ReplyStats(40.0, 5))
    with_ema = estimate_assigned(b, fast, [a, b], RULES, NOW)
    assert with_ema.measured and with_ema.expected_s == pytest.approx(80)
    default = estimate_assigned(b, agent("a"), [a, b], RULES, NOW)
    assert not default.measured
    assert default.expected_s == pytest.approx(2 * WaitParams().default_reply_interval_s)


def test_reply_interval_counts_answers_not_bursts_nor_breaks() -> None:
    replies = [
        (NOW - 2000, "a"), (NOW - 1999, "a"), (NOW - 1998, "a"),  # one answer in three messages
        (NOW - 1940, "b"), (NOW - 1880, "c"), (NOW - 1820, "a"),
        (NOW - 60, "d"),  # after a 29-minute break: not the pace
    ]  # fmt: skip
    assert reply_interval(replies, NOW) == pytest.approx(60)
    assert reply_interval(replies[:4], NOW) is None  # one gap: too few to say
    old = [(NOW - 5000 + i * 60, str(i)) for i in range(10)]
    assert reply_interval(old, NOW) is None  # outside the hour


def test_estimate_wait_by_state() -> None:
    conv = queued("c", 60)
    assert estimate_wait(conv, RULES, NOW, agents=[agent("x")]).basis is WaitBasis.QUEUE
    answered = owned("a", 60, awaiting=Awaiting.CUSTOMER)
    assert estimate_wait(answered, RULES, NOW).basis is WaitBasis.NOT_WAITING
    assert not estimate_wait(answered, RULES, NOW).must_wait
    closed = owned("z", 60)
    closed.state = ConversationState.CLOSED
    assert estimate_wait(closed, RULES, NOW).basis is WaitBasis.NOT_WAITING
    mine = owned("b", 30)
    assert (
        estimate_wait(mine, RULES, NOW, owner=agent("a"), owned=[owned("a", 90), mine]).position
        == 2
    )


# ---------------------------------------------------------------- for the customer


@pytest.mark.parametrize(
    ("low_s", "high_s", "told"),
    [
        (10, 30, (1, 1, "minute")),  # about a minute
        (200, 300, (3, 5, "minute")),
        (240, 300, (5, 5, "minute")),  # about 5 minutes: the low end within 3/4 of the promise
        (600, 880, (10, 15, "minute")),  # 10–15 minutes
        (900, 1800, (15, 30, "minute")),
        (1400, 1800, (30, 30, "minute")),
        (1200, 2700, (20, 45, "minute")),
        (3000, 9000, (1, 3, "hour")),
        (20000, 40000, (4, 12, "hour")),
    ],
)
def test_customer_wait_rounds_to_steps(
    low_s: float, high_s: float, told: tuple[int, int, str]
) -> None:
    wait = customer_wait(low_s, high_s)
    assert (wait.low, wait.high, wait.unit) == told
    assert wait.approximate is (told[0] == told[1])


def test_customer_wait_is_a_promise_kept_and_never_fake_precision() -> None:
    steps = {1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90}
    for high_s in range(1, 5400, 37):
        for low_s in (0, high_s / 3, high_s):
            wait = customer_wait(low_s, high_s)
            factor = 60 if wait.unit == "minute" else 3600
            assert wait.high * factor >= high_s - 1e-6  # the high end never promises less
            if wait.unit == "minute":
                assert {wait.low, wait.high} <= steps
            if wait.approximate:  # "about": the range is within a quarter of the promise
                assert low_s >= 0.75 * wait.high * factor or wait.high == 1
            else:  # the low end never says more than the estimate
                assert wait.low * factor <= max(low_s, factor)


def test_customer_wait_over_a_day_and_bad_ranges() -> None:
    assert customer_wait(80_000, 100_000).over_a_day
    with pytest.raises(ValueError):
        customer_wait(100, 50)
