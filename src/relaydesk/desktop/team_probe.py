"""A test hook, off unless ``RELAYDESK_TEAM_PROBE`` names a file: team mode then appends one JSON
line per thing an agent would see or the sync did (signed in, connection state, events
recorded with their ids, pushes with their seq and server times, ownership verdicts, banners,
tab marks, notifications). The end-to-end test (tests/e2e) reads it from two app processes.

Nothing reads this file in normal use; without the variable every ``write`` is a no-op.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

PROBE_VARIABLE = "RELAYDESK_TEAM_PROBE"


class Probe:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: set[str] = set()

    @classmethod
    def from_environment(cls) -> Probe:
        value = os.environ.get(PROBE_VARIABLE, "").strip()
        return cls(Path(value) if value else None)

    def write(self, kind: str, *, once: bool = False, **fields: Any) -> None:
        """Append ``{"kind", "t", **fields}``; ``once`` skips a line identical to an earlier one."""
        if self.path is None:
            return
        body = json.dumps({"kind": kind, **fields}, sort_keys=True, default=str)
        if once:
            if body in self._seen:
                return
            self._seen.add(body)
        line = json.dumps({"kind": kind, "t": time.time(), **fields}, default=str)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
            out.flush()
