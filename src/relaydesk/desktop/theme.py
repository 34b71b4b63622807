"""Light and dark themes: a palette for the native widgets plus a small QSS for our own ones."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from relaydesk.desktop.resources import THEMES

_COLOURS = {
    "light": {
        "window": "#f4f5f7", "base": "#ffffff", "alt": "#eef0f3", "text": "#1d2330",
        "button": "#e8eaee", "highlight": "#3f6fd8", "bright": "#ffffff", "dim": "#7a8190",
    },
    "dark": {
        "window": "#1f2229", "base": "#272b33", "alt": "#2e333c", "text": "#e6e8ec",
        "button": "#323844", "highlight": "#5b8cff", "bright": "#ffffff", "dim": "#8a92a3",
    },
}


def resolve_theme(setting: str) -> str:
    """``system`` follows the OS colour scheme where Qt can tell, else light."""
    if setting in _COLOURS:
        return setting
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme is Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, setting: str) -> str:
    """Apply the theme to the whole app; returns the one applied (``light`` or ``dark``)."""
    name = resolve_theme(setting)
    c = _COLOURS[name]
    palette = QPalette()
    role = QPalette.ColorRole
    for r, key in (
        (role.Window, "window"), (role.Base, "base"), (role.AlternateBase, "alt"),
        (role.Text, "text"), (role.WindowText, "text"), (role.ButtonText, "text"),
        (role.Button, "button"), (role.Highlight, "highlight"),
        (role.HighlightedText, "bright"), (role.ToolTipBase, "base"), (role.ToolTipText, "text"),
        (role.PlaceholderText, "dim"),
    ):
        palette.setColor(r, QColor(c[key]))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(c["dim"]))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(c["dim"]))
    app.setStyle("Fusion")
    app.setPalette(palette)
    qss = THEMES / f"{name}.qss"
    app.setStyleSheet(qss.read_text(encoding="utf-8") if qss.exists() else "")
    return name
