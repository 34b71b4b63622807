"""The SQLite driver (one thread hand-off per statement, none once a transaction writes) behaves
as aiosqlite's dialect does, and never makes the event loop wait for a lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from relaydesk.server.db import make_engine


async def test_statements_results_and_errors_round_trip(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        assert engine.dialect.driver == "relaydesk_aiosqlite"
        async with engine.begin() as db:
            assert (await db.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await db.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            await db.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
            inserted = await db.execute(text("INSERT INTO t (name) VALUES ('ana')"))
            assert inserted.rowcount == 1 and inserted.lastrowid == 1
            many = [{"name": f"n{i}"} for i in range(50)]
            await db.execute(text("INSERT INTO t (name) VALUES (:name)"), many)
            rows = (await db.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
            assert len(rows) == 51 and rows[0] == (1, "ana") and rows[-1] == (51, "n49")
            updated = await db.execute(text("UPDATE t SET name = name || '!' WHERE id > 40"))
            assert updated.rowcount == 11
        async with engine.connect() as db:
            with pytest.raises(IntegrityError):
                await db.execute(text("INSERT INTO t (name) VALUES ('ana')"))
            await db.rollback()
            assert (await db.execute(text("SELECT count(*) FROM t"))).scalar() == 51
    finally:
        await engine.dispose()


async def _thread_probe(db: Any) -> None:
    """``SELECT thread_id()`` answers the thread the statement ran on."""
    raw = await db.get_raw_connection()
    await raw.driver_connection.create_function("thread_id", 0, threading.get_ident)


async def _ran_on(db: Any) -> int:
    return int((await db.execute(text("SELECT thread_id()"))).scalar())


async def test_only_a_writing_transaction_runs_statements_on_the_callers_thread(
    sqlite_url: str,
) -> None:
    engine = make_engine(sqlite_url)
    here = threading.get_ident()
    try:
        async with engine.begin() as db:
            await db.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        async with engine.connect() as db:
            await _thread_probe(db)
            assert await _ran_on(db) != here  # no transaction yet: the connection's thread
            await db.execute(text("INSERT INTO t (name) VALUES ('ana')"))  # takes the lock
            assert await _ran_on(db) == here
            await db.execute(text("UPDATE t SET name = 'ben'"))
            rows = (await db.execute(text("SELECT id, name FROM t"))).all()
            assert rows == [(1, "ben")]  # results and writes as on the thread
            with pytest.raises(IntegrityError):  # errors map as on the thread
                await db.execute(text("INSERT INTO t (id, name) VALUES (1, 'dup')"))
            assert await _ran_on(db) == here  # still the same writing transaction
            await db.commit()
            assert await _ran_on(db) != here  # committed: back on the thread
            await db.execute(text("INSERT INTO t (name) VALUES ('cy')"))
            await db.rollback()
            assert await _ran_on(db) != here
            assert (await db.execute(text("SELECT count(*) FROM t"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_a_writer_waiting_for_the_lock_leaves_the_event_loop_free(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        async with engine.begin() as db:
            await db.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        # Another connection (another process, say) holds the write lock for a while.
        holder = sqlite3.connect(sqlite_url.split("///", 1)[1], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO t (name) VALUES ('held')")
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        async with engine.connect() as db:
            writing = asyncio.create_task(db.execute(text("INSERT INTO t (name) VALUES ('ana')")))
            await asyncio.sleep(0.5)
            assert not writing.done() and ticks >= 10  # waits on its thread, the loop runs
            holder.execute("COMMIT")
            await writing
            await db.execute(text("UPDATE t SET name = name || '!'"))
            await db.commit()
        ticker.cancel()
        holder.close()
        async with engine.connect() as db:
            names = (await db.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
        assert names == ["held!", "ana!"]
    finally:
        await engine.dispose()
