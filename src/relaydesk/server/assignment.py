"""Routing inside a transaction: load the state, ask the routing core, write what it decided.

Every function here takes a :class:`Tx` (one atomic change) and leaves all decisions to
``relaydesk.domain``: eligibility, the policy, the queue order, deadlines and handoffs. This
module only fetches the rows the core needs, converts them, and stores and pushes the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any
from typing import cast as type_cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    bindparam,
    cast,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)

from relaydesk.domain import handoff
from relaydesk.domain.decisions import Assigned, Decision, HandedOff, Queued, Released, Warning
from relaydesk.domain.load import AgentLoad, agent_load, team_first_reply_s
from relaydesk.domain.models import Agent, AgentStatus, Awaiting, Conversation, ConversationState
from relaydesk.domain.routing import choose_agent, pick_from_queue, relaxation_times, sticky_hold
from relaydesk.server.convert import (
    agent_from_row,
    agent_to_row,
    agent_values,
    conversation_from_row,
    conversation_to_row,
    conversation_values,
)
from relaydesk.server.models import (
    AccountMemberRow,
    AccountRow,
    AgentRow,
    ContactRow,
    ConversationNoteRow,
    ConversationRow,
    DeadlineRow,
    OwnershipRow,
    WarningRow,
)
from relaydesk.server.state import Tx

Candidate = tuple[Agent, AgentLoad]


# ---------------------------------------------------------------- loading the routing core's view


async def _memberships(tx: Tx, agent_ids: Iterable[str]) -> dict[str, set[str]]:
    ids = list(agent_ids)
    out: dict[str, set[str]] = {i: set() for i in ids}
    if ids:
        rows = await tx.session.execute(
            select(AccountMemberRow.agent_id, AccountMemberRow.account_id).where(
                AccountMemberRow.agent_id.in_(ids)
            )
        )
        for agent_id, account_id in rows:
            out[agent_id].add(account_id)
    return out


_CONVERSATION_FIELDS = [
    getattr(ConversationRow, c.key) for c in ConversationRow.__mapper__.column_attrs
]


async def _open_owned(tx: Tx, agent_ids: Sequence[str]) -> dict[str, list[Conversation]]:
    """The assigned conversations of ``agent_ids``, read as plain rows: routing only weighs
    them (tens per agent), so they skip the ORM's identity map and change tracking."""
    out: dict[str, list[Conversation]] = {i: [] for i in agent_ids}
    if agent_ids:
        rows = await tx.session.execute(
            select(*_CONVERSATION_FIELDS).where(
                ConversationRow.owner_id.in_(agent_ids), ConversationRow.state == "assigned"
            )
        )
        for row in rows:
            if row.owner_id is not None:
                out[row.owner_id].append(conversation_from_row(row))
    return out


def _may_serve(account_id: str) -> ColumnElement[bool]:
    """A superset of the agents serving ``account_id`` (members, or who have it open), so that
    a team of hundreds does not load every agent to route one conversation. The routing core's
    ``serves_account`` still decides; ids are hex, so the JSON text match cannot be fooled."""
    members = select(AccountMemberRow.agent_id).where(AccountMemberRow.account_id == account_id)
    listed = cast(AgentRow.open_accounts, String).contains(f'"{account_id}"')
    return or_(AgentRow.id.in_(members), listed)


async def candidates_for(
    tx: Tx, account_id: str, *, only: Sequence[str] | None = None
) -> tuple[list[Candidate], dict[str, AgentRow]]:
    """Online agents who serve ``account_id`` (members, or who have it open), with their loads.

    The agent rows are locked (PostgreSQL ``FOR UPDATE``) so that two processes routing at once
    see each other's assignments before counting capacity.
    """
    query = select(AgentRow).where(
        AgentRow.active.is_(True), AgentRow.status == "online", _may_serve(account_id)
    )
    if only is not None:
        query = query.where(AgentRow.id.in_(list(only)))
    rows = list(await tx.session.scalars(query.order_by(AgentRow.id).with_for_update()))
    members = await _memberships(tx, (r.id for r in rows))
    agents = [agent_from_row(r, frozenset(members[r.id]), tx.rules) for r in rows]
    agents = [a for a in agents if a.serves_account(account_id)]
    owned = await _open_owned(tx, [a.id for a in agents])
    team_speed = team_first_reply_s(agents)
    day, mean = await tx.workload.today(tx, agents)  # the load model's day term
    candidates = [
        (
            a,
            agent_load(
                a,
                owned[a.id],
                tx.now,
                tx.rules.load,
                team_speed,
                assigned_today=day[a.id],
                team_mean_today=mean,
            ),
        )
        for a in agents
    ]
    return candidates, {r.id: r for r in rows}


