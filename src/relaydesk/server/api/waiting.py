"""The expected wait of one conversation, for the holding reply a workstation offers.

``GET /v1/conversations/{id}/wait`` reads what the routing core needs (the queue, the agents who
may serve it and their loads, the owner's waiting conversations, measured hold times and reply
pace) and lets ``relaydesk.domain.waiting`` decide; nothing is stored. Who may ask: whoever may
read the conversation (an agent: their own and their shared accounts' conversations).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import String, cast, or_, select

from relaydesk.domain.models import Agent, Conversation
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.waiting import WaitParams, estimate_wait, mean_slot_hold_s, reply_interval
from relaydesk.server.access import visible_conversations
from relaydesk.server.convert import agent_from_row, conversation_from_row
from relaydesk.server.deps import Caller, Session, State
from relaydesk.server.errors import not_found
from relaydesk.server.models import (
    AccountMemberRow,
    AgentRow,
    ConversationRow,
    MessageRow,
    OwnershipRow,
    ReceivedEventRow,
)

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

PARAMS = WaitParams()
HOLD_SAMPLES = 100  # the most recent finished ownership stretches that give the hold time
HOLD_WINDOW_S = 7 * 24 * 3600.0  # … from the last week


class WaitOut(BaseModel):
    """``basis``: queue | agent | nobody_online | owner_away | not_waiting. Seconds from now;
    the figures are null when there are none (nobody online: say so, not a number)."""

    conversation_id: str
    state: str
    owner_id: str | None
    must_wait: bool
    basis: str
    position: int | None
    expected_wait_s: float | None
    low_s: float | None
    high_s: float | None
    measured: bool


async def _agents(session: Session, rows: Iterable[AgentRow], rules: RoutingRules) -> list[Agent]:
    rows = list(rows)
    members: dict[str, set[str]] = {r.id: set() for r in rows}
    if rows:
        pairs = await session.execute(
            select(AccountMemberRow.agent_id, AccountMemberRow.account_id).where(
                AccountMemberRow.agent_id.in_(list(members))
            )
        )
        for agent_id, account_id in pairs:
            members[agent_id].add(account_id)
    return [agent_from_row(r, frozenset(members[r.id]), rules) for r in rows]


async def _online_serving(session: Session, account_id: str, rules: RoutingRules) -> list[Agent]:
    """Online agents who are members of the account or have it open (as routing finds them)."""
    members = select(AccountMemberRow.agent_id).where(AccountMemberRow.account_id == account_id)
    listed = cast(AgentRow.open_accounts, String).contains(f'"{account_id}"')  # ids are hex
    rows = await session.scalars(
        select(AgentRow)
        .where(AgentRow.active.is_(True), AgentRow.status == "online")
        .where(or_(AgentRow.id.in_(members), listed))
        .order_by(AgentRow.id)
    )
    agents = await _agents(session, rows, rules)
    return [a for a in agents if a.serves_account(account_id)]


async def _queue(session: Session, agents: list[Agent]) -> list[Conversation]:
    accounts = sorted({acc for a in agents for acc in a.accounts | a.open_accounts})
    if not accounts:
        return []
    # Only what the queue order reads (priority, waiting start, id, account): a busy queue is
    # thousands of rows, and decoding every column of each was most of the answer's time.
    rows = await session.execute(
        select(
            ConversationRow.id,
            ConversationRow.account_id,
            ConversationRow.contact_id,
            ConversationRow.opened_at,
            ConversationRow.priority,
            ConversationRow.waiting_since,
        ).where(ConversationRow.state == "queued", ConversationRow.account_id.in_(accounts))
    )
    return [
        Conversation(r.id, r.account_id, r.contact_id, r.opened_at, priority=r.priority,
                     waiting_since=r.waiting_since)
        for r in rows
    ]  # fmt: skip


async def _hold_time(
    session: Session, agent_ids: list[str], rules: RoutingRules, now: float
) -> float | None:
    """Mean slot hold time of the agents' last finished ownership stretches (None: too few)."""
    if not agent_ids:
        return None
    rows = await session.execute(
        select(OwnershipRow.start, OwnershipRow.end, ConversationRow.last_activity_at)
        .join(ConversationRow, ConversationRow.id == OwnershipRow.conversation_id)
        .where(
            OwnershipRow.agent_id.in_(agent_ids),
            OwnershipRow.end.is_not(None),
            OwnershipRow.end >= now - HOLD_WINDOW_S,
        )
        .order_by(OwnershipRow.end.desc())
        .limit(HOLD_SAMPLES)
    )
    stretches = [(start, end, last) for start, end, last in rows if end is not None]
    if len(stretches) < PARAMS.min_samples:
        return None
    return mean_slot_hold_s(stretches, rules.idle_after_s)


async def _reply_pace(session: Session, agent_id: str, now: float) -> float | None:
    """The agent's measured interval between answers to different conversations."""
    rows = await session.execute(
        select(MessageRow.at, MessageRow.conversation_id)
        .join(ReceivedEventRow, ReceivedEventRow.message_key == MessageRow.message_key)
        .where(
            ReceivedEventRow.agent_id == agent_id,
            MessageRow.kind == "agent_reply",
            MessageRow.at >= now - PARAMS.pace_window_s,
        )
    )
    replies = {(at, conversation or "") for at, conversation in rows}
    return reply_interval(replies, now, PARAMS)


@router.get("/{conversation_id}/wait")
async def conversation_wait(
    conversation_id: str, caller: Caller, session: Session, state: State
) -> WaitOut:
    row = await session.scalar(
        select(ConversationRow).where(
            ConversationRow.id == conversation_id, visible_conversations(caller)
        )
    )
    if row is None:  # another team's conversation looks exactly like a missing one
        raise not_found("conversation")
    rules = await state.rules(session)
    now = time.time()
    conv = conversation_from_row(row)
    if row.state == "queued":
        agents = await _online_serving(session, row.account_id, rules)
        estimate = estimate_wait(
            conv, rules, now,
            queue=await _queue(session, agents), agents=agents,
            handle_s=await _hold_time(session, [a.id for a in agents], rules, now),
            params=PARAMS,
        )  # fmt: skip
    elif row.state == "assigned" and row.owner_id is not None:
        owner_row = await session.get(AgentRow, row.owner_id)
        owner = (await _agents(session, [owner_row], rules))[0] if owner_row else None
        owned = await session.scalars(
            select(ConversationRow).where(
                ConversationRow.owner_id == row.owner_id, ConversationRow.state == "assigned"
            )
        )
        estimate = estimate_wait(
            conv, rules, now,
            owner=owner, owned=[conversation_from_row(r) for r in owned],
            reply_interval_s=await _reply_pace(session, row.owner_id, now),
            params=PARAMS,
        )  # fmt: skip
    else:
        estimate = estimate_wait(conv, rules, now, params=PARAMS)
    return WaitOut(
        conversation_id=row.id,
        state=row.state,
        owner_id=row.owner_id,
        must_wait=estimate.must_wait,
        basis=estimate.basis.value,
        position=estimate.position,
        expected_wait_s=estimate.expected_s,
        low_s=estimate.low_s,
        high_s=estimate.high_s,
        measured=estimate.measured,
    )
