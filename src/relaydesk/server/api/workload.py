"""The workload report: each agent's day against their own usual and the team's average.

``GET /v1/reports/workload?date=YYYY-MM-DD&tz=`` — per agent, on that day (in ``tz``):

* ``intake``: conversations given to them (every ownership stretch that started that day,
  assignments, sticky returns, queue, transfers and handoffs alike: what the router counts);
* ``replies``: agent replies in the conversations they held, when the server first heard of
  each (server time);
* ``first_reply_mean_s``: from getting a conversation (or its opening, when later) to the first
  reply, over the stretches of that day that held the conversation's first reply;
* today only: ``slots_used``, ``capacity`` and ``load`` now (the load model's figures).

``usual`` is the mean of the same figures on the same weekday of the past ``weeks`` weeks, over
the days the agent worked (was given at least one conversation), up to the same time of day when
the date is today; ``slots_used`` there is how many they held at that time of day. ``team`` is
the mean over the team's agents who worked that day. ``heavy`` applies the heavy-day rule of
:mod:`relaydesk.server.workload` to the day's intake. An agent sees only themselves (and the
team's average), a supervisor their team, an admin everyone.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.domain.load import agent_load
from relaydesk.domain.models import Conversation
from relaydesk.server.convert import agent_from_row, conversation_from_row
from relaydesk.server.deps import Caller, Session, State
from relaydesk.server.errors import ApiError
from relaydesk.server.models import (
    AgentRow,
    ConversationRow,
    MessageRow,
    OwnershipRow,
    ReceivedEventRow,
    WarningRow,
)
from relaydesk.server.state import ServerState
from relaydesk.server.workload import HEAVY_EXCESS, HEAVY_KIND, HEAVY_RATIO, is_heavy_day

router = APIRouter(prefix="/v1", tags=["reports"])


@dataclass
class _Figures:
    """One agent's figures over one window."""

    intake: int = 0
    replies: int = 0
    first_replies_s: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        replies = self.first_replies_s
        return {
            "intake": self.intake,
            "replies": self.replies,
            "first_reply_mean_s": sum(replies) / len(replies) if replies else None,
        }


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(422, "invalid", f"tz: unknown time zone {name!r}", "tz") from None


def _day(text: str | None, zone: ZoneInfo, now: float) -> date:
    if text is None:
        return datetime.fromtimestamp(now, zone).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(422, "invalid", "date: must be YYYY-MM-DD", "date") from None


def _start(day: date, zone: ZoneInfo) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()


def _scope(caller: AgentRow) -> ColumnElement[bool]:
    """The agents whose figures make the caller's team average."""
    if caller.role == "admin":
        return true()
    if caller.team is None:
        return AgentRow.id == caller.id
    return AgentRow.team == caller.team


def _within(column: Any, windows: list[tuple[float, float]]) -> ColumnElement[bool]:
    """``column`` in one of the windows: only the days compared are read."""
    return or_(*(and_(column >= lo, column < hi) for lo, hi in windows))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@router.get("/reports/workload")
async def workload(
    caller: Caller,
    session: Session,
    state: State,
    day_text: str | None = Query(default=None, alias="date"),
    tz: str = "UTC",
    weeks: int = Query(default=4, ge=1, le=12),
) -> dict[str, Any]:
    """Each agent's intake, replies, first-reply time and load against their usual."""
    zone = _zone(tz)
    now = time.time()
    day = _day(day_text, zone, now)
    start = _start(day, zone)
    end = _start(day + timedelta(days=1), zone)
    if start > now:
        raise ApiError(422, "invalid", "date: must not be in the future", "date")
    is_today = now < end
    span = (now if is_today else end) - start  # the same part of each past day
    windows = [(start, start + span)]
    for week in range(1, weeks + 1):
        past = _start(day - timedelta(days=7 * week), zone)
        windows.append((past, past + span))

    rows = list(
        await session.scalars(
            select(AgentRow)
            .where(AgentRow.role != "admin", AgentRow.active.is_(True), _scope(caller))
            .order_by(AgentRow.login)
        )
    )
    ids = [r.id for r in rows]
    # An agent's own usual only: the team's figures are needed for today's average alone.
    usual_ids = [caller.id] if caller.role == "agent" else ids
    figures: dict[tuple[int, str], _Figures] = defaultdict(_Figures)
    await _count(session, figures, ids, windows[:1], first=0)
    await _count(session, figures, usual_ids, windows[1:], first=1)

    now_figures = await _now(session, state, rows, now) if is_today else {}
    usual_slots = await _usual_slots(session, usual_ids, windows[1:]) if is_today else {}
    warned = set(
        await session.scalars(
            select(WarningRow.agent_id).where(
                WarningRow.kind == HEAVY_KIND, WarningRow.at >= start, WarningRow.at < end
            )
        )
    )

    worked_today = [r.id for r in rows if figures[(0, r.id)].intake > 0]
    out = []
    for row in rows:
        today = figures[(0, row.id)]
        worked = [i for i in range(1, len(windows)) if figures[(i, row.id)].intake > 0]
        usual: dict[str, Any] = {
            "days": len(worked),
            "intake": _mean([figures[(i, row.id)].intake for i in worked]),
            "replies": _mean([figures[(i, row.id)].replies for i in worked]),
            "first_reply_mean_s": _mean(
                [s for i in worked for s in figures[(i, row.id)].first_replies_s]
            ),
        }
        if is_today:
            usual["slots_used"] = _mean([usual_slots.get((i, row.id), 0) for i in worked])
        teammates = [
            figures[(0, other.id)].intake
            for other in rows
            if row.team is not None and other.id != row.id and other.team == row.team
        ]
        out.append(
            {
                "agent_id": row.id,
                "login": row.login,
                "name": row.name,
                "team": row.team,
                "today": {**today.as_dict(), **now_figures.get(row.id, {})},
                "usual": usual,
                "heavy": is_heavy_day(today.intake, teammates),
                "warned": row.id in warned,
            }
        )
    team = {
        "agents": len(worked_today),
        "intake": _mean([figures[(0, a)].intake for a in worked_today]),
        "replies": _mean([figures[(0, a)].replies for a in worked_today]),
        "first_reply_mean_s": _mean(
            [s for a in worked_today for s in figures[(0, a)].first_replies_s]
        ),
    }
    if caller.role == "agent":
        out = [r for r in out if r["agent_id"] == caller.id]
    return {
        "date": day.isoformat(),
        "tz": tz,
        "weeks": weeks,
        "until": start + span,
        "heavy_rule": {"ratio": HEAVY_RATIO, "excess": HEAVY_EXCESS},
        "agents": out,
        "team": team,
    }


