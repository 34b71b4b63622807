"""How long a waiting customer will wait: from the queue position and the load model.

Two cases, both a count of events still to happen before the customer is answered:

* **queued** (nobody with room may take it): it needs ``position`` slots to free among the agents
  who may serve it. While every slot is busy, an agent of capacity ``c`` whose conversations hold
  a slot for ``handle_s`` (scaled by the load model's speed factor) frees slots at ``c /
  handle_s`` per second; the whole pool at the sum of those rates, and the ``k``-th free slot
  comes after a Gamma(k, rate) time (the departures of a busy M/M/n queue, Erlang's model; see
  ``staffing.py``). The team's first-reply time is added for the reply after the assignment.
* **assigned** behind others: the owner answers the conversations waiting on them oldest first
  (routing's queue order); at ``position`` k it waits for the owner's k-th reply, Gamma(k, 1 /
  reply interval), the interval measured from the owner's recent replies.

The range is the 25th to the 90th percentile of that time (the upper end a conservative promise),
rounded for customers to steps they read at a glance (``customer_wait``): never "7.3 minutes".
Nobody online to serve it: ``must_wait`` with no figure at all, never a made-up one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from relaydesk.domain.load import LoadParams, speed_factor, team_first_reply_s
from relaydesk.domain.models import Agent, AgentStatus, Awaiting, Conversation, ConversationState
from relaydesk.domain.routing import may_serve, queue_key, relaxation_times
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.staffing import regularized_lower_gamma


@dataclass(frozen=True, slots=True)
class WaitParams:
    """Tunables of the estimate (defaults documented in docs/routing.md)."""

    low_quantile: float = 0.25
    high_quantile: float = 0.9  # the promise: 9 customers in 10 are answered sooner
    default_handle_s: float = 600.0  # a slot's hold time when too few are measured
    default_reply_interval_s: float = 180.0  # between an agent's replies, when not measured
    pace_window_s: float = 3600.0  # replies older than this say nothing about the pace now
    max_gap_s: float = 900.0  # a longer pause between replies was a break, not the pace
    min_samples: int = 3  # measured figures below this count fall back to the defaults


class WaitBasis(StrEnum):
    """What the estimate stands on."""

    NOT_WAITING = "not_waiting"  # closed, waiting on the customer, or first in the owner's line
    QUEUE = "queue"  # queued: slots freeing among the agents who may serve it
    AGENT = "agent"  # assigned: the owner's replies to the conversations before it
    NOBODY_ONLINE = "nobody_online"  # nobody online may serve it: no figure to give
    OWNER_AWAY = "owner_away"  # its owner is away or offline: no figure to give


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    """The expected wait (seconds from now) with a range; figures are None when there are none.

    ``measured`` is False when a default stood in for the pace (too few recent samples).
    """

    must_wait: bool
    basis: WaitBasis
    position: int | None = None
    expected_s: float | None = None
    low_s: float | None = None
    high_s: float | None = None
    measured: bool = False


# ---------------------------------------------------------------- the time until k events


def gamma_quantile(k: int, rate: float, q: float) -> float:
    """The time by which ``k`` events of a Poisson stream of ``rate`` per second have happened
    with probability ``q`` (the ``q`` quantile of Gamma(k, rate)), by bisection."""
    if k < 1 or rate <= 0 or not 0 < q < 1:
        raise ValueError(f"need k >= 1, rate > 0 and 0 < q < 1, got {k}, {rate}, {q}")
    low, high = 0.0, k / rate
    while regularized_lower_gamma(k, rate * high) < q:
        low, high = high, high * 2
    for _ in range(60):
        middle = (low + high) / 2
        if regularized_lower_gamma(k, rate * middle) < q:
            low = middle
        else:
            high = middle
    return high


def _range(k: int, rate: float, shift_s: float, params: WaitParams) -> tuple[float, float, float]:
    return (
        k / rate + shift_s,
        gamma_quantile(k, rate, params.low_quantile) + shift_s,
        gamma_quantile(k, rate, params.high_quantile) + shift_s,
    )


# ---------------------------------------------------------------- queued conversations


def serving_agents(
    conv: Conversation, agents: Iterable[Agent], rules: RoutingRules, now: float
) -> list[Agent]:
    """Online agents who may serve ``conv`` once its language and skills requirements have
    relaxed (they do within ``2 × skill_relax_s``), whatever their room now."""
    relaxed = max(now, relaxation_times(conv, rules)[1])
    return [a for a in agents if may_serve(a, conv, rules, relaxed)]


def queue_position(
    conv: Conversation,
    queue: Iterable[Conversation],
    rules: RoutingRules,
    now: float,
    serving: Sequence[Agent] = (),
) -> int:
    """1 + the queued conversations before ``conv`` in routing's queue order; with ``serving``,
    only those one of these agents could take (they compete for the same slots)."""
    mine = queue_key(conv, now, rules)
    ahead = 0
    for other in queue:
        if other.id == conv.id or other.state is not ConversationState.QUEUED:
            continue
        if serving and not any(a.serves_account(other.account_id) for a in serving):
            continue
        if queue_key(other, now, rules) < mine:
            ahead += 1
    return ahead + 1


def slot_free_rate(
    serving: Sequence[Agent], handle_s: float, team_reply_s: float | None, load: LoadParams
) -> float:
    """Slots freed per second by ``serving`` while all are busy: capacity / hold time, the hold
    time scaled by each agent's speed factor (slower than the team: longer)."""
    return sum(
        a.capacity / (handle_s * speed_factor(a, team_reply_s, load))
        for a in serving
        if a.capacity > 0
    )


