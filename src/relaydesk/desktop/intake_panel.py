"""The intake dashboard and the compact today-figure shown on each tab.

``IntakeDashboardPanel`` shows an ``IntakeDashboard`` (made by the store's ``IntakeLedger`` on
its worker thread): today's new and returning contacts per hour as stacked bars against the
usual profile of this weekday as a line, the figures per account, and the early warning from the
current pace. ``IntakeTodayLabel`` is the small "12 new · 5 back" for a tab. Both only display;
reading the store and exporting CSV happen outside, on the store's thread.

Wiring in the main window (H4's ``add_side_panel``)::

    dashboard = IntakeDashboardPanel()
    window.add_side_panel(dashboard, dashboard.tr("Intake"), "intake")
    board = await async_store.run(lambda s: IntakeLedger(s).dashboard(now, clock, scope, 400))
    dashboard.show_dashboard(board)
    dashboard.export_requested.connect(...)  # ask for a period and a file, then export_csv
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from relaydesk.store.intake import DayFigures, PaceForecast
from relaydesk.store.intake_events import IntakeDashboard


def today_figure(figures: DayFigures) -> tuple[int, int]:
    """The (new, returning) pair a tab shows for today."""
    return figures.new, figures.returning


class IntakeTodayLabel(QLabel):
    """Today's intake for one tab, at a glance: ``12 new · 5 back``."""

    def show_figures(self, new: int, returning: int) -> None:
        self.setText(self.tr("{new} new · {returning} back").format(new=new, returning=returning))
        self.setToolTip(self.tr("Contacts today: {new} new, {returning} returning").format(
            new=new, returning=returning))  # fmt: skip


class IntakeDashboardPanel(QWidget):
    """Today's intake per hour against the usual profile, per account, and the pace warning."""

    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setObjectName("intakeSummary")
        self.warning = QLabel(self)
        self.warning.setObjectName("intakeWarning")
        self.warning.setWordWrap(True)
        self.new_bars = QBarSet(self.tr("New"))
        self.returning_bars = QBarSet(self.tr("Returning"))
        self.bars = QStackedBarSeries()
        self.bars.append(self.new_bars)
        self.bars.append(self.returning_bars)
        self.usual = QLineSeries()
        self.usual.setName(self.tr("Usual for this weekday"))
        self.chart = QChart()
        self.chart.addSeries(self.bars)
        self.chart.addSeries(self.usual)
        self.hours_axis = QBarCategoryAxis()
        self.count_axis = QValueAxis()
        self.count_axis.setLabelFormat("%d")
        self.chart.addAxis(self.hours_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.count_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.bars, self.usual):
            series.attachAxis(self.hours_axis)
            series.attachAxis(self.count_axis)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.accounts = QTableWidget(0, 3, self)
        self.accounts.setHorizontalHeaderLabels(
            [self.tr("Account"), self.tr("New"), self.tr("Returning")]
        )
        self.accounts.verticalHeader().setVisible(False)
        self.accounts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.clicked.connect(self.export_requested)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.chart_view, 2)
        layout.addWidget(self.accounts, 1)
        self.warning.hide()

    def show_dashboard(self, board: IntakeDashboard) -> None:
        today = board.today
        self.summary.setText(
            self.tr("Today: {new} new, {returning} returning").format(
                new=today.new, returning=today.returning
            )
        )
        hours = list(board.hours_in_order)
        self.hours_axis.clear()
        self.hours_axis.append([f"{hour:02d}" for hour in hours])
        self.new_bars.remove(0, self.new_bars.count())
        self.returning_bars.remove(0, self.returning_bars.count())
        self.new_bars.append([float(today.new_by_hour[h]) for h in hours])
        self.returning_bars.append([float(today.returning_by_hour[h]) for h in hours])
        self.usual.clear()
        for position, hour in enumerate(hours):
            self.usual.append(float(position), board.usual[hour])
        peak = max(
            [today.new_by_hour[h] + today.returning_by_hour[h] for h in hours]
            + [board.usual[h] for h in hours]
            + [1]
        )
        self.count_axis.setRange(0, peak * 1.15)

        self.accounts.setRowCount(len(today.by_account))
        for row, (account, (new, returning)) in enumerate(sorted(today.by_account.items())):
            for column, text in enumerate((account, str(new), str(returning))):
                self.accounts.setItem(row, column, QTableWidgetItem(text))
        self.show_pace(board.pace)

    def show_pace(self, pace: PaceForecast) -> None:
        if pace.reached:
            text = self.tr("You have reached {threshold} contacts today.").format(
                threshold=pace.threshold
            )
        elif pace.warning and pace.reaches_at is not None:
            text = self.tr("At this pace you reach {threshold} contacts by {time}.").format(
                threshold=pace.threshold, time=pace.reaches_at.astimezone().strftime("%H:%M")
            )
        else:
            self.warning.hide()
            return
        self.warning.setText(text)
        self.warning.show()
