"""The day's workload on the desktop, fed by the real team server on loopback: an agent's "My day"
(intake, replies, first reply and active load against the usual) and the supervisor board's
"Workload" tab with the agent far above the team's average highlighted."""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any

import pytest

from relaydesk.desktop.supervisor_board import SupervisorBoard
from relaydesk.desktop.workload_view import HEAVY_BACKGROUND, MyDayView, WorkloadTab
from relaydesk.sync.client import MemoryTokenStore, TeamClient
from relaydesk.sync.supervisor import SupervisorApi
from relaydesk.sync.workload import WorkloadApi

pytestmark = pytest.mark.qt


def _messages(prefix: str, shop: str, count: int, now: float) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i}", "type": "customer_message", "account_id": shop,
             "contact": {"handle": f"+44{ord(prefix)}{i:06d}"}, "ts": now + i,
             "text": "hi"} for i in range(count)]  # fmt: skip


def _beat(http: Any, shop: str, status: str) -> None:
    answer = http.post("/v1/heartbeat", json={"status": status, "open_accounts": [shop]})
    assert answer.status_code == 200, answer.text


def test_my_day_shows_the_agents_figures_and_hides_when_signed_out(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team = team_helpers.make_team(server.url)
    shop, now = team.ids["shop"], time.time()
    with team.http("ana") as ana:
        _beat(ana, shop, "online")
        assert (
            ana.post("/v1/events", json={"events": _messages("a", shop, 2, now)}).status_code == 200
        )
        first = _messages("a", shop, 1, now)[0]["contact"]
        reply = {"id": "r1", "type": "agent_reply", "account_id": shop, "contact": first,
                 "ts": now + 5, "text": "hello"}  # fmt: skip
        assert ana.post("/v1/events", json={"events": [reply]}).status_code == 200
    client = TeamClient(server.url, MemoryTokenStore())
    signed_in = {"yes": True}
    view = MyDayView(lambda: WorkloadApi(client) if signed_in["yes"] else None)
    qtbot.addWidget(view)

    async def scenario() -> None:
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await view.refresh()
        assert view.error == ""
        assert not view.isHidden()
        assert view.intake.text() == "2 (no usual yet)"
        assert view.replies.text() == "1 (no usual yet)"
        assert view.first_reply.text().endswith(" s (no usual yet)")
        assert view.load.text() == "2 of 3 (no usual yet)"
        assert view.note.isHidden()
        signed_in["yes"] = False
        await view.refresh()
        assert view.isHidden()
        await client.aclose()

    loop.run_until_complete(scenario())


def test_the_board_tab_highlights_the_agent_far_above_the_team(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team = team_helpers.make_team(server.url)
    shop, now = team.ids["shop"], time.time()
    with team.http("admin") as admin:
        for login in ("ana", "ben"):
            answer = admin.patch(f"/v1/agents/{team.ids[login]}", json={"capacity": 100})
            assert answer.status_code == 200, answer.text
    with team.http("ana") as ana, team.http("ben") as ben:
        _beat(ana, shop, "online")  # Ana alone: 50 conversations
        assert (
            ana.post("/v1/events", json={"events": _messages("a", shop, 50, now)}).status_code
            == 200
        )
        _beat(ana, shop, "away")
        _beat(ben, shop, "online")  # then Ben alone: 5
        assert (
            ben.post("/v1/events", json={"events": _messages("b", shop, 5, now)}).status_code == 200
        )
    client = TeamClient(server.url, MemoryTokenStore())
    board = SupervisorBoard(SupervisorApi(client))
    qtbot.addWidget(board)
    tab = board.findChild(WorkloadTab)
    assert tab is not None
    titles = [board.tabs.tabText(i) for i in range(board.tabs.count())]
    assert "Workload" in titles

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        await tab.refresh()
        assert tab.error == ""
        rows = {tab.table.item(r, 0).text(): r for r in range(tab.table.rowCount())}
        assert set(rows) == {"⚠ Ana", "Ben", "Sue", "Team average"}  # never team b's Zoe
        ana, ben = rows["⚠ Ana"], rows["Ben"]
        assert tab.table.item(ana, 1).text() == "50" and tab.table.item(ben, 1).text() == "5"
        assert tab.table.item(rows["Team average"], 1).text() == "27.5"
        assert tab.table.item(ana, 1).background().color() == HEAVY_BACKGROUND
        assert tab.table.item(ben, 1).background().color() != HEAVY_BACKGROUND
        assert "50 conversations today" in tab.table.item(ana, 0).toolTip()
        assert tab.message.text() == "Far above the team's average today: Ana"
        # Four columns are called "usual", one "Load": their headers say of what, and what it is.
        tips = [tab.table.horizontalHeaderItem(c).toolTip() for c in range(tab.table.columnCount())]
        assert [t.split("usual ")[1].split(" for")[0] for t in tips[2:9:2]] == [
            "Given", "Replies", "First reply", "Active",
        ]  # fmt: skip
        assert "routing load" in tips[9]
        refreshed: list[int] = []
        tab.refreshed.connect(lambda: refreshed.append(1))
        board.warn("Ana: 50 conversations today against 5 on average for the team")
        for _ in range(200):  # the pushed warning reads the tab again, in the background
            if refreshed:
                break
            await asyncio.sleep(0.025)
        assert refreshed
        await client.aclose()
        # Ana's own "My day" tells her why new conversations go to colleagues first.
        ana_client = TeamClient(server.url, MemoryTokenStore())
        await ana_client.login("ana", team_helpers.AGENT_PASSWORD)
        my_day = MyDayView(lambda: WorkloadApi(ana_client))
        qtbot.addWidget(my_day)
        await my_day.refresh()
        assert my_day.intake.text() == "50 (no usual yet)"
        assert not my_day.note.isHidden() and "busier day" in my_day.note.text()
        await ana_client.aclose()

    loop.run_until_complete(scenario())


def test_team_mode_puts_my_day_on_top_of_the_intake_dock(
    qtbot: Any, make_window: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    from dataclasses import replace

    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.desktop.secrets import SecretStore
    from relaydesk.desktop.team import TeamMode
    from relaydesk.desktop.team_signin import KeyringTokenStore
    from relaydesk.store.async_store import AsyncStore

    team_ids = team_helpers.make_team(server.url)
    shop = team_ids.ids["shop"]
    window = make_window()
    window.apply_settings(replace(window.settings, team_server_url=server.url, team_login="ana"))
    store = loop.run_until_complete(AsyncStore.open_in(window.paths))
    services = ChatServices(window, store, debounce_ms=50)
    tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
    team = TeamMode(window, services, tokens=tokens, heartbeat_interval_s=0.5)
    my_day = services.intake_panel.findChild(MyDayView)
    assert my_day is not None
    assert services.intake_panel.layout().itemAt(0).widget() is my_day
    assert my_day.isHidden()  # not signed in: nothing about teams

    async def scenario() -> None:
        await services.start()
        await team.start()
        client = TeamClient(server.url, tokens)
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await team.begin(client)
        with team_ids.http("admin") as admin:
            for _ in range(200):
                agents = {a["login"]: a for a in admin.get("/v1/agents").json()}
                if agents["ana"]["status"] == "online":
                    break
                await asyncio.sleep(0.05)
        with team_ids.http("ana") as ana:
            events = _messages("c", shop, 3, time.time())
            assert ana.post("/v1/events", json={"events": events}).status_code == 200
        await my_day.refresh()
        assert not my_day.isHidden()
        assert my_day.intake.text() == "3 (no usual yet)"
        assert my_day.load.text() == "3 of 3 (no usual yet)"

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()
            await services.close()

    loop.run_until_complete(run())
