"""The Linux bundle as an agent gets it: built with PyInstaller from this checkout, unpacked
outside the source tree, run without the project's venv on PATH.

CI runs this on every submission (it takes about a minute to build). The bundle must answer
``--version`` and start for real: a window with one sandbox account per platform whose pages
load and whose recipes report chats (``relaydesk --smoke-test``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk import __version__
from relaydesk.sandbox.background import BackgroundSandbox

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build into a temporary dist/, unpack the tarball elsewhere, yield the executable."""
    work = tmp_path_factory.mktemp("bundle")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "RELAYDESK_DIST": str(work / "dist"),
        "RELAYDESK_BUILD": str(work / "build"),
    }
    done = subprocess.run(
        ["bash", str(ROOT / "installer" / "linux" / "build.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    tarballs = list((work / "dist").glob(f"relaydesk-{__version__}-linux-*.tar.gz"))
    assert len(tarballs) == 1, tarballs
    unpacked = work / "unpacked"
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(unpacked, filter="tar")
    shutil.rmtree(work / "dist" / "relaydesk")  # only the tarball's copy is used from here
    yield unpacked / "relaydesk" / "relaydesk"


def _clean_env(home: Path) -> dict[str, str]:
    """What a user's session has: no venv, no PYTHONPATH, the machine's display."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # Tests and CI only: Chromium refuses to run as root with its sandbox on.
        "QTWEBENGINE_DISABLE_SANDBOX": "1",
    }
    for name in ("DISPLAY", "XAUTHORITY"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def test_the_bundle_carries_what_the_app_needs(bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    shipped = internal / "relaydesk" / "_shipped"
    assert (shipped / "resources" / "recipes" / "whatsapp" / "recipe.js").is_file()
    assert (shipped / "resources" / "recipes" / "_common" / "common.js").is_file()
    assert (shipped / "resources" / "icons" / "relaydesk.svg").is_file()
    assert (shipped / "translations" / "relaydesk_zh_CN.qm").stat().st_size > 0
    assert list(internal.rglob("QtWebEngineProcess"))
    assert list(internal.rglob("qtwebengine_resources.pak"))
    assert (bundle.parent / "install.sh").is_file()
    assert (bundle.parent / "relaydesk.desktop").is_file()


def test_the_bundle_carries_the_xlsx_writer(bundle: Path) -> None:
    """openpyxl is imported only inside report_export's XLSX writer: the bundle must hold it,
    or the Reports tab's and the intake dock's XLSX exports fail in the installed app alone."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    modules = set(readers.pkg_archive_contents(str(bundle)))
    assert "relaydesk.sync.report_export" in modules
    assert {"openpyxl", "openpyxl.chart", "openpyxl.styles", "openpyxl.utils"} <= modules


def test_the_bundle_answers_its_version(bundle: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(bundle), "--version"],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"relaydesk {__version__}"


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")
def test_the_bundle_starts_with_sandbox_accounts_and_exits_0(bundle: Path, tmp_path: Path) -> None:
    with BackgroundSandbox() as sandbox:
        done = subprocess.run(
            [
                str(bundle),
                "--home",
                str(tmp_path / "relaydesk-home"),
                "--sandbox",
                sandbox.url,
                "--smoke-test",
                "90",
            ],
            env=_clean_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "loaded and working" in done.stdout
    assert "Traceback" not in done.stderr
