"""Qt fixtures for the recipe tests: one sandbox server and one web profile per test module.

Each test loads a sandbox page into a fresh QWebEnginePage with the platform's recipe installed
exactly as the desktop installs it (``install_recipe``), and reads the events the bridge emits.
Chromium's sandbox cannot run as root in CI containers, so it is switched off here only.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from relaydesk.sandbox.background import BackgroundSandbox

HEALTH_LIMIT_MS = 1500  # the recipes' "anchors missing for over 30 s", shortened for tests


@pytest.fixture(scope="session", autouse=True)
def _chromium_without_sandbox() -> Iterator[None]:
    """Set before the session's QApplication exists (autouse session fixtures come first)."""
    previous = os.environ.get("QTWEBENGINE_DISABLE_SANDBOX")
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    # A page without a view counts as a hidden tab, whose timers Chromium clamps to 1 Hz: off
    # here so the tests wait less (the recipes work either way, only slower).
    os.environ.setdefault(
        "QTWEBENGINE_CHROMIUM_FLAGS",
        "--disable-gpu --disable-dev-shm-usage --disable-background-timer-throttling",
    )
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401  (must load before the QApplication)
    except ImportError:  # an install without the desktop extra: only the plain tests run
        pass

    yield
    if previous is None:
        os.environ.pop("QTWEBENGINE_DISABLE_SANDBOX", None)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[BackgroundSandbox]:
    with BackgroundSandbox() as server:
        yield server


@pytest.fixture(scope="module")
def profile(qapp):  # type: ignore[no-untyped-def]
    """One off-the-record profile per module; its pages are deleted before it."""
    from PySide6.QtWebEngineCore import QWebEngineProfile

    made = QWebEngineProfile()
    yield made
    made.deleteLater()
    qapp.processEvents()


class RecipePage:
    """A sandbox page in QtWebEngine with its recipe, and every event the recipe sent."""

    def __init__(  # type: ignore[no-untyped-def]
        self, qtbot, profile, platform: str, url: str, health_limit_ms: int = HEALTH_LIMIT_MS
    ) -> None:
        from PySide6.QtWebEngineCore import QWebEnginePage

        from relaydesk.platforms.qt_bridge import install_recipe

        self.qtbot = qtbot
        self.page = QWebEnginePage(profile)
        self.view: Any = None
        self.health_limit_ms = health_limit_ms
        config = {"health_timeout_ms": health_limit_ms, "scan_interval_ms": 200}
        self.bridge = install_recipe(self.page, platform, config)
        self.events: list[Any] = []
        self.bridge.recipe_event.connect(self.events.append)
        self.page.load(url)

    def last(self, kind: type) -> Any:
        found = [e for e in self.events if isinstance(e, kind)]
        return found[-1] if found else None

    def wait_for(self, kind: type, check: Callable[[Any], bool], timeout: int = 10000) -> Any:
        """The newest event of ``kind`` once ``check`` holds for it."""

        def ready() -> bool:
            event = self.last(kind)
            return event is not None and check(event)

        self.qtbot.waitUntil(ready, timeout=timeout)
        return self.last(kind)

    def js(self, source: str, timeout: int = 5000, world: int = 0) -> Any:
        """The value of the expression ``source`` in the page's own (main) world, or in
        ``world`` (1, Qt's ApplicationWorld, is the recipe's).

        The value travels as JSON text: PySide6 mishandles the reference count of booleans
        handed to runJavaScript callbacks (a crash at exit), and text is always safe.
        """
        results: list[str] = []
        wrapped = f"JSON.stringify((function () {{ return ({source}); }})()) || 'null'"
        self.page.runJavaScript(wrapped, world, results.append)
        self.qtbot.waitUntil(lambda: bool(results), timeout=timeout)
        return json.loads(results[0])

    def show(self) -> Any:
        """Put the page in a real, shown view (a person's keyboard and mouse reach it there)."""
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.view = QWebEngineView()
        self.view.setPage(self.page)
        self.view.resize(1200, 800)
        self.view.show()
        self.qtbot.waitExposed(self.view)
        return self.view

    def close(self) -> None:
        if self.view is not None:  # the view first: it does not own the page
            self.view.deleteLater()
        self.page.deleteLater()


@pytest.fixture
def open_page(qtbot, profile, sandbox):  # type: ignore[no-untyped-def]
    made: list[RecipePage] = []

    def make(
        platform: str, health_limit_ms: int = HEALTH_LIMIT_MS, before_load: Callable[[], Any] = list
    ) -> RecipePage:
        sandbox.reset(platform)
        before_load()  # e.g. change the page's structure before it first draws
        page = RecipePage(qtbot, profile, platform, f"{sandbox.url}/{platform}/", health_limit_ms)
        made.append(page)
        return page

    yield make
    for page in made:
        page.close()
    qtbot.wait(50)
    gc.collect()
