"""Where translations are kept so the same text is never sent to an engine twice.

A cache is keyed by (engine, source language, target language, text). ``MemoryTranslationCache``
is a bounded LRU for one session; ``SqliteTranslationCache`` keeps them across restarts in a
``translations`` table, so it can sit on the workstation's store file once the store part owns it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class TranslationKey:
    """What a translation depends on: the engine that made it, the language pair and the text."""

    engine: str
    source: str
    target: str
    text: str


class TranslationCache(Protocol):
    """Get and put translations by key; ``get`` returns None when the text was never translated."""

    def get(self, key: TranslationKey) -> str | None: ...

    def put(self, key: TranslationKey, translation: str) -> None: ...


class MemoryTranslationCache:
    """Least-recently-used cache of at most ``capacity`` translations, held in memory."""

    def __init__(self, capacity: int = 5000) -> None:
        if capacity < 1:
            raise ValueError(f"translation cache capacity must be at least 1, got {capacity}")
        self._capacity = capacity
        self._entries: OrderedDict[TranslationKey, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: TranslationKey) -> str | None:
        with self._lock:
            translation = self._entries.get(key)
            if translation is not None:
                self._entries.move_to_end(key)
            return translation

    def put(self, key: TranslationKey, translation: str) -> None:
        with self._lock:
            self._entries[key] = translation
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (engine, source, target, text)
)
"""


class SqliteTranslationCache:
    """Translations in a SQLite ``translations`` table (the store's file or a file of its own)."""

    def __init__(self, path: Path | str) -> None:
        self._connection = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._connection:
            self._connection.execute("PRAGMA journal_mode=WAL")
            # A cache: losing the last few translations in a power cut only costs a new request.
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.execute(_SCHEMA)

    def get(self, key: TranslationKey) -> str | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT translation FROM translations"
                " WHERE engine = ? AND source = ? AND target = ? AND text = ?",
                (key.engine, key.source, key.target, key.text),
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: TranslationKey, translation: str) -> None:
        with self._lock, self._connection:
            self._connection.execute(
                "INSERT OR REPLACE INTO translations (engine, source, target, text, translation)"
                " VALUES (?, ?, ?, ?, ?)",
                (key.engine, key.source, key.target, key.text, translation),
            )

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class LayeredTranslationCache:
    """A fast cache in front of a durable one: reads fill the fast layer, writes go to both."""

    def __init__(self, fast: TranslationCache, durable: TranslationCache) -> None:
        self._fast = fast
        self._durable = durable

    def get(self, key: TranslationKey) -> str | None:
        translation = self._fast.get(key)
        if translation is None:
            translation = self._durable.get(key)
            if translation is not None:
                self._fast.put(key, translation)
        return translation

    def put(self, key: TranslationKey, translation: str) -> None:
        self._fast.put(key, translation)
        self._durable.put(key, translation)
