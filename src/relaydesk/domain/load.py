"""The load model: what an agent carries now, weighed by complexity, speed and recent pace.

Two figures per agent, on purpose apart:

* **slots** decide eligibility: open assigned conversations not idle past ``idle_after_s``, against
  the agent's capacity (a whole number a supervisor sets and understands);
* **load** ranks eligible agents: the sum of the weights of their *active* conversations, scaled
  by how fast they reply compared with the team, raised by assignments in the last 3 minutes and
  by a day that runs above the team's (the "400 a day" problem: the router, not the agent,
  absorbs the day's peaks).

Formula (defaults in :class:`LoadParams`; docs/routing.md has the reasoning)::

    weight(c)   = base + min(message_cap, per_message * (customer_messages - 1))
                  + length_trend * clamp(mean(last 3 lengths) / mean(all lengths) - 1, 0, 1)
                  + complaint_weight * complaint                  (0 when c is not active)
    speed       = clamp((agent_first_reply_ema / team_first_reply_ema) ** speed_exponent,
                        speed_min, speed_max)                     (1 until min_speed_samples)
    day         = day_weight * clamp(assigned_today / team_mean_today - 1, 0, day_ratio_cap)
                                                  (0 while team_mean_today < day_min_mean)
    load        = speed * sum(weight(c)) + pace_weight * assignments in the last pace_window_s + day
    ratio       = load / capacity

``assigned_today`` counts the conversations the agent was given (any reason) since the working
day began (``day_starts_at_utc_s`` after 00:00 UTC); ``team_mean_today`` is the mean of that count
over the agents competing for the conversation. The term never goes below 0, so a quiet day is
not a credit, and it only ranks: eligibility (slots) is untouched, so nobody waits because of it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from relaydesk.domain.models import Agent, Awaiting, Conversation, ConversationState


@dataclass(frozen=True, slots=True)
class LoadParams:
    """Tunables of the load model; the defaults are documented in docs/routing.md."""

    idle_after_s: float = 600.0  # quiet this long → not active, and no longer takes a slot
    base_weight: float = 1.0
    per_message_weight: float = 0.05  # each customer message after the first
    message_weight_cap: float = 0.5
    length_trend_weight: float = 0.25  # messages getting longer than the conversation's mean
    trend_window: int = 3
    complaint_weight: float = 0.5
    speed_exponent: float = 0.5
    speed_min: float = 0.75
    speed_max: float = 1.5
    min_speed_samples: int = 3
    pace_window_s: float = 180.0
    pace_weight: float = 0.2
    # The day term: twice the team's mean today weighs like one more active conversation.
    day_weight: float = 1.0
    day_ratio_cap: float = 1.0
    day_min_mean: float = 10.0  # no day term until the team's mean today reaches this
    day_starts_at_utc_s: float = 0.0  # the working day's start, seconds after 00:00 UTC


@dataclass(frozen=True, slots=True)
class AgentLoad:
    """One agent's figures at one moment; ``over_capacity`` after a manual transfer beyond it."""

    agent_id: str
    slots_used: int
    capacity: int
    load: float
    ratio: float
    over_capacity: bool

    @property
    def has_room(self) -> bool:
        return self.slots_used < self.capacity


def _last_activity(conv: Conversation) -> float:
    return conv.opened_at if conv.last_activity_at is None else conv.last_activity_at


def is_idle(conv: Conversation, now: float, params: LoadParams) -> bool:
    """Nothing has happened in the conversation for ``idle_after_s``."""
    return now - _last_activity(conv) >= params.idle_after_s


def takes_slot(conv: Conversation, now: float, params: LoadParams) -> bool:
    """An open assigned conversation counts against capacity until it goes idle."""
    return conv.state is ConversationState.ASSIGNED and not is_idle(conv, now, params)


def is_active(conv: Conversation, now: float, params: LoadParams) -> bool:
    """The agent has work in it: open, waiting on the agent, and not idle."""
    return (
        conv.state is not ConversationState.CLOSED
        and conv.awaiting is Awaiting.AGENT
        and not is_idle(conv, now, params)
    )


