"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects reference cycles in whichever thread happens to allocate when a generation's
threshold is crossed. The app allocates on worker threads all the time (the store's thread,
``asyncio.to_thread`` for keyring and file work, translation), so a cycle holding a Qt object —
a closure connected to a signal, a widget that points back at its owner — can be destroyed on a
worker thread. Qt then warns "Timers cannot be stopped from another thread" or crashes.

:class:`GuiThreadCollector` turns automatic collection off and does the same work from a timer
on the GUI thread: every ``interval_ms`` it looks at the collector's counts and collects the
generations whose thresholds were crossed, exactly as CPython would have, just in the right
thread. Reference counting (which frees almost everything) is not affected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    """While started, cycles are collected on the thread that owns this object."""

    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._was_enabled = gc.isenabled()
        self.collections = [0, 0, 0]  # per generation, for tests and diagnostics

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Automatic collection as it was, after one last full collection here."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for level in range(3):
            if thresholds[level] and counts[level] > thresholds[level]:
                generation = level
        if generation >= 0:
            gc.collect(generation)
            self.collections[generation] += 1
