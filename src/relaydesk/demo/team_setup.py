"""The demo team on the embedded server, made through the admin API as an operator would:
the demo agent (a supervisor, so the board has something to show), two colleagues, four accounts
on different platforms, fast rules (a short reply timeout: a handoff within a minute) and a split
link spreading visitors across the accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx

TEAM = "demo"
REPLY_TIMEOUT_S = 15.0
LINK_SLUG = "demo"
LINK_MESSAGE = "Hi! I saw your ad"


@dataclass(frozen=True, slots=True)
class Person:
    login: str
    name: str
    role: str
    capacity: int
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """One account: its desktop platform page in the sandbox and its record on the server."""

    key: str  # the desktop's account id
    page: str  # the sandbox page (the desktop platform id)
    server_platform: str
    handle: str
    name: str
    members: tuple[str, ...]  # logins

    @property
    def shared(self) -> bool:
        return len(self.members) > 1


YOU = Person("demo", "Alex (you)", "supervisor", 4, ("en",))
COLLEAGUES = (
    Person("marta", "Marta Silva", "agent", 4, ("en", "pt", "es")),
    Person("kenji", "Kenji Ito", "agent", 4, ("en", "ja", "zh")),
)
ACCOUNTS = (
    DemoAccount("demo-whatsapp", "whatsapp", "whatsapp", "+15550100", "Shop WhatsApp",
                ("demo", "marta", "kenji")),
    DemoAccount("demo-telegram", "telegram_k", "telegram", "@relaydesk_shop", "Shop Telegram",
                ("demo", "marta", "kenji")),
    DemoAccount("demo-messenger", "messenger", "messenger", "relaydeskshop", "Shop Messenger",
                ("demo", "marta")),
    DemoAccount("demo-instagram", "instagram", "instagram", "alex.relaydesk", "Alex's Instagram",
                ("demo",)),
)  # fmt: skip


@dataclass
class DemoTeam:
    """Who and what exists on the server, with the passwords of this run (made fresh each time)."""

    url: str
    admin_password: str
    passwords: dict[str, str]  # login -> password
    agent_ids: dict[str, str] = field(default_factory=dict)  # login -> server id
    account_ids: dict[str, str] = field(default_factory=dict)  # desktop account id -> server id
    link: dict[str, Any] = field(default_factory=dict)

    def account(self, server_account_id: str) -> DemoAccount:
        key = next(k for k, v in self.account_ids.items() if v == server_account_id)
        return next(a for a in ACCOUNTS if a.key == key)


def _check(answer: httpx.Response, what: str) -> Any:
    if answer.status_code >= 300:
        raise RuntimeError(f"the team server refused to {what}: {answer.text[:300]}")
    return answer.json()


async def login(http: httpx.AsyncClient, login_name: str, password: str) -> dict[str, Any]:
    answer = await http.post("/v1/auth/login", json={"login": login_name, "password": password})
    result: dict[str, Any] = _check(answer, f"sign {login_name} in")
    return result


async def set_up_team(url: str, admin_password: str) -> DemoTeam:
    people = (YOU, *COLLEAGUES)
    team = DemoTeam(url, admin_password, {p.login: secrets.token_urlsafe(12) for p in people})
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        token = (await login(http, "admin", admin_password))["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        for person in people:
            body = {"login": person.login, "name": person.name, "role": person.role,
                    "password": team.passwords[person.login], "team": TEAM,
                    "capacity": person.capacity, "languages": list(person.languages)}  # fmt: skip
            created = _check(await http.post("/v1/agents", json=body), f"add {person.login}")
            team.agent_ids[person.login] = created["id"]
        for account in ACCOUNTS:
            body = {"platform": account.server_platform, "handle": account.handle,
                    "name": account.name, "shared": account.shared, "team": TEAM,
                    "members": [team.agent_ids[m] for m in account.members]}  # fmt: skip
            created = _check(await http.post("/v1/accounts", json=body), f"add {account.name}")
            team.account_ids[account.key] = created["id"]
        rules = _check(await http.get("/v1/rules"), "read the rules")
        rules["default_reply_timeout_s"] = REPLY_TIMEOUT_S
        rules["reply_timeout_s"] = {k: REPLY_TIMEOUT_S for k in rules.get("reply_timeout_s", {})}
        _check(await http.put("/v1/rules", json=rules), "change the rules")
        link = {"slug": LINK_SLUG, "message": LINK_MESSAGE, "team": TEAM,
                "targets": [{"account_id": team.account_ids[a.key], "weight": 1.0}
                            for a in ACCOUNTS]}  # fmt: skip
        team.link = _check(await http.post("/v1/links", json=link), "make the split link")
    return team
