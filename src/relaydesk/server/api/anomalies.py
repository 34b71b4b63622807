"""``GET /v1/reports/anomalies``: the volume anomalies the server warned about, newest first."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from relaydesk.server.anomalies import KIND
from relaydesk.server.deps import Caller, Session
from relaydesk.server.errors import ApiError, forbidden
from relaydesk.server.models import AgentRow, PushRow

router = APIRouter(prefix="/v1", tags=["reports"])


@router.get("/reports/anomalies")
async def anomalies(
    caller: Caller,
    session: Session,
    start: float | None = Query(default=None, alias="from"),
    end: float | None = Query(default=None, alias="to"),
) -> dict[str, Any]:
    """Warnings in [from, to) (Unix seconds; default the last 7 days): a supervisor sees their
    team's, an admin every team's. Each names the hour, its count against the usual and what
    stood out; a warning repeated because the hour kept growing is listed again."""
    if caller.role not in ("supervisor", "admin"):
        raise forbidden("Only a supervisor or an admin may read the volume anomalies.")
    end = time.time() if end is None else end
    start = end - 7 * 86400 if start is None else start
    if start >= end:
        raise ApiError(422, "invalid", "from: must be before to", "from")
    # Every warning goes to all admins, so their pushes are the complete record; the team of
    # each is in its payload (the warnings table has no team column).
    admins = select(AgentRow.id).where(AgentRow.role == "admin")
    rows = await session.scalars(
        select(PushRow.payload).where(
            PushRow.kind == "warning",
            PushRow.recipient_id.in_(admins) | (PushRow.recipient_id == caller.id),
        )
    )
    seen: set[int] = set()
    listed = []
    for payload in rows:
        if payload.get("kind") != KIND or payload.get("warning_id") in seen:
            continue
        if caller.role != "admin" and payload.get("team") != caller.team:
            continue
        if not start <= float(payload.get("at", 0.0)) < end:
            continue
        seen.add(int(payload["warning_id"]))
        listed.append({k: v for k, v in payload.items() if k not in _PER_CONVERSATION})
    listed.sort(key=lambda p: (-float(p["at"]), -int(p["warning_id"])))
    return {"from": start, "to": end, "anomalies": listed}


_PER_CONVERSATION = {"conversation_id", "agent_id", "other_agent_id"}
