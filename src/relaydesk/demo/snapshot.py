"""What each part says happened, read at one moment at the end of a timed demo
(``relaydesk demo --duration S --report DIR``): the server's reports and conversations, the
sandbox pages' state and sent replies, and the simulated world's own tallies.

The figures are kept raw (``DIR/snapshot.json``, with the app's probe lines beside it in
``DIR/probe.jsonl``): the end-to-end test counts contacts, assignments and handoffs from each
source itself and checks they agree, so nothing here can make them agree by construction.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

import httpx

from relaydesk.demo.colleagues import Colleague
from relaydesk.demo.team_setup import ACCOUNTS, DemoTeam, login
from relaydesk.demo.traffic import Traffic


async def take_snapshot(team: DemoTeam, sandbox_url: str, colleagues: list[Colleague],
                        traffic: Traffic, app_pid: int) -> dict[str, Any]:  # fmt: skip
    async with httpx.AsyncClient(base_url=team.url, timeout=20) as server:
        token = (await login(server, "admin", team.admin_password))["token"]
        server.headers["Authorization"] = f"Bearer {token}"
        taken_at = time.time()
        period = {"from": 0, "to": taken_at + 1}
        rows = (await server.get("/v1/conversations", params={"limit": 1000})).json()
        details = [(await server.get(f"/v1/conversations/{r['id']}")).json() for r in rows]
        reports = {
            "intake_by_account": (await server.get(
                "/v1/reports/intake", params={**period, "group_by": "account"})).json(),
            "intake_by_link": (await server.get(
                "/v1/reports/intake", params={**period, "group_by": "link"})).json(),
            "service": (await server.get("/v1/reports/service", params=period)).json(),
        }  # fmt: skip
        links = (await server.get("/v1/links")).json()
    pages: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=sandbox_url, timeout=20) as sandbox:
        for account in ACCOUNTS:
            state = (await sandbox.get(f"/api/{account.page}/state")).json()
            sent = (await sandbox.get(f"/api/{account.page}/sent")).json()
            pages[account.page] = {"state": state, "sent": sent}
    return {
        "taken_at": taken_at,
        "app_pid": app_pid,
        "agents": team.agent_ids,
        "accounts": team.account_ids,
        "pages": {a.key: a.page for a in ACCOUNTS},
        "link": team.link,
        "server": {"conversations": details, "reports": reports, "links": links},
        "sandbox": pages,
        "colleagues": {c.person.login: asdict(c.tally) for c in colleagues},
        "traffic": asdict(traffic.tally),
    }
