"""Between table rows and the routing core's models: the server decides nothing itself."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row

from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Awaiting,
    Conversation,
    ConversationState,
    ReplyStats,
    Source,
)
from relaydesk.domain.rules import RoutingRules
from relaydesk.server.models import AgentRow, ConversationRow


def agent_from_row(
    row: AgentRow | Row[Any], accounts: frozenset[str], rules: RoutingRules
) -> Agent:
    return Agent(
        id=row.id,
        name=row.name,
        capacity=row.capacity if row.capacity is not None else rules.default_capacity,
        skills=frozenset(row.skills or ()),
        languages=frozenset(row.languages or ()),
        # Off shift counts as offline for routing: no automatic work, no split-link visitors.
        status=AgentStatus(row.status) if row.active and row.on_shift else AgentStatus.OFFLINE,
        accounts=accounts,
        open_accounts=frozenset(row.open_accounts or ()),
        team=row.team,
        last_assigned_at=row.last_assigned_at,
        last_seen_at=row.last_seen_at,
        reply_stats=ReplyStats(row.first_reply_ema_s, row.reply_samples),
        recent_assignments=list(row.recent_assignments or ()),
    )


def agent_values(agent: Agent, now: float, pace_window_s: float) -> dict[str, Any]:
    """What routing changes on an agent (last assignment, recent pace), by column."""
    return {
        "last_assigned_at": agent.last_assigned_at,
        "recent_assignments": [t for t in agent.recent_assignments if t > now - pace_window_s],
        "first_reply_ema_s": agent.reply_stats.first_reply_ema_s,
        "reply_samples": agent.reply_stats.samples,
    }


def agent_to_row(agent: Agent, row: AgentRow, now: float, pace_window_s: float) -> None:
    """Write back what routing changes on an agent (last assignment, recent pace)."""
    for name, value in agent_values(agent, now, pace_window_s).items():
        setattr(row, name, value)


def conversation_from_row(row: ConversationRow | Row[Any] | SimpleNamespace) -> Conversation:
    """From the ORM row, or from a plain row (or namespace) with the same attribute names."""
    return Conversation(
        id=row.id,
        account_id=row.account_id,
        contact_id=row.contact_id,
        opened_at=row.opened_at,
        state=ConversationState(row.state),
        priority=row.priority,
        label=row.label,
        source=Source(row.source),
        returning=row.returning,
        previous_agent_id=row.previous_agent_id,
        language=row.language,
        tags=frozenset(row.tags or ()),
        complaint=row.complaint,
        owner_id=row.owner_id,
        waiting_since=row.waiting_since,
        awaiting=Awaiting(row.awaiting),
        last_activity_at=row.last_activity_at,
        reply_deadline=row.reply_deadline,
        lapsed_agent_ids=set(row.lapsed_agent_ids or ()),
        auto_handoffs=row.auto_handoffs,
        first_reply_at=row.first_reply_at,
        customer_messages=row.customer_messages,
        agent_messages=row.agent_messages,
        customer_chars_total=row.customer_chars_total,
        recent_customer_lengths=list(row.recent_customer_lengths or ()),
    )


def conversation_values(conv: Conversation) -> dict[str, Any]:
    """What routing changes on a conversation, by attribute name."""
    return {
        "state": conv.state.value,
        "owner_id": conv.owner_id,
        "priority": conv.priority,
        "label": conv.label,
        "waiting_since": conv.waiting_since,
        "awaiting": conv.awaiting.value,
        "last_activity_at": conv.last_activity_at,
        "reply_deadline": conv.reply_deadline,
        "lapsed_agent_ids": sorted(conv.lapsed_agent_ids),
        "auto_handoffs": conv.auto_handoffs,
        "first_reply_at": conv.first_reply_at,
        "customer_messages": conv.customer_messages,
        "agent_messages": conv.agent_messages,
        "customer_chars_total": conv.customer_chars_total,
        "recent_customer_lengths": conv.recent_customer_lengths[-20:],
    }


def conversation_to_row(conv: Conversation, row: ConversationRow) -> None:
    for name, value in conversation_values(conv).items():
        setattr(row, name, value)
