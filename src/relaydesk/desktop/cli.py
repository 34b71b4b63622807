"""``relaydesk``: the desktop workstation.

Parses arguments before importing Qt, so ``--version`` and a missing PySide6 answer with a
sentence and no traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from relaydesk.cli import fail, make_parser

PROG = "relaydesk"
MISSING_QT = (
    "the desktop app needs PySide6 and qasync, which are not installed. "
    'Install them with: pip install "relaydesk[desktop]"'
)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 3600:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 3600 seconds")
    return value


def _run_demo(argv: list[str]) -> int:
    """``relaydesk demo ...``: the demo's own command (relaydesk.demo starts a team server, which
    the desktop part may not import), in place of this process so Ctrl+C reaches it directly."""
    command = [sys.executable, "-m", "relaydesk.demo", *argv]
    if os.name == "posix":
        os.execv(sys.executable, command)
    import subprocess

    return subprocess.call(command)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["demo"]:
        return _run_demo(arguments[1:])
    parser = make_parser(PROG, "The Relaydesk workstation: many messaging accounts in one window.")
    parser.epilog = "relaydesk demo [--help]: the whole system in one command (docs/demo.md)."
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep settings, accounts and web profiles under DIR (same as RELAYDESK_HOME)",
    )
    parser.add_argument(
        "--sandbox",
        metavar="URL",
        help="add one account per platform of a running relaydesk-sandbox at URL",
    )
    parser.add_argument(
        "--smoke-test",
        metavar="SECONDS",
        type=_seconds,
        help="start, wait until every account's page loads and its recipe reports chats, then "
        "quit: exit 0 when all did within SECONDS, 1 otherwise (checks an installed bundle)",
    )
    args = parser.parse_args(argv)
    if args.sandbox and not args.sandbox.startswith(("http://", "https://")):
        fail(PROG, f"--sandbox expects an http:// address, got {args.sandbox!r}")
    if args.home:
        home = Path(args.home).expanduser()
        if home.exists() and not home.is_dir():
            fail(PROG, f"--home {args.home} is a file, not a folder")
        os.environ["RELAYDESK_HOME"] = str(home)
    if importlib.util.find_spec("PySide6") is None or importlib.util.find_spec("qasync") is None:
        fail(PROG, MISSING_QT)

    from relaydesk.desktop.app import run
    from relaydesk.desktop.logs import forward_qt_messages, setup_logging
    from relaydesk.paths import app_paths

    paths = app_paths()
    setup_logging(paths.logs)
    forward_qt_messages()
    return run(paths, args.sandbox, args.smoke_test)


if __name__ == "__main__":
    sys.exit(main())
