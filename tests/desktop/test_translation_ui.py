"""The translation panel under Xvfb: real keys, real LibreTranslator on loopback, qasync loop."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from relaydesk.desktop.translation_ui import TranslationPanel
from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.engines import DeepTranslatorEngine, EngineChoice, EngineKind
from relaydesk.translate.incoming import IncomingMessage, IncomingTranslator
from relaydesk.translate.outgoing import ComposeTranslator
from relaydesk.translate.resolver import MemoryContactLanguages
from relaydesk.translate.service import TranslationService

pytestmark = pytest.mark.qt

DETECTION = LanguageDetection(["en", "zh", "es", "ar"])


def _server_module() -> ModuleType:
    name = "relaydesk_test_libre_server"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "translate" / "libre_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def translator() -> Iterator[Any]:
    with _server_module().running_translator() as running:
        yield running


class Page:
    """Stands in for the recipe: records the commands the panel sends to the platform page."""

    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []

    def __call__(self, command: str) -> None:
        self.commands.append(json.loads(command))


@pytest.fixture
def panel(qtbot: Any, loop: asyncio.AbstractEventLoop, translator: Any) -> Iterator[Any]:
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=translator.url))
    service = TranslationService(engine, timeout=3)
    page = Page()
    incoming = IncomingTranslator(service, DETECTION, MemoryContactLanguages(), "en")
    widget = TranslationPanel(
        ComposeTranslator(service, DETECTION, "en", back_translate=True),
        page,
        incoming=incoming,
        debounce_ms=50,
    )
    qtbot.addWidget(widget)
    widget.show()
    widget.set_contact("c1", "es")
    widget.page = page
    widget.incoming = incoming
    yield widget
    service.close()


def _until(
    loop: asyncio.AbstractEventLoop, condition: Callable[[], bool], seconds: float = 5
) -> None:
    async def wait() -> None:
        for _ in range(int(seconds / 0.02)):
            if condition():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the panel did not get there in time")

    loop.run_until_complete(wait())


def test_typing_shows_a_debounced_preview(panel: Any, qtbot: Any, loop: Any) -> None:
    qtbot.keyClicks(panel.draft, "thank you")
    _until(loop, lambda: panel.preview.text() == "gracias")
    assert "thank you" in panel.back_translation.text()
    assert panel.page.commands == []  # nothing reaches the chat while typing


def test_enter_fills_the_platform_input_with_the_translation(
    panel: Any, qtbot: Any, loop: Any
) -> None:
    qtbot.keyClicks(panel.draft, "good morning")
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
    _until(loop, lambda: bool(panel.page.commands))
    assert panel.page.commands == [{"command": "compose", "text": "buenos días"}]
    assert panel.draft.toPlainText() == ""


def test_shift_enter_is_a_new_line(panel: Any, qtbot: Any, loop: Any) -> None:
    qtbot.keyClicks(panel.draft, "hello")
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    _until(loop, lambda: not panel.pending())
    assert panel.draft.toPlainText() == "hello\n" and panel.page.commands == []


def test_ctrl_enter_sends_the_original_after_the_guard(panel: Any, qtbot: Any, loop: Any) -> None:
    text = "Your parcel left the warehouse today"
    qtbot.keyClicks(panel.draft, text)
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _until(loop, lambda: "again" in panel.warning.text())
    assert panel.page.commands == []
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _until(loop, lambda: bool(panel.page.commands))
    assert panel.page.commands == [{"command": "compose", "text": text}]


def test_failed_translation_keeps_the_draft(
    panel: Any, qtbot: Any, loop: Any, translator: Any
) -> None:
    translator.behaviour.fail_texts = {"where is it"}
    qtbot.keyClicks(panel.draft, "where is it")
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
    _until(loop, lambda: "Nothing was put in the chat" in panel.warning.text())
    assert panel.draft.toPlainText() == "where is it"
    assert panel.page.commands == []


def test_quick_reply_is_translated_when_inserted(panel: Any, qtbot: Any, loop: Any) -> None:
    panel.add_quick_reply("thank you")
    panel.quick_reply_box.activated.emit(0)
    _until(loop, lambda: panel.preview.text() == "gracias")
    assert panel.draft.toPlainText() == "thank you"


def test_incoming_translations_and_retry_reach_the_page(
    panel: Any, loop: Any, translator: Any
) -> None:
    from relaydesk.desktop.translation_ui import incoming_to_page

    translator.behaviour.fail_texts = {"谢谢"}
    messages = [IncomingMessage("m1", "谢谢"), IncomingMessage("m2", "Necesito ayuda")]
    loop.run_until_complete(
        panel.incoming.translate_visible("c1", messages, incoming_to_page(panel.page))
    )
    shown = {c["key"]: c["text"] for c in panel.page.commands}
    assert shown["m1"].startswith("↻") and shown["m2"].startswith("⟦en⟧ Necesito ayuda")
    translator.behaviour.fail_texts = set()
    panel.retry_button.click()
    _until(loop, lambda: panel.page.commands[-1]["text"].startswith("thank you"))
    assert panel.page.commands[-1]["key"] == "m1"


def test_turning_translation_off_clears_the_lines_on_the_page(panel: Any, loop: Any) -> None:
    from relaydesk.desktop.translation_ui import incoming_to_page

    loop.run_until_complete(
        panel.incoming.translate_visible(
            "c1", [IncomingMessage("m1", "谢谢")], incoming_to_page(panel.page)
        )
    )
    panel.translate_chat.setChecked(False)
    assert panel.page.commands[-1] == {"command": "translation", "key": "m1", "text": ""}


def test_translation_toggle_is_per_chat(panel: Any) -> None:
    panel.translate_chat.setChecked(False)
    assert not panel.incoming.toggles.enabled("c1")
    panel.set_contact("c2", "zh")
    assert panel.translate_chat.isChecked()
    panel.set_contact("c1", "es")
    assert not panel.translate_chat.isChecked()


def test_keys_come_from_the_keyring_by_engine_name() -> None:
    from keyring.backend import KeyringBackend

    from relaydesk.desktop.secrets import SecretStore
    from relaydesk.desktop.translation_ui import KeyringKeys

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.saved: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.saved.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.saved[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.saved.pop((service, username), None)

    secrets = SecretStore(MemoryKeyring())
    secrets.set("translate:deepl", "deepl-key")
    keys = KeyringKeys(secrets)
    assert keys.key_for(EngineKind.DEEPL) == "deepl-key"
    assert keys.key_for(EngineKind.MICROSOFT) is None


def test_only_customer_messages_are_translated_newest_first() -> None:
    from relaydesk.desktop.translation_ui import customer_messages
    from relaydesk.platforms.events import Direction, Message, Messages

    event = Messages(
        chat="chat-1",
        messages=(
            Message("a", Direction.IN, "你好", "09:00"),
            Message("b", Direction.OUT, "Hello!", "09:01"),
            Message("c", Direction.IN, "我的订单在哪里", "09:02"),
            Message("d", Direction.IN, "  ", "09:03"),
        ),
    )
    assert [m.key for m in customer_messages(event)] == ["c", "a"]


def test_back_translation_can_be_turned_off(panel: Any, qtbot: Any, loop: Any) -> None:
    qtbot.keyClicks(panel.draft, "thank you")
    _until(loop, lambda: "thank you" in panel.back_translation.text())
    panel.back_check.setChecked(False)
    _until(loop, lambda: not panel.pending())
    assert panel.back_translation.text() == "" and panel.preview.text() == "gracias"


def test_preview_follows_a_newly_learned_contact_language(
    panel: Any, qtbot: Any, loop: Any
) -> None:
    from relaydesk.desktop.translation_ui import incoming_to_page

    panel.set_contact("c7", None)
    qtbot.keyClicks(panel.draft, "thank you")
    _until(loop, lambda: not panel.pending())
    assert panel.preview.text() == ""  # language unknown: nothing to translate into yet
    loop.run_until_complete(
        panel.incoming.translate_visible(
            "c7", [IncomingMessage("m1", "我的订单在哪里")], incoming_to_page(panel.page)
        )
    )
    _until(loop, lambda: panel.preview.text() == "谢谢")
    assert panel.contact_language == "zh"


def _guarded_panel(qtbot: Any, translator: Any, guard: Callable[[], Any]) -> Any:
    engine = DeepTranslatorEngine(EngineChoice(EngineKind.LIBRE, url=translator.url))
    service = TranslationService(engine, timeout=3)
    page = Page()
    widget = TranslationPanel(
        ComposeTranslator(service, DETECTION, "en"), page, debounce_ms=50, guard=guard
    )
    qtbot.addWidget(widget)
    widget.show()
    widget.set_contact("c1", "es")
    widget.page = page
    widget.service = service
    return widget


def test_a_blocking_guard_never_lets_the_original_in(
    qtbot: Any, loop: Any, translator: Any
) -> None:
    from relaydesk.translate.outgoing import GuardMode

    panel = _guarded_panel(qtbot, translator, lambda: GuardMode.BLOCK)
    try:
        qtbot.keyClicks(panel.draft, "Your parcel left the warehouse today")
        for _ in range(2):  # asking again changes nothing
            qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            _until(loop, lambda: "blocks" in panel.warning.text())
            _until(loop, lambda: not panel.pending())
        assert panel.page.commands == []
        assert panel.draft.toPlainText() == "Your parcel left the warehouse today"
        qtbot.keyClick(panel.draft, Qt.Key.Key_Return)  # the translation still goes in
        _until(loop, lambda: bool(panel.page.commands))
        assert panel.page.commands[0]["command"] == "compose"
        assert panel.page.commands[0]["text"] != "Your parcel left the warehouse today"
    finally:
        panel.service.close()


def test_with_the_guard_off_ctrl_enter_puts_the_original_at_once(
    qtbot: Any, loop: Any, translator: Any
) -> None:
    panel = _guarded_panel(qtbot, translator, lambda: None)
    try:
        qtbot.keyClicks(panel.draft, "Your parcel left the warehouse today")
        qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        _until(loop, lambda: bool(panel.page.commands))
        assert panel.page.commands == [
            {"command": "compose", "text": "Your parcel left the warehouse today"}
        ]
    finally:
        panel.service.close()


@pytest.fixture
def reply_file(tmp_path: Path, loop: asyncio.AbstractEventLoop) -> Iterator[Any]:
    from relaydesk.desktop.quick_replies import QuickReplyFile

    told: list[str] = []
    made = QuickReplyFile(tmp_path / "config" / "quick_replies.json", told.append)
    made.told = told
    yield made
    loop.run_until_complete(made.close())


def _choose_in_combo(qtbot: Any, combo: Any, text: str) -> None:
    """Open the list with the mouse and click the entry ``text``."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    # The popup ignores a release that comes within a double-click of its opening (a press
    # that opened it and let go over an entry): a person's second click comes later.
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    row = combo.findText(text)
    assert row >= 0, f"{text!r} is not offered"
    spot = view.visualRect(view.model().index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)


