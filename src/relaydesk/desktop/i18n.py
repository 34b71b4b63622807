"""UI language: find or compile ``translations/*.ts`` to ``.qm`` and install the translators.

The ``.qm`` files are build output, not sources. A wheel carries them precompiled (``setup.py``
runs ``pyside6-lrelease``), so an install loads them at once. A source checkout has only the
``.ts``: its ``.qm`` is compiled into the cache dir (again whenever the ``.ts`` is newer) at
start, before the window exists, or, for a switch in the settings, on a worker thread (the
language changes when it is ready), so lrelease never blocks a window that is up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from relaydesk.desktop.resources import TRANSLATIONS
from relaydesk.shipped import is_installed_copy

SUPPORTED = ("en", "zh_CN")


def resolve_language(setting: str, system_locale: str | None = None) -> str:
    """``system`` becomes the OS language when we have it, else English."""
    if setting != "system":
        return setting if setting in SUPPORTED else "en"
    name = system_locale or QLocale.system().name()
    if name.startswith("zh"):
        return "zh_CN"
    return "en"


def lrelease_tool() -> str | None:
    """Qt's ``lrelease``: the one inside PySide6 first (there even when the app is started
    without its virtualenv's ``bin`` on PATH, as a desktop launcher does), else one on PATH."""
    bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    if bundled.is_file() and os.access(bundled, os.X_OK):
        return str(bundled)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def _fresh(target: Path, source: Path) -> bool:
    return target.exists() and target.stat().st_mtime >= source.stat().st_mtime


def ready_translation(language: str, cache_dir: Path) -> Path | None:
    """The ``.qm`` for ``language`` if one exists and is current: shipped beside its ``.ts``
    (an install) or compiled earlier into ``cache_dir``. Cheap: no compiling."""
    shipped = TRANSLATIONS / f"relaydesk_{language}.qm"
    source = shipped.with_suffix(".ts")
    if shipped.exists() and (
        is_installed_copy(shipped) or not source.exists() or _fresh(shipped, source)
    ):
        # Compiled with the wheel (file times may not survive the install) or shipped alone,
        # as the installers' bundles do.
        return shipped
    if not source.exists():
        return None
    cached = cache_dir / "translations" / f"{source.stem}.qm"
    return cached if _fresh(cached, source) else None


def compiled_translation(language: str, cache_dir: Path) -> Path | None:
    """The ``.qm`` for ``language``, compiled into ``cache_dir`` when missing or outdated.
    Runs lrelease (tens of milliseconds): call it off the UI thread."""
    ready = ready_translation(language, cache_dir)
    source = TRANSLATIONS / f"relaydesk_{language}.ts"
    if ready is not None or not source.exists():
        return ready
    tool = lrelease_tool()
    if tool is None:
        return None
    target = cache_dir / "translations" / f"{source.stem}.qm"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    done = subprocess.run(
        [tool, "-silent", str(source), "-qm", str(partial)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        return None
    os.replace(partial, target)  # never a half-written .qm for a second instance to load
    return target


class Translators(QObject):
    """The app's and Qt's own translators for one language, swappable at run time.

    ``changed`` fires with the language once it is in effect; for a source checkout's first run
    that is after the worker thread has compiled the ``.qm``.
    """

    changed = Signal(str)
    _compiled = Signal(str, object)  # language, Path | None: from the worker to the UI thread

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.cache_dir = cache_dir
        self.language = "en"
        self.wanted = "en"
        self._installed: list[QTranslator] = []
        self._compiled.connect(self._on_compiled)

    def apply(self, language: str, *, at_start: bool = False) -> bool:
        """Switch to ``language``: at once when its ``.qm`` is ready, else after compiling it on
        a worker thread. ``at_start`` (before any window exists) compiles it here instead: a
        source checkout's first run then builds its window in the right language (texts set
        once, such as account names, would stay English), for ~15 ms that no one sees.
        False when the language has no translation (English stays)."""
        self.wanted = language
        if language == "en":
            self._install("en", None)
            return True
        qm = ready_translation(language, self.cache_dir)
        if qm is None and at_start:
            qm = compiled_translation(language, self.cache_dir)
        if qm is not None:
            return self._install(language, qm)
        if at_start or not (TRANSLATIONS / f"relaydesk_{language}.ts").exists():
            self._install("en", None)
            return False

        def work() -> None:
            self._compiled.emit(language, compiled_translation(language, self.cache_dir))

        threading.Thread(target=work, name=f"lrelease-{language}", daemon=True).start()
        return True

    def _on_compiled(self, language: str, qm: Path | None) -> None:
        if language == self.wanted:  # not switched to another language meanwhile
            self._install(language if qm is not None else "en", qm)

    def _install(self, language: str, qm: Path | None) -> bool:
        app = QCoreApplication.instance()
        assert app is not None, "create the QApplication first"
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        self.language = "en"
        ok = True
        if qm is not None:
            ours = QTranslator(app)
            if ours.load(str(qm)):
                qt_own = QTranslator(app)
                qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
                if qt_own.load(f"qtbase_{language}", qt_dir):
                    app.installTranslator(qt_own)
                    self._installed.append(qt_own)
                app.installTranslator(ours)
                self._installed.append(ours)
                self.language = language
            else:
                ok = False
        self.changed.emit(self.language)
        return ok
