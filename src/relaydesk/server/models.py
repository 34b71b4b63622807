"""The team server's tables (SQLAlchemy 2.0). Times are Unix seconds as floats, like the domain's.

Ids are short random strings so that the domain's ``str`` ids map one to one. A naming convention
keeps constraint names stable across SQLite and PostgreSQL, which Alembic's batch mode needs.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# How much of a customer's first message an intake keeps (for the volume-anomaly keywords).
FIRST_TEXT_CHARS = 200


def new_id() -> str:
    return secrets.token_hex(8)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class AgentRow(Base):
    """A person with a login: ``role`` is agent, supervisor or admin; ``team`` scopes visibility."""

    __tablename__ = "agents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="agent")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    team: Mapped[str | None] = mapped_column(String(120), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="offline")
    open_accounts: Mapped[list[Any]] = mapped_column(default=list)
    last_seen_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_assigned_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    first_reply_ema_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    reply_samples: Mapped[int] = mapped_column(Integer, default=0)
    recent_assignments: Mapped[list[Any]] = mapped_column(default=list)
    # False between the end and the start of a scheduled shift (set by the shift deadlines):
    # routing and split links then pass the agent by. No schedule: always on shift.
    on_shift: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class TokenRow(Base):
    """A bearer token, stored as its SHA-256 only; ``revoked_at`` set on logout."""

    __tablename__ = "tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class AccountRow(Base):
    """One login on one platform; ``shared`` accounts are open on several workstations."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "handle"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    platform: Mapped[str] = mapped_column(String(40))
    handle: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    team: Mapped[str | None] = mapped_column(String(120), nullable=True)


class AccountMemberRow(Base):
    __tablename__ = "account_members"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[str] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ContactRow(Base):
    """A customer keyed by (platform, handle)."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("platform", "handle"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    platform: Mapped[str] = mapped_column(String(40))
    handle: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(20), nullable=True)
    tags: Mapped[list[Any]] = mapped_column(default=list)


class ConversationRow(Base):
    """An exchange between one contact and one account; at most one open per pair."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index(
            "uq_conversations_open_pair",
            "account_id",
            "contact_id",
            unique=True,
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    opened_at: Mapped[float] = mapped_column(Float)
    closed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(20), default="organic")
    returning: Mapped[bool] = mapped_column("is_returning", Boolean, default=False)
    previous_agent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    link_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    language: Mapped[str | None] = mapped_column(String(20), nullable=True)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    waiting_since: Mapped[float | None] = mapped_column(Float, nullable=True)
    awaiting: Mapped[str] = mapped_column(String(20), default="agent")
    last_activity_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    reply_deadline: Mapped[float | None] = mapped_column(Float, nullable=True)
    lapsed_agent_ids: Mapped[list[Any]] = mapped_column(default=list)
    auto_handoffs: Mapped[int] = mapped_column(Integer, default=0)
    first_reply_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    customer_messages: Mapped[int] = mapped_column(Integer, default=0)
    agent_messages: Mapped[int] = mapped_column(Integer, default=0)
    customer_chars_total: Mapped[int] = mapped_column(Integer, default=0)
    recent_customer_lengths: Mapped[list[Any]] = mapped_column(default=list)


class OwnershipRow(Base):
    """One stretch of ownership; ``end`` is None while it lasts."""

    __tablename__ = "ownerships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), index=True)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float | None] = mapped_column(Float, nullable=True)
    reason: Mapped[str] = mapped_column(String(40), default="policy")


class ConversationNoteRow(Base):
    """A note an agent wrote about a conversation, for whoever takes it over (newest last)."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[float] = mapped_column(Float)


class ShiftScheduleRow(Base):
    """An agent's weekly shift schedule (``relaydesk.domain.shifts`` document); none = always on."""

    __tablename__ = "shift_schedules"

    agent_id: Mapped[str] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str] = mapped_column(String(64))
    intervals: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[float] = mapped_column(Float)


