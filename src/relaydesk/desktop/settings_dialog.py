"""The one settings dialog, built from the declarations in ``settings.py``.

A setting added there appears here with the right editor (check box, number, list or text) and
its description; nothing about individual settings is written in this file except their
translations, which lupdate must see as literal strings.

"Keys and passwords" edits the secrets of ``secrets.SECRET_FIELDS``: each goes straight to the OS
keyring (Save / Remove, on a worker thread), never into settings.json, and the dialog shows only
whether one is set, never its value.
"""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.secrets import (
    NO_KEYRING_MESSAGE,
    SECRET_FIELDS,
    NoKeyringError,
    SecretStore,
    translated,
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
        "Always draw pages without the graphics card (automatic when there is none; on restart)",
    ),
    QT_TRANSLATE_NOOP("AppSettings", "Show no desktop notifications"),
    QT_TRANSLATE_NOOP("AppSettings", "Your own language (translations go into it)"),
    QT_TRANSLATE_NOOP("AppSettings", "Default translation engine"),
    QT_TRANSLATE_NOOP("AppSettings", "LibreTranslate server URL, for the self-hosted engine"),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Send the translated reply at once instead of filling the input"
    ),
    QT_TRANSLATE_NOOP(
        "AppSettings",
        "Guard against putting text in your own language in a chat whose contact reads another",
    ),
    QT_TRANSLATE_NOOP("AppSettings", "What the guard does with such text (Ctrl+Enter)"),
    QT_TRANSLATE_NOOP(
        "AppSettings",
        "Check translations by translating them back (the panel's check box starts this way)",
    ),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Languages that detection chooses from, as ISO 639-1 codes (on restart)"
    ),
    QT_TRANSLATE_NOOP("AppSettings", "When the intake counter's day starts (HH:MM)"),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Count a contact once per account, across all your accounts, or team-wide"
    ),
    QT_TRANSLATE_NOOP(
        "AppSettings", "Warn when today's intake is on pace to pass this many contacts (0: off)"
    ),
    QT_TRANSLATE_NOOP("AppSettings", "Holding replies"),
    QT_TRANSLATE_NOOP(
        "AppSettings",
        "On accounts with auto-send on, send the holding reply when the expected wait is at "
        "least this many minutes",
    ),
    QT_TRANSLATE_NOOP("AppSettings", "Team server address (empty: work alone)"),
    QT_TRANSLATE_NOOP("AppSettings", "Your login on the team server"),
)

# Choices shown by their own name in every language.
_NATIVE_CHOICES = {
    "en": "English",
    "zh_CN": "简体中文",
    "google": "Google",
    "mymemory": "MyMemory",
    "deepl": "DeepL",
    "microsoft": "Microsoft",
    "libre": "LibreTranslate",
}
# The label of every other choice, translated.
_CHOICE_LABELS: dict[str, str] = {
    "system": str(QT_TRANSLATE_NOOP("AppSettings", "System")),
    "light": str(QT_TRANSLATE_NOOP("AppSettings", "Light")),
    "dark": str(QT_TRANSLATE_NOOP("AppSettings", "Dark")),
    "account": str(QT_TRANSLATE_NOOP("AppSettings", "Per account")),
    "all_accounts": str(QT_TRANSLATE_NOOP("AppSettings", "Across all my accounts")),
    "team": str(QT_TRANSLATE_NOOP("AppSettings", "Team-wide")),
    "llm": str(QT_TRANSLATE_NOOP("AppSettings", "Large language model (LLM)")),
    "ask": str(QT_TRANSLATE_NOOP("AppSettings", "Warn and ask again")),
    "block": str(QT_TRANSLATE_NOOP("AppSettings", "Block it")),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class SettingsDialog(QDialog):
    """Edit every declared setting; ``result_settings`` holds the accepted values."""

    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        secrets: SecretStore | None = None,
    ) -> None:
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
        self.secrets = SecretsBox(secrets if secrets is not None else SecretStore(), body)
        column.addWidget(self.secrets)
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
                label = _NATIVE_CHOICES.get(choice) or tr(_CHOICE_LABELS.get(choice, str(choice)))
                combo.addItem(label, choice)
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


