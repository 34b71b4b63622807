"""Priority rules a manager writes as data, and the age credit that keeps low levels from starving.

A rule gives a level and a label when all of its conditions hold; the highest level among the
matching rules wins (the first such rule on a tie). Keywords match case-insensitively: on word
boundaries for space-separated scripts, as substrings for CJK text (which has no spaces), and a
keyword ending in ``*`` matches any word starting with it (``цен*`` matches цена, цену, цены).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from relaydesk.domain.models import Conversation, Source

if TYPE_CHECKING:
    from relaydesk.domain.rules import RoutingRules


@dataclass(frozen=True, slots=True)
class PriorityRule:
    """``level`` and ``label`` for conversations meeting every given condition (unset = any)."""

    name: str
    level: int
    label: str
    sources: frozenset[Source] = frozenset()
    returning: bool | None = None
    tags_any: frozenset[str] = frozenset()
    keywords_any: tuple[str, ...] = ()
    complaint: bool | None = None

    def matches(self, facts: ConversationFacts) -> bool:
        if self.sources and facts.source not in self.sources:
            return False
        if self.returning is not None and facts.returning != self.returning:
            return False
        if self.tags_any and not {t.casefold() for t in self.tags_any} & {
            t.casefold() for t in facts.tags
        }:
            return False
        if self.keywords_any and not contains_any(facts.text, self.keywords_any):
            return False
        return self.complaint is None or facts.complaint == self.complaint


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """What the rules look at: where it came from, who it is, what they wrote."""

    source: Source = Source.ORGANIC
    returning: bool = False
    tags: frozenset[str] = frozenset()
    text: str = ""
    complaint: bool = False


@dataclass(frozen=True, slots=True)
class PriorityResult:
    level: int
    label: str
    complaint: bool


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables
    )


@lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A compiled matcher for one keyword (see the module docstring for the matching rules)."""
    prefix = keyword.endswith("*")
    word = keyword.rstrip("*").casefold()
    if any(_is_cjk(ch) for ch in word):
        return re.compile(re.escape(word))
    tail = "" if prefix else r"(?!\w)"
    return re.compile(r"(?<!\w)" + re.escape(word) + tail)


def contains_any(text: str, keywords: Iterable[str]) -> bool:
    """True when ``text`` contains one of ``keywords`` (case-insensitive, script-aware)."""
    folded = text.casefold()
    return any(kw.strip("*") and _keyword_pattern(kw).search(folded) for kw in keywords)


PRICE_KEYWORDS: tuple[str, ...] = (
    # English, Spanish, Portuguese, Russian, Arabic, Chinese
    "price*", "cost*", "how much", "quote", "discount*",
    "precio*", "cuánto", "cuanto", "cuesta", "descuento*",
    "preço*", "preco*", "quanto custa", "valor", "desconto*",
    "цен*", "стоимост*", "сколько стоит", "скидк*",
    "سعر", "السعر", "أسعار", "الأسعار", "كم", "بكم", "تكلفة", "خصم",
    "价格", "价钱", "多少钱", "报价", "优惠", "價格", "多少錢",
)  # fmt: skip
PAYMENT_KEYWORDS: tuple[str, ...] = (
    "pay", "paid", "payment*", "invoice*", "refund*", "card", "transfer",
    "pago*", "pagar", "factura*", "reembolso*", "tarjeta",
    "pagamento*", "fatura*", "cartão", "cartao", "boleto", "pix",
    "оплат*", "платеж*", "платёж*", "счёт", "счет", "возврат*", "карт", "карту", "картой",
    "دفع", "الدفع", "فاتورة", "الفاتورة", "استرداد", "بطاقة",
    "付款", "支付", "发票", "退款", "转账", "付款方式",
)  # fmt: skip
COMPLAINT_KEYWORDS: tuple[str, ...] = (
    "complain*", "terrible", "awful", "unacceptable", "scam", "worst", "angry", "disappointed",
    "never again", "not working", "broken",
    "queja*", "reclamo*", "reclamación", "inaceptable", "estafa", "pésimo", "terrible",
    "reclamação", "reclamacao", "absurdo", "péssimo", "golpe", "decepcionado",
    "жалоб*", "ужасн*", "безобраз*", "обман*", "мошенни*", "не работает",
    "شكوى", "شكوي", "سيء", "احتيال", "غير مقبول", "نصب",
    "投诉", "投訴", "骗子", "太差", "不满意", "差评", "退货",
)  # fmt: skip


def detect_complaint(text: str) -> bool:
    """True when the text reads as a complaint, in any of the shipped languages."""
    return contains_any(text, COMPLAINT_KEYWORDS)


DEFAULT_PRIORITY_RULES: tuple[PriorityRule, ...] = (
    PriorityRule("complaint", 3, "complaint", complaint=True),
    PriorityRule("vip", 3, "VIP", tags_any=frozenset({"vip"})),
    PriorityRule("payment", 2, "payment", keywords_any=PAYMENT_KEYWORDS),
    PriorityRule("price", 2, "price", keywords_any=PRICE_KEYWORDS),
    PriorityRule("campaign", 2, "campaign", sources=frozenset({Source.AD, Source.LINK})),
    PriorityRule("returning", 1, "returning", returning=True),
)


def evaluate(rules: Sequence[PriorityRule], facts: ConversationFacts) -> PriorityResult:
    """The level and label of the highest matching rule (level 0, no label, when none matches).

    ``complaint`` in the result is the caller's flag or the text's complaint keywords, so a rule
    with ``complaint=True`` catches both.
    """
    complaint = facts.complaint or detect_complaint(facts.text)
    if complaint != facts.complaint:
        facts = ConversationFacts(facts.source, facts.returning, facts.tags, facts.text, complaint)
    best: PriorityRule | None = None
    for rule in rules:
        if (best is None or rule.level > best.level) and rule.matches(facts):
            best = rule
    if best is None:
        return PriorityResult(0, "", complaint)
    return PriorityResult(best.level, best.label, complaint)


def waiting_start(conv: Conversation) -> float:
    """When the conversation started waiting: its oldest unanswered message, else its opening."""
    return conv.opened_at if conv.waiting_since is None else conv.waiting_since


def effective_priority(conv: Conversation, now: float, rules: RoutingRules) -> float:
    """Priority plus one level of credit per ``age_credit_s`` waited, so nothing starves."""
    if rules.age_credit_s <= 0:
        return float(conv.priority)
    return conv.priority + max(0.0, now - waiting_start(conv)) / rules.age_credit_s
