"""Full-text search over contacts, notes and messages (FTS5), filled from what is already there.

Each index row has the source row's id as its rowid; the text is indexed as
``segmentation.index_text`` makes it, so Chinese and other unspaced scripts are searchable.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from relaydesk.store.segmentation import index_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"
BATCH = 5000


def _fill(table: str, columns: tuple[str, ...], source: str) -> None:
    """Index every row of ``source`` already there (a store upgraded from the first schema)."""
    bind = op.get_bind()
    names = ", ".join(("rowid", *columns))
    values = ", ".join(f":{name}" for name in ("rowid", *columns))
    insert = sa.text(f"INSERT INTO {table} ({names}) VALUES ({values})")
    result = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {source}"))
    while rows := result.fetchmany(BATCH):
        bind.execute(
            insert,
            [
                {
                    "rowid": row[0],
                    **{name: index_text(row[i + 1] or "") for i, name in enumerate(columns)},
                }
                for row in rows
            ],
        )


def upgrade() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE contacts_fts USING fts5(name, handle, phone, tokenize='{TOKENIZER}')"
    )
    op.execute(f"CREATE VIRTUAL TABLE notes_fts USING fts5(text, tokenize='{TOKENIZER}')")
    op.execute(f"CREATE VIRTUAL TABLE messages_fts USING fts5(text, tokenize='{TOKENIZER}')")
    _fill("contacts_fts", ("name", "handle", "phone"), "contacts")
    _fill("notes_fts", ("text",), "notes")
    _fill("messages_fts", ("text",), "messages")


def downgrade() -> None:
    for table in ("messages_fts", "notes_fts", "contacts_fts"):
        op.execute(f"DROP TABLE {table}")
