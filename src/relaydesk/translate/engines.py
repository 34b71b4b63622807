"""The translation engines deep-translator offers, behind one small blocking interface.

Every engine answers ``translate(texts, source, target)`` with one translation per text, in order,
and fails with ``TranslationFailed`` (worth a retry later) or ``EngineUnreachable`` (the network or
the engine's host is down: show the original with a note). Keys come from a ``KeyProvider`` the
desktop backs with the OS keyring; this part never reads the keyring itself.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import requests
from deep_translator import (
    ChatGptTranslator,
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
)
from deep_translator import exceptions as dt_errors
from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES


class EngineKind(StrEnum):
    """Which service translates."""

    GOOGLE = "google"
    MYMEMORY = "mymemory"
    DEEPL = "deepl"
    MICROSOFT = "microsoft"
    LIBRE = "libre"
    LLM = "llm"


ENGINES_NEEDING_KEY = frozenset({EngineKind.DEEPL, EngineKind.MICROSOFT, EngineKind.LLM})


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """An engine and its settings: a LibreTranslate server's URL, DeepL's free plan, a model."""

    kind: EngineKind = EngineKind.GOOGLE
    url: str | None = None
    free_plan: bool = False
    model: str | None = None
    region: str | None = None

    @property
    def name(self) -> str:
        """A stable name for the cache: translations from two LibreTranslate hosts may differ."""
        return f"{self.kind}@{self.url}" if self.url else str(self.kind)


class KeyProvider(Protocol):
    """Gives the API key for an engine, or None when the agent has not entered one."""

    def key_for(self, engine: EngineKind) -> str | None: ...


class TranslationFailed(Exception):
    """The engine answered but gave no translation (quota, refused key, unsupported language)."""


class EngineUnreachable(TranslationFailed):
    """The engine could not be reached: offline, DNS, refused connection."""


class MissingKey(TranslationFailed):
    """The chosen engine needs an API key and none is stored."""

    def __init__(self, engine: EngineKind) -> None:
        super().__init__(
            f"the {engine} engine needs an API key; enter it in Settings → Translation"
        )
        self.engine = engine


class Engine(Protocol):
    """Blocking translation of a batch of texts (the service runs it off the event loop)."""

    @property
    def name(self) -> str: ...

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...


def _mymemory_code(code: str) -> str:
    """MyMemory wants regional codes (en-GB, zh-CN); pick the main region for a bare code."""
    values = set(MY_MEMORY_LANGUAGES_TO_CODES.values())
    for preferred in (code, f"{code}-{code.upper()}", f"{code}-CN", f"{code}-GB", f"{code}-SA"):
        if preferred in values:
            return preferred
    for value in sorted(values):
        if value.split("-")[0] == code:
            return str(value)
    return code


def engine_language(kind: EngineKind, code: str) -> str:
    """Our ISO 639-1 code (``zh`` means simplified Chinese) as the engine spells it."""
    if code == "auto":
        return code
    if kind is EngineKind.MYMEMORY:
        return _mymemory_code(code)
    if kind in (EngineKind.GOOGLE, EngineKind.LLM) and code == "zh":
        return "zh-CN"
    return code


TranslatorFactory = Callable[[str, str], Any]


class DeepTranslatorEngine:
    """One deep-translator class for one ``EngineChoice``, a translator object per language pair."""

    def __init__(self, choice: EngineChoice, keys: KeyProvider | None = None) -> None:
        self._choice = choice
        key = keys.key_for(choice.kind) if keys is not None else None
        if choice.kind in ENGINES_NEEDING_KEY and not key:
            raise MissingKey(choice.kind)
        if choice.kind is EngineKind.LLM and importlib.util.find_spec("openai") is None:
            raise TranslationFailed(
                "the LLM engine needs the 'openai' package before 1.0 (deep-translator calls its "
                "ChatCompletion API): pip install 'openai<1'"
            )
        if choice.kind is EngineKind.LIBRE and not choice.url:
            raise TranslationFailed("the LibreTranslate engine needs the URL of its server")
        self._factory = _factory(choice, key)
        # deep-translator's Google and MyMemory objects keep the text being translated in the
        # object: each worker thread gets objects of its own, or they would send each other's.
        self._local = threading.local()

    @property
    def name(self) -> str:
        return self._choice.name

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        kind = self._choice.kind
        pair = (engine_language(kind, source), engine_language(kind, target))
        try:
            translators: dict[tuple[str, str], Any] = self._local.__dict__.setdefault("by_pair", {})
            translator = translators.get(pair)
            if translator is None:
                translator = self._factory(*pair)
                translators[pair] = translator
            return [_as_text(translator.translate(text), text) for text in texts]
        except (requests.ConnectionError, requests.Timeout) as error:
            raise EngineUnreachable(f"{self.name} could not be reached ({error})") from error
        except (dt_errors.ServerException, dt_errors.RequestError) as error:
            if _looks_offline(error):
                raise EngineUnreachable(f"{self.name} could not be reached") from error
            raise TranslationFailed(f"{self.name} refused the request: {error}") from error
        except TranslationFailed:
            raise
        except Exception as error:  # deep-translator raises many unrelated types
            raise TranslationFailed(f"{self.name} gave no translation: {error}") from error


def _as_text(answer: object, original: str) -> str:
    if answer is None:
        return original
    if isinstance(answer, list):
        return str(answer[0]) if answer else original
    return str(answer)


def _looks_offline(error: Exception) -> bool:
    cause = error.__cause__ or error.__context__
    return isinstance(cause, requests.ConnectionError | ConnectionError)


def _factory(choice: EngineChoice, key: str | None) -> TranslatorFactory:
    kind = choice.kind
    if kind is EngineKind.GOOGLE:
        return lambda source, target: GoogleTranslator(source=source, target=target)
    if kind is EngineKind.MYMEMORY:
        return lambda source, target: MyMemoryTranslator(source=source, target=target)
    if kind is EngineKind.DEEPL:
        return lambda source, target: DeeplTranslator(
            source=source, target=target, api_key=key, use_free_api=choice.free_plan
        )
    if kind is EngineKind.MICROSOFT:
        return lambda source, target: MicrosoftTranslator(
            source=source, target=target, api_key=key, region=choice.region
        )
    if kind is EngineKind.LIBRE:
        url = choice.url if (choice.url or "").endswith("/") else f"{choice.url}/"
        return lambda source, target: LibreTranslator(
            source=source, target=target, api_key=key or "none", custom_url=url
        )
    model = choice.model or "gpt-3.5-turbo"
    return lambda source, target: ChatGptTranslator(
        source=source, target=target, api_key=key, model=model
    )
