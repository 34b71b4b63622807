"""Volume anomalies: an hour's intake far above the usual for its weekday and hour, and what
stands out in it (one link, one account, one keyword of the first messages).

**The usual.** For a window of an hour (``[hh:00, hh:00 + minutes)``, the whole hour or the part
already elapsed) the usual is the mean and the variance of the arrivals in the same window on
past days, taken in this order until at least ``min_samples`` days give one:

1. ``weekday``: the same window on each covered day of the same weekday;
2. ``weekday_nearby_hours``: the same window an hour earlier and an hour later on those days too
   (one or two weeks of history: three samples a week, and a wider spread in ramp hours, which
   only makes the rule more careful);
3. ``all_days``: the same window on every covered day (no day of that weekday in the history);
4. ``none``: no covered day at all; nothing is judged.

A covered day with no arrivals in the window counts as a zero. The judged day itself is never
one of its own samples.

**The rule.** A window is anomalous when all three hold (defaults in :class:`AnomalyRule`):
``count >= min_count``, ``ratio = count / max(usual, 0.5) >= min_ratio`` and
``z = (count - usual) / sqrt(max(usual, variance, 1)) >= min_z`` — Poisson when the days agree,
the days' own spread when they do not. A partial hour is judged on its pace once
``min_elapsed_minutes`` have passed: its count so far against the usual for the same elapsed
part of the hour (so a morning ramp is not mistaken for a surge).

Times are taken as given: local wall-clock datetimes (all naive, or all in one zone).
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from statistics import fmean, variance
from typing import Literal

Basis = Literal["weekday", "weekday_nearby_hours", "all_days", "none"]
Dimension = Literal["link", "account", "keyword"]
DIMENSIONS: tuple[Dimension, ...] = ("link", "account", "keyword")


@dataclass(frozen=True, slots=True)
class AnomalyRule:
    """When an hour's intake is far above its usual (see the module docstring).

    Defaults: at least 12 contacts, 2.5 times the usual and 6 standard deviations above it —
    the smallest round thresholds that raise no alarm on the ordinary hours of the Anonymous
    Bank fortnight (Technion SEE Center) with either week as the history of the other, while
    its one evening surge (Sunday 14 February from 21:10) is flagged at 21:20. Day-to-day
    swings of 2 to 2.9 times the same hour a week earlier happen there on ordinary mornings,
    hence the ratio; see docs/anomalies.md for the figures.
    """

    min_count: int = 12
    min_ratio: float = 2.5
    min_z: float = 6.0
    min_elapsed_minutes: float = 10.0
    min_samples: int = 2
    # A link, account or keyword stands out only when at least this many of the window's
    # contacts carry it.
    min_stand_out: int = 3

    def __post_init__(self) -> None:
        if self.min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {self.min_count}")
        if self.min_ratio <= 1.0:
            raise ValueError(f"min_ratio must be above 1, got {self.min_ratio}")
        if self.min_z <= 0.0:
            raise ValueError(f"min_z must be above 0, got {self.min_z}")
        if not 0.0 < self.min_elapsed_minutes <= 60.0:
            raise ValueError(
                f"min_elapsed_minutes must be in (0, 60], got {self.min_elapsed_minutes}"
            )
        if self.min_samples < 1 or self.min_stand_out < 1:
            raise ValueError("min_samples and min_stand_out must be >= 1")


@dataclass(frozen=True, slots=True)
class Arrival:
    """One intake: when (local wall-clock), and what it came through."""

    at: datetime
    link: str | None = None
    account: str | None = None
    text: str | None = None  # the customer's first message, when known


@dataclass(frozen=True, slots=True)
class Usual:
    """The usual count of a window: mean and variance over ``samples`` past windows."""

    mean: float
    variance: float
    basis: Basis
    samples: int


@dataclass(frozen=True, slots=True)
class StandOut:
    """A link, account or keyword whose share of the window rose against its usual share."""

    dimension: Dimension
    value: str
    count: int  # contacts of the window carrying it
    share: float
    usual_share: float
    usual: float  # contacts it usually brings to a window like this (usual share × usual)

    @property
    def rise(self) -> float:
        return self.share - self.usual_share


@dataclass(frozen=True, slots=True)
class Judgement:
    """An hour (or its elapsed part) against its usual, by the rule."""

    hour_start: datetime
    elapsed_minutes: float
    count: int
    usual: Usual
    ratio: float
    z: float
    anomalous: bool
    stand_outs: tuple[StandOut, ...] = ()  # best first, at most one per dimension

    @property
    def partial(self) -> bool:
        return self.elapsed_minutes < 60.0

    @property
    def stand_out(self) -> StandOut | None:
        return self.stand_outs[0] if self.stand_outs else None


def _minute_of_day(moment: datetime) -> float:
    return moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1e6) / 60


def hour_start(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


class IntakeHistory:
    """Past arrivals over the covered days ``first_day``..``last_day`` (inclusive)."""

    def __init__(self, arrivals: Iterable[Arrival], first_day: date, last_day: date) -> None:
        if last_day < first_day:
            raise ValueError(f"last_day {last_day} is before first_day {first_day}")
        self.first_day = first_day
        self.last_day = last_day
        self.arrivals: list[Arrival] = []
        minutes: defaultdict[date, list[float]] = defaultdict(list)
        for arrival in arrivals:
            day = arrival.at.date()
            if first_day <= day <= last_day:
                self.arrivals.append(arrival)
                minutes[day].append(_minute_of_day(arrival.at))
        self._minutes = {day: sorted(values) for day, values in minutes.items()}

    @property
    def days(self) -> list[date]:
        span = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(span)]

    def count(self, day: date, start_minute: float, minutes: float) -> int:
        """Arrivals on ``day`` in ``[start_minute, start_minute + minutes)`` (minutes of day)."""
        values = self._minutes.get(day, [])
        return bisect_left(values, start_minute + minutes) - bisect_left(values, start_minute)

    def usual(self, day: date, hour: int, minutes: float = 60.0, *, min_samples: int = 2) -> Usual:
        """The usual count of ``[hour:00, hour:00 + minutes)`` on ``day``'s weekday."""
        others = [d for d in self.days if d != day]
        alike = [d for d in others if d.weekday() == day.weekday()]
        start = hour * 60.0
        samples = [self.count(d, start, minutes) for d in alike]
        basis: Basis = "weekday"
        if 0 < len(samples) < min_samples:
            basis = "weekday_nearby_hours"
            for shift in (-60.0, 60.0):
                if 0 <= start + shift < 24 * 60:
                    samples += [self.count(d, start + shift, minutes) for d in alike]
        if not samples:
            basis = "all_days"
            samples = [self.count(d, start, minutes) for d in others]
        if not samples:
            return Usual(0.0, 0.0, "none", 0)
        spread = variance(samples) if len(samples) > 1 else 0.0
        return Usual(fmean(samples), spread, basis, len(samples))


