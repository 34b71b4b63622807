"""What one server process holds while it runs: the engine, the stream hub, the scheduler."""

from __future__ import annotations

import asyncio
import gc
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Executable, Result, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from relaydesk.domain.rules import RoutingRules
from relaydesk.server import fanout, pushes
from relaydesk.server.caches import Caches
from relaydesk.server.heartbeats import Heartbeats
from relaydesk.server.models import DeadlineRow, RulesRow
from relaydesk.server.pushes import Hub, Outbox
from relaydesk.server.redirects import Redirects
from relaydesk.server.security import LoginThrottle
from relaydesk.server.settings import ServerSettings
from relaydesk.server.workload import Workload

T = TypeVar("T")
_BEGIN_WRITE = text("BEGIN IMMEDIATE")


@dataclass
class Tx:
    """One atomic change: the session, the pushes it makes, the deadlines it moves."""

    session: AsyncSession
    outbox: Outbox
    rules: RoutingRules
    now: float
    earliest_new_deadline: float | None = None
    # Rows created in this transaction: they have no stored deadlines or ownerships to look up.
    fresh_subjects: set[str] = field(default_factory=set)
    new_deadlines: dict[tuple[str, str], DeadlineRow] = field(default_factory=dict)
    workload: Workload = field(default_factory=Workload)  # the process's, from ServerState
    # The event path's inserts that no later statement of its own reads, kept to be written
    # together (one executemany per table) by write_later: before the commit, and before any
    # other path of the same transaction runs. What the event path itself asks of them is
    # answered from these sets (message keys recorded, (contact, account) intakes counted).
    _later: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)
    message_keys: set[str] = field(default_factory=set)
    intakes_counted: set[tuple[str, str]] = field(default_factory=set)
    # On SQLite: the transaction's synchronous connection and its driver connection, for
    # statements the driver may run on this thread (see execute).
    _sync: Connection | None = None
    _driver: Any = None

    def deadline_added(self, due_at: float) -> None:
        if self.earliest_new_deadline is None or due_at < self.earliest_new_deadline:
            self.earliest_new_deadline = due_at

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        """A Core statement of this transaction.

        Once SQLite's driver may run the transaction's statements on this thread (it holds
        the write lock, see ``relaydesk.server.sqlite_driver``), SQLAlchemy's synchronous
        execution is called directly: no greenlet and no thread, about a third of the CPU of
        ``session.execute``. Otherwise (PostgreSQL, or SQLite before that) it is
        ``session.execute``.
        """
        if self._driver is not None and self._driver.may_run_here():
            assert self._sync is not None
            return self._sync.execute(statement, params)
        return await self.session.execute(statement, params)

    async def use_driver_directly(self) -> None:
        """On SQLite with its one-hop driver: let :meth:`execute` call it directly."""
        connection = await self.session.connection()
        driver = (await connection.get_raw_connection()).dbapi_connection
        if hasattr(driver, "may_run_here"):
            self._sync, self._driver = connection.sync_connection, driver

    def insert_later(self, statement: Any, row: dict[str, Any]) -> None:
        """Add ``row`` to ``statement``'s batch (rows of one statement must share their keys)."""
        rows = self._later.get(statement)
        if rows is None:
            self._later[statement] = [row]
        else:
            rows.append(row)

    async def write_later(self) -> None:
        """Write the batched inserts now, in the order their statements were first used."""
        if self._later:
            later, self._later = self._later, {}
            for statement, rows in later.items():
                await self.execute(statement, rows)


_startup_frozen = False


def _freeze_startup_objects() -> None:
    """Keep what the process built to start (modules, the app and its routes, models, compiled
    statements: most of the heap, and it lives as long as the process) out of the cyclic
    garbage collector's full passes, once per process.

    Each full (oldest-generation) collection walks every tracked object; with all of these it
    paused the event loop 40–60 ms, several times in a benchmark's phase 1, and every request
    and push in flight waited that long (the push-path probe, ``docs/server.md``). Objects
    frozen are still freed when their last reference goes; only a cycle among them would stay.
    """
    global _startup_frozen
    if not _startup_frozen:
        _startup_frozen = True
        gc.collect()  # what start-up already dropped is freed, not kept for good
        gc.freeze()


