"""Unread counts per account as the tabs and the tray show them.

A sleeping account keeps its last counts, marked not live, so the agent still sees what was
waiting when it fell asleep without mistaking it for a fresh figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum


class Health(StrEnum):
    """How well the recipe reads the page (its ``health`` event), or why nothing is read."""

    UNKNOWN = "unknown"
    OK = "ok"
    DEGRADED = "degraded"  # some expected page anchors are missing: the platform UI changed
    CRASHED = "crashed"
    UNRESPONSIVE = "unresponsive"


@dataclass(frozen=True, slots=True)
class Badge:
    """Unread direct and muted messages of one account."""

    direct: int = 0
    muted: int = 0
    live: bool = True

    def counted(self, direct: int, muted: int) -> Badge:
        return Badge(max(0, int(direct)), max(0, int(muted)), live=True)

    def stale(self) -> Badge:
        return replace(self, live=False)

    @property
    def text(self) -> str:
        """The tab badge: direct count, muted apart in parentheses, ``~`` when not live."""
        if not self.direct and not self.muted:
            return ""
        parts = [str(self.direct)] if self.direct else []
        if self.muted:
            parts.append(f"({self.muted})")
        mark = "" if self.live else "~"
        return mark + " ".join(parts)


def total_direct(badges: Iterable[Badge]) -> int:
    """The tray's number: unread direct messages over all accounts (muted ones do not nag)."""
    return sum(b.direct for b in badges)
