"""The unread pill at the right of a tab: direct count in red, muted count apart in grey.

A sleeping account's pill turns grey with a ``~`` (its counts are from before it slept).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from relaydesk.desktop.badges import Badge


class BadgePill(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.direct = QLabel(self)
        self.direct.setObjectName("badgeDirect")
        self.muted = QLabel(self)
        self.muted.setObjectName("badgeMuted")
        for label in (self.direct, self.muted):
            label.setFixedHeight(16)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.direct)
        layout.addWidget(self.muted)
        self._shown: Badge | None = None
        self.show_badge(Badge())

    def show_badge(self, badge: Badge) -> None:
        """Show ``badge``; the same badge again changes nothing (no restyle, no repaint)."""
        if badge == self._shown:
            return
        self._shown = badge
        mark = "" if badge.live else "~"
        self.direct.setText(f"{mark}{badge.direct}" if badge.direct else "")
        self.direct.setVisible(badge.direct > 0)
        self.direct.setProperty("live", badge.live)
        self.muted.setText(f"{mark}{badge.muted}" if badge.muted else "")
        self.muted.setVisible(badge.muted > 0)
        for label in (self.direct, self.muted):
            label.style().unpolish(label)
            label.style().polish(label)
        self.setVisible(badge.direct > 0 or badge.muted > 0)
        self.adjustSize()

    @property
    def text(self) -> str:
        """What the pill says, as a person reads it (tests and accessibility)."""
        parts = [label.text() for label in (self.direct, self.muted) if label.isVisibleTo(self)]
        return " ".join(parts)
