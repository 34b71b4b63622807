"""WebSocket ``/v1/stream``: pushes with per-recipient sequence numbers, resumable.

Authenticate with ``?token=…`` (or an ``Authorization: Bearer`` header); pass ``?after=N`` with
the last sequence number seen to receive what was missed first, then live pushes.
"""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from relaydesk.server.deps import agent_for_token
from relaydesk.server.pushes import missed_since
from relaydesk.server.state import ServerState

router = APIRouter(tags=["stream"])


@router.websocket("/v1/stream")
async def stream(websocket: WebSocket, token: str | None = None, after: int = 0) -> None:
    state: ServerState = websocket.app.state.relaydesk
    header = websocket.headers.get("authorization", "")
    token = token or (header[7:] if header.lower().startswith("bearer ") else None)
    async with state.sessions() as session:
        agent = await agent_for_token(session, token)
    if agent is None:
        await websocket.close(code=4401, reason="a valid token is required")
        return
    queue = state.hub.subscribe(agent.id)  # before reading the backlog: nothing falls between
    try:
        await websocket.accept()
        last = after
        async with state.sessions() as session:
            backlog = await missed_since(session, agent.id, after)
        for push in backlog:
            await websocket.send_json(push.message())
            last = push.seq
        while True:
            push = await queue.get()
            if push.seq > last:
                await websocket.send_json(push.message())
                last = push.seq
    except WebSocketDisconnect:
        pass
    finally:
        state.hub.unsubscribe(agent.id, queue)
        with contextlib.suppress(RuntimeError):
            await websocket.close()
