"""Start the workstation: QApplication, theme, language, window, and the qasync event loop."""

from __future__ import annotations

import asyncio
import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from qasync import QEventLoop

from relaydesk.desktop.gui_gc import GuiThreadCollector
from relaydesk.desktop.i18n import Translators, resolve_language
from relaydesk.desktop.rendering import choose_rendering
from relaydesk.desktop.resources import ICONS
from relaydesk.desktop.sandbox_accounts import add_sandbox_accounts
from relaydesk.desktop.settings import SettingsFile
from relaydesk.desktop.theme import apply_theme
from relaydesk.desktop.window import MainWindow
from relaydesk.paths import AppPaths


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so that Qt stores nothing under another app's name."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Relaydesk")
    app.setOrganizationName("Relaydesk")
    app.setDesktopFileName("relaydesk")
    app.setWindowIcon(QIcon(str(ICONS / "relaydesk.svg")))
    app.setQuitOnLastWindowClosed(False)  # run_window ends the loop itself, after cleaning up
    # Before any web view: CPU-emulated OpenGL (no GPU) would make every frame stall the UI.
    app.setProperty("relaydeskRendering", choose_rendering())
    return app


def build_window(paths: AppPaths, app: QApplication) -> MainWindow:
    """Theme, language and the window with every account (pages not loaded yet)."""
    paths.ensure()
    settings_file = SettingsFile(paths.config / "settings.json")
    settings = settings_file.load()
    for problem in settings_file.problems:
        print(f"relaydesk: settings: {problem}", file=sys.stderr)
    apply_theme(app, settings.theme)
    translators = Translators(paths.cache)
    translators.apply(resolve_language(settings.ui_language), at_start=True)  # no window yet
    return MainWindow(paths, translators, settings_file)


async def run_window(
    paths: AppPaths, sandbox_url: str | None, smoke_timeout_s: float | None = None
) -> int:
    """Show the window, then load the pages; return when it closes (or, with
    ``smoke_timeout_s``, once every page works: ``relaydesk --smoke-test``)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = build_window(paths, app)
    if sandbox_url:
        add_sandbox_accounts(window, sandbox_url)
    if smoke_timeout_s is not None:
        from relaydesk.desktop.smoke import smoke_test

        result = await smoke_test(window, smoke_timeout_s)
        window.shutdown()
        window.deleteLater()
        await asyncio.sleep(0.2)
        return result
    window.show()
    QTimer.singleShot(0, window.load_pages)
    if not window.window_state.welcomed:
        QTimer.singleShot(300, window.show_welcome)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    # The customer store, side panels, intake and translation (the store opens on its thread;
    # imported here: translation and detection libraries need not delay the window).
    from relaydesk.desktop.chat_services import attach_services, default_keys

    keys = default_keys()
    await asyncio.to_thread(keys.prefetch)  # a keyring read may block: never on the UI thread
    services = await attach_services(window, keys=keys)  # None: the agent was told
    from relaydesk.desktop.team import attach_team

    team = await attach_team(window, services)  # resumes a kept sign-in, if any
    from relaydesk.desktop.holding import attach_holding

    holding = await attach_holding(window, services, team) if services is not None else None
    from relaydesk.desktop.demo_mode import attach_demo

    attach_demo(window, team)  # only when `relaydesk demo` started this app (docs/demo.md)
    await closed.wait()
    if holding is not None:
        await holding.close()
    await team.close()
    if services is not None:
        await services.close()
    window.shutdown()
    window.deleteLater()
    await asyncio.sleep(0.2)  # pages and profiles go while Qt WebEngine is still up
    return 0


def run(
    paths: AppPaths, sandbox_url: str | None = None, smoke_timeout_s: float | None = None
) -> int:
    dictionaries = paths.data / "dictionaries"  # users may drop <language>.bdic files here
    if dictionaries.is_dir():
        os.environ.setdefault("QTWEBENGINE_DICTIONARIES_PATH", str(dictionaries))
    if SettingsFile(paths.config / "settings.json").load().software_rendering:
        # Must be chosen before the QApplication exists. Without a GPU, Qt's OpenGL path is
        # emulated on the CPU and drawing the web view stalls the UI thread (docs/desktop.md).
        os.environ["QT_QUICK_BACKEND"] = "software"
    app = make_application()
    # One run of the Qt loop only, not asyncio.run/Runner: those run the loop again to close
    # async generators, after Qt's aboutToQuit has already torn Qt WebEngine down, and that
    # second run crashes (segfault at exit, seen with any account open).
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector()  # Qt objects in cycles must die on this thread
    collector.start()
    try:
        result: int = loop.run_until_complete(
            run_window(paths, sandbox_url, smoke_timeout_s)
        )
        return result
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        collector.stop()