def test_a_draft_saved_as_quick_reply_is_kept_and_inserted_translated(
    panel: Any, qtbot: Any, loop: Any, reply_file: Any
) -> None:
    panel.set_quick_replies(loop.run_until_complete(reply_file.load()))
    assert not panel.save_reply_button.isEnabled()  # nothing typed, nothing to save
    qtbot.keyClicks(panel.draft, "thank you")
    qtbot.mouseClick(panel.save_reply_button, Qt.MouseButton.LeftButton)
    assert "Saved as a quick reply" in panel.warning.text()
    loop.run_until_complete(reply_file.flush())
    assert json.loads(reply_file.path.read_text(encoding="utf-8")) == ["thank you"]
    qtbot.mouseClick(panel.save_reply_button, Qt.MouseButton.LeftButton)
    assert "Already" in panel.warning.text()

    qtbot.keyClick(panel.draft, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.draft, Qt.Key.Key_Delete)
    _until(loop, lambda: not panel.pending())
    assert panel.draft.toPlainText() == ""
    _choose_in_combo(qtbot, panel.quick_reply_box, "thank you")
    assert panel.draft.toPlainText() == "thank you"  # in the agent's language...
    _until(loop, lambda: panel.preview.text() == "gracias")  # ...previewed in the contact's
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
    _until(loop, lambda: bool(panel.page.commands))
    assert panel.page.commands == [{"command": "compose", "text": "gracias"}]


