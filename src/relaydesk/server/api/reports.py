"""Reports: intake (new and returning), service per agent, split links side by side, and
tomorrow's forecast."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timedelta
from statistics import median
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, and_, case, func, null, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.server.deps import Caller, Session, State
from relaydesk.server.errors import ApiError
from relaydesk.server.models import (
    AccountRow,
    AgentRow,
    ClickRow,
    ConversationRow,
    IntakeRow,
    LinkRow,
    MessageRow,
    OwnershipRow,
    WarningRow,
)
from relaydesk.server.reports import (
    AgentService,
    Intake,
    LinkFigures,
    forecast,
    intake_report,
    link_report,
)

router = APIRouter(prefix="/v1", tags=["reports"])


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(422, "invalid", f"tz: unknown time zone {name!r}", "tz") from None


def _period(start: float | None, end: float | None) -> tuple[float, float]:
    end = time.time() if end is None else end
    start = end - 7 * 86400 if start is None else start
    if start >= end:
        raise ApiError(422, "invalid", "from: must be before to", "from")
    return start, end


def _accounts_scope(caller: AgentRow) -> ColumnElement[bool]:
    if caller.role == "admin":
        return true()
    return AccountRow.team == caller.team


async def _intake_history(
    session: AsyncSession,
    caller: AgentRow,
    end: float,
    with_source: bool = False,
    contacts: Any = None,
) -> list[Intake]:
    """Every intake the caller may see up to ``end`` (of ``contacts`` only, a subquery of
    contact ids, when given); ``with_source`` also reads where each came from: the source of
    the conversation its first message opened (the message has the intake's time), else link
    or organic by the intake's own link. Plain columns, no ORM objects: a month of a busy
    team is tens of thousands of rows."""
    source: Any = null()
    if with_source:
        source = (
            select(ConversationRow.source)
            .join(MessageRow, MessageRow.conversation_id == ConversationRow.id)
            .where(
                ConversationRow.contact_id == IntakeRow.contact_id,
                ConversationRow.account_id == IntakeRow.account_id,
                MessageRow.kind == "customer_message",
                MessageRow.at == IntakeRow.at,
            )
            .limit(1)
            .scalar_subquery()
        )
    query = (
        select(
            IntakeRow.contact_id,
            AccountRow.team,
            IntakeRow.account_id,
            IntakeRow.agent_id,
            IntakeRow.link_id,
            IntakeRow.at,
            source,
        )
        .join(AccountRow, AccountRow.id == IntakeRow.account_id)
        .where(IntakeRow.at < end, _accounts_scope(caller))
    )
    if contacts is not None:
        query = query.where(IntakeRow.contact_id.in_(contacts))
    return [
        Intake(
            contact, team, account, agent, link, at, came_from or ("link" if link else "organic")
        )
        for contact, team, account, agent, link, at, came_from in await session.execute(query)
    ]


@router.get("/reports/intake")
async def intake(
    caller: Caller,
    session: Session,
    start: float | None = Query(default=None, alias="from"),
    end: float | None = Query(default=None, alias="to"),
    group_by: Literal["agent", "account", "link", "source", "hour", "day"] = "day",
    tz: str = "UTC",
) -> dict[str, Any]:
    """New and returning contacts in [from, to) (Unix seconds), grouped; an agent sees theirs."""
    zone = _zone(tz)
    start, end = _period(start, end)
    history = await _intake_history(session, caller, end, with_source=group_by == "source")
    only = caller.id if caller.role == "agent" else None
    rows = intake_report(history, start, end, group_by, zone, only_agent=only)
    names = await _names(session, group_by, [str(r["key"]) for r in rows])
    for row in rows:
        row["name"] = names.get(str(row["key"]), str(row["key"]))
    return {"from": start, "to": end, "group_by": group_by, "rows": rows}


async def _names(session: AsyncSession, group_by: str, keys: list[str]) -> dict[str, str]:
    """What a person calls each key: an agent's name, an account's name (else its platform and
    handle), a link's slug; days, hours and sources are their own names."""
    if group_by == "agent":
        name: Any = func.coalesce(func.nullif(AgentRow.name, ""), AgentRow.login)
        query: Any = select(AgentRow.id, name)
        table: Any = AgentRow
    elif group_by == "account":
        handle = AccountRow.platform + " " + AccountRow.handle
        query = select(AccountRow.id, func.coalesce(func.nullif(AccountRow.name, ""), handle))
        table = AccountRow
    elif group_by == "link":
        query, table = select(LinkRow.id, LinkRow.slug), LinkRow
    else:
        return {}
    return {str(k): str(v) for k, v in await session.execute(query.where(table.id.in_(keys)))}


@router.get("/reports/links")
async def links(
    caller: Caller,
    session: Session,
    start: float | None = Query(default=None, alias="from"),
    end: float | None = Query(default=None, alias="to"),
) -> dict[str, Any]:
    """Per split link in [from, to): clicks, unique visitors, intakes (new + returning) and
    conversions (first reply given, closed) with their rates. An admin sees every link, others
    their team's; an agent's intakes and conversions are their own."""
    start, end = _period(start, end)
    query = select(LinkRow.id, LinkRow.slug, LinkRow.code, LinkRow.source)
    if caller.role != "admin":
        query = query.where(LinkRow.team == caller.team)
    named = {row.id: (row.slug, row.code, row.source) for row in await session.execute(query)}
    if not named:
        return {"from": start, "to": end, "links": []}
    clicks = {
        link_id: (total, unanswered or 0, visitors)
        for link_id, total, unanswered, visitors in await session.execute(
            select(
                ClickRow.link_id,
                func.count(),
                func.sum(case((ClickRow.account_id.is_(None), 1), else_=0)),
                func.count(func.distinct(ClickRow.visitor)),
            )
            .where(ClickRow.link_id.in_(named), ClickRow.at >= start, ClickRow.at < end)
            .group_by(ClickRow.link_id)
        )
    }
    conversations = (
        select(ConversationRow.link_id, ConversationRow.first_reply_at, ConversationRow.opened_at,
               ConversationRow.state)
        .join(AccountRow, AccountRow.id == ConversationRow.account_id)
        .where(
            ConversationRow.link_id.in_(named),
            and_(ConversationRow.opened_at >= start, ConversationRow.opened_at < end),
            _accounts_scope(caller),
        )
    )  # fmt: skip
    if caller.role == "agent":
        conversations = conversations.where(ConversationRow.owner_id == caller.id)
    opened: dict[str, list[tuple[float | None, float, str]]] = defaultdict(list)
    for link_id, first_reply_at, opened_at, conv_state in await session.execute(conversations):
        opened[str(link_id)].append((first_reply_at, opened_at, conv_state))
    figures = []
    for link_id, (slug, code, source) in named.items():
        total, unanswered, visitors = clicks.get(link_id, (0, 0, 0))
        convs = opened.get(link_id, [])
        replies = [max(0.0, r - o) for r, o, _ in convs if r is not None]
        figures.append(
            LinkFigures(
                link_id, slug, code, int(total), int(unanswered), int(visitors), len(convs),
                len(replies), sum(1 for *_, s in convs if s == "closed"),
                median(replies) if replies else None, source,
            )
        )  # fmt: skip
    # Only the contacts a link brought in the period (with all their history: new or returning).
    brought = select(IntakeRow.contact_id).where(
        IntakeRow.link_id.in_(named), IntakeRow.at >= start, IntakeRow.at < end
    )
    history = await _intake_history(session, caller, end, contacts=brought)
    only = caller.id if caller.role == "agent" else None
    intakes = {
        str(r["key"]): r for r in intake_report(history, start, end, "link", ZoneInfo("UTC"), only)
    }
    return {"from": start, "to": end, "links": link_report(figures, intakes)}


@router.get("/reports/service")
async def service(
    caller: Caller,
    session: Session,
    start: float | None = Query(default=None, alias="from"),
    end: float | None = Query(default=None, alias="to"),
) -> dict[str, Any]:
    """Per agent: conversations taken, first-reply times, waits, handoffs, collisions."""
    start, end = _period(start, end)
    agents_query = select(AgentRow.id, AgentRow.login).where(AgentRow.role != "admin")
    if caller.role == "supervisor":
        agents_query = agents_query.where(AgentRow.team == caller.team)
    elif caller.role == "agent":
        agents_query = agents_query.where(AgentRow.id == caller.id)
    logins = {agent_id: login for agent_id, login in await session.execute(agents_query)}
    figures: dict[str, AgentService] = defaultdict(lambda: AgentService(0, [], [], 0, 0, 0))
    stretches = await session.execute(
        select(OwnershipRow, ConversationRow)
        .join(ConversationRow, ConversationRow.id == OwnershipRow.conversation_id)
        .where(OwnershipRow.start >= start, OwnershipRow.start < end)
        .order_by(OwnershipRow.conversation_id, OwnershipRow.start, OwnershipRow.id)
    )
    previous: dict[str, str] = {}
    for stretch, conv in stretches:
        mine = figures[stretch.agent_id]
        mine.conversations += 1
        if stretch.reason not in ("policy", "sticky", "queue"):
            mine.handoffs_in += 1
            giver = previous.get(conv.id)
            if giver is not None:
                figures[giver].handoffs_out += 1
        else:
            assert mine.waits_s is not None
            mine.waits_s.append(max(0.0, stretch.start - conv.opened_at))
        first_reply = conv.first_reply_at
        if (
            first_reply is not None
            and stretch.start <= first_reply
            and (stretch.end is None or first_reply <= stretch.end)
        ):
            assert mine.first_replies_s is not None
            mine.first_replies_s.append(max(0.0, first_reply - conv.opened_at))
        previous[conv.id] = stretch.agent_id
    warnings = await session.execute(
        select(WarningRow.agent_id, WarningRow.other_agent_id).where(
            WarningRow.kind == "collision", WarningRow.at >= start, WarningRow.at < end
        )
    )
    for owner, intruder in warnings:
        for agent_id in {owner, intruder} - {None}:
            figures[str(agent_id)].collisions += 1
    rows = [
        {"agent_id": agent_id, "login": login, **figures[agent_id].figures()}
        for agent_id, login in sorted(logins.items(), key=lambda item: item[1])
    ]
    return {"from": start, "to": end, "agents": rows}


@router.get("/forecast")
async def tomorrow(
    caller: Caller,
    session: Session,
    state: State,
    tz: str = "UTC",
    weeks: int = Query(default=4, ge=1, le=52),
    aht_s: float = Query(default=300.0, gt=0, le=86400),
    target_s: float = Query(default=60.0, ge=0, le=86400),
    service_level: float = Query(default=0.8, gt=0, lt=1),
) -> dict[str, Any]:
    """Tomorrow's arrivals per hour (the same weekday of the past weeks) and agents needed."""
    zone = _zone(tz)
    now = datetime.fromtimestamp(time.time(), zone)
    tomorrow_start = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    counts: dict[int, list[int]] = defaultdict(list)
    for week in range(1, weeks + 1):
        day = tomorrow_start - timedelta(days=7 * week)
        day_end = day + timedelta(days=1)
        opened = await session.scalars(
            select(ConversationRow.opened_at)
            .join(AccountRow, AccountRow.id == ConversationRow.account_id)
            .where(
                ConversationRow.opened_at >= day.timestamp(),
                ConversationRow.opened_at < day_end.timestamp(),
                _accounts_scope(caller),
            )
        )
        per_hour = [0] * 24
        for at in opened:
            per_hour[datetime.fromtimestamp(at, zone).hour] += 1
        for hour in range(24):
            counts[hour].append(per_hour[hour])
    rules = await state.rules(session)
    hours = forecast(
        counts,
        weeks,
        aht_s=aht_s,
        target_s=target_s,
        service_level=service_level,
        concurrency=rules.default_capacity,
    )
    return {"date": tomorrow_start.date().isoformat(), "tz": tz, "weeks": weeks, "hours": hours}
