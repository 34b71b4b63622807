"""Who is on duty when, and what they can do: rosters built from a trace or fixed staffing.

A roster is a list of status changes (time, agent, on duty or not) plus each agent's skills and
languages. ``trace_hourly``: an agent is on duty during an hour of a day when the trace shows them
starting a service in that hour. ``fixed``: N interchangeable agents on duty the whole time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from relaydesk.sim.trace import TraceContact

HOUR_S = 3600.0


class RosterError(Exception):
    """A roster that cannot be built from this trace (a sentence for the person running it)."""


@dataclass(frozen=True, slots=True)
class DutyChange:
    """At ``at`` the agent comes on duty (``on_duty``) or goes off it (finishing what they hold)."""

    at: float
    agent_id: str
    on_duty: bool


@dataclass(frozen=True, slots=True)
class Roster:
    agent_ids: tuple[str, ...]
    changes: tuple[DutyChange, ...]
    skills: dict[str, frozenset[str]] = field(default_factory=dict)
    languages: dict[str, frozenset[str]] = field(default_factory=dict)

    def on_duty_hours(self) -> dict[str, float]:
        """Hours each agent spends on duty, up to the roster's last change."""
        hours = dict.fromkeys(self.agent_ids, 0.0)
        since: dict[str, float] = {}
        for change in sorted(self.changes, key=lambda c: c.at):
            if change.on_duty:
                since.setdefault(change.agent_id, change.at)
            elif change.agent_id in since:
                hours[change.agent_id] += (change.at - since.pop(change.agent_id)) / HOUR_S
        return hours


def _served_by(contacts: Iterable[TraceContact]) -> dict[str, list[TraceContact]]:
    by_agent: dict[str, list[TraceContact]] = {}
    for c in contacts:
        if c.agent_id is not None:
            by_agent.setdefault(c.agent_id, []).append(c)
    return by_agent


def trace_hourly(contacts: Sequence[TraceContact]) -> Roster:
    """On duty in every hour in which the trace shows the agent starting a service.

    Consecutive hours merge into one stretch; an agent going off duty finishes what they hold.
    Skills and languages are the queues and languages the trace shows each agent serving.
    """
    by_agent = _served_by(contacts)
    if not by_agent:
        raise RosterError(
            "the trace names no agents, so --roster trace-hourly has nobody to put on duty; "
            "use --agents N for fixed staffing"
        )
    changes: list[DutyChange] = []
    for agent_id, served in by_agent.items():
        hours = sorted(
            {
                math.floor((c.service_start if c.service_start is not None else c.arrival) / HOUR_S)
                for c in served
            }
        )
        start = previous = hours[0]
        for hour in [*hours[1:], None]:
            if hour is not None and hour == previous + 1:
                previous = hour
                continue
            changes.append(DutyChange(start * HOUR_S, agent_id, True))
            changes.append(DutyChange((previous + 1) * HOUR_S, agent_id, False))
            if hour is not None:
                start = previous = hour
    changes.sort(key=lambda c: (c.at, c.on_duty, c.agent_id))
    return Roster(
        agent_ids=tuple(sorted(by_agent)),
        changes=tuple(changes),
        skills={a: frozenset(c.skill for c in s if c.skill) for a, s in by_agent.items()},
        languages={a: frozenset(c.language for c in s if c.language) for a, s in by_agent.items()},
    )


def fixed(count: int, contacts: Sequence[TraceContact]) -> Roster:
    """``count`` agents on duty from the first arrival on, each able to serve every contact."""
    if count < 1:
        raise RosterError("--agents must be at least 1")
    start = contacts[0].arrival if contacts else 0.0
    width = len(str(count))
    ids = tuple(f"agent-{n:0{width}d}" for n in range(1, count + 1))
    every_skill = frozenset(c.skill for c in contacts if c.skill)
    every_language = frozenset(c.language for c in contacts if c.language)
    return Roster(
        agent_ids=ids,
        changes=tuple(DutyChange(start, a, True) for a in ids),
        skills=dict.fromkeys(ids, every_skill),
        languages=dict.fromkeys(ids, every_language),
    )
