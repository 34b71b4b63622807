"""The sandbox web app: one page per platform, its state API, and the simulated customers.

Pages are static files under resources/sandbox/ that long-poll ``/api/<page>/state`` (the server
holds the request until the page's inbox changes) and redraw in the real service's DOM structure.
Tests and the demo drive the same API a person's clicks use.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from relaydesk.sandbox.customers import MAX_RATE, Customers
from relaydesk.sandbox.inbox import PAGES, Inbox, InboxError
from relaydesk.sandbox.waiting import MAX_WAIT_S, Waiters
from relaydesk.shipped import shipped_dir

SANDBOX = shipped_dir("resources") / "sandbox"
IDLE_CHECK_S = 0.5


class Sandbox:
    """Every page's inbox, and the customers who write to them at ``rate`` messages a minute."""

    def __init__(
        self,
        rate: float = 0.0,
        seed: int | None = None,
        returning: float = 0.4,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not 0 <= rate <= MAX_RATE:
            raise ValueError(f"the customer rate must be 0 to {MAX_RATE:g} messages a minute")
        self.rng = random.Random(seed)
        self.rate = rate
        self.clock = clock
        self.inboxes = {page: Inbox(page, self.rng) for page in PAGES}
        self.customers = Customers(self.rng, returning)
        self.waiters = Waiters()
        for inbox in self.inboxes.values():
            inbox.on_change = self.waiters.changed

    def release_waiters(self) -> None:
        """Answer every page's held state request now (and later ones at once): the server is
        stopping, and it waits for requests in flight. Safe from any thread."""
        self.waiters.release()

    def inbox(self, page: str) -> Inbox:
        try:
            return self.inboxes[page]
        except KeyError:
            raise InboxError(f"no sandbox page {page!r} (pages: {', '.join(PAGES)})") from None

    def set_customers(self, rate: float, returning: float) -> None:
        """Change how often customers write (a minute, over all pages) and how many come back."""
        if not 0 <= rate <= MAX_RATE:
            raise InboxError(f"the customer rate must be 0 to {MAX_RATE:g} messages a minute")
        if not 0 <= returning <= 1:
            raise InboxError("the share of returning customers must be between 0 and 1")
        self.rate = rate
        self.customers.returning = returning

    async def run_customers(self) -> None:
        """Customers write at random moments, ``rate`` a minute on average over all pages."""
        while True:
            if self.rate <= 0:
                await asyncio.sleep(IDLE_CHECK_S)  # the rate can be raised through the API
                continue
            await asyncio.sleep(self.rng.expovariate(self.rate / 60.0))
            if self.rate > 0:
                page = self.rng.choice(PAGES)
                self.customers.write_one(self.inboxes[page], self.clock())


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise InboxError("the request body must be JSON") from None
    if not isinstance(body, dict):
        raise InboxError("the request body must be a JSON object")
    return body


def _text(body: dict[str, Any], name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise InboxError(f"field {name!r} must be text")
    return value


def _long_poll(query: QueryParams) -> tuple[int | None, float]:
    """``after`` (the version the page has; none: answer at once) and ``wait`` (seconds)."""
    after_text, wait_text = query.get("after"), query.get("wait")
    after = None
    if after_text is not None:
        if not after_text.isascii() or not after_text.isdigit():
            raise InboxError(f"'after' must be a version number (0 or more), got {after_text!r}")
        after = int(after_text)
    wait = MAX_WAIT_S
    if wait_text is not None:
        try:
            wait = float(wait_text)
        except ValueError:
            wait = -1.0
        if not math.isfinite(wait) or wait < 0:
            raise InboxError(
                f"'wait' must be a number of seconds (0 or more, at most {MAX_WAIT_S:g} are used), "
                f"got {wait_text!r}"
            )
    return after, min(wait, MAX_WAIT_S)


def create_app(sandbox: Sandbox | None = None) -> Starlette:
    """The sandbox ASGI app; pass a ``Sandbox`` to share its state with the caller (tests)."""
    box = sandbox or Sandbox()

    def api(handler: Callable[[Inbox, dict[str, Any]], Any], *, body: bool = True) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                inbox = box.inbox(request.path_params["page"])
                data = await _json(request) if body else {}
                result = handler(inbox, data)
            except InboxError as error:
                return JSONResponse({"error": str(error)}, status_code=400)
            return JSONResponse(result if result is not None else {"ok": True})

        return endpoint

    async def state(request: Request) -> Response:
        """The page's state; with ``after``, once it differs from that version (or ``wait`` s)."""
        try:
            inbox = box.inbox(request.path_params["page"])
            after, wait = _long_poll(request.query_params)
        except InboxError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        if after is not None:
            await box.waiters.until_changed(inbox, after, wait, request.is_disconnected)
        return JSONResponse(inbox.snapshot())

    def inject(inbox: Inbox, body: dict[str, Any]) -> dict[str, Any]:
        phone = body.get("phone")
        chat_id = body.get("chat_id")
        chat = inbox.customer_writes(
            _text(body, "name", "Customer"),
            _text(body, "text"),
            box.clock(),
            phone=phone if isinstance(phone, str) else None,
            chat_id=chat_id if isinstance(chat_id, str) else None,
            muted=bool(body.get("muted", False)),
            group=bool(body.get("group", False)),
            show_phone=bool(body.get("show_phone", False)),
        )
        return {"chat_id": chat.id, "message_id": chat.messages[-1].id}

    def structure(inbox: Inbox, body: dict[str, Any]) -> dict[str, Any]:
        remove = body.get("remove", [])
        if not isinstance(remove, list) or not all(isinstance(a, str) for a in remove):
            raise InboxError("'remove' must be a list of anchor names")
        inbox.change_structure(remove, bool(body.get("restore", False)))
        return {"removed": sorted(inbox.removed_anchors)}

    def page(request: Request) -> Response:
        name = request.path_params["page"]
        if name not in PAGES:
            return JSONResponse({"error": f"no sandbox page {name!r}"}, status_code=404)
        return FileResponse(SANDBOX / "pages" / f"{name}.html")

    async def index(request: Request) -> Response:
        return FileResponse(SANDBOX / "pages" / "index.html")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        box.waiters.open()
        task = asyncio.create_task(box.run_customers())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def agent_opens(inbox: Inbox, body: dict[str, Any]) -> dict[str, Any]:
        return {"chat_id": inbox.agent_opens(_text(body, "chat_id")).id}

    def agent_sends(inbox: Inbox, body: dict[str, Any]) -> dict[str, Any]:
        return asdict(inbox.agent_sends(_text(body, "chat_id"), _text(body, "text"), box.clock()))

    def mute(inbox: Inbox, body: dict[str, Any]) -> None:
        inbox.set_muted(_text(body, "chat_id"), bool(body.get("muted", True)))

    async def customers(request: Request) -> Response:
        if request.method == "POST":
            try:
                body = await _json(request)
                rate, returning = body.get("rate", box.rate), body.get("returning")
                if returning is None:
                    returning = box.customers.returning
                if not all(
                    isinstance(v, int | float) and not isinstance(v, bool)
                    for v in (rate, returning)
                ):
                    raise InboxError("'rate' and 'returning' must be numbers")
                box.set_customers(float(rate), float(returning))
            except InboxError as error:
                return JSONResponse({"error": str(error)}, status_code=400)
        return JSONResponse({"rate": box.rate, "returning": box.customers.returning})

    routes = [
        Route("/", index),
        Route("/api/customers", customers, methods=["GET", "POST"]),
        Route("/api/pages", lambda r: JSONResponse(list(PAGES))),
        Route("/api/{page}/state", state),
        Route("/api/{page}/customer", api(inject), methods=["POST"]),
        Route("/api/{page}/open", api(agent_opens), methods=["POST"]),
        Route("/api/{page}/send", api(agent_sends), methods=["POST"]),
        Route("/api/{page}/mute", api(mute), methods=["POST"]),
        Route("/api/{page}/sent", api(lambda i, b: [asdict(s) for s in i.sent], body=False)),
        Route("/api/{page}/structure", api(structure), methods=["POST"]),
        Route("/api/{page}/reset", api(lambda i, b: i.reset(), body=False), methods=["POST"]),
        Mount("/static", StaticFiles(directory=SANDBOX / "static"), name="static"),
        Route("/{page}", lambda r: RedirectResponse(f"/{r.path_params['page']}/")),
        Route("/{page}/{rest:path}", page),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
