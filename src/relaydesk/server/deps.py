"""Request dependencies as ``Annotated`` aliases: state, session, caller and role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.server.errors import ApiError, forbidden
from relaydesk.server.models import AgentRow, TokenRow
from relaydesk.server.security import token_hash
from relaydesk.server.state import ServerState

_bearer = HTTPBearer(auto_error=False)


async def get_state(request: Request) -> ServerState:
    # async: FastAPI runs a plain function dependency in a worker thread (a thread hand-off
    # per request, for an attribute read).
    state: ServerState = request.app.state.relaydesk
    return state


State = Annotated[ServerState, Depends(get_state)]


async def get_session(state: State) -> AsyncIterator[AsyncSession]:
    async with state.sessions() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]


async def agent_for_token(state: ServerState, token: str | None) -> AgentRow | None:
    """The active agent a live token belongs to (from the process's cache when it is there).

    The agent is a copy that belongs to no session: identity and permissions (role, team,
    name), not routing state such as status, which the routing code reads from its own rows.
    """
    if not token:
        return None
    hashed = token_hash(token)
    cached = state.caches.caller(hashed)
    if cached is not None:
        return cached
    generation = state.caches.generation()
    async with state.sessions() as session:
        row = await session.get(TokenRow, hashed)
        if row is None or row.revoked_at is not None:
            return None
        agent = await session.get(AgentRow, row.agent_id)
        if agent is None or not agent.active:
            return None
    state.caches.remember_caller(hashed, agent, generation)
    return state.caches.caller(hashed) or agent


async def get_caller(
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AgentRow:
    agent = await agent_for_token(state, credentials.credentials if credentials else None)
    if agent is None:
        raise ApiError(
            401,
            "unauthorized",
            "A valid bearer token is required.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return agent


Caller = Annotated[AgentRow, Depends(get_caller)]


async def get_admin(caller: Caller) -> AgentRow:
    if caller.role != "admin":
        raise forbidden("Only an admin may do this.")
    return caller


Admin = Annotated[AgentRow, Depends(get_admin)]
