"""The desktop's log file: what escapes to the top lands there, and it rotates."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

from relaydesk.desktop.logs import LOG_NAME


def test_an_uncaught_exception_is_written_to_the_log(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from relaydesk.desktop.logs import setup_logging;"
        f"setup_logging(Path({str(tmp_path)!r}));"
        "import logging; logging.getLogger('relaydesk.window').warning('page %s failed', 'wa1');"
        "raise RuntimeError('boom')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert "RuntimeError: boom" in done.stderr  # still shown to whoever started it
    log = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "WARNING relaydesk.window: page wa1 failed" in log
    assert "CRITICAL relaydesk: uncaught" in log and "RuntimeError: boom" in log


def test_the_log_rotates_instead_of_growing(tmp_path: Path) -> None:
    from relaydesk.desktop import logs

    root = logging.getLogger()
    before = list(root.handlers)
    hooks = (sys.excepthook, threading.excepthook)
    try:
        logs.setup_logging(tmp_path)
        handler = next(h for h in root.handlers if h not in before)
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUPS
        line = "x" * 1000
        for _ in range(logs.MAX_BYTES // 1000 + 10):
            logging.getLogger("relaydesk.test").warning(line)
        assert (tmp_path / f"{LOG_NAME}.1").is_file()
        assert (tmp_path / LOG_NAME).stat().st_size <= logs.MAX_BYTES
    finally:
        for h in root.handlers:
            if h not in before:
                root.removeHandler(h)
                h.close()
        sys.excepthook, threading.excepthook = hooks
