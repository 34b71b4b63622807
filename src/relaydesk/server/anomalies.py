"""The background check for volume anomalies: each team's intake in the current hour against the
usual for that weekday and hour, from the intakes the server has stored.

Every ``anomaly_check_s`` (a minute) the check reads, per team, the intakes of the current hour so
far and those of the same part of the hour ±1 on the past four same weekdays (of the hour itself
on the last six days, for a team younger than a week), and asks the domain's rule
(``relaydesk.domain.anomaly``) whether the hour — judged on its pace once ten minutes have
passed — is far above its usual. An anomalous hour is recorded as a ``volume_anomaly`` warning and
pushed to the team's supervisors and the admins (never to agents), naming what stands out: the
link, the account or the keyword of the first messages whose share of the hour rose most. It is
warned about once per team and hour, and again only when the hour's count has grown by half since
the last warning — also with several processes checking at the same instant (``anomaly_hours``).

The intakes keep the start of the first message (``intakes.first_text``) for the keywords; the
check clears it once it is ``TEXT_KEPT_DAYS`` old, past the four weeks the usual looks back.
"""

from __future__ import annotations

import asyncio
import logging
import time as clock
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, bindparam, func, null, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from relaydesk.domain.anomaly import AnomalyRule, Arrival, IntakeHistory, Judgement, judge_hour
from relaydesk.server.assignment import supervisors_of
from relaydesk.server.models import (
    FIRST_TEXT_CHARS,
    AccountRow,
    AnomalyHourRow,
    IntakeRow,
    LinkRow,
    WarningRow,
)
from relaydesk.server.state import ServerState, Tx

log = logging.getLogger("relaydesk.server.anomalies")

KIND = "volume_anomaly"
HISTORY_DAYS = 28
GROWTH = 1.5  # warned again in the same hour only once the count has grown by half
NO_TEAM = ""  # accounts without a team: their warnings go to the admins
# First messages' texts are cleared at this age (the usual looks 28 days back, and an hour more),
# at most once an hour per process.
TEXT_KEPT_DAYS = 35
CLEAR_EVERY_S = 3600.0

