"""The SQLite driver (one thread hand-off per statement) behaves as aiosqlite's dialect does."""

from __future__ import annotations

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
