"""The workstation's local cache as tables: who the customers are and what was seen of them.

One row per account, per contact on an account, per message seen (with the recipe's stable key
so a message seen twice is kept once), notes, tags, translations, intake appearances and the
sync outbox. A contact's ``person_key`` joins the same customer across accounts: the E.164 phone
number where one is known, otherwise the account and the platform's handle.

Times are stored as UTC epoch milliseconds (``UtcTime``): sortable, compact and fast to index on
SQLite, and always handed back as timezone-aware ``datetime`` values.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcTime(TypeDecorator[datetime]):
    """An aware ``datetime`` kept as integer milliseconds since the epoch (UTC)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"time without a timezone: {value!r} (the store keeps UTC)")
        return to_millis(value)

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_millis(value)


def to_millis(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def from_millis(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    """One signed-in messaging account on this workstation (the desktop's account id)."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200), default="")
    # The account's translation engine (a ``relaydesk.translate`` EngineKind); None: the default.
    translation_engine: Mapped[str | None] = mapped_column(String(16), default=None)


class Contact(Base):
    """A customer as seen on one account; ``person_key`` joins the same person across accounts."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("account_id", "handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    handle: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    person_key: Mapped[str] = mapped_column(String(300), index=True)
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    segment: Mapped[str | None] = mapped_column(String(64), default=None)
    value: Mapped[float | None] = mapped_column(Float, default=None)
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    previous_agent: Mapped[str | None] = mapped_column(String(200), default=None)
    first_seen: Mapped[datetime] = mapped_column(UtcTime)
    last_seen: Mapped[datetime] = mapped_column(UtcTime)
    translation_engine: Mapped[str | None] = mapped_column(String(16), default=None)  # override
    translate_incoming: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class Conversation(Base):
    """A stretch of talk with a contact on an account; open until closed by hand or by the team."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_contact_open", "contact_id", "closed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(UtcTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcTime, default=None)


class Message(Base):
    """A message the recipe saw; ``key`` is the platform's stable id, unique per account."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("account_id", "key"),
        Index("ix_messages_contact_sent", "contact_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), default=None
    )
    key: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(3))  # "in" from the customer, "out" from us
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcTime)


class Note(Base):
    """An agent's note on a contact; editable."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    updated_at: Mapped[datetime] = mapped_column(UtcTime)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class ContactTag(Base):
    __tablename__ = "contact_tags"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)


class Translation(Base):
    """A translation made once: by engine, language pair and the SHA-256 of the source text."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("engine", "source", "target", "text_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engine: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(16))
    text_hash: Mapped[str] = mapped_column(String(64))
    translated: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcTime)


class IntakeEvent(Base):
    """A contact appearing on an account: their first message, or one after a silence."""

    __tablename__ = "intake_events"
    __table_args__ = (
        Index(
            "ix_intake_events_at",
            "at",
            "account_id",
            "contact_id",
            "person_key",
            "first_on_account_at",
            "first_for_person_at",
        ),
        Index("ix_intake_events_person_at", "person_key", "account_id", "at"),
        Index("ix_intake_events_contact_at", "contact_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UtcTime)
    # the person's first appearance on this account, and on any account (for new vs returning)
    first_on_account_at: Mapped[datetime] = mapped_column(UtcTime, server_default="0")
    first_for_person_at: Mapped[datetime] = mapped_column(UtcTime, server_default="0")


class TeamFirstSeen(Base):
    """What a team server said about when the team first saw a contact (the intake counter's
    "team" scope asks each contact once); ``first_seen_at`` None: not seen by the team then."""

    __tablename__ = "team_first_seen"

    server: Mapped[str] = mapped_column(String(500), primary_key=True)  # the server's URL
    account_id: Mapped[str] = mapped_column(String(100), primary_key=True)  # the server's id
    handle: Mapped[str] = mapped_column(String(300), primary_key=True)
    first_seen_at: Mapped[datetime | None] = mapped_column(UtcTime, default=None)
    asked_at: Mapped[datetime] = mapped_column(UtcTime)


class OutboxEntry(Base):
    """Something to tell the team server, with an id made here so a resend counts once."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_pending", "sent_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcTime, default=None)
