"""The routing rules: one JSON document, validated by the routing core, pushed when it changes."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Body
from sqlalchemy import select

from relaydesk.domain.rules import RoutingRules, RulesError, rules_json_schema
from relaydesk.server.caches import announce_change
from relaydesk.server.deps import Admin, Caller, Session, State
from relaydesk.server.errors import ApiError, forbidden
from relaydesk.server.models import AgentRow, RulesRow

router = APIRouter(prefix="/v1/rules", tags=["rules"])


@router.get("")
async def get_rules(caller: Caller, state: State, session: Session) -> dict[str, Any]:
    """Admins and supervisors read the rules (a supervisor's board shows them); one document
    routes every team, so only an admin changes it."""
    if caller.role not in ("admin", "supervisor"):
        raise forbidden("Only an admin or a supervisor may read the routing rules.")
    return (await state.rules(session)).to_document()


@router.get("/schema")
async def get_schema() -> dict[str, Any]:
    """The published JSON Schema of the rules document."""
    return rules_json_schema()


@router.put("")
async def put_rules(
    _admin: Admin,
    state: State,
    document: dict[str, Any] = Body(...),  # noqa: B008
) -> dict[str, Any]:
    try:
        rules = RoutingRules.from_document(document)
    except RulesError as exc:
        raise ApiError(422, "invalid_rules", f"{exc.field}: {exc.message}", exc.field) from None
    stored = rules.to_document()
    async with state.transaction() as tx:
        row = await tx.session.get(RulesRow, 1)
        if row is None:
            tx.session.add(RulesRow(id=1, document=stored, updated_at=time.time()))
        else:
            row.document, row.updated_at = stored, time.time()
        recipients = await tx.session.scalars(select(AgentRow.id).where(AgentRow.active.is_(True)))
        for recipient in recipients:
            await tx.outbox.add(recipient, "rules_changed", {"policy": rules.policy})
        await announce_change(tx.session, rules=True)
    state.caches.forget_rules()  # after the commit: the next transaction reads the new rules
    return stored
