"""Intake appearances in the store, and the figures the counter and dashboard show from them.

An appearance is written when a contact's message comes in for the first time on an account or
after ``APPEARANCE_GAP`` of silence; ``intake.py`` turns appearances into new/returning counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import NamedTuple, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relaydesk.store.intake import (
    HOURS,
    DayArrival,
    DayClock,
    DayFigures,
    DedupScope,
    IntakeCount,
    PaceForecast,
    count_day,
    count_intake,
    dedup_key,
    pace_forecast,
    same_weekdays_before,
    usual_new_profile,
    usual_profile,
    write_csv,
)
from relaydesk.store.models import Contact, IntakeEvent, from_millis, to_millis
from relaydesk.store.repository import APPEARANCE_GAP, Store
from relaydesk.store.views import Appearance


def note_appearance(session: Session, contact: Contact, at: datetime) -> bool:
    """Write an appearance unless the contact already appeared within the gap; True if written."""
    recent = session.scalar(
        select(IntakeEvent.id)
        .where(
            IntakeEvent.contact_id == contact.id,
            IntakeEvent.at > at - APPEARANCE_GAP,
            IntakeEvent.at <= at,
        )
        .limit(1)
    )
    if recent is not None:
        return False
    latest = session.scalar(
        select(func.max(IntakeEvent.at)).where(IntakeEvent.contact_id == contact.id)
    )
    if latest is not None and latest > at:
        return False  # an older message seen late (history scrolled in) is not a new arrival
    on_account = session.scalar(
        select(func.min(IntakeEvent.at)).where(
            IntakeEvent.person_key == contact.person_key,
            IntakeEvent.account_id == contact.account_id,
        )
    )
    anywhere = session.scalar(
        select(func.min(IntakeEvent.at)).where(IntakeEvent.person_key == contact.person_key)
    )
    session.add(
        IntakeEvent(
            account_id=contact.account_id,
            contact_id=contact.id,
            person_key=contact.person_key,
            at=at,
            first_on_account_at=min(on_account or at, at),
            first_for_person_at=min(anywhere or at, at),
        )
    )
    return True


_APPEARANCES = """
SELECT account_id, contact_id, person_key, at, first_on_account_at, first_for_person_at
FROM intake_events WHERE at >= :start AND at < :end
"""


def _read_period(
    session: Session, start: datetime, end: datetime, scope: DedupScope
) -> tuple[list[Appearance], dict[str, datetime]]:
    """The appearances in [start, end) and each one's first appearance ever, keyed for ``scope``
    (each row carries the person's first appearance on its account and anywhere)."""
    rows = session.connection().exec_driver_sql(
        _APPEARANCES, {"start": to_millis(start), "end": to_millis(end)}
    )
    appearances: list[Appearance] = []
    earliest: dict[str, int] = {}
    per_account = scope is DedupScope.ACCOUNT
    for account_id, contact_id, person_key, at, on_account, anywhere in rows:
        appearance = Appearance(account_id, contact_id, person_key, from_millis(at))
        appearances.append(appearance)
        key = dedup_key(appearance, scope)
        first = on_account if per_account else anywhere
        earliest[key] = min(earliest.get(key, first), first)
    return appearances, {key: from_millis(first) for key, first in earliest.items()}


_DAY_ARRIVALS_BY_PERSON = """
SELECT account_id, person_key, min(at), first_for_person_at FROM intake_events
WHERE at >= :start AND at < :end GROUP BY person_key
"""
_DAY_ARRIVALS_BY_ACCOUNT = """
SELECT account_id, person_key, min(at), first_on_account_at FROM intake_events
WHERE at >= :start AND at < :end GROUP BY account_id, person_key
"""


def _day_arrivals(
    session: Session, start: datetime, end: datetime, scope: DedupScope
) -> list[DayArrival]:
    """Each counted contact's first appearance in [start, end) (SQLite returns the other
    columns from the row holding the minimum)."""
    per_account = scope is DedupScope.ACCOUNT
    sql = _DAY_ARRIVALS_BY_ACCOUNT if per_account else _DAY_ARRIVALS_BY_PERSON
    rows = session.connection().exec_driver_sql(
        sql, {"start": to_millis(start), "end": to_millis(end)}
    )
    return [
        DayArrival(
            account_id,
            f"{account_id}\x1f{person_key}" if per_account else person_key,
            at,
            min(first, at),
        )
        for account_id, person_key, at, first in rows
    ]


# Appearances written since the last read: the primary key walks only the new rows.
_NEW_APPEARANCES = """
SELECT id, account_id, person_key, at, first_on_account_at, first_for_person_at
FROM intake_events WHERE id > :after AND at >= :start AND at < :end
"""


@dataclass
class _DayCache:
    """One working day's arrivals, kept between refreshes and topped up with new rows."""

    key: tuple[date, DayClock, DedupScope]
    generation: int  # the store's ``intake_generation`` when read (rows rewritten: read again)
    last_id: int  # the newest appearance row read
    arrivals: dict[str, DayArrival]


def _read_day(
    session: Session, start: datetime, end: datetime, scope: DedupScope
) -> tuple[int, list[DayArrival]]:
    """The newest row id and the day's arrivals, in one read transaction (one snapshot)."""
    last_id = session.scalar(select(func.max(IntakeEvent.id))) or 0
    return last_id, _day_arrivals(session, start, end, scope)


def _top_up(
    session: Session, cache: _DayCache, start: datetime, end: datetime, scope: DedupScope
) -> None:
    """Merge the appearances written since ``cache.last_id`` into the day's arrivals."""
    per_account = scope is DedupScope.ACCOUNT
    rows = (
        session.connection()
        .exec_driver_sql(
            _NEW_APPEARANCES,
            {"after": cache.last_id, "start": to_millis(start), "end": to_millis(end)},
        )
        .fetchall()
    )
    for row_id, account_id, person_key, at, on_account, anywhere in rows:
        cache.last_id = max(cache.last_id, row_id)
        key = f"{account_id}\x1f{person_key}" if per_account else person_key
        first = min(on_account if per_account else anywhere, at)
        known = cache.arrivals.get(key)
        if known is None or at < known.at_ms:
            earliest = first if known is None else min(first, known.first_ever_ms)
            cache.arrivals[key] = DayArrival(account_id, key, at, earliest)
        elif first < known.first_ever_ms:
            cache.arrivals[key] = replace(known, first_ever_ms=first)
    if not rows:
        cache.last_id = max(cache.last_id, session.scalar(select(func.max(IntakeEvent.id))) or 0)


_DAY_CONTACTS = """
SELECT DISTINCT e.person_key, e.account_id, c.handle FROM intake_events e
JOIN contacts c ON c.id = e.contact_id WHERE e.id > :after AND e.at >= :start AND e.at < :end
"""


class DayContact(NamedTuple):
    """A contact counted on a working day: the person (the "team" scope's key), the account
    and the handle it has there (what the team server knows it by)."""

    person_key: str
    account_id: str
    handle: str


@dataclass
class _ContactsCache:
    """The contacts of one period, kept between refreshes and topped up with new rows."""

    key: tuple[date, date, DayClock]
    generation: int  # the store's ``intake_generation`` when read (rows rewritten: read again)
    last_id: int
    contacts: set[DayContact]


@dataclass(frozen=True, slots=True)
class IntakeDashboard:
    """Today at a glance: by hour against the usual profile, per account, and the pace."""

    today: DayFigures
    usual: tuple[float, ...]  # all contacts, new or returning: the same in every dedup scope
    hours_in_order: tuple[int, ...]
    pace: PaceForecast | None  # None when the agent set no threshold (0: off)
    usual_new: tuple[float, ...] = field(default=(0.0,) * HOURS)  # of them new in the scope


@dataclass(frozen=True, slots=True)
class _Usual:
    """One weekday's usual profile and the team's first-seen times it was counted with."""

    key: tuple[date, DayClock, DedupScope, int]
    team_first_seen: Mapping[str, datetime] | None
    contacts: tuple[float, ...]
    new: tuple[float, ...]


class IntakeLedger:
    """Intake figures read from a ``Store`` (call through ``AsyncStore.run`` from the UI)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._usual: _Usual | None = None  # only today's weekday is worth keeping
        self._today: _DayCache | None = None  # the dashboard's day, topped up on each refresh
        self._contacts: _ContactsCache | None = None  # the team scope's, likewise

    def counts(
        self,
        first_day: date,
        last_day: date,
        clock: DayClock,
        scope: DedupScope,
        team_first_seen: Mapping[str, datetime] | None = None,
    ) -> list[IntakeCount]:
        """Counts for the working days ``first_day``..``last_day`` (inclusive)."""
        if last_day < first_day:
            raise ValueError(f"the period ends ({last_day}) before it starts ({first_day})")
        appearances, first_seen = self._read(first_day, last_day, clock, scope, team_first_seen)
        return count_intake(appearances, first_seen, clock, scope)

    def _read(
        self,
        first_day: date,
        last_day: date,
        clock: DayClock,
        scope: DedupScope,
        team_first_seen: Mapping[str, datetime] | None = None,
    ) -> tuple[list[Appearance], dict[str, datetime]]:
        start, end = clock.start_of(first_day), clock.end_of(last_day)

        def work(session: Session) -> tuple[list[Appearance], dict[str, datetime]]:
            appearances, first_seen = _read_period(session, start, end, scope)
            if scope is DedupScope.TEAM and team_first_seen:
                for key, moment in team_first_seen.items():
                    if key in first_seen:
                        first_seen[key] = min(first_seen[key], moment)
            return appearances, first_seen

        return self.store.transaction(work)

    def contacts_of(self, first_day: date, last_day: date, clock: DayClock) -> list[DayContact]:
        """Every contact that appeared in the working days ``first_day``..``last_day``: what
        the "team" scope asks the team server about (its answers go in as ``team_first_seen``,
        keyed by ``person_key``). The last period's are kept: asked again, only the appearance
        rows written since are read (all of them when rows were rewritten)."""
        start, end = to_millis(clock.start_of(first_day)), to_millis(clock.end_of(last_day))
        key, generation = (first_day, last_day, clock), self.store.intake_generation
        cache = self._contacts
        if cache is None or cache.key != key or cache.generation != generation:
            cache = _ContactsCache(key, generation, 0, set())

        def work(session: Session) -> tuple[int, list[DayContact]]:
            last_id = session.scalar(select(func.max(IntakeEvent.id))) or 0  # one snapshot
            rows = session.connection().exec_driver_sql(
                _DAY_CONTACTS, {"after": cache.last_id, "start": start, "end": end}
            )
            return last_id, [
                DayContact(person, account, handle) for person, account, handle in rows
            ]

        cache.last_id, fresh = self.store.transaction(work)
        cache.contacts.update(fresh)
        self._contacts = cache
        return sorted(cache.contacts)

    def past_contacts(self, day: date, clock: DayClock, weeks: int = 4) -> list[DayContact]:
        """Every contact of the past same weekdays that ``usual`` averages: what the "team"
        scope asks the team server about once a day for the usual profile."""
        days = same_weekdays_before(day, weeks, self.earliest_day(clock))
        ranges = [(to_millis(clock.start_of(d)), to_millis(clock.end_of(d))) for d in days]

        def work(session: Session) -> set[DayContact]:
            found: set[DayContact] = set()
            for start, end in ranges:
                rows = session.connection().exec_driver_sql(
                    _DAY_CONTACTS, {"after": 0, "start": start, "end": end}
                )
                found.update(DayContact(*row) for row in rows)
            return found

        return sorted(self.store.transaction(work))

    def earliest_day(self, clock: DayClock) -> date | None:
        first = self.store.transaction(
            lambda session: session.scalar(select(func.min(IntakeEvent.at)))
        )
        return None if first is None else clock.day_of(first)

    def dashboard(
        self,
        now: datetime,
        clock: DayClock,
        scope: DedupScope,
        threshold: int,
        weeks: int = 4,
        team_first_seen: Mapping[str, datetime] | None = None,
        usual_first_seen: Mapping[str, datetime] | None = None,
    ) -> IntakeDashboard:
        """Today's figures, the usual profile of this weekday and the pace towards ``threshold``
        (no pace for a threshold under 1: the warning is off). In the "team" scope,
        ``team_first_seen`` holds the team's times of today's contacts, ``usual_first_seen``
        those of the past days' (``past_contacts``).

        Past days do not change, so the usual profile is computed once per day, clock, scope and
        number of weeks (and again when other team times are given); a refresh reads only today.
        """
        today = clock.day_of(now)
        arrivals = self._cached_day_arrivals(today, clock, scope, team_first_seen)
        figures = count_day(today, arrivals, clock)
        pace = (
            pace_forecast(
                sorted(from_millis(a.at_ms) for a in arrivals),
                threshold,
                now,
                clock.start_of(today),
                clock.end_of(today),
            )
            if threshold >= 1
            else None  # the setting's 0 means no warning
        )
        usual = self._usual_of(today, clock, scope, weeks, usual_first_seen)
        hours = tuple(clock.hours_in_order())
        return IntakeDashboard(figures, usual.contacts, hours, pace, usual.new)

    def day(
        self,
        day: date,
        clock: DayClock,
        scope: DedupScope,
        team_first_seen: Mapping[str, datetime] | None = None,
    ) -> DayFigures:
        """One working day's figures (what ``counts`` gives for that day, summed, but faster)."""
        return count_day(day, self._day_arrivals(day, clock, scope, team_first_seen), clock)

    def _cached_day_arrivals(
        self,
        day: date,
        clock: DayClock,
        scope: DedupScope,
        team_first_seen: Mapping[str, datetime] | None,
    ) -> list[DayArrival]:
        """The day's arrivals from the last refresh plus the rows written since: a refresh
        reads only what is new, unless rows were rewritten (a contact joined another person)."""
        start, end = clock.start_of(day), clock.end_of(day)
        cache = self._today
        generation = self.store.intake_generation
        if cache is None or cache.key != (day, clock, scope) or cache.generation != generation:
            last_id, fresh = self.store.transaction(lambda s: _read_day(s, start, end, scope))
            cache = _DayCache((day, clock, scope), generation, last_id, {a.key: a for a in fresh})
            self._today = cache
        else:
            self.store.transaction(lambda s: _top_up(s, cache, start, end, scope))
        return self._with_team(list(cache.arrivals.values()), scope, team_first_seen)

    def _day_arrivals(
        self,
        day: date,
        clock: DayClock,
        scope: DedupScope,
        team_first_seen: Mapping[str, datetime] | None,
    ) -> list[DayArrival]:
        start, end = clock.start_of(day), clock.end_of(day)
        arrivals = self.store.transaction(lambda s: _day_arrivals(s, start, end, scope))
        return self._with_team(arrivals, scope, team_first_seen)

    @staticmethod
    def _with_team(
        arrivals: list[DayArrival],
        scope: DedupScope,
        team_first_seen: Mapping[str, datetime] | None,
    ) -> list[DayArrival]:
        if scope is not DedupScope.TEAM or not team_first_seen:
            return arrivals
        out = []
        for a in arrivals:  # thousands a day: only those the team saw earlier are remade
            seen = team_first_seen.get(a.key)
            team_ms = to_millis(seen) if seen is not None else a.first_ever_ms
            out.append(
                a
                if team_ms >= a.first_ever_ms
                else DayArrival(a.account_id, a.key, a.at_ms, team_ms)
            )
        return out

    def usual(
        self,
        day: date,
        clock: DayClock,
        scope: DedupScope,
        weeks: int = 4,
        team_first_seen: Mapping[str, datetime] | None = None,
    ) -> tuple[float, ...]:
        """Mean intake per clock hour on the same weekday over the past ``weeks`` weeks."""
        return self._usual_of(day, clock, scope, weeks, team_first_seen).contacts

    def usual_new(
        self,
        day: date,
        clock: DayClock,
        scope: DedupScope,
        weeks: int = 4,
        team_first_seen: Mapping[str, datetime] | None = None,
    ) -> tuple[float, ...]:
        """Mean new contacts per clock hour on the same weekday over the past ``weeks`` weeks
        (in the "team" scope with ``team_first_seen``: new to the team)."""
        return self._usual_of(day, clock, scope, weeks, team_first_seen).new

    def _usual_of(
        self,
        day: date,
        clock: DayClock,
        scope: DedupScope,
        weeks: int,
        team_first_seen: Mapping[str, datetime] | None,
    ) -> _Usual:
        key = (day, clock, scope, weeks)
        team = team_first_seen if scope is DedupScope.TEAM and team_first_seen else None
        cached = self._usual
        if (
            cached is not None
            and cached.key == key
            and (cached.team_first_seen is team or cached.team_first_seen == team)
        ):
            return cached
        past = [
            self.day(d, clock, scope, team)
            for d in same_weekdays_before(day, weeks, self.earliest_day(clock))
        ]
        self._usual = _Usual(key, team, usual_profile(past), usual_new_profile(past))
        return self._usual

    def export_csv(
        self,
        first_day: date,
        last_day: date,
        clock: DayClock,
        scope: DedupScope,
        stream: TextIO,
        team_first_seen: Mapping[str, datetime] | None = None,
    ) -> int:
        """Write the period's counts as CSV to ``stream``; returns the number of rows."""
        counts = self.counts(first_day, last_day, clock, scope, team_first_seen)
        return write_csv(counts, stream)
