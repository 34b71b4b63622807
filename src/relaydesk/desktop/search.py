"""Ctrl+F: find an account or a contact by a few letters, ranked the way an agent expects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FindItem:
    """An account (``chat_key`` empty) or a contact's chat inside an account."""

    account_id: str
    label: str
    chat_key: str = ""

    @property
    def is_account(self) -> bool:
        return not self.chat_key


def find(items: list[FindItem], query: str, limit: int = 50) -> list[FindItem]:
    """Items whose label contains every word of ``query`` (case-insensitive).

    Labels starting with the query come first, accounts before contacts, then the given order.
    """
    words = query.casefold().split()
    if not words:
        return [i for i in items if i.is_account][:limit]
    scored = []
    for position, item in enumerate(items):
        label = item.label.casefold()
        if all(w in label for w in words):
            scored.append((not label.startswith(words[0]), not item.is_account, position, item))
    scored.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in scored[:limit]]
