"""Split links: admins manage them; ``GET /r/{slug}`` sends each visitor to one account's chat.

Every visit is recorded as a click (with the account chosen, or none when nobody could answer).
A cookie names the visitor so a return goes to the same account.
"""

from __future__ import annotations

import html
import random
import secrets
import time
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.domain.load import agent_load
from relaydesk.domain.rules import RoutingRules
from relaydesk.server.convert import agent_from_row, conversation_from_row
from relaydesk.server.deps import Caller, Session, State
from relaydesk.server.errors import ApiError, forbidden, not_found
from relaydesk.server.models import (
    AccountMemberRow,
    AccountRow,
    AgentRow,
    ConversationRow,
    LinkRow,
)
from relaydesk.server.redirects import Click
from relaydesk.server.schemas import LinkIn, LinkOut, LinkPatch
from relaydesk.server.splitting import choose_target, deep_link, prefilled_message
from relaydesk.server.state import ServerState

router = APIRouter(tags=["links"])
VISITOR_COOKIE = "relaydesk_visitor"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: people retype codes
_rng = random.Random()


def link_out(row: LinkRow) -> LinkOut:
    return LinkOut.model_validate(row, from_attributes=True)


def _manager(caller: AgentRow) -> AgentRow:
    """Admins manage every link; a supervisor their own team's (never another team's)."""
    if caller.role == "admin" or (caller.role == "supervisor" and caller.team is not None):
        return caller
    raise forbidden("Only an admin or a team's supervisor may manage split links.")


def _own_team(caller: AgentRow, team: str | None) -> str | None:
    """The team a supervisor's link belongs to: theirs (another one is refused)."""
    if caller.role == "admin":
        return team
    if team not in (None, caller.team):
        raise ApiError(422, "invalid", "A supervisor manages their own team's links.", "team")
    return caller.team


async def _check_accounts(
    session: AsyncSession, targets: list[dict[str, Any]], caller: AgentRow | None = None
) -> None:
    for index, target in enumerate(targets):
        account = await session.get(AccountRow, target["account_id"])
        # Another team's account looks exactly like a missing one to a supervisor.
        if account is None or (
            caller is not None and caller.role != "admin" and account.team != caller.team
        ):
            raise ApiError(
                422,
                "invalid",
                f"No such account: {target['account_id']}.",
                f"targets[{index}].account_id",
            )


@router.post("/v1/links", status_code=201)
async def create_link(body: LinkIn, caller: Caller, state: State, session: Session) -> LinkOut:
    _manager(caller)
    doc = body.model_dump()
    doc["team"] = _own_team(caller, doc.get("team"))
    await _check_accounts(session, doc["targets"], caller)
    if await session.scalar(select(LinkRow.id).where(LinkRow.slug == body.slug)):
        raise ApiError(409, "conflict", f"The slug {body.slug!r} is taken.", "slug")
    for _ in range(20):
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))
        if not await session.scalar(select(LinkRow.id).where(LinkRow.code == code)):
            break
    row = LinkRow(code=code, **doc)
    session.add(row)
    try:
        await session.commit()
    except IntegrityError:
        raise ApiError(409, "conflict", f"The slug {body.slug!r} is taken.", "slug") from None
    state.redirects.links_changed()  # a 404 remembered for this slug ends now
    return link_out(row)


@router.get("/v1/links")
async def list_links(caller: Caller, session: Session) -> list[LinkOut]:
    query = select(LinkRow).order_by(LinkRow.slug)
    if _manager(caller).role != "admin":
        query = query.where(LinkRow.team == caller.team)
    return [link_out(r) for r in await session.scalars(query)]


@router.patch("/v1/links/{link_id}")
async def patch_link(
    link_id: str, body: LinkPatch, caller: Caller, state: State, session: Session
) -> LinkOut:
    _manager(caller)
    row = await session.get(LinkRow, link_id)
    if row is None or (caller.role != "admin" and row.team != caller.team):
        raise not_found("link")
    changes = body.model_dump(exclude_unset=True)
    if "team" in changes:
        changes["team"] = _own_team(caller, changes["team"])
    if changes.get("source", "") is None:  # null keeps what the link is
        del changes["source"]
    if changes.get("targets") is not None:
        await _check_accounts(session, changes["targets"], caller)
    for name, value in changes.items():
        setattr(row, name, value)
    await session.commit()
    state.redirects.links_changed()
    return link_out(row)


