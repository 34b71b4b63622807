"""Translations kept in the store, keyed by engine, language pair and the text's SHA-256.

``StoreTranslationCache`` has the ``get``/``put`` shape of the translate part's
``TranslationCache``, so the translator can keep its cache in the workstation's store file.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.store.models import Translation
from relaydesk.store.repository import Store


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoreTranslationCache:
    """Get and put translations in the store (call from the store's worker thread)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def lookup(self, engine: str, source: str, target: str, text: str) -> str | None:
        return self.store.transaction(
            lambda session: session.scalar(
                select(Translation.translated).where(
                    Translation.engine == engine,
                    Translation.source == source,
                    Translation.target == target,
                    Translation.text_hash == text_hash(text),
                )
            )
        )

    def keep(self, engine: str, source: str, target: str, text: str, translated: str) -> None:
        def work(session: Session) -> None:
            found = session.scalar(
                select(Translation).where(
                    Translation.engine == engine,
                    Translation.source == source,
                    Translation.target == target,
                    Translation.text_hash == text_hash(text),
                )
            )
            if found is not None:
                found.translated = translated
                return
            session.add(
                Translation(
                    engine=engine,
                    source=source,
                    target=target,
                    text_hash=text_hash(text),
                    translated=translated,
                    created_at=datetime.now(UTC),
                )
            )

        self.store.transaction(work)

    def get(self, key: object) -> str | None:
        """``TranslationCache.get`` for a key with engine, source, target and text."""
        return self.lookup(key.engine, key.source, key.target, key.text)  # type: ignore[attr-defined]

    def put(self, key: object, translation: str) -> None:
        self.keep(key.engine, key.source, key.target, key.text, translation)  # type: ignore[attr-defined]
