"""The stream's messages: numbered per recipient in the database, delivered after commit.

A push is written in the same transaction as the change it reports, with the recipient's next
sequence number, so a client that reconnects with its last number reads what it missed from the
table. Live delivery goes through :class:`Hub` to this process's sockets (and, on PostgreSQL,
through NOTIFY to the other processes' hubs).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.server.models import PushCounterRow, PushRow


@dataclass(frozen=True, slots=True)
class Push:
    recipient_id: str
    seq: int
    kind: str
    payload: dict[str, Any]
    at: float

    def message(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.kind, "at": self.at, **self.payload}


_COUNTERS = cast(Table, PushCounterRow.__table__)
_PUSHES = cast(Table, PushRow.__table__)
_NUMBER = (
    update(_COUNTERS)
    .where(_COUNTERS.c.recipient_id == bindparam("b_recipient"))
    .values(last_seq=_COUNTERS.c.last_seq + 1)
    .returning(_COUNTERS.c.last_seq)
)
_COUNTER_NEW = insert(_COUNTERS)
_PUSH_NEW = insert(_PUSHES)


@dataclass
class Outbox:
    """Pushes written in one transaction, handed to the hub once it commits.

    Numbering is one Core statement per push (it must lock the counter at once); the pushes
    themselves are written together by :meth:`write`, one executemany just before the commit.
    """

    session: AsyncSession
    pending: list[Push] = field(default_factory=list)
    _written: int = 0

    async def add(self, recipient_id: str, kind: str, payload: dict[str, Any]) -> None:
        # One statement numbers the push and locks the recipient's counter row until commit
        # (two transactions numbering for one recipient queue on it; a first push inserts it,
        # and two first pushes at once lose an insert race, which reruns the transaction).
        seq = await self.session.scalar(_NUMBER, {"b_recipient": recipient_id})
        if seq is None:
            seq = 1
            await self.session.execute(
                _COUNTER_NEW, {"recipient_id": recipient_id, "last_seq": seq}
            )
        self.pending.append(Push(recipient_id, seq, kind, payload, time.time()))

    async def write(self) -> None:
        """Store the pushes not yet written (inside the transaction, before it commits)."""
        rows = [
            {
                "recipient_id": p.recipient_id,
                "seq": p.seq,
                "kind": p.kind,
                "payload": p.payload,
                "at": p.at,
            }
            for p in self.pending[self._written :]
        ]
        if rows:
            await self.session.execute(_PUSH_NEW, rows)
            self._written = len(self.pending)


class Hub:
    """This process's open streams, by recipient."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Push]]] = defaultdict(set)

    def subscribe(self, recipient_id: str) -> asyncio.Queue[Push]:
        queue: asyncio.Queue[Push] = asyncio.Queue()
        self._queues[recipient_id].add(queue)
        return queue

    def unsubscribe(self, recipient_id: str, queue: asyncio.Queue[Push]) -> None:
        self._queues[recipient_id].discard(queue)
        if not self._queues[recipient_id]:
            del self._queues[recipient_id]

    def listening(self, recipient_id: str) -> bool:
        return recipient_id in self._queues

    def deliver(self, pushes: list[Push]) -> None:
        for push in pushes:
            for queue in self._queues.get(push.recipient_id, ()):
                queue.put_nowait(push)


async def missed_since(session: AsyncSession, recipient_id: str, after: int) -> list[Push]:
    rows = await session.scalars(
        select(PushRow)
        .where(PushRow.recipient_id == recipient_id, PushRow.seq > after)
        .order_by(PushRow.seq)
    )
    return [Push(r.recipient_id, r.seq, r.kind, r.payload, r.at) for r in rows]
