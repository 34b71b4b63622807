"""How soon a recipe reports a new customer message: sandbox message → `unread` event, per platform.

Each platform's sandbox page is loaded in QtWebEngine with its recipe installed as the desktop
installs it; a customer message is injected through the sandbox's HTTP API and the time until the
recipe's `unread` event reaches Python is taken, `--messages` times per platform (median and max),
`--gap` seconds apart on average (0.5 to 1.5 times it, seeded, so messages land at every phase of a
page's timers; the recipe reads at most four page changes a second at once, the rest a second
later). A page without a view counts as a hidden tab, whose timers Chromium clamps to 1 Hz
(and, once hidden for 10 s, to a CPU budget): that is the default here (a background account);
`--hidden-for` keeps the page hidden that long before the first message, `--chats` puts that
many chats on it first (a busy account), `--visible-timers` turns the clamping off (the agent's
current tab). The sandbox pages long-poll their server, which holds
the request until something changes and then settles 0.25 s; that bounds the figures from below.

    xvfb-run -a python benchmarks/recipe_latency.py [--messages 10] [--gap 1] [--hidden-for 0]
        [--chats 0] [--visible-timers] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
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


def one_platform(
    page: Any, platform: str, sandbox: Any, options: argparse.Namespace, wait_until: Any, spin: Any
) -> dict:
    from PySide6.QtCore import QUrl

    from relaydesk.platforms.events import Unread
    from relaydesk.platforms.qt_bridge import install_recipe

    bridge = install_recipe(page, platform)
    seen: list[tuple[float, Unread]] = []

    def record(event: object) -> None:
        if isinstance(event, Unread):
            seen.append((time.monotonic(), event))

    bridge.recipe_event.connect(record)
    for number in range(options.chats):  # a busy account: a long list to draw and read, all read
        # (read, or a new chat would push an unread one out of the 100 drawn: no rise to see)
        earlier = sandbox.customer_writes(platform, f"earlier {number}", name=f"Earlier {number}")
        sandbox.call("POST", f"/api/{platform}/open", {"chat_id": earlier["chat_id"]})
    page.load(QUrl(f"{sandbox.url}/{platform}/"))
    wait_until(lambda: bool(seen))
    spin(round(options.hidden_for * 1000))
    waits = []
    rng = random.Random(platform)
    for number in range(options.messages):
        if number:
            spin(round(options.gap * rng.uniform(0.5, 1.5) * 1000))
        before = seen[-1][1].direct
        sent = time.monotonic()
        sandbox.customer_writes(platform, f"message {number}", name=f"Customer {number}")
        if wait_until(lambda before=before: seen[-1][1].direct > before):
            waits.append(seen[-1][0] - sent)
        else:  # not reported within the limit: counted as that long, not dropped
            waits.append(time.monotonic() - sent)
    return {
        "median_ms": round(statistics.median(waits) * 1000),
        "max_ms": round(max(waits) * 1000),
    }


def measure(options: argparse.Namespace) -> dict[str, dict[str, float]]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWidgets import QApplication

    from relaydesk.sandbox.background import BackgroundSandbox

    app = QApplication([])

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(check: Any, limit_s: float = 20.0) -> bool:
        end = time.monotonic() + limit_s
        while not check() and time.monotonic() < end:
            spin(5)
        return bool(check())

    figures: dict[str, dict[str, float]] = {}
    with BackgroundSandbox() as sandbox:
        profile = QWebEngineProfile()
        for platform in PLATFORMS:
            page = QWebEnginePage(profile)
            figures[platform] = one_platform(page, platform, sandbox, options, wait_until, spin)
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
        "--gap", type=float, default=1.0, help="mean seconds from a report to the next message"
    )
    parser.add_argument(
        "--chats", type=int, default=0, help="chats on each page before the first message"
    )
    parser.add_argument(
        "--hidden-for",
        type=float,
        default=0.0,
        help="seconds a page stays hidden before its first message",
    )
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
    figures = measure(args)
    if args.json:
        print(json.dumps({**vars(args), "platforms": figures}, indent=2))
        return 0
    print(
        f"message -> unread event, {args.messages} messages per platform ~{args.gap:g} s apart, "
        f"{'visible' if args.visible_timers else 'hidden'}-tab timers, "
        f"hidden {args.hidden_for:g} s before the first, {args.chats} chats on the page before"
    )
    for platform, figure in figures.items():
        print(f"  {platform:11s} median {figure['median_ms']:5d} ms   max {figure['max_ms']:5d} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
