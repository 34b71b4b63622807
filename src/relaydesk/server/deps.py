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


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.relaydesk
    return state


State = Annotated[ServerState, Depends(get_state)]


async def get_session(state: State) -> AsyncIterator[AsyncSession]:
    async with state.sessions() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]


async def agent_for_token(session: AsyncSession, token: str | None) -> AgentRow | None:
    if not token:
        return None
    row = await session.get(TokenRow, token_hash(token))
    if row is None or row.revoked_at is not None:
        return None
    agent = await session.get(AgentRow, row.agent_id)
    return agent if agent is not None and agent.active else None


async def get_caller(
    session: Session,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AgentRow:
    agent = await agent_for_token(session, credentials.credentials if credentials else None)
    # Give the connection back now: a request may wait a while for the routing lock, and
    # holding a pooled connection meanwhile starves the pool under load (objects stay loaded).
    await session.commit()
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
