"""Daily rolling backups of the store file, made with SQLite's online backup API.

One file per day (``store-YYYY-MM-DD.db``) in the data dir's ``backups`` folder; the newest
``keep`` are kept. The backup API copies a consistent snapshot while the app keeps writing, and
the copy is written to a temporary name first, so a crash mid-backup never leaves a half file
that looks like a backup.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

_NAME = re.compile(r"^store-(\d{4}-\d{2}-\d{2})\.db$")


class Backups:
    """The backups folder: make today's backup if missing, prune old ones, list newest first."""

    def __init__(self, folder: Path, keep: int = 7) -> None:
        if keep < 1:
            raise ValueError(f"keep must be at least 1 backup, got {keep}")
        self.folder = folder
        self.keep = keep

    def newest_first(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        found = [path for path in self.folder.iterdir() if _NAME.match(path.name)]
        return sorted(found, key=lambda path: path.name, reverse=True)

    def path_for(self, day: date) -> Path:
        return self.folder / f"store-{day.isoformat()}.db"

    def make_if_due(self, store_file: Path, today: date) -> Path | None:
        """Back ``store_file`` up unless today's backup exists; returns the new backup's path."""
        target = self.path_for(today)
        if target.exists() or not store_file.exists():
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        source = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        partial.replace(target)
        self.prune()
        return target

    def prune(self) -> list[Path]:
        """Delete all but the newest ``keep`` backups; returns what was deleted."""
        old = self.newest_first()[self.keep :]
        for path in old:
            path.unlink(missing_ok=True)
        return old
