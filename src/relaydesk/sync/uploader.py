"""Moves events from the durable outbox to the team server, in batches, until none is left.

An event leaves the outbox only after the server answered for its batch (accepted or duplicate);
any failure before that leaves it in place to be resent, and since the server counts a repeated id
once, resending is always safe. Outages retry with capped exponential backoff and full jitter.
A batch the server refuses for good (an account it does not know) is narrowed down to the event
at fault, which is set aside with the server's reason, so one bad event never blocks the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.client import EventsRefused, TeamClient
from relaydesk.sync.errors import NotSignedIn, ServerUnreachable, SyncError, TokenRevoked
from relaydesk.sync.events import TeamEvent
from relaydesk.sync.outbox import Outbox

log = logging.getLogger("relaydesk.sync")

# The server takes at most 500 events per request; smaller batches keep each request short.
DEFAULT_BATCH_SIZE = 100
# After a timeout halved the batches, this many full batches in a row double them again.
REGROW_AFTER = 10


@dataclass(frozen=True, slots=True)
class UploadStatus:
    """For a status bar: how many events wait, and why the last try failed (if it did)."""

    pending: int
    uploaded: int  # events the server confirmed since start (new to it or already known)
    last_error: str | None


class OutboxUploader:
    """Record events durably, then upload them whenever the server is there."""

    def __init__(
        self, client: TeamClient, outbox: Outbox, *, batch_size: int = DEFAULT_BATCH_SIZE,
        backoff: Backoff | None = None, idle_poll_s: float = 30.0,
    ) -> None:  # fmt: skip
        if not 1 <= batch_size <= 500:
            raise ValueError(f"the upload batch size is 1 to 500 events, got {batch_size}")
        self.client = client
        self.outbox = outbox
        self.batch_size = batch_size
        self._size = batch_size  # the batch size in use: halved on timeouts, regrown slowly
        self._full_batches = 0  # full batches at this size since the last timeout
        self.backoff = backoff or Backoff()
        self.idle_poll_s = idle_poll_s
        self.uploaded = 0
        self.last_error: str | None = None
        self._wake = asyncio.Event()
        self._listeners: list[Callable[[UploadStatus], None]] = []

    # ------------------------------------------------------------------ recording

    async def record(self, *events: TeamEvent) -> None:
        """Store events in the outbox (durably, off the event loop) and wake the upload."""
        await asyncio.to_thread(self.outbox.append, events)
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    # ------------------------------------------------------------------ observing

    def subscribe(self, listener: Callable[[UploadStatus], None]) -> Callable[[], None]:
        """Call ``listener`` after every upload attempt; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def status(self) -> UploadStatus:
        pending = await asyncio.to_thread(self.outbox.pending_count)
        return UploadStatus(pending, self.uploaded, self.last_error)

    async def _notify(self) -> None:
        if self._listeners:
            status = await self.status()
            for listener in list(self._listeners):
                listener(status)

    # ------------------------------------------------------------------ uploading

    async def upload_pending(self) -> int:
        """Upload until the outbox is empty; returns how many events the server answered for.

        Raises ServerUnreachable / ServerFailed on an outage (what was sent before stays sent),
        TokenRevoked when the sign-in is no longer valid.
        """
        answered = 0
        batch_size = self._size
        while True:
            batch = await asyncio.to_thread(self.outbox.peek, batch_size)
            if not batch:
                return answered
            try:
                ack = await self.client.post_events(batch)
            except EventsRefused as exc:
                batch_size = await self._narrow(batch, exc)
                continue
            except ServerUnreachable as exc:
                if exc.timed_out:
                    # A busy server may take longer than the timeout for a big batch; smaller
                    # batches get through (what it did commit comes back as duplicates).
                    self._size = max(1, len(batch) // 2)
                    self._full_batches = 0
                raise
            await asyncio.to_thread(self.outbox.acknowledge, [e.id for e in batch])
            answered += len(batch)
            self.uploaded += len(batch)
            if len(batch) == self._size and self._size < self.batch_size:
                self._full_batches += 1
                if self._full_batches >= REGROW_AFTER:
                    self._size = min(self.batch_size, self._size * 2)
                    self._full_batches = 0
            batch_size = self._size
            log.debug("uploaded %d events (%d duplicates)", ack.accepted, ack.duplicates)

    async def _narrow(self, batch: Sequence[TeamEvent], refused: EventsRefused) -> int:
        """Set the faulty event aside, or halve the batch until it is found; the next size."""
        index = refused.refused.index
        if index is not None and 0 <= index < len(batch):
            culprit = batch[index]
        elif len(batch) == 1:
            culprit = batch[0]
        else:
            return max(1, len(batch) // 2)
        log.warning("the team server refused event %s: %s", culprit.id, refused.refused.message)
        await asyncio.to_thread(self.outbox.reject, culprit.id, refused.refused.message)
        return self._size

    async def run(self) -> None:
        """Upload now and after every new event, retrying outages until cancelled.

        Ends only by cancellation or by raising TokenRevoked / NotSignedIn.
        """
        while True:
            self._wake.clear()
            try:
                await self.upload_pending()
            except (TokenRevoked, NotSignedIn) as exc:
                self.last_error = str(exc)
                await self._notify()
                raise
            except SyncError as exc:
                # Outages, 5xx, and answers that are not the API's (a proxy's error page): the
                # events stay in the outbox and the next try comes after the backoff.
                self.last_error = str(exc)
                await self._notify()
                delay = self.backoff.next_delay()
                log.info("upload failed (%s); next try in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                continue
            self.backoff.reset()
            self.last_error = None
            await self._notify()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.idle_poll_s)
            except TimeoutError:
                pass
