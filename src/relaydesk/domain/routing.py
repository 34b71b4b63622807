"""Who gets a conversation: eligibility, sticky returning contacts, the policy, the queue order.

Pure functions over models and loads, so the team server can call them inside its database
transaction and the Dispatcher (engine.py) can drive them in memory with the same results.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from relaydesk.domain.load import AgentLoad
from relaydesk.domain.models import Agent, AgentStatus, Conversation
from relaydesk.domain.priority import waiting_start
from relaydesk.domain.rules import RoutingRules

Candidate = tuple[Agent, AgentLoad]
# Policies that ignore stickiness and priority: they model what we compare against.
_PLAIN_POLICIES = ("fifo_pooled", "per_agent_split")
_NEVER = float("-inf")


@dataclass(frozen=True, slots=True)
class RouteChoice:
    """The chosen agent and why: ``policy`` or ``sticky``."""

    agent_id: str
    reason: str


def relaxation_times(conv: Conversation, rules: RoutingRules) -> tuple[float, float]:
    """When the language requirement, then the skills requirement, stop applying."""
    start = waiting_start(conv)
    return start + rules.skill_relax_s, start + 2 * rules.skill_relax_s


def matches_requirements(agent: Agent, conv: Conversation, rules: RoutingRules, now: float) -> bool:
    """Skills and language, relaxed step by step as the conversation keeps waiting."""
    language_until, skills_until = relaxation_times(conv, rules)
    if conv.language and now < language_until and conv.language not in agent.languages:
        return False
    return not (
        conv.required_skills and now < skills_until and not conv.required_skills <= agent.skills
    )


def may_serve(agent: Agent, conv: Conversation, rules: RoutingRules, now: float) -> bool:
    """Everything but capacity: online, on the account, qualified, and never let it lapse."""
    return (
        agent.status is AgentStatus.ONLINE
        and agent.serves_account(conv.account_id)
        and agent.id not in conv.lapsed_agent_ids
        and matches_requirements(agent, conv, rules, now)
    )


def eligible(
    agent: Agent, load: AgentLoad, conv: Conversation, rules: RoutingRules, now: float
) -> bool:
    """May this agent get this conversation automatically now?"""
    return load.has_room and may_serve(agent, conv, rules, now)


def sticky_hold(
    conv: Conversation, candidates: Sequence[Candidate], rules: RoutingRules, now: float
) -> str | None:
    """The previous agent a returning contact is held for, or None.

    A returning contact waits up to ``sticky_grace_s`` for a previous agent who is online and
    qualified but full; never for one who is offline or after the grace.
    """
    if (
        rules.policy in _PLAIN_POLICIES
        or not conv.returning
        or conv.previous_agent_id is None
        or now >= waiting_start(conv) + rules.sticky_grace_s
    ):
        return None
    for agent, load in candidates:
        if agent.id == conv.previous_agent_id:
            if not load.has_room and may_serve(agent, conv, rules, now):
                return agent.id
            return None
    return None


def _last_assigned(agent: Agent) -> float:
    return _NEVER if agent.last_assigned_at is None else agent.last_assigned_at


def _round_robin(pool: Sequence[Candidate], everyone: Sequence[Candidate]) -> Agent:
    """The next agent in id order after the one assigned most recently (among ``everyone``)."""
    ordered = sorted((a for a, _ in pool), key=lambda a: a.id)
    assigned = [a for a, _ in everyone if a.last_assigned_at is not None]
    if not assigned:
        return ordered[0]
    latest = max(assigned, key=lambda a: (_last_assigned(a), a.id)).id
    return next((a for a in ordered if a.id > latest), ordered[0])


def apply_policy(
    policy: str, pool: Sequence[Candidate], everyone: Sequence[Candidate], rng: random.Random | None
) -> Agent:
    """Pick one agent of a non-empty pool of eligible candidates."""
    if policy == "load_aware":
        # Lowest weighted load per capacity; equal loads → fewer slots taken → longest since
        # last assignment → id, so the order never depends on dict or arrival order.
        return min(
            pool,
            key=lambda c: (
                c[1].ratio,
                c[1].slots_used / max(1, c[1].capacity),
                _last_assigned(c[0]),
                c[0].id,
            ),
        )[0]
    if policy in ("round_robin", "per_agent_split"):
        return _round_robin(pool, everyone)
    if policy in ("longest_idle", "fifo_pooled"):
        return min(pool, key=lambda c: (_last_assigned(c[0]), c[0].id))[0]
    if policy == "random":
        ordered = sorted((a for a, _ in pool), key=lambda a: a.id)
        return (rng or random.Random(0)).choice(ordered)
    raise ValueError(f"unknown routing policy {policy!r}")


def choose_agent(
    conv: Conversation,
    candidates: Sequence[Candidate],
    rules: RoutingRules,
    now: float,
    rng: random.Random | None = None,
    *,
    sticky: bool = True,
) -> RouteChoice | None:
    """The agent who gets ``conv`` now, or None (nobody eligible, or held for its previous agent).

    Order: eligibility (lapsed agents excluded) → the previous agent of a returning contact →
    the policy. Call :func:`sticky_hold` to tell a hold from nobody being eligible.
    """
    pool = [c for c in candidates if eligible(c[0], c[1], conv, rules, now)]
    if sticky and rules.policy not in _PLAIN_POLICIES and conv.returning:
        previous = conv.previous_agent_id
        if previous is not None and any(a.id == previous for a, _ in pool):
            return RouteChoice(previous, "sticky")
        if sticky_hold(conv, candidates, rules, now) is not None:
            return None
    if not pool:
        return None
    return RouteChoice(apply_policy(rules.policy, pool, candidates, rng).id, "policy")


def queue_key(conv: Conversation, now: float, rules: RoutingRules) -> tuple[float, float, str]:
    """Sort key: highest effective priority, then oldest waiting, then id.

    Every queued conversation gains credit at the same rate, so ordering by effective priority
    equals ordering by ``waiting_start - priority * age_credit_s``: the key does not change with
    ``now``, which lets a heap keep the queue (``now`` stays in the signature for callers).
    """
    start = waiting_start(conv)
    if rules.age_credit_s <= 0:
        return (-float(conv.priority), start, conv.id)
    if rules.policy == "fifo_pooled":
        return (start, start, conv.id)
    return (start - conv.priority * rules.age_credit_s, start, conv.id)


def pick_from_queue(
    agent: Agent,
    load: AgentLoad,
    queue: Sequence[Conversation],
    rules: RoutingRules,
    now: float,
    held_for: Mapping[str, str] | None = None,
) -> Conversation | None:
    """The first conversation in queue order this agent may take now, if they have room.

    ``held_for`` maps conversations held for a returning contact's previous agent to that agent;
    nobody else takes them during the grace.
    """
    if not load.has_room:
        return None
    held = held_for or {}
    best: Conversation | None = None
    best_key: tuple[float, float, str] | None = None
    for conv in queue:
        holder = held.get(conv.id)
        if holder is not None and holder != agent.id:
            continue
        if not may_serve(agent, conv, rules, now):
            continue
        key = queue_key(conv, now, rules)
        if best_key is None or key < best_key:
            best, best_key = conv, key
    return best