class KeptConversationRow(Base):
    """An owner's choice to keep a conversation past their shift's end (cleared when used)."""

    __tablename__ = "kept_conversations"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    at: Mapped[float] = mapped_column(Float)


class ReceivedEventRow(Base):
    """Client-made event ids already accepted, and the fingerprint of the message they carried."""

    __tablename__ = "received_events"

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    message_key: Mapped[str] = mapped_column(String(64), index=True)
    agent_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[float] = mapped_column(Float)


class MessageRow(Base):
    """One message fact (fingerprint), so the same message from several workstations counts once."""

    __tablename__ = "messages"

    message_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[float] = mapped_column(Float)


class IntakeRow(Base):
    """A contact seen on an account: ``returning`` False for a new fan, True for a return.

    ``first_text`` is the start of the customer's first message (``FIRST_TEXT_CHARS``), kept
    for the volume-anomaly check's keywords and cleared by it after ``TEXT_KEPT_DAYS``."""

    __tablename__ = "intakes"
    __table_args__ = (
        Index(
            "ix_intakes_texts_at",
            "at",
            sqlite_where=text("first_text IS NOT NULL"),
            postgresql_where=text("first_text IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    agent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    link_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    returning: Mapped[bool] = mapped_column("is_returning", Boolean)
    first_text: Mapped[str | None] = mapped_column(String(FIRST_TEXT_CHARS), nullable=True)


class WarningRow(Base):
    """A recorded warning (collision, handoff limit, no eligible agent, overload, volume
    anomaly); ``team`` is the team it concerns (None: no team, or not known for the kind)."""

    __tablename__ = "warnings"
    __table_args__ = (Index("ix_warnings_team_at", "team", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text, default="")
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    agent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    other_agent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    team: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # The figures a report lists with it (a volume anomaly's count, usual, stand-outs, ...).
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class AnomalyHourRow(Base):
    """A team's hour warned about as a volume anomaly, and the largest count warned about: the
    key lets one of several processes checking at the same instant warn, and the others not."""

    __tablename__ = "anomaly_hours"

    team: Mapped[str] = mapped_column(String(120), primary_key=True)  # "" for no team
    hour_start: Mapped[float] = mapped_column(Float, primary_key=True)
    warned_count: Mapped[int] = mapped_column(Integer)


class PushRow(Base):
    """A message for one recipient's stream, numbered per recipient so a client can resume."""

    __tablename__ = "pushes"
    __table_args__ = (UniqueConstraint("recipient_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient_id: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[float] = mapped_column(Float)


class PushCounterRow(Base):
    """The last sequence number given to each recipient (row-locked while numbering)."""

    __tablename__ = "push_counters"

    recipient_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class DeadlineRow(Base):
    """A stored timer: ``kind`` reply | offline_grace | skill_relax, fired by the scheduler."""

    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(32))  # a conversation or an agent
    due_at: Mapped[float] = mapped_column(Float, index=True)


class RulesRow(Base):
    """The one routing-rules document (row id 1); absent means the domain's defaults."""

    __tablename__ = "rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[float] = mapped_column(Float)


class LinkRow(Base):
    """A split link: ``targets`` [{account_id, weight, daily_quota}], ``hours`` optional,
    ``source`` what its traffic is (link or ad)."""

    __tablename__ = "links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    targets: Mapped[list[Any]] = mapped_column(default=list)
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    expires_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    team: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # What a conversation its code brings is marked as: "link" or "ad" (an ad campaign's link).
    source: Mapped[str] = mapped_column(String(20), default="link", server_default="link")


class ClickRow(Base):
    """One visit to /r/{slug}: which account it went to (None when nobody was available)."""

    __tablename__ = "clicks"
    __table_args__ = (Index("ix_clicks_link_visitor", "link_id", "visitor", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    link_id: Mapped[str] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    visitor: Mapped[str] = mapped_column(String(64))
    returning: Mapped[bool] = mapped_column("is_returning", Boolean, default=False)
    at: Mapped[float] = mapped_column(Float, index=True)
