"""The team reports a supervisor browses: read for one period, turned into tables.

``read_reports`` asks the team server for intake (grouped as chosen), service per agent and
the split links side by side, all at once; a report the server refuses is kept as its sentence
and the others still show. The ``*_table`` functions turn each answer into a ``ReportTable``
(typed columns, a chart) that the board shows and ``report_export`` writes unchanged, so what
is exported is exactly what is shown. ``title`` translates a column's English title.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from relaydesk.store.intake import IntakeCount
from relaydesk.sync.errors import SyncError
from relaydesk.sync.report_export import Chart, Column, Kind, ReportTable
from relaydesk.sync.supervisor import SupervisorApi

INTAKE_GROUPS = ("day", "hour", "agent", "account", "link", "source")
MAX_FILLED = 24 * 93  # quiet hours filled in for up to a quarter
Title = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in Unix seconds; days and hours are counted in ``tz``."""

    start: float
    end: float
    tz: str = "UTC"

    def describe(self) -> str:
        def day(at: float) -> str:
            return datetime.fromtimestamp(at).astimezone().strftime("%Y-%m-%d %H:%M")

        return f"{day(self.start)} – {day(self.end)} ({self.tz})"


@dataclass
class Reports:
    """The answers for one period (None where the server refused; ``errors`` says why)."""

    period: Period
    group_by: str
    intake: dict[str, Any] | None = None
    service: dict[str, Any] | None = None
    links: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)


async def read_reports(api: SupervisorApi, period: Period, group_by: str = "day") -> Reports:
    if group_by not in INTAKE_GROUPS:
        raise ValueError(f"intake is grouped by one of {', '.join(INTAKE_GROUPS)}")
    reports = Reports(period, group_by)
    when = {"start": period.start, "end": period.end}

    async def read(name: str, **query: Any) -> dict[str, Any] | None:
        try:
            return await api.report(name, **when, **query)
        except SyncError as error:
            reports.errors[name] = str(error)
            return None

    reports.intake, reports.service, reports.links = await asyncio.gather(
        read("intake", group_by=group_by, tz=period.tz), read("service"), read("links")
    )
    return reports


def _every(period: Period, group_by: str) -> list[str]:
    """Every day (or hour) of the period as the server names it, so quiet ones show as 0."""
    zone = ZoneInfo(period.tz)
    step = timedelta(days=1) if group_by == "day" else timedelta(hours=1)
    local = datetime.fromtimestamp(period.start, zone)
    at = local.replace(hour=0 if group_by == "day" else local.hour, minute=0, second=0,
                       microsecond=0)  # fmt: skip
    keys: list[str] = []
    while at.timestamp() < period.end and len(keys) < MAX_FILLED:
        key = at.strftime("%Y-%m-%d" if group_by == "day" else "%Y-%m-%dT%H:00")
        if not keys or keys[-1] != key:  # a DST night repeats an hour's name
            keys.append(key)
        # Wall-clock steps in UTC, named in the zone: a DST change neither skips nor repeats.
        at = (at.astimezone(UTC) + step).astimezone(zone) if group_by == "hour" else (
            datetime.combine(at.date() + step, time(), zone))  # fmt: skip
    return keys


def intake_table(
    report: Mapping[str, Any], group_by: str, title: Title = _same, period: Period | None = None
) -> ReportTable:
    """Intake per group; by day or hour with ``period``, the quiet days or hours too."""
    key = {"day": Column(title("Day"), Kind.DAY), "hour": Column(title("Hour"), Kind.HOUR),
           "agent": Column(title("Agent")), "account": Column(title("Account")),
           "link": Column(title("Link")), "source": Column(title("Source"))}[group_by]  # fmt: skip
    columns = (key, Column(title("New"), Kind.COUNT), Column(title("Returning"), Kind.COUNT),
               Column(title("Total"), Kind.COUNT))  # fmt: skip
    found = list(report.get("rows", []))
    if period is not None and group_by in ("day", "hour"):
        counted = {str(r["key"]): r for r in found}
        found = [counted.pop(k, {"key": k, "new": 0, "returning": 0, "total": 0})
                 for k in _every(period, group_by)] + list(counted.values())  # fmt: skip
    rows = tuple(
        (r.get("name", r["key"]) if key.kind is Kind.TEXT else r["key"],
         r["new"], r["returning"], r.get("total", r["new"] + r["returning"]))
        for r in found
    )  # fmt: skip
    return ReportTable(title("Intake"), columns, rows,
                       Chart(title("Intake"), 0, (1, 2), stacked=True))  # fmt: skip


