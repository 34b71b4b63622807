"""``relaydesk-sim anomalies``: the volume-anomaly rule played over a trace, hour by hour.

The first days of the trace are the history (the usual profile); the days after them are judged
as the team server's background check would judge them, checking every minute from minute 10 of
each hour (``relaydesk.domain.anomaly``). A surge can be injected — extra contacts spread evenly
over some minutes, carrying a link, an account and a first message — to see how soon it is
flagged and whether the rule names what was injected.

A trace has no links and no message texts; its queue (the bank's ``type``, a CSV's ``skill``)
stands in for the account, which is what a call center's lines are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relaydesk.cli import fail
from relaydesk.domain.anomaly import AnomalyRule, Arrival, IntakeHistory, Judgement, scan_day
from relaydesk.sim.report import ACKNOWLEDGEMENT
from relaydesk.sim.trace import TraceError, read_trace

PROG = "relaydesk-sim"
HELP = "hours whose intake is far above the usual for their weekday and hour (volume anomalies)"
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Injection:
    """``count`` extra contacts from ``start``, one every ``minutes / count`` minutes."""

    start: dt.datetime
    count: int
    minutes: float = 30.0
    link: str | None = None
    account: str | None = None
    text: str | None = None

    def arrivals(self) -> list[Arrival]:
        step = dt.timedelta(minutes=self.minutes / self.count)
        return [
            Arrival(self.start + i * step, self.link, self.account, self.text)
            for i in range(self.count)
        ]


@dataclass(frozen=True, slots=True)
class Detection:
    """When the injected surge was first flagged, and what the warning named."""

    judgement: Judgement
    at: dt.datetime
    delay_minutes: float


@dataclass(frozen=True, slots=True)
class AnomalyScan:
    history_days: tuple[dt.date, dt.date]
    judged_days: tuple[dt.date, dt.date]
    rule: AnomalyRule
    hours: list[Judgement]
    detection: Detection | None

    @property
    def alarms(self) -> list[Judgement]:
        return [h for h in self.hours if h.anomalous]


def alarm_time(judgement: Judgement) -> dt.datetime:
    return judgement.hour_start + dt.timedelta(minutes=judgement.elapsed_minutes)


def _moment(seconds: float) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=seconds)


def trace_arrivals(path: Path) -> list[Arrival]:
    """The trace's contacts as arrivals (queue as account). Raises TraceError."""
    return [Arrival(_moment(c.arrival), account=c.skill) for c in read_trace(path).contacts]


def scan(
    arrivals: Sequence[Arrival],
    history_days: tuple[dt.date, dt.date],
    judged_days: tuple[dt.date, dt.date],
    rule: AnomalyRule | None = None,
    injection: Injection | None = None,
) -> AnomalyScan:
    """Judge every hour of ``judged_days`` against the history of ``history_days``."""
    rule = rule or AnomalyRule()
    first, last = history_days
    history = IntakeHistory(arrivals, first, last)
    judged = [a for a in arrivals if judged_days[0] <= a.at.date() <= judged_days[1]]
    if injection is not None:
        judged = sorted([*judged, *injection.arrivals()], key=lambda a: a.at)
    span = (judged_days[1] - judged_days[0]).days + 1
    hours: list[Judgement] = []
    for n in range(span):
        hours += scan_day(history, judged, judged_days[0] + dt.timedelta(days=n), rule)
    detection = None
    if injection is not None:
        end = injection.start + dt.timedelta(minutes=injection.minutes)
        for hour in hours:
            flagged = alarm_time(hour)
            if hour.anomalous and injection.start <= flagged and hour.hour_start < end:
                delay = (flagged - injection.start).total_seconds() / 60
                detection = Detection(hour, flagged, delay)
                break
    return AnomalyScan(history_days, judged_days, rule, hours, detection)


# ---------------------------------------------------------------- the command


