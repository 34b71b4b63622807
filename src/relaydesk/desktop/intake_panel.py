"""The intake dashboard and the compact today-figure shown on each tab.

``IntakeDashboardPanel`` shows an ``IntakeDashboard`` (made by the store's ``IntakeLedger`` on
its worker thread): today's new and returning contacts per hour as stacked bars against the
usual profile of this weekday as a line (its new contacts dashed), the figures per account, and
the early warning from the current pace. ``IntakeTodayLabel`` is the small "12 new · 5 back" for
a tab. Both only display; reading the store and exporting CSV happen outside, on the store's
thread.

Wiring in the main window (H4's ``add_side_panel``)::

    dashboard = IntakeDashboardPanel()
    window.add_side_panel(dashboard, dashboard.tr("Intake"), "intake")
    intake = IntakeController(dashboard, store, DayClock(time(4)), DedupScope.MY_ACCOUNTS, 400)
    intake.tab_labels[account_id] = IntakeTodayLabel()  # put it on the account's tab
    timer.timeout.connect(intake.refresh)  # a one-minute QTimer, and after each new message
    # Export: ExportPeriodDialog(today, folder, window); if exec(): intake.export_csv(*period())
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.intake_team import TeamIntake, signed_out_note
from relaydesk.desktop.table_columns import fit_columns
from relaydesk.store.async_store import AsyncStore
from relaydesk.store.intake import DayClock, DayFigures, DedupScope, PaceForecast
from relaydesk.store.intake_events import IntakeDashboard, IntakeLedger
from relaydesk.store.repository import Store

USUAL_COLOUR = QColor("#e8912d")  # orange: apart from the blue and green bars on either theme


def today_figure(figures: DayFigures) -> tuple[int, int]:
    """The (new, returning) pair a tab shows for today."""
    return figures.new, figures.returning


def _between(start: QColor, end: QColor, share: float) -> QColor:
    """The colour ``share`` of the way from ``start`` to ``end``."""

    def channel(a: float, b: float) -> float:
        return a + (b - a) * share

    return QColor.fromRgbF(
        channel(start.redF(), end.redF()),
        channel(start.greenF(), end.greenF()),
        channel(start.blueF(), end.blueF()),
    )


class IntakeTodayLabel(QLabel):
    """Today's intake for one tab, at a glance: ``12 new · 5 back``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setContentsMargins(6, 0, 0, 0)  # off the tab's rounded edge
        self._figures: tuple[int, int] | None = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() is QEvent.Type.LanguageChange and self._figures is not None:
            self.show_figures(*self._figures)  # in the new UI language now, not at the next count
        super().changeEvent(event)

    def show_figures(self, new: int, returning: int) -> None:
        self._figures = (new, returning)
        self.setText(self.tr("{new} new · {returning} back").format(new=new, returning=returning))
        self.setToolTip(self.tr("Contacts today: {new} new, {returning} returning").format(
            new=new, returning=returning))  # fmt: skip
        self._fit_tab()

    def _fit_tab(self) -> None:
        """Give the label room for its text on its tab, whoever refreshed it.

        A tab bar sizes a tab for the button's size when the button is set (a label set while
        empty keeps a sliver, its text clipped), so a label whose text changed size is resized
        and set on its tab again."""
        bar = self.parentWidget()
        if not isinstance(bar, QTabBar) or self.size() == self.sizeHint():
            return
        for index in range(bar.count()):
            for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
                if bar.tabButton(index, side) is self:
                    bar.setTabButton(index, side, None)
                    self.resize(self.sizeHint())
                    bar.setTabButton(index, side, self)
                    return


