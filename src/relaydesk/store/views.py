"""What the store hands out: plain frozen records, safe to pass to the UI thread.

No ORM object leaves the store (they are bound to a session and a thread); widgets and the sync
part get these instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class NoteView:
    id: int
    contact_id: int
    text: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One message in the recent history of a person, on whichever account it was seen."""

    account_id: str
    direction: str  # "in" from the customer, "out" from us
    text: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class ContactCard:
    """Everything the side panel shows about the customer of the active chat.

    ``first_seen``/``last_seen``, notes, tags and history cover the person on all accounts (same
    phone number = same person); ``accounts`` lists where else they have written.
    """

    contact_id: int
    account_id: str
    name: str
    handle: str
    phone: str | None
    language: str | None
    tags: tuple[str, ...]
    value: float | None
    segment: str | None
    vip: bool
    notes: tuple[NoteView, ...]
    first_seen: datetime
    last_seen: datetime
    previous_agent: str | None
    accounts: tuple[str, ...]
    history: tuple[HistoryLine, ...]
    open_conversation: bool
    translation_engine: str | None = None  # this contact's engine override (None: the account's)
    translate_incoming: bool = True  # the per-chat toggle of incoming translation


@dataclass(frozen=True, slots=True)
class RecordedMessage:
    """What recording a seen message did: the contact, and whether anything was new."""

    contact_id: int
    stored: bool  # False when this message key was already stored (seen twice)
    new_contact: bool  # the contact's first appearance on this account
    appearance: bool  # counted as an intake appearance (first message or after a silence)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: ``kind`` is ``contact``, ``note`` or ``message``."""

    kind: str
    id: int
    contact_id: int
    account_id: str
    text: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class Appearance:
    """An intake appearance as the counter needs it."""

    account_id: str
    contact_id: int
    person_key: str
    at: datetime