def _when(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date-time YYYY-MM-DDTHH:MM") from None


def _count(text: str) -> int:
    try:
        value = int(text.lstrip("+"))
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 1")
    return value


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 24 * 60:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes in (0, 1440]")
    return value


def add_parser(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("trace", type=Path, help="Anonymous Bank TSV or generic CSV (docs/sim.md)")
    sub.add_argument(
        "--history-days",
        type=_count,
        default=7,
        help="the trace's first N days are the usual profile (default 7); the rest is judged",
    )
    sub.add_argument(
        "--history-from", type=_day, help="first day of the history (default: the trace's first)"
    )
    sub.add_argument("--from", dest="start", type=_day, help="first judged day (YYYY-MM-DD)")
    sub.add_argument("--to", dest="end", type=_day, help="last judged day (YYYY-MM-DD)")
    sub.add_argument(
        "--inject",
        nargs=2,
        metavar=("WHEN", "COUNT"),
        help="add COUNT contacts from WHEN (YYYY-MM-DDTHH:MM), spread over --inject-minutes",
    )
    sub.add_argument("--inject-minutes", type=_minutes, default=30.0, help="default 30")
    sub.add_argument("--inject-link", help="the link the injected contacts came through")
    sub.add_argument("--inject-account", help="the account (queue) they wrote to")
    sub.add_argument("--inject-text", help="their first message, e.g. 'my card is blocked'")
    sub.add_argument("--json", action="store_true", help="print JSON instead of text")


def _injection(args: argparse.Namespace) -> Injection | None:
    if args.inject is None:
        return None
    try:
        start, count = _when(args.inject[0]), _count(args.inject[1])
    except argparse.ArgumentTypeError as exc:
        fail(PROG, f"--inject: {exc}")
    return Injection(
        start, count, args.inject_minutes, args.inject_link, args.inject_account, args.inject_text
    )


def _judgement_document(j: Judgement) -> dict[str, Any]:
    return {
        "hour": j.hour_start.isoformat(timespec="minutes"),
        "at": alarm_time(j).isoformat(timespec="minutes"),
        "elapsed_minutes": j.elapsed_minutes,
        "count": j.count,
        "usual": round(j.usual.mean, 2),
        "usual_variance": round(j.usual.variance, 2),
        "basis": j.usual.basis,
        "samples": j.usual.samples,
        "ratio": round(j.ratio, 2),
        "z": round(j.z, 2),
        "stand_outs": [
            {
                "dimension": s.dimension,
                "value": s.value,
                "count": s.count,
                "usual": round(s.usual, 2),
                "share": round(s.share, 3),
                "usual_share": round(s.usual_share, 3),
            }
            for s in j.stand_outs
        ],
    }


def document(path: str, result: AnomalyScan, injection: Injection | None) -> dict[str, Any]:
    rule = result.rule
    doc: dict[str, Any] = {
        "trace": path,
        "data_acknowledgement": ACKNOWLEDGEMENT if "anonymous-bank" in path else None,
        "history": [d.isoformat() for d in result.history_days],
        "judged": [d.isoformat() for d in result.judged_days],
        "rule": {
            "min_count": rule.min_count,
            "min_ratio": rule.min_ratio,
            "min_z": rule.min_z,
            "min_elapsed_minutes": rule.min_elapsed_minutes,
        },
        "hours_judged": len(result.hours),
        "alarms": [_judgement_document(j) for j in result.alarms],
        "injected": None,
    }
    if injection is not None:
        found = result.detection
        doc["injected"] = {
            "start": injection.start.isoformat(timespec="minutes"),
            "count": injection.count,
            "minutes": injection.minutes,
            "link": injection.link,
            "account": injection.account,
            "text": injection.text,
            "detected_at": found.at.isoformat(timespec="minutes") if found else None,
            "delay_minutes": round(found.delay_minutes, 1) if found else None,
            "named": _judgement_document(found.judgement)["stand_outs"] if found else [],
        }
    return doc


def _line(j: Judgement) -> str:
    named = ", ".join(
        f"{s.dimension} {s.value!r} {s.count} (usually {s.usual:.1f})" for s in j.stand_outs
    )
    return (
        f"  {j.hour_start:%a %Y-%m-%d %H:00}  flagged at {alarm_time(j):%H:%M}: {j.count} so far, "
        f"usual {j.usual.mean:.1f} ({j.ratio:.1f}×, z {j.z:.1f})"
        + (f"; stands out: {named}" if named else "; nothing stands out")
    )


def _text(path: str, result: AnomalyScan, injection: Injection | None) -> str:
    rule = result.rule
    h0, h1 = result.history_days
    d0, d1 = result.judged_days
    lines = [
        f"Volume anomalies in {Path(path).name}",
        f"history {h0} .. {h1}; judged {d0} .. {d1}, every minute from minute "
        f"{rule.min_elapsed_minutes:g} of each hour",
        f"rule: count >= {rule.min_count}, count / usual >= {rule.min_ratio:g}, "
        f"z >= {rule.min_z:g}",
        "",
        f"{len(result.alarms)} of {len(result.hours)} hours flagged",
        *(_line(j) for j in result.alarms),
    ]
    if injection is not None:
        what = ", ".join(
            f"{k} {v!r}"
            for k, v in (
                ("link", injection.link),
                ("account", injection.account),
                ("text", injection.text),
            )
            if v
        )
        lines += [
            "",
            f"injected {injection.count} contacts from {injection.start:%Y-%m-%d %H:%M} over "
            f"{injection.minutes:g} min" + (f" ({what})" if what else ""),
        ]
        found = result.detection
        if found is None:
            lines.append("  not flagged")
        else:
            lines.append(
                f"  flagged at {found.at:%H:%M}, {found.delay_minutes:.0f} min after it began"
            )
    if "anonymous-bank" in path:
        lines += ["", f"Data: {ACKNOWLEDGEMENT}."]
    return "\n".join(lines)


def anomalies_command(args: argparse.Namespace) -> int:
    try:
        arrivals = trace_arrivals(args.trace)
    except TraceError as exc:
        fail(PROG, str(exc))
    except OSError as exc:
        fail(PROG, f"cannot read {args.trace}: {exc.strerror}")
    first = args.history_from or arrivals[0].at.date()
    last = arrivals[-1].at.date()
    history = (first, first + dt.timedelta(days=args.history_days - 1))
    start = args.start or history[1] + dt.timedelta(days=1)
    end = args.end or last
    if start > end:
        fail(PROG, f"{args.trace}: no day to judge between {start} and {end}")
    if start <= history[1] and end >= history[0]:
        fail(PROG, f"the judged days overlap the history ({history[0]} .. {history[1]})")
    injection = _injection(args)
    if injection is not None and not start <= injection.start.date() <= end:
        fail(PROG, f"--inject {injection.start:%Y-%m-%d} is not a judged day ({start} .. {end})")
    result = scan(arrivals, history, (start, end), injection=injection)
    path = str(args.trace)
    if args.json:
        print(json.dumps(document(path, result, injection), indent=2, ensure_ascii=False))
    else:
        print(_text(path, result, injection))
    return 0
