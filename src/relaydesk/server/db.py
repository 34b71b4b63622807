"""The database engine, sessions and migrations: SQLite (WAL, foreign keys) or PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from relaydesk.server import sqlite_driver

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    mode = cursor.fetchone()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # Only a writer in WAL mode never waits for another connection: only then may a writing
    # transaction's statements skip the thread hand-off (relaydesk.server.sqlite_driver).
    if hasattr(dbapi_connection, "writes_here"):
        dbapi_connection.writes_here = mode is not None and str(mode[0]).lower() == "wal"


def make_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite connections get WAL, foreign keys and a busy timeout.

    SQLite goes through :mod:`relaydesk.server.sqlite_driver` (aiosqlite, one thread hand-off
    per statement).
    """
    if url.startswith("sqlite"):
        url = url.replace("sqlite+aiosqlite://", f"sqlite+{sqlite_driver.DRIVER}://", 1)
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, pool_size=20, max_overflow=20, pool_timeout=60
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate_sync(url: str) -> None:
    """Bring the schema to the newest revision (safe to run on every start)."""
    command.upgrade(alembic_config(url), "head")


async def migrate(url: str) -> None:
    """``migrate_sync`` off the event loop: Alembic's env runs its own loop for the async driver."""
    await asyncio.to_thread(migrate_sync, url)
