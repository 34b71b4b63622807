"""Event-loop lag of the desktop with N sandbox accounts open while customers write fast.

The app runs as it does for a user (qasync loop, window shown, every page loaded with its recipe);
the sandbox runs in its own process and sends ``--rate`` customer messages a minute over all its
pages. A probe task sleeps 20 ms again and again on the app's event loop; how late it wakes is the
lag a click or a keypress would feel. Printed: p50, p99 and max lag over ``--seconds``, and how
many badge updates and notifications the window handled meanwhile.

    xvfb-run -a python benchmarks/desktop_lag.py [--accounts 10] [--rate 1000] [--seconds 60]
                                                 [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desktop_harness import (
    chromium_for_benchmarks,
    configure_accounts,
    percentile,
    sandbox_process,
)

PROBE_S = 0.020


async def measure(home: Path, seconds: float) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication

    from relaydesk.desktop.app import build_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    from relaydesk.paths import app_paths

    window = build_window(app_paths(home), app)
    window.hibernation_timer.stop()  # every account stays awake: the worst case
    window.show()
    loaded: set[str] = set()
    for view in window.views.values():
        view.page_loaded.connect(lambda account_id, _ok: loaded.add(account_id))
    window.load_pages()
    deadline = time.monotonic() + 120
    while len(loaded) < len(window.views) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(3)  # let the recipes send their first snapshots

    badge_updates = 0
    notifications = 0

    def on_badge(_account_id: str) -> None:
        nonlocal badge_updates
        badge_updates += 1

    def on_notification(_account_id: str, _title: str) -> None:
        nonlocal notifications
        notifications += 1

    for view in window.views.values():
        view.badge_changed.connect(on_badge)
    window.notification_shown.connect(on_notification)

    gc_pauses: list[float] = []
    gc_started = [0.0]

    def on_gc(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gc_pauses.append((time.perf_counter() - gc_started[0]) * 1000)

    gc.callbacks.append(on_gc)
    lags: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        before = time.perf_counter()
        await asyncio.sleep(PROBE_S)
        lags.append(max(0.0, time.perf_counter() - before - PROBE_S))
    gc.callbacks.remove(on_gc)
    unread = window.total_unread()
    window.close()
    window.shutdown()
    window.deleteLater()
    await asyncio.sleep(0.3)
    ms = [lag * 1000 for lag in lags]
    return {
        "accounts": len(window.views) or len(loaded),
        "pages_loaded": len(loaded),
        "samples": len(ms),
        "lag_p50_ms": round(percentile(ms, 0.50), 1),
        "lag_p99_ms": round(percentile(ms, 0.99), 1),
        "lag_max_ms": round(max(ms), 1) if ms else 0.0,
        "gc_max_pause_ms": round(max(gc_pauses), 1) if gc_pauses else 0.0,
        "gc_runs": len(gc_pauses),
        "badge_updates": badge_updates,
        "notifications": notifications,
        "total_unread_at_end": unread,
    }


def _rendering(app: object, software: bool, opengl: bool) -> str:
    if software:
        return "software (forced)"
    if opengl:
        return "OpenGL (forced)"
    chosen = app.property("relaydeskRendering")  # type: ignore[attr-defined]
    return f"app's choice: {chosen}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1000.0, help="messages a minute")
    parser.add_argument("--seconds", type=float, default=60.0)
    drawing = parser.add_mutually_exclusive_group()
    drawing.add_argument(
        "--software-rendering",
        action="store_true",
        help="force Qt's software backend (QT_QUICK_BACKEND=software), as the setting does",
    )
    drawing.add_argument(
        "--opengl",
        action="store_true",
        help="force the OpenGL path (QSG_RHI_BACKEND=opengl) even where it is only emulated on "
        "the CPU (llvmpipe, as in Xvfb); the app's default picks software rendering there",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    if args.software_rendering:
        os.environ["QT_QUICK_BACKEND"] = "software"
    if args.opengl:
        os.environ["QSG_RHI_BACKEND"] = "opengl"
    if args.accounts < 1 or args.seconds <= 0 or args.rate < 0:
        parser.error("--accounts must be 1 or more, --seconds above 0, --rate 0 or more")
    chromium_for_benchmarks()
    from qasync import QEventLoop

    from relaydesk.desktop.app import make_application

    app = make_application([sys.argv[0]])
    with sandbox_process(rate=args.rate) as url, tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        configure_accounts(home, args.accounts, url)
        loop = QEventLoop(app)  # one run of the Qt loop, as relaydesk.desktop.app.run does
        asyncio.set_event_loop(loop)
        try:
            report = loop.run_until_complete(measure(home, args.seconds))
        finally:
            loop.close()
    report.update(
        rate_per_min=args.rate,
        seconds=args.seconds,
        rendering=_rendering(app, args.software_rendering, args.opengl),
    )
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"event-loop lag with {report['accounts']} sandbox accounts, "
        f"{args.rate:g} messages/min for {args.seconds:g} s ({report['samples']} probes of 20 ms, "
        f"{report['rendering']} rendering):"
    )
    print(
        f"  p50 {report['lag_p50_ms']} ms   p99 {report['lag_p99_ms']} ms   "
        f"max {report['lag_max_ms']} ms   (Python GC: {report['gc_runs']} runs, "
        f"longest {report['gc_max_pause_ms']} ms)"
    )
    print(
        f"  handled: {report['badge_updates']} badge updates, {report['notifications']} "
        f"notifications; unread at the end {report['total_unread_at_end']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