class IntakeDashboardPanel(QWidget):
    """Today's intake per hour against the usual profile, per account, and the pace warning."""

    export_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        account_name: Callable[[str], str] = str,  # account id -> the name the agent gave it
    ) -> None:
        super().__init__(parent)
        self.account_name = account_name
        self.summary = QLabel(self)
        self.summary.setObjectName("intakeSummary")
        self.warning = QLabel(self)
        self.warning.setObjectName("intakeWarning")
        self.warning.setWordWrap(True)
        self.scope_note = QLabel(self)  # why the "team" scope counts like "all my accounts"
        self.scope_note.setObjectName("intakeScopeNote")
        self.scope_note.setWordWrap(True)
        self.new_bars = QBarSet(self.tr("New"))
        self.returning_bars = QBarSet(self.tr("Returning"))
        self.bars = QStackedBarSeries()
        self.bars.append(self.new_bars)
        self.bars.append(self.returning_bars)
        self.usual = QLineSeries()
        self.usual.setName(self.tr("Usual for this weekday"))
        self.usual_new = QLineSeries()  # of them new (in the "team" scope: new to the team)
        self.usual_new.setName(self.tr("Usual new"))
        self.chart = QChart()
        self.chart.addSeries(self.bars)
        self.chart.addSeries(self.usual)
        self.chart.addSeries(self.usual_new)
        # QtCharts would give the usual line the returning bars' green (the bar series counts
        # as one): it takes a colour of its own; the dashed one follows the theme (_follow_palette).
        solid = self.usual.pen()
        solid.setColor(USUAL_COLOUR)
        solid.setWidthF(2.0)
        self.usual.setPen(solid)
        self.hours_axis = QBarCategoryAxis()
        self.count_axis = QValueAxis()
        self.count_axis.setLabelFormat("%d")
        # Twenty-four hour labels side by side do not fit a side panel (Qt elides them all): the
        # bars keep their category axis unlabelled and every third hour is labelled below (every
        # sixth or twelfth in a narrower panel, see _label_hours).
        self.hours_axis.setLabelsVisible(False)
        self.hour_labels = QCategoryAxis()
        self.hour_labels.setLabelsPosition(
            QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue
        )
        self.hour_labels.setGridLineVisible(False)
        self.chart.addAxis(self.hours_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.hour_labels, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.count_axis, Qt.AlignmentFlag.AlignLeft)
        self.bars.attachAxis(self.hours_axis)
        self.usual.attachAxis(self.hour_labels)
        self.usual_new.attachAxis(self.hour_labels)
        for series in (self.bars, self.usual, self.usual_new):
            series.attachAxis(self.count_axis)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.legend().setShowToolTips(True)  # a legend elided in a narrow panel
        self._hours: list[int] = []
        self._label_step = 0
        self.chart.plotAreaChanged.connect(lambda _area: self._label_hours())
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
        layout.addWidget(self.scope_note)
        layout.addWidget(self.chart_view, 2)
        layout.addWidget(self.accounts, 1)
        self.warning.hide()
        self.scope_note.hide()
        self._follow_palette()

    def changeEvent(self, event: QEvent) -> None:
        # A theme switch (theme.apply_theme) sets the application's palette: QtCharts paints
        # with colours of its own, so the chart takes the new ones here.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._follow_palette()
        super().changeEvent(event)

    def _follow_palette(self) -> None:
        """The chart in the window's colours: its background, labels and grid (light or dark)."""
        palette = self.palette()
        role = QPalette.ColorRole
        text, base = palette.color(role.Text), palette.color(role.Base)
        grid = _between(base, text, 0.2)  # faint on either theme
        self.chart.setBackgroundBrush(base)
        self.chart.setBackgroundPen(grid)
        # "Usual new" in the new bars' colour, darker over a light chart and lighter over a dark
        # one, so that it shows over the bars and against the background on either theme.
        new = self.new_bars.color()
        dashed = self.usual_new.pen()
        dashed.setStyle(Qt.PenStyle.DashLine)
        dashed.setWidthF(2.0)
        dashed.setColor(new.darker(160) if base.lightnessF() > 0.5 else new.lighter(150))
        self.usual_new.setPen(dashed)
        self.chart.legend().setLabelColor(text)
        self.chart_view.setBackgroundBrush(palette.color(role.Window))
        for axis in self.chart.axes():
            axis.setLabelsColor(text)
            axis.setLinePenColor(grid)
            axis.setGridLineColor(grid)

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
        self._hours, self._label_step = hours, 0
        self._label_hours()
        self.new_bars.remove(0, self.new_bars.count())
        self.returning_bars.remove(0, self.returning_bars.count())
        self.new_bars.append([float(today.new_by_hour[h]) for h in hours])
        self.returning_bars.append([float(today.returning_by_hour[h]) for h in hours])
        self.usual.clear()
        self.usual_new.clear()
        for position, hour in enumerate(hours):
            self.usual.append(float(position), board.usual[hour])
            self.usual_new.append(float(position), board.usual_new[hour])
        peak = max(
            [today.new_by_hour[h] + today.returning_by_hour[h] for h in hours]
            + [board.usual[h] for h in hours]
            + [1]
        )
        top = math.ceil(peak * 1.15)
        self.count_axis.setRange(0, top)
        # Whole numbers on the ticks: contacts come one at a time.
        self.count_axis.setTickCount(top + 1 if top <= 5 else 6)
        if top > 5:
            self.count_axis.applyNiceNumbers()

        named = sorted(
            (self.account_name(account), new, returning)
            for account, (new, returning) in today.by_account.items()
        )
        self.accounts.setRowCount(len(named))
        for row, (name, new, returning) in enumerate(named):
            for column, text in enumerate((name, str(new), str(returning))):
                self.accounts.setItem(row, column, QTableWidgetItem(text))
        fit_columns(self.accounts)  # account names on one line, not wrapped
        self.show_pace(board.pace)

    def _label_hours(self) -> None:
        """Label every third hour where its bar stands, or fewer when the plot is too narrow for
        them to show whole (QtCharts elides a label that lacks room into "...")."""
        hours = self._hours
        room = QFontMetricsF(self.hour_labels.labelsFont()).horizontalAdvance("00") * 1.5 + 12
        per_hour = self.chart.plotArea().width() / max(1, len(hours))
        step = next((s for s in (3, 6, 12) if per_hour * s >= room), 12)
        if step == self._label_step:
            return
        self._label_step = step
        for label in self.hour_labels.categoriesLabels():
            self.hour_labels.remove(label)
        self.hour_labels.setRange(-0.5, len(hours) - 0.5)  # where the bar axis puts its hours
        for position in range(0, len(hours), step):
            self.hour_labels.append(f"{hours[position]:02d}", float(position))

    def show_scope_note(self, text: str) -> None:
        """A sentence on how the dedup scope counts now ("" hides it)."""
        if self.scope_note.text() != text:
            self.scope_note.setText(text)
        self.scope_note.setVisible(bool(text))

    def show_pace(self, pace: PaceForecast | None) -> None:
        if pace is None:  # no threshold set
            self.warning.hide()
            return
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


