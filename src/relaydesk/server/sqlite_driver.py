"""SQLAlchemy's aiosqlite dialect with at most one thread hand-off per statement, and none
inside a transaction that already writes.

aiosqlite runs each SQLite call on the connection's own thread; SQLAlchemy's adapter makes four
such calls per statement (open a cursor, execute, fetch all, close). Each is a round trip
between the event loop and that thread, and under load each waits for the GIL: they, not
SQLite, were most of a routing transaction's time. Here a statement is one call that executes,
fetches and closes on the thread.

A hand-off still cost ~60 µs of CPU (thread wake-ups and GIL transfers) against ~2 µs for a
small statement itself. So once a transaction holds the database's write lock (in WAL mode,
after its first INSERT/UPDATE/DELETE), its later statements run directly on the calling
thread: a writer in WAL mode never waits for another connection (readers do not block it and
there is one writer), so such a statement is CPU work and cached page reads, never a lock wait.
What can wait stays on the thread: the statement that takes the write lock (it may wait out
another writer, up to the busy timeout), statements outside a writing transaction, COMMIT and
ROLLBACK (a commit may run a checkpoint, which syncs the file). So SQLite still never makes
the event loop wait for a lock or the disk. Everything else — the error mapping, the pool — is
the stock aiosqlite dialect.

URLs ``sqlite+aiosqlite://`` are given this dialect by ``relaydesk.server.db.make_engine``.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from threading import Thread
from typing import Any, cast

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_, in_greenlet

DRIVER = "relaydesk_aiosqlite"
# Statements after which the transaction holds the write lock (checked on the SQL's start).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")


class _Statement:
    """What the adapter takes for an aiosqlite cursor: one call on the connection's thread."""

    def __init__(self, connection: Any, adapted: _OneHopConnection | None = None) -> None:
        self._connection = connection  # an aiosqlite.Connection
        self._adapted = adapted
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1
        self._rows: list[Any] = []

    async def __aenter__(self) -> _Statement:
        return self

    def _run(self, many: bool, operation: str, parameters: Any) -> None:
        # On aiosqlite's thread (or, see may_run_here, the caller's): the whole statement,
        # results and all.
        adapted = self._adapted
        if adapted is not None:
            adapted.running += 1
        cursor = self._connection._conn.cursor()
        try:
            if many:
                cursor.executemany(operation, parameters)
            elif parameters is None:
                cursor.execute(operation)
            else:
                cursor.execute(operation, parameters)
            self.description = cursor.description
            self._rows = cursor.fetchall() if cursor.description else []
            self.rowcount = cursor.rowcount
            self.lastrowid = cursor.lastrowid
        finally:
            cursor.close()
            if adapted is not None:
                adapted.running -= 1

    async def execute(self, operation: str, parameters: Any = None) -> None:
        await self._connection._execute(self._run, False, operation, parameters)

    async def executemany(self, operation: str, parameters: Sequence[Any]) -> None:
        await self._connection._execute(self._run, True, operation, parameters)

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    def close(self) -> None:  # nothing on the thread: callable without awaiting
        self._rows = []

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *sizes: Any) -> None:
        return None


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that opens and closes without the thread, and runs a statement on the caller's
    thread when the connection allows it: then SQLAlchemy's synchronous execution needs no
    greenlet at all (``relaydesk.server.state.Tx.execute``)."""

    __slots__ = ()
    _awaitable_cursor_close = False

    def _make_new_cursor(self, connection: Any) -> Any:
        return _Statement(connection, cast(_OneHopConnection, self._adapt_connection))

    def _aenter_cursor(self, cursor: Any) -> Any:
        # _Statement.__aenter__ does nothing, but SQLAlchemy's async API insists on one await
        # per call (AwaitRequired): only a direct synchronous call skips it.
        return super()._aenter_cursor(cursor) if in_greenlet() else cursor

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        connection = cast(_OneHopConnection, self._adapt_connection)
        if not connection.may_run_here():
            result = super().execute(operation, parameters)
            connection.after_statement(operation)
            return result
        return self._run_here(False, operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        connection = cast(_OneHopConnection, self._adapt_connection)
        if not connection.may_run_here():
            result = super().executemany(operation, seq_of_parameters)
            connection.after_statement(operation)
            return result
        return self._run_here(True, operation, seq_of_parameters)

    def _run_here(self, many: bool, operation: Any, parameters: Any) -> None:
        statement: _Statement = self._cursor  # type: ignore[assignment]
        try:
            statement._run(many, operation, parameters)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        if statement.description and not many:
            self._rows = collections.deque(statement._rows)
            statement._rows = []


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    # writes_here: set at connect when the database is in WAL mode (only then does a writer
    # never wait); writing: this transaction holds the write lock; running: statements being
    # run now (a cancelled caller leaves its statement running on the thread).
    __slots__ = ("running", "writes_here", "writing")
    running: int
    writes_here: bool
    writing: bool
    _cursor_cls = _OneHopCursor

    def may_run_here(self) -> bool:
        """Whether a statement may run on the calling thread (see the module's docstring)."""
        if not self.writing:
            return False
        sqlite = self._connection._connection  # None once closed
        if sqlite is None or not sqlite.in_transaction:
            self.writing = False
            return False
        # Nothing of this connection on its thread meanwhile.
        return not self.running and not self._execute_mutex.locked()

    def after_statement(self, operation: Any) -> None:
        sqlite = self._connection._connection
        if (
            self.writes_here
            and sqlite is not None
            and sqlite.in_transaction
            and str(operation).lstrip()[:15].upper().startswith(_WRITES)
        ):
            self.writing = True

    def commit(self) -> None:
        self.writing = False
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        # Also what the pool does to every connection given back: without a transaction
        # there is nothing to end, and no reason to wake the thread.
        self.writing = False
        if self._in_transaction():
            super().rollback()

    def _in_transaction(self) -> bool:
        sqlite = self._connection._connection
        # Unknown while the thread runs something of this connection: ask the thread.
        return sqlite is None or self.running > 0 or bool(sqlite.in_transaction)


class _OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _OneHopConnection:
        # A writing transaction's statements run on the event loop's thread, never while the
        # connection's own thread runs one of its calls (see _OneHopConnection.may_run_here).
        kw["check_same_thread"] = False
        connection = self.aiosqlite.connect(*arg, **kw)
        # Like the stock dialect: the connection's thread must not hold the process open.
        thread = connection if isinstance(connection, Thread) else connection._thread
        thread.daemon = True
        adapted = _OneHopConnection(self, await_(connection))
        adapted.writes_here = False  # until make_engine's connect hook has seen WAL mode
        adapted.writing = False
        adapted.running = 0
        return adapted


class OneHopSQLiteDialect(SQLiteDialect_aiosqlite):
    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> _OneHopDBAPI:
        return _OneHopDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(f"sqlite.{DRIVER}", __name__, "OneHopSQLiteDialect")
