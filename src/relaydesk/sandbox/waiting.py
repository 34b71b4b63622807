"""Pages waiting for their inbox's next change (long-polling), and waking them when it comes.

A page asks for its state ``after`` the version it drew; the server holds the request until the
inbox changes, ``wait`` seconds pass or the sandbox stops. Real platforms push new messages over a
network connection, which Chromium does not throttle in a hidden tab as it throttles timers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from relaydesk.sandbox.inbox import Inbox

MAX_WAIT_S = 20.0  # longest a request is held; a page asks again at once
# Once a change wakes a waiter it waits this much longer, so a burst of changes (two lines a
# customer sends one after the other) reaches the page in one answer, as a real page renders a
# burst of pushed messages in one go (tests/desktop/test_first_message.py needs such a burst).
# It also keeps a busy page near four redraws a second, what the recipes read at once (SCAN_BURST
# in resources/recipes/_common/common.js; more wait for a timer, throttled in a hidden tab).
SETTLE_S = 0.25
# A waiter also looks at its inbox this often, so a change that did not wake it (made on another
# thread whose wake-up came too late, or by code that bypassed ``Inbox._changed``) is seen this late
# at most.
RECHECK_S = 0.5


class Waiters:
    """Held state requests, per inbox; ``changed`` is every inbox's ``on_change`` listener."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[Inbox, set[asyncio.Future[None]]] = {}
        self._held: dict[Inbox, int] = {}
        self.closing = False

    def held(self, inbox: Inbox) -> int:
        """How many state requests for ``inbox`` are being held now."""
        return self._held.get(inbox, 0)

    def open(self) -> None:
        """Hold requests again (the server has started)."""
        self.closing = False

    def changed(self, inbox: Inbox) -> None:
        self._wake(inbox)

    def release(self) -> None:
        """Answer every held request now, and every later one at once: the server is stopping."""
        self.closing = True
        self._wake(None)

    def _wake(self, inbox: Inbox | None) -> None:
        loop = self._loop
        if loop is None:  # nobody has waited yet
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._resolve(inbox)
        else:  # a change made on another thread (a test driving the Sandbox directly)
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
                loop.call_soon_threadsafe(self._resolve, inbox)

    def _resolve(self, inbox: Inbox | None) -> None:
        groups = (
            list(self._waiting.values()) if inbox is None else [self._waiting.get(inbox, set())]
        )
        for waiting in groups:
            for woken in waiting:
                if not woken.done():
                    woken.set_result(None)

    async def until_changed(
        self,
        inbox: Inbox,
        after: int,
        wait: float,
        gone: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        """Return once ``inbox.version`` differs from ``after`` (``SETTLE_S`` after the change
        when it came while waiting), ``wait`` seconds have passed, the server is stopping, or
        ``gone()`` says the asker has hung up."""
        if inbox.version != after:
            return
        loop = asyncio.get_running_loop()
        self._loop = loop
        deadline = loop.time() + min(wait, MAX_WAIT_S)
        waiting = self._waiting.setdefault(inbox, set())
        self._held[inbox] = self._held.get(inbox, 0) + 1
        try:
            while inbox.version == after and not self.closing:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return
                woken: asyncio.Future[None] = loop.create_future()
                waiting.add(woken)
                try:
                    await asyncio.wait([woken], timeout=min(remaining, RECHECK_S))
                finally:
                    waiting.discard(woken)
                if gone is not None and not woken.done() and await gone():
                    return
            if inbox.version != after and not self.closing:
                await asyncio.sleep(SETTLE_S)  # short enough not to hold up a stop
        finally:
            self._held[inbox] -= 1
