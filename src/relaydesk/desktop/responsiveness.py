"""Tell a hung page from a busy one: a heartbeat the page must answer in time.

Qt WebEngine has no "page unresponsive" signal, so the window pings each awake page and this plain
object decides from the timings; the Qt side only sends pings and shows the offer to reload.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class HeartbeatWatch:
    """A page is unresponsive when a ping has gone unanswered for ``timeout_s``."""

    timeout_s: float = 10.0
    _pending_since: float | None = field(default=None, init=False)
    _next_id: int = field(default=0, init=False)

    def ping(self, now: float) -> int | None:
        """A new ping id to send, or None while one is still outstanding."""
        if self._pending_since is not None:
            return None
        self._pending_since = now
        self._next_id += 1
        return self._next_id

    def answered(self, ping_id: int) -> bool:
        """Record the page's answer; True if it ends an unresponsive spell."""
        if ping_id != self._next_id:
            return False
        self._pending_since = None
        return True

    def unresponsive(self, now: float) -> bool:
        return self._pending_since is not None and now - self._pending_since >= self.timeout_s

    def reset(self) -> None:
        """Forget the outstanding ping (the page was reloaded, frozen or discarded)."""
        self._pending_since = None
        self._next_id += 1
