"""UI language: compile ``translations/*.ts`` to ``.qm`` in the cache and install translators.

The ``.qm`` files are build output, not sources: ``pyside6-lrelease`` makes them at build time or,
for a source checkout, on first run into the cache dir (again whenever the ``.ts`` is newer).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from relaydesk.desktop.resources import TRANSLATIONS

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


def compiled_translation(language: str, cache_dir: Path) -> Path | None:
    """The ``.qm`` for ``language``, compiled into ``cache_dir`` when missing or outdated."""
    source = TRANSLATIONS / f"relaydesk_{language}.ts"
    if not source.exists():
        return None
    target = cache_dir / "translations" / f"relaydesk_{language}.qm"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = lrelease_tool()
    if tool is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [tool, "-silent", str(source), "-qm", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return target if done.returncode == 0 and target.exists() else None


class Translators:
    """The app's and Qt's own translators for one language, swappable at run time."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.language = "en"
        self._installed: list[QTranslator] = []

    def apply(self, language: str) -> bool:
        """Switch to ``language``; False when its translation could not be loaded."""
        app = QCoreApplication.instance()
        assert app is not None, "create the QApplication first"
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        self.language = language
        if language == "en":
            return True
        ours = QTranslator(app)
        qm = compiled_translation(language, self.cache_dir)
        if qm is None or not ours.load(str(qm)):
            self.language = "en"
            return False
        qt_own = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{language}", qt_dir):
            app.installTranslator(qt_own)
            self._installed.append(qt_own)
        app.installTranslator(ours)
        self._installed.append(ours)
        return True
