"""Which engine translates a chat, and which language a contact writes in: pure decisions.

The engine is chosen per account and may be overridden per contact; the contact's language is
remembered from what they write (only confident detections of messages with a few words count,
so an "ok" does not flip a Spanish speaker to English).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from relaydesk.translate.detection import DetectedLanguage
from relaydesk.translate.engines import EngineChoice


@dataclass(frozen=True, slots=True)
class EnginePreferences:
    """The team's default engine, each account's choice and each contact's override."""

    default: EngineChoice = field(default_factory=EngineChoice)
    by_account: Mapping[str, EngineChoice] = field(default_factory=dict)
    by_contact: Mapping[str, EngineChoice] = field(default_factory=dict)


def engine_for(preferences: EnginePreferences, account_id: str, contact_id: str) -> EngineChoice:
    """The contact's override, else the account's engine, else the default (Google)."""
    if contact_id in preferences.by_contact:
        return preferences.by_contact[contact_id]
    return preferences.by_account.get(account_id, preferences.default)


class ContactLanguages(Protocol):
    """Where each contact's language is remembered (the store, or memory in tests)."""

    def language_of(self, contact_id: str) -> str | None: ...

    def remember(self, contact_id: str, language: str) -> None: ...


class MemoryContactLanguages:
    """Contact languages for one session (the store's table replaces it when plugged in)."""

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self._languages: dict[str, str] = dict(known or {})

    def language_of(self, contact_id: str) -> str | None:
        return self._languages.get(contact_id)

    def remember(self, contact_id: str, language: str) -> None:
        self._languages[contact_id] = language


class SqliteContactLanguages:
    """Contact languages in a SQLite ``contact_languages`` table (the store's file, or its own)."""

    def __init__(self, path: Path | str) -> None:
        self._connection = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._connection:
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS contact_languages"
                " (contact_id TEXT PRIMARY KEY, language TEXT NOT NULL)"
            )

    def language_of(self, contact_id: str) -> str | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT language FROM contact_languages WHERE contact_id = ?", (contact_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def remember(self, contact_id: str, language: str) -> None:
        with self._lock, self._connection:
            self._connection.execute(
                "INSERT OR REPLACE INTO contact_languages (contact_id, language) VALUES (?, ?)",
                (contact_id, language),
            )

    def close(self) -> None:
        with self._lock:
            self._connection.close()


MIN_CONFIDENCE = 0.6
MIN_LETTERS = 6


def counts_for_contact_language(text: str, detected: DetectedLanguage | None) -> bool:
    """Whether a detection is trustworthy enough to set the contact's language."""
    if detected is None or detected.confidence < MIN_CONFIDENCE or len(detected.languages) > 1:
        return False
    return sum(ch.isalpha() for ch in text) >= MIN_LETTERS or detected.code in ("zh", "ja", "ko")


def contact_language_from(
    samples: list[tuple[str, DetectedLanguage | None]], agent_language: str
) -> str | None:
    """The language a contact writes in most, judging by their trustworthy messages."""
    votes: Counter[str] = Counter(
        detected.code
        for text, detected in samples
        if detected is not None and counts_for_contact_language(text, detected)
    )
    if not votes:
        return None
    foreign = [(count, code) for code, count in votes.items() if code != agent_language]
    if foreign:
        return max(foreign)[1]
    return agent_language
