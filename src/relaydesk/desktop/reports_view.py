"""The supervisor board's "Reports" tab: intake, service and the split links for a period, as
tables with a chart each, exported as shown to CSV (the open report) or XLSX (all of them).

The figures come from ``relaydesk.sync.reports`` (read on the qasync loop, in the background)
and the files are written by ``relaydesk.sync.report_export`` on a worker thread; this widget
only asks, shows and says what happened. The save dialog is not modal: the board keeps
refreshing while the supervisor picks a file.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QEvent, Qt, QTimeZone, Signal
from PySide6.QtGui import QCursor, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.table_columns import fit_columns
from relaydesk.sync.errors import SyncError
from relaydesk.sync.report_export import (
    ExportFailed,
    Kind,
    ReportTable,
    write_csv,
    write_xlsx,
)
from relaydesk.sync.reports import INTAKE_GROUPS, Period, Reports, read_reports, tables
from relaydesk.sync.supervisor import SupervisorApi

CHART_CATEGORIES_MAX = 48  # more bars than this are unreadable: the chart shows the last ones
LABELLED_CATEGORIES_MAX = 16  # more labels than this are elided to "…": hover a bar instead


def _local_zone() -> str:
    """The workstation's IANA time zone, for days and hours counted as the supervisor lives."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    return name if "/" in name or name == "UTC" else "UTC"


def sparse_labels(names: list[str], kind: Kind) -> list[tuple[int, str]]:
    """About eight (position, label) pairs for a long run of days or hours: every few hours as
    "06:00" and each midnight as its day ("11-30"), every few days as "11-30"."""
    if kind is Kind.HOUR:
        step = next((s for s in (3, 6, 12, 24) if len(names) / s <= 8), 24)
        picked = [i for i, name in enumerate(names) if int(name[11:13] or 0) % step == 0]
        return [(i, names[i][5:10] if names[i][11:13] == "00" else names[i][11:16])
                for i in picked]  # fmt: skip
    step = max(1, math.ceil(len(names) / 8))
    return [(i, names[i][5:10]) for i in range(0, len(names), step)]


