"""Incoming messages of the open chat, translated through the real LibreTranslator on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.engines import DeepTranslatorEngine, EngineChoice, EngineKind
from relaydesk.translate.incoming import (
    IncomingMessage,
    IncomingTranslator,
    MessageState,
    MessageTranslation,
)
from relaydesk.translate.resolver import MemoryContactLanguages
from relaydesk.translate.service import TranslationService

DETECTION = LanguageDetection(["en", "zh", "ar", "es"])


@pytest.fixture
def incoming(translator_server: Any) -> Iterator[IncomingTranslator]:
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=translator_server.url))
    service = TranslationService(engine, timeout=3)
    yield IncomingTranslator(service, DETECTION, MemoryContactLanguages(), "en")
    service.close()


async def test_foreign_messages_translated_agent_language_skipped(
    incoming: IncomingTranslator,
) -> None:
    heard: list[MessageTranslation] = []
    messages = [
        IncomingMessage("m1", "谢谢"),
        IncomingMessage("m2", "Where is my order?"),
        IncomingMessage("m3", "👍"),
        IncomingMessage("m4", "Necesito ayuda con mi pedido"),
    ]
    result = await incoming.translate_visible("c1", messages, heard.append)
    by_key = {t.key: t for t in result}
    assert by_key["m1"].state is MessageState.TRANSLATED
    assert by_key["m1"].line.startswith("thank you") and "zh → en" in by_key["m1"].line
    assert by_key["m2"].state is MessageState.SKIPPED and by_key["m2"].line == ""
    assert by_key["m3"].state is MessageState.SKIPPED
    assert by_key["m4"].state is MessageState.TRANSLATED and by_key["m4"].source == "es"
    assert [t.key for t in result] == ["m1", "m2", "m3", "m4"]
    assert {t.key for t in heard} == {"m1", "m2", "m3", "m4"}


async def test_the_contacts_language_is_remembered(incoming: IncomingTranslator) -> None:
    await incoming.translate_visible(
        "c2", [IncomingMessage("m1", "我的订单在哪里")], lambda _: None
    )
    assert incoming.contact_languages.language_of("c2") == "zh"


async def test_failure_leaves_a_retry_mark_until_retried(
    incoming: IncomingTranslator, translator_server: Any
) -> None:
    translator_server.behaviour.fail_texts = {"Necesito ayuda con mi pedido"}
    messages = [
        IncomingMessage("m1", "Necesito ayuda con mi pedido"),
        IncomingMessage("m2", "谢谢"),
    ]
    first = await incoming.translate_visible("c3", messages, lambda _: None)
    assert [t.state for t in first] == [MessageState.FAILED, MessageState.TRANSLATED]
    assert first[0].line.startswith("↻")
    assert [m.key for m in incoming.failed("c3")] == ["m1"]

    translator_server.behaviour.fail_texts = set()
    retried = await incoming.retry("c3", lambda _: None)
    assert [t.state for t in retried] == [MessageState.TRANSLATED]
    assert incoming.failed("c3") == []


async def test_translation_off_for_a_chat(incoming: IncomingTranslator) -> None:
    incoming.toggles.set("c4", False)
    assert await incoming.translate_visible("c4", [IncomingMessage("m", "谢谢")], print) == []
    incoming.toggles.set("c4", True)
    assert len(await incoming.translate_visible("c4", [IncomingMessage("m", "谢谢")], print)) == 1


async def test_turning_a_chat_off_takes_its_translations_away(incoming: IncomingTranslator) -> None:
    messages = [IncomingMessage("m1", "谢谢"), IncomingMessage("m2", "Thanks a lot")]
    await incoming.translate_visible("c5", messages, lambda _: None)
    removals = incoming.hide("c5")
    assert [(r.key, r.line) for r in removals] == [("m1", "")]
    assert not incoming.toggles.enabled("c5")
