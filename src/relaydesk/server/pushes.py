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
from typing import Any

from sqlalchemy import select, update
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


@dataclass
class Outbox:
    """Pushes written in one transaction, handed to the hub once it commits."""

    session: AsyncSession
    pending: list[Push] = field(default_factory=list)

    async def add(self, recipient_id: str, kind: str, payload: dict[str, Any]) -> None:
        # One statement numbers the push and locks the recipient's counter row until commit
        # (two transactions numbering for one recipient queue on it; a first push inserts it,
        # and two first pushes at once lose an insert race, which reruns the transaction).
        seq = await self.session.scalar(
            update(PushCounterRow)
            .where(PushCounterRow.recipient_id == recipient_id)
            .values(last_seq=PushCounterRow.last_seq + 1)
            .returning(PushCounterRow.last_seq)
            .execution_options(synchronize_session=False)
        )
        if seq is None:
            seq = 1
            self.session.add(PushCounterRow(recipient_id=recipient_id, last_seq=seq))
            await self.session.flush()
        now = time.time()
        self.session.add(
            PushRow(recipient_id=recipient_id, seq=seq, kind=kind, payload=payload, at=now)
        )
        self.pending.append(Push(recipient_id, seq, kind, payload, now))


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
