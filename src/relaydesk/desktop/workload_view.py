"""The day's workload on the desktop: "My day" for an agent (on top of the intake dock) and the
supervisor board's "Workload" tab, both read from the team server in the background.

The figures come from ``relaydesk.sync.workload`` (``GET /v1/reports/workload``, days in the
workstation's time zone): today's intake (conversations given), replies, average first reply and
active load, each against the agent's usual for this weekday up to this time. On the board, an
agent whose day runs far above the team's (the server's heavy-day rule) is highlighted. Reads run
on the qasync loop, never blocking the UI thread; a refused or failed read shows its sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimeZone
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.periodic import PeriodicRead
from relaydesk.desktop.table_columns import fit_columns
from relaydesk.sync.errors import SyncError
from relaydesk.sync.workload import AgentDay, DayFigures, WorkloadApi, WorkloadReport

if TYPE_CHECKING:
    from relaydesk.desktop.team import TeamMode

REFRESH_MS = 60_000
# A heavy day's row: a warm background with dark text, readable in the light and dark themes.
HEAVY_BACKGROUND = QColor("#f8d3a6")
HEAVY_FOREGROUND = QColor("#202020")


# lupdate finds texts written as translate("Context", "literal").
translate = QCoreApplication.translate


def local_zone() -> str:
    """The workstation's IANA time zone, so that "today" is the agent's own day."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    return name if "/" in name or name == "UTC" else "UTC"