async def load_of(tx: Tx, row: AgentRow) -> tuple[Agent, AgentLoad]:
    members = await _memberships(tx, [row.id])
    agent = agent_from_row(row, frozenset(members[row.id]), tx.rules)
    owned = await _open_owned(tx, [row.id])
    return agent, agent_load(agent, owned[row.id], tx.now, tx.rules.load)


# ---------------------------------------------------------------- writing decisions back


async def set_deadline(tx: Tx, kind: str, subject_id: str, due_at: float | None) -> None:
    """Store (or clear) the one timer of ``kind`` for a conversation or agent."""
    if subject_id in tx.fresh_subjects:  # created in this transaction: only its own timers
        row = tx.new_deadlines.get((kind, subject_id))
    else:
        row = await tx.session.scalar(
            select(DeadlineRow).where(
                DeadlineRow.kind == kind, DeadlineRow.subject_id == subject_id
            )
        )
    if due_at is None:
        if row is not None:
            await tx.session.delete(row)
            tx.new_deadlines.pop((kind, subject_id), None)
        return
    if row is None:
        row = DeadlineRow(kind=kind, subject_id=subject_id, due_at=due_at)
        tx.session.add(row)
        if subject_id in tx.fresh_subjects:
            tx.new_deadlines[(kind, subject_id)] = row
    else:
        row.due_at = due_at
    tx.deadline_added(due_at)


async def supervisors_of(tx: Tx, team: str | None) -> list[str]:
    query = select(AgentRow.id).where(AgentRow.active.is_(True))
    if team is None:
        query = query.where(AgentRow.role == "admin")
    else:
        query = query.where(
            (AgentRow.role == "admin") | ((AgentRow.role == "supervisor") & (AgentRow.team == team))
        )
    return list(await tx.session.scalars(query))


async def _team_of_account(tx: Tx, account_id: str) -> str | None:
    account = await tx.session.get(AccountRow, account_id)
    return account.team if account else None


async def record_warning(
    tx: Tx,
    warning: Warning,
    conv_row: ConversationRow | None,
    extra: Sequence[str] = (),
    other_agent_id: str | None = None,
) -> None:
    """Store a warning and push it to the agents concerned and their supervisors."""
    team = await _team_of_account(tx, conv_row.account_id) if conv_row else None
    tx.session.add(
        WarningRow(
            kind=warning.kind,
            at=warning.at,
            message=warning.message,
            conversation_id=warning.conversation_id,
            agent_id=warning.agent_id,
            other_agent_id=other_agent_id,
            team=team,
        )
    )
    recipients = {*(await supervisors_of(tx, team)), *extra}
    if warning.agent_id:
        recipients.add(warning.agent_id)
    payload = {
        "kind": warning.kind,
        "message": warning.message,
        "conversation_id": warning.conversation_id,
        "agent_id": warning.agent_id,
        "other_agent_id": other_agent_id,
    }
    for recipient in sorted(recipients):
        await tx.outbox.add(recipient, "warning", payload)


async def _conversation_payload(tx: Tx, row: ConversationRow) -> dict[str, Any]:
    """What a workstation needs to find the chat: ids, the contact's handle, the deadline."""
    contact = await tx.session.get(ContactRow, row.contact_id)
    return {
        "conversation_id": row.id,
        "account_id": row.account_id,
        "contact_id": row.contact_id,
        "contact_handle": contact.handle if contact else None,
        "reply_deadline": row.reply_deadline,
        "owner_id": row.owner_id,
        "state": row.state,
        "priority": row.priority,
        "label": row.label,
    }