def estimate_queued(
    conv: Conversation,
    queue: Iterable[Conversation],
    agents: Iterable[Agent],
    rules: RoutingRules,
    now: float,
    *,
    handle_s: float | None = None,
    params: WaitParams = WaitParams(),
) -> WaitEstimate:
    """The wait of a queued conversation (``handle_s``: measured mean slot hold time, or None)."""
    everyone = list(agents)
    serving = serving_agents(conv, everyone, rules, now)
    position = queue_position(conv, queue, rules, now, serving)
    team_reply = team_first_reply_s(everyone, rules.load.min_speed_samples)
    rate = slot_free_rate(serving, handle_s or params.default_handle_s, team_reply, rules.load)
    if rate <= 0:
        return WaitEstimate(True, WaitBasis.NOBODY_ONLINE, position)
    expected, low, high = _range(position, rate, team_reply or 0.0, params)
    return WaitEstimate(True, WaitBasis.QUEUE, position, expected, low, high, handle_s is not None)


# ---------------------------------------------------------------- assigned conversations


def awaiting_position(
    conv: Conversation, owned: Iterable[Conversation], rules: RoutingRules, now: float
) -> int:
    """1 + the owner's open conversations waiting on them that come before ``conv`` (routing's
    queue order: priority with age credit, then oldest). Idle ones count too: a customer who
    has waited ten minutes unanswered is still waiting."""
    mine = queue_key(conv, now, rules)
    ahead = sum(
        1
        for other in owned
        if other.id != conv.id
        and other.is_open
        and other.awaiting is Awaiting.AGENT
        and queue_key(other, now, rules) < mine
    )
    return ahead + 1


def reply_interval(
    replies: Iterable[tuple[float, str]], now: float, params: WaitParams = WaitParams()
) -> float | None:
    """The mean time between an agent's replies to *different* conversations in the last
    ``pace_window_s`` (``replies``: (time, conversation) pairs); None below ``min_samples``.

    A burst of messages to one customer is one answer; pauses over ``max_gap_s`` are breaks."""
    since = now - params.pace_window_s
    answers: list[float] = []
    last_conversation: str | None = None
    for at, conversation in sorted(r for r in replies if since <= r[0] <= now):
        if conversation != last_conversation:
            answers.append(at)
            last_conversation = conversation
    gaps = [b - a for a, b in pairwise(answers) if 0 < b - a <= params.max_gap_s]
    if len(gaps) < params.min_samples:
        return None
    return sum(gaps) / len(gaps)


def estimate_assigned(
    conv: Conversation,
    owner: Agent | None,
    owned: Iterable[Conversation],
    rules: RoutingRules,
    now: float,
    *,
    reply_interval_s: float | None = None,
    params: WaitParams = WaitParams(),
) -> WaitEstimate:
    """The wait of a conversation waiting on its owner (``reply_interval_s`` measured, or None:
    the owner's first-reply average, else the default)."""
    position = awaiting_position(conv, owned, rules, now)
    if owner is not None and owner.status is not AgentStatus.ONLINE:
        return WaitEstimate(True, WaitBasis.OWNER_AWAY, position)
    interval = reply_interval_s
    measured = interval is not None
    if interval is None and owner is not None:
        stats = owner.reply_stats
        if stats.first_reply_ema_s is not None and stats.samples >= params.min_samples:
            interval, measured = stats.first_reply_ema_s, True
    interval = max(1.0, interval or params.default_reply_interval_s)
    expected, low, high = _range(position, 1.0 / interval, 0.0, params)
    return WaitEstimate(position > 1, WaitBasis.AGENT, position, expected, low, high, measured)