def service_table(report: Mapping[str, Any], title: Title = _same) -> ReportTable:
    fields = (("login", title("Agent"), Kind.TEXT),
              ("conversations", title("Conversations"), Kind.COUNT),
              ("first_reply_median_s", title("First reply, median (s)"), Kind.NUMBER),
              ("first_reply_mean_s", title("First reply, mean (s)"), Kind.NUMBER),
              ("wait_median_s", title("Wait, median (s)"), Kind.NUMBER),
              ("handoffs_in", title("Handoffs in"), Kind.COUNT),
              ("handoffs_out", title("Handoffs out"), Kind.COUNT),
              ("collisions", title("Collisions"), Kind.COUNT))  # fmt: skip
    rows = tuple(tuple(r.get(name) for name, *_ in fields) for r in report.get("agents", []))
    return ReportTable(
        title("Service"),
        tuple(Column(text, kind) for _, text, kind in fields),
        rows,
        Chart(title("First reply, median (s)"), 0, (2,)),
    )


def links_table(report: Mapping[str, Any], title: Title = _same) -> ReportTable:
    fields = (("slug", title("Link"), Kind.TEXT), ("code", title("Code"), Kind.TEXT),
              ("clicks", title("Clicks"), Kind.COUNT),
              ("visitors", title("Unique visitors"), Kind.COUNT),
              ("clicks_unanswered", title("Nobody available"), Kind.COUNT),
              ("intakes_new", title("New"), Kind.COUNT),
              ("intakes_returning", title("Returning"), Kind.COUNT),
              ("intakes", title("Intakes"), Kind.COUNT),
              ("first_replies", title("First reply given"), Kind.COUNT),
              ("closed", title("Closed"), Kind.COUNT),
              ("intake_rate", title("Intakes per visitor"), Kind.RATE),
              ("reply_rate", title("Reply rate"), Kind.RATE),
              ("close_rate", title("Close rate"), Kind.RATE),
              ("first_reply_median_s", title("First reply, median (s)"), Kind.NUMBER))  # fmt: skip
    rows = tuple(tuple(r.get(name) for name, *_ in fields) for r in report.get("links", []))
    return ReportTable(
        title("Links"),
        tuple(Column(text, kind) for _, text, kind in fields),
        rows,
        Chart(title("Links side by side"), 0, (2, 3, 7, 8, 9)),
    )


def tables(reports: Reports, title: Title = _same) -> list[ReportTable]:
    """The tables of the reports the server answered, in the board's order, each with the
    period as a note."""
    note = (title("Period: %1").replace("%1", reports.period.describe()),)
    out = []
    if reports.intake is not None:
        out.append(intake_table(reports.intake, reports.group_by, title, reports.period))
    if reports.service is not None:
        out.append(service_table(reports.service, title))
    if reports.links is not None:
        out.append(links_table(reports.links, title))
    return [ReportTable(t.name, t.columns, t.rows, t.chart, note) for t in out]


def counts_table(counts: Iterable[IntakeCount], title: Title = _same) -> ReportTable:
    """The personal intake counter's export (the store's CSV rows) as a table for a workbook:
    one row per working day, clock hour and account."""
    columns = (Column(title("Day"), Kind.DAY), Column(title("Hour")),
               Column(title("Account")), Column(title("New"), Kind.COUNT),
               Column(title("Returning"), Kind.COUNT))  # fmt: skip
    rows = tuple((c.day, f"{c.hour:02d}:00", c.account_id, c.new, c.returning) for c in counts)
    return ReportTable(title("Intake"), columns, rows)