async def answering_accounts(
    session: AsyncSession, account_ids: list[str], rules: RoutingRules, now: float
) -> frozenset[str]:
    """Accounts among ``account_ids`` with an agent online who serves them and has room."""
    agents = list(
        await session.scalars(
            select(AgentRow).where(
                AgentRow.active.is_(True), AgentRow.status == "online", AgentRow.on_shift.is_(True)
            )
        )
    )
    if not agents:
        return frozenset()
    members: dict[str, set[str]] = defaultdict(set)
    rows = await session.execute(
        select(AccountMemberRow.agent_id, AccountMemberRow.account_id).where(
            AccountMemberRow.account_id.in_(account_ids)
        )
    )
    for agent_id, account_id in rows:
        members[agent_id].add(account_id)
    serving = {
        a.id: {x for x in account_ids if x in members[a.id] or x in (a.open_accounts or ())}
        for a in agents
    }
    agents = [a for a in agents if serving[a.id]]
    owned: dict[str, list[ConversationRow]] = defaultdict(list)
    if agents:
        for conv in await session.scalars(
            select(ConversationRow).where(
                ConversationRow.owner_id.in_([a.id for a in agents]),
                ConversationRow.state == "assigned",
            )
        ):
            owned[conv.owner_id or ""].append(conv)
    answering: set[str] = set()
    for row in agents:
        agent = agent_from_row(row, frozenset(members[row.id]), rules)
        load = agent_load(agent, [conversation_from_row(c) for c in owned[row.id]], now, rules.load)
        if load.has_room:
            answering |= serving[row.id]
    return frozenset(answering)


def _page(title: str, text: str, status: int) -> HTMLResponse:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head>"
        "<body style='font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


async def visit(request: Request) -> Response:
    """Send the visitor to one account's chat, or say plainly that nobody can answer now.

    Served from the link's snapshot in memory; the click is counted at once and written with
    the next batch (``relaydesk.server.redirects``). A plain route, without FastAPI's
    dependency and validation layer: it is the server's busiest path and takes no input but
    the slug and a cookie.
    """
    slug = str(request.path_params["slug"])
    state: ServerState = request.app.state.relaydesk
    now = time.time()
    redirects = state.redirects
    link = await redirects.snapshot(state, slug, now)
    if link is None or (link.expires_at is not None and link.expires_at <= now):
        return _page("Link not found", "This link does not exist or has expired.", 404)
    cookie = request.cookies.get(VISITOR_COOKIE)
    visitor = (cookie or secrets.token_urlsafe(16))[:64]
    previous = await redirects.previous_account(state, link.link_id, visitor) if cookie else None
    # No await from here to record(): the quota count and the choice stay together.
    choice = choose_target(
        link.targets,
        answering=link.answering,
        clicks_today=link.clicks_today,
        open_now=link.hours.is_open(now) if link.hours else True,
        previous_account=previous,
        rng=_rng,
    )
    redirects.record(link, Click(link.link_id, choice.account_id, visitor, choice.returning, now))
    if choice.account_id is None or choice.account_id not in link.accounts:
        text = (
            "Our team is outside working hours right now. Please come back later."
            if choice.why == "closed"
            else "Everyone on our team is busy or away right now. Please try again in a few "
            "minutes."
        )
        response: Response = _page("Nobody is available right now", text, 503)
        response.headers["Retry-After"] = "300"
    else:
        platform, handle = link.accounts[choice.account_id]
        location = deep_link(platform, handle, prefilled_message(link.message, link.code))
        response = RedirectResponse(location, status_code=302)
        response.headers["Cache-Control"] = "no-store"
    response.set_cookie(
        VISITOR_COOKIE, visitor, max_age=365 * 86400, path="/r/", httponly=True, samesite="lax"
    )
    return response


router.add_route("/r/{slug}", visit, methods=["GET"], include_in_schema=False)