HANDOFF_NOTES = 20  # the newest notes a handoff push carries (all are in the detail)


async def _handoff_context(tx: Tx, row: ConversationRow) -> dict[str, Any]:
    """What goes with a conversation to its next owner: its notes (newest last, the last
    ``HANDOFF_NOTES``) and the contact's tags."""
    notes = await tx.session.scalars(
        select(ConversationNoteRow.text)
        .where(ConversationNoteRow.conversation_id == row.id)
        .order_by(ConversationNoteRow.at.desc(), ConversationNoteRow.id.desc())
        .limit(HANDOFF_NOTES)
    )
    contact = await tx.session.get(ContactRow, row.contact_id)
    return {"notes": list(notes)[::-1], "tags": list(contact.tags) if contact else []}


async def add_open_stretch(tx: Tx, conversation_id: str, conv: Conversation) -> None:
    """Store the ownership stretch the core opened (if any) and count it in its agent's day;
    the conversation's history is then cleared (what is stored is read back from the rows)."""
    for stretch in conv.owner_history:
        if stretch.end is None:
            tx.session.add(
                OwnershipRow(
                    conversation_id=conversation_id,
                    agent_id=stretch.agent_id,
                    start=stretch.start,
                    reason=stretch.reason,
                )
            )
            await tx.workload.assigned(tx, stretch.agent_id)
    conv.owner_history.clear()


async def apply(
    tx: Tx,
    row: ConversationRow,
    conv: Conversation,
    decisions: Sequence[Decision],
    agents: dict[str, Agent],
    agent_rows: dict[str, AgentRow],
) -> None:
    """Persist a conversation the core changed, its ownership stretches, timers and pushes."""
    before_owner = row.owner_id
    conversation_to_row(conv, row)
    # An open ownership stretch exists only while someone owns the conversation.
    if before_owner is not None and (
        before_owner != conv.owner_id or conv.state is ConversationState.CLOSED
    ):
        await tx.session.execute(
            update(OwnershipRow)
            .where(OwnershipRow.conversation_id == row.id, OwnershipRow.end.is_(None))
            .values(end=tx.now)
        )
    await add_open_stretch(tx, row.id, conv)
    for agent_id, agent in agents.items():
        if agent_id in agent_rows:
            agent_to_row(agent, agent_rows[agent_id], tx.now, tx.rules.load.pace_window_s)
    await set_deadline(tx, "reply", row.id, conv.reply_deadline)
    await tx.session.flush()
    payload = await _conversation_payload(tx, row)
    for decision in decisions:
        if isinstance(decision, Assigned):
            await tx.outbox.add(
                decision.agent_id, "assigned", {**payload, "reason": decision.reason}
            )
        elif isinstance(decision, HandedOff):
            message = {
                **payload,
                **(await _handoff_context(tx, row)),
                "from_agent_id": decision.from_agent_id,
                "to_agent_id": decision.to_agent_id,
                "reason": decision.reason,
            }
            for recipient in {decision.from_agent_id, decision.to_agent_id} - {None}:
                await tx.outbox.add(str(recipient), "handoff", message)
        elif isinstance(decision, Released):
            await tx.outbox.add(
                decision.agent_id, "owner_changed", {**payload, "reason": decision.reason}
            )
        elif isinstance(decision, Queued):
            await _queue_changed(tx, row)
        elif isinstance(decision, Warning):
            await record_warning(tx, decision, row)


async def _queue_changed(tx: Tx, row: ConversationRow | SimpleNamespace) -> None:
    """Tell the account's members and the team's supervisors how long the queue is."""
    queued = await tx.session.scalars(
        select(ConversationRow.id).where(
            ConversationRow.account_id == row.account_id, ConversationRow.state == "queued"
        )
    )
    members = await tx.session.scalars(
        select(AccountMemberRow.agent_id).where(AccountMemberRow.account_id == row.account_id)
    )
    team = await _team_of_account(tx, row.account_id)
    recipients = {*members, *(await supervisors_of(tx, team))}
    payload = {"account_id": row.account_id, "queued": len(list(queued))}
    for recipient in sorted(recipients):
        await tx.outbox.add(recipient, "queue_changed", payload)


