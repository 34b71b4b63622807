"""What the workstations report: messages in and out, intakes, closes, deduplicated.

A client makes each event's id, so it can resend after any failure; a repeated id counts once.
The same customer message seen on several workstations of a shared account carries different
ids but the same fingerprint (account, contact, type, time, text), so it too counts once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from relaydesk.domain.decisions import Warning
from relaydesk.domain.models import Awaiting, Source
from relaydesk.domain.priority import ConversationFacts, detect_complaint, evaluate
from relaydesk.server import assignment
from relaydesk.server.models import (
    AccountRow,
    AgentRow,
    ContactRow,
    ConversationRow,
    IntakeRow,
    LinkRow,
    MessageRow,
    ReceivedEventRow,
)
from relaydesk.server.schemas import EventIn
from relaydesk.server.state import Tx

LINK_CODE = re.compile(r"#([A-Z0-9]{2,8})\b")


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0


def message_key(event: EventIn) -> str:
    parts = [
        event.type,
        event.account_id,
        event.contact.handle,
        repr(float(event.ts)),
        event.text or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


async def ingest(tx: Tx, reporter: AgentRow, event: EventIn, account: AccountRow) -> bool:
    """Apply one event; False when it was a duplicate.

    ``reporter`` identifies the workstation's agent and ``account`` is the event's account as
    the endpoint checked it (both may belong to no session: they are only read); the routing
    rows it changes are read inside the transaction.
    """
    key = message_key(event)
    client_id = f"{reporter.id}:{event.id}"
    # One statement both checks and records the client's id (a concurrent insert of the same
    # id on PostgreSQL waits for the other transaction, then counts as the repeat it is).
    received = await tx.session.execute(
        _insert_ignoring_repeats(tx)(ReceivedEventRow)
        .values(client_id=client_id, message_key=key, agent_id=reporter.id, received_at=tx.now)
        .on_conflict_do_nothing()
    )
    if received.rowcount == 0:  # type: ignore[attr-defined]
        return False
    if await tx.session.get(MessageRow, key) is not None:
        return False
    contact, is_new = await _contact(tx, account, event)
    conversation_id: str | None = None
    if event.type == "customer_message":
        conversation_id = await _customer_message(tx, account, contact, event, is_new)
    elif event.type == "agent_reply":
        conversation_id = await _agent_reply(tx, reporter.id, account, contact)
    elif event.type == "intake":
        _record_intake(
            tx, account, contact, event, None, reporter.id, await _returning(tx, contact, account)
        )
    elif event.type == "conversation_closed":
        row = await _open_conversation(tx, account.id, contact.id)
        if row is not None:
            conversation_id = row.id
            await assignment.close(tx, row)
    # Added last, with its conversation known: one INSERT, no UPDATE. A repeat later in the
    # same batch still finds it (the lookup above flushes first).
    tx.session.add(
        MessageRow(message_key=key, kind=event.type, at=event.ts, conversation_id=conversation_id)
    )
    return True


def _insert_ignoring_repeats(tx: Tx) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` (SQLite and PostgreSQL)."""
    return pg_insert if tx.session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def _contact(tx: Tx, account: AccountRow, event: EventIn) -> tuple[ContactRow, bool]:
    """The event's contact, and whether it is new (first seen in this transaction)."""
    contact = await tx.session.scalar(
        select(ContactRow).where(
            ContactRow.platform == account.platform, ContactRow.handle == event.contact.handle
        )
    )
    if contact is None:
        contact = ContactRow(
            platform=account.platform,
            handle=event.contact.handle,
            name=event.contact.name or "",
            language=event.contact.language,
            tags=sorted(event.tags or []),
        )
        tx.session.add(contact)
        await tx.session.flush()
        return contact, True
    else:
        if event.contact.name:
            contact.name = event.contact.name
        if event.contact.language:
            contact.language = event.contact.language
        if event.tags:
            contact.tags = sorted({*contact.tags, *event.tags})
    return contact, False


async def _open_conversation(tx: Tx, account_id: str, contact_id: str) -> ConversationRow | None:
    return await tx.session.scalar(
        select(ConversationRow)
        .where(
            ConversationRow.account_id == account_id,
            ConversationRow.contact_id == contact_id,
            ConversationRow.state != "closed",
        )
        .with_for_update()
    )


async def _returning(tx: Tx, contact: ContactRow, account: AccountRow) -> bool:
    """Whether the contact has been counted on this account before."""
    return bool(
        await tx.session.scalar(
            select(
                exists().where(
                    IntakeRow.contact_id == contact.id, IntakeRow.account_id == account.id
                )
            )
        )
    )


