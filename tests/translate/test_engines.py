"""deep-translator's real LibreTranslator and MyMemoryTranslator against the loopback server."""

from __future__ import annotations

from typing import Any

import pytest
from deep_translator import constants

from relaydesk.translate.engines import (
    DeepTranslatorEngine,
    EngineChoice,
    EngineKind,
    EngineUnreachable,
    MissingKey,
    TranslationFailed,
    engine_language,
)


class Keys:
    def __init__(self, **keys: str) -> None:
        self._keys = keys

    def key_for(self, engine: EngineKind) -> str | None:
        return self._keys.get(str(engine))


def test_libretranslate_translates_through_the_real_client(translator_server: Any) -> None:
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=translator_server.url))
    assert engine.translate(["hello", "thank you"], "en", "es") == ["hola", "gracias"]
    assert engine.translate(["谢谢"], "zh", "en") == ["thank you"]


def test_libretranslate_sends_the_stored_key(translator_server: Any) -> None:
    translator_server.behaviour.required_key = "secret"
    good = DeepTranslatorEngine(
        EngineChoice(EngineKind.LIBRE, url=translator_server.url), Keys(libre="secret")
    )
    assert good.translate(["hello"], "en", "es") == ["hola"]
    wrong = DeepTranslatorEngine(
        EngineChoice(EngineKind.LIBRE, url=translator_server.url), Keys(libre="guess")
    )
    with pytest.raises(TranslationFailed) as refused:
        wrong.translate(["hello"], "en", "es")
    assert not isinstance(refused.value, EngineUnreachable)


def test_server_error_is_a_failure_not_offline(translator_server: Any) -> None:
    translator_server.behaviour.fail_next = 1
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=translator_server.url))
    with pytest.raises(TranslationFailed) as failed:
        engine.translate(["hello"], "en", "es")
    assert not isinstance(failed.value, EngineUnreachable)
    assert engine.translate(["hello"], "en", "es") == ["hola"]


def test_a_closed_port_means_unreachable(translator_server: Any) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    engine = DeepTranslatorEngine(
        EngineChoice(EngineKind.LIBRE, url=f"http://127.0.0.1:{dead_port}/")
    )
    with pytest.raises(EngineUnreachable):
        engine.translate(["hello"], "en", "es")


def test_mymemory_translates_through_the_real_client(
    translator_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # deep-translator reads MyMemory's address from its BASE_URLS constant at construction.
    monkeypatch.setitem(constants.BASE_URLS, "MYMEMORY", f"{translator_server.url}get")
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.MYMEMORY))
    assert engine.translate(["hello", "good morning"], "en", "es") == ["hola", "buenos días"]
    assert engine.translate(["مرحبا"], "ar", "en") == ["hello"]


def test_google_the_default_translates_through_the_real_client(
    translator_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(constants.BASE_URLS, "GOOGLE_TRANSLATE", f"{translator_server.url}m")
    engine = DeepTranslatorEngine(EngineChoice())
    assert engine.name == "google"
    assert engine.translate(["thank you", "hello"], "en", "zh") == ["谢谢", "你好"]
    assert engine.translate(["شكرا"], "ar", "en") == ["thank you"]


@pytest.mark.parametrize("kind", [EngineKind.DEEPL, EngineKind.MICROSOFT, EngineKind.LLM])
def test_engines_with_keys_say_which_key_is_missing(kind: EngineKind) -> None:
    with pytest.raises(MissingKey, match=str(kind)):
        DeepTranslatorEngine(EngineChoice(kind), Keys())


def test_llm_engine_names_the_package_it_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "openai" else real_find_spec(name, *rest),
    )
    with pytest.raises(TranslationFailed, match="openai"):
        DeepTranslatorEngine(EngineChoice(EngineKind.LLM), Keys(llm="sk-test"))


def test_libretranslate_without_url_is_refused_clearly() -> None:
    with pytest.raises(TranslationFailed, match="URL"):
        DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE))


def test_each_engine_gets_its_own_spelling_of_a_language() -> None:
    assert engine_language(EngineKind.GOOGLE, "zh") == "zh-CN"
    assert engine_language(EngineKind.MYMEMORY, "en") == "en-GB"
    assert engine_language(EngineKind.MYMEMORY, "zh") == "zh-CN"
    assert engine_language(EngineKind.LIBRE, "zh") == "zh"


def test_engines_with_different_hosts_do_not_share_cached_translations() -> None:
    first = EngineChoice(EngineKind.LIBRE, url="http://a.example/")
    second = EngineChoice(EngineKind.LIBRE, url="http://b.example/")
    assert first.name != second.name


async def test_concurrent_google_requests_keep_their_own_texts(
    translator_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # deep-translator's GoogleTranslator keeps the text in the object between calls: workers
    # sharing one object would send each other's texts.
    from relaydesk.translate.service import TranslationService

    monkeypatch.setitem(constants.BASE_URLS, "GOOGLE_TRANSLATE", f"{translator_server.url}m")
    translator_server.behaviour.latency = 0.02
    service = TranslationService(DeepTranslatorEngine(EngineChoice()), concurrency=8)
    texts = [f"order number {n}" for n in range(40)]
    try:
        results = await service.translate_many(texts, "en", "es")
    finally:
        service.close()
    assert [r.translation for r in results] == [f"⟦es⟧ {text}" for text in texts]