def measure(count: int, usual: Usual) -> tuple[float, float]:
    """``(ratio, z)`` of a count against its usual, as the rule defines them."""
    ratio = count / max(usual.mean, 0.5)
    z = (count - usual.mean) / math.sqrt(max(usual.mean, usual.variance, 1.0))
    return ratio, z


def is_anomalous(count: int, usual: Usual, rule: AnomalyRule) -> bool:
    if usual.basis == "none":
        return False
    ratio, z = measure(count, usual)
    return count >= rule.min_count and ratio >= rule.min_ratio and z >= rule.min_z


def judge_hour(
    history: IntakeHistory,
    window: Sequence[Arrival],
    start: datetime,
    elapsed_minutes: float,
    rule: AnomalyRule | None = None,
) -> Judgement | None:
    """Judge the hour beginning at ``start`` after ``elapsed_minutes`` (at most 60), given the
    arrivals ``window`` so far in it. ``None`` before ``rule.min_elapsed_minutes``.

    An anomalous hour also gets what stands out in it (against the history's shares)."""
    rule = rule or AnomalyRule()
    if elapsed_minutes < rule.min_elapsed_minutes:
        return None
    elapsed = min(elapsed_minutes, 60.0)
    end = start + timedelta(minutes=elapsed)
    inside = [a for a in window if start <= a.at < end]
    usual = history.usual(start.date(), start.hour, elapsed, min_samples=rule.min_samples)
    ratio, z = measure(len(inside), usual)
    anomalous = is_anomalous(len(inside), usual, rule)
    found = (
        stand_outs(inside, history.arrivals, usual.mean, rule.min_stand_out) if anomalous else ()
    )
    return Judgement(start, elapsed, len(inside), usual, ratio, z, anomalous, tuple(found))


