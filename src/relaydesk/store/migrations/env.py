"""Alembic environment for the workstation store: runs on the connection the store opened.

The store calls Alembic itself on every open (``database.migrate``), handing over its own
connection in ``config.attributes["connection"]``; SQLite needs batch mode to alter tables.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from relaydesk.store.models import Base

target_metadata = Base.metadata


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=lambda name, kind, _parent: not (kind == "table" and "_fts" in (name or "")),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _configure_and_run(connection)
else:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own_connection:
        _configure_and_run(own_connection)
    engine.dispose()
