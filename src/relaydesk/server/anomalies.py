"""The background check for volume anomalies: each team's intake in the current hour against the
usual for that weekday and hour, from the intakes the server has stored.

Every ``anomaly_check_s`` (a minute) the check reads, per team, the intakes of the current hour so
far and those of the same part of the hour ±1 on the past four same weekdays (of the hour itself
on the last six days, for a team younger than a week), and asks the domain's rule
(``relaydesk.domain.anomaly``) whether the hour — judged on its pace once ten minutes have
passed — is far above its usual. An anomalous hour is recorded as a ``volume_anomaly`` warning and
pushed to the team's supervisors and the admins (never to agents), naming what stands out: the
link or the account whose share of the hour rose most. It is warned about once per team and
hour, and again only when the hour's count has grown by half since the last warning.

The server keeps no message texts, so keywords of first messages are not looked for here (the
simulator's ``relaydesk-sim anomalies`` does, on traces that carry them).
"""

from __future__ import annotations

import asyncio
import logging
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select

from relaydesk.domain.anomaly import AnomalyRule, Arrival, IntakeHistory, Judgement, judge_hour
from relaydesk.server.assignment import supervisors_of
from relaydesk.server.models import AccountRow, IntakeRow, LinkRow, PushRow, WarningRow
from relaydesk.server.state import ServerState, Tx

log = logging.getLogger("relaydesk.server.anomalies")

KIND = "volume_anomaly"
HISTORY_DAYS = 28
GROWTH = 1.5  # warned again in the same hour only once the count has grown by half
NO_TEAM = ""  # accounts without a team: their warnings go to the admins


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


@dataclass
class AnomalyWatch:
    """The check, with what it remembers between runs: each team's first intake (the start
    of the days its history covers, which only changes for a team not seen yet)."""

    rule: AnomalyRule = field(default_factory=AnomalyRule)
    first_intake: dict[str, float] = field(default_factory=dict)

    async def check(self, state: ServerState, now: float | None = None) -> list[dict[str, Any]]:
        """Judge every team's current hour at ``now`` (default: the clock); record and push a
        warning for each anomalous one not warned about yet. Returns the warnings' payloads."""
        now = clock.time() if now is None else now
        zone = ZoneInfo(state.settings.anomaly_timezone)
        local_now = _local(now, zone)
        start = local_now.replace(minute=0, second=0, microsecond=0)
        elapsed = (local_now - start).total_seconds() / 60
        if elapsed < self.rule.min_elapsed_minutes:
            return []
        hours = await self._team_hours(state, start, zone, now)
        found: list[tuple[TeamHour, Judgement]] = []
        for hour in hours:
            verdict = judge_hour(hour.history, hour.window, start, elapsed, self.rule)
            if verdict is not None and verdict.anomalous:
                found.append((hour, verdict))
        warned: list[dict[str, Any]] = []
        for hour, verdict in found:

            async def record(tx: Tx, hour: TeamHour = hour, verdict: Judgement = verdict) -> Any:
                return await _record(tx, hour.team, verdict, start, zone, now)

            payload = await state.retrying(record)
            if payload is not None:
                warned.append(payload)
        return warned

    async def _team_hours(
        self, state: ServerState, start: datetime, zone: ZoneInfo, now: float
    ) -> list[TeamHour]:
        spans = _windows(start, zone, now)
        query = (
            select(
                IntakeRow.at,
                AccountRow.team,
                AccountRow.name,
                AccountRow.platform,
                AccountRow.handle,
                LinkRow.slug,
            )
            .join(AccountRow, AccountRow.id == IntakeRow.account_id)
            .outerjoin(LinkRow, LinkRow.id == IntakeRow.link_id)
            .where(or_(*(and_(IntakeRow.at >= lo, IntakeRow.at < hi) for lo, hi in spans)))
        )
        now_start = spans[0][0]
        current: defaultdict[str, list[Arrival]] = defaultdict(list)
        past: defaultdict[str, list[Arrival]] = defaultdict(list)
        async with state.sessions() as session:
            for at, team, name, platform, handle, slug in await session.execute(query):
                arrival = Arrival(_local(at, zone), slug, _account_label(name, platform, handle))
                (current if at >= now_start else past)[team or NO_TEAM].append(arrival)
            unknown = [t for t in current if t not in self.first_intake]
            if unknown:
                firsts = select(func.coalesce(AccountRow.team, NO_TEAM), func.min(IntakeRow.at))
                firsts = firsts.join(AccountRow, AccountRow.id == IntakeRow.account_id)
                firsts = firsts.where(func.coalesce(AccountRow.team, NO_TEAM).in_(unknown))
                for team, first in await session.execute(firsts.group_by(AccountRow.team)):
                    self.first_intake[team] = first
        today = start.date()
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
    return (
        text + f"; stands out: {named.dimension} {named.value}, {named.count} of them "
        f"(usually {named.usual:.1f})."
    )


async def _already_warned(tx: Tx, recipients: list[str], team: str | None, hour: float) -> int:
    """The largest count this team's hour was warned about (0: not yet)."""
    if not recipients:
        return 0
    pushed = await tx.session.scalars(
        select(PushRow.payload).where(
            PushRow.recipient_id.in_(recipients),
            PushRow.kind == "warning",
            PushRow.at >= min(hour, clock.time()) - 3600,
        )
    )
    counts = [
        int(p.get("count", 0))
        for p in pushed
        if p.get("kind") == KIND and p.get("team") == team and p.get("hour_start") == hour
    ]
    return max(counts, default=0)


async def _record(
    tx: Tx, team: str | None, verdict: Judgement, start: datetime, zone: ZoneInfo, now: float
) -> dict[str, Any] | None:
    hour = start.replace(tzinfo=zone).timestamp()
    recipients = sorted(await supervisors_of(tx, team))
    before = await _already_warned(tx, recipients, team, hour)
    if before and verdict.count < before * GROWTH:
        return None
    message = _sentence(team, verdict, start)
    row = WarningRow(kind=KIND, at=now, message=message)
    tx.session.add(row)
    await tx.session.flush()
    payload: dict[str, Any] = {
        "kind": KIND,
        "message": message,
        "conversation_id": None,
        "agent_id": None,
        "other_agent_id": None,
        "warning_id": row.id,
        "team": team,
        "at": now,
        "hour": start.isoformat(timespec="minutes"),
        "hour_start": hour,
        "elapsed_minutes": round(verdict.elapsed_minutes, 1),
        "count": verdict.count,
        "usual": round(verdict.usual.mean, 2),
        "ratio": round(verdict.ratio, 2),
        "z": round(verdict.z, 2),
        "basis": verdict.usual.basis,
        "again": bool(before),
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
    for recipient in recipients:
        await tx.outbox.add(recipient, "warning", payload)
    return payload


async def run(state: ServerState, every_s: float) -> None:
    """The background task: a check every ``every_s`` seconds (the first one ``every_s`` after
    the start, out of the way of a starting server's own work) until cancelled."""
    watch = AnomalyWatch()
    while True:
        await asyncio.sleep(every_s)
        try:
            await watch.check(state)
        except Exception:  # a transient database error must not end the watch
            log.exception("the volume-anomaly check failed; trying again at the next one")
