"""Full-text search over contacts, notes and messages (the FTS5 tables of migration 0002).

The index is written in the same transaction as the row it indexes, so a search never finds a
message that was rolled back and never misses one that was committed. Message hits come newest
first: FTS5 walks its rowids backwards and stops at the limit, which keeps a search over a
million messages fast even for a common word (ranking by relevance would score every match).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from relaydesk.store.models import Contact, from_millis
from relaydesk.store.segmentation import index_text, match_expression
from relaydesk.store.views import SearchHit


def index_contact(session: Session, contact: Contact) -> None:
    session.execute(text("DELETE FROM contacts_fts WHERE rowid = :id"), {"id": contact.id})
    session.execute(
        text("INSERT INTO contacts_fts (rowid, name, handle, phone) VALUES (:id, :n, :h, :p)"),
        {
            "id": contact.id,
            "n": index_text(contact.name),
            "h": index_text(contact.handle),
            "p": contact.phone or "",
        },
    )


def unindex_contact(session: Session, contact_id: int) -> None:
    session.execute(text("DELETE FROM contacts_fts WHERE rowid = :id"), {"id": contact_id})


def index_message(session: Session, message_id: int, body: str) -> None:
    session.execute(
        text("INSERT INTO messages_fts (rowid, text) VALUES (:id, :t)"),
        {"id": message_id, "t": index_text(body)},
    )


def index_note(session: Session, note_id: int, body: str) -> None:
    unindex_note(session, note_id)
    session.execute(
        text("INSERT INTO notes_fts (rowid, text) VALUES (:id, :t)"),
        {"id": note_id, "t": index_text(body)},
    )


def unindex_note(session: Session, note_id: int) -> None:
    session.execute(text("DELETE FROM notes_fts WHERE rowid = :id"), {"id": note_id})


_CONTACTS = """
SELECT c.id, c.id, c.account_id, c.name || ' ' || c.handle, c.last_seen
FROM contacts_fts JOIN contacts AS c ON c.id = contacts_fts.rowid
WHERE contacts_fts MATCH :q ORDER BY contacts_fts.rowid DESC LIMIT :limit
"""
_NOTES = """
SELECT n.id, n.contact_id, c.account_id, n.text, n.updated_at
FROM notes_fts JOIN notes AS n ON n.id = notes_fts.rowid JOIN contacts AS c ON c.id = n.contact_id
WHERE notes_fts MATCH :q ORDER BY notes_fts.rowid DESC LIMIT :limit
"""
_MESSAGES = """
SELECT m.id, m.contact_id, m.account_id, m.text, m.sent_at
FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH :q ORDER BY rowid DESC LIMIT :limit)
  AS hit JOIN messages AS m ON m.id = hit.rowid
ORDER BY m.id DESC
"""


def search(session: Session, query: str, limit: int = 20) -> list[SearchHit]:
    """Up to ``limit`` hits of each kind: contacts, then notes, then messages."""
    expression = match_expression(query)
    if expression is None or limit < 1:
        return []
    hits: list[SearchHit] = []
    for kind, sql in (("contact", _CONTACTS), ("note", _NOTES), ("message", _MESSAGES)):
        for row in session.execute(text(sql), {"q": expression, "limit": limit}):
            hits.append(
                SearchHit(
                    kind=kind,
                    id=row[0],
                    contact_id=row[1],
                    account_id=row[2],
                    text=row[3],
                    at=None if row[4] is None else from_millis(row[4]),
                )
            )
    return hits
