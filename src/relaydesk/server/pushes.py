"""The stream's messages: numbered per recipient in the database, delivered after commit.

A push is written in the same transaction as the change it reports, with the recipient's next
sequence number, so a client that reconnects with its last number reads what it missed from the
table. Live delivery goes through :class:`Hub` to this process's sockets (and, on PostgreSQL,
through NOTIFY to the other processes' hubs).
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


# A measuring probe (the benchmark's --trace), never on in production: each live push carries
# ``_trace``, the server's times (time.time()) along its path — transaction begun, work done,
# committed, handed to the hub, taken by the stream's sender — added after it is stored.
TRACE = os.environ.get("RELAYDESK_TRACE_PUSHES") == "1"


def _gc_probe(phase: str, info: dict[str, Any], started: list[float] = [0.0]) -> None:  # noqa: B006
    """With the probe on: print each collection that paused the process ≥ 2 ms, for the
    benchmark to set against the pushes' paths."""
    if phase == "start":
        started[0] = time.time()
    elif (pause := time.time() - started[0]) >= 0.002:
        print(f"RELAYDESK_GC_PAUSE {started[0]:.6f} {pause:.6f} {info['generation']}",
              file=sys.stderr, flush=True)  # fmt: skip


if TRACE:
    gc.callbacks.append(_gc_probe)


def stamp(pushes: list[Push], **times: float) -> None:
    """With the probe on: add ``times`` to each push's ``_trace``."""
    for push in pushes:
        push.payload.setdefault("_trace", {}).update(times)


_COUNTERS = cast(Table, PushCounterRow.__table__)
_PUSHES = cast(Table, PushRow.__table__)
_PUSH_NEW = insert(_PUSHES)


def _numbering(insert_of: Any) -> Any:
    """The statement that moves a recipient's counter on by a count and returns the new last
    number; a recipient's first push creates the counter (an upsert, on both dialects). Run
    with every recipient's row at once, it is one multi-row INSERT (insertmanyvalues)."""
    upsert = insert_of(_COUNTERS)
    return upsert.on_conflict_do_update(
        index_elements=[_COUNTERS.c.recipient_id],
        set_={"last_seq": _COUNTERS.c.last_seq + upsert.excluded.last_seq},
    ).returning(_COUNTERS.c.recipient_id, _COUNTERS.c.last_seq)


_NUMBERING = {"postgresql": _numbering(pg_insert), "sqlite": _numbering(sqlite_insert)}


@dataclass
class Outbox:
    """Pushes made in one transaction, numbered and written together just before it commits,
    and handed to the hub once it has.

    Numbering is one statement for the whole transaction (every recipient's counter moved on by
    its number of pushes, recipients in sorted order so two transactions lock counters in the
    same order); it locks the counters until the commit, so one recipient's numbers follow the
    order in which transactions commit, which is what a stream's "only newer than the last
    number" rule needs.
    """

    session: AsyncSession
    pending: list[Push] = field(default_factory=list)
    _unnumbered: list[tuple[str, str, dict[str, Any], float]] = field(default_factory=list)

    async def add(self, recipient_id: str, kind: str, payload: dict[str, Any]) -> None:
        self._unnumbered.append((recipient_id, kind, payload, time.time()))

    async def write(self, execute: Any = None) -> None:
        """Number and store the pushes added since the last write (inside the transaction),
        through ``execute`` (``Tx.execute``) when given, else the session."""
        if not self._unnumbered:
            return
        run = execute or self.session.execute
        added, self._unnumbered = self._unnumbered, []
        counts = Counter(recipient for recipient, *_ in added)
        numbered_to = await run(
            _NUMBERING[self.session.get_bind().dialect.name],
            [{"recipient_id": r, "last_seq": counts[r]} for r in sorted(counts)],
        )
        last = {r.recipient_id: r.last_seq for r in numbered_to}
        # The recipient's pushes of this transaction take the numbers just below its new last.
        next_seq = {recipient: last[recipient] - n + 1 for recipient, n in counts.items()}
        numbered = []
        for recipient, kind, payload, at in added:
            numbered.append(Push(recipient, next_seq[recipient], kind, payload, at))
            next_seq[recipient] += 1
        await run(
            _PUSH_NEW,
            [
                {
                    "recipient_id": p.recipient_id,
                    "seq": p.seq,
                    "kind": p.kind,
                    "payload": p.payload,
                    "at": p.at,
                }
                for p in numbered
            ],
        )
        self.pending.extend(numbered)


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
        if TRACE:
            stamp(pushes, delivered=time.time())
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
