"""``GET /v1/reports/anomalies``: the volume anomalies the server warned about, newest first."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from relaydesk.server.anomalies import KIND, warning_payload
from relaydesk.server.deps import Caller, Session
from relaydesk.server.errors import ApiError, forbidden
from relaydesk.server.models import WarningRow

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
    if caller.role != "admin" and caller.team is None:
        # A supervisor without a team is told of no team's anomalies (nor of the team-less
        # accounts', which go to the admins).
        return {"from": start, "to": end, "anomalies": []}
    query = select(WarningRow).where(
        WarningRow.kind == KIND, WarningRow.at >= start, WarningRow.at < end
    )
    if caller.role != "admin":
        query = query.where(WarningRow.team == caller.team)  # ix_warnings_team_at
    rows = await session.scalars(query.order_by(WarningRow.at.desc(), WarningRow.id.desc()))
    return {"from": start, "to": end, "anomalies": [_listed(row) for row in rows]}


def _listed(row: WarningRow) -> dict[str, Any]:
    payload = warning_payload(row)
    for per_conversation in ("conversation_id", "agent_id", "other_agent_id"):
        del payload[per_conversation]
    return payload