class ExportPeriodDialog(QDialog):
    """Asks which working days to export (first and last, inclusive) and where to."""

    def __init__(self, today: date, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export intake to CSV"))
        self.first = QDateEdit(QDate(today.year, today.month, 1), self)
        self.last = QDateEdit(QDate(today.year, today.month, today.day), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.file = QLineEdit(str(folder / f"intake-{today.isoformat()}.csv"), self)
        self.problem = QLabel(self)
        self.problem.setObjectName("exportProblem")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("First day"), self.first)
        form.addRow(self.tr("Last day"), self.last)
        form.addRow(self.tr("File"), self.file)
        form.addRow(self.problem)
        form.addRow(buttons)

    def period(self) -> tuple[date, date, Path]:
        first, last = self.first.date(), self.last.date()
        return (
            date(first.year(), first.month(), first.day()),
            date(last.year(), last.month(), last.day()),
            Path(self.file.text()),
        )

    def _check_and_accept(self) -> None:
        first, last, path = self.period()
        if last < first:
            self.problem.setText(self.tr("The last day is before the first day."))
        elif not self.file.text().strip() or not path.parent.is_dir():
            self.problem.setText(self.tr("Choose a file in an existing folder."))
        else:
            self.accept()
            return
        self.problem.show()


class IntakeController:
    """Refreshes an ``IntakeDashboardPanel`` (and tab figures) from the store off the UI thread.

    Call ``refresh()`` when a message arrives or from a one-minute ``QTimer``; a refresh asked
    for while one is running runs once more after it (never queued twice). Needs a running
    asyncio loop (qasync). In the "team" scope, ``team`` (``desktop.intake_team``, set by team
    mode) gives the team's first-seen times of the day's contacts; without it, or offline, those
    not known yet count as in "all my accounts" and the panel says so.
    """

    def __init__(
        self,
        panel: IntakeDashboardPanel,
        store: AsyncStore,
        clock: DayClock,
        scope: DedupScope,
        threshold: int,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.panel = panel
        self.store = store
        self.clock = clock
        self.scope = scope
        self.threshold = threshold
        self.now = now
        self.tab_labels: dict[str, IntakeTodayLabel] = {}  # account id -> its tab's figure
        self.failures: list[str] = []
        self.team: TeamIntake | None = None
        self._ledger: IntakeLedger | None = None
        self._running: asyncio.Task[None] | None = None
        self._again = False  # asked for during a refresh: one more after it

    def refresh(self) -> asyncio.Task[None]:
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._refresh_until_current())
        else:
            self._again = True  # e.g. an arrival while the team server was being asked
        return self._running

    async def _refresh_until_current(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            await self._refresh()

    async def _refresh(self) -> None:
        moment = self.now()
        try:
            today = self.clock.day_of(moment)
            team_first_seen = await self._team_first_seen(today, today)
            usual_first_seen = self._usual_first_seen(today)
            board = await self.store.run(lambda store: self._ledger_for(store).dashboard(
                moment, self.clock, self.scope, self.threshold, team_first_seen=team_first_seen,
                usual_first_seen=usual_first_seen))  # fmt: skip
        except Exception as error:  # shown in the status bar, never raised into Qt
            self.failures.append(str(error))
            return
        self.panel.show_dashboard(board)
        for account_id, label in list(self.tab_labels.items()):
            try:
                label.show_figures(*board.today.by_account.get(account_id, (0, 0)))
            except RuntimeError:  # its tab was closed meanwhile (Qt deleted the label)
                self.tab_labels.pop(account_id, None)

    async def _team_first_seen(self, first_day: date, last_day: date) -> dict[str, datetime] | None:
        """The team's first-seen times of the period's contacts in the "team" scope (None in
        the others); the panel's note says when they are not all known."""
        if self.scope is not DedupScope.TEAM:
            self.panel.show_scope_note("")
            return None
        if self.team is None:
            self.panel.show_scope_note(signed_out_note())
            return None
        clock = self.clock
        contacts = await self.store.run(
            lambda store: self._ledger_for(store).contacts_of(first_day, last_day, clock)
        )
        # The work over a day's contacts runs on the store's thread, not the UI's.
        answer = await self.team.first_seen(
            contacts, lambda work: self.store.run(lambda _store: work())
        )
        self.panel.show_scope_note(answer.note)
        return answer.first_seen

    def _usual_first_seen(self, today: date) -> dict[str, datetime] | None:
        """The team's times of the past contacts the usual profile counts, as far as known:
        asked about in the background (``TeamIntake.usual_first_seen``), then counted again."""
        if self.scope is not DedupScope.TEAM or self.team is None:
            return None
        clock, off_loop = self.clock, lambda work: self.store.run(lambda _store: work())
        answer = self.team.usual_first_seen(today, lambda: self.store.run(
            lambda store: self._ledger_for(store).past_contacts(today, clock)), off_loop,
            self.refresh)  # fmt: skip
        if answer.note and not self.panel.scope_note.text():
            self.panel.show_scope_note(answer.note)
        return answer.first_seen or None

    def _ledger_for(self, store: Store) -> IntakeLedger:
        if self._ledger is None:  # one ledger, so the usual profile is computed once a day
            self._ledger = IntakeLedger(store)
        return self._ledger

    async def export_csv(self, first_day: date, last_day: date, path: Path) -> int:
        """Write the period's counts to ``path`` (on the store's thread); returns the rows. A
        ``.xlsx`` name gets the same rows as a workbook (typed cells, on a worker thread)."""
        team_first_seen = await self._team_first_seen(first_day, last_day)
        if path.suffix.casefold() == ".xlsx":
            from relaydesk.sync.report_export import write_xlsx  # not at start: rarely used
            from relaydesk.sync.reports import counts_table

            counts = await self.store.run(lambda store: self._ledger_for(store).counts(
                first_day, last_day, self.clock, self.scope, team_first_seen))  # fmt: skip
            table = counts_table(counts)
            await asyncio.to_thread(write_xlsx, [table], path)
            return len(table.rows)

        def work(store: Store) -> int:
            with path.open("w", encoding="utf-8", newline="") as stream:
                return self._ledger_for(store).export_csv(
                    first_day, last_day, self.clock, self.scope, stream, team_first_seen
                )

        return await self.store.run(work)
