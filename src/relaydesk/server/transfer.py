"""``relaydesk-server copy-db``: move a team's data to another database (SQLite → PostgreSQL).

Both databases are brought to the newest schema first; the target must be empty. Tables are
copied in foreign-key order in chunks, each table in one transaction on the target, so a failed
copy leaves nothing half-written in the table it was on; counts are compared at the end. On
PostgreSQL the identity sequences are moved past the copied ids so new rows do not collide.

Stop the server before copying: rows written to the source during the copy may be missed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Integer, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from relaydesk.server.db import make_engine, migrate
from relaydesk.server.models import Base

CHUNK = 2_000
Progress = Callable[[str, int], None]  # table name, rows copied so far


class CopyError(Exception):
    """A copy that cannot be done (a sentence for the person running it)."""


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(
                await connection.scalar(select(func.count()).select_from(table)) or 0
            )
    return counts


async def _move_sequences(target: AsyncEngine) -> None:
    """PostgreSQL: each autoincrement id's sequence continues after the largest copied id."""
    async with target.begin() as connection:
        for table in Base.metadata.sorted_tables:
            for column in table.primary_key.columns:
                if not isinstance(column.type, Integer) or column.autoincrement is False:
                    continue
                sequence = await connection.scalar(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column.name},
                )
                if sequence is None:
                    continue
                await connection.execute(
                    text(
                        f"SELECT setval(:sequence, COALESCE((SELECT MAX({column.name}) "
                        f"FROM {table.name}), 0) + 1, false)"
                    ),
                    {"sequence": sequence},
                )


async def copy_database(
    source_url: str, target_url: str, progress: Progress | None = None
) -> dict[str, int]:
    """Copy every table from ``source_url`` to ``target_url``; the rows copied per table."""
    if source_url == target_url:
        raise CopyError("the source and the target are the same database")
    await migrate(source_url)
    await migrate(target_url)
    source = make_engine(source_url)
    target = make_engine(target_url)
    try:
        already = {name: n for name, n in (await _counts(target)).items() if n}
        if already:
            listed = ", ".join(f"{name} ({n})" for name, n in sorted(already.items()))
            raise CopyError(f"the target database is not empty: {listed}")
        copied: dict[str, int] = {}
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            done = 0
            async with source.connect() as reading, target.begin() as writing:
                result = await reading.stream(select(table).order_by(*order))
                async for chunk in result.mappings().partitions(CHUNK):
                    await writing.execute(table.insert(), [dict(row) for row in chunk])
                    done += len(chunk)
                    if progress is not None:
                        progress(table.name, done)
            copied[table.name] = done
        if target.dialect.name == "postgresql":
            await _move_sequences(target)
        landed = await _counts(target)
        wrong = {name: (n, landed[name]) for name, n in copied.items() if landed[name] != n}
        if wrong:
            listed = ", ".join(f"{name}: {a} copied, {b} found" for name, (a, b) in wrong.items())
            raise CopyError(f"the copy does not add up: {listed}")
        return copied
    finally:
        await source.dispose()
        await target.dispose()
