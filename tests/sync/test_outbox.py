"""The durable outbox: what was appended is there after a reopen until acknowledged, once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from relaydesk.sync.events import Contact, EventType, Source, TeamEvent
from relaydesk.sync.outbox import OutboxUnavailable, SqliteOutbox


def _event(n: int, **extra: object) -> TeamEvent:
    return TeamEvent(
        EventType.CUSTOMER_MESSAGE,
        "acc-1",
        Contact(f"+1555000{n:04d}"),
        text=f"hello {n}",
        ts=1_700_000_000.0 + n,
        **extra,
    )  # type: ignore[arg-type]


def test_events_come_out_oldest_first_and_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    outbox = SqliteOutbox(path)
    events = [_event(n) for n in range(5)]
    outbox.append(events[:3])
    outbox.append(events[3:])
    outbox.close()

    reopened = SqliteOutbox(path)
    assert reopened.peek(10) == events
    assert reopened.peek(2) == events[:2]
    assert reopened.pending_count() == 5


def test_every_field_the_server_reads_round_trips(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "sync.db")
    event = TeamEvent(
        EventType.INTAKE,
        "acc-9",
        Contact("+4915112345678", "Jörg", "de"),
        text="Grüße 👋",
        source=Source.LINK,
        tags=("vip", "ad-42"),
    )
    outbox.append([event])
    assert outbox.peek(1) == [event]
    assert outbox.peek(1)[0].to_json() == event.to_json()


def test_the_same_id_appended_twice_is_kept_once(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "sync.db")
    event = _event(1)
    outbox.append([event])
    outbox.append([event])
    assert outbox.pending_count() == 1


def test_acknowledged_events_are_gone_and_the_rest_stay(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "sync.db")
    events = [_event(n) for n in range(4)]
    outbox.append(events)
    outbox.acknowledge([events[0].id, events[2].id])
    assert outbox.peek(10) == [events[1], events[3]]


def test_a_rejected_event_is_set_aside_with_the_reason(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "sync.db")
    events = [_event(n) for n in range(3)]
    outbox.append(events)
    outbox.reject(events[1].id, "No such account of yours: acc-1.")
    assert outbox.peek(10) == [events[0], events[2]]
    [rejected] = outbox.rejected()
    assert rejected.event == events[1] and "No such account" in rejected.reason


def test_the_stream_position_is_remembered_per_stream(tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    outbox = SqliteOutbox(path)
    assert outbox.last_seq("http://team#a1") == 0
    outbox.save_seq("http://team#a1", 41)
    outbox.save_seq("http://team#a1", 42)
    outbox.save_seq("http://other#a1", 7)
    outbox.close()
    reopened = SqliteOutbox(path)
    assert reopened.last_seq("http://team#a1") == 42
    assert reopened.last_seq("http://other#a1") == 7


def test_the_file_is_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    SqliteOutbox(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_an_outbox_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(OutboxUnavailable, match=r"sync outbox at .*sync\.db cannot be used"):
        SqliteOutbox(path)


def test_an_outbox_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(OutboxUnavailable, match="newer Relaydesk"):
        SqliteOutbox(path)


def test_events_without_account_or_contact_are_refused_when_made() -> None:
    with pytest.raises(ValueError, match="account_id"):
        TeamEvent(EventType.AGENT_REPLY, "", Contact("+15550001"))
    with pytest.raises(ValueError, match="handle"):
        TeamEvent(EventType.AGENT_REPLY, "acc-1", Contact(""))
