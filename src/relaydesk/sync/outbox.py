"""The durable outbox: events wait here until the team server has acknowledged them.

An event is committed to disk before any upload starts and deleted only after the server
answered for it (accepted or duplicate), so an offline period, a crash or a kill -9 loses nothing;
ids are made on the workstation, so whatever is resent after a failure counts once.

:class:`Outbox` is what the uploader needs; :class:`SqliteOutbox` is the implementation kept in
the workstation's data dir (WAL, ``synchronous=FULL``: a committed append survives power loss).
The same file remembers the push stream's last sequence number (:class:`StreamCursor`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from relaydesk.sync.errors import SyncError
from relaydesk.sync.events import TeamEvent

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    position   INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL UNIQUE,
    body       TEXT NOT NULL,
    queued_at  REAL NOT NULL,
    rejected   TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (rejected, position);
CREATE TABLE IF NOT EXISTS stream_cursor (
    stream     TEXT PRIMARY KEY,
    last_seq   INTEGER NOT NULL
);
"""


class Outbox(Protocol):
    """Where events wait for the server; every method is short and may block briefly."""

    def append(self, events: Sequence[TeamEvent]) -> None:
        """Store events durably; an id already present is kept once."""

    def peek(self, limit: int) -> list[TeamEvent]:
        """The oldest events still waiting (not rejected), at most ``limit``."""

    def acknowledge(self, event_ids: Iterable[str]) -> None:
        """The server has these: forget them."""

    def reject(self, event_id: str, reason: str) -> None:
        """The server will never take this event: keep it aside with the reason, stop sending it."""

    def pending_count(self) -> int: ...


class StreamCursor(Protocol):
    """The last push sequence number handled, per stream (server and agent)."""

    def last_seq(self, stream: str) -> int: ...

    def save_seq(self, stream: str, seq: int) -> None: ...


@dataclass(frozen=True, slots=True)
class RejectedEvent:
    event: TeamEvent
    reason: str


class OutboxUnavailable(SyncError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"The sync outbox at {path} cannot be used: {reason}.")


class SqliteOutbox:
    """Outbox and stream cursor in one SQLite file; safe to call from several threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                       timeout=30.0)  # fmt: skip
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutboxUnavailable(
                    self.path, f"it was written by a newer Relaydesk (format {version})"
                )
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (sqlite3.DatabaseError, OSError) as exc:
            raise OutboxUnavailable(self.path, str(exc)) from exc

    # -- Outbox

    def append(self, events: Sequence[TeamEvent]) -> None:
        now = time.time()
        rows = [(e.id, json.dumps(e.to_json(), ensure_ascii=False), now) for e in events]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR IGNORE INTO outbox (event_id, body, queued_at) VALUES (?, ?, ?)",
                    rows,
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def peek(self, limit: int) -> list[TeamEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM outbox WHERE rejected IS NULL ORDER BY position LIMIT ?",
                (limit,),
            ).fetchall()
        return [TeamEvent.from_json(json.loads(body)) for (body,) in rows]

    def acknowledge(self, event_ids: Iterable[str]) -> None:
        ids = [(i,) for i in event_ids]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM outbox WHERE event_id = ?", ids)
            self._db.execute("COMMIT")

    def reject(self, event_id: str, reason: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE outbox SET rejected = ? WHERE event_id = ?",
                (reason or "rejected", event_id),
            )

    def pending_count(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT count(*) FROM outbox WHERE rejected IS NULL").fetchone()
        return int(row[0])

    def rejected(self) -> list[RejectedEvent]:
        """Events the server refused for good, with its reason (for the desktop to show)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body, rejected FROM outbox WHERE rejected IS NOT NULL ORDER BY position"
            ).fetchall()
        return [RejectedEvent(TeamEvent.from_json(json.loads(b)), r) for b, r in rows]

    # -- StreamCursor

    def last_seq(self, stream: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT last_seq FROM stream_cursor WHERE stream = ?", (stream,)
            ).fetchone()
        return int(row[0]) if row else 0

    def save_seq(self, stream: str, seq: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO stream_cursor (stream, last_seq) VALUES (?, ?) "
                "ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq",
                (stream, seq),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
