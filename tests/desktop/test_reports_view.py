"""The board's Reports tab on the real team server: intake (grouped as chosen), service and the
split links side by side as tables with charts, a period picker, and export of what is shown
to CSV and XLSX (read back with openpyxl), a failure told in a sentence."""

from __future__ import annotations

import asyncio
import csv
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import openpyxl
import pytest
from PySide6.QtCharts import QCategoryAxis
from PySide6.QtCore import Qt

from relaydesk.desktop.reports_view import ReportPage, ReportsView
from relaydesk.desktop.supervisor_board import SupervisorBoard
from relaydesk.sync.client import MemoryTokenStore, TeamClient
from relaydesk.sync.reports import Period, intake_table
from relaydesk.sync.supervisor import SupervisorApi

pytestmark = pytest.mark.qt


def _rows(page: Any) -> list[list[str]]:
    table = page.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]  # fmt: skip


def _headers(page: Any) -> list[str]:
    table = page.table
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def _link_traffic(url: str, helpers: ModuleType) -> Any:
    """Sue's link "spring" to the shop: three visitors, two write with the code (one lowercase),
    one without; Ana answers one of them."""
    team = helpers.make_team(url)
    shop = team.ids["shop"]
    sue, ana = team.http("sue"), team.http("ana")
    try:
        link = sue.post("/v1/links", json={"slug": "spring", "targets": [{"account_id": shop}]})
        assert link.status_code == 201, link.text
        code = link.json()["code"]
        assert ana.post("/v1/heartbeat", json={"status": "online", "open_accounts": [shop]})
        for _ in range(3):
            with httpx.Client(base_url=url) as phone:
                assert phone.get("/r/spring", follow_redirects=False).status_code == 302
        now = time.time() - 30
        events = [
            {
                "id": f"m{i}",
                "type": "customer_message",
                "account_id": shop,
                "contact": {"handle": f"+4470000000{i}"},
                "ts": now + i,
                "text": text,
            }
            for i, text in enumerate((f"Hi #{code}", f"hola #{code.lower()}", "Hello"))
        ]
        events.append(
            {
                "id": "r1",
                "type": "agent_reply",
                "account_id": shop,
                "contact": {"handle": "+44700000000"},
                "ts": now + 10,
                "text": "Hi!",
            }
        )
        assert ana.post("/v1/events", json={"events": events}).json()["accepted"] == 4
    finally:
        sue.close()
        ana.close()
    return team


def test_reports_show_intake_service_and_links_and_export_what_is_shown(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType, tmp_path: Path
) -> None:
    _link_traffic(server.url, team_helpers)
    client = TeamClient(server.url, MemoryTokenStore())
    view = ReportsView(SupervisorApi(client))
    qtbot.addWidget(view)

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        # Clicks are written in batches every half second.
        for _ in range(40):
            await view.refresh()
            links = _rows(view.pages["links"])
            if links and links[0][2] == "3":
                break
            await asyncio.sleep(0.1)
        assert view.preset.currentText() == "Last 7 days"
        links_page = view.pages["links"]
        headers = _headers(links_page)
        [spring] = _rows(links_page)
        row = dict(zip(headers, spring, strict=True))
        assert (row["Link"], row["Clicks"], row["Unique visitors"]) == ("spring", "3", "3")
        assert (row["Intakes"], row["First reply given"], row["Closed"]) == ("2", "1", "0")
        assert row["Reply rate"] == "50.0 %" and row["Intakes per visitor"] == "66.7 %"
        assert len(links_page.chart.series()) == 1  # one grouped bar series, five sets
        assert len(links_page.chart.series()[0].barSets()) == 5
        intake = _rows(view.pages["intake"])
        assert len(intake) == 7  # every day of the period, the quiet ones as 0
        chart = view.pages[
            "intake"
        ].chart  # "11-25" under the bars (whole in a dock), the year above
        assert chart.axes(Qt.Orientation.Horizontal)[0].categories() == [r[0][5:] for r in intake]
        assert chart.title() == f"Intake: {intake[0][0]} – {intake[-1][0]}"
        assert [r[1:] for r in intake if r[3] != "0"] == [["3", "0", "3"]]  # today: 3 new
        service = {r[0]: r for r in _rows(view.pages["service"])}
        assert set(service) == {"Ana", "Ben", "Sue"}  # by name, as the intake by agent
        assert service["Ana"][1] == "3"  # all three were routed to her

        view.group_by.setCurrentIndex(view.group_by.findData("source"))
        await view.refresh()
        assert {r[0]: r[1] for r in _rows(view.pages["intake"])} == {"link": "2", "organic": "1"}
        assert _headers(view.pages["intake"])[0] == "Source"

        workbook = tmp_path / "reports.xlsx"
        said = await view.export_to(workbook)
        assert said == f"Exported 3 reports to {workbook}."
        book = openpyxl.load_workbook(workbook)
        assert [n for n in book.sheetnames if not n.endswith("chart")] == [
            "Intake", "Service", "Links",
        ]  # fmt: skip
        sheet = book["Links"]
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[2]][:4] == ["spring", spring[1], 3, 3]  # numbers

        view.tabs.setCurrentWidget(links_page)
        table = tmp_path / "links.csv"
        assert await view.export_to(table) == f"Exported 1 row to {table}."
        with table.open(encoding="utf-8-sig", newline="") as stream:
            assert list(csv.reader(stream))[1][:4] == ["spring", spring[1], "3", "3"]

        failed = await view.export_to(tmp_path / "missing" / "links.csv")
        assert failed.startswith("Export failed: The folder ") and "does not exist" in failed
        assert view.message.text() == failed
        await client.aclose()

    loop.run_until_complete(scenario())


