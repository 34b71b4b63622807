"""The intake dashboard: today's bars per hour against the usual line, and the pace warning."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from relaydesk.store.intake import DayClock, DayFigures, PaceForecast
from relaydesk.store.intake_events import IntakeDashboard

pytestmark = pytest.mark.qt


def _hours(**counts: int) -> tuple[int, ...]:
    row = [0] * 24
    for name, count in counts.items():
        row[int(name[1:])] = count
    return tuple(row)


def _board(pace: PaceForecast, boundary: time = time(4)) -> IntakeDashboard:
    today = DayFigures(
        date(2026, 11, 23), _hours(h09=5, h10=3), _hours(h09=2), {"wa1": (6, 2), "tg1": (2, 0)}
    )
    usual = tuple(4.0 if hour == 9 else 0.0 for hour in range(24))
    return IntakeDashboard(today, usual, tuple(DayClock(boundary).hours_in_order()), pace)


CALM = PaceForecast(count=10, threshold=400, per_hour=3.0, reaches_at=None)


@pytest.fixture
def panel(qtbot):  # type: ignore[no-untyped-def]
    from relaydesk.desktop.intake_panel import IntakeDashboardPanel

    widget = IntakeDashboardPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_chart_shows_today_per_hour_from_the_day_boundary(panel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.resize(420, 520)
    panel.show_dashboard(_board(CALM))
    categories = panel.hours_axis.categories()
    assert categories[0] == "04" and categories[-1] == "03"
    # every third hour labelled, where its bar stands
    every_third = ["04", "07", "10", "13", "16", "19", "22", "01"]
    qtbot.waitUntil(lambda: panel.hour_labels.categoriesLabels() == every_third, timeout=3000)
    assert panel.hour_labels.endValue("10") == categories.index("10")
    nine = categories.index("09")
    assert panel.new_bars.at(nine) == 5 and panel.returning_bars.at(nine) == 2
    assert panel.new_bars.at(categories.index("10")) == 3
    assert panel.usual.at(nine).y() == 4.0
    assert panel.summary.text() == "Today: 8 new, 2 returning"


def _shown_texts(panel, below_plot: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts the chart paints now (axis labels, legend), as QtCharts laid them out; with
    ``below_plot``, only those just under the plot area (the hours)."""
    import shiboken6
    from PySide6.QtWidgets import QGraphicsTextItem

    texts = []
    for item in panel.chart.scene().items():
        thing = item.toGraphicsObject()
        if thing is None or not thing.inherits("QGraphicsTextItem") or not item.isVisible():
            continue
        text = shiboken6.wrapInstance(shiboken6.getCppPointer(thing)[0], QGraphicsTextItem)
        top = text.sceneBoundingRect().top() - panel.chart.plotArea().bottom()
        if not below_plot or 0 <= top < 30:
            texts.append(text.toPlainText())
    return texts


def test_the_hour_labels_are_readable_in_a_side_panel(panel, qtbot) -> None:  # type: ignore[no-untyped-def]
    def hour_labels_shown() -> list[str]:
        return [text for text in _shown_texts(panel, below_plot=True) if text]

    panel.show_dashboard(_board(CALM))
    every_third = ["04", "07", "10", "13", "16", "19", "22", "01"]
    panel.resize(420, 520)  # the panel's usual width
    qtbot.waitUntil(lambda: sorted(hour_labels_shown()) == sorted(every_third), timeout=3000)
    panel.resize(280, 520)  # narrower: fewer labels, each whole
    qtbot.waitUntil(lambda: sorted(hour_labels_shown()) == ["04", "10", "16", "22"], timeout=3000)
    panel.resize(420, 520)  # and back
    qtbot.waitUntil(lambda: sorted(hour_labels_shown()) == sorted(every_third), timeout=3000)


