"""What every Relaydesk command line shares: ``--version`` and clean failures.

A person running a command sees a sentence, never a traceback, for anything they can fix.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from relaydesk import __version__


class UsageError(Exception):
    """Bad input a person can fix: printed as one clear message, exit code 2."""


def make_parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--version", action="version", version=f"{prog} {__version__}")
    return parser


def fail(prog: str, message: str, code: int = 2) -> NoReturn:
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def not_built_yet(prog: str, what: str, argv: list[str] | None) -> int:
    """The entry point of a part that does not exist yet: say so plainly."""
    parser = make_parser(prog, what)
    parser.parse_args(argv)
    print(
        f"{prog}: {what} is not built yet in Relaydesk {__version__}. "
        "See README.md for what works today.",
        file=sys.stderr,
    )
    return 3
