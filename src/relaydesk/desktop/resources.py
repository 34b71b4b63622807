"""Where the desktop's shipped files are (icons, themes, translations), and icon loading.

They are found in the installed package first and the source tree second (``relaydesk.shipped``).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from relaydesk.desktop.badges import Health
from relaydesk.shipped import shipped_dir

RESOURCES = shipped_dir("resources")
ICONS = RESOURCES / "icons"
THEMES = RESOURCES / "desktop"
TRANSLATIONS = shipped_dir("translations")

_HEALTH_COLOURS = {
    Health.OK: "#2e7d32",
    Health.DEGRADED: "#f9a825",
    Health.CRASHED: "#c62828",
    Health.UNRESPONSIVE: "#c62828",
}


def platform_pixmap(icon: str, size: int = 32) -> QPixmap:
    path = ICONS / f"{icon}.svg"
    if not path.exists():
        path = ICONS / "web.svg"
    return QIcon(str(path)).pixmap(size, size)


def account_icon(icon: str, health: Health, asleep: bool) -> QIcon:
    """The platform icon with a health dot (none while unknown) and faded while asleep."""
    size = 32
    base = platform_pixmap(icon, size)
    canvas = QPixmap(size, size)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(0.45 if asleep else 1.0)
    painter.drawPixmap(0, 0, base)
    painter.setOpacity(1.0)
    colour = _HEALTH_COLOURS.get(health)
    if colour:
        painter.setPen(QColor("#ffffff"))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(QRectF(size - 13, size - 13, 12, 12))
    painter.end()
    return QIcon(canvas)


def tray_icon(total_unread: int) -> QIcon:
    """The app icon with the total unread count in a red disc."""
    size = 64
    canvas = QPixmap(size, size)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawPixmap(0, 0, QIcon(str(ICONS / "relaydesk.svg")).pixmap(size, size))
    if total_unread:
        painter.setBrush(QColor("#d32f2f"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(size - 38, 0, 38, 38))
        painter.setPen(QColor("#ffffff"))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(20 if total_unread < 100 else 14)
        painter.setFont(font)
        text = str(total_unread) if total_unread < 1000 else "999+"
        painter.drawText(QRectF(size - 38, 0, 38, 38), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(canvas)
