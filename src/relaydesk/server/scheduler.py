"""Fires stored deadlines on time: sleeps until the earliest one, woken when a nearer one lands.

Deadlines live in the ``deadlines`` table, so they survive a restart; on start the scheduler
fires whatever fell due while the server was down. There is no polling tick: the loop sleeps
exactly until the next due time (or until a transaction adds an earlier one).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sqlalchemy import func, inspect, select

from relaydesk.server import assignment, shifts
from relaydesk.server.models import AgentRow, ConversationRow, DeadlineRow
from relaydesk.server.state import ServerState, Tx

log = logging.getLogger("relaydesk.server.scheduler")
# With several processes on one database a due row may be taken by another; re-check this
# often at most while something is due but not ours to fire.
_IDLE_CAP_S = 3600.0
_BATCH = 5


async def fire_due(state: ServerState) -> int:
    """Fire every deadline due now, up to :data:`_BATCH` per transaction; returns how many fired.

    A burst of deadlines due together (a rules change, a busy minute) fires in a few
    transactions instead of one each, so the last of them is not late by the whole queue.
    """
    fired = 0
    while True:
        async with state.transaction() as tx:
            rows = list(
                await tx.session.scalars(
                    select(DeadlineRow)
                    .where(DeadlineRow.due_at <= tx.now)
                    .order_by(DeadlineRow.due_at)
                    .limit(_BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            if not rows:
                return fired
            for row in rows:
                # Firing an earlier one may have moved or cleared this one (a handoff sets a
                # new reply deadline): then it is no longer due.
                if row in tx.session.deleted or inspect(row).was_deleted or row.due_at > tx.now:
                    continue
                await _fire(state, tx, row)
                fired += 1


async def _fire(state: ServerState, tx: Tx, row: DeadlineRow) -> None:
    kind, subject = row.kind, row.subject_id
    await tx.session.delete(row)
    await tx.session.flush()
    if kind in ("reply", "requeue"):
        conv = await tx.session.get(ConversationRow, subject, with_for_update=True)
        if conv is not None and kind == "reply":
            await assignment.on_reply_deadline(tx, conv)
        elif conv is not None and conv.state == "queued":
            await assignment.route(tx, conv)
    elif kind == "offline":
        agent = await tx.session.get(AgentRow, subject, with_for_update=True)
        if agent is not None and agent.status != "offline":
            await assignment.on_agent_gone(tx, agent)
            state.heartbeats.forget(agent.id)  # their next beat brings them back
            state.redirects.agents_changed()
    elif kind in shifts.TIMERS and await shifts.on_deadline(tx, kind, subject):
        state.redirects.agents_changed()


async def next_due(state: ServerState) -> float | None:
    async with state.sessions() as session:
        due: float | None = await session.scalar(select(func.min(DeadlineRow.due_at)))
        return due


async def run(state: ServerState) -> None:
    """The scheduler task: runs until cancelled."""
    while True:
        state.wake_scheduler.clear()
        try:
            await fire_due(state)
            due = await next_due(state)
        except Exception:  # keep the deadlines alive through a transient database error
            log.exception("firing deadlines failed; retrying in a second")
            due = time.time() + 1.0
        state.scheduler_target = due
        delay = _IDLE_CAP_S if due is None else max(0.0, due - time.time())
        # asyncio.timeout, not wait_for: on Python 3.11 a stop that cancels this task just as
        # a transaction wakes it was swallowed by wait_for (its inner task had finished), and
        # the scheduler went back to sleep for up to an hour with the stop waiting on it.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await state.wake_scheduler.wait()
