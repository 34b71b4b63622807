"""The real team server on loopback for the desktop's team-mode tests (tests/sync/conftest.py's
LiveServer: real migrations, temporary SQLite, uvicorn on 127.0.0.1 in a thread), with a team
set up through the real API."""

from __future__ import annotations

import importlib.util
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from keyring.backend import KeyringBackend

ADMIN_PASSWORD = "admin-pass-1234"
AGENT_PASSWORD = "agent-pass-1234"


def sync_fixtures() -> ModuleType:
    name = "relaydesk_test_sync_server"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "sync" / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@dataclass
class TeamOnServer:
    url: str
    ids: dict[str, str]  # logins and "shop" (the shared account) -> server ids
    admin_token: str

    def http(self, login: str | None = None, password: str = AGENT_PASSWORD) -> httpx.Client:
        """A client speaking as ``login`` (not yet opened: usable in a ``with``)."""
        headers = {}
        if login is not None:
            secret = ADMIN_PASSWORD if login == "admin" else password
            with httpx.Client(base_url=self.url, timeout=10) as client:
                answer = client.post("/v1/auth/login", json={"login": login, "password": secret})
            assert answer.status_code == 200, answer.text
            headers["Authorization"] = f"Bearer {answer.json()['token']}"
        return httpx.Client(base_url=self.url, timeout=10, headers=headers)

    def login(self, login: str) -> dict[str, Any]:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            answer = client.post(
                "/v1/auth/login", json={"login": login, "password": AGENT_PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            return dict(answer.json())


def make_team(url: str, *, reply_timeout_s: float | None = None) -> TeamOnServer:
    """Team a: ana, ben (agents), sue (supervisor), sharing WhatsApp "Shop"; team b: zoe."""
    with httpx.Client(base_url=url, timeout=10) as http:
        token = http.post(
            "/v1/auth/login", json={"login": "admin", "password": ADMIN_PASSWORD}
        ).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        ids: dict[str, str] = {}
        for login, role, team in (("ana", "agent", "a"), ("ben", "agent", "a"),
                                  ("sue", "supervisor", "a"), ("zoe", "agent", "b")):  # fmt: skip
            answer = http.post("/v1/agents", json={
                "login": login, "name": login.title(), "password": AGENT_PASSWORD,
                "team": team, "capacity": 3, "role": role,
            })  # fmt: skip
            assert answer.status_code == 201, answer.text
            ids[login] = answer.json()["id"]
        answer = http.post("/v1/accounts", json={
            "platform": "whatsapp", "handle": "+15550100", "name": "Shop", "shared": True,
            "team": "a", "members": [ids["ana"], ids["ben"]],
        })  # fmt: skip
        assert answer.status_code == 201, answer.text
        ids["shop"] = answer.json()["id"]
        if reply_timeout_s is not None:
            rules = http.get("/v1/rules").json()
            rules["default_reply_timeout_s"] = reply_timeout_s
            answer = http.put("/v1/rules", json=rules)
            assert answer.status_code == 200, answer.text
    return TeamOnServer(url, ids, token)


class MemoryKeyring(KeyringBackend):
    """A stand-in OS keyring; remembers which threads called it."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.threads: set[str] = set()

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.add(threading.current_thread().name)
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.add(threading.current_thread().name)
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.threads.add(threading.current_thread().name)
        self.items.pop((service, username), None)
