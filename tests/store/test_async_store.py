"""The async wrapper: calls run off the caller's thread, one at a time, in order."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from relaydesk.store.async_store import AsyncStore
from relaydesk.store.database import StoreError
from relaydesk.store.repository import Store


async def test_calls_run_on_the_store_thread_in_the_order_made(store_path: Path) -> None:
    store = await AsyncStore.open(store_path)
    try:
        await store.call(Store.ensure_account, "wa1", "whatsapp")
        caller = threading.get_ident()
        worker = await store.run(lambda _s: threading.get_ident())
        assert worker != caller
        moment = datetime(2026, 11, 23, 9, tzinfo=UTC)
        recorded = await store.call(Store.record_message, "wa1", "c", "m1", "in", "hi", moment)
        pending = [
            store.call(Store.add_note, recorded.contact_id, f"note {n}") for n in range(5)
        ] + [store.call(Store.contact_card, recorded.contact_id)]
        *_, card = await asyncio.gather(*pending)
        assert len(card.notes) == 5  # the card was read after every earlier note was saved
    finally:
        await store.close()


async def test_errors_come_back_to_the_awaiter(store_path: Path) -> None:
    store = await AsyncStore.open(store_path)
    try:
        with pytest.raises(StoreError, match="no contact 7"):
            await store.call(Store.contact_card, 7)
    finally:
        await store.close()
