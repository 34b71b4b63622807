"""Heartbeats: a workstation saying "still here" is answered at once and never waits on routing.

Most beats change nothing but freshness (same status, same open accounts as this process last
wrote). Those are kept in memory and written together — one transaction for every beat that
arrived meanwhile — as soon as the write lock is free, so hundreds of agents beating while the
routing lock is busy cost one short transaction, not hundreds queued behind event traffic. A
beat that changes status or open accounts is a routing change (the agent may take queued work)
and runs as its own transaction before it is answered.

The batch re-reads each agent's row under its lock, so a beat that turns out to change something
after all (the agent was marked offline meanwhile, here or by another process) is applied in full.
Like every beat, a batched one offers the agent queued work they now have room for.
``last_seen_at`` and the offline deadline count from when the beat arrived.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from relaydesk.domain.models import AgentStatus
from relaydesk.server.models import AgentRow, ConversationRow, DeadlineRow

if TYPE_CHECKING:  # the state holds a Heartbeats: no import cycle at run time
    from relaydesk.server.state import ServerState, Tx

log = logging.getLogger("relaydesk.server.heartbeats")


@dataclass(frozen=True, slots=True)
class Beat:
    status: str
    open_accounts: tuple[str, ...]  # sorted, unique
    at: float


async def apply_beat(tx: Tx, agent: AgentRow, beat: Beat) -> None:
    """The full beat: status, open accounts, freshness, the offline timer, then queued work."""
    from relaydesk.server import assignment  # imports the state module, which imports this one

    agent.status = beat.status
    agent.open_accounts = list(beat.open_accounts)
    agent.last_seen_at = max(agent.last_seen_at or beat.at, beat.at)
    await assignment.set_deadline(
        tx, "offline", agent.id, agent.last_seen_at + tx.rules.offline_grace_s
    )
    await tx.session.flush()
    if agent.status == AgentStatus.ONLINE.value:
        await assignment.drain_queue(tx, agent)


def _same(agent: AgentRow, beat: Beat) -> bool:
    return agent.status == beat.status and tuple(sorted(agent.open_accounts or ())) == (
        beat.open_accounts
    )


class Heartbeats:
    """This process's beats not yet written, and what it last wrote for each agent."""

    def __init__(self) -> None:
        self._written: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._pending: dict[str, Beat] = {}
        self._wake = asyncio.Event()
        self._writing: asyncio.Future[int] | None = None

    def changes_nothing(self, agent_id: str, beat: Beat) -> bool:
        return self._written.get(agent_id) == (beat.status, beat.open_accounts)

    def note(self, agent_id: str, beat: Beat) -> None:
        """Keep a beat that changes nothing; the writer stores it soon."""
        self._pending[agent_id] = beat
        self._wake.set()

    def wrote(self, agent_id: str, beat: Beat) -> None:
        self._written[agent_id] = (beat.status, beat.open_accounts)

    def forget(self, agent_id: str) -> None:
        """The agent's row changed elsewhere (offline, PATCH): their next beat runs in full."""
        self._written.pop(agent_id, None)

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def run(self, state: ServerState) -> None:
        """The writer task: waits for beats, writes each batch, until cancelled."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                # Shielded: a stop does not cut a batch off between commit and bookkeeping;
                # the final flush on shutdown waits for it on the write lock.
                self._writing = asyncio.ensure_future(self.flush(state))
                await asyncio.shield(self._writing)
            except Exception:  # keep the beats for the next try; the grace is long
                log.exception("writing heartbeats failed; retrying in a second")
                await asyncio.sleep(1.0)
                self._wake.set()

    async def close(self, state: ServerState) -> None:
        """On a clean stop (after the writer task is cancelled): write what is left."""
        if self._writing is not None:
            await asyncio.wait([self._writing])
        await self.flush(state)

    async def flush(self, state: ServerState) -> int:
        """Write every pending beat in one transaction; returns how many."""
        if not self._pending:
            return 0
        batch, self._pending = self._pending, {}
        try:
            applied, changed = await state.retrying(lambda tx: _write(tx, batch))
        except BaseException:
            for agent_id, beat in batch.items():  # a newer beat that came meanwhile wins
                self._pending.setdefault(agent_id, beat)
            raise
        for agent_id in applied:
            self.wrote(agent_id, batch[agent_id])
        for agent_id in set(batch) - set(applied):
            self.forget(agent_id)
        if changed:
            state.redirects.agents_changed()
        return len(batch)


async def _write(tx: Tx, batch: dict[str, Beat]) -> tuple[list[str], bool]:
    """Store the beats; returns the agents heard and whether any beat changed their status."""
    ids = sorted(batch)
    agents = list(
        await tx.session.scalars(
            select(AgentRow).where(AgentRow.id.in_(ids)).order_by(AgentRow.id).with_for_update()
        )
    )
    timers = {
        row.subject_id: row
        for row in await tx.session.scalars(
            select(DeadlineRow).where(
                DeadlineRow.kind == "offline", DeadlineRow.subject_id.in_(ids)
            )
        )
    }
    grace = tx.rules.offline_grace_s
    applied: list[str] = []
    changed: list[AgentRow] = []
    for agent in agents:
        if not agent.active:  # locked out since: the beat is not heard
            continue
        beat = batch[agent.id]
        applied.append(agent.id)
        if not _same(agent, beat):
            changed.append(agent)
            continue
        agent.last_seen_at = max(agent.last_seen_at or beat.at, beat.at)
        due = agent.last_seen_at + grace
        timer = timers.get(agent.id)
        if timer is None:
            tx.session.add(DeadlineRow(kind="offline", subject_id=agent.id, due_at=due))
            tx.deadline_added(due)
        elif timer.due_at != due:
            if due < timer.due_at:
                tx.deadline_added(due)
            timer.due_at = due
    for agent in changed:
        await apply_beat(tx, agent, batch[agent.id])
    # A beat also offers queued work, as it always did: an agent's conversations going idle
    # frees room without any other event. Only worth looking when something waits.
    unchanged = [a for a in agents if a.id in applied and a not in changed]
    if unchanged and await tx.session.scalar(
        select(ConversationRow.id).where(ConversationRow.state == "queued").limit(1)
    ):
        from relaydesk.server import assignment  # see apply_beat

        for agent in unchanged:
            await assignment.drain_queue(tx, agent)
    return applied, bool(changed)
