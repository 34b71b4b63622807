"""``relaydesk --smoke-test``: the check an installed bundle runs, from the source install."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")


def _relaydesk(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QTWEBENGINE_DISABLE_SANDBOX": "1"}  # tests only: root in CI
    return subprocess.run(
        [sys.executable, "-m", "relaydesk.desktop.cli", "--home", str(home), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_every_sandbox_page_loads_and_reports_chats(sandbox, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = _relaydesk(tmp_path, "--sandbox", sandbox.url, "--smoke-test", "90")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "8 account(s) loaded and working" in done.stdout
    assert (tmp_path / "logs" / "relaydesk.log").is_file()  # RELAYDESK_HOME's log folder


def test_pages_that_cannot_load_fail_the_smoke_test_by_name(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port with nobody behind it
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    done = _relaydesk(tmp_path, "--sandbox", dead, "--smoke-test", "60")
    assert done.returncode == 1
    assert "did not load and report chats within 60 s" in done.stderr
    assert "WhatsApp" in done.stderr


def test_the_smoke_test_refuses_a_nonsense_time_limit(tmp_path: Path) -> None:
    done = _relaydesk(tmp_path, "--smoke-test", "soon")
    assert done.returncode == 2
    assert "'soon' is not a number of seconds" in done.stderr
    assert "Traceback" not in done.stderr