def _length_trend(lengths: list[int], window: int) -> float:
    if len(lengths) <= window:
        return 0.0
    overall = sum(lengths) / len(lengths)
    if overall <= 0:
        return 0.0
    recent = sum(lengths[-window:]) / window
    return min(1.0, max(0.0, recent / overall - 1.0))


def conversation_weight(conv: Conversation, now: float, params: LoadParams) -> float:
    """How much of an agent one conversation takes now (0 when it is not active)."""
    if not is_active(conv, now, params):
        return 0.0
    extra_messages = max(0, conv.customer_messages - 1)
    weight = params.base_weight + min(
        params.message_weight_cap, params.per_message_weight * extra_messages
    )
    weight += params.length_trend_weight * _length_trend(
        conv.recent_customer_lengths, params.trend_window
    )
    if conv.complaint:
        weight += params.complaint_weight
    return weight


def speed_factor(agent: Agent, team_first_reply_s: float | None, params: LoadParams) -> float:
    """Above 1 for an agent slower than the team to reply, below 1 for a faster one."""
    mine = agent.reply_stats.first_reply_ema_s
    if (
        mine is None
        or team_first_reply_s is None
        or team_first_reply_s <= 0
        or agent.reply_stats.samples < params.min_speed_samples
    ):
        return 1.0
    raw: float = (max(mine, 1e-9) / team_first_reply_s) ** params.speed_exponent
    return min(params.speed_max, max(params.speed_min, raw))


def recent_pace(agent: Agent, now: float, params: LoadParams) -> int:
    """Automatic assignments the agent received in the last ``pace_window_s``."""
    since = now - params.pace_window_s
    return sum(1 for t in agent.recent_assignments if since < t <= now)


def working_day(now: float, params: LoadParams) -> int:
    """The number of the working day ``now`` falls in (days start ``day_starts_at_utc_s``
    after 00:00 UTC); equal numbers mean the same day."""
    return math.floor((now - params.day_starts_at_utc_s) / 86400.0)


def team_day_mean(assigned_today: Iterable[int]) -> float | None:
    """Mean of the agents' assignments today (None for nobody)."""
    counts = list(assigned_today)
    return sum(counts) / len(counts) if counts else None


def day_term(assigned_today: int, team_mean_today: float | None, params: LoadParams) -> float:
    """Extra load for a day running above the team's mean (0 below it and early in the day)."""
    if team_mean_today is None or team_mean_today <= 0 or team_mean_today < params.day_min_mean:
        return 0.0
    excess = assigned_today / team_mean_today - 1.0
    return params.day_weight * min(params.day_ratio_cap, max(0.0, excess))


def agent_load(
    agent: Agent,
    open_conversations: Iterable[Conversation],
    now: float,
    params: LoadParams,
    team_first_reply_s: float | None = None,
    *,
    assigned_today: int = 0,
    team_mean_today: float | None = None,
) -> AgentLoad:
    """The agent's slots and load from the open conversations they own (and their day so far:
    ``assigned_today`` against ``team_mean_today``, see :func:`day_term`)."""
    slots = 0
    weights = 0.0
    for conv in open_conversations:
        if takes_slot(conv, now, params):
            slots += 1
        weights += conversation_weight(conv, now, params)
    load = speed_factor(agent, team_first_reply_s, params) * weights
    load += params.pace_weight * recent_pace(agent, now, params)
    if team_mean_today is not None and assigned_today > team_mean_today:  # else no day term
        load += day_term(assigned_today, team_mean_today, params)
    capacity = agent.capacity
    ratio = load / capacity if capacity > 0 else float("inf")
    return AgentLoad(agent.id, slots, capacity, load, ratio, slots > capacity)


def team_first_reply_s(agents: Iterable[Agent], min_samples: int = 1) -> float | None:
    """Mean of the agents' first-reply moving averages (those with enough samples)."""
    values = [
        a.reply_stats.first_reply_ema_s
        for a in agents
        if a.reply_stats.first_reply_ema_s is not None and a.reply_stats.samples >= min_samples
    ]
    return sum(values) / len(values) if values else None
