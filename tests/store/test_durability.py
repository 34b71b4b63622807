"""Nothing committed is lost to a kill -9; a damaged file is set aside and restored from backup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from relaydesk.store.backups import Backups
from relaydesk.store.repository import Store

WRITER = Path(__file__).with_name("writer_process.py")


def at(hour: int) -> datetime:
    return datetime(2026, 11, 23, hour, tzinfo=UTC)


def test_a_kill_9_during_writes_loses_nothing_committed(store_path: Path) -> None:
    Store.open(store_path).close()  # migrations done before the writer starts
    committed: list[str] = []
    with subprocess.Popen(
        [sys.executable, str(WRITER), str(store_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as child:
        assert child.stdout is not None
        try:
            while len(committed) < 150:
                line = child.stdout.readline()
                if not line:
                    break
                committed.append(line.strip())
            child.send_signal(signal.SIGKILL)  # in the middle of further writes
        finally:
            child.kill()
            child.wait(timeout=30)
        committed.extend(line.strip() for line in child.stdout if line.strip())
    assert len(committed) >= 150

    reopened = Store.open(store_path)
    try:
        assert reopened.rescue is None
        assert reopened.quick_check() == "ok"
        found = {hit.text for hit in reopened.search("message", limit=100_000)}
        missing = [key for key in committed if f"message {key[1:]}" not in found]
        assert missing == []
    finally:
        reopened.close()


def _damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk or a bad copy would."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(b"\xde\xad\xbe\xef" * 2048)


def _store_with_customer(path: Path, text: str) -> Store:
    store = Store.open(path)
    store.ensure_account("wa1", "whatsapp")
    for n in range(300):  # enough pages that damage lands inside the tables
        store.record_message("wa1", f"c{n}", f"m{n}", "in", f"{text} {n} " + "x" * 200, at(9))
    return store


def test_a_damaged_store_is_set_aside_and_restored_from_the_last_backup(store_path: Path) -> None:
    store = _store_with_customer(store_path, "before backup")
    assert store.backup_if_due(date(2026, 11, 23)) is not None
    store.record_message("wa1", "late", "late1", "in", "after backup", at(10))
    store.close()
    _damage(store_path)

    reopened = Store.open(store_path)
    try:
        rescue = reopened.rescue
        assert rescue is not None
        assert rescue.damaged.exists()
        assert (
            rescue.restored_from is not None and rescue.restored_from.name == "store-2026-11-23.db"
        )
        assert "damaged" in rescue.message and str(rescue.damaged) in rescue.message
        assert reopened.quick_check() == "ok"
        assert reopened.search("before backup")  # the backup's contents are back
        assert reopened.search("after") == []  # written after the backup: lost with the file
    finally:
        reopened.close()


def test_a_file_that_is_not_a_database_starts_empty_when_there_is_no_backup(
    store_path: Path,
) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"this is not an SQLite file at all" * 100)
    reopened = Store.open(store_path)
    try:
        assert reopened.rescue is not None
        assert reopened.rescue.restored_from is None
        assert "empty store" in reopened.rescue.message
        reopened.ensure_account("wa1", "whatsapp")
        reopened.record_message("wa1", "c", "m1", "in", "works again", at(9))
        assert reopened.search("works")
    finally:
        reopened.close()


def test_a_damaged_backup_is_skipped_for_an_older_healthy_one(store_path: Path) -> None:
    store = _store_with_customer(store_path, "monday")
    backups = store.backups
    store.backup_if_due(date(2026, 11, 23))
    newest = store.backup_if_due(date(2026, 11, 24))
    store.close()
    assert newest is not None
    _damage(newest)
    _damage(store_path)
    reopened = Store.open(store_path, backups)
    try:
        assert reopened.rescue is not None and reopened.rescue.restored_from is not None
        assert reopened.rescue.restored_from.name == "store-2026-11-23.db"
    finally:
        reopened.close()


def test_daily_backups_roll_keeping_the_newest(store_path: Path, tmp_path: Path) -> None:
    store = Store.open(store_path, Backups(tmp_path / "backups", keep=3))
    try:
        for day in range(1, 8):
            store.backup_if_due(date(2026, 11, day))
        assert store.backup_if_due(date(2026, 11, 7)) is None  # one a day
        names = [path.name for path in store.backups.newest_first()]
        assert names == ["store-2026-11-07.db", "store-2026-11-06.db", "store-2026-11-05.db"]
    finally:
        store.close()