# ---------------------------------------------------------------- the event path, in Core SQL
#
# A new conversation's routing is the busiest transaction: it runs as plain SQL statements on
# the tables (no unit of work, identity map or change tracking), with the same locks and the
# same decisions from the routing core as :func:`route`. ``relaydesk.server.ingest`` leaves the
# session clean (flushed, nothing loaded) before and after, so ORM paths never see stale rows.

AGENTS = type_cast(Table, AgentRow.__table__)
MEMBERS = type_cast(Table, AccountMemberRow.__table__)
CONVERSATIONS = type_cast(Table, ConversationRow.__table__)
OWNERSHIPS = type_cast(Table, OwnershipRow.__table__)
DEADLINES = type_cast(Table, DeadlineRow.__table__)
# Attribute name -> column name (``returning`` is stored as ``is_returning``).
CONVERSATION_COLUMNS = {
    attr.key: attr.columns[0].name for attr in ConversationRow.__mapper__.column_attrs
}

# Built once (values bound by name at execution): no statement construction nor cache-key
# computation per event.
_ACCOUNT_MEMBERS = select(MEMBERS.c.agent_id).where(MEMBERS.c.account_id == bindparam("account_id"))
# With each agent, whether they are a member of the account: all routing asks of an agent's
# memberships is whether they serve this account (Agent.serves_account), so their other
# accounts are not read.
_SERVING_AGENTS = (
    select(AGENTS, AGENTS.c.id.in_(_ACCOUNT_MEMBERS).label("is_member"))
    .where(
        AGENTS.c.active.is_(True),
        AGENTS.c.status == "online",
        or_(
            AGENTS.c.id.in_(_ACCOUNT_MEMBERS),
            cast(AGENTS.c.open_accounts, String).contains(bindparam("listed")),
        ),
    )
    .order_by(AGENTS.c.id)
    .with_for_update()
)
# Candidates' assigned conversations are only weighed by the load model
# (relaydesk.domain.load: takes_slot and conversation_weight read state, opened_at,
# last_activity_at, awaiting, customer_messages, recent_customer_lengths and complaint), so
# only those columns are read: tens of rows per event, and decoding every column of each was
# the largest cost left in routing.
_OWNED_COLUMNS = select(
    CONVERSATIONS.c.id,
    CONVERSATIONS.c.account_id,
    CONVERSATIONS.c.contact_id,
    CONVERSATIONS.c.owner_id,
    CONVERSATIONS.c.opened_at,
    CONVERSATIONS.c.awaiting,
    CONVERSATIONS.c.last_activity_at,
    CONVERSATIONS.c.customer_messages,
    CONVERSATIONS.c.recent_customer_lengths,
    CONVERSATIONS.c.complaint,
).where(CONVERSATIONS.c.owner_id.in_(bindparam("ids", expanding=True)))
_OWNED = {
    "postgresql": _OWNED_COLUMNS.where(CONVERSATIONS.c.state == "assigned"),
    # Without statistics SQLite's planner takes the index on state, i.e. reads every assigned
    # conversation of the team for each new one (5x slower at 1,600); the unary + keeps it on
    # the owner index (the candidates' own conversations only).
    "sqlite": _OWNED_COLUMNS.where(text("+conversations.state = 'assigned'")),
}
_CONVERSATION_NEW = insert(CONVERSATIONS)
_OWNERSHIP_NEW = insert(OWNERSHIPS)
_AGENT_CHANGE = update(AGENTS).where(AGENTS.c.id == bindparam("b_id"))
_DEADLINE_NEW = insert(DEADLINES)
_DEADLINE_MOVE = update(DEADLINES).where(
    DEADLINES.c.kind == bindparam("b_kind"), DEADLINES.c.subject_id == bindparam("b_subject")
)


