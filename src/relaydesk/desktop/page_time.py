"""When a chat line was written, from the time the page shows next to it, the same on every
workstation.

The team server counts a customer message once by its fingerprint (account, contact, time,
text; ``relaydesk.server.ingest.message_key``), so several workstations of a shared account
that report the same line of an open chat must give it the same time. Their clocks and the
moments they look differ; what they share is the page: the line's shown time (to the minute on
most platforms, an ISO time on some) and its message key. ``line_ts`` turns those into one
number: the shown minute, plus a fraction of a second taken from the key and text (lines of one
minute stay apart). Plain Python, no Qt, the clock passed in: tested on its own.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

# The page's clock may run a little ahead of the workstation's: a shown time up to this far in
# the future is today's, further than that it is yesterday's (a line from 23:59 read at 00:01).
AHEAD_S = 300.0
SPREAD_S = 0.5  # the fraction added to the minute stays below this (before the next second)

# "9:31", "21.31", "9:31:05 p.m.": not part of a date ("1.12.2026") or a longer number.
_CLOCK = re.compile(
    r"(?<![\d:./-])(\d{1,2})([:.])(\d{2})(?:\2(\d{2}))?(?![:./-]?\d)\s*(?:([ap])\.?\s*m\b\.?)?",
    re.IGNORECASE,
)


def shown_time(shown: str, now: float) -> float | None:
    """The moment a page's time stamp names (``"9:31 pm"``, ``"21:31, 1/12/2026"``, an ISO
    time), in the workstation's time zone, the latest such moment not past ``now`` + a few
    minutes; None when the stamp has no clock ("Yesterday", "Mon", empty)."""
    text = shown.strip()
    if not text:
        return None
    if "T" in text and text[:4].isdigit():
        try:
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            stamp = None
        if stamp is not None:
            return stamp.timestamp() if stamp.tzinfo else stamp.astimezone().timestamp()
    found = _CLOCK.search(text)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(3))
    second = int(found.group(4) or 0)
    meridiem = (found.group(5) or "").lower()
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    local = datetime.fromtimestamp(now)  # naive, local: .timestamp() reads it back as local
    day = local.replace(hour=hour, minute=minute, second=second, microsecond=0)
    if day.timestamp() > now + AHEAD_S:
        day = (local - timedelta(days=1)).replace(
            hour=hour, minute=minute, second=second, microsecond=0
        )
    return day.timestamp()


def line_ts(shown: str, key: str, text: str, now: float) -> float | None:
    """The time to report a page line with: its shown time plus a fraction of a second from
    the line's key and text, equal on every workstation that shows the line; None without a
    clock in ``shown`` (the caller then dates the line itself)."""
    base = shown_time(shown, now)
    if base is None:
        return None
    digest = hashlib.sha256(f"{key}\x1f{text}".encode()).digest()
    fraction = int.from_bytes(digest[:4], "big") / 2**32
    return base + round(fraction * SPREAD_S, 6)
