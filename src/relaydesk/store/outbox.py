"""The store's sync outbox: things to tell the team server, under ids made on this workstation.

An entry is committed before anything is sent and marked sent only when the server answered, so
a resend after a crash carries the same id and counts once on the server. (The sync part also
keeps its own event outbox, ``relaydesk.sync.outbox``; this table is for what the store itself
must report, e.g. notes and tags shared with the team.)
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import literal_column, select, update

from relaydesk.store.models import OutboxEntry
from relaydesk.store.repository import Store


@dataclass(frozen=True, slots=True)
class PendingEntry:
    id: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime


class StoreOutbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    def enqueue(self, kind: str, payload: dict[str, Any], entry_id: str | None = None) -> str:
        """Keep an entry to send; returns its id (a new UUID unless given)."""
        made = entry_id or str(uuid.uuid4())
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)

        def work(session: Any) -> None:
            if session.get(OutboxEntry, made) is None:
                session.add(
                    OutboxEntry(id=made, kind=kind, payload=body, created_at=datetime.now(UTC))
                )

        self.store.transaction(work)
        return made

    def pending(self, limit: int = 100) -> list[PendingEntry]:
        rows = self.store.transaction(
            lambda session: session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.sent_at.is_(None))
                .order_by(OutboxEntry.created_at, literal_column("sync_outbox.rowid"))
                .limit(limit)
            ).all()
        )
        return [PendingEntry(r.id, r.kind, json.loads(r.payload), r.created_at) for r in rows]

    def mark_sent(self, entry_ids: Sequence[str]) -> None:
        moment = datetime.now(UTC)
        self.store.transaction(
            lambda session: session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id.in_(list(entry_ids)))
                .values(sent_at=moment)
            )
        )
