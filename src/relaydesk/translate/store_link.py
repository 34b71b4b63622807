"""The translate part on the workstation's store: cached translations and contact languages.

The store keeps translations in its ``translations`` table (``StoreTranslationCache``) and each
contact's language on the contact. Both are blocking; the translation service calls the cache on
its worker threads, and ``IncomingTranslator`` reads and writes contact languages rarely (once
per opened chat), so neither stalls the event loop for long.
"""

from __future__ import annotations

from relaydesk.store.database import StoreError
from relaydesk.store.repository import Store
from relaydesk.store.translations import StoreTranslationCache
from relaydesk.translate.cache import TranslationCache


def store_translation_cache(store: Store) -> TranslationCache:
    """The store's translations table as the service's durable cache."""
    return StoreTranslationCache(store)


class StoreContactLanguages:
    """Each contact's language on the store's contact (ids as text, as the translate part uses)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def language_of(self, contact_id: str) -> str | None:
        try:
            return self._store.contact_card(int(contact_id), history=0).language
        except (ValueError, StoreError):
            return None  # not a stored contact (yet): nothing remembered

    def remember(self, contact_id: str, language: str) -> None:
        try:
            self._store.update_contact(int(contact_id), language=language)
        except (ValueError, StoreError):
            return  # the contact is not in the store; it is remembered again next time
