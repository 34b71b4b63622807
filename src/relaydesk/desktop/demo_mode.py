"""What the app does differently when ``relaydesk demo`` started it (``RELAYDESK_DEMO=1``).

- SIGTERM (the demo ending, or Ctrl+C in its terminal) closes the window the way its close
  button does, so the team session, the store and the pages end cleanly; with
  ``RELAYDESK_DEMO_SCREENSHOTS=DIR`` the window, the side panel and the supervisor board are
  grabbed into DIR first (``QWidget.grab``: the real widgets, no screen capture tool needed).
- The supervisor board opens once the sign-in is confirmed (the demo agent is a supervisor).
- The board shares a tabbed dock with the intake counter and the translation panel (the
  translations themselves show in the chat), and the window is sized to fit.
- The first chat in the first account from someone writing in another language is opened once,
  so the customer card and the translation of its messages are on screen; after that the agent
  clicks as they like.

Nothing here runs outside the demo: ``attach_demo`` returns None unless the variable is set.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from relaydesk.desktop.team import TeamMode
    from relaydesk.desktop.window import MainWindow

log = logging.getLogger("relaydesk.demo")

DEMO_VARIABLE = "RELAYDESK_DEMO"
SCREENSHOTS_VARIABLE = "RELAYDESK_DEMO_SCREENSHOTS"
WAKE_MS = 250  # Python signal handlers run only when the interpreter does: wake it this often
OPEN_FIRST_CHAT_AFTER_MS = 1_500
FOREIGN_CHAT_WAIT = 5  # chat-list reports to wait for a non-English customer before any will do
FORCED_EXIT_MS = 20_000  # a close that hangs must not keep the demo from ending
SETTLE_BEFORE_GRAB_MS = 700
CUSTOMER_SHARE = 0.55  # of the side's height: the customer card above the tabbed board
WINDOW_SIZE = (1560, 980)  # the tabs and the four side panels fit (also in a 1600x1000 Xvfb)
SCREENSHOTS = {"main": "demo-main.png", "side": "demo-side-panel.png", "board": "demo-board.png"}


class DemoMode(QObject):
    def __init__(self, window: MainWindow, team: TeamMode, screenshots: Path | None) -> None:
        super().__init__(window)
        self.window = window
        self.team = team
        self.screenshots = screenshots
        self.stopping = False
        self.opened_first_chat = False
        self.waited_for_foreign = 0
        self.tabbed: set[str] = set()
        window.resize(*WINDOW_SIZE)
        self.wake = QTimer(self)
        self.wake.setInterval(WAKE_MS)
        self.wake.timeout.connect(self._tick)
        self.wake.start()
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for view in window.views.values():
            view.chats_seen.connect(self._chats_seen)

    def _on_signal(self, signum: int, _frame: Any) -> None:
        if self.stopping:
            os._exit(128 + signum)  # asked twice: the person wants out now
        self.stopping = True
        QTimer.singleShot(0, self.stop)

    def _tick(self) -> None:
        """Open the board once signed in as a supervisor (the menu item's own check), in tabs
        with the intake counter and the translation panel (made later, on the first chat):
        four panels stacked would make the window taller than a screen."""
        if self.team.board is None and self.team.board_action.isEnabled():
            self.team.show_board()
        docks = {d.objectName(): d for d in self.window.findChildren(QDockWidget)}
        board = docks.get("team-board")
        if board is None:
            return
        for name in ("intake", "translation"):
            if docks.get(name) is not None and name not in self.tabbed:
                self.tabbed.add(name)
                self.window.tabifyDockWidget(board, docks[name])
                board.raise_()
                QTimer.singleShot(500, self._lay_out)

    def _lay_out(self) -> None:
        """The window at its demo size, and the side shared between the customer card and the
        board in a fixed proportion (left to Qt, whichever panel filled first took most of it)."""
        self.window.resize(*WINDOW_SIZE)
        docks = {d.objectName(): d for d in self.window.findChildren(QDockWidget)}
        customer, board = docks.get("customer"), docks.get("team-board")
        if customer is None or board is None or not customer.isVisible():
            return
        height = customer.height() + board.height()
        upper = int(height * CUSTOMER_SHARE)
        self.window.resizeDocks([customer, board], [upper, height - upper], Qt.Orientation.Vertical)

    def _chats_seen(self, account_id: str, chats: list[Any]) -> None:
        first = self.window.tabs.widget(0)
        if self.opened_first_chat or not chats or first is None:
            return
        view = self.window.views.get(account_id)
        if view is None or view is not first or view.recipe is None:
            return
        # A customer writing in another language (a name in another script, most likely) shows
        # what translation does; an English one is opened only if none comes.
        foreign = [c for c in chats if not str(c[1]).isascii()]
        if not foreign and self.waited_for_foreign < FOREIGN_CHAT_WAIT:
            self.waited_for_foreign += 1
            return
        self.opened_first_chat = True
        key = str((foreign or chats)[0][0])
        recipe = view.recipe
        QTimer.singleShot(OPEN_FIRST_CHAT_AFTER_MS, lambda: recipe.open_chat(key))

    def stop(self) -> None:
        QTimer.singleShot(FORCED_EXIT_MS, lambda: os._exit(1))
        if self.screenshots is None:
            self.window.close()
            return
        # Laid out first, grabbed once the pages have drawn at their new sizes (a web view
        # resized just before a grab shows its previous frame, cut off).
        self._lay_out()
        QTimer.singleShot(SETTLE_BEFORE_GRAB_MS, self._grab_and_close)

    def _grab_and_close(self) -> None:
        assert self.screenshots is not None
        try:
            self.take_screenshots(self.screenshots)
        except Exception:  # a failed grab must not keep the demo from closing
            log.exception("demo screenshots failed")
        self.window.close()

    def take_screenshots(self, folder: Path) -> list[Path]:
        """The window, the customer side panel and the supervisor board, as PNG files."""
        folder.mkdir(parents=True, exist_ok=True)
        docks = {d.objectName(): d for d in self.window.findChildren(QDockWidget)}
        parts: dict[str, QWidget | None] = {
            "main": self.window,
            "side": docks.get("customer"),
            "board": docks.get("team-board"),
        }
        saved = []
        for part, widget in parts.items():
            if widget is None or not widget.isVisible():
                log.warning("demo screenshot: no %s to grab", part)
                continue
            path = folder / SCREENSHOTS[part]
            if widget.grab().save(str(path), "PNG"):
                saved.append(path)
        log.info("demo screenshots: %s", ", ".join(p.name for p in saved))
        return saved


def attach_demo(window: MainWindow, team: TeamMode) -> DemoMode | None:
    if os.environ.get(DEMO_VARIABLE) != "1":
        return None
    folder = os.environ.get(SCREENSHOTS_VARIABLE, "").strip()
    return DemoMode(window, team, Path(folder) if folder else None)
