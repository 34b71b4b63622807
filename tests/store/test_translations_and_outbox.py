"""Translations kept across restarts, and the outbox's workstation-made ids."""

from __future__ import annotations

from pathlib import Path

from relaydesk.store.outbox import StoreOutbox
from relaydesk.store.repository import Store
from relaydesk.store.translations import StoreTranslationCache
from relaydesk.translate.cache import TranslationKey


def test_a_translation_is_found_again_after_a_restart(store_path: Path) -> None:
    store = Store.open(store_path)
    StoreTranslationCache(store).put(
        TranslationKey("google", "zh", "en", "我想申请退款"), "I want a refund"
    )
    store.close()

    reopened = Store.open(store_path)
    try:
        cache = StoreTranslationCache(reopened)
        assert cache.get(TranslationKey("google", "zh", "en", "我想申请退款")) == "I want a refund"
        assert cache.get(TranslationKey("deepl", "zh", "en", "我想申请退款")) is None
        assert cache.get(TranslationKey("google", "zh", "pt", "我想申请退款")) is None
        cache.put(TranslationKey("google", "zh", "en", "我想申请退款"), "I'd like a refund")
        assert cache.lookup("google", "zh", "en", "我想申请退款") == "I'd like a refund"
    finally:
        reopened.close()


def test_outbox_entries_wait_until_sent_and_count_once(store: Store) -> None:
    outbox = StoreOutbox(store)
    first = outbox.enqueue("note_added", {"contact": "+8613800138000", "text": "退款"})
    again = outbox.enqueue("note_added", {"contact": "x"}, entry_id=first)  # a resend
    second = outbox.enqueue("tag_added", {"tag": "vip"})
    assert again == first
    pending = outbox.pending()
    assert [entry.id for entry in pending] == [first, second]
    assert pending[0].payload == {"contact": "+8613800138000", "text": "退款"}
    outbox.mark_sent([first])
    assert [entry.id for entry in outbox.pending()] == [second]
