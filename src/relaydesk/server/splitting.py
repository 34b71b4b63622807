"""Which account a split-link visitor goes to, and the chat deep link that opens it.

Plain functions over plain values (no database, no clock of their own): the API gathers the
facts — who is online with room, today's clicks, the visitor's last account — and asks here.
A target qualifies when someone can answer on its account now, it is inside the link's hours
and under its daily quota; weights share the visitors among those that qualify, and a returning
visitor goes back to the account they reached before while that account can answer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import quote
from zoneinfo import ZoneInfo

_DIGITS = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class Target:
    account_id: str
    weight: float
    daily_quota: int | None


@dataclass(frozen=True, slots=True)
class Hours:
    """Open on ``days`` (ISO weekdays, 1 = Monday) from ``start`` to ``end`` in ``timezone``."""

    timezone: str
    days: frozenset[int]
    start: time
    end: time

    @classmethod
    def from_document(cls, doc: Mapping[str, object]) -> Hours:
        days = doc.get("days")
        days = [1, 2, 3, 4, 5, 6, 7] if days is None else days
        assert isinstance(days, list)
        return cls(
            timezone=str(doc.get("timezone") or "UTC"),
            days=frozenset(int(d) for d in days),
            start=time.fromisoformat(str(doc.get("start") or "00:00")),
            end=time.fromisoformat(str(doc.get("end") or "23:59")),
        )

    def is_open(self, now: float) -> bool:
        local = datetime.fromtimestamp(now, ZoneInfo(self.timezone))
        clock = local.time().replace(tzinfo=None)
        if self.start <= self.end:
            inside = self.start <= clock < self.end
            day = local.isoweekday()
        else:  # past midnight, e.g. 20:00-02:00: the early hours belong to the day before
            inside = clock >= self.start or clock < self.end
            day = local.isoweekday() if clock >= self.start else (local.isoweekday() - 2) % 7 + 1
        return inside and day in self.days

    def day_start(self, now: float) -> float:
        """The Unix time of local midnight today, where daily quotas restart."""
        local = datetime.fromtimestamp(now, ZoneInfo(self.timezone))
        return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


@dataclass(frozen=True, slots=True)
class Choice:
    account_id: str | None  # None: nobody can answer; show the visitor the waiting page
    returning: bool
    why: str


def choose_target(
    targets: Sequence[Target],
    *,
    answering: frozenset[str],
    clicks_today: Mapping[str, int],
    open_now: bool,
    previous_account: str | None,
    rng: random.Random,
) -> Choice:
    """The account for one visit. ``answering``: accounts with someone online and with room."""
    if not open_now:
        return Choice(None, previous_account is not None, "closed")
    known = {t.account_id for t in targets}
    if previous_account in known and previous_account in answering:
        return Choice(previous_account, True, "returning")
    qualifying = [
        t
        for t in targets
        if t.account_id in answering
        and t.weight > 0
        and (t.daily_quota is None or clicks_today.get(t.account_id, 0) < t.daily_quota)
    ]
    if not qualifying:
        return Choice(None, previous_account is not None, "nobody_available")
    ordered = sorted(qualifying, key=lambda t: t.account_id)
    chosen = rng.choices(ordered, weights=[t.weight for t in ordered])[0]
    return Choice(chosen.account_id, previous_account is not None, "weighted")


def deep_link(platform: str, handle: str, text: str) -> str:
    """The chat link opening ``handle`` on ``platform``, prefilled with ``text`` where it can."""
    if platform == "whatsapp":
        digits = _DIGITS.sub("", handle)
        return f"https://wa.me/{digits}" + (f"?text={quote(text, safe='')}" if text else "")
    name = quote(handle.lstrip("@"), safe="")
    if platform == "telegram":
        return f"https://t.me/{name}" + (f"?text={quote(text, safe='')}" if text else "")
    if platform == "messenger":
        return f"https://m.me/{name}" + (f"?text={quote(text, safe='')}" if text else "")
    if platform == "instagram":
        return f"https://ig.me/m/{name}"
    if platform == "line":
        return f"https://line.me/R/ti/p/{name}"
    raise ValueError(f"no deep link for platform {platform!r}")


def prefilled_message(message: str | None, code: str) -> str:
    """The visitor's first message: the link's text and its code, so the server can attribute it."""
    return f"{message} #{code}" if message else f"#{code}"
