"""Reference cycles are collected on the GUI thread, never on a worker thread."""

from __future__ import annotations

import gc
import threading
from typing import Any, ClassVar

from relaydesk.desktop.gui_gc import GuiThreadCollector


class _Cycle:
    """A cycle that records the thread it was collected in."""

    died_in: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.died_in.append(threading.current_thread().name)


def test_cycles_made_anywhere_die_on_the_gui_thread(qapp: Any, qtbot: Any) -> None:
    was_enabled = gc.isenabled()  # the desktop tests' fixture turns it off, as the app does
    collector = GuiThreadCollector(interval_ms=20)
    collector.start()
    try:
        assert not gc.isenabled()
        _Cycle.died_in.clear()
        for _ in range(50):
            _Cycle()

        def allocate() -> None:  # enough allocations to trigger collections, were they automatic
            junk = [[i] for i in range(200_000)]
            for item in junk:
                item.append(item)
            del junk

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert _Cycle.died_in == []  # nothing collected on the worker
        qtbot.waitUntil(lambda: len(_Cycle.died_in) == 50, timeout=5000)
        assert set(_Cycle.died_in) == {threading.main_thread().name}
        assert sum(collector.collections) > 0  # by the timer, not by a worker
    finally:
        collector.stop()
    assert gc.isenabled() == was_enabled  # as it was before
