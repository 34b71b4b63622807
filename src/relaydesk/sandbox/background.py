"""The sandbox served from a background thread on a free loopback port, for tests and demos.

``with BackgroundSandbox() as sandbox:`` starts uvicorn on 127.0.0.1 (port 0: the OS picks a free
one), waits until it answers, and stops it on exit (answering the pages' held state requests
first, or stopping would wait for them). The HTTP API helpers here are what the tests
and the desktop's demo use to inject customers and read what the agent sent.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import urllib.request
from types import TracebackType
from typing import Any

import uvicorn

from relaydesk.sandbox.app import Sandbox, create_app

START_TIMEOUT_S = 15.0


class SandboxServer(uvicorn.Server):
    """uvicorn serving a sandbox: on shutdown it answers the held state requests at once,
    since uvicorn waits for every request in flight before it stops."""

    def __init__(self, config: uvicorn.Config, sandbox: Sandbox) -> None:
        super().__init__(config)
        self.sandbox = sandbox

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.sandbox.release_waiters()
        await super().shutdown(sockets)


class BackgroundSandbox:
    """A running sandbox server; ``url`` is its base address (``http://127.0.0.1:<port>``)."""

    def __init__(self, sandbox: Sandbox | None = None) -> None:
        self.sandbox = sandbox or Sandbox()
        config = uvicorn.Config(
            create_app(self.sandbox),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
        )
        self._server = SandboxServer(config, self.sandbox)
        self._thread = threading.Thread(target=self._run, name="relaydesk-sandbox", daemon=True)
        self.url = ""

    def _run(self) -> None:
        asyncio.run(self._server.serve())

    def start(self) -> BackgroundSandbox:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start on 127.0.0.1")
            time.sleep(0.02)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    @property
    def running(self) -> bool:
        """Whether the server thread is still serving (``stop`` gives up waiting after 10 s)."""
        return self._thread.is_alive()

    def stop(self) -> None:
        self.sandbox.release_waiters()  # now, not after uvicorn's next tick
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> BackgroundSandbox:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- the HTTP API, as a client uses it ---------------------------------------------------
    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data, {"Content-Type": "application/json"}, method=method
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def customer_writes(self, page: str, text: str, **fields: Any) -> dict[str, Any]:
        """Inject a customer message (``name``, ``phone``, ``chat_id``, ``muted``, ``group``,
        ``show_phone``)."""
        result: dict[str, Any] = self.call(
            "POST", f"/api/{page}/customer", {"text": text, **fields}
        )
        return result

    def sent(self, page: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", f"/api/{page}/sent")
        return result

    def remove_anchors(self, page: str, anchors: list[str]) -> None:
        self.call("POST", f"/api/{page}/structure", {"remove": anchors})

    def restore_anchors(self, page: str) -> None:
        self.call("POST", f"/api/{page}/structure", {"remove": [], "restore": True})

    def reset(self, page: str) -> None:
        self.call("POST", f"/api/{page}/reset", {})
