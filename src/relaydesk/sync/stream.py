"""The push stream client: ``/v1/stream`` over WebSocket, resumed where it left off.

The last sequence number handled is saved (in the outbox's file) after the subscribers have seen
the push, and sent as ``after`` on every (re)connect, so the server replays what was missed while
the workstation was offline or closed. Delivery is at least once across a crash between handling
and saving; within a run a number is never delivered twice. The connection state is observable so
the desktop can show "connected / reconnecting / signed out".
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from urllib.parse import urlencode

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.client import API_VERSION, TeamClient
from relaydesk.sync.errors import TokenRevoked
from relaydesk.sync.outbox import StreamCursor
from relaydesk.sync.pushes import MalformedPush, Push, parse_push

log = logging.getLogger("relaydesk.sync")

PushHandler = Callable[[Push], Awaitable[None] | None]

# The server closes with this code (or refuses the handshake) when the token is not valid.
TOKEN_REFUSED_CLOSE = 4401
# A connection that lived this long counts as healthy: the next outage starts backing off anew.
HEALTHY_AFTER_S = 5.0


class ConnectionState(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # waiting out the backoff after a failure
    SIGNED_OUT = "signed_out"  # the server refused the token; sign in again


class PushStream:
    """Connect, deliver typed pushes to subscribers, reconnect with backoff until cancelled."""

    def __init__(
        self, client: TeamClient, cursor: StreamCursor, *, backoff: Backoff | None = None,
        open_timeout_s: float = 10.0, ping_interval_s: float | None = 20.0,
    ) -> None:  # fmt: skip
        self.client = client
        self.cursor = cursor
        self.backoff = backoff or Backoff(base_s=0.5, cap_s=30.0)
        self.open_timeout_s = open_timeout_s
        self.ping_interval_s = ping_interval_s
        self._state = ConnectionState.STOPPED
        self._state_changed = asyncio.Condition()
        self._state_listeners: list[Callable[[ConnectionState], None]] = []
        self._handlers: list[tuple[tuple[type[Push], ...], PushHandler]] = []
        self._last_seq: tuple[str, int] | None = None  # (stream key, number)

    # ------------------------------------------------------------------ observing

    @property
    def state(self) -> ConnectionState:
        return self._state

    def on_state(self, listener: Callable[[ConnectionState], None]) -> Callable[[], None]:
        """Call ``listener`` with every new connection state; returns the unsubscribe function."""
        self._state_listeners.append(listener)
        return lambda: self._state_listeners.remove(listener)

    def subscribe(self, handler: PushHandler, *kinds: type[Push]) -> Callable[[], None]:
        """Deliver pushes of these types (all when none given) to ``handler`` (sync or async)."""
        entry = (kinds, handler)
        self._handlers.append(entry)
        return lambda: self._handlers.remove(entry)

    async def wait_for(self, state: ConnectionState, timeout_s: float = 10.0) -> None:
        async with self._state_changed:
            await asyncio.wait_for(
                self._state_changed.wait_for(lambda: self._state is state), timeout_s
            )

    @property
    def stream_key(self) -> str:
        """Sequence numbers are per agent on one server."""
        return f"{self.client.server_url}#{self.client.require_credential().agent_id}"

    @property
    def last_seq(self) -> int:
        key = self.stream_key  # signing in as someone else switches to their numbers
        if self._last_seq is None or self._last_seq[0] != key:
            self._last_seq = (key, self.cursor.last_seq(key))
        return self._last_seq[1]

    async def _set_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        self._state = state
        for listener in list(self._state_listeners):
            listener(state)
        async with self._state_changed:
            self._state_changed.notify_all()

    # ------------------------------------------------------------------ running

    async def run(self) -> None:
        """Stay connected until cancelled; raise TokenRevoked when the server refuses us."""
        try:
            while True:
                await self._set_state(ConnectionState.CONNECTING)
                started = time.monotonic()
                try:
                    await self._connect_once()
                except TokenRevoked:
                    self.client.forget_credential()
                    await self._set_state(ConnectionState.SIGNED_OUT)
                    raise
                except (OSError, WebSocketException, TimeoutError) as exc:
                    log.info("push stream lost: %s", exc)
                if time.monotonic() - started >= HEALTHY_AFTER_S:
                    self.backoff.reset()
                await self._set_state(ConnectionState.RECONNECTING)
                await asyncio.sleep(self.backoff.next_delay())
        finally:
            if self._state is not ConnectionState.SIGNED_OUT:
                self._state = ConnectionState.STOPPED
                for listener in list(self._state_listeners):
                    listener(ConnectionState.STOPPED)

    def _url(self) -> str:
        base = self.client.server_url.replace("http", "ws", 1)
        return f"{base}/{API_VERSION}/stream?{urlencode({'after': self.last_seq})}"

    async def _connect_once(self) -> None:
        token = self.client.require_credential().token
        try:
            async with connect(
                self._url(), additional_headers={"Authorization": f"Bearer {token}"},
                open_timeout=self.open_timeout_s, ping_interval=self.ping_interval_s,
                proxy=None, max_size=4 * 1024 * 1024,
            ) as socket:  # fmt: skip
                await self._set_state(ConnectionState.CONNECTED)
                async for frame in socket:
                    await self._handle_frame(frame)
        except InvalidStatus as exc:
            if exc.response.status_code in (401, 403):
                raise TokenRevoked() from exc
            raise
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == TOKEN_REFUSED_CLOSE:
                raise TokenRevoked() from exc
            raise

    async def _handle_frame(self, frame: str | bytes) -> None:
        try:
            push = parse_push(json.loads(frame))
        except (ValueError, MalformedPush) as exc:
            log.warning("ignored a stream message that is not a push: %s", exc)
            return
        if push.seq <= self.last_seq:
            return  # already handled (a replay overlapping a live push)
        await self._deliver(push)
        key = self.stream_key
        self._last_seq = (key, push.seq)
        await asyncio.to_thread(self.cursor.save_seq, key, push.seq)

    async def _deliver(self, push: Push) -> None:
        for kinds, handler in list(self._handlers):
            if kinds and not isinstance(push, kinds):
                continue
            try:
                result = handler(push)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                # A faulty subscriber must not stop the others nor the stream.
                log.exception("a push subscriber failed on push %d", push.seq)
