"""The daily workload report through the team server: each agent's day against their usual and
the team's average (``GET /v1/reports/workload``), as plain values for the desktop to show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from relaydesk.sync.client import API_VERSION, TeamClient

HEAVY_DAY = "heavy_day"  # the warning kind the server pushes for a day far above the team's


@dataclass(frozen=True, slots=True)
class DayFigures:
    """One day's figures (or the usual of them: means, so they may be fractions).

    ``None`` where there is nothing to tell: no first reply yet, no usual day to compare with,
    no load figures (a past date).
    """

    intake: float | None = None
    replies: float | None = None
    first_reply_mean_s: float | None = None
    slots_used: float | None = None
    capacity: int | None = None
    load: float | None = None


@dataclass(frozen=True, slots=True)
class AgentDay:
    agent_id: str
    login: str
    name: str
    team: str | None
    today: DayFigures
    usual: DayFigures
    usual_days: int  # how many past same weekdays the usual is the mean of
    heavy: bool  # the day runs far above the team's (the server's heavy-day rule)
    warned: bool  # the server raised its heavy-day warning for this agent that day


@dataclass(frozen=True, slots=True)
class WorkloadReport:
    day: str
    tz: str
    agents: tuple[AgentDay, ...]
    team: DayFigures
    team_agents: int
    heavy_ratio: float
    heavy_excess: float

    def agent(self, agent_id: str) -> AgentDay | None:
        return next((a for a in self.agents if a.agent_id == agent_id), None)


def _number(doc: Mapping[str, Any], key: str) -> float | None:
    value = doc.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _figures(doc: Any) -> DayFigures:
    if not isinstance(doc, Mapping):
        return DayFigures()
    capacity = doc.get("capacity")
    return DayFigures(
        intake=_number(doc, "intake"),
        replies=_number(doc, "replies"),
        first_reply_mean_s=_number(doc, "first_reply_mean_s"),
        slots_used=_number(doc, "slots_used"),
        capacity=capacity if isinstance(capacity, int) and not isinstance(capacity, bool) else None,
        load=_number(doc, "load"),
    )


def report_from(doc: Any) -> WorkloadReport:
    """The server's answer as values (anything malformed is left out)."""
    if not isinstance(doc, Mapping):
        doc = {}
    agents = []
    for row in doc.get("agents") or ():
        if not isinstance(row, Mapping) or not isinstance(row.get("agent_id"), str):
            continue
        usual_doc = row.get("usual")
        usual: Mapping[str, Any] = usual_doc if isinstance(usual_doc, Mapping) else {}
        days = usual.get("days")
        team_name = row.get("team")
        agents.append(
            AgentDay(
                agent_id=row["agent_id"],
                login=str(row.get("login") or ""),
                name=str(row.get("name") or row.get("login") or row["agent_id"]),
                team=team_name if isinstance(team_name, str) else None,
                today=_figures(row.get("today")),
                usual=_figures(usual),
                usual_days=days if isinstance(days, int) else 0,
                heavy=bool(row.get("heavy", False)),
                warned=bool(row.get("warned", False)),
            )
        )
    team_doc, rule_doc = doc.get("team"), doc.get("heavy_rule")
    team: Mapping[str, Any] = team_doc if isinstance(team_doc, Mapping) else {}
    rule: Mapping[str, Any] = rule_doc if isinstance(rule_doc, Mapping) else {}
    team_agents = team.get("agents")
    return WorkloadReport(
        day=str(doc.get("date") or ""),
        tz=str(doc.get("tz") or "UTC"),
        agents=tuple(agents),
        team=_figures(team),
        team_agents=team_agents if isinstance(team_agents, int) else 0,
        heavy_ratio=_number(rule, "ratio") or 0.0,
        heavy_excess=_number(rule, "excess") or 0.0,
    )


class WorkloadApi:
    """The workload call, through :meth:`TeamClient.call` (typed errors from ``sync.errors``)."""

    def __init__(self, client: TeamClient) -> None:
        self.client = client

    async def report(self, day: date | None = None, tz: str | None = None) -> WorkloadReport:
        """``day`` (default: today in ``tz``); ``tz`` an IANA zone name (default: UTC)."""
        params = {k: v for k, v in (("date", day.isoformat() if day else None), ("tz", tz)) if v}
        query = f"?{urlencode(params)}" if params else ""
        answer = await self.client.call(
            "GET", f"/{API_VERSION}/reports/workload{query}", "read the workload report"
        )
        return report_from(answer)

    def my_id(self) -> str | None:
        """The signed-in agent's id, whose row "My day" shows."""
        credential = self.client.credential
        return credential.agent_id if credential is not None else None