async def _candidates_sql(tx: Tx, account_id: str) -> tuple[list[Candidate], dict[str, Any]]:
    """:func:`candidates_for` as plain rows: the agents locked, with their loads.

    An agent's ``accounts`` holds only this account (when they are a member of it).
    """
    # ids are hex, so the JSON text match cannot be fooled (as in _may_serve)
    rows = (
        await tx.execute(_SERVING_AGENTS, {"account_id": account_id, "listed": f'"{account_id}"'})
    ).all()
    owned: dict[str, list[Conversation]] = {r.id: [] for r in rows}
    member_of = frozenset((account_id,))
    agents = [agent_from_row(r, member_of if r.is_member else frozenset(), tx.rules) for r in rows]
    agents = [a for a in agents if a.serves_account(account_id)]
    if agents:
        owned_by = _OWNED[tx.session.get_bind().dialect.name]
        for row in await tx.execute(owned_by, {"ids": [a.id for a in agents]}):
            owned[row.owner_id].append(
                Conversation(
                    id=row.id,
                    account_id=row.account_id,
                    contact_id=row.contact_id,
                    opened_at=row.opened_at,
                    state=ConversationState.ASSIGNED,
                    owner_id=row.owner_id,
                    awaiting=Awaiting(row.awaiting),
                    last_activity_at=row.last_activity_at,
                    customer_messages=row.customer_messages,
                    recent_customer_lengths=list(row.recent_customer_lengths or ()),
                    complaint=row.complaint,
                )
            )
    team_speed = team_first_reply_s(agents)
    day, mean = await tx.workload.today(tx, agents)  # the load model's day term
    candidates = [
        (
            a,
            agent_load(
                a,
                owned[a.id],
                tx.now,
                tx.rules.load,
                team_speed,
                assigned_today=day[a.id],
                team_mean_today=mean,
            ),
        )
        for a in agents
    ]
    return candidates, {r.id: r for r in rows}


async def store_deadline(tx: Tx, kind: str, subject_id: str, due_at: float) -> None:
    """:func:`set_deadline` in plain SQL for a subject that may already have the timer."""
    await tx.write_later()  # a timer batched earlier in the transaction is moved, not doubled
    moved = await tx.execute(
        _DEADLINE_MOVE, {"b_kind": kind, "b_subject": subject_id, "due_at": due_at}
    )
    if moved.rowcount == 0:  # type: ignore[attr-defined]
        await tx.execute(_DEADLINE_NEW, {"kind": kind, "subject_id": subject_id, "due_at": due_at})
    tx.deadline_added(due_at)


async def route_new(tx: Tx, values: dict[str, Any], contact_handle: str) -> str | None:
    """Open and route a conversation (``values`` by attribute name, not yet stored).

    The same decisions as :func:`route` for a conversation created in this transaction
    (no stored timers or ownerships to look up); returns the owner, if any.
    """
    candidates, agent_rows = await _candidates_sql(tx, values["account_id"])
    conv = conversation_from_row(SimpleNamespace(**values))
    choice = choose_agent(conv, candidates, tx.rules, tx.now)
    decisions: list[Decision]
    requeue: float | None = None
    if choice is None:
        conv.state = ConversationState.QUEUED
        decisions = [Queued(conv.id, tx.now, "no_eligible_agent")]
        requeue = _next_retry(conv, candidates, tx)
    else:
        agent = next(a for a, _ in candidates if a.id == choice.agent_id)
        decisions = [handoff.take_ownership(conv, agent, tx.now, choice.reason, tx.rules)]
    stored = {**values, **conversation_values(conv)}
    await tx.execute(
        _CONVERSATION_NEW, {CONVERSATION_COLUMNS[name]: value for name, value in stored.items()}
    )
    # Ownership stretches and timers of the new conversation are read by no later statement
    # of the event path: they are written with the transaction's others (Tx.write_later).
    for s in conv.owner_history:
        if s.end is None:
            tx.insert_later(
                _OWNERSHIP_NEW,
                {
                    "conversation_id": conv.id,
                    "agent_id": s.agent_id,
                    "start": s.start,
                    "reason": s.reason,
                },
            )
    if conv.owner_id is not None:  # for the load model's day term
        await tx.workload.assigned(tx, conv.owner_id)
    conv.owner_history.clear()
    for agent, _ in candidates:  # only what routing changed (the chosen agent's pace)
        row = agent_rows[agent.id]
        changed = {
            name: value
            for name, value in agent_values(agent, tx.now, tx.rules.load.pace_window_s).items()
            if getattr(row, name) != value
        }
        if changed:
            await tx.execute(_AGENT_CHANGE, {"b_id": agent.id, **changed})
    for kind, due in (("reply", conv.reply_deadline), ("requeue", requeue)):
        if due is not None:
            tx.insert_later(_DEADLINE_NEW, {"kind": kind, "subject_id": conv.id, "due_at": due})
            tx.deadline_added(due)
    payload = {
        "conversation_id": conv.id,
        "account_id": conv.account_id,
        "contact_id": conv.contact_id,
        "contact_handle": contact_handle,
        "reply_deadline": conv.reply_deadline,
        "owner_id": conv.owner_id,
        "state": stored["state"],
        "priority": conv.priority,
        "label": conv.label,
    }
    for decision in decisions:
        if isinstance(decision, Assigned):
            await tx.outbox.add(
                decision.agent_id, "assigned", {**payload, "reason": decision.reason}
            )
        elif isinstance(decision, Queued):
            await _queue_changed(tx, SimpleNamespace(account_id=conv.account_id))
        else:  # choose_agent's outcome is an assignment or the queue, nothing else
            raise AssertionError(f"unexpected decision for a new conversation: {decision}")
    return conv.owner_id


