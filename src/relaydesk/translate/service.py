"""Asynchronous translation for the UI: cache first, then the engine off the event loop.

Blocking engine calls run in a bounded thread pool; at most ``concurrency`` batches are in
flight, each limited by ``timeout`` seconds, so a slow or dead engine never stalls the event loop.
Results come back one by one through a callback as soon as each batch is done, so the first
visible translations appear while later ones are still travelling. A failure never loses a
message: the result carries the original text, a status (failed → retry mark, offline → note)
and the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from relaydesk.translate.cache import MemoryTranslationCache, TranslationCache, TranslationKey
from relaydesk.translate.engines import Engine, EngineUnreachable, TranslationFailed


class TranslationStatus(StrEnum):
    DONE = "done"
    FAILED = "failed"  # show a retry mark on the message
    OFFLINE = "offline"  # show the original with a note


@dataclass(frozen=True, slots=True)
class TranslationResult:
    """What became of one text: its translation, or the original with the reason it stays so."""

    text: str
    source: str
    target: str
    status: TranslationStatus
    translation: str | None = None
    reason: str = ""
    from_cache: bool = False

    @property
    def shown_text(self) -> str:
        """The text to show: the translation when there is one, otherwise the original."""
        return self.translation if self.translation is not None else self.text


ResultCallback = Callable[[TranslationResult], None]
T = TypeVar("T")


class TranslationService:
    """Translates texts through one engine with a cache, bounded concurrency and timeouts."""

    def __init__(
        self,
        engine: Engine,
        cache: TranslationCache | None = None,
        *,
        concurrency: int = 16,
        batch_size: int = 1,
        timeout: float = 8.0,
        offline_pause: float = 15.0,
    ) -> None:
        if concurrency < 1 or batch_size < 1 or timeout <= 0:
            raise ValueError("concurrency and batch_size must be at least 1 and timeout positive")
        self.engine = engine
        # Lookups on the event loop touch only memory; a durable cache (SQLite, the store) is read
        # and written on the worker threads, so a disk never stalls the UI.
        self.memory = MemoryTranslationCache()
        self.durable = cache
        self._batch_size = batch_size
        self._timeout = timeout
        self._offline_pause = offline_pause
        self._offline_until = 0.0
        self._offline_reason = ""
        # Twice the concurrency: a call abandoned after its timeout may hold a thread a while.
        self._workers = 2 * concurrency
        self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="translate")
        # One thread for the durable cache: SQLite takes one writer at a time anyway, and a single
        # Python-heavy thread competes less with the event loop for the GIL than sixteen would.
        self._disk = ThreadPoolExecutor(max_workers=1, thread_name_prefix="translate-cache")
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: dict[TranslationKey, asyncio.Future[TranslationResult]] = {}
        # Starting a thread waits for it to run; sixteen of them started from the event loop when
        # a chat opens stalled it for 60-90 ms. Start them now, from a thread of their own.
        threading.Thread(target=self._start_workers, name="translate-start", daemon=True).start()

    def _start_workers(self) -> None:
        with contextlib.suppress(RuntimeError):  # closed before they all started
            for _ in range(self._workers):
                self._pool.submit(time.sleep, 0.02)
            self._disk.submit(time.sleep, 0)

    def key(self, text: str, source: str, target: str) -> TranslationKey:
        return TranslationKey(self.engine.name, source, target, text)

    def cached(self, text: str, source: str, target: str) -> TranslationResult | None:
        """The translation in memory, without touching disk or engine (None when not there)."""
        translation = self.memory.get(self.key(text, source, target))
        if translation is None:
            return None
        return TranslationResult(
            text, source, target, TranslationStatus.DONE, translation, from_cache=True
        )

    async def translate(self, text: str, source: str, target: str) -> TranslationResult:
        results = await self.translate_many([text], source, target)
        return results[0]

    async def translate_many(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        on_result: ResultCallback | None = None,
    ) -> list[TranslationResult]:
        """Translate ``texts`` (most important first); ``on_result`` hears each one as it lands."""
        results: dict[str, TranslationResult] = {}

        def land(result: TranslationResult) -> None:
            if result.text not in results:
                results[result.text] = result
                if on_result is not None:
                    on_result(result)

        waiting: list[asyncio.Future[TranslationResult]] = []
        to_fetch: list[str] = []
        for text in dict.fromkeys(texts):
            if source == target or not text.strip():
                land(TranslationResult(text, source, target, TranslationStatus.DONE, text))
                continue
            hit = self.cached(text, source, target)
            if hit is not None:
                land(hit)
                continue
            pending = self._in_flight.get(self.key(text, source, target))
            if pending is not None:
                waiting.append(pending)
            else:
                to_fetch.append(text)

        loop = asyncio.get_running_loop()
        futures: dict[str, asyncio.Future[TranslationResult]] = {}
        for text in to_fetch:
            future: asyncio.Future[TranslationResult] = loop.create_future()
            futures[text] = future
            self._in_flight[self.key(text, source, target)] = future
        if to_fetch and self.durable is not None:
            try:
                kept = await loop.run_in_executor(
                    self._disk, self._look_up_durable, to_fetch, source, target
                )
            except RuntimeError:  # closed: ask the engine, which answers as closed too
                kept = {}
            except BaseException:  # cancelled: free the texts others may be waiting on
                for text in to_fetch:
                    self._in_flight.pop(self.key(text, source, target), None)
                    futures[text].set_result(
                        TranslationResult(
                            text, source, target, TranslationStatus.FAILED, None, "cancelled"
                        )
                    )
                raise
            for text, translation in kept.items():
                key = self.key(text, source, target)
                self.memory.put(key, translation)
                self._in_flight.pop(key, None)
                futures[text].set_result(
                    TranslationResult(
                        text, source, target, TranslationStatus.DONE, translation, from_cache=True
                    )
                )
            to_fetch = [text for text in to_fetch if text not in kept]
        batches = [
            to_fetch[start : start + self._batch_size]
            for start in range(0, len(to_fetch), self._batch_size)
        ]
        tasks = [
            asyncio.create_task(self._run_batch(batch, source, target, futures))
            for batch in batches
        ]
        for future in [*futures.values(), *waiting]:
            future.add_done_callback(lambda done: land(done.result()))
        if tasks:
            await asyncio.gather(*tasks)
        if waiting:
            await asyncio.gather(*waiting)
        for future in [*futures.values(), *waiting]:
            land(future.result())
        return [results[text] for text in texts]

    async def _run_batch(
        self,
        batch: list[str],
        source: str,
        target: str,
        futures: dict[str, asyncio.Future[TranslationResult]],
    ) -> None:
        try:
            outcome = await self._fetch(batch, source, target)
        except BaseException:
            # Cancelled (the chat closed): others may wait on these texts; tell them, then go.
            stopped = self._failures(
                batch, source, target, TranslationStatus.FAILED, "translation was cancelled"
            )
            for text, result in zip(batch, stopped, strict=True):
                if not futures[text].done():
                    futures[text].set_result(result)
            raise
        finally:
            for text in batch:
                self._in_flight.pop(self.key(text, source, target), None)
        for text, result in zip(batch, outcome, strict=True):
            futures[text].set_result(result)

    async def _fetch(self, batch: list[str], source: str, target: str) -> list[TranslationResult]:
        if time.monotonic() < self._offline_until:
            return self._failures(
                batch, source, target, TranslationStatus.OFFLINE, self._offline_reason
            )
        async with self._slots:
            loop = asyncio.get_running_loop()
            try:
                call = loop.run_in_executor(
                    self._pool, self._translate_and_keep, batch, source, target
                )
                translations = await asyncio.wait_for(call, self._timeout)
            except TimeoutError:
                return self._failures(
                    batch,
                    source,
                    target,
                    TranslationStatus.FAILED,
                    f"{self.engine.name} did not answer in {self._timeout:g} s",
                )
            except EngineUnreachable as error:
                self._offline_until = time.monotonic() + self._offline_pause
                self._offline_reason = str(error)
                return self._failures(batch, source, target, TranslationStatus.OFFLINE, str(error))
            except TranslationFailed as error:
                return self._failures(batch, source, target, TranslationStatus.FAILED, str(error))
            except Exception as error:  # an engine bug must not leave a message waiting forever
                return self._failures(
                    batch,
                    source,
                    target,
                    TranslationStatus.FAILED,
                    f"{self.engine.name} failed: {error!r}",
                )
        self._offline_until = 0.0
        results = []
        for text, translation in zip(batch, translations, strict=True):
            results.append(
                TranslationResult(text, source, target, TranslationStatus.DONE, translation)
            )
        return results

    def _look_up_durable(self, texts: list[str], source: str, target: str) -> dict[str, str]:
        """On a worker thread: the translations the durable cache already holds."""
        assert self.durable is not None
        kept: dict[str, str] = {}
        try:
            for text in texts:
                translation = self.durable.get(self.key(text, source, target))
                if translation is not None:
                    kept[text] = translation
        except Exception:  # a damaged cache costs a new request, never a lost message
            return kept
        return kept

    def _translate_and_keep(self, batch: list[str], source: str, target: str) -> list[str]:
        """On a worker thread: translate, then keep the translations in memory and on disk."""
        translations = self.engine.translate(batch, source, target)
        kept = [
            (self.key(t, source, target), tr) for t, tr in zip(batch, translations, strict=True)
        ]
        for key, translation in kept:
            self.memory.put(key, translation)
        if self.durable is not None:
            with contextlib.suppress(RuntimeError):  # shut down: memory has it for this session
                self._disk.submit(self._keep_durable, kept)
        return translations

    def _keep_durable(self, kept: list[tuple[TranslationKey, str]]) -> None:
        assert self.durable is not None
        for key, translation in kept:
            with contextlib.suppress(Exception):  # the translation was shown all the same
                self.durable.put(key, translation)

    def remember(self, text: str, source: str, target: str, translation: str) -> None:
        """Keep a translation in memory (an agent's correction, or tests)."""
        self.memory.put(self.key(text, source, target), translation)

    @staticmethod
    def _failures(
        batch: list[str], source: str, target: str, status: TranslationStatus, reason: str
    ) -> list[TranslationResult]:
        return [TranslationResult(text, source, target, status, None, reason) for text in batch]

    async def run_blocking(self, work: Callable[..., T], *args: object) -> T:
        """Run CPU or blocking ``work`` (language detection) on this service's worker threads."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)

    def forget_offline(self) -> None:
        """Try the engine again at once (the agent pressed retry, or the network came back)."""
        self._offline_until = 0.0

    def close(self) -> None:
        """Stop the worker threads; calls still running finish in the background."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._disk.shutdown(wait=True)  # translations already made reach the disk