def test_the_save_dialog_does_not_block_and_the_board_has_the_tab(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team_helpers.make_team(server.url)
    client = TeamClient(server.url, MemoryTokenStore())
    board = SupervisorBoard(SupervisorApi(client))
    qtbot.addWidget(board)
    titles = [board.tabs.tabText(i) for i in range(board.tabs.count())]
    assert "Reports" in titles
    view = board.reports
    dialog = view.ask_file("xlsx")
    try:
        assert dialog.isVisible() and not dialog.isModal()
        assert dialog.selectedFiles()[0].endswith(".xlsx")

        async def meanwhile() -> None:  # the board keeps working while the dialog is open
            await client.login("sue", team_helpers.AGENT_PASSWORD)
            await view.refresh()

        loop.run_until_complete(meanwhile())
        assert view.pages["service"].table.rowCount() == 3
    finally:
        dialog.reject()
    loop.run_until_complete(client.aclose())


class _HeldApi(SupervisorApi):
    """The real API, with the first read held until the test lets it go."""

    def __init__(self, client: TeamClient) -> None:
        super().__init__(client)
        self.release = asyncio.Event()
        self.asked: list[Any] = []

    async def report(self, name: str, **query: Any) -> dict[str, Any]:
        self.asked.append(query.get("group_by"))
        await self.release.wait()
        return await super().report(name, **query)


def test_a_change_of_grouping_during_a_read_is_read_after_it(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team_helpers.make_team(server.url)
    client = TeamClient(server.url, MemoryTokenStore())
    api = _HeldApi(client)
    view = ReportsView(api)
    qtbot.addWidget(view)

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        view.show()  # the first read starts, by day, and waits
        for _ in range(100):
            if api.asked:
                break
            await asyncio.sleep(0.01)
        assert "day" in api.asked
        view.group_by.setCurrentIndex(view.group_by.findData("agent"))  # meanwhile
        api.release.set()
        for _ in range(400):
            if view.reports is not None and view.reports.group_by == "agent":
                break
            await asyncio.sleep(0.025)
        assert view.reports is not None and view.reports.group_by == "agent"
        assert _headers(view.pages["intake"])[0] == "Agent"
        await client.aclose()

    loop.run_until_complete(scenario())


def test_intake_of_nobody_yet_is_said_in_words_and_exported_so(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType, tmp_path: Path
) -> None:
    """Nobody online: the customer waits for an agent. By agent, the row is "(nobody yet)",
    not the server's key "none", on screen, in the chart and in the file."""
    team = team_helpers.make_team(server.url)
    message = {"id": "w1", "type": "customer_message", "account_id": team.ids["shop"],
               "contact": {"handle": "+447000000099"}, "ts": time.time() - 5,
               "text": "Hello?"}  # fmt: skip
    with team.http("ana") as ana:
        assert ana.post("/v1/events", json={"events": [message]}).json()["accepted"] == 1
    client = TeamClient(server.url, MemoryTokenStore())
    view = ReportsView(SupervisorApi(client))
    qtbot.addWidget(view)

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        view.group_by.setCurrentIndex(view.group_by.findData("agent"))
        await view.refresh()
        assert _rows(view.pages["intake"]) == [["(nobody yet)", "1", "0", "1"]]
        axis = view.pages["intake"].chart.axes(Qt.Orientation.Horizontal)[0]
        assert axis.categories() == ["(nobody yet)"]
        view.tabs.setCurrentWidget(view.pages["intake"])
        table = tmp_path / "intake.csv"
        assert await view.export_to(table) == f"Exported 1 row to {table}."
        with table.open(encoding="utf-8-sig", newline="") as stream:
            assert list(csv.reader(stream))[1] == ["(nobody yet)", "1", "0", "1"]
        await client.aclose()

    loop.run_until_complete(scenario())


def test_a_long_run_of_hours_or_days_is_labelled_every_few(qtbot: Any) -> None:
    """48 hourly bars are too many for a label each: every sixth hour is labelled, each midnight
    by its day, and the title gives the range; a month by day is labelled every few days."""
    start = datetime(2026, 3, 9, tzinfo=UTC).timestamp()
    page = ReportPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    hours = intake_table({"rows": [{"key": "2026-03-10T10:00", "new": 4, "returning": 1}]},
                         "hour", period=Period(start, start + 2 * 86400))  # fmt: skip
    page.show_table(hours)
    [ticks] = [a for a in page.chart.axes() if isinstance(a, QCategoryAxis)]
    labels = [label.replace("\u200b", "") for label in ticks.categoriesLabels()]
    assert labels == ["03-09", "06:00", "12:00", "18:00", "03-10", "06:00", "12:00", "18:00"]
    assert page.chart.title() == "Intake: 2026-03-09 00:00 – 2026-03-10 23:00"
    legend = page.chart.legend()  # the labels' axis is drawn with an empty series, not listed
    qtbot.waitUntil(lambda: [m.isVisible() for m in legend.markers()] == [True, True, False])
    days = intake_table({"rows": []}, "day", period=Period(start, start + 30 * 86400))
    page.show_table(days)
    [ticks] = [a for a in page.chart.axes() if isinstance(a, QCategoryAxis)]
    assert ticks.categoriesLabels()[:3] == ["03-09", "03-13", "03-17"]
