"""Real pages in the real window: crash recovery, hung pages, profile isolation, hibernation."""

from __future__ import annotations

import os
import signal
import time

import pytest
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QTabBar

from relaydesk.desktop.badge_pill import BadgePill
from relaydesk.desktop.badges import Health
from relaydesk.desktop.hibernation import HibernationPolicy, Sleep

pytestmark = pytest.mark.qt


def run_js(qtbot, view, script: str) -> object:  # type: ignore[no-untyped-def]
    """Run ``script`` in the page and return its result (waits for it)."""
    results: list[object] = []
    view.page.runJavaScript(script, 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    return results[0]


def open_account(qtbot, window, name: str, url: str):  # type: ignore[no-untyped-def]
    """Add an account and wait until its page has loaded."""
    loads: list[bool] = []
    view = window.create_account("web", name, url=url)
    view.page.loadFinished.connect(loads.append)
    qtbot.waitUntil(lambda: bool(loads), timeout=20000)  # connected before any event ran
    return view


def pill_text(window, view) -> str:  # type: ignore[no-untyped-def]
    index = window.tabs.indexOf(view)
    pill = window.tabs.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
    assert isinstance(pill, BadgePill)
    return pill.text


def test_a_killed_renderer_reloads_by_itself_with_a_note(qtbot, make_window, page_server) -> None:
    window = make_window()
    view = open_account(qtbot, window, "Sales", f"{page_server}/?title=Inbox&who=first")
    run_js(qtbot, view, "document.getElementById('who').textContent = 'changed'")
    pid = view.page.renderProcessPid()
    assert pid > 0
    with qtbot.waitSignal(view.page.loadFinished, timeout=20000):
        os.kill(pid, signal.SIGKILL)
    assert view.note.isVisible()
    assert "crashed" in view.note.label.text()
    assert view.health is Health.CRASHED
    assert "crashed" in window.tabs.tabToolTip(window.tabs.indexOf(view))
    assert run_js(qtbot, view, "document.getElementById('who').textContent") == "first"
    assert view.page.renderProcessPid() not in (0, pid)


def test_a_hung_page_is_offered_a_reload_that_works(qtbot, make_window, page_server) -> None:
    window = make_window()
    view = open_account(qtbot, window, "Support", f"{page_server}/?who=alive")
    view.heartbeat.timeout_s = 0.5
    view.page.runJavaScript("setTimeout(() => { while (true) {} }, 50)")  # hangs for good
    qtbot.wait(200)
    view.check_responsive(time.monotonic())  # a ping the page will never answer
    qtbot.wait(700)
    view.check_responsive(time.monotonic())
    assert view.health is Health.UNRESPONSIVE
    assert view.note.isVisible() and view.note.button.isVisible()
    assert "not responding" in view.note.label.text()
    with qtbot.waitSignal(view.page.loadFinished, timeout=20000):
        view.note.button.click()
    assert not view.note.isVisible()
    assert run_js(qtbot, view, "document.getElementById('who').textContent") == "alive"
    view.check_responsive(time.monotonic())
    qtbot.waitUntil(lambda: view.heartbeat._pending_since is None, timeout=5000)
    assert view.health is not Health.UNRESPONSIVE


def test_a_busy_page_that_answers_late_needs_no_reload(qtbot, make_window, page_server) -> None:
    window = make_window()
    view = open_account(qtbot, window, "Busy", f"{page_server}/")
    view.heartbeat.timeout_s = 0.3
    view.page.runJavaScript(
        "setTimeout(() => { const end = Date.now() + 1500; while (Date.now() < end) {} }, 10)"
    )
    qtbot.wait(100)
    view.check_responsive(time.monotonic())
    qtbot.wait(500)
    view.check_responsive(time.monotonic())
    assert view.note.isVisible()
    qtbot.waitUntil(lambda: not view.note.isVisible(), timeout=10000)  # the late answer came
    assert view.health is not Health.UNRESPONSIVE


def test_a_cookie_set_in_one_account_is_absent_in_another(
    qtbot, make_window, page_server
) -> None:
    window = make_window()
    first = open_account(qtbot, window, "First", f"{page_server}/")
    second = open_account(qtbot, window, "Second", f"{page_server}/")
    run_js(qtbot, first, "document.cookie = 'session=first-login; max-age=3600; path=/'")
    run_js(qtbot, first, "localStorage.setItem('who', 'first')")
    assert "session=first-login" in str(run_js(qtbot, first, "document.cookie"))
    assert run_js(qtbot, second, "document.cookie") == ""
    assert run_js(qtbot, second, "String(localStorage.getItem('who'))") == "null"
    assert run_js(qtbot, first, "String(localStorage.getItem('who'))") == "first"
    with qtbot.waitSignal(second.page.loadFinished, timeout=20000):
        second.reload()
    assert run_js(qtbot, second, "document.cookie") == ""
    assert first.profile.persistentStoragePath() != second.profile.persistentStoragePath()


@pytest.mark.parametrize("discard", [False, True], ids=["frozen", "discarded"])
def test_an_idle_account_sleeps_keeps_its_badge_and_wakes_on_click(
    qtbot, make_window, page_server, discard: bool
) -> None:
    window = make_window()
    idle = open_account(qtbot, window, "Idle", f"{page_server}/?title=(4)%20Inbox")
    front = open_account(qtbot, window, "Front", f"{page_server}/")
    qtbot.waitUntil(lambda: pill_text(window, idle) == "4", timeout=10000)
    window.tabs.setCurrentWidget(front)
    idle.last_active -= 120
    changes = window.apply_hibernation(HibernationPolicy(after_s=60, discard=discard))
    target = Sleep.DISCARDED if discard else Sleep.FROZEN
    assert changes == {idle.account.id: target}
    qtbot.waitUntil(lambda: idle.sleep is target, timeout=5000)
    assert front.sleep is Sleep.AWAKE
    assert pill_text(window, idle) == "~4"  # last known count, marked not live
    assert "Asleep" in window.tabs.tabToolTip(window.tabs.indexOf(idle))
    assert window.total_unread() == 4
    loads: list[bool] = []
    idle.page.loadFinished.connect(loads.append)
    window.tabs.setCurrentWidget(idle)  # the agent clicks its tab
    qtbot.waitUntil(lambda: idle.sleep is Sleep.AWAKE, timeout=5000)
    if discard:  # a discarded page loads again; a frozen one just resumes
        qtbot.waitUntil(lambda: bool(loads), timeout=20000)
    else:
        assert not loads
    qtbot.waitUntil(lambda: pill_text(window, idle) == "4", timeout=20000)
    assert run_js(qtbot, idle, "document.title") == "(4) Inbox"
    assert idle.page.lifecycleState() is QWebEnginePage.LifecycleState.Active
