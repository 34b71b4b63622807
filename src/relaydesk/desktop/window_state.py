"""The window's layout between runs (geometry, current account) and first-run flags, as JSON."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path


@dataclass(slots=True)
class WindowState:
    geometry: str = ""  # base64 of QWidget.saveGeometry()
    state: str = ""  # base64 of QMainWindow.saveState()
    current_account: str = ""
    welcomed: bool = False

    @classmethod
    def load(cls, path: Path) -> WindowState:
        """The saved state, or a fresh one when the file is missing or damaged."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        if not isinstance(raw, dict):
            return cls()
        values = {k: v for k, v in raw.items() if k in known}
        try:
            return cls(**values)
        except TypeError:
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".window-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(asdict(self), out, indent=2)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
