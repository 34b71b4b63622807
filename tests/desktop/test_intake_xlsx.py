"""The personal intake counter's export as XLSX: the same rows as its CSV, typed (read back)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.qt


def test_the_intake_export_writes_a_workbook_for_an_xlsx_name(qtbot, loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.intake_panel import IntakeController, IntakeDashboardPanel
    from relaydesk.store.async_store import AsyncStore
    from relaydesk.store.intake import DayClock, DedupScope
    from relaydesk.store.repository import Store

    panel = IntakeDashboardPanel()
    qtbot.addWidget(panel)
    now = datetime(2026, 11, 23, 11, tzinfo=UTC)

    async def scenario() -> None:
        store = await AsyncStore.open(tmp_path / "store.db")
        try:
            await store.call(Store.ensure_account, "wa1", "whatsapp")
            for n in range(3):
                moment = datetime(2026, 11, 23, 9, n, tzinfo=UTC)
                await store.call(Store.record_message, "wa1", f"c{n}", f"m{n}", "in", "hi", moment)
            controller = IntakeController(
                panel, store, DayClock(), DedupScope.MY_ACCOUNTS, 400, now=lambda: now
            )
            out = tmp_path / "intake.xlsx"
            rows = await controller.export_csv(date(2026, 11, 1), date(2026, 11, 30), out)
            assert rows == 1
            sheet = openpyxl.load_workbook(out)["Intake"]
            assert [c.value for c in sheet[1]] == ["Day", "Hour", "Account", "New", "Returning"]
            assert [c.value for c in sheet[2]] == [datetime(2026, 11, 23), "09:00", "wa1", 3, 0]
            assert sheet.freeze_panes == "A2"
        finally:
            await store.close()

    loop.run_until_complete(scenario())
