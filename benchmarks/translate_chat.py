"""A 50-message chat translated through deep-translator's real LibreTranslator on loopback.

The loopback LibreTranslate-compatible server (tests/translate/libre_server.py, in a process of
its own) answers each request after ``--latency`` seconds. The agent (English) opens a chat of
50 customer messages in Chinese and Arabic from data/tatoeba/, of which the last ``--visible``
are on screen; visible messages are asked first. Figures: time until every visible translation
is shown, until all 50 are, a cache hit's latency (p50/p99), and the event loop's lag (p99, max)
meanwhile, measured by a 5 ms ticker. Language models are preloaded first, as the app does at start.

    python benchmarks/translate_chat.py [--latency 0.15] [--visible 20] [--concurrency 16]
                                        [--cache memory|sqlite|store] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from relaydesk.store.repository import Store
from relaydesk.translate.cache import SqliteTranslationCache, TranslationCache
from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.engines import DeepTranslatorEngine, EngineChoice, EngineKind
from relaydesk.translate.incoming import IncomingMessage, IncomingTranslator, MessageTranslation
from relaydesk.translate.resolver import MemoryContactLanguages
from relaydesk.translate.service import TranslationService
from relaydesk.translate.store_link import store_translation_cache

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tests" / "translate" / "libre_server.py"
MESSAGES = 50


@contextlib.contextmanager
def _translator_process(latency: float) -> Iterator[str]:
    """The loopback translator in its own process, as a real one would be; yields its URL."""
    server = subprocess.Popen(
        [sys.executable, str(SERVER), "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"the loopback translator did not start (said {url!r})")
        yield url
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _chat() -> list[IncomingMessage]:
    lines: list[str] = []
    for name in ("eng-cmn-sample.tsv", "eng-ara-sample.tsv"):
        rows = (ROOT / "data" / "tatoeba" / name).read_text(encoding="utf-8").splitlines()
        lines += [row.split("\t")[1] for row in rows[: MESSAGES // 2]]
    return [IncomingMessage(f"m{n}", text) for n, text in enumerate(lines)]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _durable(kind: str, scratch: Path) -> tuple[TranslationCache | None, Callable[[], None]]:
    """The durable cache the run keeps translations in, and how to close it."""
    if kind == "sqlite":
        sqlite = SqliteTranslationCache(scratch / "translations.sqlite")
        return sqlite, sqlite.close
    if kind == "store":
        store = Store.open(scratch / "data" / "store.db")
        return store_translation_cache(store), store.close
    return None, lambda: None


async def _run(
    url: str, visible: int, concurrency: int, cache: TranslationCache | None
) -> dict[str, Any]:
    detection = await asyncio.to_thread(LanguageDetection, ["en", "zh", "ar", "es"], True)
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=url))
    service = TranslationService(engine, cache, concurrency=concurrency, timeout=5)
    incoming = IncomingTranslator(service, detection, MemoryContactLanguages(), "en")
    chat = _chat()
    on_screen = chat[-visible:]
    order = on_screen + chat[:-visible]  # the recipe reports visible messages first
    wanted = {m.key for m in on_screen}

    lags: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        period = 0.005
        while not stop.is_set():
            before = time.perf_counter()
            await asyncio.sleep(period)
            lags.append(time.perf_counter() - before - period)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    shown: dict[str, float] = {}
    started = time.perf_counter()
    all_visible = asyncio.Event()

    def heard(translation: MessageTranslation) -> None:
        shown[translation.key] = time.perf_counter() - started
        if wanted <= shown.keys():
            all_visible.set()

    results = await incoming.translate_visible("contact-1", order, heard)
    all_done = time.perf_counter() - started
    await all_visible.wait()
    visible_done = max(shown[key] for key in wanted)
    stop.set()
    await ticking

    hits: list[float] = []
    for repeat in range(20):
        for number, message in enumerate(chat):
            before = time.perf_counter()
            result = await service.translate(message.text, "zh" if number < 25 else "ar", "en")
            hits.append(time.perf_counter() - before)
            assert result.from_cache, f"message {number} was not cached (round {repeat})"
    service.close()

    disk_hits: list[float] = []
    if cache is not None:  # a restart: empty memory, translations on disk
        restarted = TranslationService(engine, cache, concurrency=concurrency, timeout=5)
        for number, message in enumerate(chat):
            before = time.perf_counter()
            result = await restarted.translate(message.text, "zh" if number < 25 else "ar", "en")
            disk_hits.append(time.perf_counter() - before)
            assert result.from_cache, f"message {number} was not kept on disk"
        restarted.close()
    return {
        "messages": len(chat),
        "visible": visible,
        "latency_ms_per_request": None,
        "concurrency": concurrency,
        "translated": sum(r.state == "translated" for r in results),
        "visible_shown_s": visible_done,
        "all_shown_s": all_done,
        "cache_hit_ms_p50": 1000 * statistics.median(hits),
        "cache_hit_ms_p99": 1000 * _percentile(hits, 0.99),
        "loop_lag_ms_p99": 1000 * _percentile(lags, 0.99),
        "loop_lag_ms_max": 1000 * max(lags),
        "disk_hit_ms_p50": 1000 * statistics.median(disk_hits) if disk_hits else None,
        "disk_hit_ms_p99": 1000 * _percentile(disk_hits, 0.99) if disk_hits else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.15, help="server delay per request, s")
    parser.add_argument("--visible", type=int, default=20, help="messages on screen (of 50)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at most")
    parser.add_argument(
        "--cache",
        choices=("memory", "sqlite", "store"),
        default="memory",
        help="where translations are kept beyond memory: nowhere, a SQLite file, the real store",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.visible <= MESSAGES:
        parser.error(f"--visible must be between 1 and {MESSAGES}")
    with tempfile.TemporaryDirectory() as scratch, _translator_process(args.latency) as url:
        cache, close_cache = _durable(args.cache, Path(scratch))
        try:
            figures = asyncio.run(_run(url, args.visible, args.concurrency, cache))
        finally:
            close_cache()
    figures["cache"] = args.cache
    figures["latency_ms_per_request"] = 1000 * args.latency
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(
        f"{figures['messages']} messages, {figures['visible']} visible, translator answering in "
        f"{figures['latency_ms_per_request']:.0f} ms, at most {figures['concurrency']} in flight"
    )
    print(f"translated: {figures['translated']}")
    print(f"every visible translation shown after: {figures['visible_shown_s']:.3f} s")
    print(f"all {figures['messages']} shown after: {figures['all_shown_s']:.3f} s")
    print(
        f"cache hit (memory): p50 {figures['cache_hit_ms_p50']:.3f} ms, "
        f"p99 {figures['cache_hit_ms_p99']:.3f} ms"
    )
    if figures["disk_hit_ms_p50"] is not None:
        print(
            f"after a restart, from {figures['cache']}: p50 {figures['disk_hit_ms_p50']:.3f} ms, "
            f"p99 {figures['disk_hit_ms_p99']:.3f} ms"
        )
    print(
        f"event-loop lag meanwhile: p99 {figures['loop_lag_ms_p99']:.1f} ms, "
        f"max {figures['loop_lag_ms_max']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
