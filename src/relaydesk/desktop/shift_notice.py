"""The notice before a shift ends: what will be handed over, with a visible "keep" choice for
each conversation (sent to the team server at once, ``POST /v1/conversations/{id}/keep``).

The server pushes the notice ``shift_notice_s`` before the end (a ``warning`` of kind
``shift_ending``); team mode opens this dialog from it. Nothing here decides: a box ticked is
a request, and the box follows the server's answer (unticked again, with the reason, when it
was refused). What is said is built from the push's values (``shift_end``, the conversations
and whether each is kept) in the UI language and on the workstation's clock; the push's own
English sentence is not shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from relaydesk.sync.client import TeamClient
from relaydesk.sync.errors import ActionRefused, SyncError
from relaydesk.sync.shifts import NoticeItem, ShiftNotice, ShiftsApi, notice_from

# lupdate finds texts written as translate("Context", "literal").
translate = QCoreApplication.translate


def ends_at(at: float, now: float) -> str:
    """The shift's end on the workstation's clock: "17:00", "00:05 tomorrow", else the date."""
    when = datetime.fromtimestamp(at).astimezone()
    days = (when.date() - datetime.fromtimestamp(now).astimezone().date()).days
    if days == 0:
        return when.strftime("%H:%M")
    if days == 1:
        return translate("ShiftNotice", "%1 tomorrow").replace("%1", when.strftime("%H:%M"))
    return when.strftime("%Y-%m-%d %H:%M")


def notice_text(notice: ShiftNotice, now: float) -> str:
    """One line for the note bar, from the notice's values (not the server's sentence)."""
    moving = sum(1 for item in notice.items if not item.kept)
    return (
        translate("ShiftNotice", "Your shift ends at %1: %2 of your %3 open conversations "
                  "go to a colleague then, unless you keep them.")
        .replace("%1", ends_at(notice.shift_end, now))
        .replace("%2", str(moving))
        .replace("%3", str(len(notice.items)))
    )  # fmt: skip


def shift_notice_text(raw: Any, now: float | None = None) -> str | None:
    """For a pushed ``shift_ending`` warning, :func:`notice_text`; None for any other push."""
    notice = notice_from(raw) if isinstance(raw, dict) else None
    if notice is None:
        return None
    return notice_text(notice, time.time() if now is None else now)


class ShiftNoticeDialog(QDialog):
    """Non-modal: the agent keeps working while it is open. ``answered`` after each keep call."""

    answered = Signal(str, bool)  # conversation id, kept (as the server has it)

    def __init__(self, notice: ShiftNotice, api: ShiftsApi, now: float,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("shiftNotice")
        self.setModal(False)
        self.api = api
        self.notice = notice
        self.kept: dict[str, bool] = {i.conversation_id: i.kept for i in notice.items}
        self.boxes: dict[str, QCheckBox] = {}
        self._tasks: set[asyncio.Future[None]] = set()
        self.setWindowTitle(self.tr("Your shift is ending"))
        column = QVBoxLayout(self)
        heading = QLabel(
            self.tr("Your shift ends at %1. These conversations go to a colleague on shift "
                    "then, with your notes, unless you keep them:")
            .replace("%1", ends_at(notice.shift_end, now)),
            self,
        )  # fmt: skip
        heading.setWordWrap(True)
        column.addWidget(heading)
        # The boxes scroll: an agent may hold more conversations than a screen is tall.
        boxes = QWidget(self)
        box_column = QVBoxLayout(boxes)
        box_column.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("shiftNoticeItems")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(boxes)
        column.addWidget(scroll, 1)
        for item in notice.items:
            box = QCheckBox(self._label(item), boxes)
            box.setObjectName(f"keep-{item.conversation_id}")
            box.setChecked(item.kept)
            box.toggled.connect(self._toggled(item.conversation_id))
            self.boxes[item.conversation_id] = box
            box_column.addWidget(box)
        box_column.addStretch(1)
        # Room for the sentence on a few lines and up to about twelve boxes before scrolling.
        scroll.setMinimumHeight(
            min(len(notice.items), 12) * box_column.spacing()
            + sum(b.sizeHint().height() for b in list(self.boxes.values())[:12])
        )
        self.setMinimumWidth(440)
        self.status = QLabel(self)
        self.status.setObjectName("shiftNoticeStatus")
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        column.addWidget(buttons)

    def _label(self, item: NoticeItem) -> str:
        who = item.contact_handle or item.conversation_id
        text = self.tr("Keep %1").replace("%1", who)
        return f"{text} ({item.label})" if item.label else text

    def _toggled(self, conversation_id: str) -> Callable[[bool], None]:
        def toggled(checked: bool) -> None:
            if checked == self.kept.get(conversation_id):
                return  # the box following the server's answer
            task = asyncio.ensure_future(self.keep(conversation_id, checked))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        return toggled

    async def keep(self, conversation_id: str, keep: bool) -> None:
        """Ask the server; the box shows what it answered."""
        try:
            kept = await self.api.keep(conversation_id, keep)
        except ActionRefused as error:
            kept = self.kept.get(conversation_id, False)
            self.status.setText(error.server_message)
        except SyncError as error:
            kept = self.kept.get(conversation_id, False)
            self.status.setText(str(error))
        else:
            self.status.setText(
                self.tr("Kept: stays with you after your shift.")
                if kept
                else self.tr("Will be handed over at the end of your shift.")
            )
        self.kept[conversation_id] = kept
        self.boxes[conversation_id].setChecked(kept)
        self.answered.emit(conversation_id, kept)


def show_shift_notice(notice: ShiftNotice, api: ShiftsApi, now: float,
                      parent: Any = None) -> ShiftNoticeDialog:  # fmt: skip
    """Open the notice (non-modal) and return it; the caller keeps the reference."""
    dialog = ShiftNoticeDialog(notice, api, now, parent)
    dialog.show()
    return dialog


def open_shift_notice(raw: Any, client: TeamClient | None, parent: Any = None,
                      now: float | None = None) -> ShiftNoticeDialog | None:  # fmt: skip
    """From a pushed message: the notice opened when it is a shift-ending warning, else None."""
    notice = notice_from(raw) if isinstance(raw, dict) else None
    if notice is None or client is None:
        return None
    return show_shift_notice(notice, ShiftsApi(client), time.time() if now is None else now, parent)
