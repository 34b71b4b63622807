"""``relaydesk-sim``: replay traces through the routing core, compare policies, plan staffing.

Subcommands: ``replay``, ``compare``, ``staffing``, ``forecast``, ``anomalies`` (see docs/sim.md).
Every problem a person can fix (a bad trace, a missing file, an unknown policy) is one sentence
and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from relaydesk import __version__
from relaydesk.cli import fail, make_parser
from relaydesk.sim import anomalies, planning
from relaydesk.sim.metrics import compute, hourly_mean_waits, percentile
from relaydesk.sim.outcomes import SHIFT_END_CHOICES, ReplayConfig, ReplayResult
from relaydesk.sim.replay import RoutingCoreError, replay
from relaydesk.sim.report import ACKNOWLEDGEMENT, document, table, write_json
from relaydesk.sim.roster import Roster, RosterError, fixed, trace_hourly
from relaydesk.sim.trace import Trace, TraceError, read_trace

PROG = "relaydesk-sim"
DEFAULT_COMPARE = "load_aware,fifo_pooled,per_agent_split"


def _policies() -> tuple[str, ...]:
    from relaydesk.domain.rules import POLICIES

    return POLICIES


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 1")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number >= 0")
    return value


def _subparser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, description: str
) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=description, description=description)
    sub.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return sub


def _add_replay_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("trace", type=Path, help="Anonymous Bank TSV or generic CSV (docs/sim.md)")
    staffing = sub.add_mutually_exclusive_group()
    staffing.add_argument(
        "--roster",
        choices=["trace-hourly"],
        default="trace-hourly",
        help="on duty in each hour the trace shows the agent starting a service (default)",
    )
    staffing.add_argument("--agents", type=_positive_int, help="fixed staffing: N agents all day")
    sub.add_argument(
        "--capacity", type=_positive_int, default=1, help="concurrent contacts per agent"
    )
    sub.add_argument(
        "--slowdown",
        type=_non_negative,
        default=0.15,
        help="service time × (1 + SLOWDOWN × (concurrent − 1)) (default 0.15)",
    )
    sub.add_argument(
        "--skills",
        choices=["ignore", "trace"],
        default="ignore",
        help="trace: contacts need their queue, agents have the queues the trace shows them serve",
    )
    sub.add_argument(
        "--sticky-grace-s",
        type=_non_negative,
        default=0.0,
        help="hold a returning contact this long for a busy previous agent (default 0: "
        "previous agent only when free; see docs/sim.md)",
    )
    sub.add_argument(
        "--day-weight",
        type=_non_negative,
        default=1.0,
        help="the load model's day term: extra load at twice the mean of the day's assignments "
        "(default 1, the product's; 0 turns it off; see docs/routing.md)",
    )
    sub.add_argument(
        "--shift-end",
        choices=SHIFT_END_CHOICES,
        default="finish",
        help="an agent going off duty finishes what they hold (default), or hands it over to "
        "the agents on duty, into the queue when nobody can take it, as the team server does",
    )
    sub.add_argument("--from", dest="start", type=_date, help="first day replayed (YYYY-MM-DD)")
    sub.add_argument("--to", dest="end", type=_date, help="last day replayed (YYYY-MM-DD)")
    sub.add_argument("--seed", type=int, default=0, help="seed of the random policy")
    sub.add_argument("--json", dest="json_out", type=Path, metavar="OUT", help="write the figures")
    sub.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser(PROG, "Replay contact-center traces through Relaydesk's routing core.")
    # Not required=True: argparse would then report a missing command before an unknown option
    # (``--no-such-option`` would be answered "COMMAND is required"); main() asks for it.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    one = _subparser(commands, "replay", "replay a trace under one routing policy")
    _add_replay_options(one)
    one.add_argument("--policy", default="load_aware", help="routing policy (default load_aware)")

    many = _subparser(commands, "compare", "replay a trace under several policies, side by side")
    _add_replay_options(many)
    many.add_argument(
        "--policies", default=DEFAULT_COMPARE, help=f"comma-separated (default {DEFAULT_COMPARE})"
    )
    many.add_argument("--plot", type=Path, metavar="OUT.png", help="chart of waits across the day")

    planning.add_staffing_parser(_subparser(commands, "staffing", planning.STAFFING_HELP))
    planning.add_forecast_parser(_subparser(commands, "forecast", planning.FORECAST_HELP))
    anomalies.add_parser(_subparser(commands, "anomalies", anomalies.HELP))
    return parser


def _load_trace(args: argparse.Namespace) -> Trace:
    if args.start and args.end and args.start > args.end:
        fail(PROG, f"--from {args.start} is after --to {args.end}")
    try:
        trace = read_trace(args.trace).between(args.start, args.end)
    except TraceError as exc:
        fail(PROG, str(exc))
    if not trace.contacts:
        fail(PROG, f"{args.trace}: no contacts between --from and --to")
    return trace


def _roster(args: argparse.Namespace, trace: Trace) -> Roster:
    try:
        if args.agents is not None:
            return fixed(args.agents, trace.contacts)
        return trace_hourly(trace.contacts)
    except RosterError as exc:
        fail(PROG, f"{args.trace}: {exc}")


def _progress(total: int, label: str, quiet: bool) -> tuple[Callable[[], None], Callable[[], None]]:
    """A tqdm bar on stderr (only on a terminal); returns (tick, close)."""
    if quiet or not sys.stderr.isatty():
        return (lambda: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit="contact", file=sys.stderr, leave=False)
    step = max(1, total // 200)
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count % step == 0:
            bar.update(step)

    return tick, bar.close


def _run(args: argparse.Namespace, policies: Sequence[str]) -> tuple[Trace, list[ReplayResult]]:
    known = _policies()
    unknown = [p for p in policies if p not in known]
    if unknown:
        fail(PROG, f"unknown policy {', '.join(unknown)} (choose from {', '.join(known)})")
    trace = _load_trace(args)
    roster = _roster(args, trace)
    results = []
    for policy in policies:
        config = ReplayConfig(
            policy=policy,
            capacity=args.capacity,
            slowdown=args.slowdown,
            use_skills=args.skills == "trace",
            seed=args.seed,
            sticky_grace_s=args.sticky_grace_s,
            day_weight=args.day_weight,
            shift_end=args.shift_end,
        )
        tick, close = _progress(len(trace.contacts), policy, args.quiet)
        try:
            results.append(replay(trace.contacts, roster, config, on_arrival=tick))
        except RoutingCoreError as exc:
            fail(PROG, f"the routing core failed under {policy}: {exc}", code=1)
        finally:
            close()
    return trace, results


def _settings(args: argparse.Namespace) -> dict[str, object]:
    return {
        "roster": f"fixed {args.agents}" if args.agents is not None else args.roster,
        "capacity": args.capacity,
        "slowdown": args.slowdown,
        "skills": args.skills,
        "from": args.start.isoformat() if args.start else None,
        "to": args.end.isoformat() if args.end else None,
        "seed": args.seed,
        "sticky_grace_s": args.sticky_grace_s,
        "day_weight": args.day_weight,
        "shift_end": args.shift_end,
    }


def shift_end_figures(result: ReplayResult) -> dict[str, object]:
    """What the shift ends moved (``--shift-end handover``): conversations handed over mid-service,
    those of them that had to wait in the queue, and how long they waited there."""
    moved = [o for o in result.outcomes if o.handed_over]
    requeued = [o for o in result.outcomes if o.requeued]
    rewaits = [o.rewait_s for o in requeued if o.agent_id is not None]  # taken up again
    return {
        "handed_over": len(moved),
        "handovers": sum(o.handed_over for o in moved),
        "requeued": len(requeued),
        "rewait_mean_s": statistics.fmean(rewaits) if rewaits else 0.0,
        "rewait_p50_s": percentile(rewaits, 50),
        "rewait_p95_s": percentile(rewaits, 95),
        "still_requeued_at_end": result.still_requeued,
    }


def _shift_end_lines(results: Sequence[ReplayResult]) -> list[str]:
    lines = ["", "Shift ends handed over (mid-service):"]
    for result in results:
        f = shift_end_figures(result)
        lines.append(
            f"  {result.config.policy}: {f['handed_over']} conversations ({f['handovers']} moves), "
            f"{f['requeued']} of them queued, waiting again {f['rewait_mean_s']:.0f} s on "
            f"average (p50 {f['rewait_p50_s']:.0f} s, p95 {f['rewait_p95_s']:.0f} s); "
            f"{f['still_requeued_at_end']} still queued at the trace's end"
        )
    return lines


def _report(args: argparse.Namespace, trace: Trace, results: list[ReplayResult]) -> None:
    rows = [compute(r) for r in results]
    print(table(rows))
    handover = args.shift_end == "handover"
    if handover:
        print("\n".join(_shift_end_lines(results)))
    if "anonymous-bank" in trace.path:
        print(f"\nData: {ACKNOWLEDGEMENT}.")
    if args.json_out is not None:
        doc = document(trace.path, _settings(args), trace.skipped, rows)
        if handover:
            doc["shift_end"] = {r.config.policy: shift_end_figures(r) for r in results}
        try:
            write_json(args.json_out, doc)
        except OSError as exc:
            fail(PROG, f"cannot write {args.json_out}: {exc.strerror}")


def _replay_command(args: argparse.Namespace) -> int:
    trace, results = _run(args, [args.policy])
    _report(args, trace, results)
    return 0


def _compare_command(args: argparse.Namespace) -> int:
    policies = [p.strip() for p in args.policies.split(",") if p.strip()]
    if not policies:
        fail(PROG, "--policies names no policy")
    trace, results = _run(args, policies)
    _report(args, trace, results)
    if args.plot is not None:
        from relaydesk.sim.plot import plot_waits

        note = f"Data: {ACKNOWLEDGEMENT}" if "anonymous-bank" in trace.path else ""
        try:
            plot_waits(
                args.plot,
                {r.config.policy: hourly_mean_waits(r) for r in results},
                f"Mean wait by hour of arrival — {Path(trace.path).name}",
                note,
            )
        except OSError as exc:
            fail(PROG, f"cannot write {args.plot}: {exc.strerror}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("choose a command: replay, compare, staffing, forecast or anomalies")
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "replay": _replay_command,
        "compare": _compare_command,
        "staffing": planning.staffing_command,
        "forecast": planning.forecast_command,
        "anomalies": anomalies.anomalies_command,
    }
    try:
        return commands[args.command](args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
