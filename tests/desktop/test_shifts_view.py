"""Shifts on the desktop against the real team server on loopback: the board's "Shifts" tab
(who is on now and next, refreshed in the background) and the agent's shift-end notice with a
visible keep choice per conversation, pushed by the server and answered through it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtWidgets import QScrollArea

from relaydesk.desktop.secrets import SecretStore
from relaydesk.desktop.shift_notice import ShiftNoticeDialog, shift_notice_text
from relaydesk.desktop.supervisor_board import SupervisorBoard
from relaydesk.desktop.team import TeamMode
from relaydesk.desktop.team_signin import KeyringTokenStore
from relaydesk.sync.client import MemoryTokenStore, TeamClient
from relaydesk.sync.shifts import ShiftsApi, notice_from
from relaydesk.sync.supervisor import SupervisorApi

pytestmark = pytest.mark.qt


async def until(condition: Callable[[], Any], what: str, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _schedule(start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "timezone": "UTC",
        "intervals": [
            {"day": start.isoweekday(), "start": start.strftime("%H:%M:%S"),
             "end": end.strftime("%H:%M:%S")}
        ],
    }  # fmt: skip


def _rows(table: Any) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_board_shows_who_is_on_shift_now_and_next(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team = team_helpers.make_team(server.url)
    now = datetime.now(UTC)
    with team.http("admin") as admin:
        later = _schedule(now + timedelta(hours=5), now + timedelta(hours=6))
        assert admin.put(f"/v1/agents/{team.ids['ana']}/shifts", json=later).status_code == 200
    client = TeamClient(server.url, MemoryTokenStore())
    board = SupervisorBoard(SupervisorApi(client), refresh_ms=60_000)
    qtbot.addWidget(board)
    titles = [board.tabs.tabText(i) for i in range(board.tabs.count())]
    assert "Shifts" in titles
    refreshed: list[int] = []
    board.shifts.refreshed.connect(lambda: refreshed.append(1))

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        board.start()  # the tab reads in the background with the rest of the board
        await until(lambda: refreshed, "the shifts tab's first read")
        board.stop()
        rows = _rows(board.shifts.table)
        assert [r[:3] for r in rows] == [
            ["a", "Ben", "on now"], ["a", "Sue", "on now"], ["a", "Ana", "next"]
        ]  # fmt: skip
        assert rows[0][3] == "no schedule (always on)"
        starts = (now + timedelta(hours=5)).astimezone()  # shown in the workstation's zone
        assert starts.strftime("%H:%M") in rows[2][3]
        assert board.shifts.message.text() == "On shift now: 2"
        await client.aclose()

    loop.run_until_complete(scenario())


def test_the_shift_end_notice_lists_the_chats_and_keeps_the_one_ticked(
    qtbot: Any, make_window: Any, server: Any, loop: Any, team_helpers: ModuleType
) -> None:
    team = team_helpers.make_team(server.url)
    shop = team.ids["shop"]
    window = make_window()
    tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
    mode = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.5)

    def notice_now() -> None:
        """A schedule ending in five minutes, with a ten-minute notice: the notice is due now."""
        with team.http("admin") as admin:
            rules = admin.get("/v1/rules").json()
            assert admin.put("/v1/rules", json={**rules, "shift_notice_s": 600}).status_code == 200
            start = datetime.now(UTC) - timedelta(hours=1)
            week = _schedule(start, datetime.now(UTC) + timedelta(minutes=5))
            answer = admin.put(f"/v1/agents/{team.ids['ana']}/shifts", json=week)
            assert answer.status_code == 200, answer.text

    async def scenario() -> None:
        await mode.start()
        client = TeamClient(server.url, tokens)
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await mode.begin(client)
        await until(lambda: mode.status.text() == "Team: online", "online")
        with team.http("ana") as ana:
            ana.post("/v1/heartbeat", json={"status": "online", "open_accounts": [shop]})
            events = [{"id": f"m{i}", "type": "customer_message", "account_id": shop,
                       "contact": {"handle": handle}, "ts": time.time() + i, "text": "hi"}
                      for i, handle in enumerate(("+4471", "+4472"))]  # fmt: skip
            assert ana.post("/v1/events", json={"events": events}).json()["accepted"] == 2
        notice_now()
        await until(lambda: isinstance(mode.shift_notice, ShiftNoticeDialog), "the notice")
        dialog = mode.shift_notice
        assert dialog.isVisible()
        # The note bar says it from the push's values, not the server's English sentence.
        told = [t for t in mode.told if "shift ends" in t]
        assert told and told[-1].startswith("Your shift ends at ") and "(UTC)" not in told[-1]
        assert "2 of your 2 open conversations" in told[-1]
        boxes = {box.text(): box for box in dialog.boxes.values()}
        assert set(boxes) == {"Keep +4471", "Keep +4472"}
        assert not any(box.isChecked() for box in boxes.values())
        answers: list[tuple[str, bool]] = []
        dialog.answered.connect(lambda cid, kept: answers.append((cid, kept)))
        boxes["Keep +4472"].setChecked(True)  # as a click would
        await until(lambda: answers, "the server's answer")
        assert answers[0][1] is True and boxes["Keep +4472"].isChecked()
        assert dialog.status.text() == "Kept: stays with you after your shift."
        # The server has it: the next notice lists it as kept.
        notice_now()
        await until(lambda: mode.shift_notice is not dialog, "the second notice")
        again = {b.text(): b.isChecked() for b in mode.shift_notice.boxes.values()}
        assert again == {"Keep +4471": False, "Keep +4472": True}

    async def run() -> None:
        try:
            await scenario()
        finally:
            await mode.close()

    loop.run_until_complete(run())


def test_the_notice_says_the_end_and_what_moves_in_the_ui_language(qtbot: Any, loop: Any) -> None:
    """Built from the push's values on the workstation's clock, not from its English sentence."""
    evening = datetime.now().astimezone().replace(hour=23, minute=55, second=0, microsecond=0)
    end = evening + timedelta(minutes=10)  # past the local midnight
    push = {
        "kind": "shift_ending", "shift_end": end.timestamp(), "timezone": "Asia/Kolkata",
        "message": "your shift ends at Tue 04:35 (Asia/Kolkata): 1 of your 2 open ...",
        "conversations": [
            {"conversation_id": "c1", "contact_handle": "+4471", "label": "", "kept": False},
            {"conversation_id": "c2", "contact_handle": "+4472", "label": "VIP", "kept": True},
        ],
    }  # fmt: skip
    said = shift_notice_text(push, now=evening.timestamp())
    assert said == (
        f"Your shift ends at {end:%H:%M} tomorrow: 1 of your 2 open conversations go to a "
        "colleague then, unless you keep them."
    )
    assert shift_notice_text({**push, "kind": "overload"}) is None
    notice = notice_from(push)
    assert notice is not None
    client = TeamClient("http://127.0.0.1:9", MemoryTokenStore())
    dialog = ShiftNoticeDialog(notice, ShiftsApi(client), evening.timestamp())
    qtbot.addWidget(dialog)
    heading = dialog.layout().itemAt(0).widget().text()
    assert heading.startswith(f"Your shift ends at {end:%H:%M} tomorrow.")
    assert {b.text(): b.isChecked() for b in dialog.boxes.values()} == {
        "Keep +4471": False,
        "Keep +4472 (VIP)": True,
    }
    loop.run_until_complete(client.aclose())


def test_a_long_notice_scrolls_inside_a_dialog_that_fits_the_screen(qtbot: Any, loop: Any) -> None:
    """Forty conversations to hand over: the boxes scroll, the sentence and Close stay in view."""
    items = [{"conversation_id": f"c{i}", "contact_handle": f"+44{i:04d}", "label": "",
              "kept": False} for i in range(40)]  # fmt: skip
    now = time.time()
    notice = notice_from({"kind": "shift_ending", "shift_end": now + 600, "conversations": items})
    assert notice is not None
    client = TeamClient("http://127.0.0.1:9", MemoryTokenStore())
    dialog = ShiftNoticeDialog(notice, ShiftsApi(client), now)
    qtbot.addWidget(dialog)
    dialog.show()
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() < screen.height()
    scroll = dialog.findChild(QScrollArea, "shiftNoticeItems")
    assert scroll is not None and scroll.verticalScrollBar().maximum() > 0
    last = dialog.boxes["c39"]
    assert last.visibleRegion().isEmpty()  # below the fold until scrolled to
    scroll.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: not last.visibleRegion().isEmpty())
    loop.run_until_complete(client.aclose())
