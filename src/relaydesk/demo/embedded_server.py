"""The team server on 127.0.0.1 in a background thread, on a temporary SQLite file.

The same app ``relaydesk-server run`` serves (real migrations, scheduler, split links), with uvicorn
on a free port chosen by the OS; ``stop()`` lets it write its batched heartbeats and clicks.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import threading
import time
from pathlib import Path

import uvicorn

from relaydesk.server.app import create_app
from relaydesk.server.cli import main as server_cli
from relaydesk.server.settings import ServerSettings

START_TIMEOUT_S = 30.0
PASSWORD_VARIABLE = "RELAYDESK_DEMO_ADMIN_PASSWORD"


class EmbeddedServer:
    """A running team server; ``url`` is its base address once ``start()`` returned."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def create_admin(self, login: str, password: str) -> None:
        """The first login, made as an operator makes it (``relaydesk-server create-admin``)."""
        os.environ[PASSWORD_VARIABLE] = password
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # it prints the new id
                code = server_cli(["create-admin", "--db", str(self.db_path), "--login", login,
                                   "--password-env", PASSWORD_VARIABLE])  # fmt: skip
        finally:
            os.environ.pop(PASSWORD_VARIABLE, None)
        if code != 0:
            raise RuntimeError("the demo could not create the team server's admin")

    def start(self) -> EmbeddedServer:
        app = create_app(ServerSettings(database_url=f"sqlite+aiosqlite:///{self.db_path}"))
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=1,  # the push streams never end by themselves
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=lambda: asyncio.run(server.serve()), name="relaydesk-demo-server", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the team server did not start on 127.0.0.1")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)
        self._server = self._thread = None
