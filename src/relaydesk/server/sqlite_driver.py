"""SQLAlchemy's aiosqlite dialect with one thread hand-off per statement instead of four.

aiosqlite runs each SQLite call on the connection's own thread; SQLAlchemy's adapter makes four
such calls per statement (open a cursor, execute, fetch all, close). Each is a round trip
between the event loop and that thread, and under load each waits for the GIL: they, not
SQLite, were most of a routing transaction's time. Here a statement is one call that executes,
fetches and closes on the thread. Everything else — the thread, the error mapping, the pool —
is the stock aiosqlite dialect, so SQLite still never blocks the event loop.

URLs ``sqlite+aiosqlite://`` are given this dialect by ``relaydesk.server.db.make_engine``.
"""

from __future__ import annotations

from collections.abc import Sequence
from threading import Thread
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_

DRIVER = "relaydesk_aiosqlite"


class _Statement:
    """What the adapter takes for an aiosqlite cursor: one call on the connection's thread."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection  # an aiosqlite.Connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1
        self._rows: list[Any] = []

    async def __aenter__(self) -> _Statement:
        return self

    def _run(self, many: bool, operation: str, parameters: Any) -> None:
        # On aiosqlite's thread: the whole statement, results and all.
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

    async def close(self) -> None:
        self._rows = []

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *sizes: Any) -> None:
        return None


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _make_new_cursor(self, connection: Any) -> Any:
        return _Statement(connection)


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _OneHopCursor


class _OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _OneHopConnection:
        connection = self.aiosqlite.connect(*arg, **kw)
        # Like the stock dialect: the connection's thread must not hold the process open.
        thread = connection if isinstance(connection, Thread) else connection._thread
        thread.daemon = True
        return _OneHopConnection(self, await_(connection))


class OneHopSQLiteDialect(SQLiteDialect_aiosqlite):
    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> _OneHopDBAPI:
        return _OneHopDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(f"sqlite.{DRIVER}", __name__, "OneHopSQLiteDialect")
