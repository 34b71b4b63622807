"""``relaydesk-sandbox``: local stand-ins for the platforms' web pages, with simulated customers.

Serves one page per platform at ``http://127.0.0.1:<port>/<platform id>/`` and the HTTP API of
docs/platforms.md. Only loopback addresses are accepted: the sandbox has no login.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import socket

from relaydesk.cli import fail, make_parser
from relaydesk.sandbox.customers import MAX_RATE

PROG = "relaydesk-sandbox"
DEFAULT_PORT = 8790


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= MAX_RATE:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of messages a minute (0-{MAX_RATE:g})"
        )
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return value


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser(PROG, "Local stand-ins for the messaging platforms' web pages.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="default %(default)s")
    parser.add_argument(
        "--rate",
        type=_rate,
        default=6.0,
        help="simulated customer messages a minute over all pages (0 = only injected ones; "
        "default %(default)s)",
    )
    parser.add_argument(
        "--returning",
        type=float,
        default=0.4,
        help="share of messages from customers who wrote before (default 0.4)",
    )
    parser.add_argument("--seed", type=int, default=None, help="repeatable customers")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not _loopback(args.host):
        fail(PROG, f"--host must be a loopback address such as 127.0.0.1, got {args.host!r}")
    if not 0 <= args.returning <= 1:
        fail(PROG, f"--returning must be between 0 and 1, got {args.returning}")
    try:
        import uvicorn

        from relaydesk.sandbox.app import Sandbox, create_app
        from relaydesk.sandbox.background import SandboxServer
    except ImportError as error:
        fail(PROG, f"the sandbox needs its extra: pip install 'relaydesk[sandbox]' ({error.name})")
    sandbox = Sandbox(rate=args.rate, seed=args.seed, returning=args.returning)
    with socket.socket() as probe:
        try:
            probe.bind((args.host, args.port))
        except OSError as error:
            fail(PROG, f"cannot listen on {args.host}:{args.port}: {error.strerror}")
    print(f"{PROG}: pages at http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    config = uvicorn.Config(
        create_app(sandbox), host=args.host, port=args.port, log_level="warning"
    )
    server = SandboxServer(config, sandbox)  # Ctrl+C answers the pages' held requests at once
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl+C it handled
        server.run()
    return 0 if server.started else 3  # 3: uvicorn's own code for a server that did not start


if __name__ == "__main__":
    raise SystemExit(main())
