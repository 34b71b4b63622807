"""Translations and contact languages kept in the workstation's real store (migrated SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from relaydesk.store.repository import Store
from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.engines import DeepTranslatorEngine, EngineChoice, EngineKind
from relaydesk.translate.incoming import IncomingMessage, IncomingTranslator
from relaydesk.translate.service import TranslationService
from relaydesk.translate.store_link import StoreContactLanguages, store_translation_cache


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data" / "store.db")
    opened.ensure_account("wa1", "whatsapp", "Sales WhatsApp")
    yield opened
    opened.close()


def _service(url: str, store: Store) -> TranslationService:
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=url))
    return TranslationService(engine, store_translation_cache(store))


async def test_translations_come_back_from_the_store_after_a_restart(
    translator_server: Any, store: Store
) -> None:
    first = _service(translator_server.url, store)
    try:
        assert (await first.translate("thank you", "en", "zh")).translation == "谢谢"
    finally:
        first.close()
    asked = translator_server.behaviour.requests

    restarted = _service(translator_server.url, store)  # empty memory, same store
    try:
        again = await restarted.translate("thank you", "en", "zh")
    finally:
        restarted.close()
    assert again.translation == "谢谢" and again.from_cache
    assert translator_server.behaviour.requests == asked


async def test_contact_language_is_kept_on_the_stored_contact(
    translator_server: Any, store: Store
) -> None:
    contact = store.see_contact("wa1", "+8613800000000", "Li Wei")
    service = _service(translator_server.url, store)
    incoming = IncomingTranslator(
        service, LanguageDetection(["en", "zh"]), StoreContactLanguages(store), "en"
    )
    try:
        await incoming.translate_visible(
            str(contact), [IncomingMessage("m1", "我的订单在哪里")], lambda _: None
        )
    finally:
        service.close()
    assert store.contact_card(contact, history=0).language == "zh"
    assert StoreContactLanguages(store).language_of("not-a-contact") is None
