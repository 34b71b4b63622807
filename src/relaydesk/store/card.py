"""Reading a contact card in a handful of plain SQL statements (the side panel's hot path).

The card is read on every chat switch, so it skips the ORM: six indexed statements on one
connection, each joined across accounts through the person key (same phone = same person).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from relaydesk.store.database import StoreError
from relaydesk.store.models import from_millis
from relaydesk.store.views import ContactCard, HistoryLine, NoteView

_CONTACT = """
SELECT id, account_id, name, handle, phone, language, value, segment, vip, previous_agent,
       person_key, translation_engine, translate_incoming
FROM contacts WHERE id = :id
"""
# The person's other contacts, most recently seen first: VIP, language, value and segment
# describe the person, so a mark set on one platform's contact shows on the others too.
_PERSON = """
SELECT account_id, first_seen, last_seen, vip, language, value, segment FROM contacts
WHERE person_key = :person ORDER BY last_seen DESC
"""
_TAGS = """
SELECT DISTINCT t.name FROM contact_tags AS ct JOIN tags AS t ON t.id = ct.tag_id
WHERE ct.contact_id IN (SELECT id FROM contacts WHERE person_key = :person) ORDER BY t.name
"""
_NOTES = """
SELECT id, contact_id, text, updated_at FROM notes
WHERE contact_id IN (SELECT id FROM contacts WHERE person_key = :person)
ORDER BY updated_at DESC
"""
_HISTORY = """
SELECT account_id, direction, text, sent_at FROM messages
WHERE contact_id IN (SELECT id FROM contacts WHERE person_key = :person)
ORDER BY sent_at DESC, id DESC LIMIT :lines
"""
_OPEN = "SELECT 1 FROM conversations WHERE contact_id = :id AND closed_at IS NULL LIMIT 1"


def read_card(connection: Connection, contact_id: int, history: int) -> ContactCard:
    def rows(sql: str, **params: Any) -> list[Any]:
        return list(connection.exec_driver_sql(sql, params).fetchall())

    found = rows(_CONTACT, id=contact_id)
    if not found:
        raise StoreError(f"there is no contact {contact_id}")
    (cid, account_id, name, handle, phone, language, value, segment, vip, previous, person,
     engine, translate_incoming) = found[0]  # fmt: skip
    people = rows(_PERSON, person=person)

    def of_person(own: Any, column: int) -> Any:
        """The contact's own value, else the person's most recently seen one."""
        return (
            own
            if own is not None
            else next((row[column] for row in people if row[column] is not None), None)
        )

    notes = rows(_NOTES, person=person)
    lines = rows(_HISTORY, person=person, lines=history)
    return ContactCard(
        contact_id=cid,
        account_id=account_id,
        name=name,
        handle=handle,
        phone=phone,
        language=of_person(language, 4),
        tags=tuple(row[0] for row in rows(_TAGS, person=person)),
        value=of_person(value, 5),
        segment=of_person(segment, 6),
        vip=bool(vip) or any(bool(row[3]) for row in people),
        notes=tuple(NoteView(n[0], n[1], n[2], from_millis(n[3])) for n in notes),
        first_seen=from_millis(min(row[1] for row in people)),
        last_seen=from_millis(max(row[2] for row in people)),
        previous_agent=previous,
        accounts=tuple(sorted({row[0] for row in people})),
        history=tuple(
            HistoryLine(line[0], line[1], line[2], from_millis(line[3])) for line in reversed(lines)
        ),
        open_conversation=bool(rows(_OPEN, id=contact_id)),
        translation_engine=engine,
        translate_incoming=bool(translate_incoming),
    )
