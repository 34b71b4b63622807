"""What workstations send: heartbeats and events (messages, intakes, closes)."""

from __future__ import annotations

from fastapi import APIRouter

from relaydesk.domain.models import AgentStatus
from relaydesk.server import assignment
from relaydesk.server.access import may_report_for
from relaydesk.server.deps import Caller, State
from relaydesk.server.errors import ApiError
from relaydesk.server.ingest import ingest
from relaydesk.server.models import AccountRow, AgentRow
from relaydesk.server.schemas import EventsIn, EventsOut, HeartbeatIn, HeartbeatOut
from relaydesk.server.state import Tx

router = APIRouter(prefix="/v1", tags=["workstation"])


@router.post("/heartbeat")
async def heartbeat(body: HeartbeatIn, caller: Caller, state: State) -> HeartbeatOut:
    """The agent is here: their status and open accounts; silence past the grace → offline."""

    async def beat(tx: Tx) -> HeartbeatOut:
        agent = await tx.session.get(AgentRow, caller.id, with_for_update=True)
        assert agent is not None
        for index, account_id in enumerate(body.open_accounts):
            account = await tx.session.get(AccountRow, account_id)
            if account is None or not await may_report_for(tx.session, agent, account):
                raise ApiError(
                    422,
                    "invalid",
                    f"No such account of yours: {account_id}.",
                    f"open_accounts[{index}]",
                )
        agent.status = body.status
        agent.open_accounts = sorted(set(body.open_accounts))
        agent.last_seen_at = tx.now
        grace = tx.rules.offline_grace_s
        await assignment.set_deadline(tx, "offline", agent.id, tx.now + grace)
        await tx.session.flush()
        if agent.status == AgentStatus.ONLINE.value:
            await assignment.drain_queue(tx, agent)
        return HeartbeatOut(status=body.status, offline_after_s=grace)

    return await state.retrying(beat)


@router.post("/events")
async def events(body: EventsIn, caller: Caller, state: State) -> EventsOut:
    """Apply a batch of events; each client id (and each message) counts once."""
    async with state.sessions() as session:
        for index, event in enumerate(body.events):
            account = await session.get(AccountRow, event.account_id)
            if account is None or not await may_report_for(session, caller, account):
                raise ApiError(
                    422,
                    "invalid",
                    f"No such account of yours: {event.account_id}.",
                    f"events[{index}].account_id",
                )

    async def apply_all(tx: Tx) -> EventsOut:
        reporter = await tx.session.get(AgentRow, caller.id)
        assert reporter is not None
        accepted = 0
        for event in body.events:
            accepted += await ingest(tx, reporter, event)
        return EventsOut(accepted=accepted, duplicates=len(body.events) - accepted)

    return await state.retrying(apply_all)
