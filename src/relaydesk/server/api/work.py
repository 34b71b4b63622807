"""What workstations send: heartbeats and events (messages, intakes, closes)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter

from relaydesk.server.access import may_report_for
from relaydesk.server.deps import Caller, State
from relaydesk.server.errors import ApiError
from relaydesk.server.heartbeats import Beat, apply_beat
from relaydesk.server.ingest import ingest, reportable_account
from relaydesk.server.models import AccountRow, AgentRow
from relaydesk.server.schemas import EventsIn, EventsOut, HeartbeatIn, HeartbeatOut
from relaydesk.server.state import ServerState, Tx

router = APIRouter(prefix="/v1", tags=["workstation"])


@router.post("/heartbeat")
async def heartbeat(body: HeartbeatIn, caller: Caller, state: State) -> HeartbeatOut:
    """The agent is here: their status and open accounts; silence past the grace → offline.

    A beat that changes nothing but freshness is answered without waiting for the write lock
    (see ``relaydesk.server.heartbeats``); a change of status or open accounts routes at once.
    """
    async with state.sessions() as session:
        for index, account_id in enumerate(body.open_accounts):
            account = await session.get(AccountRow, account_id)
            if account is None or not await may_report_for(session, caller, account):
                raise ApiError(
                    422,
                    "invalid",
                    f"No such account of yours: {account_id}.",
                    f"open_accounts[{index}]",
                )
        grace = (await state.rules(session)).offline_grace_s
    beat = Beat(body.status, tuple(sorted(set(body.open_accounts))), time.time())
    if state.heartbeats.changes_nothing(caller.id, beat):
        state.heartbeats.note(caller.id, beat)
        return HeartbeatOut(status=body.status, offline_after_s=grace)

    async def beat_now(tx: Tx) -> None:
        agent = await tx.session.get(AgentRow, caller.id, with_for_update=True)
        assert agent is not None
        await apply_beat(tx, agent, beat)

    await state.retrying(beat_now)
    state.heartbeats.wrote(caller.id, beat)
    state.redirects.agents_changed()
    return HeartbeatOut(status=body.status, offline_after_s=grace)


@router.post("/events")
async def events(body: EventsIn, caller: Caller, state: State) -> EventsOut:
    """Apply a batch of events; each client id (and each message) counts once.

    A well-formed request with a valid token is answered by ``relaydesk.server.fast_events``
    before FastAPI's routing; this route answers the rest (and documents the endpoint), with the
    same :func:`apply_events`.
    """
    return await apply_events(state, caller, body)


async def apply_events(state: ServerState, caller: AgentRow, body: EventsIn) -> EventsOut:
    """The events in the shared transaction of their group.

    The accounts are checked inside the shared transaction (no connection of their own): an
    unknown or foreign account fails the request, and the group reruns without it.
    """

    async def apply_all(tx: Tx) -> EventsOut:
        accounts: dict[str, Any] = {}
        for index, event in enumerate(body.events):
            account = accounts.get(event.account_id) or await reportable_account(
                tx, caller, event.account_id
            )
            if account is None:
                raise ApiError(
                    422,
                    "invalid",
                    f"No such account of yours: {event.account_id}.",
                    f"events[{index}].account_id",
                )
            accounts[event.account_id] = account
        accepted = 0
        for event in body.events:
            accepted += await ingest(tx, caller, event, accounts[event.account_id])
        return EventsOut(accepted=accepted, duplicates=len(body.events) - accepted)

    return await state.grouped(apply_all)