def _painted(panel, x_share: float, y_share: float):  # type: ignore[no-untyped-def]
    """The colour painted at a point of the plot area, given as shares of its width and height."""
    area = panel.chart.plotArea()
    point = area.topLeft() + (area.bottomRight() - area.topLeft()) * 0
    point.setX(area.left() + area.width() * x_share)
    point.setY(area.top() + area.height() * y_share)
    where = panel.chart_view.mapFromScene(panel.chart.mapToScene(point))
    return panel.chart_view.grab().toImage().pixelColor(where)


def test_the_chart_follows_the_theme(panel, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.theme import apply_theme

    panel.resize(420, 520)
    panel.show_dashboard(_board(CALM))
    try:
        apply_theme(qapp, "dark")
        qtbot.waitUntil(lambda: panel.chart.backgroundBrush().color().lightness() < 80)
        # Above the bars and the usual line, beside the first hour: the chart's background.
        assert _painted(panel, 0.01, 0.05).lightness() < 80
        assert panel.count_axis.labelsColor().lightness() > 180  # light labels on dark
        assert panel.chart.legend().labelColor().lightness() > 180
        apply_theme(qapp, "light")
        qtbot.waitUntil(lambda: panel.chart.backgroundBrush().color().lightness() > 200)
        assert _painted(panel, 0.01, 0.05).lightness() > 200
        assert panel.count_axis.labelsColor().lightness() < 80
    finally:
        apply_theme(qapp, "light")


def test_the_count_axis_ticks_whole_contacts(panel) -> None:  # type: ignore[no-untyped-def]
    panel.show_dashboard(_board(CALM))
    low, high, ticks = panel.count_axis.min(), panel.count_axis.max(), panel.count_axis.tickCount()
    step = (high - low) / (ticks - 1)
    assert low == 0 and high >= 7  # the busiest hour (5 new + 2 returning) fits
    assert step == int(step) and step >= 1  # no two ticks both read "1"


def test_accounts_are_listed_with_their_figures(panel) -> None:  # type: ignore[no-untyped-def]
    panel.show_dashboard(_board(CALM))
    rows = [
        [panel.accounts.item(r, c).text() for c in range(3)]
        for r in range(panel.accounts.rowCount())
    ]
    assert rows == [["tg1", "2", "0"], ["wa1", "6", "2"]]


def test_accounts_are_listed_by_the_names_the_agent_gave_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.intake_panel import IntakeDashboardPanel

    names = {"wa1": "Sales WA", "tg1": "Support TG"}
    panel = IntakeDashboardPanel(account_name=names.__getitem__)
    qtbot.addWidget(panel)
    panel.show_dashboard(_board(CALM))
    rows = [
        [panel.accounts.item(r, c).text() for c in range(3)]
        for r in range(panel.accounts.rowCount())
    ]
    assert rows == [["Sales WA", "6", "2"], ["Support TG", "2", "0"]]


def test_the_pace_warning_says_when_the_threshold_is_reached(panel) -> None:  # type: ignore[no-untyped-def]
    reaches = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    panel.show_dashboard(_board(PaceForecast(200, 400, 60.0, reaches)))
    local = reaches.astimezone().strftime("%H:%M")
    assert panel.warning.isVisible()
    assert panel.warning.text() == f"At this pace you reach 400 contacts by {local}."
    panel.show_dashboard(_board(CALM))
    assert not panel.warning.isVisible()
    panel.show_pace(PaceForecast(401, 400, 60.0, None))
    assert panel.warning.text() == "You have reached 400 contacts today."


def test_a_refresh_replaces_the_previous_figures(panel) -> None:  # type: ignore[no-untyped-def]
    panel.show_dashboard(_board(CALM))
    panel.show_dashboard(_board(CALM, boundary=time(0)))
    assert panel.new_bars.count() == 24
    assert panel.hours_axis.categories()[0] == "00"


def test_export_is_requested_from_the_button(panel, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(panel.export_requested):
        panel.export_button.click()


def test_the_tab_figure_reads_at_a_glance(qtbot) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.intake_panel import IntakeTodayLabel, today_figure

    label = IntakeTodayLabel()
    qtbot.addWidget(label)
    label.show_figures(*today_figure(_board(CALM).today))
    assert label.text() == "8 new · 2 back"


def test_the_tab_figure_makes_room_for_its_text_on_its_tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget

    from relaydesk.desktop.intake_panel import IntakeTodayLabel

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "Sales WA")
    tabs.addTab(QWidget(), "Support")
    tabs.show()
    bar, side = tabs.tabBar(), QTabBar.ButtonPosition.LeftSide
    label = IntakeTodayLabel()
    bar.setTabButton(0, side, label)  # as the window does: on the tab while still empty
    qtbot.wait(10)
    narrow = bar.tabRect(0).width()
    for new in (1, 12, 1234):
        label.show_figures(new, 5)
        qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width(), timeout=2000)
        assert bar.tabButton(0, side) is label and label.isVisible()
        tab, title = bar.tabRect(0), bar.fontMetrics().horizontalAdvance("Sales WA")
        # the whole figure and the tab's own title both fit on the tab, side by side
        assert tab.contains(label.geometry())
        assert tab.width() >= label.width() + title
        assert not bar.tabRect(1).intersects(label.geometry())
    assert bar.tabRect(0).width() > narrow


