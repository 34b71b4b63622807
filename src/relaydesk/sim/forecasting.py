"""``relaydesk-sim forecast``: the day after a trace, hour by hour.

The arrivals come from the domain's weekday × hour profile (``relaydesk.domain.forecast``), the
agents each hour needs from its Erlang C / Erlang A staffing, and the roster a manager would have
from what the trace shows: for the forecast day's weekday, the mean number of agents the trace
shows at work in each hour over the weeks it covers. An hour whose rota would be short is warned
about.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from relaydesk.cli import fail
from relaydesk.domain.forecast import ArrivalsProfile, IntervalForecast
from relaydesk.domain.staffing import StaffingResult
from relaydesk.sim.trace import Trace, TraceContact, TraceError, read_trace

PROG = "relaydesk-sim"
_EPOCH = dt.datetime(1970, 1, 1)

Staff = Callable[[argparse.Namespace, float, float], StaffingResult]
Document = Callable[[StaffingResult], dict[str, float | int]]


@dataclass(frozen=True, slots=True)
class ForecastHour:
    """One hour of the forecast day: expected arrivals, agents needed, the trace's usual rota."""

    forecast: IntervalForecast
    staffing: StaffingResult
    usual_on_duty: float | None  # None: the trace names no agents

    @property
    def short_by(self) -> int:
        """Agents missing from the usual rota for this hour (0 when it is enough or unknown)."""
        if self.usual_on_duty is None:
            return 0
        return max(0, self.staffing.scheduled - round(self.usual_on_duty))


def _moment(seconds: float) -> dt.datetime:
    """The trace's clock (wall-clock time read as UTC) as a naive local datetime."""
    return _EPOCH + dt.timedelta(seconds=seconds)


def mean_handle_time(contacts: Sequence[TraceContact]) -> float | None:
    """Mean handling time of the contacts that were served (service time above zero)."""
    served = [c.service_s for c in contacts if c.service_s > 0]
    return fmean(served) if served else None


def usual_on_duty(contacts: Sequence[TraceContact], weekday: int) -> dict[int, float] | None:
    """Mean agents at work per hour on ``weekday`` over the trace's days of that weekday.

    An agent is at work in an hour when the trace shows them starting a service in it (the same
    reading as ``--roster trace-hourly``). ``None`` when the trace names no agents."""
    if not any(c.agent_id for c in contacts):
        return None
    first = _moment(contacts[0].arrival).date()
    last = _moment(contacts[-1].arrival).date()
    days = [
        first + dt.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + dt.timedelta(days=n)).weekday() == weekday
    ]
    if not days:
        return None
    working: defaultdict[tuple[dt.date, int], set[str]] = defaultdict(set)
    for contact in contacts:
        if contact.agent_id is None:
            continue
        moment = _moment(
            contact.service_start if contact.service_start is not None else contact.arrival
        )
        if moment.weekday() == weekday:
            working[(moment.date(), moment.hour)].add(contact.agent_id)
    return {
        hour: sum(len(working.get((day, hour), ())) for day in days) / len(days)
        for hour in range(24)
    }


def forecast_hours(
    trace: Trace, args: argparse.Namespace, staff: Staff, aht_s: float
) -> tuple[dt.date, list[ForecastHour]]:
    """The day after the trace's last arrival, one entry per hour from midnight."""
    contacts = trace.contacts
    profile = ArrivalsProfile(_moment(c.arrival) for c in contacts)
    day = _moment(contacts[-1].arrival).date() + dt.timedelta(days=1)
    rota = usual_on_duty(contacts, day.weekday())
    hours = [
        ForecastHour(
            item,
            staff(args, item.arrivals_per_hour, aht_s),
            None if rota is None else rota[item.start.hour],
        )
        for item in profile.forecast_day(day)
    ]
    return day, hours


def _json(
    trace: Trace, day: dt.date, aht_s: float, hours: list[ForecastHour], document: Document
) -> str:
    return json.dumps(
        {
            "trace": trace.path,
            "day": day.isoformat(),
            "weekday": day.strftime("%A"),
            "aht_s": aht_s,
            "hours": [
                {
                    "start": h.forecast.start.strftime("%H:%M"),
                    "arrivals": h.forecast.arrivals,
                    "basis": h.forecast.basis,
                    "days": h.forecast.days,
                    **document(h.staffing),
                    "usual_on_duty": h.usual_on_duty,
                    "short_by": h.short_by,
                }
                for h in hours
            ],
            "total_arrivals": sum(h.forecast.arrivals for h in hours),
        },
        indent=2,
    )


def _text(trace: Trace, day: dt.date, aht_s: float, hours: list[ForecastHour]) -> str:
    basis = hours[0].forecast
    source = (
        f"mean of {basis.days} {day.strftime('%A')}s in the trace"
        if basis.basis == "weekday"
        else f"mean of all {basis.days} days in the trace (no {day.strftime('%A')} in it)"
    )
    lines = [
        f"Forecast for {day.strftime('%A')} {day.isoformat()} ({source}), "
        f"handle time {aht_s:.0f} s",
        "",
        "hour   arrivals  agents  scheduled  service level  usual rota",
    ]
    for h in hours:
        rota = "—" if h.usual_on_duty is None else f"{h.usual_on_duty:.1f}"
        if h.short_by:
            rota += f"  short by {h.short_by}"
        level = f"{h.staffing.service_level:.1%}" if h.forecast.arrivals else "—"
        lines.append(
            f"{h.forecast.start:%H:%M}  {h.forecast.arrivals:9.1f}  {h.staffing.agents:6d}"
            f"  {h.staffing.scheduled:9d}  {level:>13}  {rota}"
        )
    total = sum(h.forecast.arrivals for h in hours)
    lines += ["", f"expected arrivals  {total:.0f}"]
    short = [h for h in hours if h.short_by]
    if short:
        listed = ", ".join(f"{h.forecast.start:%H:%M} (−{h.short_by})" for h in short)
        lines.append(f"warning: the usual rota is short in {len(short)} hours: {listed}")
    elif hours[0].usual_on_duty is not None:
        lines.append("the usual rota covers every hour")
    return "\n".join(lines)


def forecast_next_day(args: argparse.Namespace, staff: Staff, document: Document) -> int:
    """Read the trace, forecast the next day and print it (text, or JSON with ``--json``)."""
    try:
        trace = read_trace(args.trace)
    except TraceError as exc:
        fail(PROG, str(exc))
    except OSError as exc:
        fail(PROG, f"cannot read {args.trace}: {exc.strerror}")
    if not trace.contacts:
        fail(PROG, f"{args.trace}: the trace holds no contacts to forecast from")
    aht_s: float | None = args.aht_s if args.aht_s is not None else mean_handle_time(trace.contacts)
    if aht_s is None:
        fail(PROG, f"{args.trace}: no contact was served, so give the handle time with --aht-s")
    day, hours = forecast_hours(trace, args, staff, aht_s)
    if args.json:
        print(_json(trace, day, aht_s, hours, document))
    else:
        print(_text(trace, day, aht_s, hours))
    return 0
