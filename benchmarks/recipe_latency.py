"""How soon a recipe reports a new customer message: sandbox message → `unread` event, per platform.

Each platform's sandbox page is loaded in QtWebEngine with its recipe installed as the desktop
installs it; a customer message is injected through the sandbox's HTTP API and the time until the
recipe's `unread` event reaches Python is taken, `--messages` times per platform (median and max).
A page without a view counts as a hidden tab, whose timers Chromium clamps to 1 Hz: that is the
default here (a background account); `--visible-timers` turns the clamping off (the agent's
current tab). The sandbox pages poll their server every 400 ms, which bounds the figures from below.

    xvfb-run -a python benchmarks/recipe_latency.py [--messages 10] [--visible-timers] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

PLATFORMS = (
    "whatsapp",
    "telegram_k",
    "telegram_a",
    "messenger",
    "instagram",
    "line_oa",
    "lineworks",
    "generic",
)


def one_platform(page: Any, platform: str, sandbox: Any, messages: int, wait_until: Any) -> dict:
    from PySide6.QtCore import QUrl

    from relaydesk.platforms.events import Unread
    from relaydesk.platforms.qt_bridge import install_recipe

    bridge = install_recipe(page, platform)
    seen: list[tuple[float, Unread]] = []

    def record(event: object) -> None:
        if isinstance(event, Unread):
            seen.append((time.monotonic(), event))

    bridge.recipe_event.connect(record)
    page.load(QUrl(f"{sandbox.url}/{platform}/"))
    wait_until(lambda: bool(seen))
    waits = []
    for number in range(messages):
        before = seen[-1][1].direct
        sent = time.monotonic()
        sandbox.customer_writes(platform, f"message {number}", name=f"Customer {number}")
        wait_until(lambda before=before: seen[-1][1].direct > before)
        waits.append(seen[-1][0] - sent)
    return {
        "median_ms": round(statistics.median(waits) * 1000),
        "max_ms": round(max(waits) * 1000),
    }


def measure(messages: int) -> dict[str, dict[str, float]]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWidgets import QApplication

    from relaydesk.sandbox.background import BackgroundSandbox

    app = QApplication([])

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(check: Any, limit_s: float = 20.0) -> None:
        end = time.monotonic() + limit_s
        while not check() and time.monotonic() < end:
            spin(5)

    figures: dict[str, dict[str, float]] = {}
    with BackgroundSandbox() as sandbox:
        profile = QWebEngineProfile()
        for platform in PLATFORMS:
            page = QWebEnginePage(profile)
            figures[platform] = one_platform(page, platform, sandbox, messages, wait_until)
            page.deleteLater()
            spin(100)
        profile.deleteLater()
        spin(100)
    del app
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10, help="messages per platform")
    parser.add_argument(
        "--visible-timers",
        action="store_true",
        help="no timer clamping, as in the agent's current tab",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium's sandbox fails as root
    flags = "--disable-gpu"
    if args.visible_timers:
        flags += " --disable-background-timer-throttling"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags
    figures = measure(args.messages)
    if args.json:
        print(json.dumps({"visible_timers": args.visible_timers, "platforms": figures}, indent=2))
        return 0
    print(
        f"message -> unread event, {args.messages} messages per platform, "
        f"{'visible' if args.visible_timers else 'hidden'}-tab timers"
    )
    for platform, figure in figures.items():
        print(f"  {platform:11s} median {figure['median_ms']:5d} ms   max {figure['max_ms']:5d} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