def _record_intake(
    tx: Tx,
    account: AccountRow,
    contact: ContactRow,
    event: EventIn,
    link_id: str | None,
    agent_id: str | None,
    returning: bool,
) -> None:
    """Count an intake (first time on this account) or a return (``returning``)."""
    tx.session.add(
        IntakeRow(
            contact_id=contact.id,
            account_id=account.id,
            agent_id=agent_id,
            link_id=link_id,
            at=event.ts,
            returning=returning,
        )
    )


async def _link_for(tx: Tx, text: str | None) -> LinkRow | None:
    match = LINK_CODE.search(text or "")
    if match is None:
        return None
    return await tx.session.scalar(select(LinkRow).where(LinkRow.code == match.group(1)))


async def _customer_message(
    tx: Tx, account: AccountRow, contact: ContactRow, event: EventIn, new_contact: bool
) -> str:
    text = event.text or ""
    # A contact first seen now has no conversations and no intakes: nothing to look up.
    row = None if new_contact else await _open_conversation(tx, account.id, contact.id)
    if row is not None:
        row.customer_messages += 1
        row.customer_chars_total += len(text)
        row.recent_customer_lengths = [*row.recent_customer_lengths[-19:], len(text)]
        row.last_activity_at = tx.now
        if row.awaiting == Awaiting.CUSTOMER.value:
            row.awaiting = Awaiting.AGENT.value
            row.waiting_since = tx.now
            if row.state == "assigned":
                row.reply_deadline = tx.now + tx.rules.reply_timeout_for(row.priority)
                await assignment.set_deadline(tx, "reply", row.id, row.reply_deadline)
        return row.id
    link = await _link_for(tx, text)
    previous = None
    returning = False
    if not new_contact:
        previous = await tx.session.scalar(
            select(ConversationRow)
            .where(
                ConversationRow.account_id == account.id, ConversationRow.contact_id == contact.id
            )
            .order_by(ConversationRow.opened_at.desc())
            .limit(1)
        )
        returning = await _returning(tx, contact, account)
    source = Source.LINK if link else Source(event.source or "organic")
    complaint = detect_complaint(text)
    tags = frozenset(contact.tags or ())
    facts = ConversationFacts(source, returning or previous is not None, tags, text, complaint)
    priority = evaluate(tx.rules.priority_rules, facts)
    row = ConversationRow(
        account_id=account.id,
        contact_id=contact.id,
        state="queued",
        opened_at=tx.now,
        priority=priority.level,
        label=priority.label,
        source=source.value,
        returning=facts.returning,
        previous_agent_id=previous.owner_id if previous else None,
        link_id=link.id if link else None,
        language=contact.language,
        tags=sorted(tags),
        complaint=priority.complaint,
        waiting_since=tx.now,
        awaiting=Awaiting.AGENT.value,
        last_activity_at=tx.now,
        customer_messages=1,
        customer_chars_total=len(text),
        recent_customer_lengths=[len(text)],
        lapsed_agent_ids=[],
        auto_handoffs=0,
        agent_messages=0,
    )
    tx.session.add(row)
    await tx.session.flush()
    tx.fresh_subjects.add(row.id)
    await assignment.route(tx, row)
    # Counted for whoever took the contact (or whoever had it before, while it waits).
    owner = row.owner_id or (previous.owner_id if previous else None)
    _record_intake(tx, account, contact, event, link.id if link else None, owner, returning)
    return row.id


async def _agent_reply(
    tx: Tx, reporter_id: str, account: AccountRow, contact: ContactRow
) -> str | None:
    row = await _open_conversation(tx, account.id, contact.id)
    if row is None:
        return None
    reporter = await tx.session.get(AgentRow, reporter_id)
    assert reporter is not None
    row.agent_messages += 1
    row.last_activity_at = tx.now
    if row.owner_id is not None and row.owner_id != reporter.id:
        warning = Warning(
            "collision",
            tx.now,
            f"{reporter.name or reporter.login} answered a conversation another agent owns",
            row.id,
            row.owner_id,
        )
        await assignment.record_warning(
            tx, warning, row, extra=[reporter.id], other_agent_id=reporter.id
        )
        return row.id
    if row.owner_id is None:
        await assignment.transfer(tx, row, reporter.id)
    if row.first_reply_at is None:
        row.first_reply_at = tx.now
        ema = reporter.first_reply_ema_s
        sample = tx.now - row.opened_at
        reporter.first_reply_ema_s = sample if ema is None else ema + 0.2 * (sample - ema)
        reporter.reply_samples += 1
    row.awaiting = Awaiting.CUSTOMER.value
    row.waiting_since = None
    row.reply_deadline = None
    await assignment.set_deadline(tx, "reply", row.id, None)
    return row.id
