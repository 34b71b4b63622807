"""The agent's drafts in the contact's language: preview, guard, back-translation, quick replies."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.engines import DeepTranslatorEngine, EngineChoice, EngineKind
from relaydesk.translate.outgoing import ComposeTranslator, QuickReplies, QuickRepliesError
from relaydesk.translate.service import TranslationService

DETECTION = LanguageDetection(["en", "zh", "ar", "es"])


def _translator(url: str, **options: Any) -> ComposeTranslator:
    service = TranslationService(DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=url)))
    return ComposeTranslator(service, DETECTION, "en", **options)


@pytest.fixture
def compose(translator_server: Any) -> Iterator[ComposeTranslator]:
    translator = _translator(translator_server.url, back_translate=True)
    yield translator
    translator.service.close()


async def test_preview_is_in_the_contacts_language(compose: ComposeTranslator) -> None:
    draft = await compose.preview("thank you", "zh")
    assert draft.to_send == "谢谢" and draft.translated
    assert draft.back_translation == "thank you" and draft.warnings == ()


async def test_same_language_contact_gets_the_original(compose: ComposeTranslator) -> None:
    draft = await compose.preview("thank you", "en")
    assert draft.to_send == "thank you" and not draft.translated


async def test_back_translation_drift_is_flagged(compose: ComposeTranslator) -> None:
    draft = await compose.preview("hi there, good to see you", "es")
    assert draft.back_translation == "hi there, good to see you" and draft.warnings == ()
    # An engine that renders "hey you" as "hola", which comes back as "goodbye".
    compose.service.remember("hola", "es", "en", "goodbye")
    compose.service.remember("hey you", "en", "es", "hola")
    drifted = await compose.preview("hey you", "es")
    assert any("back-translation" in warning for warning in drifted.warnings)


async def test_guard_warns_before_sending_agent_language_to_foreign_contact(
    compose: ComposeTranslator,
) -> None:
    warning = await compose.check_original("Your parcel left the warehouse today", "zh")
    assert warning is not None and "zh" in warning
    assert await compose.check_original("您的包裹今天离开仓库", "zh") is None
    assert await compose.check_original("Your parcel left the warehouse", "en") is None
    compose.guard = False
    assert await compose.check_original("Your parcel left the warehouse today", "zh") is None


async def test_offline_preview_keeps_the_original_with_a_note() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    translator = _translator(f"http://127.0.0.1:{port}/")
    try:
        draft = await translator.preview("thank you", "zh")
    finally:
        translator.service.close()
    assert draft.to_send == "thank you"
    assert any("Offline" in warning for warning in draft.warnings)


async def test_quick_reply_is_translated_on_insert(compose: ComposeTranslator) -> None:
    replies = QuickReplies()
    replies.add("thank you")
    replies.add("good morning")
    assert replies.matching("MORN") == ["good morning"]
    draft = await replies.insert("good morning", compose, "es")
    assert draft.to_send == "buenos días"


def test_empty_quick_reply_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        QuickReplies().add("   ")


def test_quick_replies_are_kept_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "quick-replies.json"
    replies = QuickReplies.load(path)
    replies.add("Your order has shipped")
    replies.add("谢谢")
    replies.remove("谢谢")
    assert QuickReplies.load(path).replies == ["Your order has shipped"]


def test_a_damaged_quick_replies_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "quick-replies.json"
    path.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(QuickRepliesError, match=r"quick-replies\.json"):
        QuickReplies.load(path)
