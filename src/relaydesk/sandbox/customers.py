"""Simulated customers: people writing to the sandbox pages in several languages, new and returning.

Phrases come from resources/sandbox/phrases/ (a small attributed Tatoeba subset and the project's
own lines). Names and phone numbers are invented; phone numbers use each country's format so the
recipes' E.164 normalisation has real work to do.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from relaydesk.platforms import Capability, get_platform
from relaydesk.sandbox.inbox import Inbox

MAX_RATE = 60_000.0  # messages a minute: 1,000 a second is past what any test or demo needs
PHRASES = Path(__file__).resolve().parents[3] / "resources" / "sandbox" / "phrases"

# (name, phone, language) — invented people; phone numbers in national formats of their country.
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("Ana Souza", "+55 11 91234-5678", "pt"),
    ("Lucas Pereira", "+55 21 98765-4321", "pt"),
    ("María García", "+34 612 34 56 78", "es"),
    ("Diego Torres", "+52 55 1234 5678", "es"),
    ("Олег Смирнов", "+7 912 345-67-89", "ru"),
    ("王芳", "+86 138 1234 5678", "zh"),
    ("李伟", "+86 139 8765 4321", "zh"),
    ("فاطمة الزهراء", "+20 100 123 4567", "ar"),
    ("Omar Haddad", "+971 50 123 4567", "ar"),
    ("佐藤 花子", "+81 90-1234-5678", "ja"),
    ("Somchai K.", "+66 81 234 5678", "th"),
    ("Dewi Lestari", "+62 812-3456-7890", "id"),
    ("Emily Clark", "+44 7700 900123", "en"),
    ("James Miller", "+1 202-555-0143", "en"),
)


@dataclass(frozen=True, slots=True)
class Phrase:
    language: str
    text: str
    attribution: str


def load_phrases(folder: Path = PHRASES) -> dict[str, list[Phrase]]:
    """Phrases by language from every ``*.tsv`` in ``folder`` (lines starting with # are notes)."""
    by_language: dict[str, list[Phrase]] = {}
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = (row for row in csv.reader(handle, delimiter="\t") if row and row[0][:1] != "#")
            for language, text, attribution in rows:
                by_language.setdefault(language, []).append(Phrase(language, text, attribution))
    return by_language


class Customers:
    """Picks who writes next and what: a returning customer with ``returning`` probability."""

    def __init__(self, rng: random.Random, returning: float = 0.4) -> None:
        self.rng = rng
        self.returning = returning
        self.phrases = load_phrases()

    def write_one(self, inbox: Inbox, now: float) -> None:
        """One customer message on ``inbox``'s page."""
        if inbox.chats and self.rng.random() < self.returning:
            chat = self.rng.choice(inbox.chats)
            language = next((p[2] for p in PEOPLE if p[0] == chat.name), "en")
            inbox.customer_writes(chat.name, self._phrase(language), now, chat_id=chat.id)
            return
        name, phone, language = self.rng.choice(PEOPLE)
        shows_phone = inbox.platform in ("whatsapp", "telegram_k", "telegram_a")
        can_mute = get_platform(inbox.platform).supports(Capability.MUTED)
        inbox.customer_writes(
            name,
            self._phrase(language),
            now,
            phone=phone if shows_phone else None,
            muted=can_mute and self.rng.random() < 0.1,  # about one new chat in ten is muted
        )

    def _phrase(self, language: str) -> str:
        choices = self.phrases.get(language) or self.phrases.get("en") or []
        if not choices:
            return "Hello?"
        return self.rng.choice(choices).text
