"""The supervisor board fed by the real team server on loopback: the team's agents with status and
load, the queue and its oldest wait, warnings (a collision), today's intake, the forecast, split
links (a supervisor's own team's) and the rules editor with the server's validation message."""

from __future__ import annotations

import asyncio
import json
import time
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtGui import QFontMetrics

from relaydesk.desktop.i18n import Translators
from relaydesk.desktop.supervisor_board import SupervisorBoard
from relaydesk.sync.client import MemoryTokenStore, TeamClient
from relaydesk.sync.supervisor import SupervisorApi, board_warnings

pytestmark = pytest.mark.qt


def _column(table: Any, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _busy_team(url: str, helpers: ModuleType) -> Any:
    """Ana online on the shared account holds 3 of 3; a fourth customer waits; Ben replies in
    one of Ana's chats (a collision)."""
    team = helpers.make_team(url)
    shop = team.ids["shop"]
    now = time.time()
    ana, ben = team.http("ana"), team.http("ben")
    try:
        assert ana.post("/v1/heartbeat", json={"status": "online", "open_accounts": [shop]})
        events = [{"id": f"m{i}", "type": "customer_message", "account_id": shop,
                   "contact": {"handle": f"+4470000000{i}"}, "ts": now - 20 + i, "text": "hi"}
                  for i in range(4)]  # fmt: skip
        assert ana.post("/v1/events", json={"events": events}).json()["accepted"] == 4
        contact = {"handle": "+44700000000"}
        reply = {"id": "r1", "type": "agent_reply", "account_id": shop, "contact": contact,
                 "ts": now - 5, "text": "I can help"}  # fmt: skip
        assert ben.post("/v1/events", json={"events": [reply]}).status_code == 200
    finally:
        ana.close()
        ben.close()
    return team


def test_the_board_shows_the_supervisors_team_and_manages_its_links(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType, home: Any
) -> None:
    team = _busy_team(server.url, team_helpers)
    client = TeamClient(server.url, MemoryTokenStore())
    board = SupervisorBoard(SupervisorApi(client))
    qtbot.addWidget(board)

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        await board.refresh()
        assert _column(board.agents, 0) == ["Ana", "Ben", "Sue"]  # never team b's Zoe
        assert _column(board.agents, 1)[0] == "online"
        assert _column(board.agents, 2) == ["3", "0", "0"]
        assert _column(board.agents, 3)[0] == "3"
        assert board.headline.text().startswith("Waiting: 1, oldest wait ")
        warnings = [board.warnings.item(i).text() for i in range(board.warnings.count())]
        assert "Ben: 1 collision today" in warnings and "Ana: 1 collision today" in warnings
        intake = [[board.intake.item(r, c).text() for c in range(4)]
                  for r in range(board.intake.rowCount())]  # fmt: skip
        # By name, as people know them (never the server's ids).
        assert ["Agent", "Ana", "3", "0"] in intake  # three were routed to ana
        assert ["Account", "Shop", "4", "0"] in intake
        assert not {team.ids["ana"], team.ids["shop"]} & {row[1] for row in intake}
        assert board.forecast.rowCount() == 24
        for table in (board.agents, board.intake, board.forecast):  # headers whole, not elided
            metrics = QFontMetrics(table.horizontalHeader().font())
            for c in range(table.columnCount()):
                title = table.horizontalHeaderItem(c).text()
                assert table.columnWidth(c) > metrics.horizontalAdvance(title), title
        rules = json.loads(board.rules.toPlainText())
        assert rules["policy"]  # a supervisor reads the rules ...
        board.rules.setPlainText(json.dumps({**rules, "default_reply_timeout_s": 30}))
        await board.save_rules()  # ... but only an admin changes them
        assert "Only an admin" in board.rules_message.text()

        body = {"slug": "spring", "targets": [{"account_id": team.ids["shop"], "weight": 2}]}
        board.link_editor.setPlainText(json.dumps(body))
        await board.save_link()
        assert board.link_message.text().startswith("Saved spring (code ")
        bad = {**body, "slug": "bad", "targets": [{"account_id": "nope"}]}
        board.link_editor.setPlainText(json.dumps(bad))
        await board.save_link()
        assert board.link_message.text() == "targets[0].account_id: No such account: nope."
        await board.refresh()
        assert _column(board.links_table, 0) == ["spring"]
        assert _column(board.links_table, 2) == ["Shop ×2"]  # the account's name, not its id
        # Ana's replies seen from later than their deadlines: each lapsed one names its customer.
        held = await board.api.open_conversations()
        deadline = max(c.reply_deadline or 0 for c in held)
        assert board.summary is not None and deadline > 0
        later = deadline + 70
        lapsed = [w for w in board_warnings(board.summary, held, [], {}, later)
                  if w.kind == "lapsed_reply"]  # fmt: skip
        assert len(lapsed) == 3 and {w.agent for w in lapsed} == {"Ana"}
        await board._name_lapsed(held, later)
        latest = next(w for w in lapsed if w.late_s == pytest.approx(70))
        customer = board.contact_names[latest.contact_id]
        assert customer.startswith("+4470000000")  # the contact's handle (it has no name)
        assert (
            board.warning_text(latest)
            == f"Ana: no reply to {customer}, 1 min 10 s past the deadline"
        )
        # Worded on the desktop from the warnings' values: a Chinese UI reads them in Chinese.
        translators = Translators(home.cache)
        try:
            assert translators.apply("zh_CN", at_start=True)
            await board.refresh()
            chinese = [board.warnings.item(i).text() for i in range(board.warnings.count())]
            zh_lapsed = board.warning_text(latest)
        finally:
            translators.apply("en")
        assert "Ben：今天 1 次撞单" in chinese and "Ana：今天 1 次撞单" in chinese
        assert not [line for line in chinese if "collision" in line]
        assert zh_lapsed == f"Ana：{customer} 未回复，已超过回复时限 1 分 10 秒"
        await client.aclose()

    loop.run_until_complete(scenario())


def test_the_rules_editor_shows_the_field_the_server_refused(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team_helpers.make_team(server.url)
    client = TeamClient(server.url, MemoryTokenStore())
    board = SupervisorBoard(SupervisorApi(client), refresh_ms=50)
    qtbot.addWidget(board)
    refreshed: list[int] = []
    board.refreshed.connect(lambda: refreshed.append(1))

    async def scenario() -> None:
        await client.login("admin", team_helpers.ADMIN_PASSWORD)
        board.start()  # the background refresh: the loop stays free meanwhile
        for _ in range(400):
            if len(refreshed) >= 2:
                break
            await asyncio.sleep(0.025)
        board.stop()
        assert len(refreshed) >= 2
        rules = json.loads(board.rules.toPlainText())
        board.rules.setPlainText(json.dumps({**rules, "max_auto_handoffs": -1}))
        await board.save_rules()
        assert board.rules_message.text().startswith("max_auto_handoffs")
        board.rules.setPlainText("{not json")
        await board.save_rules()
        assert board.rules_message.text().startswith("Not JSON")
        board.rules.setPlainText(json.dumps({**rules, "max_auto_handoffs": 1}))
        await board.save_rules()
        assert board.rules_message.text().startswith("Saved")
        assert json.loads(board.rules.toPlainText())["max_auto_handoffs"] == 1
        await client.aclose()

    loop.run_until_complete(scenario())
