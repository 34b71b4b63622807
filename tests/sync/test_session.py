"""TeamSession: heartbeats, upload and stream start together and stop together when the server
no longer accepts the sign-in, telling the listeners why."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.client import MemoryTokenStore, Presence, TeamClient
from relaydesk.sync.errors import NotSignedIn, SyncError, TokenRevoked
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.outbox import SqliteOutbox
from relaydesk.sync.stream import PushStream
from relaydesk.sync.uploader import OutboxUploader


async def _session(stand_in: Any, tmp_path: Path) -> Any:
    from relaydesk.sync.session import TeamSession

    client = TeamClient("http://team.test", MemoryTokenStore(), transport=stand_in.transport())
    outbox = SqliteOutbox(tmp_path / "sync.db")
    return TeamSession(
        client, outbox, outbox, presence=lambda: Presence("online", ("acc-1",)),
        heartbeat_interval_s=0.05,
        uploader=OutboxUploader(client, outbox, backoff=Backoff(0.01, 0.05)),
        # the stand-in speaks HTTP only: the stream keeps retrying, which is what a UI sees offline
        stream=PushStream(client, outbox, backoff=Backoff(0.01, 0.05), open_timeout_s=0.2),
    )  # fmt: skip


async def test_it_needs_a_sign_in_but_records_events_without_one(
    stand_in: Any, tmp_path: Path
) -> None:
    session = await _session(stand_in, tmp_path)
    with pytest.raises(NotSignedIn, match="sign in first"):
        session.start()
    await session.record(TeamEvent(EventType.INTAKE, "acc-1", Contact("+15550001")))
    assert session.uploader.outbox.pending_count() == 1
    await session.client.aclose()


async def test_a_revoked_sign_in_stops_every_job_and_says_why(
    stand_in: Any, tmp_path: Path
) -> None:
    session = await _session(stand_in, tmp_path)
    await session.client.login("ana", stand_in.password)
    reasons: list[SyncError] = []
    session.on_stopped(reasons.append)
    session.start()
    await session.record(TeamEvent(EventType.INTAKE, "acc-1", Contact("+15550001")))
    for _ in range(300):
        if stand_in.received:
            break
        await asyncio.sleep(0.01)
    assert len(stand_in.received) == 1 and session.running
    stand_in.revoked = True
    for _ in range(300):
        if not session.running:
            break
        await asyncio.sleep(0.01)
    assert not session.running
    assert isinstance(reasons[0], TokenRevoked)
    await session.stop()
    await session.client.aclose()


async def test_an_outbox_that_fails_stops_the_session_with_a_reason(
    stand_in: Any, tmp_path: Path
) -> None:
    session = await _session(stand_in, tmp_path)
    await session.client.login("ana", stand_in.password)
    reasons: list[SyncError] = []
    session.on_stopped(reasons.append)
    session.uploader.outbox.close()  # what a vanished disk looks like to the uploader
    session.start()
    for _ in range(300):
        if not session.running:
            break
        await asyncio.sleep(0.01)
    assert not session.running
    assert "Team sync stopped after an unexpected failure" in str(reasons[0])
    await session.stop()
    await session.client.aclose()
