"""The first-run welcome never keeps the app from quitting (issue 7's bug).

It was shown with ``exec()``: an application-modal dialog in a nested event loop, which blocked
the window (its close was refused, Ctrl+Q never reached it), so ``relaydesk --home NEW`` could
not be quit while the welcome was up. These tests press the real keys under Xvfb; a watchdog
closes a welcome left open so that the old behaviour fails instead of hanging the run.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from relaydesk.desktop.dialogs import WelcomeDialog

pytestmark = pytest.mark.qt

WATCHDOG_MS = 15_000


def _open_welcomes() -> list[WelcomeDialog]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, WelcomeDialog) and widget.isVisible()
    ]


@pytest.fixture
def watchdog() -> Iterator[list[int]]:
    """Rejects every welcome still open after a while; the list says how many it had to end."""
    forced: list[int] = []

    def end_them() -> None:
        for dialog in _open_welcomes():
            forced.append(1)
            dialog.reject()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.setInterval(WATCHDOG_MS)
    timer.timeout.connect(end_them)
    timer.start()
    yield forced
    timer.stop()


def test_ctrl_q_in_the_welcome_quits(qtbot: Any, make_window: Any, watchdog: list[int]) -> None:
    window = make_window()
    closed: list[int] = []
    window.closed.connect(lambda: closed.append(1))
    welcome = window.show_welcome()  # returns at once: the tour does not block the window
    assert watchdog == [] and isinstance(welcome, WelcomeDialog)
    qtbot.waitExposed(welcome)
    qtbot.waitUntil(welcome.isActiveWindow)  # the keys go where a person's would: the tour
    assert not welcome.isModal()
    qtbot.keyClick(welcome, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed == [1])
    assert not window.isVisible()
    assert _open_welcomes() == [] and window.welcome is None
    assert window.window_state.welcomed  # seen, and not shown again next time


def test_closing_the_window_ends_the_welcome(
    qtbot: Any, make_window: Any, watchdog: list[int], home: Any
) -> None:
    window = make_window()
    closed: list[int] = []
    window.closed.connect(lambda: closed.append(1))
    welcome = window.show_welcome()
    qtbot.waitExposed(welcome)
    qtbot.mouseClick(welcome.next, Qt.MouseButton.LeftButton)  # the agent is on step 2
    assert welcome.pages.currentIndex() == 1
    assert window.close()  # what the title bar's close button asks for
    assert closed == [1] and _open_welcomes() == []
    saved = json.loads((Path(home.config) / "window.json").read_text(encoding="utf-8"))
    assert saved["welcomed"] is True


def test_the_window_stays_usable_while_the_welcome_is_open(
    qtbot: Any, make_window: Any, watchdog: list[int]
) -> None:
    window = make_window()
    welcome = window.show_welcome()
    qtbot.waitExposed(welcome)
    assert QApplication.activeModalWidget() is None
    assert window.show_welcome() is welcome  # Help → Welcome tour again raises the same one
    for _ in range(3):
        qtbot.mouseClick(welcome.next, Qt.MouseButton.LeftButton)  # Next, Next, Start
    qtbot.waitUntil(lambda: window.welcome is None)
    assert welcome.result() == WelcomeDialog.DialogCode.Accepted and window.window_state.welcomed


def test_the_app_started_on_a_fresh_home_quits_with_ctrl_q_during_the_welcome(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, watchdog: list[int]
) -> None:
    """What ``relaydesk --home NEW`` runs (app.run_window), then Ctrl+Q typed into the tour."""
    from relaydesk.desktop.app import run_window
    from relaydesk.paths import app_paths

    paths = app_paths(tmp_path / "fresh").ensure()
    # Fresh but for a small detection set, so that the test does not load 13 language models.
    (paths.config / "settings.json").write_text(
        json.dumps({"detection_languages": "en, es"}), encoding="utf-8"
    )

    async def scenario() -> int:
        running = asyncio.ensure_future(run_window(paths, None))
        for _ in range(400):
            if _open_welcomes() or running.done():
                break
            await asyncio.sleep(0.05)
        welcomes = _open_welcomes()
        assert len(welcomes) == 1, "the welcome did not show on a fresh home"
        qtbot.waitExposed(welcomes[0])
        await asyncio.sleep(0.5)  # the services start meanwhile, as when a person reads it
        qtbot.keyClick(welcomes[0], Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        return await asyncio.wait_for(running, 60)

    assert loop.run_until_complete(scenario()) == 0
    assert watchdog == []  # nobody had to end the welcome for the app to stop
    saved = json.loads((paths.config / "window.json").read_text(encoding="utf-8"))
    assert saved["welcomed"] is True
