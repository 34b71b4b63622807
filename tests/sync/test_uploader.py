"""The uploader against the in-memory stand-in: outages, lost answers and refusals never lose an
event nor count one twice; one bad event never blocks the others."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.client import MemoryTokenStore, TeamClient
from relaydesk.sync.errors import ServerUnreachable, TokenRevoked
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.outbox import SqliteOutbox
from relaydesk.sync.uploader import OutboxUploader, UploadStatus


def _events(count: int, account_id: str = "acc-1") -> list[TeamEvent]:
    return [
        TeamEvent(
            EventType.CUSTOMER_MESSAGE, account_id, Contact(f"+1555{n:06d}"), text=f"message {n}"
        )
        for n in range(count)
    ]


async def _uploader(stand_in: Any, tmp_path: Path, **options: Any) -> OutboxUploader:
    client = TeamClient("http://team.test", MemoryTokenStore(), transport=stand_in.transport())
    await client.login("ana", stand_in.password)
    outbox = SqliteOutbox(tmp_path / "sync.db")
    backoff = Backoff(base_s=0.01, cap_s=0.05)
    return OutboxUploader(client, outbox, backoff=backoff, **options)


async def test_recorded_events_upload_in_batches_and_leave_the_outbox(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path, batch_size=10)
    events = _events(25)
    await uploader.record(*events)
    assert await uploader.upload_pending() == 25
    assert stand_in.received == [e.id for e in events]
    posts = [c for c in stand_in.calls if c[1] == "/v1/events"]
    assert [len(c[2]["events"]) for c in posts] == [10, 10, 5]  # type: ignore[index]
    assert uploader.outbox.pending_count() == 0
    await uploader.client.aclose()


async def test_while_the_server_is_down_events_wait_then_arrive_once(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path)
    stand_in.down = True
    first = _events(5)
    await uploader.record(*first)
    with pytest.raises(ServerUnreachable):
        await uploader.upload_pending()
    assert uploader.outbox.pending_count() == 5
    stand_in.down = False
    assert await uploader.upload_pending() == 5
    assert sorted(stand_in.received) == sorted(e.id for e in first)
    await uploader.client.aclose()


async def test_an_answer_lost_after_the_server_committed_is_resent_and_counted_once(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path, batch_size=4)
    events = _events(8)
    await uploader.record(*events)
    stand_in.drop_answers = 1
    with pytest.raises(ServerUnreachable):
        await uploader.upload_pending()
    assert uploader.outbox.pending_count() == 8  # the client cannot know the server has four
    await uploader.upload_pending()
    assert stand_in.received == [e.id for e in events]  # each once, in order
    assert uploader.uploaded == 8
    await uploader.client.aclose()


async def test_the_running_uploader_retries_with_backoff_until_the_server_returns(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path)
    statuses: list[UploadStatus] = []
    uploader.subscribe(statuses.append)
    stand_in.down = True
    task = asyncio.create_task(uploader.run())
    events = _events(3)
    await uploader.record(*events)
    for _ in range(200):
        if sum(1 for s in statuses if s.last_error) >= 3:
            break
        await asyncio.sleep(0.01)
    assert statuses[-1].pending == 3 and "cannot be reached" in (statuses[-1].last_error or "")
    stand_in.down = False
    for _ in range(300):
        if statuses and statuses[-1].pending == 0 and statuses[-1].last_error is None:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sorted(stand_in.received) == sorted(e.id for e in events)
    assert statuses[-1] == UploadStatus(pending=0, uploaded=3, last_error=None)
    await uploader.client.aclose()


async def test_a_captive_portal_page_is_retried_not_taken_for_an_answer(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path)
    stand_in.proxy_page = True
    task = asyncio.create_task(uploader.run())
    events = _events(3)
    await uploader.record(*events)
    for _ in range(300):
        if uploader.last_error:
            break
        await asyncio.sleep(0.01)
    assert "does not speak the Relaydesk team API" in (uploader.last_error or "")
    assert uploader.outbox.pending_count() == 3
    stand_in.proxy_page = False
    for _ in range(300):
        if uploader.outbox.pending_count() == 0:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert sorted(stand_in.received) == sorted(e.id for e in events)
    await uploader.client.aclose()


async def test_batches_that_time_out_shrink_until_they_get_through(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path, batch_size=100)
    stand_in.too_slow_over = 30
    events = _events(250)
    await uploader.record(*events)
    task = asyncio.create_task(uploader.run())
    for _ in range(500):
        if uploader.outbox.pending_count() == 0:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert uploader.outbox.pending_count() == 0
    assert stand_in.received == [e.id for e in events]  # each once, in order
    sizes = [len(c[2]["events"]) for c in stand_in.calls if c[1] == "/v1/events"]  # type: ignore[index]
    assert sizes[0] == 100
    assert sum(1 for size in sizes if size > 30) <= 3  # a few timeouts, not one per batch
    await uploader.client.aclose()


@pytest.mark.parametrize("names_the_field", [True, False])
async def test_an_event_the_server_will_never_take_is_set_aside_and_the_rest_go(
    stand_in: Any, tmp_path: Path, names_the_field: bool
) -> None:
    uploader = await _uploader(stand_in, tmp_path, batch_size=8)
    stand_in.unknown_accounts = {"acc-gone"}
    stand_in.refuse_without_field = not names_the_field
    good = _events(10)
    bad = _events(1, account_id="acc-gone")
    await uploader.record(*good[:6], *bad, *good[6:])
    await uploader.upload_pending()
    assert sorted(stand_in.received) == sorted(e.id for e in good)
    assert len(stand_in.received) == 10
    outbox = uploader.outbox
    assert isinstance(outbox, SqliteOutbox)
    [rejected] = outbox.rejected()
    assert rejected.event.id == bad[0].id and "acc-gone" in rejected.reason
    await uploader.client.aclose()


async def test_a_revoked_sign_in_stops_the_uploader_and_keeps_the_events(
    stand_in: Any, tmp_path: Path
) -> None:
    uploader = await _uploader(stand_in, tmp_path)
    stand_in.revoked = True
    await uploader.record(*_events(2))
    with pytest.raises(TokenRevoked):
        await asyncio.wait_for(uploader.run(), timeout=5)
    assert uploader.outbox.pending_count() == 2
    await uploader.client.aclose()


async def test_a_batch_size_the_server_cannot_take_is_refused(tmp_path: Path) -> None:
    client = TeamClient("http://team.test", MemoryTokenStore())
    with pytest.raises(ValueError, match="1 to 500 events"):
        OutboxUploader(client, SqliteOutbox(tmp_path / "sync.db"), batch_size=1000)
    await client.aclose()
