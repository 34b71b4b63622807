"""Figures for managers: intake (new and returning contacts), service per agent, the split
links side by side, a forecast.

Intake is deduplicated per team: a contact's first appearance on any of a team's accounts is
one new contact; within a period and group, each returning contact counts once. Hours and days
are in the caller's time zone. The link report puts each link's clicks and unique visitors next
to the intakes and conversations its code brought (``attribution``) and how many of those got a
first reply and were closed. The forecast averages the same weekday of the past weeks hour by
hour and asks the routing core's staffing model how many agents each hour needs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from relaydesk.domain.staffing import required_agents


@dataclass(frozen=True, slots=True)
class Intake:
    contact_id: str
    team: str | None
    account_id: str
    agent_id: str | None
    link_id: str | None
    at: float
    source: str = "organic"  # ad, link or organic: the conversation the intake opened


def group_key(intake: Intake, group_by: str, zone: ZoneInfo) -> str:
    if group_by == "hour":
        return datetime.fromtimestamp(intake.at, zone).strftime("%Y-%m-%dT%H:00")
    if group_by == "day":
        return datetime.fromtimestamp(intake.at, zone).strftime("%Y-%m-%d")
    value = {
        "agent": intake.agent_id,
        "account": intake.account_id,
        "link": intake.link_id,
        "source": intake.source,
    }
    return value[group_by] or "none"


def intake_report(
    history: Iterable[Intake],
    start: float,
    end: float,
    group_by: str,
    zone: ZoneInfo,
    only_agent: str | None = None,
) -> list[dict[str, Any]]:
    """``history``: every intake up to ``end`` (older ones tell new from returning).

    ``only_agent`` keeps the rows of one agent's contacts (still judged against everyone's).
    """
    first_seen: set[tuple[str | None, str]] = set()
    counted: set[tuple[str | None, str, str]] = set()
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"new": 0, "returning": 0})
    for intake in sorted(history, key=lambda i: i.at):
        person = (intake.team, intake.contact_id)
        is_new = person not in first_seen
        first_seen.add(person)
        if not start <= intake.at < end or only_agent not in (None, intake.agent_id):
            continue
        key = group_key(intake, group_by, zone)
        if is_new:
            rows[key]["new"] += 1
            counted.add((intake.team, intake.contact_id, key))
        elif (intake.team, intake.contact_id, key) not in counted:
            rows[key]["returning"] += 1
            counted.add((intake.team, intake.contact_id, key))
    return [{"key": k, **v, "total": v["new"] + v["returning"]} for k, v in sorted(rows.items())]


@dataclass(frozen=True, slots=True)
class LinkFigures:
    """What the database counted for one link in the period."""

    link_id: str
    slug: str
    code: str
    clicks: int = 0
    clicks_unanswered: int = 0  # the waiting page: nobody could take the visitor
    visitors: int = 0  # distinct visitor cookies
    conversations: int = 0  # opened in the period with the link's code
    first_replies: int = 0  # of those, answered by an agent
    closed: int = 0  # of those, closed
    first_reply_median_s: float | None = None
    source: str = "link"  # what the link's traffic is marked as: link or ad


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def link_report(
    links: Sequence[LinkFigures], intakes: Mapping[str, Mapping[str, int]]
) -> list[dict[str, Any]]:
    """One row per link, side by side: clicks, unique visitors, intakes (new + returning, from
    ``intake_report(..., group_by="link")`` keyed by link id), conversions and their rates.

    ``intake_rate`` is intakes per unique visitor (a visitor who clicked but never wrote, or wrote
    without the code, lowers it); ``reply_rate`` and ``close_rate`` are per conversation."""
    rows = []
    for link in sorted(links, key=lambda k: k.slug):
        counted = intakes.get(link.link_id, {})
        new, returning = int(counted.get("new", 0)), int(counted.get("returning", 0))
        rows.append(
            {
                "link_id": link.link_id,
                "slug": link.slug,
                "code": link.code,
                "source": link.source,
                "clicks": link.clicks,
                "clicks_unanswered": link.clicks_unanswered,
                "visitors": link.visitors,
                "intakes_new": new,
                "intakes_returning": returning,
                "intakes": new + returning,
                "conversations": link.conversations,
                "first_replies": link.first_replies,
                "closed": link.closed,
                "first_reply_median_s": link.first_reply_median_s,
                "intake_rate": _rate(new + returning, link.visitors),
                "reply_rate": _rate(link.first_replies, link.conversations),
                "close_rate": _rate(link.closed, link.conversations),
            }
        )
    return rows


@dataclass
class AgentService:
    conversations: int = 0
    first_replies_s: list[float] | None = None
    waits_s: list[float] | None = None
    handoffs_out: int = 0
    handoffs_in: int = 0
    collisions: int = 0

    def figures(self) -> dict[str, Any]:
        replies, waits = self.first_replies_s or [], self.waits_s or []
        return {
            "conversations": self.conversations,
            "first_reply_median_s": median(replies) if replies else None,
            "first_reply_mean_s": sum(replies) / len(replies) if replies else None,
            "wait_median_s": median(waits) if waits else None,
            "handoffs_out": self.handoffs_out,
            "handoffs_in": self.handoffs_in,
            "collisions": self.collisions,
        }


def forecast(
    arrivals_by_weekday_hour: dict[int, list[int]],
    weeks: int,
    *,
    aht_s: float,
    target_s: float,
    service_level: float,
    concurrency: int,
) -> list[dict[str, Any]]:
    """Per hour of tomorrow: expected arrivals (mean of the past ``weeks``) and agents needed.

    ``arrivals_by_weekday_hour[h]`` are the counts seen at hour ``h`` on each past same weekday.
    A chat agent holds ``concurrency`` conversations at once, so the Erlang answer is divided.
    """
    out = []
    for hour in range(24):
        counts = arrivals_by_weekday_hour.get(hour, [])
        expected = sum(counts) / weeks if weeks else 0.0
        staffing = required_agents(expected, aht_s, target_s, service_level)
        out.append(
            {
                "hour": hour,
                "arrivals": round(expected, 2),
                "erlang_agents": staffing.agents,
                "recommended_agents": math.ceil(staffing.agents / max(1, concurrency)),
            }
        )
    return out
