"""The real window under Xvfb: tabs, badges, drag order, rename, remove, shortcuts, layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabBar

from relaydesk.desktop.accounts import AccountList
from relaydesk.desktop.badge_pill import BadgePill

pytestmark = pytest.mark.qt


def pill(window, account_id: str) -> str:  # type: ignore[no-untyped-def]
    index = window.tabs.indexOf(window.views[account_id])
    widget = window.tabs.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
    assert isinstance(widget, BadgePill)
    return widget.text


def test_tabs_show_each_account_with_its_unread_badge(qtbot, make_window, page_server) -> None:
    window = make_window()
    assert window.stack.currentWidget() is window.empty  # no accounts: a hint to add one
    sales = window.create_account("web", "Sales", url=f"{page_server}/?title=(3)%20Inbox")
    support = window.create_account("web", "Support", url=f"{page_server}/?title=Inbox")
    for view in (sales, support):
        view.load()
    qtbot.waitUntil(lambda: pill(window, sales.account.id) == "3", timeout=15000)
    assert window.tabs.tabText(0) == "Sales" and window.tabs.tabText(1) == "Support"
    assert pill(window, support.account.id) == ""
    assert window.total_unread() == 3
    assert window.windowTitle().startswith("(3)")
    support.page.runJavaScript("document.title = '(5) Inbox'")
    qtbot.waitUntil(lambda: window.total_unread() == 8, timeout=5000)
    assert "Unread: 5" in window.tabs.tabToolTip(1)


def test_drag_rename_and_shortcuts(qtbot, make_window, home) -> None:
    window = make_window()
    ids = [window.create_account("web", name, url="about:blank").account.id for name in "ABC"]
    window.tabs.tabBar().moveTab(2, 0)  # what a drag does
    assert [a.name for a in AccountList(home.config / "accounts.json").load()] == ["C", "A", "B"]
    window.rename_account(ids[0], "Alpha")
    assert window.tabs.tabText(1) == "Alpha"
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view().account.name == "B"
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view().account.name == "C"
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view().account.name == "Alpha"
    with qtbot.waitSignal(window.current_view().page.loadFinished, timeout=15000):
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_F5)  # reloads the account in front


def test_remove_deletes_the_profile_data(qtbot, make_window, home, page_server) -> None:
    window = make_window()
    view = window.create_account("web", "Old", url=f"{page_server}/")
    keep = window.create_account("web", "Keep", url=f"{page_server}/")
    with qtbot.waitSignal(view.page.loadFinished, timeout=15000):
        view.load()
    folder = home.profiles / view.account.id
    assert folder.exists()
    window.remove_account(view.account.id)
    qtbot.wait(3500)  # past the last retry: the folder must stay gone
    assert not folder.exists()
    assert (home.profiles / keep.account.id).exists()
    assert [a.name for a in AccountList(home.config / "accounts.json").load()] == ["Keep"]


def test_layout_and_current_account_come_back_after_a_restart(qtbot, make_window) -> None:
    first = make_window()
    first.create_account("web", "A", url="about:blank")
    b = first.create_account("web", "B", url="about:blank")
    first.tabs.setCurrentIndex(1)
    first.resize(900, 640)
    first.close()
    first.shutdown()
    qtbot.wait(100)
    second = make_window()
    assert second.current_view().account.id == b.account.id
    assert (second.width(), second.height()) == (900, 640)


def test_side_panels_dock_at_the_right_and_keep_their_state(qtbot, make_window) -> None:
    from PySide6.QtWidgets import QLabel

    first = make_window()
    dock = first.add_side_panel(QLabel("Contact card"), "Contact", "contact-card")
    assert first.dockWidgetArea(dock) is Qt.DockWidgetArea.RightDockWidgetArea
    assert dock.toggleViewAction() in first.panels_menu.actions()
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    dock.toggleViewAction().trigger()  # the agent hides it from View → Side panels
    assert not dock.isVisible()
    first.close()
    first.shutdown()
    second = make_window()
    again = second.add_side_panel(QLabel("Contact card"), "Contact", "contact-card")
    qtbot.wait(100)
    assert not again.isVisible()  # hidden it was, hidden it stays
    again.toggleViewAction().trigger()
    qtbot.waitUntil(again.isVisible, timeout=5000)