# ---------------------------------------------------------------- routing operations


async def route(tx: Tx, row: ConversationRow, exclude: str | None = None) -> list[Decision]:
    """Assign a queued (or new) conversation now, or leave it queued with a retry timer.

    ``exclude`` is an agent who just gave the conversation away and must not get it back.
    """
    candidates, agent_rows = await candidates_for(tx, row.account_id)
    candidates = [c for c in candidates if c[0].id != exclude]
    conv = conversation_from_row(row)
    choice = choose_agent(conv, candidates, tx.rules, tx.now)
    agents = {a.id: a for a, _ in candidates}
    decisions: list[Decision]
    if choice is None:
        conv.state = ConversationState.QUEUED
        decisions = [Queued(conv.id, tx.now, "no_eligible_agent")]
        await set_deadline(tx, "requeue", row.id, _next_retry(conv, candidates, tx))
    else:
        decisions = [
            handoff.take_ownership(conv, agents[choice.agent_id], tx.now, choice.reason, tx.rules)
        ]
        await set_deadline(tx, "requeue", row.id, None)
    await apply(tx, row, conv, decisions, agents, agent_rows)
    return decisions


def _next_retry(conv: Conversation, candidates: Sequence[Candidate], tx: Tx) -> float | None:
    """When waiting alone can change the answer: a sticky hold ends or a requirement relaxes."""
    times: list[float] = []
    if sticky_hold(conv, candidates, tx.rules, tx.now) is not None and conv.waiting_since:
        times.append(conv.waiting_since + tx.rules.sticky_grace_s)
    if conv.language or conv.required_skills:
        times.extend(relaxation_times(conv, tx.rules))
    future = [t for t in times if t > tx.now]
    return min(future) if future else None


async def drain_queue(tx: Tx, agent_row: AgentRow) -> None:
    """Give an agent with room the best queued conversations they may serve, one by one."""
    if agent_row.status != AgentStatus.ONLINE.value or not agent_row.active:
        return
    while True:
        agent, load = await load_of(tx, agent_row)
        accounts = sorted(agent.accounts | agent.open_accounts)
        if not load.has_room or not accounts:
            return
        rows = list(
            await tx.session.scalars(
                select(ConversationRow)
                .where(ConversationRow.state == "queued", ConversationRow.account_id.in_(accounts))
                .with_for_update(skip_locked=True)
            )
        )
        by_id = {r.id: r for r in rows}
        queue = [conversation_from_row(r) for r in rows]
        conv = pick_from_queue(agent, load, queue, tx.rules, tx.now)
        if conv is None:
            return
        decision = handoff.take_ownership(conv, agent, tx.now, "queue", tx.rules)
        await set_deadline(tx, "requeue", conv.id, None)
        await apply(tx, by_id[conv.id], conv, [decision], {agent.id: agent}, {agent.id: agent_row})


