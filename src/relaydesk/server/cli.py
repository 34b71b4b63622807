"""``relaydesk-server``: run the team server, migrate, create logins, set shifts, back up the
database."""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from pathlib import Path

from relaydesk.cli import fail, make_parser
from relaydesk.server import shifts_cli
from relaydesk.server.settings import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ServerSettings,
    default_database_url,
    normalize_database_url,
)

PROG = "relaydesk-server"


def _parser() -> argparse.ArgumentParser:
    parser = make_parser(PROG, "The Relaydesk team server: assignment, handoff, split links.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="SQLite file or database URL (default: the user data dir)")
        return p

    run = with_db(sub.add_parser("run", help="serve the API (the default command)"))
    run.add_argument("--host", default=DEFAULT_HOST)
    run.add_argument("--port", type=int, default=DEFAULT_PORT)
    run.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (off by default: a line per request costs a busy server CPU)",
    )
    run.add_argument(
        "--anomaly-timezone",
        metavar="ZONE",
        help="the zone whose weekdays and hours the volume-anomaly check compares (default UTC)",
    )
    run.add_argument(
        "--anomaly-check-every",
        metavar="SECONDS",
        type=float,
        help="how often the volume-anomaly check runs (default 60; 0 turns it off)",
    )
    with_db(sub.add_parser("migrate", help="bring the database schema up to date"))
    for name, role in (("create-admin", "admin"), ("create-agent", None)):
        p = with_db(sub.add_parser(name, help=f"create a {role or 'agent'} login"))
        p.add_argument("--login", required=True)
        p.add_argument("--name", default="")
        p.add_argument(
            "--password-env",
            metavar="VAR",
            help="read the password from this environment variable, not stdin",
        )
        if role is None:
            p.add_argument("--role", choices=("agent", "supervisor", "admin"), default="agent")
            p.add_argument("--capacity", type=int)
            p.add_argument("--team")
            p.add_argument("--skill", action="append", default=[])
            p.add_argument("--language", action="append", default=[])
        p.set_defaults(fixed_role=role)
    backup = with_db(sub.add_parser("backup", help="copy the database consistently, even live"))
    backup.add_argument("out", help="the file to write")
    shifts_cli.add_parser(sub, with_db)
    copy = sub.add_parser(
        "copy-db", help="copy all data to another (empty) database, e.g. SQLite to PostgreSQL"
    )
    copy.add_argument("--from", dest="source", required=True, help="source SQLite file or URL")
    copy.add_argument("--to", dest="target", required=True, help="target database URL")
    return parser


def _database_url(args: argparse.Namespace) -> str:
    return normalize_database_url(args.db) if args.db else default_database_url()


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            fail(PROG, f"the environment variable {args.password_env} is not set")
        return value
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\n")


async def _create_login(url: str, args: argparse.Namespace, password: str) -> str:
    from pydantic import ValidationError

    from relaydesk.server.api.admin import create_agent_row
    from relaydesk.server.db import make_engine, make_sessionmaker, migrate
    from relaydesk.server.errors import ApiError
    from relaydesk.server.schemas import AgentIn

    try:
        body = AgentIn(
            login=args.login,
            name=args.name,
            password=password,
            role=args.fixed_role or args.role,
            capacity=getattr(args, "capacity", None),
            team=getattr(args, "team", None),
            skills=getattr(args, "skill", []),
            languages=getattr(args, "language", []),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(PROG, f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
    await migrate(url)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            try:
                row = await create_agent_row(session, body)
            except ApiError as exc:
                fail(PROG, exc.message)
            await session.commit()
            return row.id
    finally:
        await engine.dispose()


def _backup(url: str, out: Path) -> None:
    """SQLite's online backup API: a consistent copy while the server keeps writing."""
    if not url.startswith("sqlite"):
        fail(PROG, "backup copies SQLite databases; for PostgreSQL use pg_dump")
    source_path = url.split(":///", 1)[1]
    if not Path(source_path).exists():
        fail(PROG, f"no database at {source_path}")
    if out.exists():
        fail(PROG, f"{out} exists already; choose a new file")
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _copy_db(args: argparse.Namespace) -> int:
    from relaydesk.server.transfer import CopyError, copy_database

    source = normalize_database_url(args.source)
    target = normalize_database_url(args.target)
    if source.startswith("sqlite") and not Path(source.split(":///", 1)[1]).exists():
        fail(PROG, f"no database at {args.source}")

    def progress(table: str, rows: int) -> None:
        print(f"\r{table}: {rows} rows\033[K", end="", file=sys.stderr, flush=True)

    try:
        copied = asyncio.run(
            copy_database(source, target, progress if sys.stderr.isatty() else None)
        )
    except CopyError as exc:
        fail(PROG, str(exc))
    except OSError as exc:  # the target server cannot be reached
        fail(PROG, f"cannot reach the database: {exc}")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"{PROG}: copied {sum(copied.values())} rows in {len(copied)} tables")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command == "copy-db":
        return _copy_db(args)
    url = _database_url(args) if command != "run" or getattr(args, "db", None) else None
    if command == "run":
        import uvicorn

        from relaydesk.server.app import create_app

        anomaly = {
            name: value
            for name, value in (
                ("anomaly_timezone", getattr(args, "anomaly_timezone", None)),
                ("anomaly_check_s", getattr(args, "anomaly_check_every", None)),
            )
            if value is not None
        }
        try:
            settings = ServerSettings(database_url=url or default_database_url(), **anomaly)
        except ValueError as exc:
            fail(PROG, str(exc))
        uvicorn.run(
            create_app(settings),
            host=getattr(args, "host", DEFAULT_HOST),
            port=getattr(args, "port", DEFAULT_PORT),
            log_level="info",
            access_log=getattr(args, "access_log", False),
            # loop and http stay "auto": uvloop and httptools (the uvicorn[standard] extra) where
            # installed, asyncio and h11 elsewhere (uvloop does not exist on Windows).
            # Open streams must not hold a stop forever: clients reconnect and replay.
            timeout_graceful_shutdown=5,
        )
        return 0
    assert url is not None
    if command == "migrate":
        from relaydesk.server.db import migrate_sync

        migrate_sync(url)
        print(f"{PROG}: the database is up to date")
        return 0
    if command in ("create-admin", "create-agent"):
        password = _password(args)
        agent_id = asyncio.run(_create_login(url, args, password))
        print(agent_id)
        return 0
    if command == "set-shifts":
        print(asyncio.run(shifts_cli.set_shifts(url, args.login, shifts_cli.document_from(args))))
        return 0
    if command == "backup":
        _backup(url, Path(args.out))
        print(f"{PROG}: wrote {args.out}")
        return 0
    fail(PROG, f"unknown command {command}")


if __name__ == "__main__":
    raise SystemExit(main())
