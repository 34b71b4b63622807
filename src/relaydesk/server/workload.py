"""Each agent's day so far: the router's day term and the supervisors' heavy-day warning.

How many conversations each agent was given since the working day began (every ownership
stretch that started today, whatever the reason) is kept in this process's memory, so routing
an event costs no extra statement: the count is read from the ``ownerships`` table once at the
first routing of a working day and again every :data:`RESYNC_S` (one grouped SELECT), and moved
on in memory at every assignment in between. Several processes on one PostgreSQL database each
count their own assignments and converge at their next resync; a transaction that rolls back
may leave a count one too high until then.

The working day is the routing rules' (``load.day_starts_at_utc_s``, see docs/routing.md).

**Heavy day** (:func:`is_heavy_day`): an agent given at least :data:`HEAVY_RATIO` times the mean
of their teammates who also worked today (agents without a team have none), and at least
:data:`HEAVY_EXCESS` more than it, raises
one ``warning`` (kind ``heavy_day``) for the team's supervisors and the admins, once per agent and
working day (stored in ``warnings`` with the agent's team, pushed like every other warning).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, func, insert, select

from relaydesk.domain.load import LoadParams, team_day_mean, working_day
from relaydesk.domain.models import Agent
from relaydesk.server.models import AgentRow, OwnershipRow, WarningRow

if TYPE_CHECKING:  # the state holds a Workload: no import cycle at run time
    from relaydesk.server.state import Tx

RESYNC_S = 60.0
HEAVY_RATIO = 1.5
HEAVY_EXCESS = 40
HEAVY_KIND = "heavy_day"

_AGENTS = cast(Table, AgentRow.__table__)
_OWNERSHIPS = cast(Table, OwnershipRow.__table__)
_WARNINGS = cast(Table, WarningRow.__table__)


def is_heavy_day(assigned: int, teammates: Iterable[int]) -> bool:
    """Far above the teammates who worked today: ≥ 1.5× their mean and ≥ 40 more."""
    worked = [n for n in teammates if n > 0]
    if not worked:
        return False
    mean = sum(worked) / len(worked)
    return assigned >= HEAVY_RATIO * mean and assigned - mean >= HEAVY_EXCESS


def day_bounds(now: float, params: LoadParams) -> tuple[float, float]:
    """Unix seconds of the start and end of the working day ``now`` falls in."""
    start = working_day(now, params) * 86400.0 + params.day_starts_at_utc_s
    return start, start + 86400.0


@dataclass
class Workload:
    """This process's count of conversations given to each agent today, and their teams."""

    _day: int | None = None
    _synced_at: float = float("-inf")
    _counts: dict[str, int] = field(default_factory=dict)
    _teams: dict[str, str | None] = field(default_factory=dict)
    # Agents whose heavy-day warning for ``_day`` is committed (seen in the table).
    _warned: set[str] = field(default_factory=set)

    async def _current(self, tx: Tx) -> None:
        """Read the counts again at a new working day or when the last read is too old."""
        day = working_day(tx.now, tx.rules.load)
        if day == self._day and tx.now - self._synced_at < RESYNC_S:
            return
        start, _ = day_bounds(tx.now, tx.rules.load)
        rows = await tx.session.execute(
            select(_OWNERSHIPS.c.agent_id, _AGENTS.c.team, func.count())
            .join(_AGENTS, _AGENTS.c.id == _OWNERSHIPS.c.agent_id)
            .where(_OWNERSHIPS.c.start >= start)
            .group_by(_OWNERSHIPS.c.agent_id, _AGENTS.c.team)
        )
        counts: dict[str, int] = {}
        for agent_id, team, count in rows:
            counts[agent_id] = counts.get(agent_id, 0) + int(count)
            self._teams[agent_id] = team
        if day != self._day:
            self._warned = set()
        self._day, self._synced_at, self._counts = day, tx.now, counts

    async def today(self, tx: Tx, agents: Sequence[Agent]) -> tuple[dict[str, int], float | None]:
        """Each agent's assignments today and their mean: what the load model's day term needs."""
        await self._current(tx)
        for agent in agents:
            self._teams[agent.id] = agent.team
        counts = {a.id: self._counts.get(a.id, 0) for a in agents}
        return counts, team_day_mean(counts.values())

    def count(self, agent_id: str) -> int:
        return self._counts.get(agent_id, 0)

    async def assigned(self, tx: Tx, agent_id: str) -> None:
        """``agent_id`` was given a conversation in ``tx``: count it, warn on a heavy day."""
        await self._current(tx)
        self._counts[agent_id] = self._counts.get(agent_id, 0) + 1
        if agent_id in self._warned:
            return
        if agent_id not in self._teams:  # given one by a transfer before any routing saw them
            self._teams[agent_id] = await tx.session.scalar(
                select(_AGENTS.c.team).where(_AGENTS.c.id == agent_id)
            )
        team = self._teams[agent_id]
        teammates = [
            n
            for other, n in self._counts.items()
            if team is not None and other != agent_id and self._teams.get(other) == team
        ]
        mine = self._counts[agent_id]
        if is_heavy_day(mine, teammates):
            await self._warn(tx, agent_id, team, mine, teammates)

    async def _warn(
        self, tx: Tx, agent_id: str, team: str | None, mine: int, teammates: list[int]
    ) -> None:
        from relaydesk.server.assignment import supervisors_of  # it imports this module

        start, _ = day_bounds(tx.now, tx.rules.load)
        already = await tx.session.scalar(
            select(_WARNINGS.c.id)
            .where(
                _WARNINGS.c.kind == HEAVY_KIND,
                _WARNINGS.c.agent_id == agent_id,
                _WARNINGS.c.at >= start,
            )
            .limit(1)
        )
        if already is not None:
            self._warned.add(agent_id)
            return
        worked = [n for n in teammates if n > 0]
        mean = sum(worked) / len(worked)
        who = (
            await tx.session.execute(
                select(_AGENTS.c.name, _AGENTS.c.login).where(_AGENTS.c.id == agent_id)
            )
        ).first()
        name = (who.name or who.login) if who is not None else agent_id
        message = f"{name}: {mine} conversations today against {mean:.0f} on average for the team"
        await tx.session.execute(
            insert(_WARNINGS).values(
                kind=HEAVY_KIND, at=tx.now, message=message, agent_id=agent_id, team=team
            )
        )
        payload = {
            "kind": HEAVY_KIND,
            "message": message,
            "conversation_id": None,
            "agent_id": agent_id,
            "other_agent_id": None,
            "assigned_today": mine,
            "team_mean_today": round(mean, 1),
        }
        for recipient in sorted(await supervisors_of(tx, team)):
            await tx.outbox.add(recipient, "warning", payload)
