"""Shifts: agents' weekly schedules, who is on now and next per team, and keeping a
conversation past one's shift end."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Body, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.domain.shifts import (
    ShiftError,
    ShiftSchedule,
    current_shift,
    next_shift,
    on_shift,
)
from relaydesk.server import shifts
from relaydesk.server.access import same_team_agents, visible_conversations
from relaydesk.server.deps import Caller, Session, State
from relaydesk.server.errors import ApiError, forbidden, not_found
from relaydesk.server.models import AgentRow, ConversationRow, ShiftScheduleRow
from relaydesk.server.schemas import (
    KeepIn,
    KeepOut,
    ShiftAgentOut,
    ShiftBoardOut,
    ShiftScheduleOut,
    TeamShiftsOut,
)

router = APIRouter(prefix="/v1", tags=["shifts"])


def _may_plan(caller: AgentRow, agent: AgentRow) -> bool:
    """Admins plan everyone's shifts; a supervisor their own team's."""
    if caller.role == "admin":
        return True
    return caller.role == "supervisor" and caller.team is not None and agent.team == caller.team


def _schedule_out(agent_id: str, schedule: ShiftSchedule | None, at: float) -> ShiftScheduleOut:
    current = current_shift(schedule, at) if schedule is not None else None
    upcoming = next_shift(schedule, at)
    doc = schedule.to_document() if schedule is not None else {"timezone": None, "intervals": []}
    return ShiftScheduleOut(
        agent_id=agent_id,
        scheduled=schedule is not None,
        timezone=doc["timezone"],  # type: ignore[arg-type]
        intervals=doc["intervals"],  # type: ignore[arg-type]
        on_shift=on_shift(schedule, at),
        shift_end=current.end if current is not None else None,
        next_shift_start=upcoming.start if upcoming is not None else None,
    )


async def _agent(session: AsyncSession, caller: AgentRow, agent_id: str) -> AgentRow:
    agent = await session.get(AgentRow, agent_id)
    if agent is None or (
        agent.id != caller.id and caller.role != "admin" and agent.team != caller.team
    ):
        raise not_found("agent")  # another team's agent looks exactly like a missing one
    return agent


@router.get("/agents/{agent_id}/shifts")
async def get_schedule(agent_id: str, caller: Caller, session: Session) -> ShiftScheduleOut:
    """The schedule, read by the agent, their supervisors and admins."""
    agent = await _agent(session, caller, agent_id)
    if agent.id != caller.id and not _may_plan(caller, agent):
        raise forbidden("Only the agent, their supervisor or an admin may read this schedule.")
    row = await session.get(ShiftScheduleRow, agent.id)
    return _schedule_out(agent.id, shifts.schedule_from_row(row), time.time())


@router.put("/agents/{agent_id}/shifts")
async def put_schedule(
    agent_id: str,
    caller: Caller,
    state: State,
    document: dict[str, Any] = Body(...),  # noqa: B008
) -> ShiftScheduleOut:
    """``{timezone, intervals: [{day: 1..7, start: "HH:MM", end: "HH:MM"}]}``; 422 names the
    field (``intervals[1].end``)."""
    try:
        schedule = ShiftSchedule.from_document(document)
    except ShiftError as exc:
        raise ApiError(422, "invalid_schedule", f"{exc.field}: {exc.message}", exc.field) from None
    return await _store(agent_id, caller, state, schedule)


@router.delete("/agents/{agent_id}/shifts")
async def delete_schedule(agent_id: str, caller: Caller, state: State) -> ShiftScheduleOut:
    """No schedule: the agent is always on shift again."""
    return await _store(agent_id, caller, state, None)


async def _store(
    agent_id: str, caller: AgentRow, state: Any, schedule: ShiftSchedule | None
) -> ShiftScheduleOut:
    async with state.transaction() as tx:
        agent = await _agent(tx.session, caller, agent_id)
        if not _may_plan(caller, agent):
            raise forbidden("Only an admin or the team's supervisor may plan shifts.")
        await tx.session.refresh(agent, with_for_update=True)
        await shifts.set_schedule(tx, agent, schedule)
        at = tx.now
    state.redirects.agents_changed()
    return _schedule_out(agent_id, schedule, at)


@router.get("/shifts")
async def shift_board(
    caller: Caller,
    session: Session,
    at: float | None = Query(default=None, allow_inf_nan=False),
) -> ShiftBoardOut:
    """Per team: who is on shift at ``at`` (default now) and who comes on next, soonest first."""
    if caller.role not in ("admin", "supervisor"):
        raise forbidden("Only an admin or a supervisor may read the shift board.")
    when = time.time() if at is None else at
    agents = list(
        await session.scalars(
            select(AgentRow)
            .where(same_team_agents(caller), AgentRow.active.is_(True))
            .order_by(AgentRow.team, AgentRow.name, AgentRow.login)
        )
    )
    schedules = await shifts.schedules_of(session, [a.id for a in agents])
    teams: dict[str | None, TeamShiftsOut] = {}
    for agent in agents:
        if agent.role == "admin" and agent.id not in schedules:
            continue  # admins without a schedule are not part of a shift
        schedule = schedules.get(agent.id)
        current = current_shift(schedule, when) if schedule is not None else None
        upcoming = next_shift(schedule, when)
        entry = ShiftAgentOut(
            agent_id=agent.id,
            name=agent.name or agent.login,
            status=agent.status,
            scheduled=schedule is not None,
            shift_end=current.end if current is not None else None,
            next_shift_start=upcoming.start if upcoming is not None else None,
        )
        team = teams.setdefault(agent.team, TeamShiftsOut(team=agent.team, on_now=[], next=[]))
        if on_shift(schedule, when):
            team.on_now.append(entry)
        elif upcoming is not None:
            team.next.append(entry)
    for team in teams.values():
        team.next.sort(key=lambda e: (e.next_shift_start or 0.0, e.name))
    ordered = sorted(teams.values(), key=lambda t: (t.team is None, t.team or ""))
    return ShiftBoardOut(at=when, teams=ordered)


@router.post("/conversations/{conversation_id}/keep")
async def keep_conversation(
    conversation_id: str, body: KeepIn, caller: Caller, state: State
) -> KeepOut:
    """The owner keeps a conversation past their shift's end (or lets it go again)."""
    async with state.transaction() as tx:
        row = await tx.session.scalar(
            select(ConversationRow)
            .where(ConversationRow.id == conversation_id, visible_conversations(caller))
            .with_for_update()
        )
        if row is None:
            raise not_found("conversation")
        if row.owner_id != caller.id:
            raise forbidden("Only the conversation's owner may keep it past their shift.")
        if row.state != "assigned":
            raise ApiError(409, "not_assigned", "The conversation is not open with you.")
        await shifts.set_kept(tx, row, caller.id, body.keep)
    return KeepOut(conversation_id=conversation_id, kept=body.keep)