def _cell_text(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.RATE:
        return f"{float(value) * 100:.1f} %"
    if kind is Kind.NUMBER:
        return f"{float(value):.1f}"
    if kind is Kind.HOUR:
        return str(value).replace("T", " ")
    return str(value)


class ReportPage(QWidget):
    """One report: its chart above its table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_data: ReportTable | None = None
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.chart_view)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)  # the chart is what a supervisor reads first
        split.setStretchFactor(1, 2)
        split.setSizes([360, 240])  # shares of the height at the first layout
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.message)
        column.addWidget(split, 1)
        self._follow_palette()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._follow_palette()
        super().changeEvent(event)

    def _follow_palette(self) -> None:
        """QtCharts paints with colours of its own: the chart takes the window's (light, dark)."""
        palette = self.palette()
        role = QPalette.ColorRole
        self.chart.setBackgroundBrush(palette.color(role.Base))
        self.chart.legend().setLabelColor(palette.color(role.Text))
        self.chart.setTitleBrush(palette.color(role.Text))
        self.chart_view.setBackgroundBrush(palette.color(role.Window))
        for axis in self.chart.axes():
            axis.setLabelsColor(palette.color(role.Text))
            axis.setGridLineColor(palette.color(role.Mid))

    def show_refusal(self, text: str) -> None:
        self.table_data = None
        self.message.setText(text)
        self.message.show()
        self.table.setRowCount(0)
        self.chart.removeAllSeries()

    def show_table(self, data: ReportTable) -> None:
        self.table_data = data
        if data.rows:
            self.message.hide()
        else:  # an empty chart and table say nothing by themselves
            self.message.setText(self.tr("Nothing to report for these days."))
            self.message.show()
        self.table.setColumnCount(len(data.columns))
        self.table.setHorizontalHeaderLabels([c.title for c in data.columns])
        self.table.setRowCount(len(data.rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(data.rows):
            for c, (value, column) in enumerate(zip(row, data.columns, strict=True)):
                item = QTableWidgetItem(_cell_text(value, column.kind))
                if column.kind in (Kind.COUNT, Kind.NUMBER, Kind.RATE):
                    item.setTextAlignment(right)
                self.table.setItem(r, c, item)
        fit_columns(self.table)
        self._chart(data)

    def _chart(self, data: ReportTable) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        spec = data.chart
        self.chart.setTitle(spec.title if spec is not None else "")
        if spec is None or not data.rows:
            return
        rows = data.rows[-CHART_CATEGORIES_MAX:]
        series = QStackedBarSeries() if spec.stacked else QBarSeries()
        for index in spec.values:
            bars = QBarSet(data.columns[index].title)
            bars.append([float(row[index] or 0) for row in rows])
            series.append(bars)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        kind = data.columns[spec.category].kind
        names = [_cell_text(row[spec.category], kind) or "–" for row in rows]
        if kind is Kind.DAY:  # "11-25" under a bar (a full date is elided in a dock), the
            categories.append([name[5:] for name in names])  # year in the title
            self.chart.setTitle(f"{spec.title}: {names[0]} – {names[-1]}")
        else:
            categories.append(names)
        categories.setLabelsAngle(-45 if len(rows) > 8 else 0)
        ticks: QCategoryAxis | None = None
        if len(rows) > LABELLED_CATEGORIES_MAX:  # unreadable side by side: the range in the title
            categories.setLabelsVisible(False)
            self.chart.setTitle(f"{spec.title}: {names[0]} – {names[-1]}")
            if kind in (Kind.DAY, Kind.HOUR):  # and a few days or hours labelled below the bars
                ticks = QCategoryAxis()
                ticks.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
                ticks.setGridLineVisible(False)
                ticks.setRange(-0.5, len(rows) - 0.5)  # where the bar axis puts its categories
                seen: set[str] = set()
                for position, label in sparse_labels(names, kind):
                    while label in seen:  # the axis keeps one of equal labels ("06:00" daily)
                        label += "\u200b"  # a zero-width space: looks the same, is another
                    seen.add(label)
                    ticks.append(label, float(position))
        series.hovered.connect(
            lambda status, index, bars: QToolTip.showText(
                QCursor.pos(), f"{names[index]}: {bars.label()} {bars.at(index):g}"
            ) if status else QToolTip.hideText()
        )  # fmt: skip
        values = QValueAxis()
        tallest = max((sum(float(r[i] or 0) for i in spec.values) if spec.stacked
                       else max(float(r[i] or 0) for i in spec.values)) for r in rows)  # fmt: skip
        top = max(1, math.ceil(tallest * 1.1))
        values.setRange(0, top)
        counts = data.columns[spec.values[0]].kind is Kind.COUNT
        values.setLabelFormat("%d" if counts else "%.0f" if top >= 10 else "%.1f")
        if counts and top <= 5:
            values.setTickCount(top + 1)  # whole numbers on the ticks
        else:
            values.applyNiceNumbers()
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        if ticks is not None:  # an axis is drawn with a series: an empty one, not in the legend
            anchor = QLineSeries()
            self.chart.addSeries(anchor)
            self.chart.addAxis(ticks, Qt.AlignmentFlag.AlignBottom)
            anchor.attachAxis(ticks)
            anchor.attachAxis(values)
            for marker in self.chart.legend().markers(anchor):
                marker.setVisible(False)
        self._follow_palette()


class ReportsView(QWidget):
    """Period, grouping, the three reports and their export; ``refreshed`` and ``exported``
    (the sentence shown) are for tests and the board."""

    refreshed = Signal()
    exported = Signal(str)

    def __init__(self, api: SupervisorApi, parent: QWidget | None = None,
                 today: date | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.api = api
        self.reports: Reports | None = None
        self.shown: list[ReportTable] = []
        self.dialog: QFileDialog | None = None
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._exports: set[asyncio.Future[None]] = set()
        today = today or date.today()
        self.preset = QComboBox(self)
        self.preset.setObjectName("reportsPreset")
        presets = ((self.tr("Today"), 0), (self.tr("Last 7 days"), 6),
                   (self.tr("Last 30 days"), 29), (self.tr("Chosen days"), -1))  # fmt: skip
        for text, days in presets:
            self.preset.addItem(text, days)
        self.first = QDateEdit(self)
        self.last = QDateEdit(self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(today.year, today.month, today.day))
            edit.dateChanged.connect(self._dates_chosen)
        self.group_by = QComboBox(self)
        self.group_by.setObjectName("reportsGroupBy")
        names = {"day": self.tr("by day"), "hour": self.tr("by hour"),
                 "agent": self.tr("by agent"), "account": self.tr("by account"),
                 "link": self.tr("by link"), "source": self.tr("by source")}  # fmt: skip
        for group in INTAKE_GROUPS:
            self.group_by.addItem(names[group], group)
        self.group_by.currentIndexChanged.connect(lambda _i: self._changed())
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh_soon)
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        self.csv_button.clicked.connect(lambda: self.ask_file("csv"))
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"), self)
        self.xlsx_button.clicked.connect(lambda: self.ask_file("xlsx"))
        self.message = QLabel(self)
        self.message.setObjectName("reportsMessage")
        self.message.setWordWrap(True)
        self.pages = {"intake": ReportPage(self), "service": ReportPage(self),
                      "links": ReportPage(self)}  # fmt: skip
        self.tabs = QTabWidget(self)
        for name, title in (("intake", self.tr("Intake")), ("service", self.tr("Service")),
                            ("links", self.tr("Links"))):  # fmt: skip
            self.tabs.addTab(self.pages[name], title)
        controls = QHBoxLayout()
        for widget in (self.preset, self.first, QLabel("–", self), self.last, self.group_by,
                       self.refresh_button, self.csv_button, self.xlsx_button):  # fmt: skip
            controls.addWidget(widget)
        controls.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(controls)
        column.addWidget(self.message)
        column.addWidget(self.tabs, 1)
        self._titles = self._column_titles()
        self.preset.setCurrentIndex(1)  # the last 7 days
        self._preset_chosen()
        self.preset.currentIndexChanged.connect(self._preset_chosen)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.reports is None:  # read when first looked at, not when the board is built
            self.refresh_soon()

    def _column_titles(self) -> dict[str, str]:
        """The reports' column titles in the UI language (sync builds them in English)."""
        return {
            "Day": self.tr("Day"), "Hour": self.tr("Hour"), "Agent": self.tr("Agent"),
            "Account": self.tr("Account"), "Link": self.tr("Link"), "Source": self.tr("Source"),
            "New": self.tr("New"), "Returning": self.tr("Returning"), "Total": self.tr("Total"),
            "Intake": self.tr("Intake"), "Service": self.tr("Service"), "Links": self.tr("Links"),
            "Conversations": self.tr("Conversations"),
            "First reply, median (s)": self.tr("First reply, median (s)"),
            "First reply, mean (s)": self.tr("First reply, mean (s)"),
            "Wait, median (s)": self.tr("Wait, median (s)"),
            "Handoffs in": self.tr("Handoffs in"), "Handoffs out": self.tr("Handoffs out"),
            "Collisions": self.tr("Collisions"), "Code": self.tr("Code"),
            "Clicks": self.tr("Clicks"), "Unique visitors": self.tr("Unique visitors"),
            "Nobody available": self.tr("Nobody available"), "Intakes": self.tr("Intakes"),
            "First reply given": self.tr("First reply given"), "Closed": self.tr("Closed"),
            "Intakes per visitor": self.tr("Intakes per visitor"),
            "Reply rate": self.tr("Reply rate"), "Close rate": self.tr("Close rate"),
            "Links side by side": self.tr("Links side by side"),
            "Period: %1": self.tr("Period: %1"),
        }  # fmt: skip

    # -- period ------------------------------------------------------------------------------
    def _preset_chosen(self, _index: int = 0) -> None:
        days = int(self.preset.currentData())
        if days < 0:
            return
        today = QDate.currentDate()
        for edit, value in ((self.first, today.addDays(-days)), (self.last, today)):
            edit.blockSignals(True)
            edit.setDate(value)
            edit.blockSignals(False)
        self._changed()

    def _dates_chosen(self, _date: QDate) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.count() - 1)  # "chosen days"
        self.preset.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        if self.isVisible():
            self.refresh_soon()

    def period(self) -> Period:
        """The chosen days, first to last inclusive, from local midnight to local midnight."""

        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        first, last = sorted((day(self.first), day(self.last)))
        start = datetime.combine(first, time()).astimezone()
        end = datetime.combine(last + timedelta(days=1), time()).astimezone()
        return Period(start.timestamp(), end.timestamp(), _local_zone())

    # -- reading -----------------------------------------------------------------------------
    def refresh_soon(self) -> None:
        """Read the reports again unless a read is running (the UI thread never waits)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # shown before the qasync loop runs (a test): read when asked
            return
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._refresh_until_current())
        else:
            self._again = True  # the period changed during a read: read once more after it

    async def _refresh_until_current(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            await self.refresh()

    async def refresh(self) -> None:
        group = str(self.group_by.currentData())
        reports = await read_reports(self.api, self.period(), group)
        names = await self._agent_names()
        self.reports = reports
        self.shown = [self._named(t, reports, group, names) for t in tables(reports, self._title)]
        by_name = {name: t for name, t in zip(
            [n for n in ("intake", "service", "links") if getattr(reports, n) is not None],
            self.shown, strict=True)}  # fmt: skip
        for name, page in self.pages.items():
            if name in by_name:
                page.show_table(by_name[name])
            else:
                page.show_refusal(reports.errors.get(name, ""))
        self.refreshed.emit()

    def _title(self, text: str) -> str:
        return self._titles.get(text, text)

    async def _agent_names(self) -> dict[str, str]:
        """Agent id -> name, for the service report (the server names agents by login there);
        empty when the list cannot be read (the logins stay)."""
        try:
            agents = await self.api.agents()
        except SyncError:
            return {}
        return {a.id: a.name for a in agents if a.name}

    def _named(self, table: ReportTable, reports: Reports, group: str,
               names: dict[str, str]) -> ReportTable:  # fmt: skip
        """Rows named as on the rest of the board: agents by name in the service report, and
        the intake row of no agent (no account, no link) in words, not the server's "none"
        key; shown, charted and exported so."""
        if table.name == self._title("Service"):
            agents = list((reports.service or {}).get("agents", []))
            rows = tuple(
                (names.get(str(agents[i].get("agent_id")), row[0]), *row[1:])
                if i < len(agents) else row
                for i, row in enumerate(table.rows)
            )  # fmt: skip
            return replace(table, rows=rows)
        raw = list((reports.intake or {}).get("rows", []))
        if group not in ("agent", "account", "link") or table.name != self._title("Intake"):
            return table
        nobody = {"agent": self.tr("(nobody yet)"), "account": self.tr("(no account)"),
                  "link": self.tr("(no link)")}[group]  # fmt: skip
        rows = tuple(
            (nobody, *row[1:]) if i < len(raw) and raw[i].get("key") == "none"
            and raw[i].get("name", "none") in ("", "none") else row
            for i, row in enumerate(table.rows)
        )  # fmt: skip
        return replace(table, rows=rows)

    # -- export ------------------------------------------------------------------------------
    def current_table(self) -> ReportTable | None:
        page = self.tabs.currentWidget()
        return page.table_data if isinstance(page, ReportPage) else None

    def ask_file(self, kind: str) -> QFileDialog:
        """A non-modal save dialog; the file chosen is written off the UI thread."""
        stamp = date.today().isoformat()
        if kind == "csv":
            table = self.current_table()
            name = f"{(table.name if table else 'report').lower()}-{stamp}.csv"
            filters = self.tr("CSV files (*.csv)")
        else:
            name, filters = f"reports-{stamp}.xlsx", self.tr("Excel workbooks (*.xlsx)")
        dialog = QFileDialog(self, self.tr("Export the reports"), str(Path.home() / name),
                             filters)  # fmt: skip
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.setModal(False)
        dialog.fileSelected.connect(lambda path: self._spawn(self.export_to(Path(path))))
        self.dialog = dialog
        dialog.show()  # not open(): that is window-modal, and the board stays usable meanwhile
        return dialog

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._exports.add(task)
        task.add_done_callback(self._exports.discard)

    async def export_to(self, path: Path) -> str:
        """Write what is shown: ``.xlsx`` every report, else the open report as CSV."""
        if path.suffix.casefold() == ".xlsx":
            chosen = list(self.shown)
        else:
            table = self.current_table()
            chosen = [table] if table is not None else []
        if not chosen:
            text = self.tr("Nothing to export yet: the reports have not been read.")
        else:
            try:
                if path.suffix.casefold() == ".xlsx":
                    count = await asyncio.to_thread(write_xlsx, chosen, path)
                    text = self.tr("Exported %1 reports to %2.").replace("%1", str(count))
                else:
                    count = await asyncio.to_thread(write_csv, chosen[0], path)
                    many = self.tr("Exported %1 rows to %2.").replace("%1", str(count))
                    text = self.tr("Exported 1 row to %2.") if count == 1 else many
                text = text.replace("%2", str(path))
            except ExportFailed as error:
                text = self.tr("Export failed: %1").replace("%1", str(error))
        self.message.setText(text)
        self.exported.emit(text)
        return text
