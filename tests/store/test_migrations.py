"""Migrations from the first schema onward: data written under 0001 survives and is searchable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from relaydesk.store.database import make_engine, migrate
from relaydesk.store.intake import DayClock, DedupScope
from relaydesk.store.intake_events import IntakeLedger
from relaydesk.store.models import Base
from relaydesk.store.repository import Store


def test_a_store_made_by_the_first_schema_upgrades_with_its_data(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    engine = make_engine(store_path)
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO accounts (id, platform, label) VALUES ('wa1', 'whatsapp', '')")
        )
        connection.execute(
            text(
                "INSERT INTO contacts (id, account_id, handle, name, person_key, vip,"
                " first_seen, last_seen)"
                " VALUES (1, 'wa1', '+8613800138000', '王芳', 'tel:+8613800138000', 0, 0, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO messages (account_id, contact_id, key, direction, text, sent_at)"
                " VALUES ('wa1', 1, 'm1', 'in', '我想申请退款', 1000)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO notes (contact_id, text, created_at, updated_at)"
                " VALUES (1, 'old note', 0, 0)"
            )
        )
        for day, at in ((16, 1794819600000), (23, 1795424400000)):  # 09:00 UTC, 16 and 23 Nov
            connection.execute(
                text(
                    "INSERT INTO intake_events (account_id, contact_id, person_key, at)"
                    f" VALUES ('wa1', 1, 'tel:+8613800138000', {at})  -- {day} Nov"
                )
            )
    engine.dispose()

    store = Store.open(store_path)  # opening applies the newer migrations
    try:
        kinds = {(hit.kind, hit.text) for hit in store.search("退款")}
        assert ("message", "我想申请退款") in kinds
        assert [hit.kind for hit in store.search("old note")] == ["note"]
        assert [hit.kind for hit in store.search("王芳")] == ["contact"]
        assert store.contact_card(1).name == "王芳"
        day = date(2026, 11, 23)
        counts = IntakeLedger(store).counts(day, day, DayClock(), DedupScope.MY_ACCOUNTS)
        assert [(c.new, c.returning) for c in counts] == [(0, 1)]  # seen on the 16th
    finally:
        store.close()


def test_the_models_match_the_migrated_schema(store_path: Path) -> None:
    Store.open(store_path).close()
    engine = make_engine(store_path)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_name": lambda name, kind, _p: (
                        not (kind == "table" and "_fts" in (name or ""))
                    )
                },
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_opening_twice_migrates_once_and_keeps_wal_and_foreign_keys(store_path: Path) -> None:
    Store.open(store_path).close()
    store = Store.open(store_path)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                == "0006"
            )
        assert {"messages_fts", "notes_fts", "contacts_fts"} <= set(
            inspect(store.engine).get_table_names()
        )
    finally:
        store.close()
