"""The real team server app for the server tests: real Alembic migrations on a temporary SQLite
file (or on PostgreSQL when ``RELAYDESK_TEST_PG_URL`` is set and a test asks for it), spoken to
over HTTP through httpx's ASGI transport with the app's lifespan running.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi", reason="the team server is the `server` extra")

from relaydesk.server.app import create_app
from relaydesk.server.cli import main as server_cli
from relaydesk.server.settings import ServerSettings

ADMIN_PASSWORD = "admin-pass-1234"
AGENT_PASSWORD = "agent-pass-1234"


def create_admin(db: str, monkeypatch: pytest.MonkeyPatch, login: str = "admin") -> None:
    monkeypatch.setenv("RELAYDESK_TEST_ADMIN_PASSWORD", ADMIN_PASSWORD)
    argv = ["create-admin", "--db", db, "--login", login]
    assert server_cli([*argv, "--password-env", "RELAYDESK_TEST_ADMIN_PASSWORD"]) == 0


@dataclass
class Server:
    """One running app and helpers that speak its API as different people."""

    app: Any
    db: str
    tokens: dict[str, str] = field(default_factory=dict)  # login -> token
    ids: dict[str, str] = field(default_factory=dict)  # login -> agent id
    admin_password: str = ADMIN_PASSWORD
    lifespan: Any = None
    url: str | None = None  # set when served by uvicorn on loopback
    agent_password: str = AGENT_PASSWORD

    async def stop(self) -> None:
        """Stop the app as a shutdown would (the scheduler and the pool end)."""
        if self.lifespan is not None:
            await self.lifespan.__aexit__(None, None, None)
            self.lifespan = None

    async def write_batches(self) -> None:
        """Write now the clicks and heartbeats the app keeps in memory for its next batch."""
        state = self.app.state.relaydesk
        await state.redirects.flush(state)
        await state.heartbeats.flush(state)

    async def set_rules(self, **changes: Any) -> None:
        rules = (await self.call("admin", "GET", "/v1/rules")).json()
        answer = await self.call("admin", "PUT", "/v1/rules", {**rules, **changes})
        assert answer.status_code == 200, answer.text

    def client(self, login: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.tokens[login]}"} if login else {}
        if self.url is not None:
            return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=10)
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url="http://relaydesk", headers=headers)

    def stream_url(self, login: str, after: int | None = None) -> str:
        assert self.url is not None, "WebSockets need the live server"
        query = f"?token={self.tokens[login]}" + (f"&after={after}" if after is not None else "")
        return self.url.replace("http://", "ws://") + "/v1/stream" + query

    async def call(
        self, login: str | None, method: str, path: str, json: Any = None, **kw: Any
    ) -> httpx.Response:
        async with self.client(login) as http:
            return await http.request(method, path, json=json, **kw)

    async def login(self, login: str, password: str) -> str:
        answer = await self.call(
            None, "POST", "/v1/auth/login", {"login": login, "password": password}
        )
        assert answer.status_code == 200, answer.text
        self.tokens[login] = answer.json()["token"]
        self.ids[login] = answer.json()["agent_id"]
        return self.tokens[login]

    async def add_agent(self, login: str, **fields: Any) -> str:
        body = {"login": login, "name": login.title(), "password": AGENT_PASSWORD, **fields}
        answer = await self.call("admin", "POST", "/v1/agents", body)
        assert answer.status_code == 201, answer.text
        await self.login(login, AGENT_PASSWORD)
        return str(answer.json()["id"])

    async def add_account(self, handle: str, members: list[str], **fields: Any) -> str:
        body = {"platform": "whatsapp", "handle": handle, "members": members, **fields}
        answer = await self.call("admin", "POST", "/v1/accounts", body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    async def heartbeat(self, login: str, accounts: list[str], status: str = "online") -> None:
        body = {"status": status, "open_accounts": accounts}
        answer = await self.call(login, "POST", "/v1/heartbeat", body)
        assert answer.status_code == 200, answer.text

    @staticmethod
    def message(
        event_id: str,
        account_id: str,
        handle: str,
        ts: float,
        text: str = "hello",
        kind: str = "customer_message",
        **extra: Any,
    ) -> dict[str, Any]:
        """One workstation event as the desktop sends it."""
        return {
            "id": event_id,
            "type": kind,
            "account_id": account_id,
            "contact": {"handle": handle},
            "ts": ts,
            "text": text,
            **extra,
        }

    async def events(self, login: str, *events: dict[str, Any]) -> dict[str, int]:
        answer = await self.call(login, "POST", "/v1/events", {"events": list(events)})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


ServerFactory = Callable[..., Awaitable[Server]]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
async def make_server(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ServerFactory]:
    """Start the app (lifespan and all) with an admin logged in; stopped at the test's end."""
    servers: list[Server] = []
    prepared: set[str] = set()

    async def start(url: str = sqlite_url, **settings: Any) -> Server:
        if url not in prepared:  # the CLI runs its own event loop: give it a thread
            await asyncio.to_thread(create_admin, url, monkeypatch)
            prepared.add(url)
        app = create_app(ServerSettings(database_url=url, **settings))
        context = app.router.lifespan_context(app)
        await context.__aenter__()
        server = Server(app, url, lifespan=context)
        servers.append(server)
        await server.login("admin", ADMIN_PASSWORD)
        return server

    yield start
    for server in reversed(servers):
        await server.stop()


@pytest.fixture
async def server(make_server: ServerFactory) -> Server:
    return await make_server()


@pytest.fixture
async def pg_url() -> str:
    """The test PostgreSQL database, emptied (the migrations run again on start)."""
    url = os.environ.get("RELAYDESK_TEST_PG_URL")
    if not url:
        pytest.skip("RELAYDESK_TEST_PG_URL is not set (scripts/pg-test-server.sh start)")
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def live_server(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Server]:
    """The app served by a real uvicorn on 127.0.0.1 inside the test's event loop."""
    import uvicorn

    await asyncio.to_thread(create_admin, sqlite_url, monkeypatch)
    app = create_app(ServerSettings(database_url=sqlite_url))
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        loop="asyncio",
        ws="websockets-sansio",
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    uvicorn_server = uvicorn.Server(config)
    task = asyncio.create_task(uvicorn_server.serve())
    for _ in range(400):
        if uvicorn_server.started or task.done():
            break
        await asyncio.sleep(0.025)
    assert uvicorn_server.started, "the team server did not start"
    server = Server(app, sqlite_url, url=f"http://127.0.0.1:{port}")
    await server.login("admin", ADMIN_PASSWORD)
    try:
        yield server
    finally:
        uvicorn_server.should_exit = True
        await asyncio.wait_for(task, timeout=15)