async def close(tx: Tx, row: ConversationRow) -> None:
    owner_id = row.owner_id
    conv = conversation_from_row(row)
    handoff.close_ownership(conv, tx.now)
    conv.reply_deadline = None
    row.closed_at = tx.now
    await apply(tx, row, conv, [], {}, {})
    await set_deadline(tx, "requeue", row.id, None)
    if owner_id is not None:
        await tx.outbox.add(
            owner_id,
            "owner_changed",
            {**(await _conversation_payload(tx, row)), "reason": "closed"},
        )
        owner = await tx.session.get(AgentRow, owner_id)
        if owner is not None:
            await drain_queue(tx, owner)


async def transfer(tx: Tx, row: ConversationRow, to_agent_id: str | None) -> None:
    """Hand a conversation to a named agent (even over capacity: a person decided) or the queue."""
    from_id = row.owner_id
    conv = conversation_from_row(row)
    decisions: list[Decision] = []
    agents: dict[str, Agent] = {}
    agent_rows: dict[str, AgentRow] = {}
    if to_agent_id is None:
        handoff.release_ownership(conv, tx.now)
        if from_id:  # never straight back to the giver, also not from the queue (drain below)
            conv.lapsed_agent_ids.add(from_id)
            decisions.append(HandedOff(conv.id, from_id, None, tx.now, "transfer"))
        decisions.append(Queued(conv.id, tx.now, "transfer"))
    else:
        target = await tx.session.get(AgentRow, to_agent_id, with_for_update=True)
        assert target is not None
        agent, _ = await load_of(tx, target)
        agents, agent_rows = {agent.id: agent}, {agent.id: target}
        assigned = handoff.take_ownership(conv, agent, tx.now, "transfer", tx.rules)
        if from_id:
            decisions.append(HandedOff(conv.id, from_id, to_agent_id, tx.now, "transfer"))
        decisions.append(assigned)
    await apply(tx, row, conv, decisions, agents, agent_rows)
    if to_agent_id is None:
        await route(tx, row, exclude=from_id)
    else:
        _, load = await load_of(tx, agent_rows[to_agent_id])
        if load.over_capacity:
            message = f"holds {load.slots_used} conversations for a capacity of {load.capacity}"
            await record_warning(tx, Warning("overload", tx.now, message, row.id, to_agent_id), row)
    if from_id:
        previous = await tx.session.get(AgentRow, from_id)
        if previous is not None:
            await drain_queue(tx, previous)


async def on_reply_deadline(tx: Tx, row: ConversationRow) -> None:
    if row.state != "assigned" or row.reply_deadline is None or row.reply_deadline > tx.now:
        return
    candidates, agent_rows = await candidates_for(tx, row.account_id)
    conv = conversation_from_row(row)
    decisions = handoff.on_deadline(conv, candidates, tx.rules, tx.now)
    await apply(tx, row, conv, decisions, {a.id: a for a, _ in candidates}, agent_rows)


async def on_agent_gone(tx: Tx, agent_row: AgentRow) -> None:
    """No heartbeat for the grace period: offline, and what waits on them goes elsewhere."""
    agent_row.status = AgentStatus.OFFLINE.value
    owned = list(
        await tx.session.scalars(
            select(ConversationRow)
            .where(ConversationRow.owner_id == agent_row.id, ConversationRow.state == "assigned")
            .order_by(ConversationRow.opened_at)
        )
    )
    for row in owned:
        candidates, agent_rows = await candidates_for(tx, row.account_id)
        conv = conversation_from_row(row)
        decisions = handoff.agent_gone(conv, candidates, tx.rules, tx.now)
        if decisions:
            await apply(tx, row, conv, decisions, {a.id: a for a, _ in candidates}, agent_rows)
            if conv.state is ConversationState.QUEUED:
                await set_deadline(tx, "requeue", row.id, _next_retry(conv, candidates, tx))


async def delete_deadlines_for(tx: Tx, subject_id: str) -> None:
    await tx.session.execute(delete(DeadlineRow).where(DeadlineRow.subject_id == subject_id))
