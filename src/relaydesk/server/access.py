"""Who may see and change what: agent → own and shared-account conversations they belong to;
supervisor → their team; admin → everything. Every conversation query goes through here."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.server.models import AccountMemberRow, AccountRow, AgentRow, ConversationRow


def visible_conversations(caller: AgentRow) -> ColumnElement[bool]:
    """A WHERE clause selecting the conversations ``caller`` may read."""
    if caller.role == "admin":
        return true()
    if caller.role == "supervisor":
        team_accounts = select(AccountRow.id).where(AccountRow.team == caller.team)
        team_agents = select(AgentRow.id).where(AgentRow.team == caller.team)
        return or_(
            ConversationRow.account_id.in_(team_accounts),
            ConversationRow.owner_id.in_(team_agents),
        )
    shared_member_accounts = (
        select(AccountRow.id)
        .join(AccountMemberRow, AccountMemberRow.account_id == AccountRow.id)
        .where(AccountMemberRow.agent_id == caller.id, AccountRow.shared.is_(True))
    )
    return or_(
        ConversationRow.owner_id == caller.id,
        ConversationRow.account_id.in_(shared_member_accounts),
    )


async def may_report_for(session: AsyncSession, caller: AgentRow, account: AccountRow) -> bool:
    """Workstations report events for accounts their agent belongs to (or their team's)."""
    if caller.role == "admin":
        return True
    if caller.team is not None and account.team == caller.team:
        return True
    member = await session.get(AccountMemberRow, (account.id, caller.id))
    return member is not None


async def reportable_account(
    session: AsyncSession, caller: AgentRow, account_id: str
) -> Row[Any, Any, Any] | None:
    """:func:`may_report_for` in one plain statement: the account (id, platform, team) when
    the caller may report for it, else None."""
    accounts = cast(Table, AccountRow.__table__)
    members = cast(Table, AccountMemberRow.__table__)
    member = (
        select(members.c.agent_id)
        .where(members.c.account_id == accounts.c.id, members.c.agent_id == caller.id)
        .exists()
    )
    query = select(accounts.c.id, accounts.c.platform, accounts.c.team).where(
        accounts.c.id == account_id
    )
    if caller.role != "admin":
        own_team = accounts.c.team == caller.team if caller.team is not None else false()
        query = query.where(or_(own_team, member))
    return (await session.execute(query)).first()


async def may_assign_to(session: AsyncSession, caller: AgentRow, target: AgentRow) -> bool:
    """A transfer target must be someone the caller works with."""
    if caller.role == "admin":
        return True
    return target.active and target.team == caller.team


def same_team_agents(caller: AgentRow) -> ColumnElement[bool]:
    """The agents ``caller`` works with: everyone for an admin, else their team (only
    themselves when they have none: agents without a team are not each other's colleagues)."""
    if caller.role == "admin":
        return true()
    if caller.team is None:
        return AgentRow.id == caller.id
    return and_(AgentRow.team == caller.team)
