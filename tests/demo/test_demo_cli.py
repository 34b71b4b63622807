"""``relaydesk demo``'s command line: what a person gets told before anything starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from relaydesk.demo.cli import main


def test_relaydesk_demo_is_reached_from_the_desktop_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "relaydesk.desktop.cli", "demo", "--version"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.startswith("relaydesk demo ")


def test_without_a_display_the_demo_says_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is the X11/Wayland one")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["--duration", "5"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "no display" in error and "xvfb-run" in error and "scripts/demo.sh" in error


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (["--report", "out"], "--report needs --duration"),
        (["--duration", "0"], "between 0 and 86400"),
        (["--rate", "many"], "is not a number"),
    ],
)
def test_bad_options_are_one_sentence(
    argv: list[str], told: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert told in capsys.readouterr().err


def test_as_root_the_demo_never_turns_chromiums_sandbox_off_by_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    monkeypatch.delenv("QTWEBENGINE_DISABLE_SANDBOX", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # past the display check
    with pytest.raises(SystemExit) as exit_info:
        main(["--duration", "5"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "does not start as root with its sandbox on" in error
    assert "QTWEBENGINE_DISABLE_SANDBOX=1 yourself" in error
