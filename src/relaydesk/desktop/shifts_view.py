"""The supervisor board's "Shifts" tab: per team, who is on shift now (until when) and who comes
on next (from when), read from the team server in the background.

The figures come from ``relaydesk.sync.shifts`` (``GET /v1/shifts``); this widget only shows
them, in the workstation's local time. A refused or failed read shows its sentence instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from relaydesk.desktop.periodic import PeriodicRead
from relaydesk.desktop.table_columns import fit_columns
from relaydesk.sync.errors import SyncError
from relaydesk.sync.shifts import ShiftBoard, ShiftMember, ShiftsApi

REFRESH_MS = 30_000

# lupdate finds texts written as translate("Context", "literal").
translate = QCoreApplication.translate


def weekday(index: int) -> str:
    """The short name of a weekday (0 Monday) in the UI language, not the C locale's."""
    return (translate("ShiftsView", "Mon"), translate("ShiftsView", "Tue"),
            translate("ShiftsView", "Wed"), translate("ShiftsView", "Thu"),
            translate("ShiftsView", "Fri"), translate("ShiftsView", "Sat"),
            translate("ShiftsView", "Sun"))[index]  # fmt: skip


def local_time(at: float | None, now: float) -> str:
    """ "14:30" today, "Tue 09:00" within the week, else the date: in the workstation's zone."""
    if at is None:
        return ""
    when = datetime.fromtimestamp(at).astimezone()
    today = datetime.fromtimestamp(now).astimezone().date()
    if when.date() == today:
        return when.strftime("%H:%M")
    if 0 < (when.date() - today).days < 7:
        return f"{weekday(when.weekday())} {when.strftime('%H:%M')}"
    return when.strftime("%Y-%m-%d %H:%M")


class ShiftsView(PeriodicRead):
    """One table: team, agent, on now / next, until / from. ``refreshed`` after each read."""

    def __init__(self, api: Callable[[], ShiftsApi], parent: QWidget | None = None,
                 refresh_ms: int = REFRESH_MS) -> None:  # fmt: skip
        super().__init__(parent, refresh_ms)
        self.api = api  # called at each refresh: the board may sign in again meanwhile
        self.board: ShiftBoard | None = None
        self.error = ""
        self.message = QLabel(self)
        self.message.setObjectName("shiftsMessage")
        self.message.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setObjectName("shiftsTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)

    async def refresh(self) -> None:
        try:
            board = await self.api().board()
        except SyncError as error:
            self.error = str(error)
            self.message.setText(self.error)
        else:
            self.error = ""
            self.show_board(board)
        self.refreshed.emit()

    def show_board(self, board: ShiftBoard) -> None:
        self.board = board
        headers = [self.tr("Team"), self.tr("Agent"), self.tr("Shift"), self.tr("Until / from")]
        rows: list[list[str]] = []
        for team in board.teams:
            name = team.team or self.tr("(no team)")
            rows += [[name, m.name, self.tr("on now"), self._until(m, board.at)]
                     for m in team.on_now]  # fmt: skip
            rows += [[name, m.name, self.tr("next"), local_time(m.next_shift_start, board.at)]
                     for m in team.next]  # fmt: skip
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        fit_columns(self.table)  # headers and names whole, not elided or wrapped
        if not rows:
            self.message.setText(self.tr("Nobody in your teams has a shift now or next."))
            return
        on_now = sum(len(t.on_now) for t in board.teams)
        self.message.setText(self.tr("On shift now: %1").replace("%1", str(on_now)))

    def _until(self, member: ShiftMember, now: float) -> str:
        if not member.scheduled:
            return self.tr("no schedule (always on)")
        return local_time(member.shift_end, now) or self.tr("all week")
