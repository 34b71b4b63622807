"""When a chat line was written, from the time the page shows next to it, the same on every
workstation.

The team server counts a customer message once by its fingerprint (account, contact, time,
text; ``relaydesk.server.ingest.message_key``), so the workstations of a shared account that
report the same customer line must give it the same time. Their clocks and the moments they
look differ; what they share is the page: the line's text and its shown time — next to the line
in the open chat, and as the newest line's time on its chat-list row (to the minute on most
platforms; some show seconds in the chat, never in the list). ``line_ts`` turns those into one
number: the shown minute, plus a fraction of a second taken from the text, so the open chat's
line and the list row's report of it, on any workstation, are one message. (Two lines of one
contact with the same text in the same minute are then one message too.) Plain Python, no Qt,
the clock passed in: tested on its own.
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
    """The minute a page's time stamp names (``"9:31 pm"``, ``"21:31, 1/12/2026"``, an ISO
    time), in the workstation's time zone, the latest such minute not past ``now`` + a few
    minutes; None when the stamp has no clock ("Yesterday", "Mon", "5m", empty). Seconds are
    dropped: the chat list, which shows none, must give the same minute."""
    text = shown.strip()
    if not text:
        return None
    if "T" in text and text[:4].isdigit():
        try:
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            stamp = None
        if stamp is not None:
            exact = stamp.timestamp() if stamp.tzinfo else stamp.astimezone().timestamp()
            return exact - exact % 60
    found = _CLOCK.search(text)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(3))
    meridiem = (found.group(5) or "").lower()
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    local = datetime.fromtimestamp(now)  # naive, local: .timestamp() reads it back as local
    day = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if day.timestamp() > now + AHEAD_S:
        day = (local - timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return day.timestamp()


def line_ts(shown: str, text: str, now: float) -> float | None:
    """The time to report a customer line with: its shown minute plus a fraction of a second
    from its text, equal on every workstation and in the open chat and the chat list alike;
    None without a clock in ``shown`` (the caller then dates the line itself)."""
    base = shown_time(shown, now)
    if base is None:
        return None
    digest = hashlib.sha256(text.encode()).digest()
    fraction = int.from_bytes(digest[:4], "big") / 2**32
    return base + round(fraction * SPREAD_S, 6)
