"""The store for the Qt app: every call runs on one worker thread, so the UI never waits on disk.

``AsyncStore`` owns a single-thread executor: calls run one after another in the order they were
made (a note saved, then the card re-read, sees the note), and SQLite is only ever touched from
that thread. From a qasync coroutine::

    store = await AsyncStore.open_in(paths)
    card = await store.call(Store.contact_card, contact_id)
    figures = await store.run(lambda s: IntakeLedger(s).dashboard(now, clock, scope, 400))

``call(method, *args)`` takes an unbound ``Store`` method and its arguments; ``run(work)`` any
function of the ``Store``. Exceptions (``StoreError`` with its message) come back to the awaiter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from relaydesk.paths import AppPaths
from relaydesk.store.repository import Store

T = TypeVar("T")
P = ParamSpec("P")


class AsyncStore:
    """A ``Store`` whose calls are awaited, each run on the store's own worker thread."""

    def __init__(self, store: Store, executor: ThreadPoolExecutor) -> None:
        self.store = store
        self._executor = executor

    @classmethod
    async def open(cls, path: Path) -> AsyncStore:
        """Open the store file (health check, rescue, migrations) on the worker thread."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relaydesk-store")
        loop = asyncio.get_running_loop()
        store = await loop.run_in_executor(executor, Store.open, path)
        return cls(store, executor)

    @classmethod
    async def open_in(cls, paths: AppPaths) -> AsyncStore:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relaydesk-store")
        loop = asyncio.get_running_loop()
        store = await loop.run_in_executor(executor, Store.open_in, paths)
        return cls(store, executor)

    async def run(self, work: Callable[[Store], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, work, self.store)

    async def call(
        self, method: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await self.run(lambda store: method(store, *args, **kwargs))

    async def close(self) -> None:
        """Finish queued calls, close the database, stop the worker thread."""
        await self.run(Store.close)
        self._executor.shutdown(wait=True)
