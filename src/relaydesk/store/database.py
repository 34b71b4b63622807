"""Opening the store's SQLite file: health check, rescue from a backup, migrations, pragmas.

Every open runs ``PRAGMA quick_check`` first. A damaged file (or one that is not a database at
all) is renamed aside, never deleted, together with its WAL, and the newest healthy daily backup
takes its place; the caller gets a plain-language message saying what happened. Then Alembic
brings the schema to the newest revision. Connections use WAL with ``synchronous=FULL`` (a
committed write survives a kill -9 and a power cut) and enforce foreign keys.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from relaydesk.store.backups import Backups

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
STORE_FILE = "store.db"


class StoreError(Exception):
    """The store cannot be used; the message says what is wrong and what was done about it."""


@dataclass(frozen=True, slots=True)
class Rescue:
    """What was done with a damaged store file at start, for the agent to read."""

    damaged: Path  # where the damaged file was put aside
    problem: str  # what SQLite reported
    restored_from: Path | None  # the backup now in use, or None when starting empty

    @property
    def message(self) -> str:
        start = (
            f"it was restored from the backup {self.restored_from.name}"
            if self.restored_from is not None
            else "no healthy backup was found, so an empty store was started"
        )
        return (
            f"The local store was damaged ({self.problem}). The damaged file was kept as "
            f"{self.damaged} and {start}."
        )


def health_problem(path: Path) -> str | None:
    """What is wrong with the SQLite file at ``path`` (None when healthy or absent)."""
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)
    except sqlite3.Error as error:
        return str(error)
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()
    findings = [str(row[0]) for row in rows]
    if findings == ["ok"]:
        return None
    return "; ".join(findings[:3])


def _set_aside(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S")
    damaged = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.rename(Path(f"{damaged}{suffix}"))
    return damaged


def rescue_if_damaged(path: Path, backups: Backups, now: datetime | None = None) -> Rescue | None:
    """Set a damaged store aside and put the newest healthy backup in its place."""
    problem = health_problem(path)
    if problem is None:
        return None
    damaged = _set_aside(path, now or datetime.now(UTC))
    restored = None
    for backup in backups.newest_first():
        if health_problem(backup) is None:
            shutil.copyfile(backup, path)
            restored = backup
            break
    return Rescue(damaged=damaged, problem=problem, restored_from=restored)


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine on the store file; usable from the store's worker thread as well as this one."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )
    event.listen(engine, "connect", _pragmas)
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default); safe to run on every open."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_engine(path: Path, backups: Backups) -> tuple[Engine, Rescue | None]:
    """Check, rescue if needed, migrate: an engine ready for use, and what was rescued."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rescue = rescue_if_damaged(path, backups)
    engine = make_engine(path)
    try:
        migrate(engine)
    except Exception as error:
        engine.dispose()
        raise StoreError(f"The local store at {path} could not be prepared: {error}") from error
    return engine, rescue
