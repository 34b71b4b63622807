"""Engine per account with per-contact overrides, and learning a contact's language."""

from __future__ import annotations

from pathlib import Path

from relaydesk.translate.detection import DetectedLanguage
from relaydesk.translate.engines import EngineChoice, EngineKind
from relaydesk.translate.resolver import (
    EnginePreferences,
    SqliteContactLanguages,
    contact_language_from,
    engine_for,
)

DEEPL = EngineChoice(EngineKind.DEEPL)
LIBRE = EngineChoice(EngineKind.LIBRE, url="http://mt.internal/")


def test_default_is_google() -> None:
    assert engine_for(EnginePreferences(), "whatsapp-1", "c1").kind is EngineKind.GOOGLE


def test_account_choice_then_contact_override() -> None:
    preferences = EnginePreferences(by_account={"line-1": DEEPL}, by_contact={"c9": LIBRE})
    assert engine_for(preferences, "line-1", "c1") == DEEPL
    assert engine_for(preferences, "line-1", "c9") == LIBRE
    assert engine_for(preferences, "whatsapp-1", "c9") == LIBRE
    assert engine_for(preferences, "whatsapp-1", "c1").kind is EngineKind.GOOGLE


def _d(code: str, confidence: float = 0.95, *languages: str) -> DetectedLanguage:
    return DetectedLanguage(code, confidence, languages or (code,))


def test_contact_language_ignores_a_stray_ok() -> None:
    samples = [
        ("¿Dónde está mi pedido?", _d("es")),
        ("ok", _d("en", 0.9)),
        ("Gracias por la ayuda", _d("es")),
    ]
    assert contact_language_from(samples, "en") == "es"


def test_contact_language_prefers_a_foreign_language_to_the_agents() -> None:
    samples = [("Thanks a lot for that", _d("en")), ("我的订单在哪里", _d("zh"))]
    assert contact_language_from(samples, "en") == "zh"


def test_unsure_or_mixed_messages_do_not_decide() -> None:
    samples = [("hola", _d("es", 0.3)), ("hi 你好 there", _d("en", 0.9, "en", "zh"))]
    assert contact_language_from(samples, "en") is None


def test_contact_language_survives_a_restart(tmp_path: Path) -> None:
    languages = SqliteContactLanguages(tmp_path / "store.sqlite")
    languages.remember("c1", "zh")
    languages.remember("c1", "ar")
    languages.close()
    reopened = SqliteContactLanguages(tmp_path / "store.sqlite")
    try:
        assert reopened.language_of("c1") == "ar"
        assert reopened.language_of("c2") is None
    finally:
        reopened.close()
