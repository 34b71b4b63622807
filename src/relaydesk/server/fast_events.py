"""``POST /v1/events`` answered below FastAPI's routing: the busiest request, made cheaper.

A workstation reports every customer line through this endpoint, and the time from its report
to the owner's ``assigned`` push is a figure the team server is held to. Going through
FastAPI's router, its dependency solver and its per-route exception wrapping cost about a sixth
of the server's CPU per event, more than the event's own SQL. This middleware sits just inside
the body size limit and answers the common case itself: a JSON body that ``EventsIn``
validates, from a live bearer token, applied by the same :func:`apply_events` as the route.

Anything else (no or a bad token, a body that is not JSON or not valid, another content type)
goes on to the FastAPI route with the body it already read handed on unchanged, so every error
answer comes from one place and says the same as before. The route also keeps the endpoint in
the OpenAPI document.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relaydesk.server.api.work import apply_events
from relaydesk.server.deps import agent_for_token
from relaydesk.server.errors import ApiError, error_body
from relaydesk.server.schemas import EventsIn

PATH = "/v1/events"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _bearer(scope: Scope) -> str | None:
    """The token as FastAPI's ``HTTPBearer`` reads it (``None`` where it would)."""
    header = _header(scope, b"authorization")
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    return credentials if scheme.lower() == "bearer" and credentials else None


def _is_json(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type")
    if content_type is None:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json"


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read once, then whatever comes after it."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class EventsFastPath:
    """Answers well-formed ``POST /v1/events`` requests; hands every other request on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] != "POST"
            or scope.get("root_path")
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left (or the size limit has answered for us)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        state = scope["app"].state.relaydesk
        token = _bearer(scope)
        caller = await agent_for_token(state, token) if token and _is_json(scope) else None
        parsed = _parse(body) if caller is not None else None
        if caller is None or parsed is None:
            await self.app(scope, _replaying(body, receive), send)
            return
        try:
            out = await apply_events(state, caller, parsed)
        except ApiError as error:  # the route's exception handler would answer the same
            answer = error_body(error.code, error.message, error.field)
            response = JSONResponse(answer, error.status, headers=error.headers)
        else:
            response = JSONResponse(out.model_dump())
        await response(scope, receive, send)


def _parse(body: bytes) -> EventsIn | None:
    """The body validated as FastAPI validates it (JSON decoded, then the model in Python mode),
    or ``None`` when FastAPI would refuse it and should say why."""
    try:
        value: Any = json.loads(body)
    except ValueError:
        return None
    try:
        return EventsIn.model_validate(value)
    except ValidationError:
        return None
