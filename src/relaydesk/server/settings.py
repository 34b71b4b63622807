"""The team server's settings, declared once as data and read through one object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def default_database_url() -> str:
    """A SQLite file under the user's data dir (or under ``RELAYDESK_HOME`` for isolated runs)."""
    home = os.environ.get("RELAYDESK_HOME")
    data = (
        Path(home).expanduser() / "data"
        if home
        else Path(platformdirs.user_data_dir("Relaydesk", "Relaydesk"))
    )
    data.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{data / 'relaydesk-server.db'}"


def normalize_database_url(value: str) -> str:
    """Accept a file path or a SQLAlchemy URL; plain PostgreSQL URLs get the asyncpg driver."""
    if "://" not in value:
        return f"sqlite+aiosqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + value.split("://", 1)[1]
    return value


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything the app factory needs; the CLI builds one from its flags."""

    database_url: str
    # Requests larger than this are refused with 413 before they are parsed.
    max_body_bytes: int = 1_000_000
    # Failed logins allowed per login and per address inside ``login_window_s`` before slowing down.
    login_failures_allowed: int = 5
    login_window_s: float = 900.0
    # Start the deadline scheduler with the app (tests of pure HTTP paths may turn it off).
    run_scheduler: bool = True
    # How many events one POST /v1/events may carry.
    max_events_per_request: int = 500
    # The volume-anomaly check: how often (0 turns it off), and the zone whose weekdays and
    # hours the usual intake is counted in (docs/anomalies.md).
    anomaly_check_s: float = 60.0
    anomaly_timezone: str = "UTC"

    def __post_init__(self) -> None:
        if not self.anomaly_check_s >= 0:  # also refuses NaN
            raise ValueError(
                f"the anomaly check interval must be 0 or more seconds, got {self.anomaly_check_s}"
            )
        try:
            ZoneInfo(self.anomaly_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {self.anomaly_timezone!r} for the anomaly check "
                "(an IANA name such as Europe/Madrid or Asia/Shanghai)"
            ) from None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
