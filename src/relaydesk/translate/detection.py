"""Offline language detection with lingua, restricted to the languages a team actually meets.

Restricting lingua to a configured set makes it faster and more accurate on short chat messages.
A message made of emoji, digits or a URL has no language: ``detect`` answers None and the caller
falls back to the contact's remembered language. Mixed-script messages ("ok 谢谢") report every
language found, so a message is only skipped when all of it is in the agent's language.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

DEFAULT_LANGUAGES = ("en", "zh", "ar", "es", "fr", "de", "pt", "ru", "ja", "ko", "th", "vi", "id")

# Letters of any script; digits, punctuation, emoji and URLs carry no language.
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class DetectedLanguage:
    """The main language of a text (ISO 639-1), how sure lingua is, and every language seen."""

    code: str
    confidence: float
    languages: tuple[str, ...]

    def only(self, code: str) -> bool:
        """True when the whole text is in ``code`` (nothing else worth translating)."""
        return self.languages == (code,) or (self.code == code and len(self.languages) <= 1)


class UnknownLanguage(ValueError):
    """A configured language code that lingua does not know."""


def _language(code: str) -> Language:
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code.lower()))
    except (ValueError, AttributeError) as error:
        raise UnknownLanguage(
            f"unknown language code {code!r} (expected ISO 639-1, e.g. 'en')"
        ) from error


def _code(language: Language) -> str:
    return language.iso_code_639_1.name.lower()


class LanguageDetection:
    """Detects the language of chat messages among ``languages`` (ISO 639-1 codes)."""

    def __init__(self, languages: Iterable[str] = DEFAULT_LANGUAGES, preload: bool = False) -> None:
        wanted = sorted({_language(code) for code in languages}, key=_code)
        if len(wanted) < 2:
            raise UnknownLanguage("language detection needs at least two languages to choose from")
        builder = LanguageDetectorBuilder.from_languages(*wanted)
        if preload:
            builder = builder.with_preloaded_language_models()
        self._detector: LanguageDetector = builder.build()
        self._lock = threading.Lock()
        self.languages = tuple(_code(language) for language in wanted)

    def detect(self, text: str) -> DetectedLanguage | None:
        """The language of ``text``, or None when it holds no words (emoji, numbers, a link)."""
        words = _URL.sub(" ", text)
        if not _LETTER.search(words):
            return None
        with self._lock:
            main = self._detector.detect_language_of(words)
            if main is None:
                return None
            confidence = self._detector.compute_language_confidence(words, main)
            parts = self._detector.detect_multiple_languages_of(words)
        seen: list[str] = []
        for part in parts:
            code = _code(part.language)
            if code not in seen:
                seen.append(code)
        if _code(main) not in seen:
            seen.insert(0, _code(main))
        return DetectedLanguage(code=_code(main), confidence=confidence, languages=tuple(seen))
