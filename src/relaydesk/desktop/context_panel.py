"""The side panel for the active chat: who this customer is, across all my accounts.

``ContactCardPanel`` only shows a ``ContactCard`` and turns the agent's clicks into signals
(tag, note, edit note, VIP, close); ``ContextPanelController`` connects those signals to the
store through ``AsyncStore`` and re-reads the card, so no click waits on disk.

``chat_services.ChatServices`` docks it in the main window and calls ``show_chat`` whenever the
current tab's open chat changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relaydesk.store.async_store import AsyncStore
from relaydesk.store.repository import Store
from relaydesk.store.views import ContactCard

NOTE_ID = Qt.ItemDataRole.UserRole
# Engine names as the agent knows them (keys: relaydesk.translate.engines.EngineKind values).
ENGINE_NAMES = {
    "google": "Google",
    "mymemory": "MyMemory",
    "deepl": "DeepL",
    "microsoft": "Microsoft",
    "libre": "LibreTranslate",
    "llm": "LLM (ChatGPT)",
}


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ContactCardPanel(QWidget):
    """Shows one contact card; every action is a signal carrying the contact id."""

    tag_requested = Signal(int, str)
    note_requested = Signal(int, str)
    note_edited = Signal(int, str)  # note id, new text ("" deletes)
    vip_requested = Signal(int, bool)
    close_requested = Signal(int)
    engine_requested = Signal(int, str)  # contact id, engine kind ("": the account's engine)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        account_name: Callable[[str], str] = str,  # account id -> the name the agent gave it
    ) -> None:
        super().__init__(parent)
        self.account_name = account_name
        self.card: ContactCard | None = None
        self.empty = QLabel(self.tr("No customer selected"), self)
        self.details = QWidget(self)
        self.name = QLabel(self.details)
        self.name.setObjectName("contactName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        rows = (
            ("handle", self.tr("Handle")),
            ("language", self.tr("Language")),
            ("tags", self.tr("Tags")),
            ("value", self.tr("Value")),
            ("first_seen", self.tr("First seen")),
            ("last_seen", self.tr("Last seen")),
            ("previous_agent", self.tr("Previous agent")),
            ("accounts", self.tr("Accounts")),
        )
        for key, title in rows:
            label = QLabel(self.details)
            label.setWordWrap(True)
            self.fields[key] = label
            form.addRow(title, label)

        self.vip = QPushButton(self.tr("VIP"), self.details)
        self.vip.setCheckable(True)
        self.close_button = QPushButton(self.tr("Close conversation"), self.details)
        actions = QHBoxLayout()
        actions.addWidget(self.vip)
        actions.addWidget(self.close_button)
        self.extra_actions = QVBoxLayout()  # actions other parts add (holding.py's reply)
        self.engine = QComboBox(self.details)
        self.engine.setToolTip(self.tr("Translation engine for this customer"))
        self.engine.addItem(self.tr("Account's translation engine"), "")
        for kind in ENGINE_NAMES:
            self.engine.addItem(ENGINE_NAMES[kind], kind)
        form.addRow(self.tr("Translation"), self.engine)

        self.tag_input = QLineEdit(self.details)
        self.tag_input.setPlaceholderText(self.tr("Add a tag"))
        self.notes = QListWidget(self.details)
        self.note_input = QLineEdit(self.details)
        self.note_input.setPlaceholderText(self.tr("Add a note and press Enter"))
        self.history = QListWidget(self.details)

        layout = QVBoxLayout(self.details)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addLayout(self.extra_actions)
        layout.addWidget(self.tag_input)
        layout.addWidget(QLabel(self.tr("Notes (double-click to edit)"), self.details))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.note_input)
        layout.addWidget(QLabel(self.tr("Recent history, all accounts"), self.details))
        layout.addWidget(self.history, 2)
        outer = QVBoxLayout(self)
        outer.addWidget(self.empty)
        outer.addWidget(self.details)

        self.vip.clicked.connect(self._vip_clicked)
        self.close_button.clicked.connect(self._close_clicked)
        self.tag_input.returnPressed.connect(self._tag_entered)
        self.note_input.returnPressed.connect(self._note_entered)
        self.notes.itemChanged.connect(self._note_changed)
        self.engine.activated.connect(self._engine_chosen)
        self.show_card(None)

    def show_card(self, card: ContactCard | None) -> None:
        """Show ``card`` (None: no customer selected)."""
        self.card = card
        self.empty.setVisible(card is None)
        self.details.setVisible(card is not None)
        if card is None:
            return
        unknown = self.tr("unknown")
        self.name.setText(card.name or card.handle)
        self.fields["handle"].setText(card.handle)
        self.fields["language"].setText(card.language or unknown)
        self.fields["tags"].setText(", ".join(card.tags) or self.tr("none"))
        value = "" if card.value is None else f"{card.value:g}"
        self.fields["value"].setText(
            " · ".join(p for p in (value, card.segment or "") if p) or unknown
        )
        self.fields["first_seen"].setText(_when(card.first_seen))
        self.fields["last_seen"].setText(_when(card.last_seen))
        self.fields["previous_agent"].setText(card.previous_agent or self.tr("none known"))
        self.fields["accounts"].setText(", ".join(self.account_name(a) for a in card.accounts))
        self.vip.setChecked(card.vip)
        self.engine.setCurrentIndex(max(0, self.engine.findData(card.translation_engine or "")))
        self.close_button.setEnabled(card.open_conversation)

        self.notes.blockSignals(True)
        self.notes.clear()
        for note in card.notes:
            item = QListWidgetItem(note.text)
            item.setData(NOTE_ID, note.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.notes.addItem(item)
        self.notes.blockSignals(False)

        self.history.clear()
        for line in card.history:
            arrow = "→" if line.direction == "in" else "←"
            account = self.account_name(line.account_id)
            self.history.addItem(f"{_when(line.sent_at)} [{account}] {arrow} {line.text}")
        self.history.scrollToBottom()

    # ---- the agent's actions, as signals --------------------------------------------------

    def _vip_clicked(self, checked: bool) -> None:
        if self.card is not None:
            self.vip_requested.emit(self.card.contact_id, checked)

    def _engine_chosen(self, index: int) -> None:
        if self.card is not None:
            self.engine_requested.emit(self.card.contact_id, str(self.engine.itemData(index)))

    def _close_clicked(self) -> None:
        if self.card is not None:
            self.close_requested.emit(self.card.contact_id)

    def _tag_entered(self) -> None:
        name = self.tag_input.text().strip()
        if self.card is not None and name:
            self.tag_requested.emit(self.card.contact_id, name)
            self.tag_input.clear()

    def _note_entered(self) -> None:
        text = self.note_input.text().strip()
        if self.card is not None and text:
            self.note_requested.emit(self.card.contact_id, text)
            self.note_input.clear()

    def _note_changed(self, item: QListWidgetItem) -> None:
        self.note_edited.emit(int(item.data(NOTE_ID)), item.text().strip())


class ContextPanelController:
    """Keeps a ``ContactCardPanel`` on the active chat's contact, reading and writing the store
    on its worker thread (needs a running asyncio loop: qasync in the app)."""

    def __init__(self, panel: ContactCardPanel, store: AsyncStore) -> None:
        self.panel = panel
        self.store = store
        self.contact_id: int | None = None
        self.failures: list[str] = []  # last errors, for the status bar
        self._tasks: set[asyncio.Task[None]] = set()
        panel.tag_requested.connect(lambda cid, name: self._change(lambda s: s.tag(cid, name)))
        panel.note_requested.connect(
            lambda cid, text: self._change(lambda s: s.add_note(cid, text))
        )
        panel.note_edited.connect(lambda nid, text: self._change(lambda s: s.edit_note(nid, text)))
        panel.vip_requested.connect(
            lambda cid, vip: self._change(lambda s: s.update_contact(cid, vip=vip))
        )
        panel.close_requested.connect(lambda cid: self._change(lambda s: s.close_conversation(cid)))
        panel.engine_requested.connect(
            lambda cid, kind: self._change(
                lambda s: s.update_contact(cid, translation_engine=kind or None)
            )
        )

    def show_chat(self, account_id: str, handle: str) -> asyncio.Task[None]:
        """Show the card of the contact behind the active chat (empty if not seen yet)."""
        return self._spawn(self._show_chat(account_id, handle))

    def show_contact(self, contact_id: int | None) -> asyncio.Task[None]:
        """Show the card of a contact already looked up (None: no customer selected)."""
        self.contact_id = contact_id
        return self._spawn(self.refresh())

    async def _show_chat(self, account_id: str, handle: str) -> None:
        self.contact_id = await self.store.call(Store.find_contact, account_id, handle)
        await self.refresh()

    async def refresh(self) -> None:
        if self.contact_id is None:
            self.panel.show_card(None)
            return
        wanted = self.contact_id
        try:
            card = await self.store.call(Store.contact_card, wanted)
        except Exception as error:  # e.g. merged into another contact meanwhile
            self.failures.append(str(error))
            return
        if wanted == self.contact_id:  # not another chat's card arriving late
            self.panel.show_card(card)

    def _change(self, work: Callable[[Store], object]) -> asyncio.Task[None]:
        return self._spawn(self._apply(work))

    async def _apply(self, work: Callable[[Store], object]) -> None:
        try:
            await self.store.run(work)
        except Exception as error:  # a store refusal is shown, never raised into Qt
            self.failures.append(str(error))
        await self.refresh()

    def _spawn(self, work: Coroutine[object, object, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
