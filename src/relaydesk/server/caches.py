"""What a process keeps in memory instead of reading it on every request: callers and the rules.

Both are small, read on every request and seldom changed, so each change drops the entry at
once in this process (logout, agent PATCH, rules PUT) and, on PostgreSQL, in every other process
through a NOTIFY sent in the changing transaction (``relaydesk.server.fanout``). A short time to
live bounds what a missed notification could leave behind.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.domain.rules import RoutingRules
from relaydesk.server.models import AgentRow

CHANGES_CHANNEL = "relaydesk_changes"
# An entry older than this is read again even without a notification.
TIME_TO_LIVE_S = 30.0
_MAX_CALLERS = 10_000


def detached_caller(row: AgentRow) -> AgentRow:
    """A copy of ``row`` that belongs to no session: who the caller is and what they may do."""
    columns = AgentRow.__table__.columns.keys()
    return AgentRow(**{name: getattr(row, name) for name in columns})


@dataclass
class _Entry:
    agent: AgentRow
    loaded_at: float


@dataclass
class Caches:
    """Token → caller and the routing rules, for one process."""

    _callers: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    _rules: RoutingRules | None = None
    _rules_loaded_at: float = 0.0
    # Bumped by every invalidation: a load that started before one must not store its result.
    _generation: int = 0
    # False once changes can no longer be heard (PostgreSQL's LISTEN connection was lost).
    enabled: bool = True

    # ------------------------------------------------------------ callers (token hash → agent)

    def caller(self, hashed: str, now: float | None = None) -> AgentRow | None:
        entry = self._callers.get(hashed)
        if entry is None:
            return None
        if (time.monotonic() if now is None else now) - entry.loaded_at > TIME_TO_LIVE_S:
            del self._callers[hashed]
            return None
        return entry.agent

    def generation(self) -> int:
        return self._generation

    def remember_caller(self, hashed: str, agent: AgentRow, generation: int) -> None:
        if generation != self._generation or not self.enabled:  # changed while being read
            return
        self._callers[hashed] = _Entry(detached_caller(agent), time.monotonic())
        while len(self._callers) > _MAX_CALLERS:
            self._callers.popitem(last=False)

    def forget_token(self, hashed: str) -> None:
        self._generation += 1
        self._callers.pop(hashed, None)

    def forget_agent(self, agent_id: str) -> None:
        self._generation += 1
        for hashed in [h for h, e in self._callers.items() if e.agent.id == agent_id]:
            del self._callers[hashed]

    # ------------------------------------------------------------ the routing rules

    def rules(self) -> RoutingRules | None:
        if self._rules is None or time.monotonic() - self._rules_loaded_at > TIME_TO_LIVE_S:
            return None
        return self._rules

    def remember_rules(self, rules: RoutingRules, generation: int) -> None:
        if generation == self._generation and self.enabled:
            self._rules, self._rules_loaded_at = rules, time.monotonic()

    def forget_rules(self) -> None:
        self._generation += 1
        self._rules = None

    # ------------------------------------------------------------ other processes' changes

    def heard(self, message: dict[str, Any]) -> None:
        """A change announced on :data:`CHANGES_CHANNEL` (by any process, this one included)."""
        if message.get("token"):
            self.forget_token(str(message["token"]))
        if message.get("agent"):
            self.forget_agent(str(message["agent"]))
        if message.get("rules"):
            self.forget_rules()

    def forget_all(self, *, stop_caching: bool = False) -> None:
        """Drop everything; ``stop_caching`` when changes can no longer be heard."""
        self.enabled = self.enabled and not stop_caching
        self._generation += 1
        self._callers.clear()
        self._rules = None


async def announce_change(session: AsyncSession, **change: str | bool) -> None:
    """Inside a PostgreSQL transaction: the other processes drop what ``change`` names at commit."""
    if session.get_bind().dialect.name != "postgresql":
        return
    await session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANGES_CHANNEL, "payload": json.dumps(change)},
    )