def estimate_wait(
    conv: Conversation,
    rules: RoutingRules,
    now: float,
    *,
    queue: Iterable[Conversation] = (),
    agents: Iterable[Agent] = (),
    owner: Agent | None = None,
    owned: Iterable[Conversation] = (),
    handle_s: float | None = None,
    reply_interval_s: float | None = None,
    params: WaitParams = WaitParams(),
) -> WaitEstimate:
    """The wait of ``conv`` by its state: queued, waiting on its owner, or not waiting."""
    if conv.state is ConversationState.CLOSED or conv.awaiting is Awaiting.CUSTOMER:
        return WaitEstimate(False, WaitBasis.NOT_WAITING)
    if conv.state is ConversationState.QUEUED:
        return estimate_queued(conv, queue, agents, rules, now, handle_s=handle_s, params=params)
    return estimate_assigned(
        conv, owner, owned, rules, now, reply_interval_s=reply_interval_s, params=params
    )


def mean_slot_hold_s(
    stretches: Iterable[tuple[float, float, float | None]], idle_after_s: float
) -> float | None:
    """Mean time a finished ownership stretch held a slot: from its start to its end, or to
    ``idle_after_s`` after the conversation's last activity when it went idle first.
    ``stretches``: (start, end, last activity) triples; None when there are none."""
    holds = []
    for start, end, last_activity in stretches:
        released = end if last_activity is None else min(end, last_activity + idle_after_s)
        holds.append(max(0.0, released - start))
    return sum(holds) / len(holds) if holds else None


# ---------------------------------------------------------------- for the customer's eyes

# Steps a customer reads at a glance: minutes, then hours.
MINUTE_STEPS = (1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90)
HOUR_STEPS = (1, 2, 3, 4, 6, 8, 12, 24)  # 1: only ever a low end (60 minutes come first)


@dataclass(frozen=True, slots=True)
class CustomerWait:
    """A wait as told to a customer: "about ``high`` ``unit``" when ``low == high``, else
    "``low``–``high`` ``unit``"; ``unit`` is "minute" or "hour"; ``over_a_day`` past 24 hours."""

    low: int
    high: int
    unit: str
    over_a_day: bool = False

    @property
    def approximate(self) -> bool:
        return self.low == self.high


def _steps_in_minutes() -> list[tuple[int, int, str]]:
    """(minutes, shown number, unit) for every step."""
    return [(m, m, "minute") for m in MINUTE_STEPS] + [(h * 60, h, "hour") for h in HOUR_STEPS]


def customer_wait(low_s: float, high_s: float) -> CustomerWait:
    """Round a range for customers: the low end down, the high end up (a promise kept), to the
    steps 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90 minutes, then 2, 3, 4, 6, 8, 12, 24 hours
    (a low end in hours under 1 is told as 1).

    One unit for both ends (the high end's: "30–90 minutes", "2–4 hours"); "about" the high
    end when both round to the same step or the low end is within three quarters of the high
    step ("about 5 minutes" for 4–5, but "10–15 minutes")."""
    if high_s < low_s:
        raise ValueError(f"the range's high end {high_s} is below its low end {low_s}")
    steps = _steps_in_minutes()
    high_min = high_s / 60.0
    if high_min > steps[-1][0]:
        return CustomerWait(24, 24, "hour", over_a_day=True)
    high_step = next(s for s in steps if s[0] >= high_min - 1e-9)
    unit = high_step[2]
    low_min = low_s / 60.0
    same_unit = [s for s in steps if s[2] == unit]
    below = [s for s in same_unit if s[0] <= low_min + 1e-9]
    low_step = below[-1] if below else same_unit[0]
    if low_step[0] > high_step[0]:
        low_step = high_step
    if low_min >= 0.75 * high_step[0]:
        low_step = high_step
    return CustomerWait(low_step[1], high_step[1], unit)


def rounded(estimate: WaitEstimate) -> CustomerWait | None:
    """The estimate's range for customers, or None when it has no figures."""
    if estimate.low_s is None or estimate.high_s is None:
        return None
    return customer_wait(estimate.low_s, estimate.high_s)