@dataclass
class ServerState:
    settings: ServerSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    hub: Hub = field(default_factory=Hub)
    throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(5, 900.0))
    # SQLite has one writer: routing transactions in this process queue here instead of
    # failing on a busy database. PostgreSQL transactions also take row locks.
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    wake_scheduler: asyncio.Event = field(default_factory=asyncio.Event)
    scheduler_target: float | None = None
    caches: Caches = field(default_factory=Caches)
    workload: Workload = field(default_factory=Workload)
    heartbeats: Heartbeats = field(default_factory=Heartbeats)
    redirects: Redirects = field(default_factory=Redirects)
    _group: list[tuple[Callable[[Tx], Awaitable[Any]], asyncio.Future[Any]]] = field(
        default_factory=list
    )
    _group_tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        _freeze_startup_objects()

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def rules(self, session: AsyncSession) -> RoutingRules:
        """The routing rules, from this process's cache while no change has been announced."""
        cached = self.caches.rules()
        if cached is not None:
            return cached
        generation = self.caches.generation()
        row = await session.get(RulesRow, 1)
        rules = RoutingRules.from_document(row.document) if row else RoutingRules()
        self.caches.remember_rules(rules, generation)
        return rules

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Serialise a state change, commit it, then deliver its pushes and wake the scheduler."""
        async with self.write_lock, self._transaction_under_lock() as tx:
            yield tx

    @asynccontextmanager
    async def _transaction_under_lock(self) -> AsyncIterator[Tx]:
        began = time.time()
        async with self.sessions() as session:
            async with session.begin():
                if not self.is_postgres:
                    # Take SQLite's write lock first (waiting, on the connection's thread, for
                    # another process's writer): every statement after it then runs without a
                    # thread hand-off (relaydesk.server.sqlite_driver), and a transaction that
                    # reads before it writes cannot lose the lock to another writer midway.
                    await session.execute(_BEGIN_WRITE)
                tx = Tx(session, Outbox(session), await self.rules(session), time.time())
                if not self.is_postgres:
                    await tx.use_driver_directly()
                tx.workload = self.workload
                yield tx
                worked = time.time()
                await tx.write_later()
                await tx.outbox.write(tx.execute)
                if tx.outbox.pending and self.is_postgres:
                    await fanout.announce(session, tx.outbox.pending)
            if pushes.TRACE:
                pushes.stamp(tx.outbox.pending, began=began, worked=worked, committed=time.time())
            self.hub.deliver(tx.outbox.pending)
            due = tx.earliest_new_deadline
            if due is not None and (self.scheduler_target is None or due < self.scheduler_target):
                self.wake_scheduler.set()

    async def retrying(self, work: Callable[[Tx], Awaitable[T]], attempts: int = 8) -> T:
        """Run ``work`` in a transaction, again from the start when it lost a race.

        Two processes (or PostgreSQL sessions) may insert the same event id or message at
        once, or deadlock on row locks; the loser's transaction rolls back whole and runs
        again, and then sees what the winner committed.
        """
        for attempt in range(attempts):
            try:
                async with self.transaction() as tx:
                    return await work(tx)
            except DBAPIError as exc:
                if attempt == attempts - 1 or not _is_race(exc):
                    raise
                await asyncio.sleep(0.01 * (attempt + 1) * (1 + random.random()))
        raise AssertionError("unreachable")

    async def _retrying_under_lock(
        self, work: Callable[[Tx], Awaitable[T]], attempts: int = 8
    ) -> T:
        for attempt in range(attempts):
            try:
                async with self._transaction_under_lock() as tx:
                    return await work(tx)
            except DBAPIError as exc:
                if attempt == attempts - 1 or not _is_race(exc):
                    raise
                await asyncio.sleep(0.01 * (attempt + 1) * (1 + random.random()))
        raise AssertionError("unreachable")

    async def grouped(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Like :meth:`retrying`, sharing one transaction with the requests that queued meanwhile.

        While the write lock is busy, requests gather; the next holder runs them all in one
        transaction in arrival order (group commit: one BEGIN/COMMIT and lock hand-off for many
        requests). Should one of them fail, the group rolls back and each runs again alone, so
        a bad request never takes the others down with it.
        """
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._group.append((work, future))
        if len(self._group) == 1:
            task = asyncio.ensure_future(self._run_group())
            self._group_tasks.add(task)
            task.add_done_callback(self._group_tasks.discard)
        result: T = await future
        return result

    async def _run_group(self) -> None:
        async with self.write_lock:
            group, self._group = self._group, []
            if len(group) > 1:

                async def all_of(tx: Tx) -> list[Any]:
                    return [await work(tx) for work, _ in group]

                try:
                    results = await self._retrying_under_lock(all_of)
                except Exception:
                    pass  # each runs alone below, and gets its own answer or error
                else:
                    for (_, future), result in zip(group, results, strict=True):
                        if not future.done():
                            future.set_result(result)
                    return
            for work, future in group:
                try:
                    result = await self._retrying_under_lock(work)
                except Exception as exc:
                    if not future.done():
                        future.set_exception(exc)
                else:
                    if not future.done():
                        future.set_result(result)


def _is_race(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    # SQLite: a transaction that read before another connection wrote cannot upgrade.
    return code in ("40001", "40P01", "23505") or "database is locked" in str(exc.orig)
