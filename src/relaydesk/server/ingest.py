"""What the workstations report: messages in and out, intakes, closes, deduplicated.

A client makes each event's id, so it can resend after any failure; a repeated id counts once.
The same customer message seen on several workstations of a shared account carries different
ids but the same fingerprint (account, contact, type, time, text), so it too counts once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Boolean, Row, Table, bindparam, exists, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from relaydesk.domain.decisions import Warning
from relaydesk.domain.models import Awaiting, Source
from relaydesk.domain.priority import ConversationFacts, detect_complaint, evaluate
from relaydesk.server import assignment, attribution
from relaydesk.server.anomalies import first_text
from relaydesk.server.models import (
    AccountMemberRow,
    AccountRow,
    AgentRow,
    ContactRow,
    ConversationRow,
    IntakeRow,
    MessageRow,
    ReceivedEventRow,
    new_id,
)
from relaydesk.server.schemas import EventIn
from relaydesk.server.state import Tx

ACCOUNTS = cast(Table, AccountRow.__table__)
MEMBERS = cast(Table, AccountMemberRow.__table__)
RECEIVED = cast(Table, ReceivedEventRow.__table__)
MESSAGES = cast(Table, MessageRow.__table__)
CONTACTS = cast(Table, ContactRow.__table__)
INTAKES = cast(Table, IntakeRow.__table__)
CONVERSATIONS = assignment.CONVERSATIONS
HOLDING_TAG = "holding"  # an agent_reply that only told the customer about the wait

# The event path's statements, built once: SQLAlchemy then skips constructing them and
# computing their cache keys on every event (most of its cost per statement); values are bound
# at execution, by name.
# relaydesk.server.access.reportable_account as one statement built once: an admin reports for
# any account, anyone else for their team's accounts and those they are a member of.
_REPORTABLE = select(ACCOUNTS.c.id, ACCOUNTS.c.platform, ACCOUNTS.c.team).where(
    ACCOUNTS.c.id == bindparam("account_id"),
    or_(
        bindparam("admin", type_=Boolean),
        ACCOUNTS.c.team == bindparam("team"),  # NULL (no team) matches nothing
        select(MEMBERS.c.agent_id)
        .where(MEMBERS.c.account_id == ACCOUNTS.c.id, MEMBERS.c.agent_id == bindparam("agent_id"))
        .exists(),
    ),
)
_RECEIVED_NEW = {
    dialect: insert_of(RECEIVED).on_conflict_do_nothing()
    for dialect, insert_of in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_MESSAGE_SEEN = select(MESSAGES.c.message_key).where(MESSAGES.c.message_key == bindparam("key"))
_MESSAGE_NEW = insert(MESSAGES)
_CONTACT = select(CONTACTS.c.id, CONTACTS.c.name, CONTACTS.c.language, CONTACTS.c.tags).where(
    CONTACTS.c.platform == bindparam("platform"), CONTACTS.c.handle == bindparam("handle")
)
_CONTACT_NEW = insert(CONTACTS)
_CONTACT_CHANGE = update(CONTACTS).where(CONTACTS.c.id == bindparam("b_id"))
_RETURNING = select(
    exists().where(
        INTAKES.c.contact_id == bindparam("contact_id"),
        INTAKES.c.account_id == bindparam("account_id"),
    )
)
_INTAKE_NEW = insert(INTAKES)
_OPEN_CONVERSATION = (
    select(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.account_id == bindparam("account_id"),
        CONVERSATIONS.c.contact_id == bindparam("contact_id"),
        CONVERSATIONS.c.state != "closed",
    )
    .with_for_update()
)
_CONVERSATION_CHANGE = update(CONVERSATIONS).where(CONVERSATIONS.c.id == bindparam("b_id"))
_PREVIOUS_OWNER = (
    select(CONVERSATIONS.c.owner_id)
    .where(
        CONVERSATIONS.c.account_id == bindparam("account_id"),
        CONVERSATIONS.c.contact_id == bindparam("contact_id"),
    )
    .order_by(CONVERSATIONS.c.opened_at.desc())
    .limit(1)
)


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class Contact:
    """What the event path needs of a contact row."""

    id: str
    handle: str
    language: str | None
    tags: tuple[str, ...]


async def reportable_account(
    tx: Tx, caller: AgentRow, account_id: str
) -> Row[Any] | None:
    """The account (id, platform, team) when ``caller`` may report events for it, else None."""
    params = {
        "account_id": account_id,
        "admin": caller.role == "admin",
        "team": caller.team,
        "agent_id": caller.id,
    }
    return (await tx.execute(_REPORTABLE, params)).first()


def message_key(event: EventIn) -> str:
    parts = [
        event.type,
        event.account_id,
        event.contact.handle,
        repr(float(event.ts)),
        event.text or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


async def ingest(
    tx: Tx, reporter: AgentRow, event: EventIn, account: AccountRow | Row[Any]
) -> bool:
    """Apply one event; False when it was a duplicate.

    ``reporter`` identifies the workstation's agent and ``account`` is the event's account as
    the endpoint checked it (both may belong to no session: they are only read); the routing
    rows it changes are read inside the transaction.

    Customer messages (the bulk of the traffic) run as plain SQL statements; replies, intakes
    and closes go through the ORM. Several events share a transaction (group commit), so each
    starts from a clean session: ORM changes of the one before are flushed and its loaded rows
    let go (a later statement could change them behind the identity map's back).
    """
    await _clean_session(tx, event.type)
    key = message_key(event)
    client_id = f"{reporter.id}:{event.id}"
    # One statement both checks and records the client's id (a concurrent insert of the same
    # id on PostgreSQL waits for the other transaction, then counts as the repeat it is).
    received = await tx.execute(
        _RECEIVED_NEW[tx.session.get_bind().dialect.name],
        {
            "client_id": client_id,
            "message_key": key,
            "agent_id": reporter.id,
            "received_at": tx.now,
        },
    )
    if received.rowcount == 0:  # type: ignore[attr-defined]
        return False
    if key in tx.message_keys:  # recorded earlier in this transaction, not yet written
        return False
    seen = (await tx.execute(_MESSAGE_SEEN, {"key": key})).scalar()
    if seen is not None:
        return False
    contact, is_new = await _contact(tx, account, event)
    conversation_id: str | None = None
    if event.type == "customer_message":
        conversation_id = await _customer_message(tx, account, contact, event, is_new)
    elif event.type == "agent_reply":
        conversation_id = await _agent_reply(
            tx, reporter.id, account, contact, holding=HOLDING_TAG in (event.tags or ())
        )
    elif event.type == "intake":
        returned = await _returning(tx, contact.id, account.id)
        _record_intake(tx, account, contact, event, None, reporter.id, returned)
    elif event.type == "conversation_closed":
        row = await _open_conversation(tx, account.id, contact.id)
        if row is not None:
            conversation_id = row.id
            await assignment.close(tx, row)
        await tx.session.flush()
    # Added last, with its conversation known: one row, no UPDATE, written with the other
    # events' messages of the transaction; a repeat later in it finds the key in the set.
    tx.insert_later(
        _MESSAGE_NEW,
        {
            "message_key": key,
            "kind": event.type,
            "at": event.ts,
            "conversation_id": conversation_id,
        },
    )
    tx.message_keys.add(key)
    return True


async def _clean_session(tx: Tx, kind: str) -> None:
    if kind in ("agent_reply", "conversation_closed"):
        # These read ownerships and timers through the ORM: the batched rows go in first.
        await tx.write_later()
    session = tx.session
    if session.new or session.dirty or session.deleted:
        await session.flush()
    if session.identity_map:
        session.expunge_all()
        tx.fresh_subjects.clear()  # their timers are stored now: look them up
        tx.new_deadlines.clear()


async def _contact(tx: Tx, account: AccountRow | Row[Any], event: EventIn) -> tuple[Contact, bool]:
    """The event's contact, and whether it is new (first seen in this transaction)."""
    row = (
        await tx.execute(_CONTACT, {"platform": account.platform, "handle": event.contact.handle})
    ).first()
    if row is None:
        contact = Contact(
            new_id(), event.contact.handle, event.contact.language, tuple(sorted(event.tags or []))
        )
        await tx.execute(
            _CONTACT_NEW,
            {
                "id": contact.id,
                "platform": account.platform,
                "handle": contact.handle,
                "name": event.contact.name or "",
                "language": contact.language,
                "tags": list(contact.tags),
            },
        )
        return contact, True
    changes: dict[str, Any] = {}
    if event.contact.name and event.contact.name != row.name:
        changes["name"] = event.contact.name
    if event.contact.language and event.contact.language != row.language:
        changes["language"] = event.contact.language
    tags = list(row.tags or [])
    if event.tags:
        merged = sorted({*tags, *event.tags})
        if merged != tags:
            changes["tags"] = tags = merged
    if changes:
        await tx.execute(_CONTACT_CHANGE, {"b_id": row.id, **changes})
    language = changes.get("language", row.language)
    return Contact(row.id, event.contact.handle, language, tuple(tags)), False


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


async def _returning(tx: Tx, contact_id: str, account_id: str) -> bool:
    """Whether the contact has been counted on this account before."""
    if (contact_id, account_id) in tx.intakes_counted:
        return True
    return bool(
        (
            await tx.execute(_RETURNING, {"contact_id": contact_id, "account_id": account_id})
        ).scalar()
    )


def _record_intake(
    tx: Tx,
    account: AccountRow | Row[Any],
    contact: Contact,
    event: EventIn,
    link_id: str | None,
    agent_id: str | None,
    returning: bool,
) -> None:
    """Count an intake (first time on this account) or a return (``returning``), written with
    the transaction's other intakes."""
    tx.insert_later(
        _INTAKE_NEW,
        {
            "contact_id": contact.id,
            "account_id": account.id,
            "agent_id": agent_id,
            "link_id": link_id,
            "at": event.ts,
            "is_returning": returning,
            "first_text": first_text(event.text),
        },
    )
    tx.intakes_counted.add((contact.id, account.id))


async def _customer_message(
    tx: Tx, account: AccountRow | Row[Any], contact: Contact, event: EventIn, new_contact: bool
) -> str:
    """A follow-up updates the open conversation; otherwise a new one opens and is routed."""
    text = event.text or ""
    # A contact first seen now has no conversations and no intakes: nothing to look up.
    row = None
    if not new_contact:
        row = (
            await tx.execute(
                _OPEN_CONVERSATION, {"account_id": account.id, "contact_id": contact.id}
            )
        ).first()
    if row is not None:
        changes: dict[str, Any] = {
            "customer_messages": row.customer_messages + 1,
            "customer_chars_total": row.customer_chars_total + len(text),
            "recent_customer_lengths": [*(row.recent_customer_lengths or [])[-19:], len(text)],
            "last_activity_at": tx.now,
        }
        if row.awaiting == Awaiting.CUSTOMER.value:
            changes["awaiting"] = Awaiting.AGENT.value
            changes["waiting_since"] = tx.now
            if row.state == "assigned":
                due = tx.now + tx.rules.reply_timeout_for(row.priority)
                changes["reply_deadline"] = due
                await assignment.store_deadline(tx, "reply", row.id, due)
        # The real first message, reported late, may still name the link (attribution.py).
        changes.update(await attribution.attribute_late(tx, row, account, text, event.ts))
        await tx.execute(_CONVERSATION_CHANGE, {"b_id": row.id, **changes})
        return str(row.id)
    link = await attribution.link_for(tx, text, account)
    link_id = link[0] if link is not None else None
    previous_owner: str | None = None
    had_previous = False
    returning = False
    if not new_contact:
        previous = (
            await tx.execute(_PREVIOUS_OWNER, {"account_id": account.id, "contact_id": contact.id})
        ).first()
        had_previous = previous is not None
        previous_owner = previous.owner_id if previous is not None else None
        returning = await _returning(tx, contact.id, account.id)
    source = link[1] if link is not None else Source(event.source or "organic")
    complaint = detect_complaint(text)
    tags = frozenset(contact.tags)
    facts = ConversationFacts(source, returning or had_previous, tags, text, complaint)
    priority = evaluate(tx.rules.priority_rules, facts)
    values: dict[str, Any] = {
        "id": new_id(),
        "account_id": account.id,
        "contact_id": contact.id,
        "state": "queued",
        "owner_id": None,
        "opened_at": tx.now,
        "closed_at": None,
        "priority": priority.level,
        "label": priority.label,
        "source": source.value,
        "returning": facts.returning,
        "previous_agent_id": previous_owner,
        "link_id": link_id,
        "language": contact.language,
        "tags": sorted(tags),
        "complaint": priority.complaint,
        "waiting_since": tx.now,
        "awaiting": Awaiting.AGENT.value,
        "last_activity_at": tx.now,
        "reply_deadline": None,
        "lapsed_agent_ids": [],
        "auto_handoffs": 0,
        "first_reply_at": None,
        "customer_messages": 1,
        "agent_messages": 0,
        "customer_chars_total": len(text),
        "recent_customer_lengths": [len(text)],
    }
    owner = await assignment.route_new(tx, values, contact.handle)
    # Counted for whoever took the contact (or whoever had it before, while it waits).
    _record_intake(tx, account, contact, event, link_id, owner or previous_owner, returning)
    return str(values["id"])


async def _agent_reply(
    tx: Tx,
    reporter_id: str,
    account: AccountRow | Row[Any],
    contact: Contact,
    *,
    holding: bool = False,
) -> str | None:
    """An agent's message in the chat. A holding reply (tagged ``holding``) only told the
    customer about the wait: it neither answers (no first reply, the reply deadline runs on)
    nor takes a queued conversation, so auto-sent ones never load anyone."""
    row = await _open_conversation(tx, account.id, contact.id)
    if row is None:
        return None
    reporter = await tx.session.get(AgentRow, reporter_id)
    assert reporter is not None
    row.agent_messages += 1
    row.last_activity_at = tx.now
    if holding:
        await tx.session.flush()
        return row.id
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
    await tx.session.flush()
    return row.id
