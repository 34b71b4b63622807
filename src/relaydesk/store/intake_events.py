"""Intake appearances in the store, and the figures the counter and dashboard show from them.

An appearance is written when a contact's message comes in for the first time on an account or
after ``APPEARANCE_GAP`` of silence; ``intake.py`` turns appearances into new/returning counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relaydesk.store.intake import (
    DayClock,
    DayFigures,
    DedupScope,
    IntakeCount,
    PaceForecast,
    count_intake,
    day_figures,
    dedup_key,
    pace_forecast,
    same_weekdays_before,
    usual_profile,
    write_csv,
)
from relaydesk.store.models import Contact, IntakeEvent
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
    session.add(
        IntakeEvent(
            account_id=contact.account_id,
            contact_id=contact.id,
            person_key=contact.person_key,
            at=at,
        )
    )
    return True


def _appearances(session: Session, start: datetime, end: datetime) -> list[Appearance]:
    rows = session.execute(
        select(
            IntakeEvent.account_id, IntakeEvent.contact_id, IntakeEvent.person_key, IntakeEvent.at
        ).where(IntakeEvent.at >= start, IntakeEvent.at < end)
    ).all()
    return [Appearance(*row) for row in rows]


def _first_seen(
    session: Session, start: datetime, end: datetime, scope: DedupScope
) -> dict[str, datetime]:
    """First appearance ever of everyone who appeared in [start, end), keyed for ``scope``."""
    in_period = (
        select(IntakeEvent.person_key)
        .where(IntakeEvent.at >= start, IntakeEvent.at < end)
        .distinct()
        .scalar_subquery()
    )
    query = (
        select(IntakeEvent.account_id, IntakeEvent.person_key, func.min(IntakeEvent.at))
        .where(IntakeEvent.person_key.in_(in_period))
        .group_by(IntakeEvent.account_id, IntakeEvent.person_key)
    )
    found: dict[str, datetime] = {}
    for account_id, person_key, first in session.execute(query):
        key = dedup_key(Appearance(account_id, 0, person_key, first), scope)
        found[key] = min(found.get(key, first), first)
    return found


@dataclass(frozen=True, slots=True)
class IntakeDashboard:
    """Today at a glance: by hour against the usual profile, per account, and the pace."""

    today: DayFigures
    usual: tuple[float, ...]
    hours_in_order: tuple[int, ...]
    pace: PaceForecast


class IntakeLedger:
    """Intake figures read from a ``Store`` (call through ``AsyncStore.run`` from the UI)."""

    def __init__(self, store: Store) -> None:
        self.store = store

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
        start, end = clock.start_of(first_day), clock.end_of(last_day)

        def work(session: Session) -> list[IntakeCount]:
            appearances = _appearances(session, start, end)
            first_seen = _first_seen(session, start, end, scope)
            if scope is DedupScope.TEAM and team_first_seen:
                for key, moment in team_first_seen.items():
                    if key in first_seen:
                        first_seen[key] = min(first_seen[key], moment)
            return count_intake(appearances, first_seen, clock, scope)

        return self.store.transaction(work)

    def earliest_day(self, clock: DayClock) -> date | None:
        first = self.store.transaction(
            lambda session: session.scalar(select(func.min(IntakeEvent.at)))
        )
        return None if first is None else clock.day_of(first)

    def dashboard(
        self, now: datetime, clock: DayClock, scope: DedupScope, threshold: int, weeks: int = 4
    ) -> IntakeDashboard:
        """Today's figures, the usual profile of this weekday and the pace towards ``threshold``."""
        today = clock.day_of(now)
        figures = day_figures(today, self.counts(today, today, clock, scope))
        past = [
            day_figures(day, self.counts(day, day, clock, scope))
            for day in same_weekdays_before(today, weeks, self.earliest_day(clock))
        ]
        arrivals = self._arrivals(today, clock, scope)
        pace = pace_forecast(arrivals, threshold, now, clock.start_of(today), clock.end_of(today))
        return IntakeDashboard(figures, usual_profile(past), tuple(clock.hours_in_order()), pace)

    def _arrivals(self, day: date, clock: DayClock, scope: DedupScope) -> list[datetime]:
        """The time each contact counted today first appeared (what the pace is made of)."""
        appearances = self.store.transaction(
            lambda session: _appearances(session, clock.start_of(day), clock.end_of(day))
        )
        first: dict[str, datetime] = {}
        for appearance in appearances:
            key = dedup_key(appearance, scope)
            first[key] = min(first.get(key, appearance.at), appearance.at)
        return sorted(first.values())

    def export_csv(
        self,
        first_day: date,
        last_day: date,
        clock: DayClock,
        scope: DedupScope,
        stream: TextIO,
    ) -> int:
        """Write the period's counts as CSV to ``stream``; returns the number of rows."""
        return write_csv(self.counts(first_day, last_day, clock, scope), stream)
