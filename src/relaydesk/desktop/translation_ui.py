"""The translation panel under a chat: the agent writes in their language, the contact reads theirs.

A thin Qt adapter over ``relaydesk.translate``: the decisions (what to translate, the guard, the
back-translation check) live there. Typing is debounced into a live preview; Enter puts the
translation into the platform's input through the recipe's ``fill_compose`` command (sending
stays the agent's act); Ctrl+Enter puts the original there, after the guard's warning when the
contact reads another language (or never, when the guard blocks). Nothing typed is ever dropped:
a failed or offline translation keeps the draft and says why. The draft can be saved as a quick
reply; a quick reply inserted becomes the draft, previewed in the contact's language. Incoming
translations reach the page through ``show_translation``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.quick_replies import QuickRepliesDialog
from relaydesk.desktop.secrets import NoKeyringError, SecretStore, watch_secrets
from relaydesk.platforms.commands import fill_compose, press_send, show_translation
from relaydesk.platforms.events import Direction, Messages
from relaydesk.translate.engines import ENGINES_NEEDING_KEY, EngineKind
from relaydesk.translate.incoming import IncomingMessage, IncomingTranslator, MessageTranslation
from relaydesk.translate.outgoing import ComposeDraft, ComposeTranslator, GuardMode, QuickReplies

SendCommand = Callable[[str], None]


class KeyringKeys:
    """Translation keys from the OS keyring, named ``translate:<engine>`` (a ``KeyProvider``).

    A keyring read can take a while (Secret Service over D-Bus, a locked keychain asking for a
    password), and engines are built on the UI thread: ``prefetch()`` reads the keys on a worker
    thread at start, and keys saved or removed later (Settings → Keys and passwords) reach the
    cache from the thread that saved them. Engines without a key never touch the keyring."""

    KEYED = ENGINES_NEEDING_KEY | {EngineKind.LIBRE}  # a LibreTranslate server may want a key

    def __init__(self, secrets: SecretStore) -> None:
        self._secrets = secrets
        self._cache: dict[EngineKind, str | None] = {}
        watch_secrets(self._on_changed)

    def _read(self, engine: EngineKind) -> str | None:
        try:
            return self._secrets.get(f"translate:{engine}")
        except NoKeyringError:
            return None  # the engine then says its key is missing; Settings explains the keyring

    def prefetch(self) -> None:
        """Read every engine's key into the cache (call it off the UI thread)."""
        for engine in self.KEYED:
            self._cache[engine] = self._read(engine)

    def _on_changed(self, name: str, value: str | None) -> None:
        prefix, _, engine = name.partition(":")
        if prefix == "translate" and engine in {kind.value for kind in EngineKind}:
            self._cache[EngineKind(engine)] = value

    def key_for(self, engine: EngineKind) -> str | None:
        if engine not in self.KEYED:
            return None
        if engine not in self._cache:  # not prefetched (tests, or a key added by hand)
            self._cache[engine] = self._read(engine)
        return self._cache[engine]


def customer_messages(event: Messages) -> list[IncomingMessage]:
    """The customer's messages of a recipe ``messages`` event, newest first: the newest sit at
    the bottom of the chat, on screen, so their translations should arrive first."""
    return [
        IncomingMessage(message.key, message.text)
        for message in reversed(event.messages)
        if message.direction is Direction.IN and message.text.strip()
    ]


def incoming_to_page(send_command: SendCommand) -> Callable[[MessageTranslation], None]:
    """A listener that shows each incoming translation (or its mark) under its message."""

    def show(translation: MessageTranslation) -> None:
        send_command(show_translation(translation.key, translation.line))

    return show


