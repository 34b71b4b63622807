"""Event-loop lag of the real window with the customer store, side panels and translation wired.

As ``desktop_lag.py`` (N sandbox accounts awake, the sandbox in its own process sending
``--rate`` customer messages a minute, a 20 ms probe sleeping on the qasync loop), plus what
``ChatServices`` does for every recipe event: chat-list arrivals and the open chat's messages
into the store through ``AsyncStore``, the intake figures on every tab and the dashboard, the
contact card, and the open chat's customer messages translated into the page by a loopback
LibreTranslate (tests/translate/libre_server.py in its own process, ``--latency`` per request).
Printed: lag p50/p99/max, and what reached the store and the page meanwhile.

    xvfb-run -a python benchmarks/store_window_lag.py [--accounts 10] [--rate 1000]
                                                      [--seconds 60] [--latency 0.15] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desktop_harness import (
    chromium_for_benchmarks,
    configure_accounts,
    percentile,
    sandbox_process,
)
from translate_chat import _translator_process

PROBE_S = 0.020


async def measure(home: Path, seconds: float, translator_url: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from relaydesk.desktop.app import build_window
    from relaydesk.desktop.chat_services import attach_services
    from relaydesk.paths import app_paths
    from relaydesk.store.repository import Store

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = build_window(app_paths(home), app)
    window.hibernation_timer.stop()  # every account stays awake: the worst case
    settings = replace(window.settings, translation_engine="libre")
    window.apply_settings(replace(settings, libretranslate_url=translator_url))
    window.show()
    loaded: set[str] = set()
    for view in window.views.values():
        view.page_loaded.connect(lambda account_id, _ok: loaded.add(account_id))
    window.load_pages()
    services = await attach_services(window)
    assert services is not None
    deadline = time.monotonic() + 120
    while (len(loaded) < len(window.views) or services.translation_panel is None) and (
        time.monotonic() < deadline
    ):
        await asyncio.sleep(0.1)
    await asyncio.sleep(3)  # the recipes' first snapshots
    current = window.current_view()
    assert current is not None and current.recipe is not None
    chats = services.accounts[current.account.id]
    deadline = time.monotonic() + 60
    while chats.contact_id is None and time.monotonic() < deadline:  # a chat to translate
        if window.chats.get(current.account.id) and chats.active_key is None:
            current.recipe.open_chat(window.chats[current.account.id][0][0])
        await asyncio.sleep(0.5)

    translations = 0

    def count(command: str) -> None:
        nonlocal translations
        translations += json.loads(command).get("command") == "translation"

    current.recipe.bridge.command.connect(count)

    lags: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        before = time.perf_counter()
        await asyncio.sleep(PROBE_S)
        lags.append(max(0.0, time.perf_counter() - before - PROBE_S))

    def stored(store: Store) -> tuple[int, int]:
        with store.engine.connect() as connection:
            messages = connection.exec_driver_sql("SELECT count(*) FROM messages").scalar()
            arrivals = connection.exec_driver_sql("SELECT count(*) FROM intake_events").scalar()
        return int(messages or 0), int(arrivals or 0)

    messages, arrivals = await services.store.run(stored)
    figures = {a: label.text() for a, label in services.intake.tab_labels.items()}
    await services.close()
    window.close()
    window.shutdown()
    window.deleteLater()
    await asyncio.sleep(0.3)
    ms = [lag * 1000 for lag in lags]
    return {
        "accounts": len(loaded),
        "samples": len(ms),
        "lag_p50_ms": round(percentile(ms, 0.50), 1),
        "lag_p99_ms": round(percentile(ms, 0.99), 1),
        "lag_max_ms": round(max(ms), 1) if ms else 0.0,
        "messages_stored": messages,
        "intake_appearances": arrivals,
        "translation_lines_sent": translations,
        "open_chat": chats.active_title,
        "tab_figures": figures,
        "problems": services.notices[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1000.0, help="messages a minute")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--latency", type=float, default=0.15, help="translator delay, s")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    if args.accounts < 1 or args.seconds <= 0 or args.rate < 0 or args.latency < 0:
        parser.error("--accounts 1 or more, --seconds above 0, --rate and --latency 0 or more")
    chromium_for_benchmarks()
    from qasync import QEventLoop

    from relaydesk.desktop.app import make_application

    app = make_application([sys.argv[0]])
    with (
        sandbox_process(rate=args.rate) as url,
        _translator_process(args.latency) as translator_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        home = Path(tmp) / "home"
        configure_accounts(home, args.accounts, url)
        loop = QEventLoop(app)  # one run of the Qt loop, as relaydesk.desktop.app.run does
        asyncio.set_event_loop(loop)
        try:
            report = loop.run_until_complete(measure(home, args.seconds, translator_url))
        finally:
            loop.close()
    report.update(rate_per_min=args.rate, seconds=args.seconds, latency_s=args.latency)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(
        f"event-loop lag with the store, panels and translation wired, {report['accounts']} "
        f"sandbox accounts, {args.rate:g} messages/min for {args.seconds:g} s "
        f"({report['samples']} probes of 20 ms):"
    )
    print(
        f"  p50 {report['lag_p50_ms']} ms   p99 {report['lag_p99_ms']} ms   "
        f"max {report['lag_max_ms']} ms"
    )
    print(
        f"  stored meanwhile: {report['messages_stored']} messages, "
        f"{report['intake_appearances']} intake appearances; "
        f"{report['translation_lines_sent']} translation lines sent to the open chat's page"
    )
    if report["problems"]:
        print(f"  problems: {report['problems']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
