"""Qt fixtures for the desktop tests: real windows (under Xvfb), real pages on a loopback server.

Chromium's sandbox cannot run as root in CI containers, so it is switched off here, in the test
fixtures only, never in the product.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from relaydesk.paths import AppPaths, app_paths

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p id="who">{who}</p></body></html>"""


class _PageHandler(BaseHTTPRequestHandler):
    """``/?title=T&who=W``: a small page; tests drive it further with runJavaScript."""

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        body = PAGE.format(
            title=query.get("title", ["Inbox"])[0], who=query.get("who", [""])[0]
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


# Qt warnings fail the desktop's Qt tests (STYLE.md), except these, each with its reason.
QT_WARNINGS_ALLOWED = (
    # Xvfb has no system tray; the window still works and shows notifications when it has one.
    "QSystemTrayIcon::setVisible: No Icon set",
    # Xvfb has no window manager to honour activation requests made by tests.
    r"requestActivate\(\) called for",
    # Chromium's GPU probes at start on a display without GPU drivers (Xvfb, llvmpipe): it falls
    # back to software rendering, which is what these tests want anyway.
    "vulkan",
    "Vulkan",
    "Unable to detect GPU vendor",
    "GLX: No DRI3",
    "GPUInfo not initialized",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.get_closest_marker("qt") and Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_WARNINGS_ALLOWED))


@pytest.fixture(scope="session", autouse=True)
def _chromium_without_sandbox() -> Iterator[None]:
    """Set before the session's QApplication exists (autouse session fixtures come first)."""
    previous = os.environ.get("QTWEBENGINE_DISABLE_SANDBOX")
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --disable-dev-shm-usage")
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must load before the QApplication)

    yield
    if previous is None:
        os.environ.pop("QTWEBENGINE_DISABLE_SANDBOX", None)


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_gui_thread() -> Iterator[None]:
    """As the app does (relaydesk.desktop.gui_gc): no automatic collection while a test runs,
    so a cycle holding a Qt object is never destroyed by a worker thread's allocation (Qt:
    "Timers cannot be stopped from another thread", or a crash); one collection here after."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    """The sandbox's platform pages on loopback, one per test module that asks for it."""
    from relaydesk.sandbox.background import BackgroundSandbox

    with BackgroundSandbox() as running:
        yield running


@pytest.fixture(scope="session")
def page_server() -> Iterator[str]:
    """A loopback HTTP server for the tests' pages; stopped at the end of the session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def home(tmp_path: Path) -> AppPaths:
    return app_paths(tmp_path / "home").ensure()


@pytest.fixture
def make_window(qtbot, home: AppPaths) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Build a MainWindow on ``home`` (shown); every one is shut down cleanly afterwards."""
    from PySide6.QtWidgets import QApplication

    from relaydesk.desktop.i18n import Translators
    from relaydesk.desktop.window import MainWindow

    made: list[MainWindow] = []

    def make(show: bool = True) -> MainWindow:
        window = MainWindow(home, Translators(home.cache))
        window.hibernation_timer.stop()  # tests drive hibernation and heartbeats themselves
        window.heartbeat_timer.stop()
        made.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    yield make
    for window in made:
        window.translators.apply("en")
        window.close()
        window.shutdown()
        window.deleteLater()
    QApplication.processEvents()
    qtbot.wait(50)


class _NestedLoopApp:
    """What qasync needs of "the app", backed by a nested ``QEventLoop``.

    qasync runs ``app.exec()`` and leaves with ``app.exit()``. On the real QApplication, exit
    emits ``aboutToQuit``, on which Qt WebEngine tears itself down: the next page, or the next
    exit, then crashes the process (seen with PySide6 6.12 once any test had loaded a page).
    A nested event loop runs the same timers and sockets and ends without that signal."""

    def __init__(self, app: object) -> None:
        from PySide6.QtCore import QEventLoop

        self._app = app
        self._nested: QEventLoop | None = None
        self.aboutToQuit = app.aboutToQuit  # type: ignore[attr-defined]

    def exec(self) -> int:
        from PySide6.QtCore import QEventLoop

        self._nested = QEventLoop()
        try:
            return self._nested.exec()
        finally:
            self._nested = None

    def exit(self, code: int = 0) -> None:
        if self._nested is not None:
            self._nested.exit(code)

    def eventDispatcher(self) -> object:
        return self._app.eventDispatcher()  # type: ignore[attr-defined]


@pytest.fixture
def loop(qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A qasync event loop for one test, set as the current loop, closed afterwards."""
    import asyncio
    import gc

    import qasync

    event_loop = qasync.QEventLoop(_NestedLoopApp(qapp))
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.run_until_complete(asyncio.sleep(0))
    event_loop.close()
    asyncio.set_event_loop(None)
    # qasync's timer objects must die on this (the GUI) thread: collected later by a worker
    # thread's allocation, Qt warns that timers cannot be stopped from another thread.
    del event_loop
    gc.collect()


def load_team_helpers() -> ModuleType:
    """tests/desktop/team_server.py (a real team server, its team and agents), loaded once."""
    name = "relaydesk_test_team_server"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("team_server.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def team_helpers() -> ModuleType:
    return load_team_helpers()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The real team server in a process of its own on loopback, with its admin made."""
    pytest.importorskip("fastapi", reason="team mode's tests need the server extra")
    sync = load_team_helpers().sync_fixtures()
    db_path = tmp_path / "server.db"
    sync._create_admin(db_path, monkeypatch)
    live = sync.LiveServer(db_path)
    live.start()
    try:
        yield live
    finally:
        live.stop()
