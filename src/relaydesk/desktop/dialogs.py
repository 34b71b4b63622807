"""Small dialogs: add an account, the first-run welcome, find an account or contact."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.accounts import AccountError, check_spellcheck_language
from relaydesk.desktop.recipes import WEB_PLATFORM, PlatformChoice
from relaydesk.desktop.resources import platform_pixmap
from relaydesk.desktop.search import FindItem, find

# Offered for spellcheck; any other dictionary name can be typed (its .bdic must be installed).
SPELLCHECK_LANGUAGES = (
    "en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "pt-BR", "it-IT", "nl-NL", "pl-PL", "ru-RU",
    "tr-TR", "id-ID", "vi-VN",
)


def spellcheck_combo(current: str, parent: QWidget) -> QComboBox:
    """An editable list of dictionary names, with "Off" (empty) first."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.addItem(QCoreApplication.translate("AddAccountDialog", "Off"), "")
    for code in SPELLCHECK_LANGUAGES:
        combo.addItem(code, code)
    index = combo.findData(current)
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setEditText(current)
    return combo


def spellcheck_choice(combo: QComboBox) -> str:
    """The dictionary name chosen or typed; empty for off."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    return str(combo.itemData(index)) if index >= 0 else text


class AddAccountDialog(QDialog):
    """Platform, name, optional address (plain web pages), whether a team shares it, and the
    spellcheck language."""

    def __init__(self, platforms: list[PlatformChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an account"))
        self.platforms = platforms
        self.platform = QComboBox(self)
        for choice in platforms:
            name = self.tr("Web page") if choice.id == WEB_PLATFORM else choice.name
            self.platform.addItem(QIcon(platform_pixmap(choice.icon)), name, choice.id)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Sales WhatsApp"))
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://")
        self.team = QCheckBox(self.tr("A team account, open on several workstations"), self)
        self.spellcheck = spellcheck_combo("en-US", self)
        form = QFormLayout()
        form.addRow(self.tr("Platform"), self.platform)
        form.addRow(self.tr("Name"), self.name)
        self.url_label = QLabel(self.tr("Address"), self)
        form.addRow(self.url_label, self.url)
        form.addRow(self.tr("Spellcheck"), self.spellcheck)
        form.addRow("", self.team)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.platform.currentIndexChanged.connect(self._platform_changed)
        self._platform_changed()

    def _platform_changed(self) -> None:
        plain = self.platform.currentData() == WEB_PLATFORM
        self.url_label.setText(self.tr("Address") if plain else self.tr("Address (optional)"))

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Please give the account a name."))
            return
        if self.platform.currentData() == WEB_PLATFORM and not self.url.text().strip():
            self.error.setText(self.tr("A web page account needs an address."))
            return
        try:
            check_spellcheck_language(spellcheck_choice(self.spellcheck))
        except AccountError as exc:
            self.error.setText(exc.translated())
            return
        self.accept()

    def values(self) -> tuple[str, str, str, bool]:
        """(platform id, name, url override, team account)."""
        return (
            str(self.platform.currentData()),
            self.name.text().strip(),
            self.url.text().strip(),
            self.team.isChecked(),
        )

    def spellcheck_language(self) -> str:
        """The dictionary name for the new account; empty: no spellcheck."""
        return spellcheck_choice(self.spellcheck)


class WelcomeDialog(QDialog):
    """The first run explains the app in three steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Relaydesk"))
        self.setMinimumSize(520, 260)
        steps = [
            (
                self.tr("1. Add your accounts"),
                self.tr(
                    "Each WhatsApp, Telegram, Messenger, Instagram or LINE login becomes a tab "
                    "with its own private storage, so accounts never mix."
                ),
            ),
            (
                self.tr("2. Watch the badges"),
                self.tr(
                    "Every tab shows its unread messages (muted chats apart) and whether the page "
                    "is healthy. The tray icon shows the total; desktop notifications open "
                    "the chat."
                ),
            ),
            (
                self.tr("3. Work without switching apps"),
                self.tr(
                    "Ctrl+1…9 jump between accounts, Ctrl+F finds an account or a contact, F5 "
                    "reloads. Idle accounts sleep to save memory and wake when you click them."
                ),
            ),
        ]
        self.pages = QStackedWidget(self)
        for title, text in steps:
            page = QWidget(self.pages)
            heading = QLabel(title, page)
            heading.setObjectName("welcomeTitle")
            body = QLabel(text, page)
            body.setWordWrap(True)
            column = QVBoxLayout(page)
            column.addWidget(heading)
            column.addWidget(body, 1, Qt.AlignmentFlag.AlignTop)
            self.pages.addWidget(page)
        self.back = QPushButton(self.tr("Back"), self)
        self.next = QPushButton(self.tr("Next"), self)
        self.back.clicked.connect(lambda: self._go(-1))
        self.next.clicked.connect(lambda: self._go(+1))
        self.next.setDefault(True)
        buttons = QHBoxLayout()  # Back then Next on every platform, as a step-by-step tour reads
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._go(0)

    def _go(self, step: int) -> None:
        index = self.pages.currentIndex() + step
        if index >= self.pages.count():
            self.accept()
            return
        self.pages.setCurrentIndex(max(0, index))
        last = self.pages.currentIndex() == self.pages.count() - 1
        self.back.setEnabled(self.pages.currentIndex() > 0)
        self.next.setText(self.tr("Start") if last else self.tr("Next"))


class FindDialog(QDialog):
    """Type a few letters of an account or a contact; Enter opens the first match."""

    def __init__(self, items: list[FindItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find an account or contact"))
        self.resize(420, 360)
        self.items = items
        self.chosen: FindItem | None = None
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Account or contact name"))
        self.results = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        self.query.textChanged.connect(self._refresh)
        self.query.returnPressed.connect(self._choose_first)
        self.results.itemActivated.connect(self._choose)
        self._refresh("")

    def _refresh(self, text: str) -> None:
        self.results.clear()
        for item in find(self.items, text):
            shown = item.label if item.is_account else "  " + item.label
            row = QListWidgetItem(shown, self.results)
            row.setData(Qt.ItemDataRole.UserRole, item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _choose_first(self) -> None:
        row = self.results.currentItem()
        if row is not None:
            self._choose(row)

    def _choose(self, row: QListWidgetItem) -> None:
        self.chosen = row.data(Qt.ItemDataRole.UserRole)
        self.accept()
