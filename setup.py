"""Build step that puts the shipped files into the wheel (metadata lives in pyproject.toml).

``resources/`` (icons, themes, recipes' JS, sandbox pages) and ``translations/`` stay at the top
of the repository, where the recipes, the sandbox and the translators edit them; a built wheel
carries a copy under ``relaydesk/_shipped/`` and the translations compiled to ``.qm`` with the
``lrelease`` that ships inside PySide6. ``relaydesk.shipped`` finds the copy first and the
source tree second. An editable install copies nothing: it reads the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("resources", "translations")


def _lrelease() -> str | None:
    """PySide6's own lrelease (a build requirement only when there are .ts files to compile)."""
    try:
        import PySide6
    except ImportError:
        return shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    return str(bundled) if bundled.is_file() else shutil.which("pyside6-lrelease")


class BuildWithShippedFiles(build_py):
    """build_py, plus resources/ and translations/ copied into the package, .ts compiled."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable install reads the source tree
        target = Path(self.build_lib) / "relaydesk" / "_shipped"
        for name in SHIPPED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(
                HERE / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.qm")
            )
        sources = sorted((target / "translations").glob("*.ts"))
        tool = _lrelease() if sources else None
        if sources and tool is None:
            sys.exit("building relaydesk needs pyside6-lrelease (PySide6) to compile translations")
        for source in sources:
            qm = source.with_suffix(".qm")
            subprocess.run([tool, "-silent", str(source), "-qm", str(qm)], check=True)
            if not qm.is_file():
                sys.exit(f"lrelease made no {qm.name}")


setup(cmdclass={"build_py": BuildWithShippedFiles})
