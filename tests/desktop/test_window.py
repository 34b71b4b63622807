"""The real window under Xvfb: tabs, badges, drag order, rename, remove, shortcuts, layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTabBar,
)

from relaydesk.desktop.accounts import AccountList
from relaydesk.desktop.badge_pill import BadgePill
from relaydesk.desktop.recipes import platform_choice

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
    loaded: set[str] = set()
    for view in (sales, support):
        view.page_loaded.connect(lambda account_id, ok: ok and loaded.add(account_id))
        view.load()
    # Both pages loaded before a title is changed: a load finishing later resets it.
    qtbot.waitUntil(lambda: loaded == {sales.account.id, support.account.id}, timeout=15000)
    qtbot.waitUntil(lambda: pill(window, sales.account.id) == "3", timeout=15000)
    assert window.tabs.tabText(0) == "Sales" and window.tabs.tabText(1) == "Support"
    assert pill(window, support.account.id) == ""
    assert window.total_unread() == 3
    assert window.windowTitle().startswith("(3)")
    support.page.runJavaScript("document.title = '(5) Inbox'")
    qtbot.waitUntil(lambda: window.total_unread() == 8, timeout=5000)
    assert "Unread: 5" in window.tabs.tabToolTip(1)
    assert window.tray.toolTip() == "Relaydesk: 8 unread"
    support.page.runJavaScript("document.title = 'Inbox'")
    qtbot.waitUntil(lambda: window.tray.toolTip() == "Relaydesk: 3 unread", timeout=5000)


def test_drag_rename_and_shortcuts(qtbot, make_window, home) -> None:
    window = make_window()
    ids = [window.create_account("web", name, url="about:blank").account.id for name in "ABC"]
    window.tabs.tabBar().moveTab(2, 0)  # what a drag does
    window.accounts.flush()  # the window saves half a second after the last move
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


def when_modal(qtbot, act) -> list[str]:  # type: ignore[no-untyped-def]
    """Run ``act(dialog)`` on the next modal dialog to open (the real one the code shows)."""
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.windowTitle())
        act(dialog)

    QTimer.singleShot(0, poll)
    return seen


def test_remove_asks_first_and_no_keeps_the_account(qtbot, make_window, home) -> None:
    window = make_window()
    view = window.create_account("web", "Old", url="about:blank")
    answers = when_modal(
        qtbot, lambda box: box.button(QMessageBox.StandardButton.No).click()
    )
    window.remove_current()
    assert answers == ["Remove account"]
    assert view.account.id in window.views
    window.accounts.flush()
    assert [a.name for a in AccountList(home.config / "accounts.json").load()] == ["Old"]

    def yes(box: QMessageBox) -> None:
        assert "Old" in box.text() and "cookies" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal(qtbot, yes)
    window.remove_current()
    assert view.account.id not in window.views
    assert window.stack.currentWidget() is window.empty
    window.accounts.flush()
    assert list(AccountList(home.config / "accounts.json").load()) == []


def test_the_add_dialog_makes_a_team_account_with_its_spellcheck(
    qtbot, make_window, home
) -> None:
    window = make_window()

    def fill(dialog: QDialog) -> None:
        dialog.platform.setCurrentIndex(dialog.platform.findData("web"))
        dialog.name.setText("Shared shop")
        dialog.url.setText("about:blank")
        dialog.team.click()
        dialog.spellcheck.setCurrentIndex(dialog.spellcheck.findData("de-DE"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    titles = when_modal(qtbot, fill)
    view = window.add_account()
    assert titles == ["Add an account"] and view is not None
    window.accounts.flush()
    (saved,) = AccountList(home.config / "accounts.json").load()
    assert (saved.name, saved.team_account, saved.spellcheck_language) == (
        "Shared shop", True, "de-DE",
    )

    def cancel(dialog: QDialog) -> None:
        dialog.team.click()
        dialog.reject()

    when_modal(qtbot, cancel)
    assert window.add_account() is None
    assert len(window.views) == 1

    def choose(dialog: QDialog) -> None:  # Accounts → Spellcheck language…, a typed code
        combo = dialog.findChild(QComboBox)
        combo.setEditText("fr-FR")
        dialog.accept()

    assert when_modal(qtbot, choose) == [] and window.spellcheck_action.isEnabled()
    window.spellcheck_action.trigger()
    assert view.account.spellcheck_language == "fr-FR"
    assert window.accounts.get(view.account.id).spellcheck_language == "fr-FR"


def test_an_account_gets_its_recipes_user_agent(qtbot, make_window, page_server) -> None:
    window = make_window()
    expected = platform_choice("telegram_k").user_agent
    assert expected  # the recipe asks for one
    view = window.create_account("telegram_k", "TG", url=f"{page_server}/?title=Telegram")
    qtbot.waitUntil(lambda: view.loaded, timeout=5000)
    assert view.profile.httpUserAgent() == expected
    web = window.create_account("web", "Plain", url=f"{page_server}/")
    from relaydesk.desktop.profiles import DEFAULT_USER_AGENT

    assert web.profile.httpUserAgent() == DEFAULT_USER_AGENT
    seen: list[str] = []
    web.page.runJavaScript("navigator.userAgent", 0, seen.append)
    qtbot.waitUntil(lambda: seen == [DEFAULT_USER_AGENT], timeout=10000)


SPELLCHECK_PROBE = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineCore import QWebEngineProfile
from relaydesk.desktop.i18n import Translators
from relaydesk.desktop.window import MainWindow
from relaydesk.paths import app_paths

app = QApplication(sys.argv[:1])
home = app_paths(sys.argv[1]).ensure()
window = MainWindow(home, Translators(home.cache))
view = window.create_account("web", "DE", url="about:blank")
print(view.account.spellcheck_language, view.profile.isSpellCheckEnabled())
window.set_spellcheck(view.account.id, "de-DE")
print(",".join(view.profile.spellCheckLanguages()), view.profile.isSpellCheckEnabled())
window.set_spellcheck(view.account.id, "")
print(",".join(view.profile.spellCheckLanguages()) or "-", view.profile.isSpellCheckEnabled())
window.shutdown()
print(window.accounts.get(view.account.id).spellcheck_language or "-")
"""


def test_spellcheck_language_per_account_reaches_its_profile(tmp_path) -> None:
    """In a process of its own: Qt WebEngine reads the dictionary folder once, at start."""
    import os
    import subprocess
    import sys

    dictionaries = tmp_path / "dictionaries"
    dictionaries.mkdir()
    (dictionaries / "de-DE.bdic").write_bytes(b"")  # only its presence matters to Qt here
    env = {
        **os.environ,
        "QTWEBENGINE_DICTIONARIES_PATH": str(dictionaries),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-c", SPELLCHECK_PROBE, str(tmp_path / "home")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.split()
    # No en-US dictionary: off (Qt would warn for every profile). de-DE: on. Empty: off.
    assert lines == ["en-US", "False", "de-DE", "True", "-", "False", "-"], done.stdout
    assert "could not find" not in done.stderr  # Qt found the dictionary folder
