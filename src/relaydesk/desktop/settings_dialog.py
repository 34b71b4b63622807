"""The one settings dialog, built from the declarations in ``settings.py``.

A setting added there appears here with the right editor (check box, number, list or text) and
its description; nothing about individual settings is written in this file except their
translations, which lupdate must see as literal strings.
"""

from __future__ import annotations

import typing
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.settings import (
    AppSettings,
    SettingsError,
    choices,
    describe,
    validated,
)

CONTEXT = "AppSettings"

# Every section, description and choice of settings.py, so that lupdate extracts them.
# tests/desktop/test_translations.py fails if settings.py gains a text missing here.
_TEXTS = (
    QT_TRANSLATE_NOOP("AppSettings", "Appearance"),
    QT_TRANSLATE_NOOP("AppSettings", "Performance"),
    QT_TRANSLATE_NOOP("AppSettings", "Notifications"),
    QT_TRANSLATE_NOOP("AppSettings", "Translation"),
    QT_TRANSLATE_NOOP("AppSettings", "Intake"),
    QT_TRANSLATE_NOOP("AppSettings", "Team"),
    QT_TRANSLATE_NOOP("AppSettings", "Language of the app's menus and dialogs"),
    QT_TRANSLATE_NOOP("AppSettings", "Light or dark theme"),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Freeze an account's page after this many idle minutes (0: never)"
    ),
    QT_TRANSLATE_NOOP(
        "AppSettings",
        "Discard hibernated pages entirely to save more memory (reload on return)",
    ),
    QT_TRANSLATE_NOOP(
        "AppSettings",
        "Draw pages without the graphics card (smoother on computers without one; on restart)",
    ),
    QT_TRANSLATE_NOOP("AppSettings", "Show no desktop notifications"),
    QT_TRANSLATE_NOOP("AppSettings", "Your own language (translations go into it)"),
    QT_TRANSLATE_NOOP("AppSettings", "Default translation engine"),
    QT_TRANSLATE_NOOP("AppSettings", "LibreTranslate server URL, for the self-hosted engine"),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Send the translated reply at once instead of filling the input"
    ),
    QT_TRANSLATE_NOOP("AppSettings", "When the intake counter's day starts (HH:MM)"),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Count a contact once per account, across all your accounts, or team-wide"
    ),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Warn when today's intake is on pace to pass this many contacts (0: off)"
    ),
    QT_TRANSLATE_NOOP("AppSettings", "Team server address (empty: work alone)"),
    QT_TRANSLATE_NOOP("AppSettings", "Your login on the team server"),
    QT_TRANSLATE_NOOP("AppSettings", "system"),
    QT_TRANSLATE_NOOP("AppSettings", "light"),
    QT_TRANSLATE_NOOP("AppSettings", "dark"),
    QT_TRANSLATE_NOOP("AppSettings", "account"),
    QT_TRANSLATE_NOOP("AppSettings", "all_accounts"),
    QT_TRANSLATE_NOOP("AppSettings", "team"),
)

# Choices shown by their own name in every language.
_NATIVE_CHOICES = {"en": "English", "zh_CN": "简体中文"}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class SettingsDialog(QDialog):
    """Edit every declared setting; ``result_settings`` holds the accepted values."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.resize(620, 560)
        self.original = settings
        self.result_settings = settings
        self.editors: dict[str, QWidget] = {}
        hints = typing.get_type_hints(AppSettings)
        limits = {f: AppSettings.__dataclass_fields__[f].metadata for f in hints}
        body = QWidget(self)
        column = QVBoxLayout(body)
        groups: dict[str, QFormLayout] = {}
        for name, section, description, _default in describe():
            if section not in groups:
                box = QGroupBox(tr(section), body)
                groups[section] = QFormLayout(box)
                column.addWidget(box)
            editor = self._editor(name, hints[name], getattr(settings, name), limits[name], body)
            self.editors[name] = editor
            label = QLabel(tr(description), body)
            label.setWordWrap(True)
            label.setObjectName("settingHelp")
            groups[section].addRow(label)
            groups[section].addRow(editor)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _editor(
        self, name: str, hint: Any, value: Any, meta: Any, parent: QWidget
    ) -> QWidget:
        allowed = choices(name)
        if allowed:
            combo = QComboBox(parent)
            for choice in allowed:
                combo.addItem(_NATIVE_CHOICES.get(choice) or tr(choice), choice)
            combo.setCurrentIndex(allowed.index(value))
            return combo
        if hint is bool:
            box = QCheckBox(parent)
            box.setChecked(value)
            return box
        if hint is int:
            spin = QSpinBox(parent)
            spin.setRange(meta.get("minimum", 0), meta.get("maximum", 1_000_000))
            spin.setValue(value)
            return spin
        line = QLineEdit(str(value), parent)
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                out[name] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[name] = editor.value()
            elif isinstance(editor, QLineEdit):
                out[name] = editor.text().strip()
        return out

    def _accept(self) -> None:
        try:
            self.result_settings = validated(self.original, **self.values())
        except SettingsError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