def count_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def duration_text(seconds: float | None) -> str:
    """ "45 s", "3 min 05 s", "1 h 02 min"; a dash when there is none."""
    if seconds is None:
        return "–"
    whole = round(seconds)
    if whole < 60:
        return translate("WorkloadView", "%1 s").replace("%1", str(whole))
    if whole < 3600:
        minutes = translate("WorkloadView", "%1 min %2 s").replace("%1", str(whole // 60))
        return minutes.replace("%2", f"{whole % 60:02d}")
    return (
        translate("WorkloadView", "%1 h %2 min")
        .replace("%1", str(whole // 3600))
        .replace("%2", f"{whole % 3600 // 60:02d}")
    )


def against_usual(today: str, usual: str, usual_days: int) -> str:
    """ "12 (usually 9)", or "12 (no usual yet)" before a past same weekday was worked."""
    if usual_days == 0:
        return translate("WorkloadView", "%1 (no usual yet)").replace("%1", today)
    return translate("WorkloadView", "%1 (usually %2)").replace("%1", today).replace("%2", usual)


def load_text(figures: DayFigures) -> str:
    if figures.slots_used is None:
        return "–"
    capacity = "?" if figures.capacity is None else str(figures.capacity)
    used = translate("WorkloadView", "%1 of %2").replace("%1", count_text(figures.slots_used))
    return used.replace("%2", capacity)


class _Refreshing(PeriodicRead):
    """A widget that reads the workload report now and then; ``refreshed`` after each read."""

    def __init__(self, api: Callable[[], WorkloadApi | None], parent: QWidget | None = None,
                 refresh_ms: int = REFRESH_MS) -> None:  # fmt: skip
        super().__init__(parent, refresh_ms)
        self.api = api  # asked at each read: the workstation may sign in or out meanwhile
        self.report: WorkloadReport | None = None
        self.error = ""

    async def refresh(self) -> None:
        api = self.api()
        if api is None:
            self.signed_out()
        else:
            try:
                report = await api.report(tz=local_zone())
            except SyncError as error:
                self.error = str(error)
                self.show_error(self.error)
            else:
                self.error = ""
                self.report = report
                self.show_report(report, api.my_id())
        self.refreshed.emit()

    def signed_out(self) -> None:
        """Not signed in to a team server."""

    def show_error(self, text: str) -> None:
        raise NotImplementedError

    def show_report(self, report: WorkloadReport, me: str | None) -> None:
        raise NotImplementedError


class MyDayView(_Refreshing):
    """The agent's own day: intake, replies, average first reply and active load vs usual.

    Hidden while the workstation is not signed in to a team server (working alone, nobody is
    told about teams).
    """

    def __init__(self, api: Callable[[], WorkloadApi | None], parent: QWidget | None = None,
                 refresh_ms: int = REFRESH_MS) -> None:  # fmt: skip
        super().__init__(api, parent, refresh_ms)
        self.setObjectName("myDay")
        self.title = QLabel(self.tr("My day"), self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.intake = QLabel(self)
        self.intake.setObjectName("myDayIntake")
        self.replies = QLabel(self)
        self.replies.setObjectName("myDayReplies")
        self.first_reply = QLabel(self)
        self.first_reply.setObjectName("myDayFirstReply")
        self.load = QLabel(self)
        self.load.setObjectName("myDayLoad")
        self.note = QLabel(self)
        self.note.setObjectName("myDayNote")
        self.note.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.title, 0, 0, 1, 2)
        for row, (name, value) in enumerate(
            ((self.tr("Conversations given"), self.intake), (self.tr("Replies"), self.replies),
             (self.tr("Average first reply"), self.first_reply),
             (self.tr("Active now"), self.load)), start=1):  # fmt: skip
            grid.addWidget(QLabel(name, self), row, 0)
            grid.addWidget(value, row, 1)
        grid.addWidget(self.note, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.note.hide()
        self.hide()

    def signed_out(self) -> None:
        self.report = None
        self.hide()

    def show_error(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()
        self.show()

    def show_report(self, report: WorkloadReport, me: str | None) -> None:
        mine = report.agent(me) if me else None
        if mine is None:  # an admin's workstation, say: no day of one's own
            self.hide()
            return
        today, usual, days = mine.today, mine.usual, mine.usual_days
        self.intake.setText(against_usual(count_text(today.intake), count_text(usual.intake), days))
        self.replies.setText(
            against_usual(count_text(today.replies), count_text(usual.replies), days)
        )
        self.first_reply.setText(against_usual(
            duration_text(today.first_reply_mean_s), duration_text(usual.first_reply_mean_s),
            days))  # fmt: skip
        self.load.setText(against_usual(load_text(today), count_text(usual.slots_used), days))
        if mine.heavy:
            self.note.setText(self.tr("A much busier day than your team's: new conversations "
                                      "go to colleagues with lighter days first."))  # fmt: skip
            self.note.show()
        else:
            self.note.hide()
        self.show()


class WorkloadTab(_Refreshing):
    """The board's per-agent table (and the team's average), heavy days highlighted."""

    COLUMNS = 10

    def __init__(self, api: Callable[[], WorkloadApi | None], parent: QWidget | None = None,
                 refresh_ms: int = REFRESH_MS) -> None:  # fmt: skip
        super().__init__(api, parent, refresh_ms)
        self.message = QLabel(self)
        self.message.setObjectName("workloadMessage")
        self.message.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setObjectName("workloadTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def show_report(self, report: WorkloadReport, me: str | None) -> None:
        headers = [self.tr("Agent"), self.tr("Given"), self.tr("usual"), self.tr("Replies"),
                   self.tr("usual"), self.tr("First reply"), self.tr("usual"),
                   self.tr("Active"), self.tr("usual"), self.tr("Load")]  # fmt: skip
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        for c in (2, 4, 6, 8):  # four columns called "usual": each says of what
            header = self.table.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(self.tr("The agent's usual %1 for this weekday up to this time")
                                  .replace("%1", headers[c - 1]))  # fmt: skip
        load = self.table.horizontalHeaderItem(9)
        if load is not None:  # a figure without a unit: say what it is
            load.setToolTip(self.tr("The routing load now: the agent's open conversations as "
                                    "the load model weighs them; load-aware routing gives new "
                                    "ones to the lowest load for its capacity first"))  # fmt: skip
        self.table.setRowCount(len(report.agents) + 1)
        for r, agent in enumerate(report.agents):
            self._row(r, agent.name, agent.today, agent.usual, agent.usual_days)
            if agent.heavy:
                self._highlight(r, agent, report)
        team = len(report.agents)
        self._row(team, self.tr("Team average"), report.team, DayFigures(), -1)
        bold = QFont(self.table.font())
        bold.setBold(True)
        for c in range(len(headers)):
            item = self.table.item(team, c)
            if item is not None:
                item.setFont(bold)
        heavy = [a.name for a in report.agents if a.heavy]
        if heavy:
            self.message.setText(self.tr("Far above the team's average today: %1").replace(
                "%1", ", ".join(heavy)))  # fmt: skip
        else:
            self.message.setText(self.tr("Nobody runs far above the team's average today."))
        fit_columns(self.table)

    def _row(self, r: int, name: str, today: DayFigures, usual: DayFigures, days: int) -> None:
        def usual_of(text: str) -> str:
            return "" if days <= 0 else text

        values = [name, count_text(today.intake), usual_of(count_text(usual.intake)),
                  count_text(today.replies), usual_of(count_text(usual.replies)),
                  duration_text(today.first_reply_mean_s),
                  usual_of(duration_text(usual.first_reply_mean_s)),
                  load_text(today) if days >= 0 else "", usual_of(count_text(usual.slots_used)),
                  "" if today.load is None else f"{today.load:.2f}"]  # fmt: skip
        for c, value in enumerate(values):
            self.table.setItem(r, c, QTableWidgetItem(value))

    def _highlight(self, r: int, agent: AgentDay, report: WorkloadReport) -> None:
        tip = self.tr("%1 conversations today: at least %2× the team's average and %3 above "
                      "it").replace("%1", count_text(agent.today.intake)).replace(
            "%2", f"{report.heavy_ratio:g}").replace("%3", f"{report.heavy_excess:g}")  # fmt: skip
        for c in range(self.table.columnCount()):
            item = self.table.item(r, c)
            if item is None:
                continue
            item.setBackground(QBrush(HEAVY_BACKGROUND))
            item.setForeground(QBrush(HEAVY_FOREGROUND))
            item.setToolTip(tip)
        first = self.table.item(r, 0)
        if first is not None:
            first.setText(f"⚠ {agent.name}")


def attach_my_day(team: TeamMode, panel: QWidget) -> MyDayView:
    """Put "My day" on top of the intake dock, read for the signed-in agent, and read again
    when team mode connects, disconnects or signs out."""

    def api() -> WorkloadApi | None:
        client = team.client if team.session is not None else None
        return WorkloadApi(client) if client is not None else None

    view = MyDayView(api, panel)
    layout = panel.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, view)
    team.status_changed.connect(lambda _text: view.refresh_soon())
    view.timer.start()  # the first read comes with team mode's first status (made on the loop)
    return view