def test_quick_replies_survive_a_restart(
    tmp_path: Path, loop: asyncio.AbstractEventLoop, reply_file: Any
) -> None:
    from relaydesk.desktop.quick_replies import QuickReplyFile

    replies = loop.run_until_complete(reply_file.load())
    for text in ("Your order has shipped", "谢谢您的耐心", "One moment please"):
        replies.add(text)
    replies.remove("One moment please")
    loop.run_until_complete(reply_file.close())
    again = QuickReplyFile(reply_file.path, reply_file.told.append)
    try:
        assert loop.run_until_complete(again.load()).replies == [
            "Your order has shipped",
            "谢谢您的耐心",
        ]
    finally:
        loop.run_until_complete(again.close())
    assert reply_file.told == []
    # Every write went through a temporary file next to it, none is left behind.
    assert sorted(p.name for p in reply_file.path.parent.iterdir()) == ["quick_replies.json"]


def test_quick_replies_are_written_off_the_ui_thread(
    loop: asyncio.AbstractEventLoop, reply_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from relaydesk.desktop import quick_replies

    writers: list[str] = []
    real = quick_replies.write_quick_replies

    def recording(path: Path, replies: list[str]) -> None:
        writers.append(threading.current_thread().name)
        real(path, replies)

    monkeypatch.setattr(quick_replies, "write_quick_replies", recording)
    replies = loop.run_until_complete(reply_file.load())
    replies.add("hello")
    loop.run_until_complete(reply_file.flush())
    assert writers and all(name.startswith("quick-replies") for name in writers)
    assert threading.current_thread().name not in writers


def test_an_unreadable_quick_replies_file_is_set_aside_and_told(
    loop: asyncio.AbstractEventLoop, reply_file: Any
) -> None:
    reply_file.path.parent.mkdir(parents=True)
    reply_file.path.write_text("{broken", encoding="utf-8")
    replies = loop.run_until_complete(reply_file.load())
    assert replies.replies == []
    assert len(reply_file.told) == 1 and "quick_replies.json.unreadable" in reply_file.told[0]
    aside = reply_file.path.with_name("quick_replies.json.unreadable")
    assert aside.read_text(encoding="utf-8") == "{broken"  # the agent's words are not lost


def test_quick_replies_are_edited_and_deleted_with_the_keyboard(
    panel: Any, qtbot: Any, loop: Any, reply_file: Any
) -> None:
    replies = loop.run_until_complete(reply_file.load())
    replies.add("Your order has shipped")
    replies.add("Thank you for waiting")
    panel.set_quick_replies(replies)
    qtbot.mouseClick(panel.edit_replies_button, Qt.MouseButton.LeftButton)
    dialog = panel.quick_replies_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert QApplication.activeModalWidget() is None  # the panel stays usable meanwhile
    rows = dialog.list
    assert [rows.item(i).text() for i in range(rows.count())] == [
        "Your order has shipped",
        "Thank you for waiting",
    ]

    # F2 edits the selected reply in place; Enter keeps the edit.
    first = rows.visualItemRect(rows.item(0)).center()
    qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.keyClick(rows, Qt.Key.Key_F2)
    editor = rows.focusWidget()
    assert editor is not rows and editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Your order left today")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: replies.replies[0] == "Your order left today")
    assert [panel.quick_reply_box.itemText(i) for i in range(2)] == [
        "Your order left today",
        "Thank you for waiting",
    ]

    # Delete removes the selected one, in the file too.
    second = rows.visualItemRect(rows.item(1)).center()
    qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=second)
    qtbot.keyClick(rows, Qt.Key.Key_Delete)
    assert replies.replies == ["Your order left today"]
    assert panel.quick_reply_box.count() == 1
    loop.run_until_complete(reply_file.flush())
    assert json.loads(reply_file.path.read_text(encoding="utf-8")) == ["Your order left today"]

    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)  # the last one, by button
    assert replies.replies == [] and dialog.empty.isVisibleTo(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.quick_replies_dialog is None)
