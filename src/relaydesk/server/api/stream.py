"""WebSocket ``/v1/stream``: pushes with per-recipient sequence numbers, resumable.

Authenticate with ``?token=…`` (or an ``Authorization: Bearer`` header); pass ``?after=N`` with
the last sequence number seen to receive what was missed first, then live pushes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from relaydesk.server import pushes
from relaydesk.server.deps import agent_for_token
from relaydesk.server.pushes import Push, missed_since
from relaydesk.server.state import ServerState

router = APIRouter(tags=["stream"])


@router.websocket("/v1/stream")
async def stream(websocket: WebSocket, token: str | None = None, after: int = 0) -> None:
    state: ServerState = websocket.app.state.relaydesk
    header = websocket.headers.get("authorization", "")
    token = token or (header[7:] if header.lower().startswith("bearer ") else None)
    agent = await agent_for_token(state, token)
    if agent is None:
        await websocket.close(code=4401, reason="a valid token is required")
        return
    queue = state.hub.subscribe(agent.id)  # before reading the backlog: nothing falls between
    await websocket.accept()
    sender = asyncio.ensure_future(_send_pushes(websocket, state, agent.id, queue, after))
    listener = asyncio.ensure_future(_until_closed(websocket))
    try:
        # Whichever ends first ends the stream: the client closing, or a send failing.
        await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, listener):
            task.cancel()
        await asyncio.gather(sender, listener, return_exceptions=True)
        state.hub.unsubscribe(agent.id, queue)
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
            await websocket.close()


async def _send_pushes(
    websocket: WebSocket, state: ServerState, agent_id: str, queue: asyncio.Queue[Push], after: int
) -> None:
    last = after
    async with state.sessions() as session:
        backlog = await missed_since(session, agent_id, after)
    for push in backlog:
        await websocket.send_json(push.message())
        last = push.seq
    while True:
        push = await queue.get()
        if push.seq > last:  # a push may arrive twice (backlog and live, or two processes)
            if pushes.TRACE:
                pushes.stamp([push], sending=time.time())
            await websocket.send_json(push.message())
            last = push.seq


async def _until_closed(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, so a close is noticed at once."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
