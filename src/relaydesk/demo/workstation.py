"""The demo agent's workstation: the real ``relaydesk`` app in a child process, on a temporary
data folder laid out as a signed-in agent leaves it (settings, four accounts linked to the
server's, the sign-in in the demo keyring).

The child gets its own process group (so Qt WebEngine's helpers can be swept with it) and, on
Linux, ``PR_SET_PDEATHSIG``: it is told to end if the demo itself dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from relaydesk.demo.keyring_backend import CREDENTIAL_VARIABLE
from relaydesk.demo.team_setup import ACCOUNTS, YOU, DemoTeam

PROBE_FILE = "probe.jsonl"
CLOSE_TIMEOUT_S = 30.0


def _end_with_parent() -> None:
    """In the child, before exec: SIGTERM when the demo's process ends (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def prepare_home(home: Path, team: DemoTeam, sandbox_url: str, login_answer: dict[str, Any]) -> str:
    """Write the data folder; returns the keyring contents (JSON) the app starts with."""
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    settings = {"team_server_url": team.url, "team_login": YOU.login}
    (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    accounts = [{"id": a.key, "platform": a.page, "name": a.name,
                 "url": f"{sandbox_url.rstrip('/')}/{a.page}/", "team_account": True,
                 "hibernate": False} for a in ACCOUNTS]  # fmt: skip
    (config / "accounts.json").write_text(json.dumps({"accounts": accounts}), encoding="utf-8")
    (config / "team_accounts.json").write_text(json.dumps(team.account_ids), encoding="utf-8")
    (config / "window.json").write_text(json.dumps({"welcomed": True}), encoding="utf-8")
    credential = {"server": team.url, "token": login_answer["token"],
                  "agent_id": login_answer["agent_id"], "role": login_answer["role"]}  # fmt: skip
    return json.dumps({"Relaydesk/team:token": json.dumps(credential)})


class Workstation:
    """The running app; ``close()`` asks it to quit like the window's close, then makes sure."""

    def __init__(self, home: Path, keyring: str, screenshots: Path | None = None) -> None:
        self.home = home
        env = {
            **os.environ,
            "RELAYDESK_HOME": str(home),
            "RELAYDESK_DEMO": "1",
            "RELAYDESK_TEAM_PROBE": str(home / PROBE_FILE),
            "PYTHON_KEYRING_BACKEND": "relaydesk.demo.keyring_backend.DemoKeyring",
            CREDENTIAL_VARIABLE: keyring,
        }
        if screenshots is not None:
            env["RELAYDESK_DEMO_SCREENSHOTS"] = str(screenshots)
        self.log: IO[bytes] = (home / "app.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "relaydesk.desktop.cli", "--home", str(home)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_end_with_parent,
        )  # fmt: skip

    @property
    def probe(self) -> Path:
        return self.home / PROBE_FILE

    def seen(self, kind: str) -> list[dict[str, Any]]:
        try:
            lines = self.probe.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        rows = []
        for line in lines:
            with contextlib.suppress(ValueError):
                rows.append(json.loads(line))
        return [r for r in rows if r.get("kind") == kind]

    def running(self) -> bool:
        return self.process.poll() is None

    def close(self) -> int | None:
        """SIGTERM (the app's demo mode takes its screenshots and closes the window), then
        SIGKILL after ``CLOSE_TIMEOUT_S``; anything left in its process group goes too."""
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=CLOSE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._sweep_group()
        self.log.close()
        return self.process.returncode

    def _sweep_group(self) -> None:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def tail(self, chars: int = 3000) -> str:
        path = self.home / "app.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""
