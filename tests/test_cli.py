"""Every entry point answers --version, and one not built yet says so in a sentence."""

from __future__ import annotations

import subprocess
import sys

import pytest

from relaydesk import __version__

ENTRY_POINTS = {
    "relaydesk": "relaydesk.desktop.cli",
    "relaydesk-server": "relaydesk.server.cli",
    "relaydesk-sim": "relaydesk.sim.cli",
    "relaydesk-sandbox": "relaydesk.sandbox.cli",
}


@pytest.mark.parametrize(("prog", "module"), sorted(ENTRY_POINTS.items()))
def test_version(prog: str, module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--version"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{prog} {__version__}"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("prog", "module"), sorted(ENTRY_POINTS.items()))
def test_bad_arguments_are_a_sentence_not_a_traceback(prog: str, module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--no-such-option"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--no-such-option" in done.stderr