INTAKES = cast(Table, IntakeRow.__table__)
HOURS = cast(Table, AnomalyHourRow.__table__)
_CLAIM = {
    dialect: insert_of(HOURS).on_conflict_do_nothing()
    for dialect, insert_of in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_WARNED = select(HOURS.c.team, HOURS.c.warned_count).where(
    HOURS.c.hour_start == bindparam("hour_start")
)
_GROWN = (
    update(HOURS)
    .where(
        HOURS.c.team == bindparam("b_team"),
        HOURS.c.hour_start == bindparam("b_hour"),
        HOURS.c.warned_count * GROWTH <= bindparam("b_count"),
    )
    .values(warned_count=bindparam("b_count"))
)


def first_text(text: str | None) -> str | None:
    """What an intake keeps of the customer's first message: its start (PostgreSQL's text
    holds no NUL character)."""
    kept = (text or "").replace("\x00", "")[:FIRST_TEXT_CHARS]
    return kept or None


@dataclass(frozen=True, slots=True)
class TeamHour:
    """One team's current hour: its arrivals so far and its history."""

    team: str | None
    window: list[Arrival]
    history: IntakeHistory


def _local(at: float, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(at, zone).replace(tzinfo=None)


def _windows(start: datetime, zone: ZoneInfo, now: float) -> list[tuple[float, float]]:
    """The current hour so far; and the same elapsed part of past hours the usual may need:
    the hour before, the hour itself and the hour after on the past four same weekdays, and
    the hour itself on the last six days (a team younger than a week)."""
    first = start.replace(tzinfo=zone).timestamp()
    elapsed = now - first
    spans = [(first, now)]
    for days in range(1, HISTORY_DAYS + 1):
        shifts = (-1, 0, 1) if days % 7 == 0 else (0,) if days < 7 else ()
        for hours in shifts:
            lo = (start - timedelta(days=days) + timedelta(hours=hours)).replace(tzinfo=zone)
            spans.append((lo.timestamp(), lo.timestamp() + elapsed))
    return spans


def _account_label(name: str, platform: str, handle: str) -> str:
    return name or f"{platform} {handle}"


Arrivals = defaultdict[str, list[Arrival]]


@dataclass
class AnomalyWatch:
    """The check, with what it remembers between runs: each team's first intake (the start
    of the days its history covers, which only changes for a team not seen yet), and when it
    last cleared old texts."""

    rule: AnomalyRule = field(default_factory=AnomalyRule)
    first_intake: dict[str, float] = field(default_factory=dict)
    texts_cleared_at: float | None = None

    async def check(self, state: ServerState, now: float | None = None) -> list[dict[str, Any]]:
        """Judge every team's current hour at ``now`` (default: the clock); record and push a
        warning for each anomalous one not warned about yet. Returns the warnings' payloads."""
        now = clock.time() if now is None else now
        if self.texts_cleared_at is None or abs(now - self.texts_cleared_at) >= CLEAR_EVERY_S:
            await self.clear_texts(state, now)
        zone = ZoneInfo(state.settings.anomaly_timezone)
        local_now = _local(now, zone)
        start = local_now.replace(minute=0, second=0, microsecond=0)
        elapsed = (local_now - start).total_seconds() / 60
        if elapsed < self.rule.min_elapsed_minutes:
            return []
        spans = _windows(start, zone, now)
        found = self._judged(await self._team_hours(state, spans, zone, now), start, elapsed)
        if found:
            # Not again for an hour warned about that has not grown by half since (_claim has
            # the last word, this only spares reading texts for it every minute).
            async with state.sessions() as session:
                rows = await session.execute(_WARNED, {"hour_start": spans[0][0]})
                warned_before: dict[str, int] = {team: count for team, count in rows}
            found = {
                team: verdict
                for team, verdict in found.items()
                if verdict.count >= warned_before.get(team or NO_TEAM, 0) * GROWTH
            }
        if found:
            # What stood out needs the first messages' texts: read again, with them, for the
            # few teams whose hour is anomalous (the usual minute reads no text at all).
            texts = await self._team_hours(state, spans, zone, now, {t or NO_TEAM for t in found})
            found = self._judged(texts, start, elapsed)
        warned: list[dict[str, Any]] = []
        for team, verdict in found.items():

            async def record(tx: Tx, team: str | None = team, verdict: Judgement = verdict) -> Any:
                return await _record(tx, team, verdict, start, zone, now)

            payload = await state.retrying(record)
            if payload is not None:
                warned.append(payload)
        return warned

    def _judged(
        self, hours: list[TeamHour], start: datetime, elapsed: float
    ) -> dict[str | None, Judgement]:
        """The anomalous hours, by team."""
        found = {}
        for hour in hours:
            verdict = judge_hour(hour.history, hour.window, start, elapsed, self.rule)
            if verdict is not None and verdict.anomalous:
                found[hour.team] = verdict
        return found

    async def _team_hours(
        self,
        state: ServerState,
        spans: list[tuple[float, float]],
        zone: ZoneInfo,
        now: float,
        with_texts: Collection[str] = (),
    ) -> list[TeamHour]:
        """Every team's current hour; only those of ``with_texts`` (with their first
        messages' texts) when given."""
        team_of = func.coalesce(AccountRow.team, NO_TEAM)
        query = (
            select(
                IntakeRow.at,
                AccountRow.team,
                AccountRow.name,
                AccountRow.platform,
                AccountRow.handle,
                LinkRow.slug,
                IntakeRow.first_text if with_texts else null(),
            )
            .join(AccountRow, AccountRow.id == IntakeRow.account_id)
            .outerjoin(LinkRow, LinkRow.id == IntakeRow.link_id)
            .where(or_(*(and_(IntakeRow.at >= lo, IntakeRow.at < hi) for lo, hi in spans)))
        )
        if with_texts:
            query = query.where(team_of.in_(with_texts))
        now_start = spans[0][0]
        current: Arrivals = defaultdict(list)
        past: Arrivals = defaultdict(list)
        async with state.sessions() as session:
            for at, team, name, platform, handle, slug, text in await session.execute(query):
                label = _account_label(name, platform, handle)
                arrival = Arrival(_local(at, zone), slug, label, text)
                (current if at >= now_start else past)[team or NO_TEAM].append(arrival)
            unknown = [t for t in current if t not in self.first_intake]
            if unknown:
                firsts = select(team_of, func.min(IntakeRow.at))
                firsts = firsts.join(AccountRow, AccountRow.id == IntakeRow.account_id)
                firsts = firsts.where(team_of.in_(unknown))
                for team, first in await session.execute(firsts.group_by(AccountRow.team)):
                    self.first_intake[team] = first
        today = _local(now_start, zone).date()
        out = []
        for team, window in current.items():
            covered_from = max(
                _local(self.first_intake.get(team, now), zone).date(),
                today - timedelta(days=HISTORY_DAYS),
            )
            yesterday = today - timedelta(days=1)
            if covered_from > yesterday:  # the team's first day: nothing is usual yet
                continue
            history = IntakeHistory(past[team], covered_from, yesterday)
            out.append(TeamHour(team or None, window, history))
        return out

    async def clear_texts(self, state: ServerState, now: float | None = None) -> int:
        """Forget the first messages older than ``TEXT_KEPT_DAYS`` (and the warned team-hours
        of past days); returns how many texts were cleared."""
        now = clock.time() if now is None else now
        cutoff = now - TEXT_KEPT_DAYS * 86400

        async def clear(tx: Tx) -> int:
            cleared = await tx.session.execute(
                update(INTAKES)
                .where(INTAKES.c.first_text.is_not(None), INTAKES.c.at < cutoff)
                .values(first_text=None)
            )
            await tx.session.execute(HOURS.delete().where(HOURS.c.hour_start < now - 2 * 86400))
            return int(cleared.rowcount)  # type: ignore[attr-defined]

        count = await state.retrying(clear)
        self.texts_cleared_at = now
        return count


def _sentence(team: str | None, verdict: Judgement, start: datetime) -> str:
    until = start + timedelta(minutes=verdict.elapsed_minutes)
    who = f"team {team}" if team else "accounts without a team"
    text = (
        f"Volume anomaly, {who}: {verdict.count} new contacts since {start:%H:%M}, "
        f"usually {verdict.usual.mean:.1f} by {until:%H:%M} ({verdict.ratio:.1f}× the usual)"
    )
    named = verdict.stand_out
    if named is None:
        return text + "; nothing stands out (the usual mix, only more)."
    value = f"“{named.value}”" if named.dimension == "keyword" else named.value
    return (
        text + f"; stands out: {named.dimension} {value}, {named.count} of them "
        f"(usually {named.usual:.1f})."
    )


async def _claim(tx: Tx, team: str | None, hour: float, count: int) -> bool | None:
    """Take the team's hour for a warning of ``count``: False when it is the hour's first
    warning, True when it is warned again (grown by half), None when it is not to be warned.

    The key of ``anomaly_hours`` decides between processes checking at the same instant: on
    PostgreSQL the second insert waits for the first transaction and then finds the row, and
    the update re-reads a row another transaction changed before it tests the growth."""
    values = {"team": team or NO_TEAM, "hour_start": hour, "warned_count": count}
    dialect = tx.session.get_bind().dialect.name
    claimed = await tx.session.execute(_CLAIM[dialect], values)
    if claimed.rowcount:  # type: ignore[attr-defined]
        return False
    grown = await tx.session.execute(
        _GROWN, {"b_team": team or NO_TEAM, "b_hour": hour, "b_count": count}
    )
    return True if grown.rowcount else None  # type: ignore[attr-defined]


async def _record(
    tx: Tx, team: str | None, verdict: Judgement, start: datetime, zone: ZoneInfo, now: float
) -> dict[str, Any] | None:
    hour = start.replace(tzinfo=zone).timestamp()
    again = await _claim(tx, team, hour, verdict.count)
    if again is None:
        return None
    message = _sentence(team, verdict, start)
    details: dict[str, Any] = {
        "hour": start.isoformat(timespec="minutes"),
        "hour_start": hour,
        "elapsed_minutes": round(verdict.elapsed_minutes, 1),
        "count": verdict.count,
        "usual": round(verdict.usual.mean, 2),
        "ratio": round(verdict.ratio, 2),
        "z": round(verdict.z, 2),
        "basis": verdict.usual.basis,
        "again": again,
        "stand_outs": [
            {
                "dimension": s.dimension,
                "value": s.value,
                "count": s.count,
                "usual": round(s.usual, 2),
            }
            for s in verdict.stand_outs
        ],
    }
    row = WarningRow(kind=KIND, at=now, message=message, team=team, details=details)
    tx.session.add(row)
    await tx.session.flush()
    payload = warning_payload(row)
    for recipient in sorted(await supervisors_of(tx, team)):
        await tx.outbox.add(recipient, "warning", payload)
    return payload


def warning_payload(row: WarningRow) -> dict[str, Any]:
    """A volume-anomaly warning as it is pushed and listed."""
    return {
        "kind": row.kind,
        "message": row.message,
        "conversation_id": None,
        "agent_id": None,
        "other_agent_id": None,
        "warning_id": row.id,
        "team": row.team,
        "at": row.at,
        **(row.details or {}),
    }


async def run(state: ServerState, every_s: float) -> None:
    """The background task: a check every ``every_s`` seconds (the first one ``every_s`` after
    the start, out of the way of a starting server's own work) until cancelled. With the check
    off (``every_s`` 0) it only clears old texts, hourly."""
    watch = AnomalyWatch()
    while True:
        await asyncio.sleep(every_s or CLEAR_EVERY_S)
        try:
            if every_s:
                await watch.check(state)
            else:
                await watch.clear_texts(state)
        except Exception:  # a transient database error must not end the watch
            log.exception("the volume-anomaly check failed; trying again at the next one")
