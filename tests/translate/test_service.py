"""The translation service with the real LibreTranslator on loopback: batching, cache, failures."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from relaydesk.translate.cache import (
    LayeredTranslationCache,
    MemoryTranslationCache,
    SqliteTranslationCache,
    TranslationKey,
)
from relaydesk.translate.engines import DeepTranslatorEngine, EngineChoice, EngineKind
from relaydesk.translate.service import TranslationService, TranslationStatus


def _service(url: str, **options: Any) -> TranslationService:
    return TranslationService(
        DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=url)), **options
    )


async def test_results_arrive_one_by_one_in_order_asked(translator_server: Any) -> None:
    service = _service(translator_server.url)
    heard: list[str] = []
    texts = ["hello", "thank you", "where is my order"]
    try:
        results = await service.translate_many(texts, "en", "es", lambda r: heard.append(r.text))
    finally:
        service.close()
    assert [r.shown_text for r in results] == ["hola", "gracias", "⟦es⟧ where is my order"]
    assert sorted(heard) == sorted(texts)


async def test_second_request_comes_from_cache_without_the_engine(translator_server: Any) -> None:
    service = _service(translator_server.url)
    try:
        await service.translate("hello", "en", "es")
        asked = translator_server.behaviour.requests
        again = await service.translate("hello", "en", "es")
    finally:
        service.close()
    assert again.translation == "hola" and again.from_cache
    assert translator_server.behaviour.requests == asked


async def test_concurrency_is_bounded(translator_server: Any) -> None:
    translator_server.behaviour.latency = 0.05
    service = _service(translator_server.url, concurrency=3)
    try:
        results = await service.translate_many([f"message {n}" for n in range(12)], "en", "es")
    finally:
        service.close()
    assert all(r.status is TranslationStatus.DONE for r in results)
    assert 1 < translator_server.behaviour.max_concurrent <= 3


async def test_a_slow_engine_times_out_as_a_retryable_failure(translator_server: Any) -> None:
    translator_server.behaviour.latency = 1.0
    service = _service(translator_server.url, timeout=0.2)
    try:
        result = await service.translate("hello", "en", "es")
    finally:
        service.close()
    assert result.status is TranslationStatus.FAILED
    assert result.shown_text == "hello" and "did not answer" in result.reason


async def test_one_failed_message_does_not_spoil_the_others(translator_server: Any) -> None:
    translator_server.behaviour.fail_texts = {"broken"}
    service = _service(translator_server.url)
    try:
        results = await service.translate_many(["hello", "broken", "thank you"], "en", "es")
        translator_server.behaviour.fail_texts = set()
        retried = await service.translate("broken", "en", "es")
    finally:
        service.close()
    assert [r.status for r in results] == [
        TranslationStatus.DONE,
        TranslationStatus.FAILED,
        TranslationStatus.DONE,
    ]
    assert results[1].shown_text == "broken"
    assert retried.status is TranslationStatus.DONE


async def test_offline_keeps_the_original_and_stops_asking_for_a_while() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = _service(f"http://127.0.0.1:{port}/", batch_size=1, concurrency=1)
    try:
        results = await service.translate_many(["hello", "thank you"], "en", "es")
    finally:
        service.close()
    assert [r.status for r in results] == [TranslationStatus.OFFLINE] * 2
    assert [r.shown_text for r in results] == ["hello", "thank you"]
    assert all("could not be reached" in r.reason for r in results)


async def test_same_text_asked_twice_at_once_is_fetched_once(translator_server: Any) -> None:
    translator_server.behaviour.latency = 0.1
    service = _service(translator_server.url)
    try:
        first, second = await asyncio.gather(
            service.translate("good morning", "en", "es"),
            service.translate("good morning", "en", "es"),
        )
    finally:
        service.close()
    assert first.translation == second.translation == "buenos días"
    assert translator_server.behaviour.requests == 1


async def test_event_loop_keeps_ticking_while_translating(translator_server: Any) -> None:
    translator_server.behaviour.latency = 0.3
    service = _service(translator_server.url)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    try:
        await service.translate_many(["one", "two", "three"], "en", "es")
    finally:
        ticking.cancel()
        service.close()
    assert ticks >= 10  # 0.3 s of translation leaves room for many 10 ms ticks


def test_translations_survive_a_restart_in_sqlite(tmp_path: Path) -> None:
    key = TranslationKey("libre", "en", "es", "hello")
    first = SqliteTranslationCache(tmp_path / "store.sqlite")
    first.put(key, "hola")
    first.close()
    reopened = SqliteTranslationCache(tmp_path / "store.sqlite")
    try:
        assert reopened.get(key) == "hola"
        assert reopened.get(TranslationKey("google", "en", "es", "hello")) is None
    finally:
        reopened.close()


def test_memory_cache_forgets_the_least_recently_used() -> None:
    cache = MemoryTranslationCache(capacity=2)
    a, b, c = (TranslationKey("g", "en", "es", t) for t in "abc")
    cache.put(a, "A")
    cache.put(b, "B")
    assert cache.get(a) == "A"  # a is now the most recent
    cache.put(c, "C")
    assert cache.get(b) is None and cache.get(a) == "A" and cache.get(c) == "C"


def test_layered_cache_fills_memory_from_disk(tmp_path: Path) -> None:
    durable = SqliteTranslationCache(tmp_path / "t.sqlite")
    key = TranslationKey("g", "en", "es", "hello")
    durable.put(key, "hola")
    fast = MemoryTranslationCache()
    try:
        assert LayeredTranslationCache(fast, durable).get(key) == "hola"
        assert fast.get(key) == "hola"
    finally:
        durable.close()


async def test_a_cancelled_request_does_not_leave_others_waiting(translator_server: Any) -> None:
    translator_server.behaviour.latency = 0.3
    service = _service(translator_server.url)
    try:
        first = asyncio.create_task(service.translate("where is my parcel", "en", "es"))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(service.translate("where is my parcel", "en", "es"))
        await asyncio.sleep(0.05)
        first.cancel()
        result = await asyncio.wait_for(second, 5)
        later = await service.translate("where is my parcel", "en", "es")
    finally:
        service.close()
    assert result.status is TranslationStatus.FAILED and result.shown_text == "where is my parcel"
    assert later.translation == "⟦es⟧ where is my parcel"


async def test_a_closed_service_answers_with_the_original() -> None:
    service = _service("http://127.0.0.1:9/")
    service.close()
    result = await service.translate("hello", "en", "es")
    assert result.status is TranslationStatus.FAILED and result.shown_text == "hello"