def scan_day(
    history: IntakeHistory,
    arrivals: Sequence[Arrival],
    day: date,
    rule: AnomalyRule | None = None,
    step_minutes: int = 1,
) -> list[Judgement]:
    """Every hour of ``day`` judged as a watcher checking every ``step_minutes`` would: the
    first anomalous check of each hour, else its full-hour judgement (midnight first)."""
    rule = rule or AnomalyRule()
    by_hour: defaultdict[int, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        if arrival.at.date() == day:
            by_hour[arrival.at.hour].append(arrival)
    out: list[Judgement] = []
    first = math.ceil(rule.min_elapsed_minutes / step_minutes) * step_minutes
    zone = arrivals[0].at.tzinfo if arrivals else None
    for hour in range(24):
        start = datetime.combine(day, time(hour), zone)
        window = by_hour.get(hour, [])
        verdict: Judgement | None = None
        for elapsed in range(first, 61, step_minutes):
            verdict = judge_hour(history, window, start, float(elapsed), rule)
            if verdict is not None and verdict.anomalous:
                break
        if verdict is None or not verdict.anomalous:
            verdict = judge_hour(history, window, start, 60.0, rule)
        if verdict is not None:
            out.append(verdict)
    return out


# ---------------------------------------------------------------- what stands out

_WORD = re.compile(r"\w+", re.UNICODE)
# Scripts written without spaces between words: cut into character bigrams.
_CJK_RANGES = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
)
STOP_WORDS = frozenset(
    # English
    "a an and are as at be but by can could do does for from have hello hi how i i'm if in is "
    "it its me my no not of ok okay on or our please so thank thanks that the this to u want "
    "was we what when where which who why will with would yes you your "
    # Spanish / Portuguese
    "buenas buenos de del el en es hola la las los me mi muchas muy no para por que se su un "
    "una uno gracias obrigado obrigada olá oi um uma do da dos das em com"
    # French / German
    " bonjour merci je le les des et est pour vous une hallo danke ich und der die das ist "
    "nicht ein eine mit"
    # Russian / Indonesian / Vietnamese
    " и в не на я что как здравствуйте привет спасибо пожалуйста "
    "saya dan yang ini itu ada mau apa terima kasih halo xin chào cảm ơn tôi bạn".split()
)
# Bigrams of polite formulas and function words in Chinese (Japanese all-kana bigrams are
# dropped by rule: they are mostly particles and endings).
STOP_BIGRAMS = frozenset(
    "你好 您好 请问 谢谢 我们 你们 一下 可以 是不 不是 这个 那个 什么 怎么 没有 我的 的话 "
    "了吗 好的 一个 我想 想要 有没 了解 您的 你的 麻烦".split()
)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _is_kana(char: str) -> bool:
    return 0x3040 <= ord(char) <= 0x309F  # Hiragana only: Katakana words carry meaning


def keywords(text: str | None) -> set[str]:
    """The keywords of a first message: words (lower-cased, stop words and one-letter words
    dropped) and, in Chinese and Japanese runs, character bigrams (a lone character counts
    as itself; all-Hiragana bigrams and polite formulas dropped)."""
    if not text:
        return set()
    found: set[str] = set()
    for word in _WORD.findall(_normal(text)):
        for cjk, chars in groupby(word, key=_is_cjk):
            segment = "".join(chars)
            if cjk:
                found |= _bigrams(segment)
            elif len(segment) > 1 and segment not in STOP_WORDS and segment.strip("_"):
                found.add(segment)
    return found