def _overlaps(windows: list[tuple[float, float]]) -> ColumnElement[bool]:
    """An ownership stretch that was open at some time in one of the windows."""
    return or_(
        *(
            and_(OwnershipRow.start < hi, or_(OwnershipRow.end.is_(None), OwnershipRow.end >= lo))
            for lo, hi in windows
        )
    )


async def _count(
    session: AsyncSession,
    figures: dict[tuple[int, str], _Figures],
    ids: list[str],
    windows: list[tuple[float, float]],
    first: int,
) -> None:
    """Intake, first replies and replies of ``ids`` in each window (numbered from ``first``)."""
    if not ids or not windows:
        return

    def window_of(at: float) -> int | None:
        for i, (lo, hi) in enumerate(windows, start=first):
            if lo <= at < hi:
                return i
        return None

    stretches = await session.execute(
        select(
            OwnershipRow.agent_id,
            OwnershipRow.start,
            OwnershipRow.end,
            ConversationRow.opened_at,
            ConversationRow.first_reply_at,
        )
        .join(ConversationRow, ConversationRow.id == OwnershipRow.conversation_id)
        .where(OwnershipRow.agent_id.in_(ids), _within(OwnershipRow.start, windows))
    )
    for agent_id, begun, ended, opened_at, first_reply_at in stretches:
        i = window_of(begun)
        if i is None:
            continue
        mine = figures[(i, agent_id)]
        mine.intake += 1
        if (
            first_reply_at is not None
            and begun <= first_reply_at
            and (ended is None or first_reply_at <= ended)
        ):
            mine.first_replies_s.append(max(0.0, first_reply_at - max(begun, opened_at)))

    # A reply is counted for whoever held the conversation when the server first heard of it
    # (server time: a workstation's clock may be off), in the window it arrived in.
    replies = await session.execute(
        select(
            OwnershipRow.agent_id,
            OwnershipRow.start,
            OwnershipRow.end,
            MessageRow.message_key,
            ReceivedEventRow.received_at,
        )
        .join(MessageRow, MessageRow.conversation_id == OwnershipRow.conversation_id)
        .join(ReceivedEventRow, ReceivedEventRow.message_key == MessageRow.message_key)
        .where(
            OwnershipRow.agent_id.in_(ids),
            _overlaps(windows),
            MessageRow.kind == "agent_reply",
        )
    )
    heard: dict[str, tuple[float, str, float, float | None]] = {}
    for agent_id, begun, ended, key, at in replies:
        if begun <= at and (ended is None or at <= ended):
            known = heard.get(key)
            if known is None or at < known[0]:
                heard[key] = (at, agent_id, begun, ended)
    for at, agent_id, _, _ in heard.values():
        i = window_of(at)
        if i is not None:
            figures[(i, agent_id)].replies += 1


async def _now(
    session: AsyncSession, state: ServerState, rows: list[AgentRow], now: float
) -> dict[str, dict[str, Any]]:
    """Slots, capacity and load of each agent at this moment, from their open conversations."""
    rules = await state.rules(session)
    owned: dict[str | None, list[Conversation]] = defaultdict(list)
    for conv in await session.scalars(
        select(ConversationRow).where(
            ConversationRow.owner_id.in_([r.id for r in rows]),
            ConversationRow.state == "assigned",
        )
    ):
        owned[conv.owner_id].append(conversation_from_row(conv))
    out = {}
    for row in rows:
        load = agent_load(agent_from_row(row, frozenset(), rules), owned[row.id], now, rules.load)
        out[row.id] = {
            "slots_used": load.slots_used,
            "capacity": load.capacity,
            "load": round(load.load, 2),
        }
    return out


async def _usual_slots(
    session: AsyncSession, ids: list[str], windows: list[tuple[float, float]]
) -> dict[tuple[int, str], int]:
    """How many conversations each agent held at the end of each past window (one read)."""
    moments = [moment for _, moment in windows]
    if not ids or not moments:
        return {}
    held = await session.execute(
        select(OwnershipRow.agent_id, OwnershipRow.start, OwnershipRow.end).where(
            OwnershipRow.agent_id.in_(ids),
            or_(
                *(
                    and_(
                        OwnershipRow.start <= m,
                        or_(OwnershipRow.end.is_(None), OwnershipRow.end > m),
                    )
                    for m in moments
                )
            ),
        )
    )
    out: dict[tuple[int, str], int] = defaultdict(int)
    for agent_id, begun, ended in held:
        for i, m in enumerate(moments, start=1):
            if begun <= m and (ended is None or ended > m):
                out[(i, agent_id)] += 1
    return out
