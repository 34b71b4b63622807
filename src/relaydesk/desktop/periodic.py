"""A widget that reads from the team server now and then, in the background.

Every ``refresh_ms`` (and at ``start``) it starts ``refresh()`` on the qasync loop unless the
previous read is still running, so the UI thread never waits for the server and reads never
pile up. Subclasses write ``refresh`` (and emit ``refreshed`` when it is done).
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget


class PeriodicRead(QWidget):
    """``start`` reads now and then every ``refresh_ms``; ``refreshed`` after each read."""

    refreshed = Signal()

    def __init__(self, parent: QWidget | None, refresh_ms: int) -> None:
        super().__init__(parent)
        self._task: asyncio.Task[None] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh_soon)

    def start(self) -> None:
        self.timer.start()
        self.refresh_soon()

    def stop(self) -> None:
        self.timer.stop()

    def refresh_soon(self) -> None:
        """Start a read unless one is running (the UI thread never waits for the server)."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self.refresh())

    async def refresh(self) -> None:
        raise NotImplementedError