def _bigrams(run: str) -> set[str]:
    if len(run) == 1:
        return set() if _is_kana(run) else {run}
    pairs = {run[i : i + 2] for i in range(len(run) - 1)}
    return {p for p in pairs if p not in STOP_BIGRAMS and not all(_is_kana(c) for c in p)}


def _values(arrival: Arrival, dimension: Dimension) -> set[str]:
    if dimension == "keyword":
        return keywords(arrival.text)
    value = arrival.link if dimension == "link" else arrival.account
    return {value} if value else set()


def _normal(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def _phrase(bigram: str, texts: Sequence[str]) -> str:
    """A Chinese or Japanese bigram grown, one character at a time on either side, while every
    message carrying it carries the longer phrase too ("信用" → "信用卡被冻结")."""
    phrase = bigram
    normal = [_normal(t) for t in texts]
    carrying = [t for t in normal if phrase in t]
    while carrying and len(phrase) < 16:
        grown = None
        for side in (1, -1):
            options = set()
            for text in carrying:
                i = text.find(phrase)
                j = i + len(phrase) if side == 1 else i - 1
                options.add(text[j] if 0 <= j < len(text) else "")
            char = options.pop() if len(options) == 1 else ""
            if char and _is_cjk(char):
                candidate = phrase + char if side == 1 else char + phrase
                if all(candidate in t for t in carrying):
                    grown = candidate
                    break
        if grown is None:
            break
        phrase = grown
    return phrase


def _grown(bigram: str, window: Sequence[Arrival]) -> str:
    return _phrase(bigram, [a.text for a in window if a.text and bigram in keywords(a.text)])


def _best(
    dimension: Dimension,
    window: Sequence[Arrival],
    usual_arrivals: Sequence[Arrival],
    usual_count: float,
    min_count: int,
) -> StandOut | None:
    now: Counter[str] = Counter()
    for arrival in window:
        now.update(_values(arrival, dimension))
    before: Counter[str] = Counter()
    for arrival in usual_arrivals:
        before.update(v for v in _values(arrival, dimension) if v in now)
    items = []
    for value, count in now.items():
        share = count / len(window)
        usual_share = before[value] / len(usual_arrivals) if usual_arrivals else 0.0
        if count >= min_count and share > usual_share:
            items.append(
                StandOut(dimension, value, count, share, usual_share, usual_share * usual_count)
            )
    items.sort(key=lambda i: (-i.rise, -i.count, -len(i.value), i.value))
    if not items:
        return None
    best = items[0]
    if dimension == "keyword":
        # The bigrams of one Chinese or Japanese phrase rise together: grow each tied one into
        # its phrase and name the longest.
        tied = [i for i in items if (i.rise, i.count) == (best.rise, best.count)]
        phrases = [(_grown(i.value, window), i) for i in tied if all(map(_is_cjk, i.value))]
        if phrases:
            phrase, item = max(phrases, key=lambda p: len(p[0]))
            if len(phrase) > len(best.value):
                usual_n = sum(1 for a in usual_arrivals if phrase in _normal(a.text))
                usual_share = usual_n / len(usual_arrivals) if usual_arrivals else 0.0
                best = StandOut(
                    dimension,
                    phrase,
                    item.count,
                    item.share,
                    usual_share,
                    usual_share * usual_count,
                )
    return best


def stand_outs(
    window: Sequence[Arrival],
    usual_arrivals: Sequence[Arrival],
    usual_count: float,
    min_count: int = 3,
) -> list[StandOut]:
    """Per dimension, the value whose share of ``window`` rose most over its share of
    ``usual_arrivals`` (carried by at least ``min_count`` of the window's contacts); best
    first by rise, then by count. Values that did not rise are not named.

    ``usual_count`` is the window's usual size, so that each one's ``usual`` reads as the
    contacts it usually brings to such a window."""
    if not window:
        return []
    found = (_best(d, window, usual_arrivals, usual_count, min_count) for d in DIMENSIONS)
    out = [item for item in found if item is not None]
    out.sort(key=lambda s: (-s.rise, -s.count, DIMENSIONS.index(s.dimension)))
    return out
