"""Moving ownership: reply deadlines, handoff when an owner lets one lapse, release when they go.

The functions change the conversation (and the agents) they are given and return the decisions
taken, so the team server applies them inside its transaction and the Dispatcher in memory.
Every move closes the current :class:`Ownership` stretch and opens the next one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from relaydesk.domain.decisions import Assigned, Decision, HandedOff, Queued, Released, Warning
from relaydesk.domain.models import Agent, Awaiting, Conversation, ConversationState, Ownership
from relaydesk.domain.routing import Candidate, choose_agent
from relaydesk.domain.rules import RoutingRules

# Reasons that count as automatic assignment (they feed the load model's recent pace).
AUTOMATIC_REASONS = frozenset({"policy", "sticky", "queue", "handoff_timeout", "agent_gone"})


def reply_deadline_for(conv: Conversation, rules: RoutingRules, now: float) -> float | None:
    """When the owner must have replied, counting from ``now``; None when nobody owes a reply."""
    if conv.state is not ConversationState.ASSIGNED or conv.awaiting is not Awaiting.AGENT:
        return None
    return now + rules.reply_timeout_for(conv.priority)


def _end_stretch(conv: Conversation, now: float) -> None:
    if conv.owner_history and conv.owner_history[-1].end is None:
        last = conv.owner_history[-1]
        conv.owner_history[-1] = Ownership(last.agent_id, last.start, now, last.reason)


def take_ownership(
    conv: Conversation, agent: Agent, now: float, reason: str, rules: RoutingRules
) -> Assigned:
    """Make ``agent`` the owner, record the stretch, arm the reply deadline."""
    _end_stretch(conv, now)
    conv.state = ConversationState.ASSIGNED
    conv.owner_id = agent.id
    conv.owner_history.append(Ownership(agent.id, now, None, reason))
    conv.reply_deadline = reply_deadline_for(conv, rules, now)
    agent.last_assigned_at = now
    if reason in AUTOMATIC_REASONS:
        agent.recent_assignments.append(now)
    return Assigned(conv.id, agent.id, now, reason)


def release_ownership(conv: Conversation, now: float) -> None:
    """The conversation has no owner any more and waits in the queue."""
    _end_stretch(conv, now)
    conv.state = ConversationState.QUEUED
    conv.owner_id = None
    conv.reply_deadline = None


def close_ownership(conv: Conversation, now: float) -> None:
    """The conversation is over: end the stretch and the deadline."""
    _end_stretch(conv, now)
    conv.state = ConversationState.CLOSED
    conv.reply_deadline = None


def _agent(candidates: Sequence[Candidate], agent_id: str) -> Agent:
    return next(a for a, _ in candidates if a.id == agent_id)


def on_deadline(
    conv: Conversation,
    candidates: Sequence[Candidate],
    rules: RoutingRules,
    now: float,
    rng: random.Random | None = None,
) -> list[Decision]:
    """The owner let the reply deadline pass: hand off to someone else, or keep it and warn.

    The lapsing owner is never chosen again for this conversation. After ``max_auto_handoffs``
    the conversation stays and a supervisor is warned; when nobody else is eligible it stays
    too. Whenever it stays, the deadline re-arms so the warning repeats while nobody answers.
    """
    owner = conv.owner_id
    if owner is None or conv.state is not ConversationState.ASSIGNED:
        return []
    conv.lapsed_agent_ids.add(owner)
    if conv.auto_handoffs >= rules.max_auto_handoffs:
        conv.reply_deadline = now + rules.reply_timeout_for(conv.priority)
        return [
            Warning(
                "handoff_limit",
                now,
                f"still no reply after {conv.auto_handoffs} automatic handoffs",
                conv.id,
                owner,
            )
        ]
    choice = choose_agent(conv, candidates, rules, now, rng, sticky=False)
    if choice is None:
        conv.reply_deadline = now + rules.reply_timeout_for(conv.priority)
        return [
            Warning(
                "no_eligible_agent",
                now,
                "reply deadline passed and nobody else can take the conversation",
                conv.id,
                owner,
            )
        ]
    conv.auto_handoffs += 1
    assigned = take_ownership(
        conv, _agent(candidates, choice.agent_id), now, "handoff_timeout", rules
    )
    return [HandedOff(conv.id, owner, choice.agent_id, now, "handoff_timeout"), assigned]


def agent_gone(
    conv: Conversation,
    candidates: Sequence[Candidate],
    rules: RoutingRules,
    now: float,
    rng: random.Random | None = None,
) -> list[Decision]:
    """The owner went offline past the grace: a conversation waiting on them goes elsewhere.

    One conversation per call, so the caller refreshes the candidates' loads between calls.
    A conversation waiting on the customer stays; when the customer writes again its deadline
    lapses and it moves then.
    """
    owner = conv.owner_id
    if owner is None or conv.state is not ConversationState.ASSIGNED:
        return []
    if conv.awaiting is not Awaiting.AGENT:
        return []
    release_ownership(conv, now)
    decisions: list[Decision] = [Released(conv.id, owner, now, "agent_gone")]
    others = [c for c in candidates if c[0].id != owner]
    choice = choose_agent(conv, others, rules, now, rng, sticky=False)
    if choice is None:
        decisions.append(HandedOff(conv.id, owner, None, now, "agent_gone"))
        decisions.append(Queued(conv.id, now, "agent_gone"))
        return decisions
    decisions.append(HandedOff(conv.id, owner, choice.agent_id, now, "agent_gone"))
    decisions.append(
        take_ownership(conv, _agent(others, choice.agent_id), now, "agent_gone", rules)
    )
    return decisions
