"""Pushes across server processes on one PostgreSQL: NOTIFY at commit, LISTEN in every process.

A transaction that wrote pushes also sends ``pg_notify`` with their (recipient, seq) pairs, so the
notification goes out exactly when (and only if) the pushes are committed. Each process listens on
one dedicated connection, reads the announced pushes from the table and hands them to its own hub;
a client's stream drops any sequence number it has already sent, so nothing arrives twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any

from sqlalchemy import select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from relaydesk.server.caches import CHANGES_CHANNEL, Caches
from relaydesk.server.models import PushRow
from relaydesk.server.pushes import Hub, Push

CHANNEL = "relaydesk_pushes"
PROCESS_ID = secrets.token_hex(6)
_MAX_PAYLOAD = 7000  # PostgreSQL's limit is 8000 bytes
log = logging.getLogger("relaydesk.server.fanout")


async def announce(session: AsyncSession, pushes: list[Push]) -> None:
    """Inside the transaction: tell the other processes which pushes it wrote."""
    pairs = [[p.recipient_id, p.seq] for p in pushes]
    chunk: list[list[Any]] = []
    for pair in pairs:
        chunk.append(pair)
        if len(json.dumps(chunk)) > _MAX_PAYLOAD:
            await _notify(session, chunk[:-1])
            chunk = [pair]
    if chunk:
        await _notify(session, chunk)


async def _notify(session: AsyncSession, pairs: list[list[Any]]) -> None:
    payload = json.dumps({"from": PROCESS_ID, "pushes": pairs})
    await session.execute(text("SELECT pg_notify(:channel, :payload)"),
                          {"channel": CHANNEL, "payload": payload})  # fmt: skip


def asyncpg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


class Listener:
    """This process's LISTEN connection; delivers other processes' pushes to the local hub."""

    def __init__(
        self,
        url: str,
        sessions: async_sessionmaker[AsyncSession],
        hub: Hub,
        caches: Caches | None = None,
    ) -> None:
        self.url = url
        self.sessions = sessions
        self.hub = hub
        self.caches = caches
        self._connection: Any = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        import asyncpg

        self._connection = await asyncpg.connect(asyncpg_dsn(self.url))
        await self._connection.add_listener(CHANNEL, self._heard)
        if self.caches is not None:
            await self._connection.add_listener(CHANGES_CHANNEL, self._heard_change)
            self._connection.add_termination_listener(self._lost)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    def _heard_change(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        assert self.caches is not None
        self.caches.heard(json.loads(payload))

    def _lost(self, _connection: Any) -> None:
        # Changes announced from now on would go unheard: cache nothing stale meanwhile.
        if self.caches is not None:
            self.caches.forget_all(stop_caching=True)

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        message = json.loads(payload)
        if message.get("from") == PROCESS_ID:
            return
        wanted = [(r, s) for r, s in message.get("pushes", []) if self.hub.listening(r)]
        if wanted:
            task = asyncio.get_running_loop().create_task(self._deliver(wanted))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, pairs: list[tuple[str, int]]) -> None:
        try:
            async with self.sessions() as session:
                rows = await session.scalars(
                    select(PushRow)
                    .where(tuple_(PushRow.recipient_id, PushRow.seq).in_(pairs))
                    .order_by(PushRow.recipient_id, PushRow.seq)
                )
                pushes = [Push(r.recipient_id, r.seq, r.kind, r.payload, r.at) for r in rows]
            self.hub.deliver(pushes)
        except Exception:
            log.exception("could not deliver pushes announced by another process")
