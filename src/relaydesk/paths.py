"""Where Relaydesk keeps its files on each OS (platformdirs), in one place.

``RELAYDESK_HOME`` moves everything under one folder: the demo, the tests and a second app
instance on one machine use it to stay apart from the user's real data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Relaydesk"
APP_AUTHOR = "Relaydesk"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data: Path  # databases, web profiles, backups
    config: Path  # settings.json
    logs: Path
    cache: Path

    @property
    def profiles(self) -> Path:
        """One folder per account's web profile (cookies, storage, cache never shared)."""
        return self.data / "profiles"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    def ensure(self) -> AppPaths:
        for folder in (self.data, self.config, self.logs, self.cache, self.profiles, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def app_paths(home: str | os.PathLike[str] | None = None) -> AppPaths:
    """The folders for this user; ``home`` (or ``RELAYDESK_HOME``) puts them all under one root."""
    root = home if home is not None else os.environ.get("RELAYDESK_HOME")
    if root:
        base = Path(root).expanduser()
        return AppPaths(base / "data", base / "config", base / "logs", base / "cache")
    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
    )
