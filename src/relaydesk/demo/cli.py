"""``relaydesk demo`` (also ``python -m relaydesk.demo``): the whole system in one command."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from relaydesk.cli import fail, make_parser

PROG = "relaydesk demo"
NEEDS = {
    "fastapi": "server", "uvicorn": "server", "sqlalchemy": "server", "aiosqlite": "server",
    "PySide6": "desktop", "qasync": "desktop",
}  # fmt: skip
NO_DISPLAY = (
    "the demo opens the desktop window and there is no display (DISPLAY and WAYLAND_DISPLAY are "
    "unset). Run it on a desktop session, or under a virtual one: "
    'xvfb-run -a -s "-screen 0 1600x1000x24" relaydesk demo (scripts/demo.sh does this for you)'
)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 24 * 3600:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 86400 seconds")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 600 a minute")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = make_parser(
        PROG,
        "Start a team server, the sandbox's simulated customers, two simulated colleagues and "
        "the desktop app signed in as a supervisor, all on 127.0.0.1; close the window or press "
        "Ctrl+C to stop them all.",
    )
    parser.add_argument("--duration", metavar="SECONDS", type=_seconds,
                        help="end the demo by itself after SECONDS")  # fmt: skip
    parser.add_argument("--screenshots", metavar="DIR",
                        help="when the demo ends, save the window, the customer panel and the "
                        "supervisor board as PNG files in DIR")  # fmt: skip
    parser.add_argument(
        "--report",
        metavar="DIR",
        help="with --duration: write what the server, the sandbox and the app "
        "saw (snapshot.json, probe.jsonl) to DIR, for the end-to-end test",
    )
    parser.add_argument(
        "--rate",
        metavar="N",
        type=_rate,
        default=14.0,
        help="customer messages a minute over the four accounts (default 14)",
    )
    parser.add_argument("--seed", metavar="N", type=int, help="repeat the same customers")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder (server database, app data and log)",
    )
    return parser


# Relaydesk never turns Chromium's sandbox off by itself; as root Chromium refuses to start with it.
AS_ROOT = (
    "Chromium (Qt WebEngine) does not start as root with its sandbox on. Run the demo as a "
    "normal user, or, on a throwaway machine where that is acceptable, set "
    "QTWEBENGINE_DISABLE_SANDBOX=1 yourself (scripts/demo.sh does when run as root and says so)"
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.report and not args.duration:
        fail(PROG, "--report needs --duration (the report is taken when the demo ends itself)")
    missing = sorted({extra for name, extra in NEEDS.items()
                      if importlib.util.find_spec(name) is None})  # fmt: skip
    if missing:
        extras = ",".join(missing)
        fail(PROG, f'the demo needs the {" and ".join(missing)} extras, which are not installed. '
                   f'Install them with: pip install "relaydesk[{extras}]"')  # fmt: skip
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")
            and os.environ.get("QT_QPA_PLATFORM") != "offscreen"):  # fmt: skip
        fail(PROG, NO_DISPLAY)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root and not os.environ.get("QTWEBENGINE_DISABLE_SANDBOX"):
        fail(PROG, AS_ROOT)

    from relaydesk.demo.runner import DemoOptions, run_demo

    options = DemoOptions(
        duration_s=args.duration,
        screenshots=Path(args.screenshots).expanduser().resolve() if args.screenshots else None,
        report=Path(args.report).expanduser().resolve() if args.report else None,
        rate=args.rate,
        seed=args.seed,
        keep=args.keep,
    )
    return run_demo(options)


if __name__ == "__main__":
    sys.exit(main())
