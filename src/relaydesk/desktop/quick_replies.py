"""Quick replies on the desktop: kept in ``quick_replies.json`` off the UI thread, edited here.

The replies themselves (``relaydesk.translate.outgoing.QuickReplies``) are plain Python; this
module reads the file and writes every change on one worker thread of its own (in order, each
write atomic), and shows the list for editing: double-click or F2 edits a reply in place, Delete
removes the selected one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relaydesk.translate.outgoing import QuickReplies, QuickRepliesError, write_quick_replies

FILE_NAME = "quick_replies.json"


class QuickReplyFile:
    """Loads the replies and keeps each change on disk, never on the UI thread.

    ``tell`` shows the agent a problem (an unreadable file, set aside; a write that failed).
    """

    def __init__(self, path: Path, tell: Callable[[str], None]) -> None:
        self.path = path
        self._tell = tell
        # A thread of its own: writes keep their order, and it ends with the app (qasync's
        # default executor runs QThreads, which abort the process when alive at exit).
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="quick-replies")
        self._writes: set[asyncio.Future[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None  # the UI's, where writes report

    async def load(self) -> QuickReplies:
        """The saved replies, each change of which is then written by this object."""
        loop = self._loop = asyncio.get_running_loop()
        try:
            replies = await loop.run_in_executor(self._pool, QuickReplies.load, self.path)
        except QuickRepliesError as error:
            aside = await loop.run_in_executor(self._pool, self._set_aside)
            self._tell(
                QCoreApplication.translate(
                    "QuickReplies",
                    "Your quick replies could not be read (%1). The file was kept as %2.",
                )
                .replace("%1", str(error))
                .replace("%2", str(aside))
            )
            replies = QuickReplies(path=self.path)
        replies.keep = self.keep
        return replies

    def _set_aside(self) -> Path:
        aside = self.path.with_name(self.path.name + ".unreadable")
        os.replace(self.path, aside)
        return aside

    def keep(self, replies: list[str]) -> None:
        """Write ``replies`` on the worker thread (called on the UI thread at each change)."""
        assert self._loop is not None, "keep() follows load()"
        write = self._loop.run_in_executor(self._pool, write_quick_replies, self.path, replies)
        self._writes.add(write)
        write.add_done_callback(self._written)

    def _written(self, write: asyncio.Future[None]) -> None:
        self._writes.discard(write)
        if not write.cancelled() and write.exception() is not None:
            self._tell(
                QCoreApplication.translate(
                    "QuickReplies", "A quick reply could not be saved: %1"
                ).replace("%1", str(write.exception()))
            )

    async def flush(self) -> None:
        """Wait until every change so far is on disk."""
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._writes, return_exceptions=True)

    async def close(self) -> None:
        await self.flush()
        self._pool.shutdown(wait=True)


class QuickRepliesDialog(QDialog):
    """The agent's quick replies: edit one in place, delete one; ``changed`` after each change."""

    changed = Signal()

    def __init__(self, replies: QuickReplies, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quick replies"))
        self.resize(460, 360)
        self.replies = replies
        self._shown: list[str] = []
        hint = QLabel(
            self.tr(
                "Written in your language; each is translated for the contact when you insert "
                "it. Double-click or F2 edits a reply, Delete removes it."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.itemChanged.connect(self._edited)
        self.list.installEventFilter(self)
        self.empty = QLabel(
            self.tr("No quick replies yet: write one in the translation panel and save it."), self
        )
        self.empty.setWordWrap(True)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Show the replies as they are now."""
        self.list.blockSignals(True)
        self.list.clear()
        self._shown = list(self.replies.replies)
        for reply in self._shown:
            item = QListWidgetItem(reply, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.blockSignals(False)
        if self._shown:
            self.list.setCurrentRow(0)
        self.empty.setVisible(not self._shown)
        self.delete_button.setEnabled(bool(self._shown))

    def _edited(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        old = self._shown[row]
        new = item.text().strip()
        if new and new != old:
            self.replies.edit(old, new)
            self.changed.emit()
        self.refresh()  # an emptied reply comes back as it was; a merged one disappears
        self.list.setCurrentRow(min(row, self.list.count() - 1))

    def delete_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._shown):
            self.replies.remove(self._shown[row])
            self.changed.emit()
            self.refresh()
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Delete and self.list.state() != (
                QAbstractItemView.State.EditingState
            ):
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)
