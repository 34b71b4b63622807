"""Admin: agents (people with logins) and accounts (platform logins) with their members."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.server.access import same_team_agents
from relaydesk.server.caches import announce_change
from relaydesk.server.deps import Admin, Caller, Session, State
from relaydesk.server.errors import ApiError, not_found
from relaydesk.server.models import AccountMemberRow, AccountRow, AgentRow, ShiftScheduleRow
from relaydesk.server.schemas import (
    AccountIn,
    AccountOut,
    AccountPatch,
    AgentIn,
    AgentOut,
    AgentPatch,
)
from relaydesk.server.security import hash_password

router = APIRouter(prefix="/v1", tags=["admin"])


def agent_out(row: AgentRow, scheduled: bool) -> AgentOut:
    return AgentOut(
        id=row.id,
        login=row.login,
        name=row.name,
        role=row.role,  # type: ignore[arg-type]
        capacity=row.capacity,
        skills=row.skills,
        languages=row.languages,
        team=row.team,
        active=row.active,
        status=row.status,
        on_shift=row.on_shift,
        scheduled=scheduled,
    )


async def _scheduled(session: AsyncSession, agent_ids: list[str]) -> set[str]:
    """Which of ``agent_ids`` have a weekly shift schedule."""
    if not agent_ids:
        return set()
    rows = await session.scalars(
        select(ShiftScheduleRow.agent_id).where(ShiftScheduleRow.agent_id.in_(agent_ids))
    )
    return set(rows)


async def create_agent_row(session: AsyncSession, body: AgentIn) -> AgentRow:
    """Shared by the API and ``relaydesk-server create-admin/create-agent``."""
    if await session.scalar(select(AgentRow.id).where(AgentRow.login == body.login)):
        raise ApiError(409, "conflict", f"The login {body.login!r} is taken.", "login")
    row = AgentRow(
        login=body.login,
        name=body.name,
        password_hash=hash_password(body.password),
        role=body.role,
        capacity=body.capacity,
        skills=sorted(set(body.skills)),
        languages=sorted(set(body.languages)),
        team=body.team,
        active=True,
        status="offline",
        open_accounts=[],
        recent_assignments=[],
        reply_samples=0,
    )
    session.add(row)
    await session.flush()
    return row


@router.post("/agents", status_code=201)
async def create_agent(body: AgentIn, _admin: Admin, session: Session) -> AgentOut:
    row = await create_agent_row(session, body)
    await session.commit()
    return agent_out(row, scheduled=False)


@router.get("/agents")
async def list_agents(caller: Caller, session: Session) -> list[AgentOut]:
    """Admins see everyone; supervisors and agents their own team (the board, transfers)."""
    query = select(AgentRow).where(same_team_agents(caller)).order_by(AgentRow.login)
    rows = list(await session.scalars(query))
    scheduled = await _scheduled(session, [r.id for r in rows])
    return [agent_out(r, r.id in scheduled) for r in rows]


@router.patch("/agents/{agent_id}")
async def patch_agent(
    agent_id: str, body: AgentPatch, _admin: Admin, state: State, session: Session
) -> AgentOut:
    row = await session.get(AgentRow, agent_id)
    if row is None:
        raise not_found("agent")
    changes = body.model_dump(exclude_unset=True)
    if "password" in changes:
        row.password_hash = hash_password(changes.pop("password"))
    for name, value in changes.items():
        setattr(row, name, sorted(set(value)) if name in ("skills", "languages") else value)
    await announce_change(session, agent=agent_id)
    await session.commit()
    # After the commit, so that a read racing it cannot put the old row back: a locked-out
    # person is refused, and a new role or team applies, from the next request on.
    state.caches.forget_agent(agent_id)
    state.heartbeats.forget(agent_id)
    return agent_out(row, bool(await _scheduled(session, [agent_id])))


async def _members(session: AsyncSession, account_id: str) -> list[str]:
    rows = await session.scalars(
        select(AccountMemberRow.agent_id).where(AccountMemberRow.account_id == account_id)
    )
    return sorted(rows)


async def _set_members(session: AsyncSession, account_id: str, members: list[str]) -> None:
    wanted = sorted(set(members))
    if wanted:
        found = set(await session.scalars(select(AgentRow.id).where(AgentRow.id.in_(wanted))))
        missing = [m for m in wanted if m not in found]
        if missing:
            raise ApiError(422, "invalid", f"No such agent: {missing[0]}.", "members")
    await session.execute(delete(AccountMemberRow).where(AccountMemberRow.account_id == account_id))
    session.add_all(AccountMemberRow(account_id=account_id, agent_id=m) for m in wanted)


async def account_out(session: AsyncSession, row: AccountRow) -> AccountOut:
    return AccountOut(
        id=row.id,
        platform=row.platform,
        handle=row.handle,
        name=row.name,
        shared=row.shared,
        team=row.team,
        members=await _members(session, row.id),
    )


@router.post("/accounts", status_code=201)
async def create_account(body: AccountIn, _admin: Admin, session: Session) -> AccountOut:
    row = AccountRow(
        platform=body.platform,
        handle=body.handle,
        name=body.name,
        shared=body.shared,
        team=body.team,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise ApiError(
            409, "conflict", f"{body.platform} account {body.handle!r} exists already.", "handle"
        ) from None
    await _set_members(session, row.id, body.members)
    await session.commit()
    return await account_out(session, row)


@router.get("/accounts")
async def list_accounts(_admin: Admin, session: Session) -> list[AccountOut]:
    rows = list(
        await session.scalars(select(AccountRow).order_by(AccountRow.platform, AccountRow.handle))
    )
    return [await account_out(session, r) for r in rows]


@router.patch("/accounts/{account_id}")
async def patch_account(
    account_id: str, body: AccountPatch, _admin: Admin, session: Session
) -> AccountOut:
    row = await session.get(AccountRow, account_id)
    if row is None:
        raise not_found("account")
    changes = body.model_dump(exclude_unset=True)
    members = changes.pop("members", None)
    for name, value in changes.items():
        setattr(row, name, value)
    if members is not None:
        await _set_members(session, row.id, members)
    await session.commit()
    return await account_out(session, row)