class _KeyringWorker(QObject):
    """Runs keyring calls on a worker thread and hands the outcome back on the UI thread."""

    finished = Signal(object, object)  # callback, result (or the NoKeyringError raised)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.finished.connect(self._deliver)  # a method of a UI-thread object: queued there

    def _deliver(self, done: Callable[[object], None], result: object) -> None:
        done(result)

    def run(self, call: Callable[[], object], done: Callable[[object], None]) -> None:
        def work() -> None:
            try:
                result: object = call()
            except NoKeyringError as exc:
                result = exc
            try:
                self.finished.emit(done, result)
            except RuntimeError:
                pass  # the dialog was closed meanwhile: nobody to tell

        threading.Thread(target=work, name="keyring", daemon=True).start()


class SecretsBox(QGroupBox):
    """Keys and passwords: type one and Save stores it in the OS keyring; the box shows only
    whether each is set. Without a keyring it says so and offers nothing to type into."""

    def __init__(self, store: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Keys and passwords"), parent)
        self.store = store
        self.worker = _KeyringWorker(self)
        self.inputs: dict[str, QLineEdit] = {}
        self.states: dict[str, QLabel] = {}
        self.save_buttons: dict[str, QPushButton] = {}
        self.remove_buttons: dict[str, QPushButton] = {}
        self.notice = QLabel(self.tr("Checking the system keyring…"), self)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("settingHelp")
        grid = QGridLayout()
        for row, secret in enumerate(SECRET_FIELDS):
            label = QLabel(translated(secret.label), self)
            label.setToolTip(translated(secret.description))
            entry = QLineEdit(self)
            entry.setEchoMode(QLineEdit.EchoMode.Password)
            entry.setToolTip(translated(secret.description))
            state = QLabel(self)
            state.setObjectName("secretState")
            save = QPushButton(self.tr("Save"), self)
            remove = QPushButton(self.tr("Remove"), self)
            save.clicked.connect(lambda _=False, n=secret.name: self.save(n))
            entry.returnPressed.connect(lambda n=secret.name: self.save(n))
            remove.clicked.connect(lambda _=False, n=secret.name: self.remove(n))
            for column, widget in enumerate((label, entry, state, save, remove)):
                grid.addWidget(widget, row, column)
            self.inputs[secret.name] = entry
            self.states[secret.name] = state
            self.save_buttons[secret.name] = save
            self.remove_buttons[secret.name] = remove
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(grid)
        self._set_enabled(False)
        self.worker.run(self._read_states, self._show_states)

    # -- on the worker thread --------------------------------------------------------------
    def _read_states(self) -> dict[str, bool]:
        if not self.store.available:
            raise NoKeyringError(NO_KEYRING_MESSAGE)
        return {secret.name: self.store.is_set(secret.name) for secret in SECRET_FIELDS}

    # -- on the UI thread ------------------------------------------------------------------
    def _set_enabled(self, on: bool) -> None:
        for widgets in (self.inputs, self.save_buttons, self.remove_buttons):
            for widget in widgets.values():
                widget.setEnabled(on)

    def _show_states(self, result: object) -> None:
        if isinstance(result, NoKeyringError):
            self.notice.setText(result.translated())
            self.notice.setObjectName("secretProblem")
            self.notice.setStyleSheet("color: #c62828")
            for state in self.states.values():
                state.setText(self.tr("Not available"))
            self._set_enabled(False)
            return
        assert isinstance(result, dict)
        self.notice.setText(
            self.tr("Stored only in the system keyring, never in a file. Values are not shown.")
        )
        self.notice.setStyleSheet("")
        self._set_enabled(True)
        for name, is_set in result.items():
            self._show_state(name, bool(is_set))

    def _show_state(self, name: str, is_set: bool) -> None:
        self.states[name].setText(self.tr("Set") if is_set else self.tr("Not set"))
        self.inputs[name].setPlaceholderText(
            self.tr("Type a new value to replace it") if is_set else ""
        )
        self.remove_buttons[name].setEnabled(is_set)

    def save(self, name: str) -> None:
        value = self.inputs[name].text()
        if not value:
            return
        self.inputs[name].clear()  # the value leaves the widget at once
        self.states[name].setText(self.tr("Saving…"))

        def store() -> dict[str, bool]:
            self.store.set(name, value)
            return {name: self.store.is_set(name)}

        self.worker.run(store, self._after_change)

    def remove(self, name: str) -> None:
        self.states[name].setText(self.tr("Removing…"))

        def forget() -> dict[str, bool]:
            self.store.delete(name)
            return {name: self.store.is_set(name)}

        self.worker.run(forget, self._after_change)

    def _after_change(self, result: object) -> None:
        if isinstance(result, NoKeyringError):
            self._show_states(result)
            return
        assert isinstance(result, dict)
        for name, is_set in result.items():
            self._show_state(name, bool(is_set))