def test_the_tab_figure_changes_language_at_once(qtbot, home) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.i18n import Translators
    from relaydesk.desktop.intake_panel import IntakeTodayLabel

    label = IntakeTodayLabel()
    qtbot.addWidget(label)
    label.show_figures(3, 1)
    translators = Translators(home.cache)
    try:
        assert translators.apply("zh_CN", at_start=True)
        qtbot.waitUntil(lambda: label.text() == "新 3 · 回头 1", timeout=3000)
    finally:
        translators.apply("en")
    qtbot.waitUntil(lambda: label.text() == "3 new · 1 back", timeout=3000)


def test_the_controller_fills_the_dashboard_and_tabs_from_the_store(
    panel, loop, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.intake_panel import IntakeController, IntakeTodayLabel
    from relaydesk.store.async_store import AsyncStore
    from relaydesk.store.intake import DedupScope
    from relaydesk.store.repository import Store

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
            tab = IntakeTodayLabel()
            qtbot.addWidget(tab)
            controller.tab_labels["wa1"] = tab
            first = controller.refresh()
            assert controller.refresh() is first  # not queued twice
            await first
            assert panel.summary.text() == "Today: 3 new, 0 returning"
            assert tab.text() == "3 new · 0 back"
            out = tmp_path / "intake.csv"
            rows = await controller.export_csv(date(2026, 11, 1), date(2026, 11, 30), out)
            assert rows == 1
            assert out.read_text(encoding="utf-8").splitlines()[1] == "2026-11-23,09:00,wa1,3,0"
        finally:
            await store.close()

    loop.run_until_complete(scenario())


def test_the_export_dialog_refuses_a_backwards_period(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate

    from relaydesk.desktop.intake_panel import ExportPeriodDialog

    dialog = ExportPeriodDialog(date(2026, 11, 23), tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period() == (
        date(2026, 11, 1),
        date(2026, 11, 23),
        tmp_path / "intake-2026-11-23.csv",
    )
    dialog.first.setDate(QDate(2026, 11, 30))
    dialog._check_and_accept()
    assert dialog.problem.text() == "The last day is before the first day."
    assert dialog.result() == 0
    dialog.first.setDate(QDate(2026, 11, 2))
    dialog.file.setText(str(tmp_path / "missing-folder" / "x.csv"))
    dialog._check_and_accept()
    assert dialog.problem.text() == "Choose a file in an existing folder."
    dialog.file.setText(str(tmp_path / "x.csv"))
    dialog._check_and_accept()
    assert dialog.result() == 1
