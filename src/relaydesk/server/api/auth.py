"""Login and logout: random bearer tokens, stored hashed, revocable; guessers slowed down."""

from __future__ import annotations

import math
import time

from fastapi import APIRouter, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select

from relaydesk.server.caches import announce_change
from relaydesk.server.deps import Caller, Session, State, _bearer
from relaydesk.server.errors import ApiError
from relaydesk.server.models import AgentRow, TokenRow
from relaydesk.server.schemas import LoginIn, LoginOut
from relaydesk.server.security import new_token, token_hash, verify_password

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/login")
async def login(body: LoginIn, request: Request, state: State, session: Session) -> LoginOut:
    address = request.client.host if request.client else "unknown"
    wait = state.throttle.retry_after(body.login, address)
    if wait > 0:
        raise ApiError(
            429,
            "too_many_attempts",
            f"Too many failed logins; try again in {math.ceil(wait)} s.",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    agent = await session.scalar(select(AgentRow).where(AgentRow.login == body.login))
    if agent is None or not agent.active or not verify_password(body.password, agent.password_hash):
        state.throttle.failed(body.login, address)
        raise ApiError(401, "bad_credentials", "Wrong login or password.")
    state.throttle.succeeded(body.login)
    await session.commit()  # end the read snapshot: on SQLite a write must start fresh
    token = new_token()
    session.add(TokenRow(token_hash=token_hash(token), agent_id=agent.id, created_at=time.time()))
    await session.commit()
    return LoginOut(token=token, agent_id=agent.id, role=agent.role)  # type: ignore[arg-type]


@router.post("/logout", status_code=204)
async def logout(caller: Caller, request: Request, state: State, session: Session) -> None:
    credentials: HTTPAuthorizationCredentials | None = await _bearer(request)
    assert credentials is not None  # Caller already required it
    hashed = token_hash(credentials.credentials)
    row = await session.get(TokenRow, hashed)
    if row is not None and row.agent_id == caller.id:
        row.revoked_at = time.time()
        await announce_change(session, token=hashed)
        await session.commit()
    state.caches.forget_token(hashed)  # after the commit: a read racing it cannot re-cache it
