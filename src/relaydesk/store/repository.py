"""The store's synchronous API: record what the recipes saw, read a customer's context.

``Store`` is called from one thread at a time: the desktop wraps it in ``AsyncStore``
(``async_store.py``), which runs every call on a single worker thread so the UI never waits on
disk. Each method is one transaction: when it returns, the write is committed and survives a
kill -9.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import phonenumbers
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from relaydesk.paths import AppPaths
from relaydesk.store import search as full_text
from relaydesk.store.backups import Backups
from relaydesk.store.card import read_card
from relaydesk.store.database import STORE_FILE, Rescue, StoreError, open_engine
from relaydesk.store.models import (
    Account,
    Contact,
    ContactTag,
    Conversation,
    IntakeEvent,
    Message,
    Note,
    Tag,
)
from relaydesk.store.views import ContactCard, RecordedMessage, SearchHit

T = TypeVar("T")

# A contact writing again after this much silence on an account is a new intake appearance.
APPEARANCE_GAP = timedelta(minutes=30)
HISTORY_LINES = 20
_E164 = re.compile(r"^\+\d{6,15}$")
_DIRECTIONS = {"in", "out"}
# What describes the person rather than one platform's contact: kept alike on all their contacts.
PERSON_FIELDS = frozenset({"vip", "language", "value", "segment"})


def phone_of(handle: str, phone: str | None) -> str | None:
    """The contact's E.164 number: ``phone`` normalised, or the handle when it is one."""
    candidate = phone if phone else (handle if _E164.match(handle) else None)
    if candidate is None:
        return None
    try:
        number = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException as error:
        raise StoreError(f"{candidate!r} is not an international phone number: {error}") from None
    if not phonenumbers.is_possible_number(number):
        raise StoreError(f"{candidate!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def person_key_of(account_id: str, handle: str, phone: str | None) -> str:
    """Same phone number on two accounts = one person; otherwise the person is the contact."""
    return f"tel:{phone}" if phone else f"acct:{account_id}:{handle}"


class Store:
    """The workstation's local store on one SQLite file (see the module docstring)."""

    def __init__(self, engine: Engine, path: Path, backups: Backups, rescue: Rescue | None) -> None:
        self.engine = engine
        self.path = path
        self.backups = backups
        self.rescue = rescue  # set when a damaged file was replaced at open; show rescue.message
        # Bumped whenever stored intake appearances are rewritten (not just added), so caches of
        # a day's arrivals (``IntakeLedger``) know to read the day again.
        self.intake_generation = 0
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path, backups: Backups | None = None) -> Store:
        """Open (check, rescue, migrate) the store at ``path``; backups beside it by default."""
        backups = backups or Backups(path.parent / "backups")
        engine, rescue = open_engine(path, backups)
        return cls(engine, path, backups, rescue)

    @classmethod
    def open_in(cls, paths: AppPaths, keep_backups: int = 7) -> Store:
        """The user's store in the app's data dir, with daily backups in its backups folder."""
        return cls.open(paths.data / STORE_FILE, Backups(paths.backups, keep_backups))

    def close(self) -> None:
        self.engine.dispose()

    def backup_if_due(self, today: date | None = None) -> Path | None:
        """Make today's backup unless there is one (call at start and once a day)."""
        return self.backups.make_if_due(self.path, today or datetime.now(UTC).date())

    def transaction(self, work: Callable[[Session], T]) -> T:
        with self._sessions.begin() as session:
            return work(session)

    # ---- recording what the recipes saw -------------------------------------------------

    def ensure_account(self, account_id: str, platform: str, label: str = "") -> None:
        def work(session: Session) -> None:
            account = session.get(Account, account_id)
            if account is None:
                session.add(Account(id=account_id, platform=platform, label=label))
            elif label and account.label != label:
                account.label = label

        self.transaction(work)

    def _contact(
        self,
        session: Session,
        account_id: str,
        handle: str,
        name: str,
        phone: str | None,
        at: datetime,
    ) -> tuple[Contact, bool]:
        contact = session.scalar(
            select(Contact).where(Contact.account_id == account_id, Contact.handle == handle)
        )
        if contact is not None:
            if phone and contact.phone is None:
                self._join_by_phone(session, contact, phone_of(handle, phone))
            if name and name != contact.name:
                contact.name = name
                full_text.index_contact(session, contact)
            contact.last_seen = max(contact.last_seen, at)
            return contact, False
        if session.get(Account, account_id) is None:
            raise StoreError(f"unknown account {account_id!r}: add it with ensure_account first")
        number = phone_of(handle, phone)
        contact = Contact(
            account_id=account_id,
            handle=handle,
            name=name,
            phone=number,
            person_key=person_key_of(account_id, handle, number),
            first_seen=at,
            last_seen=at,
            vip=False,
        )
        session.add(contact)
        session.flush()
        full_text.index_contact(session, contact)
        return contact, True

    def _join_by_phone(self, session: Session, contact: Contact, number: str | None) -> None:
        """A phone number learnt later joins the contact to the person with that number."""
        if number is None:
            return
        self.intake_generation += 1
        contact.phone = number
        contact.person_key = person_key_of(contact.account_id, contact.handle, number)
        session.execute(
            update(IntakeEvent)
            .where(IntakeEvent.contact_id == contact.id)
            .values(person_key=contact.person_key)
        )
        full_text.index_contact(session, contact)

    def see_contact(
        self,
        account_id: str,
        handle: str,
        name: str = "",
        phone: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """The contact's id, creating it on first sight; updates the name and last seen."""
        moment = at or datetime.now(UTC)
        return self.transaction(
            lambda session: self._contact(session, account_id, handle, name, phone, moment)[0].id
        )

    def record_message(
        self,
        account_id: str,
        handle: str,
        key: str,
        direction: str,
        text: str,
        sent_at: datetime,
        name: str = "",
        phone: str | None = None,
        arrival: bool = True,
    ) -> RecordedMessage:
        """Keep a message the recipe saw (once per ``key``); count intake appearances.

        ``arrival=False`` keeps the message without counting it as an appearance: the history
        already on screen when a chat is first read arrived before the app saw it.
        """
        if direction not in _DIRECTIONS:
            raise StoreError(f"message direction must be 'in' or 'out', got {direction!r}")
        if not key:
            raise StoreError("a message needs the platform's stable key to be kept once")

        def work(session: Session) -> RecordedMessage:
            from relaydesk.store.intake_events import note_appearance

            contact, new_contact = self._contact(session, account_id, handle, name, phone, sent_at)
            seen = session.scalar(
                select(Message.id).where(Message.account_id == account_id, Message.key == key)
            )
            if seen is not None:
                return RecordedMessage(contact.id, False, new_contact, False)
            conversation_id = session.scalar(
                select(Conversation.id).where(
                    Conversation.contact_id == contact.id, Conversation.closed_at.is_(None)
                )
            )
            if conversation_id is None:
                conversation = Conversation(
                    account_id=account_id, contact_id=contact.id, opened_at=sent_at
                )
                session.add(conversation)
                session.flush()
                conversation_id = conversation.id
            message = Message(
                account_id=account_id,
                contact_id=contact.id,
                conversation_id=conversation_id,
                key=key,
                direction=direction,
                text=text,
                sent_at=sent_at,
            )
            session.add(message)
            session.flush()
            full_text.index_message(session, message.id, text)
            appeared = arrival and direction == "in" and note_appearance(session, contact, sent_at)
            return RecordedMessage(contact.id, True, new_contact, appeared)

        return self.transaction(work)

    def note_arrival(
        self, account_id: str, handle: str, name: str = "", at: datetime | None = None
    ) -> bool:
        """A customer wrote in a chat that is not open (the chat list's unread count rose):
        an intake appearance without a message to keep. True when counted as one."""
        from relaydesk.store.intake_events import note_appearance

        moment = at or datetime.now(UTC)

        def work(session: Session) -> bool:
            contact, _ = self._contact(session, account_id, handle, name, None, moment)
            return note_appearance(session, contact, moment)

        return self.transaction(work)

    def adopt_handle(self, account_id: str, old_handle: str, new_handle: str) -> int | None:
        """The chat first known by ``old_handle`` (a chat-list title) turns out to be
        ``new_handle`` (the open chat's stable id or phone number): one contact from now on.
        Returns the contact's id, or None when neither is known."""

        def work(session: Session) -> int | None:
            def find(handle: str) -> Contact | None:
                return session.scalar(
                    select(Contact).where(
                        Contact.account_id == account_id, Contact.handle == handle
                    )
                )

            old, new = find(old_handle), find(new_handle)
            if old is None:
                return None if new is None else new.id
            if new is None:
                old.handle = new_handle
                number = phone_of(new_handle, None)
                if number is not None and old.phone is None:
                    self._join_by_phone(session, old, number)
                else:
                    full_text.index_contact(session, old)
                return old.id
            self.intake_generation += 1  # the old contact's appearances become the new one's
            for table in (Message, Conversation, Note, IntakeEvent):
                session.execute(
                    update(table).where(table.contact_id == old.id).values(contact_id=new.id)
                )
            session.execute(
                update(IntakeEvent)
                .where(IntakeEvent.contact_id == new.id)
                .values(person_key=new.person_key)
            )

            def tag_ids(contact_id: int) -> set[int]:
                query = select(ContactTag.tag_id).where(ContactTag.contact_id == contact_id)
                return set(session.scalars(query))

            for tag_id in tag_ids(old.id) - tag_ids(new.id):
                session.add(ContactTag(contact_id=new.id, tag_id=tag_id))
            new.first_seen = min(new.first_seen, old.first_seen)
            new.last_seen = max(new.last_seen, old.last_seen)
            new.vip = new.vip or old.vip
            for name in ("language", "value", "segment", "translation_engine"):
                if getattr(new, name) is None:
                    setattr(new, name, getattr(old, name))
            new.name = new.name or old.name
            session.flush()
            full_text.index_contact(session, new)
            full_text.unindex_contact(session, old.id)
            session.delete(old)
            return new.id

        return self.transaction(work)

    # ---- what the agent does on the card ------------------------------------------------

    def add_note(self, contact_id: int, text: str, at: datetime | None = None) -> int:
        if not text.strip():
            raise StoreError("a note needs some text")
        moment = at or datetime.now(UTC)

        def work(session: Session) -> int:
            self._require_contact(session, contact_id)
            note = Note(contact_id=contact_id, text=text, created_at=moment, updated_at=moment)
            session.add(note)
            session.flush()
            full_text.index_note(session, note.id, text)
            return note.id

        return self.transaction(work)

    def edit_note(self, note_id: int, text: str, at: datetime | None = None) -> None:
        """Change a note's text; an empty text deletes the note."""
        moment = at or datetime.now(UTC)

        def work(session: Session) -> None:
            note = session.get(Note, note_id)
            if note is None:
                raise StoreError(f"there is no note {note_id}")
            if not text.strip():
                session.delete(note)
                full_text.unindex_note(session, note_id)
                return
            note.text, note.updated_at = text, moment
            full_text.index_note(session, note_id, text)

        self.transaction(work)

    def tag(self, contact_id: int, name: str) -> None:
        name = name.strip()
        if not name:
            raise StoreError("a tag needs a name")

        def work(session: Session) -> None:
            self._require_contact(session, contact_id)
            tag_id = session.scalar(select(Tag.id).where(Tag.name == name))
            if tag_id is None:
                tag = Tag(name=name)
                session.add(tag)
                session.flush()
                tag_id = tag.id
            if session.get(ContactTag, (contact_id, tag_id)) is None:
                session.add(ContactTag(contact_id=contact_id, tag_id=tag_id))

        self.transaction(work)

    def untag(self, contact_id: int, name: str) -> None:
        self.transaction(
            lambda session: session.execute(
                delete(ContactTag).where(
                    ContactTag.contact_id == contact_id,
                    ContactTag.tag_id.in_(select(Tag.id).where(Tag.name == name)),
                )
            )
        )

    def update_contact(self, contact_id: int, **fields: object) -> None:
        """Set ``vip``, ``language``, ``value``, ``segment``, ``previous_agent``, ``name``,
        ``translation_engine`` or ``translate_incoming``.

        VIP, language, value and segment describe the person, so they are set on every contact
        of the person (the same phone number on WhatsApp and Telegram shows the same VIP mark).
        """
        allowed = PERSON_FIELDS | {
            "previous_agent", "name", "translation_engine", "translate_incoming"
        }  # fmt: skip
        unknown = set(fields) - allowed
        if unknown:
            raise StoreError(f"cannot set {sorted(unknown)} on a contact, only {sorted(allowed)}")

        def work(session: Session) -> None:
            contact = self._require_contact(session, contact_id)
            for name, value in fields.items():
                setattr(contact, name, value)
            if "name" in fields:
                full_text.index_contact(session, contact)
            shared = {name: value for name, value in fields.items() if name in PERSON_FIELDS}
            if shared:
                session.execute(
                    update(Contact)
                    .where(Contact.person_key == contact.person_key, Contact.id != contact.id)
                    .values(**shared)
                )

        self.transaction(work)

    def set_account_engine(self, account_id: str, engine: str | None) -> None:
        """The account's translation engine (None: the default from the settings)."""

        def work(session: Session) -> None:
            account = session.get(Account, account_id)
            if account is None:
                raise StoreError(f"unknown account {account_id!r}")
            account.translation_engine = engine

        self.transaction(work)

    def account_engines(self) -> dict[str, str]:
        """Each account's chosen translation engine (accounts on the default are left out)."""
        rows = self.transaction(
            lambda session: session.execute(
                select(Account.id, Account.translation_engine).where(
                    Account.translation_engine.is_not(None)
                )
            ).all()
        )
        return {account_id: str(engine) for account_id, engine in rows}

    def close_conversation(self, contact_id: int, at: datetime | None = None) -> bool:
        """Close the contact's open conversation; False when none was open."""
        moment = at or datetime.now(UTC)

        def work(session: Session) -> bool:
            closed = session.scalars(
                update(Conversation)
                .where(Conversation.contact_id == contact_id, Conversation.closed_at.is_(None))
                .values(closed_at=moment)
                .returning(Conversation.id)
            ).all()
            return bool(closed)

        return self.transaction(work)

    @staticmethod
    def _require_contact(session: Session, contact_id: int) -> Contact:
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise StoreError(f"there is no contact {contact_id}")
        return contact

    # ---- reading --------------------------------------------------------------------------

    def find_contact(self, account_id: str, handle: str) -> int | None:
        return self.transaction(
            lambda session: session.scalar(
                select(Contact.id).where(Contact.account_id == account_id, Contact.handle == handle)
            )
        )

    def contact_card(self, contact_id: int, history: int = HISTORY_LINES) -> ContactCard:
        """The side panel's card for a contact, joined up across accounts by person."""

        with self.engine.connect() as connection:
            return read_card(connection, contact_id, history)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Contacts, notes and messages matching ``query`` (newest messages first)."""
        return self.transaction(lambda session: full_text.search(session, query, limit))

    def quick_check(self) -> str:
        with self.engine.connect() as connection:
            return str(connection.execute(text("PRAGMA quick_check")).scalar())