class TranslationPanel(QWidget):
    """Compose in the agent's language, preview in the contact's, fill the platform's input."""

    preview_shown = Signal(str)
    compose_filled = Signal(str)
    chat_translation_on = Signal(str)  # contact id: translate its visible messages again
    chat_translation_off = Signal(str)  # contact id: the agent turned its translation off

    def __init__(
        self,
        compose: ComposeTranslator,
        send_command: SendCommand,
        *,
        incoming: IncomingTranslator | None = None,
        quick_replies: QuickReplies | None = None,
        debounce_ms: int = 350,
        auto_send: Callable[[], bool] = lambda: False,
        guard: Callable[[], GuardMode | None] = lambda: GuardMode.ASK,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._compose = compose
        self._auto_send = auto_send  # read at each Enter: the setting may change meanwhile
        self._guard = guard  # read at each Ctrl+Enter; None: the guard is off
        self._send_command = send_command
        self._incoming = incoming
        self._quick_replies = quick_replies or QuickReplies()
        self._contact_id: str | None = None
        self._contact_language: str | None = None
        self._preview_turn = 0
        self._confirm_original: str | None = None
        self._tasks: set[asyncio.Future[Any]] = set()

        self.draft = QPlainTextEdit(self)
        self.draft.setPlaceholderText(
            self.tr("Write in your language; Enter puts the translation in the chat")
        )
        self.draft.installEventFilter(self)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_translation = QLabel(self)
        self.back_translation.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("translationWarning")
        self.quick_reply_box = QComboBox(self)
        self.quick_reply_box.setPlaceholderText(self.tr("Quick replies"))
        self.quick_reply_box.activated.connect(self._insert_quick_reply)
        self.quick_reply_box.setToolTip(
            self.tr("Insert a quick reply: it is translated into the contact's language")
        )
        self.save_reply_button = QPushButton(self.tr("Save as quick reply"), self)
        self.save_reply_button.setToolTip(self.tr("Keep the draft as a quick reply"))
        self.save_reply_button.setEnabled(False)
        self.save_reply_button.clicked.connect(self.save_draft_as_quick_reply)
        self.edit_replies_button = QPushButton(self.tr("Edit quick replies…"), self)
        self.edit_replies_button.clicked.connect(self.edit_quick_replies)
        self.quick_replies_dialog: QuickRepliesDialog | None = None
        self.translate_chat = QCheckBox(self.tr("Translate this chat"), self)
        self.translate_chat.setChecked(True)
        self.translate_chat.toggled.connect(self._toggle_chat)
        self.back_check = QCheckBox(self.tr("Check by translating back"), self)
        self.back_check.setChecked(compose.back_translate)
        self.back_check.toggled.connect(self._toggle_back_translation)
        self.retry_button = QPushButton(self.tr("Retry failed translations"), self)
        self.retry_button.clicked.connect(self.retry_failed)

        row = QHBoxLayout()
        row.addWidget(self.translate_chat)
        row.addWidget(self.back_check)
        row.addStretch(1)
        row.addWidget(self.retry_button)
        replies_row = QHBoxLayout()
        replies_row.addWidget(self.quick_reply_box, 1)
        replies_row.addWidget(self.save_reply_button)
        replies_row.addWidget(self.edit_replies_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(replies_row)
        layout.addWidget(self.draft)
        layout.addWidget(self.preview)
        layout.addWidget(self.back_translation)
        layout.addWidget(self.warning)
        self._refresh_quick_replies()
        if incoming is not None:
            incoming.language_learned.append(self.contact_language_learned)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._start_preview)
        self.draft.textChanged.connect(self._draft_changed)

    # -- the chat the panel writes to ------------------------------------------------------

    def set_send_command(self, send_command: SendCommand) -> None:
        """Write to another page (the agent switched accounts)."""
        self._send_command = send_command

    def set_translators(
        self, compose: ComposeTranslator, incoming: IncomingTranslator | None
    ) -> None:
        """Translate with other translators (the chat's engine is another one)."""
        if incoming is not self._incoming:
            if self._incoming is not None:
                listeners = self._incoming.language_learned
                if self.contact_language_learned in listeners:
                    listeners.remove(self.contact_language_learned)
            if incoming is not None:
                incoming.language_learned.append(self.contact_language_learned)
            self._incoming = incoming
        compose.back_translate = self.back_check.isChecked()
        self._compose = compose

    def set_contact(self, contact_id: str, language: str | None) -> None:
        """Switch to a chat; its contact reads ``language`` (None: not known yet)."""
        self._contact_id = contact_id
        self._contact_language = language
        self._confirm_original = None
        if self._incoming is not None:
            self.translate_chat.blockSignals(True)  # showing the chat's state is not a change
            self.translate_chat.setChecked(self._incoming.toggles.enabled(contact_id))
            self.translate_chat.blockSignals(False)
        self._draft_changed()

    def contact_language_learned(self, contact_id: str, language: str) -> None:
        """The contact's language became known: preview in it if it is the open chat."""
        if contact_id == self._contact_id and language != self._contact_language:
            self._contact_language = language
            self._draft_changed()

    @property
    def contact_language(self) -> str | None:
        return self._contact_language

    # -- typing and the preview ------------------------------------------------------------

    def _draft_changed(self) -> None:
        self._confirm_original = None
        self.warning.clear()
        self.save_reply_button.setEnabled(bool(self.draft.toPlainText().strip()))
        self._debounce.start()

    def _start_preview(self) -> None:
        self._preview_turn += 1
        self._run(self._show_preview(self.draft.toPlainText(), self._preview_turn))

    async def _show_preview(self, text: str, turn: int) -> None:
        draft = await self._compose.preview(text, self._contact_language)
        if turn != self._preview_turn:
            return  # the agent kept typing; a newer preview is on its way
        self._show_draft(draft)

    def _show_draft(self, draft: ComposeDraft) -> None:
        self.preview.setText(draft.to_send if draft.translated else "")
        self.back_translation.setText(
            self.tr("Back: {text}").format(text=draft.back_translation)
            if draft.back_translation
            else ""
        )
        self.warning.setText("\n".join(draft.warnings))
        self.preview_shown.emit(self.preview.text())

    # -- Enter and Ctrl+Enter --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.draft and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                modifiers = event.modifiers()
                if modifiers & Qt.KeyboardModifier.ShiftModifier:
                    return False  # a new line in the draft
                if modifiers & Qt.KeyboardModifier.ControlModifier:
                    self.put_original()
                else:
                    self.put_translation()
                return True
        return super().eventFilter(watched, event)

    def put_translation(self) -> None:
        """Enter: the translation goes into the platform's input (the original if not needed)."""
        text = self.draft.toPlainText()
        if text.strip():
            self._debounce.stop()
            self._run(self._put_translation(text))

    async def _put_translation(self, text: str) -> None:
        draft = await self._compose.preview(text, self._contact_language)
        self._show_draft(draft)
        needs_translation = self._contact_language not in (None, self._compose.agent_language)
        if needs_translation and not draft.translated:
            self.warning.setText(
                "\n".join(draft.warnings)
                + "\n"
                + self.tr("Nothing was put in the chat. Ctrl+Enter puts your original text there.")
            )
            return  # the draft stays as typed: never lost
        self._fill(draft.to_send)
        if self._auto_send():
            self._send_command(press_send())

    def put_original(self) -> None:
        """Ctrl+Enter: the original text goes in; the guard asks once when it looks like a slip."""
        text = self.draft.toPlainText()
        if not text.strip():
            return
        self._debounce.stop()
        self._preview_turn += 1  # a preview still on its way must not clear the guard's words
        if self._confirm_original == text:
            self._fill(text)
            return
        self._run(self._put_original(text))

    async def _put_original(self, text: str) -> None:
        mode = self._guard()
        language = self._contact_language
        warning = None if mode is None else await self._compose.check_original(text, language)
        if warning is None:
            self._fill(text)
            return
        if mode is GuardMode.BLOCK:
            self.warning.setText(
                warning
                + "\n"
                + self.tr(
                    "The guard blocks it: Enter puts the translation in (Settings can change this)."
                )
            )
            return
        self._confirm_original = text
        self.warning.setText(warning + "\n" + self.tr("Press Ctrl+Enter again to send it as is."))

    def _fill(self, text: str) -> None:
        self._send_command(fill_compose(text))
        self.compose_filled.emit(text)
        self.draft.blockSignals(True)
        self.draft.clear()
        self.draft.blockSignals(False)
        self.save_reply_button.setEnabled(False)
        self.preview.clear()
        self.back_translation.clear()
        self.warning.clear()
        self._confirm_original = None
        self._preview_turn += 1

    # -- quick replies, the per-chat toggle, retries ----------------------------------------

    def _refresh_quick_replies(self) -> None:
        self.quick_reply_box.clear()
        self.quick_reply_box.addItems(list(self._quick_replies.matching("")))
        self.quick_reply_box.setCurrentIndex(-1)

    def add_quick_reply(self, text: str) -> None:
        self._quick_replies.add(text)
        self._quick_replies_changed()

    def set_quick_replies(self, replies: QuickReplies) -> None:
        """Offer ``replies`` (loaded from the agent's file)."""
        self._quick_replies = replies
        self._quick_replies_changed()

    @property
    def quick_replies(self) -> QuickReplies:
        return self._quick_replies

    def save_draft_as_quick_reply(self) -> None:
        """Save as quick reply: the draft, as typed in the agent's language, becomes one."""
        text = self.draft.toPlainText().strip()
        if not text:
            return
        added = self._quick_replies.add(text)
        self._quick_replies_changed()
        self.warning.setText(
            self.tr("Saved as a quick reply.") if added else self.tr("Already a quick reply.")
        )

    def edit_quick_replies(self) -> None:
        """Open the list of quick replies to edit or delete them (the panel stays usable)."""
        if self.quick_replies_dialog is None:
            dialog = QuickRepliesDialog(self._quick_replies, self)
            dialog.changed.connect(self._refresh_quick_replies)
            dialog.finished.connect(lambda _result: setattr(self, "quick_replies_dialog", None))
            dialog.finished.connect(dialog.deleteLater)
            self.quick_replies_dialog = dialog
        self.quick_replies_dialog.show()  # not modal: a blocked window could not be quit
        self.quick_replies_dialog.raise_()
        self.quick_replies_dialog.activateWindow()

    def _quick_replies_changed(self) -> None:
        self._refresh_quick_replies()
        if self.quick_replies_dialog is not None:
            self.quick_replies_dialog.replies = self._quick_replies
            self.quick_replies_dialog.refresh()

    def _insert_quick_reply(self, index: int) -> None:
        reply = self.quick_reply_box.itemText(index)
        self.quick_reply_box.setCurrentIndex(-1)
        if reply:
            self.draft.setPlainText(reply)  # the preview follows through the debounce

    def set_back_translation(self, enabled: bool) -> None:
        """Check translations by translating them back, or not (the setting changed)."""
        self.back_check.setChecked(enabled)

    def _toggle_back_translation(self, enabled: bool) -> None:
        self._compose.back_translate = enabled
        if not enabled:
            self.back_translation.clear()
        self._draft_changed()

    def _toggle_chat(self, enabled: bool) -> None:
        if self._incoming is None or self._contact_id is None:
            return
        if enabled:
            self._incoming.toggles.set(self._contact_id, True)
            self.chat_translation_on.emit(self._contact_id)  # the window re-sends visible messages
            return
        show = incoming_to_page(self._send_command)
        for removal in self._incoming.hide(self._contact_id):
            show(removal)
        self.chat_translation_off.emit(self._contact_id)

    def retry_failed(self) -> None:
        """Translate again the messages of this chat that show a retry mark."""
        if self._incoming is not None and self._contact_id is not None:
            self._run(self._incoming.retry(self._contact_id, incoming_to_page(self._send_command)))

    # -- running work without blocking the UI -----------------------------------------------

    def _run(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def pending(self) -> bool:
        """True while a preview or a fill is still on its way (tests and shutdown wait on it)."""
        return bool(self._tasks) or self._debounce.isActive()
