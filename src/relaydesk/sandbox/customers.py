"""Simulated customers: people writing to the sandbox pages in several languages, new and returning.

Phrases come from resources/sandbox/phrases/ (a small attributed Tatoeba subset and the project's
own lines). Every new customer is a new person: a name made from one locale's given and family
names (Latin, Cyrillic, Arabic, Han, Kana and Thai scripts) and, where the platform shows phone
numbers, a mobile number of that locale's country never used before on that page, written in
international format with the country's own grouping (``+55 11 96123-4567``), so the recipes'
E.164 normalisation has work to do. With probability ``returning`` the next message comes from
someone who wrote before, to their chat; so ``returning`` is the share of returning messages.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from relaydesk.platforms import Capability, get_platform
from relaydesk.sandbox.inbox import Chat, Inbox
from relaydesk.shipped import shipped_dir

MAX_RATE = 60_000.0  # messages a minute: 1,000 a second is past what any test or demo needs
PHRASES = shipped_dir("resources") / "sandbox" / "phrases"
PHONE_PLATFORMS = ("whatsapp", "telegram_k", "telegram_a")  # pages that show phone numbers
MUTED_SHARE = 0.1  # about one new chat in ten is muted (where the platform has mute)
PHONE_TITLE_SHARE = 0.25  # new chats titled with the phone number (an unsaved contact)


@dataclass(frozen=True, slots=True)
class Locale:
    """Where invented people come from: their language, country and the names they carry."""

    language: str
    phone: str  # a mobile number's shape in international format: # is a random digit
    given: tuple[str, ...]
    family: tuple[str, ...]
    family_first: bool = False  # "王 芳", "佐藤 花子"
    separator: str = " "


# Phone shapes: mobile ranges of Brazil, Mexico, Russia, China, Egypt, Japan, Thailand,
# Indonesia, the UK and the US, each with its country's usual grouping.
LOCALES: tuple[Locale, ...] = (
    Locale(
        "pt",
        "+55 11 9####-####",
        ("Ana", "Lucas", "Júlia", "Pedro", "Mariana", "Thiago", "Beatriz", "Rafael"),
        ("Souza", "Pereira", "Oliveira", "Santos", "Costa", "Ferreira", "Almeida", "Ribeiro"),
    ),
    Locale(
        "es",
        "+52 55 #### ####",
        ("María", "Diego", "Sofía", "Javier", "Lucía", "Andrés", "Valeria", "Pablo"),
        ("García", "Torres", "Hernández", "López", "Martínez", "Ramírez", "Flores", "Cruz"),
    ),
    Locale(
        "ru",
        "+7 9## ###-##-##",
        ("Олег", "Анна", "Дмитрий", "Мария", "Сергей", "Елена", "Иван", "Ольга"),
        ("Смирнов", "Иванова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Волков", "Новикова"),
    ),
    Locale(
        "zh",
        "+86 13# #### ####",
        ("芳", "伟", "娜", "强", "敏", "静", "磊", "洋"),
        ("王", "李", "张", "刘", "陈", "杨", "赵", "黄"),
        family_first=True,
        separator="",
    ),
    Locale(
        "ar",
        "+20 10# ### ####",
        ("فاطمة", "محمد", "مريم", "أحمد", "نور", "يوسف", "ليلى", "عمر"),
        ("الزهراء", "حداد", "منصور", "الخطيب", "سليمان", "عبدالله", "ناصر", "حسن"),
    ),
    Locale(
        "ja",
        "+81 90-3###-####",
        ("花子", "翔太", "さくら", "大輔", "陽菜", "健", "美咲", "蓮"),
        ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"),
        family_first=True,
    ),
    Locale(
        "th",
        "+66 8# ### ####",
        ("สมชาย", "สุดา", "ประยุทธ", "มาลี", "วิชัย", "นภา", "อนันต์", "กาญจนา"),
        ("ใจดี", "สุขสันต์", "ศรีสุข", "บุญมา", "ทองดี", "แสงทอง", "รักไทย", "มั่นคง"),
    ),
    Locale(
        "id",
        "+62 812-####-####",
        ("Dewi", "Budi", "Siti", "Agus", "Putri", "Rizky", "Ayu", "Hendra"),
        ("Lestari", "Santoso", "Wijaya", "Pratama", "Hidayat", "Saputra", "Kusuma", "Nugroho"),
    ),
    Locale(
        "en",
        "+44 74## ######",
        ("Emily", "James", "Olivia", "Harry", "Amelia", "George", "Isla", "Jack"),
        ("Clark", "Miller", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright"),
    ),
    Locale(
        "en",
        "+1 202-5##-####",
        ("Ava", "Noah", "Mia", "Liam", "Harper", "Mason", "Ella", "Logan"),
        ("Johnson", "Davis", "Moore", "Anderson", "Thomas", "Jackson", "White", "Harris"),
    ),
)


@dataclass(frozen=True, slots=True)
class Phrase:
    language: str
    text: str
    attribution: str


@dataclass(frozen=True, slots=True)
class Person:
    """One invented customer."""

    name: str
    phone: str  # international format with the country's grouping
    language: str


def load_phrases(folder: Path = PHRASES) -> dict[str, list[Phrase]]:
    """Phrases by language from every ``*.tsv`` in ``folder`` (lines starting with # are notes)."""
    by_language: dict[str, list[Phrase]] = {}
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = (row for row in csv.reader(handle, delimiter="\t") if row and row[0][:1] != "#")
            for language, text, attribution in rows:
                by_language.setdefault(language, []).append(Phrase(language, text, attribution))
    return by_language


class People:
    """An endless supply of distinct invented people: no name and no phone number repeats.

    Names are one locale's given and family names; once a locale's pairs are probably taken,
    more given names tell the next ones apart. Phone numbers fill the locale's mobile number
    shape with random digits, kept only when never handed out before.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.phones: set[str] = set()

    def new(self) -> Person:
        locale = self.rng.choice(LOCALES)
        return Person(self._name(locale), self._phone(locale.phone), locale.language)

    def _name(self, locale: Locale) -> str:
        attempt = 0
        while True:  # each 16 misses add a given name: the supply of names never ends
            given = [self.rng.choice(locale.given) for _ in range(1 + attempt // 16)]
            family = self.rng.choice(locale.family)
            parts = [family, *given] if locale.family_first else [*given, family]
            name = locale.separator.join(parts)
            if name not in self.names:
                self.names.add(name)
                return name
            attempt += 1

    def _phone(self, shape: str) -> str:
        for _ in range(1_000):  # every shape has a million numbers or more
            shown = "".join(self.rng.choice("0123456789") if c == "#" else c for c in shape)
            if shown not in self.phones:
                self.phones.add(shown)
                return shown
        raise RuntimeError(f"no unused phone number of the shape {shape} found")


class Customers:
    """Picks who writes next and what: a returning customer with ``returning`` probability."""

    def __init__(self, rng: random.Random, returning: float = 0.4) -> None:
        self.rng = rng
        self.returning = returning
        self.phrases = load_phrases()
        self.people: dict[str, People] = {}  # per page: numbers are distinct per platform
        self.languages: dict[tuple[str, str], str] = {}  # (page, chat id) -> language

    def write_one(self, inbox: Inbox, now: float) -> tuple[Chat, bool]:
        """One customer message on ``inbox``'s page; the chat, and whether the customer is new."""
        if inbox.chats and self.rng.random() < self.returning:
            chat = self.rng.choice(inbox.chats)
            language = self.languages.get((inbox.platform, chat.id), "en")
            inbox.customer_writes(chat.name, self._phrase(language), now, chat_id=chat.id)
            return chat, False
        person = self.people.setdefault(inbox.platform, People(self.rng)).new()
        shows_phone = inbox.platform in PHONE_PLATFORMS
        can_mute = get_platform(inbox.platform).supports(Capability.MUTED)
        chat = inbox.customer_writes(
            person.name,
            self._phrase(person.language),
            now,
            phone=person.phone if shows_phone else None,
            muted=can_mute and self.rng.random() < MUTED_SHARE,
            show_phone=shows_phone and self.rng.random() < PHONE_TITLE_SHARE,
            new_chat=True,
        )
        self.languages[(inbox.platform, chat.id)] = person.language
        return chat, True

    def _phrase(self, language: str) -> str:
        choices = self.phrases.get(language) or self.phrases.get("en") or []
        if not choices:
            return "Hello?"
        return self.rng.choice(choices).text
