"""The demo from start to end: server, sandbox, team, workstation, colleagues, traffic; then,
whatever ends it (the window closed, Ctrl+C, ``--duration`` over, the app crashing), everything
stopped in reverse order and nothing left running."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from relaydesk.demo.colleagues import Colleague
from relaydesk.demo.embedded_server import EmbeddedServer
from relaydesk.demo.snapshot import take_snapshot
from relaydesk.demo.team_setup import COLLEAGUES, LINK_SLUG, YOU, DemoTeam, login, set_up_team
from relaydesk.demo.traffic import Traffic
from relaydesk.demo.workstation import Workstation, prepare_home, running_as_root
from relaydesk.sandbox.app import Sandbox
from relaydesk.sandbox.background import BackgroundSandbox

READY_TIMEOUT_S = 120.0  # the app's window, pages and push stream (slow machines, cold caches)
SETTLE_TIMEOUT_S = 20.0  # after the customers stop: until the server has every contact
STATUS_EVERY_S = 15.0
TRAFFIC_STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class DemoOptions:
    duration_s: float | None = None
    screenshots: Path | None = None
    report: Path | None = None
    rate: float = 14.0
    seed: int | None = None
    keep: bool = False


def say(text: str) -> None:
    print(f"relaydesk demo: {text}", flush=True)


class Demo:
    def __init__(self, options: DemoOptions) -> None:
        self.options = options
        self.rng = random.Random(options.seed)
        self.folder = Path(tempfile.mkdtemp(prefix="relaydesk-demo-"))
        self.server = EmbeddedServer(self.folder / "server.db")
        self.sandbox = BackgroundSandbox(Sandbox(rate=0.0, seed=options.seed))
        self.workstation: Workstation | None = None
        self.colleagues: list[Colleague] = []
        self.traffic: Traffic | None = None
        self.tasks: list[asyncio.Task[Any]] = []
        self.stop_requested = asyncio.Event()
        atexit.register(self._last_resort)

    def _last_resort(self) -> None:
        """On any way out of Python: the app and its helpers do not outlive the demo."""
        if self.workstation is not None and self.workstation.running():
            self.workstation.close()

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stop_requested.set)
        try:
            return await self._run()
        finally:
            await self._stop_everything()

    async def _run(self) -> int:
        admin_password = secrets.token_urlsafe(12)
        # The server's command line runs its own event loop: on a thread, not inside this one.
        await asyncio.to_thread(self.server.create_admin, "admin", admin_password)
        await asyncio.to_thread(self.server.start)
        await asyncio.to_thread(self.sandbox.start)
        team = await set_up_team(self.server.url, admin_password)
        async with httpx.AsyncClient(base_url=team.url, timeout=10) as http:
            answer = await login(http, YOU.login, team.passwords[YOU.login])
        home = self.folder / "workstation"
        keyring = prepare_home(home, team, self.sandbox.url, answer)
        self.workstation = Workstation(home, keyring, self.options.screenshots)
        self._introduce(team)
        self.colleagues = [Colleague(p, team, self.sandbox.url, self.rng) for p in COLLEAGUES]
        for colleague in self.colleagues:
            colleague.start()
        if not await self._wait_until_ready():
            return 0 if self.stop_requested.is_set() else 1
        say("the workstation is signed in; customers start writing now")
        self.traffic = Traffic(self.sandbox.url, team, self.rng, rate=self.options.rate)
        customers = asyncio.create_task(self.traffic.run())
        self.tasks.append(customers)
        ended = await self._wait_for_the_end()
        if ended == "app":
            code = self.workstation.process.returncode
            if code:
                say(f"the app ended with code {code}; its log:\n{self.workstation.tail()}")
            return 1 if code else 0
        if ended == "duration" and self.options.report is not None:
            self.traffic.stop()  # each writer finishes the message it is writing
            await asyncio.wait_for(customers, TRAFFIC_STOP_TIMEOUT_S)
            await self._settle(team)
            for colleague in self.colleagues:
                await colleague.close()
            snapshot = await take_snapshot(
                team, self.sandbox.url, self.colleagues, self.traffic, self.workstation.process.pid
            )
            # The app takes its screenshots, then closes like its window's close button.
            await asyncio.to_thread(self.workstation.close)
            self._write_report(snapshot)
        return 0

    def _introduce(self, team: DemoTeam) -> None:
        names = ", ".join(p.name for p in COLLEAGUES)
        say(f"team server {team.url} (temporary SQLite in {self.folder})")
        say(f"sandbox pages {self.sandbox.url}/  ·  split link {team.url}/r/{LINK_SLUG}")
        say(f"signed in as {YOU.name} (supervisor) with simulated colleagues {names}")
        if running_as_root() and os.environ.get("QTWEBENGINE_DISABLE_SANDBOX"):
            say("as root with QTWEBENGINE_DISABLE_SANDBOX set: Chromium's own sandbox is off")
        say("close the window or press Ctrl+C to stop; everything started here stops with it")

    async def _wait_until_ready(self) -> bool:
        """Until the app's push stream is connected (its team status says online)."""
        assert self.workstation is not None
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline and not self.stop_requested.is_set():
            if any(r.get("state") == "connected" for r in self.workstation.seen("connection")):
                return True
            if not self.workstation.running():
                say(f"the app ended before it was ready; its log:\n{self.workstation.tail()}")
                return False
            await asyncio.sleep(0.25)
        if not self.stop_requested.is_set():
            say(f"the app was not signed in within {READY_TIMEOUT_S:.0f} s; its log:\n"
                f"{self.workstation.tail()}")  # fmt: skip
        return False

    async def _wait_for_the_end(self) -> str:
        """ "app" (window closed or crashed), "stop" (Ctrl+C) or "duration"."""
        assert self.workstation is not None
        started = time.monotonic()
        next_status = started + STATUS_EVERY_S
        while True:
            if self.stop_requested.is_set():
                return "stop"
            if not self.workstation.running():
                return "app"
            now = time.monotonic()
            if self.options.duration_s is not None and now - started >= self.options.duration_s:
                return "duration"
            if now >= next_status:
                self._status()
                next_status = now + STATUS_EVERY_S
            await asyncio.sleep(0.25)

    def _status(self) -> None:
        assert self.traffic is not None
        tally = self.traffic.tally
        answered = sum(c.tally.answered for c in self.colleagues)
        lapsed = sum(c.tally.lapsed for c in self.colleagues)
        errors = sum(c.tally.errors for c in self.colleagues)
        last = next((c.tally.last_error for c in self.colleagues if c.tally.last_error), "")
        trouble = f" ({errors} of their requests failed, last: {last})" if errors else ""
        say(
            f"{tally.messages} customer messages ({tally.new_customers} customers), "
            f"{tally.clicks} link visits; colleagues answered {answered}, let {lapsed} lapse"
            f"{trouble}"
        )

    async def _settle(self, team: DemoTeam) -> None:
        """The customers have stopped: wait until every one of them has reached the server."""
        assert self.traffic is not None
        expected = self.traffic.tally.new_customers
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        async with httpx.AsyncClient(base_url=team.url, timeout=10) as http:
            token = (await login(http, "admin", team.admin_password))["token"]
            http.headers["Authorization"] = f"Bearer {token}"
            while time.monotonic() < deadline:
                rows = (await http.get("/v1/conversations", params={"limit": 1000})).json()
                if len({(r["account_id"], r["contact_id"]) for r in rows}) >= expected:
                    break
                await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)  # the last pushes reach the app

    def _write_report(self, snapshot: dict[str, Any]) -> None:
        assert self.workstation is not None and self.options.report is not None
        report = self.options.report
        report.mkdir(parents=True, exist_ok=True)
        (report / "snapshot.json").write_text(json.dumps(snapshot, indent=1), encoding="utf-8")
        if self.workstation.probe.exists():
            shutil.copyfile(self.workstation.probe, report / "probe.jsonl")
        shutil.copyfile(self.workstation.home / "app.log", report / "app.log")
        say(f"report written to {report}")

    async def _stop_everything(self) -> None:
        if self.workstation is not None and self.workstation.running():
            say("stopping")
        if self.workstation is not None:
            await asyncio.to_thread(self.workstation.close)
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for colleague in self.colleagues:
            with contextlib.suppress(Exception):
                await colleague.close()
        if self.traffic is not None:
            await self.traffic.close()
        if self.sandbox.url:  # started
            await asyncio.to_thread(self.sandbox.stop)
        await asyncio.to_thread(self.server.stop)
        if self.options.keep:
            say(f"kept {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)
        say("stopped")


def run_demo(options: DemoOptions) -> int:
    async def main() -> int:
        return await Demo(options).run()

    return asyncio.run(main())
