"""``TeamSession``: a signed-in workstation's three background jobs, started and stopped together.

Heartbeats, the outbox upload and the push stream run as asyncio tasks on the caller's loop (the
desktop's qasync loop). If the server stops accepting the sign-in, all three stop and the
``on_stopped`` listeners hear why (TokenRevoked; or SyncStopped wrapping an unexpected failure,
e.g. a full disk under the outbox); outages never stop them, they retry with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from relaydesk.sync.client import Presence, TeamClient
from relaydesk.sync.errors import SyncError
from relaydesk.sync.events import TeamEvent
from relaydesk.sync.outbox import Outbox, StreamCursor
from relaydesk.sync.stream import PushStream
from relaydesk.sync.uploader import OutboxUploader

log = logging.getLogger("relaydesk.sync")


class SyncStopped(SyncError):
    """A job failed in a way no retry fixes (a bug, the outbox's disk full or gone)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"Team sync stopped after an unexpected failure: {cause}")
        self.cause = cause


class TeamSession:
    """Run heartbeats, upload and stream for one signed-in client until stopped."""

    def __init__(
        self, client: TeamClient, outbox: Outbox, cursor: StreamCursor,
        presence: Callable[[], Presence], *, heartbeat_interval_s: float = 20.0,
        uploader: OutboxUploader | None = None, stream: PushStream | None = None,
    ) -> None:  # fmt: skip
        self.client = client
        self.presence = presence
        self.heartbeat_interval_s = heartbeat_interval_s
        self.uploader = uploader or OutboxUploader(client, outbox)
        self.stream = stream or PushStream(client, cursor)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped: list[Callable[[SyncError], None]] = []
        self._ended = False  # a job failed for good; the listeners have been told

    def on_stopped(self, listener: Callable[[SyncError], None]) -> None:
        """Hear why the jobs stopped by themselves (not called for ``stop()``)."""
        self._stopped.append(listener)

    @property
    def running(self) -> bool:
        return any(not t.done() for t in self._tasks)

    def start(self) -> None:
        """Start the jobs (the client must be signed in)."""
        self.client.require_credential()
        if self.running:
            return
        self._ended = False
        jobs = {
            "heartbeat": self.client.run_heartbeats(self.presence, self.heartbeat_interval_s),
            "upload": self.uploader.run(),
            "stream": self.stream.run(),
        }
        self._tasks = [asyncio.create_task(job, name=f"relaydesk-sync-{name}")
                       for name, job in jobs.items()]  # fmt: skip
        for task in self._tasks:
            task.add_done_callback(self._job_ended)

    async def record(self, *events: TeamEvent) -> None:
        """Keep events in the outbox for upload (works signed out and offline too)."""
        await self.uploader.record(*events)

    def _job_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is None or self._ended:
            return
        self._ended = True
        reason: SyncError
        if isinstance(error, SyncError):
            log.warning("team sync stopped: %s", error)
            reason = error
        else:
            log.error("team sync job %s failed", task.get_name(), exc_info=error)
            reason = SyncStopped(error)
        for other in self._tasks:
            other.cancel()
        for listener in list(self._stopped):
            listener(reason)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
