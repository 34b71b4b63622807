"""``staffing`` and ``forecast``: the managers' what-if questions, answered by the domain's
Erlang C / Erlang A staffing and its weekday × hour arrivals forecast."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from relaydesk.cli import fail
from relaydesk.domain.staffing import StaffingResult, required_agents

PROG = "relaydesk-sim"
STAFFING_HELP = "agents needed for a target service level (Erlang C, or Erlang A with patience)"
FORECAST_HELP = "arrivals per hour for the day after a trace, and agents needed per hour"


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _add_targets(sub: argparse.ArgumentParser, *, defaults: bool) -> None:
    """Options shared by staffing and forecast: the service goal and the rota's realities."""
    sub.add_argument(
        "--target-s",
        type=_number,
        required=not defaults,
        default=20.0 if defaults else None,
        help="answer within this many seconds" + (" (default 20)" if defaults else ""),
    )
    sub.add_argument(
        "--service-level",
        type=_number,
        required=not defaults,
        default=0.8 if defaults else None,
        help="share of contacts answered within --target-s, e.g. 0.8"
        + (" (default 0.8)" if defaults else ""),
    )
    sub.add_argument("--shrinkage", type=_number, default=0.0, help="share of rota time lost (0.3)")
    sub.add_argument("--max-occupancy", type=_number, default=1.0, help="cap on agents' busy share")
    sub.add_argument(
        "--patience-s", type=_number, help="customers' mean patience: Erlang A instead of Erlang C"
    )
    sub.add_argument("--json", action="store_true", help="print JSON instead of text")


def add_staffing_parser(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--arrivals-per-hour", type=_number, required=True, help="contacts per hour")
    sub.add_argument("--aht-s", type=_number, required=True, help="average handle time, seconds")
    _add_targets(sub, defaults=False)


def _staff(args: argparse.Namespace, arrivals_per_hour: float, aht_s: float) -> StaffingResult:
    try:
        return required_agents(
            arrivals_per_hour,
            aht_s,
            args.target_s,
            args.service_level,
            shrinkage=args.shrinkage,
            max_occupancy=args.max_occupancy,
            patience_s=args.patience_s,
        )
    except ValueError as exc:
        fail(PROG, str(exc))


def _staffing_document(result: StaffingResult) -> dict[str, float | int]:
    return {
        "agents": result.agents,
        "scheduled": result.scheduled,
        "service_level": result.service_level,
        "occupancy": result.occupancy,
        "p_wait": result.p_wait,
        "asa_s": result.asa_s,
        "abandon_rate": result.abandon_rate,
        "traffic_erlangs": result.traffic_erlangs,
    }


def staffing_command(args: argparse.Namespace) -> int:
    result = _staff(args, args.arrivals_per_hour, args.aht_s)
    if args.json:
        print(json.dumps(_staffing_document(result), indent=2))
        return 0
    print(f"agents needed      {result.agents}")
    print(f"scheduled          {result.scheduled}  (with {args.shrinkage:.0%} shrinkage)")
    print(f"service level      {result.service_level:.1%} within {args.target_s:g} s")
    print(f"occupancy          {result.occupancy:.1%}")
    print(f"P(wait)            {result.p_wait:.1%}")
    print(f"mean wait (ASA)    {result.asa_s:.1f} s")
    if args.patience_s is not None:
        print(f"abandon rate       {result.abandon_rate:.1%}")
    return 0


def add_forecast_parser(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("trace", type=Path, help="Anonymous Bank TSV or generic CSV (docs/sim.md)")
    sub.add_argument("--aht-s", type=_number, help="handle time (default: the trace's mean)")
    _add_targets(sub, defaults=True)


def forecast_command(args: argparse.Namespace) -> int:
    from relaydesk.sim.forecasting import forecast_next_day

    return forecast_next_day(args, _staff, _staffing_document)
