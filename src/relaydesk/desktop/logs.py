"""The desktop app's log file: ``relaydesk.log`` in the per-user log folder, rotated.

Warnings and errors of every part, Qt's own warnings and any exception that escaped to the top
go there, so a support request can attach one file (README: where it lives on each OS).
"""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "relaydesk.log"
MAX_BYTES = 2_000_000
BACKUPS = 4  # relaydesk.log.1 … .4: at most 10 MB in all
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Send the app's logs to ``folder/relaydesk.log`` (and uncaught exceptions with them)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    previous = sys.excepthook

    def log_uncaught(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            logging.getLogger("relaydesk").critical("uncaught", exc_info=(kind, error, trace))
        previous(kind, error, trace)

    sys.excepthook = log_uncaught
    threading.excepthook = lambda args: logging.getLogger("relaydesk").critical(
        "uncaught in thread %s",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )
    return path


def forward_qt_messages() -> None:
    """Qt's warnings (a page that failed, a missing plugin) into the same log."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt.log(levels.get(kind, logging.WARNING), "%s", message)
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(message, file=sys.stderr)  # still on the terminal for whoever started it

    qInstallMessageHandler(handler)
