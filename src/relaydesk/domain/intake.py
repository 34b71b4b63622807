"""Intake and return: classifying contacts' appearances and counting them per working day.

An **intake** is a contact's first appearance within a dedup scope (by default: on an account);
any later appearance is a **return**. The counts are per working day, which starts at a
configurable local time (``DayBoundary``, e.g. 04:00 so a late shift's contacts after midnight
still count for the evening), grouped by account, agent or link, and each contact counts once per
working day within the scope:

* ``account`` — the same contact on the same account;
* ``agent`` — the same contact anywhere this agent works (several accounts, one person);
* ``team`` — the same contact anywhere in the team.

Times are float seconds on the caller's clock (Unix time), like every other domain module; the
boundary's ``utc_offset_s`` places the local day on that clock. Pure: no I/O, no clock reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from relaydesk.domain.models import IntakeEvent

GroupBy = Literal["account", "agent", "link"]
_DAY_S = 86_400.0
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class DedupScope(StrEnum):
    ACCOUNT = "account"
    AGENT = "agent"
    TEAM = "team"


@dataclass(frozen=True, slots=True)
class DayBoundary:
    """Working days begin ``minute_of_day`` minutes after local midnight, local being UTC plus
    ``utc_offset_s``."""

    minute_of_day: int = 0
    utc_offset_s: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.minute_of_day < 24 * 60:
            raise ValueError(
                f"day boundary must be within a day (0-1439 minutes), got {self.minute_of_day}"
            )
        if abs(self.utc_offset_s) > 14 * 3600:
            raise ValueError(f"UTC offset must be within ±14 hours, got {self.utc_offset_s:g} s")

    @classmethod
    def parse(cls, text: str, utc_offset_s: float = 0.0) -> DayBoundary:
        """``"04:00"`` → a boundary at 04:00 local time; a clear ValueError otherwise."""
        match = _HHMM.match(text.strip())
        if match is None:
            raise ValueError(f"day boundary must be a time like 04:00 (HH:MM), got {text!r}")
        return cls(int(match[1]) * 60 + int(match[2]), utc_offset_s)

    def day_of(self, at: float) -> date:
        """The working day a moment belongs to."""
        shifted = at + self.utc_offset_s - self.minute_of_day * 60.0
        return datetime.fromtimestamp(shifted, UTC).date()

    def start_of(self, day: date) -> float:
        """When working day ``day`` begins, on the caller's clock."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        return midnight + self.minute_of_day * 60.0 - self.utc_offset_s

    def end_of(self, day: date) -> float:
        return self.start_of(day + timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Appearance:
    """A contact wrote (or clicked a link) on an account, seen by an agent's workstation."""

    contact_id: str
    account_id: str
    at: float
    agent_id: str | None = None
    link_id: str | None = None


def scope_key(contact_id: str, account_id: str, agent_id: str | None, scope: DedupScope) -> str:
    """Who counts as "the same contact" within ``scope``."""
    if scope is DedupScope.ACCOUNT:
        return f"{account_id}\x1f{contact_id}"
    if scope is DedupScope.AGENT:
        return f"{agent_id or ''}\x1f{contact_id}"
    return contact_id


class IntakeClassifier:
    """Tells intakes from returns, remembering first appearances within ``scope``.

    ``first_seen`` carries what history already knows (scope key → first time, see
    :func:`scope_key`), e.g. loaded from the server's database.
    """

    def __init__(
        self,
        scope: DedupScope = DedupScope.ACCOUNT,
        first_seen: Mapping[str, float] | None = None,
    ) -> None:
        self.scope = scope
        self._first_seen: dict[str, float] = dict(first_seen or {})

    def first_seen(self, key: str) -> float | None:
        return self._first_seen.get(key)

    def observe(self, appearance: Appearance) -> IntakeEvent:
        """Classify one appearance; appearances should come in time order."""
        key = scope_key(
            appearance.contact_id, appearance.account_id, appearance.agent_id, self.scope
        )
        first = self._first_seen.get(key)
        returning = first is not None and first < appearance.at
        if first is None or appearance.at < first:
            self._first_seen[key] = appearance.at
        return IntakeEvent(
            appearance.contact_id,
            appearance.account_id,
            appearance.at,
            returning,
            appearance.agent_id,
            appearance.link_id,
        )


def classify(
    appearances: Iterable[Appearance],
    scope: DedupScope = DedupScope.ACCOUNT,
    first_seen: Mapping[str, float] | None = None,
) -> list[IntakeEvent]:
    """Intake or return for each appearance, in time order (ties by contact, then account)."""
    classifier = IntakeClassifier(scope, first_seen)
    ordered = sorted(appearances, key=lambda a: (a.at, a.contact_id, a.account_id))
    return [classifier.observe(a) for a in ordered]


@dataclass(frozen=True, slots=True)
class IntakeCount:
    """New and returning contacts on one working day for one account, agent or link."""

    day: date
    group: str  # the account, agent or link id ("" when the event had none)
    new: int
    returning: int

    @property
    def total(self) -> int:
        return self.new + self.returning


def _group_of(event: IntakeEvent, group_by: GroupBy) -> str:
    if group_by == "account":
        return event.account_id
    if group_by == "agent":
        return event.agent_id or ""
    return event.link_id or ""


def count_intake(
    events: Iterable[IntakeEvent],
    boundary: DayBoundary,
    *,
    scope: DedupScope = DedupScope.ACCOUNT,
    group_by: GroupBy = "account",
) -> list[IntakeCount]:
    """Count each contact once per working day within ``scope``, on the group of its first
    event that day; new when that event is an intake. Sorted by day, then group."""
    if group_by not in ("account", "agent", "link"):
        raise ValueError(f"group_by must be account, agent or link, got {group_by!r}")
    counted: set[tuple[date, str]] = set()
    tallies: dict[tuple[date, str], list[int]] = {}
    for event in sorted(events, key=lambda e: (e.at, e.contact_id, e.account_id)):
        day = boundary.day_of(event.at)
        key = (day, scope_key(event.contact_id, event.account_id, event.agent_id, scope))
        if key in counted:
            continue
        counted.add(key)
        tally = tallies.setdefault((day, _group_of(event, group_by)), [0, 0])
        tally[1 if event.returning else 0] += 1
    return [
        IntakeCount(day, group, new, returning)
        for (day, group), (new, returning) in sorted(tallies.items())
    ]
