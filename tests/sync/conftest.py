"""A real team server on loopback for the sync tests: the app of relaydesk.server, real migrations,
a temporary SQLite file, uvicorn in a thread that a test can stop and start again on the same port.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ADMIN_PASSWORD = "admin-pass-1234"
AGENT_PASSWORD = "agent-pass-1234"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """The team server app served by uvicorn in a thread; ``stop()``/``start()`` keep the db."""

    db_path: Path
    port: int = field(default_factory=_free_port)
    _thread: threading.Thread | None = None
    _server: object | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import uvicorn

        from relaydesk.server.app import create_app
        from relaydesk.server.settings import ServerSettings

        app = create_app(ServerSettings(database_url=f"sqlite+aiosqlite:///{self.db_path}"))
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            loop="asyncio",
            ws="websockets-sansio",
            lifespan="on",
            timeout_graceful_shutdown=0.5,  # the server's streams never end by themselves
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
        thread.start()
        for _ in range(300):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.02)
        assert server.started, "the team server did not start"
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
            self._thread.join(timeout=10)
            assert not self._thread.is_alive(), "the team server did not stop"
        self._server = self._thread = None

    def received_event_ids(self, agent_id: str) -> list[str]:
        """The client ids the server has counted for this reporter (straight from its db)."""
        with sqlite3.connect(self.db_path) as db:
            rows = db.execute(
                "SELECT client_id FROM received_events WHERE agent_id = ?", (agent_id,)
            ).fetchall()
        return [r[0].split(":", 1)[1] for r in rows]

    def message_count(self) -> int:
        with sqlite3.connect(self.db_path) as db:
            return int(db.execute("SELECT count(*) FROM messages").fetchone()[0])


@dataclass(frozen=True)
class Team:
    """Who exists on the live server: logins and ids."""

    server: LiveServer
    admin_token: str
    agents: dict[str, str]  # login -> agent id
    account_id: str

    def admin(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.url, headers={"Authorization": f"Bearer {self.admin_token}"}
        )


def _create_admin(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from relaydesk.server.cli import main

    monkeypatch.setenv("RELAYDESK_TEST_ADMIN_PASSWORD", ADMIN_PASSWORD)
    assert (
        main(
            [
                "create-admin",
                "--db",
                str(db_path),
                "--login",
                "admin",
                "--password-env",
                "RELAYDESK_TEST_ADMIN_PASSWORD",
            ]
        )
        == 0
    )


@pytest.fixture
def live_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    pytest.importorskip("fastapi", reason="the end-to-end tests need the server extra")
    db_path = tmp_path / "server.db"
    _create_admin(db_path, monkeypatch)
    server = LiveServer(db_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def team(live_server: LiveServer) -> Team:
    """Two agents of team "a" sharing one WhatsApp account."""
    with httpx.Client(base_url=live_server.url) as http:
        token = http.post(
            "/v1/auth/login", json={"login": "admin", "password": ADMIN_PASSWORD}
        ).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        agents = {}
        for login in ("ana", "ben"):
            answer = http.post(
                "/v1/agents",
                json={
                    "login": login,
                    "name": login.title(),
                    "password": AGENT_PASSWORD,
                    "team": "a",
                    "capacity": 5,
                },
            )
            assert answer.status_code == 201, answer.text
            agents[login] = answer.json()["id"]
        answer = http.post(
            "/v1/accounts",
            json={
                "platform": "whatsapp",
                "handle": "+15550100",
                "name": "Shop",
                "shared": True,
                "team": "a",
                "members": list(agents.values()),
            },
        )
        assert answer.status_code == 201, answer.text
    return Team(live_server, token, agents, answer.json()["id"])


# ---------------------------------------------------------------- a stand-in for unit tests


@dataclass
class StandInServer:
    """Just enough of API v1, in memory, behind ``httpx.MockTransport``: it counts event ids once,
    and can be switched off, lose its answers after committing, or refuse accounts."""

    token: str = "tok-1"
    agent_id: str = "agent-1"
    password: str = "secret"
    down: bool = False
    drop_answers: int = 0  # this many /v1/events calls commit, then the answer is lost
    unknown_accounts: set[str] = field(default_factory=set)
    refuse_without_field: bool = False
    received: list[str] = field(default_factory=list)  # ids counted, in order
    calls: list[tuple[str, str, object]] = field(default_factory=list)
    revoked: bool = False
    failed_logins: int = 0  # the fourth try after three failures is slowed down
    proxy_page: bool = False  # a captive portal answers instead of the server
    too_slow_over: int = 10_000  # batches larger than this time out (after committing)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        import json

        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.proxy_page:
            return httpx.Response(200, text="<html>Sign in to the hotel Wi-Fi</html>")
        body = json.loads(request.content) if request.content else None
        path = request.url.path
        self.calls.append((request.method, path, body))
        if path == "/healthz":
            return httpx.Response(200, json={"status": "ok", "version": "0.test"})
        if path == "/v1/auth/login":
            if self.failed_logins >= 3:
                response = _error(429, "too_many_attempts", "Too many failed logins.")
                response.headers["Retry-After"] = "42"
                return response
            if body["password"] != self.password:
                self.failed_logins += 1
                return _error(401, "bad_credentials", "Wrong login or password.")
            return httpx.Response(
                200, json={"token": self.token, "agent_id": self.agent_id, "role": "agent"}
            )
        if request.headers.get("authorization") != f"Bearer {self.token}" or self.revoked:
            return _error(401, "unauthorized", "A valid bearer token is required.")
        if path == "/v1/events":
            return self._events(body)
        if path == "/v1/heartbeat":
            if set(body["open_accounts"]) & self.unknown_accounts:
                return _error(422, "invalid", "No such account of yours.", "open_accounts[0]")
            return httpx.Response(200, json={"status": body["status"], "offline_after_s": 60})
        if path == "/v1/auth/logout":
            self.revoked = True
            return httpx.Response(204)
        if path.startswith("/v1/conversations/"):
            conversation_id = path.split("/")[3]
            if conversation_id == "gone":
                return _error(404, "not_found", "No such conversation.")
            return httpx.Response(200, json={"id": conversation_id, "state": "assigned"})
        return _error(404, "not_found", "Not Found")

    def _events(self, body: dict) -> httpx.Response:  # type: ignore[type-arg]
        if len(body["events"]) > self.too_slow_over:
            # commits, but answers after the client gave up waiting
            self._count(body)
            raise httpx.ReadTimeout("no answer in time")
        for index, event in enumerate(body["events"]):
            if event["account_id"] in self.unknown_accounts:
                where = None if self.refuse_without_field else f"events[{index}].account_id"
                return _error(
                    422, "invalid", f"No such account of yours: {event['account_id']}.", where
                )
        accepted, duplicates = self._count(body)
        if self.drop_answers > 0:
            self.drop_answers -= 1
            raise httpx.ReadError("connection reset after the server committed")
        return httpx.Response(200, json={"accepted": accepted, "duplicates": duplicates})

    def _count(self, body: dict) -> tuple[int, int]:  # type: ignore[type-arg]
        accepted = duplicates = 0
        for event in body["events"]:
            if event["id"] in self.received:
                duplicates += 1
            else:
                self.received.append(event["id"])
                accepted += 1
        return accepted, duplicates


def _error(status: int, code: str, message: str, where: str | None = None) -> httpx.Response:
    error = {"code": code, "message": message}
    if where:
        error["field"] = where
    return httpx.Response(status, json={"error": error})


@pytest.fixture
def stand_in() -> StandInServer:
    return StandInServer()
