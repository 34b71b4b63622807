"""Compile translations/*.ts to .qm with the lrelease inside PySide6, into the folder given.

The bundles ship compiled translations only; the build scripts call this before PyInstaller.
Usage: python installer/compile_translations.py OUT_DIR
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lrelease() -> str:
    import PySide6

    for name in ("lrelease", "lrelease.exe"):
        bundled = Path(PySide6.__file__).parent / name
        if bundled.is_file():
            return str(bundled)
    found = shutil.which("pyside6-lrelease")
    if found is None:
        sys.exit("compile_translations: PySide6's lrelease was not found (is PySide6 installed?)")
    return found


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted((ROOT / "translations").glob("*.ts"))
    if not sources:
        sys.exit("compile_translations: no translations/*.ts")
    tool = lrelease()
    for source in sources:
        target = out / source.with_suffix(".qm").name
        subprocess.run([tool, "-silent", str(source), "-qm", str(target)], check=True)
        if not target.is_file() or target.stat().st_size == 0:
            sys.exit(f"compile_translations: lrelease made no {target.name}")
        print(f"compiled {source.name} -> {target}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
