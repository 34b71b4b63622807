"""Translation settings end to end: declared, edited in the one settings dialog with real input,
read by the window's translation (guard, back-translation, detection languages), and quick
replies kept across a restart of the window's services."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
)

from relaydesk.desktop.chat_services import ChatServices
from relaydesk.desktop.settings import (
    AppSettings,
    SettingsError,
    SettingsFile,
    choices,
    language_codes,
    validated,
)
from relaydesk.desktop.settings_dialog import SettingsDialog
from relaydesk.store.async_store import AsyncStore
from relaydesk.translate.detection import DEFAULT_LANGUAGES
from relaydesk.translate.outgoing import GuardMode

pytestmark = pytest.mark.qt


def _libre_server() -> ModuleType:
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
    with _libre_server().running_translator() as running:
        yield running


@pytest.fixture
def services_for(loop: Any) -> Iterator[Callable[..., ChatServices]]:
    """ChatServices on a window, reading the detection languages from its settings."""
    made: list[ChatServices] = []

    def make(window: Any) -> ChatServices:
        store = loop.run_until_complete(AsyncStore.open_in(window.paths))
        services = ChatServices(window, store, debounce_ms=50)
        loop.run_until_complete(services.start())
        made.append(services)
        return services

    yield make
    for services in made:
        loop.run_until_complete(services.close())


def _until(loop: Any, condition: Callable[[], bool], seconds: float = 10) -> None:
    async def wait() -> None:
        for _ in range(int(seconds / 0.02)):
            if condition():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("not there in time")

    loop.run_until_complete(wait())


def _indicator(box: QCheckBox) -> QPoint:
    """Where a person clicks a check box that has no text of its own: on its square."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    return box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box).center()


def test_the_defaults_keep_todays_behaviour() -> None:
    defaults = AppSettings()
    assert language_codes(defaults.detection_languages) == DEFAULT_LANGUAGES
    assert defaults.language_guard and defaults.language_guard_mode == "ask"
    assert not defaults.back_translation_check
    assert choices("language_guard_mode") == ("ask", "block")


@pytest.mark.parametrize(
    ("value", "codes"),
    [("en, zh, ar", ("en", "zh", "ar")), ("EN zh,,es en", ("en", "zh", "es"))],
)
def test_detection_languages_are_read_as_codes(value: str, codes: tuple[str, ...]) -> None:
    settings = validated(AppSettings(), detection_languages=value)
    assert language_codes(settings.detection_languages) == codes


@pytest.mark.parametrize("value", ["en", "", "english, chinese", "en, z1"])
def test_bad_detection_languages_name_the_setting(value: str) -> None:
    with pytest.raises(SettingsError, match="detection_languages: expected two or more"):
        validated(AppSettings(), detection_languages=value)


def test_the_settings_dialog_edits_the_translation_settings(qtbot: Any) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    guard = dialog.editors["language_guard"]
    mode = dialog.editors["language_guard_mode"]
    back = dialog.editors["back_translation_check"]
    languages = dialog.editors["detection_languages"]
    assert isinstance(guard, QCheckBox) and guard.isChecked()
    assert isinstance(mode, QComboBox) and mode.currentText() == "Warn and ask again"
    assert [mode.itemText(i) for i in range(mode.count())] == ["Warn and ask again", "Block it"]
    assert isinstance(back, QCheckBox) and not back.isChecked()
    assert isinstance(languages, QLineEdit) and languages.text().startswith("en, zh, ar")

    scroll.ensureWidgetVisible(back)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton, pos=_indicator(back))
    scroll.ensureWidgetVisible(mode)
    mode.setFocus()
    qtbot.keyClick(mode, Qt.Key.Key_Down)  # "Block it"
    qtbot.keyClick(languages, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(languages, "en, es")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    result = dialog.result_settings
    assert result.back_translation_check and result.language_guard_mode == "block"
    assert result.detection_languages == "en, es" and result.language_guard


def test_a_bad_language_list_is_refused_in_the_dialog(qtbot: Any) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    languages = dialog.editors["detection_languages"]
    qtbot.keyClick(languages, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(languages, "english")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert "detection_languages" in dialog.error.text() and dialog.isVisible()


def test_the_window_reads_the_translation_settings(
    qtbot: Any, make_window: Any, home: Any, loop: Any, services_for: Any, translator: Any
) -> None:
    SettingsFile(home.config / "settings.json").save(
        replace(
            AppSettings(),
            translation_engine="libre",
            libretranslate_url=translator.url,
            detection_languages="en, es, pt",
            back_translation_check=True,
            language_guard_mode="block",
        )
    )
    window = make_window()
    services = services_for(window)
    panel = services.translation_panel
    assert panel is not None
    assert services._detection is not None
    assert services._detection.languages == ("en", "es", "pt")  # what lingua chooses from
    assert panel.back_check.isChecked()  # on by default, as the setting says

    # The guard blocks: Ctrl+Enter twice never puts English into a Spanish reader's chat.
    panel.set_contact("7", "es")
    qtbot.keyClicks(panel.draft, "Your parcel left the warehouse today")
    _until(loop, lambda: not panel.pending())
    for _ in range(2):
        qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        _until(loop, lambda: "blocks" in panel.warning.text() and not panel.pending())
    assert panel.draft.toPlainText() == "Your parcel left the warehouse today"

    # Changed in Settings, followed at once.
    window.apply_settings(replace(window.settings, back_translation_check=False))
    assert not panel.back_check.isChecked()
    window.apply_settings(replace(window.settings, language_guard_mode="ask"))
    qtbot.keyClick(panel.draft, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _until(loop, lambda: "again" in panel.warning.text())
    window.apply_settings(replace(window.settings, language_guard=False))
    assert services._guard_mode() is None
    window.apply_settings(replace(window.settings, language_guard=True))
    assert services._guard_mode() is GuardMode.ASK


def test_a_hand_edited_unknown_language_falls_back_and_is_told(
    make_window: Any, home: Any, services_for: Any
) -> None:
    (home.config / "settings.json").write_text(
        json.dumps({"detection_languages": "en, xx"}), encoding="utf-8"
    )
    window = make_window()
    services = services_for(window)
    assert services._detection is not None
    assert services._detection.languages == tuple(sorted(DEFAULT_LANGUAGES))
    assert any("xx" in notice for notice in services.notices)


def test_quick_replies_saved_in_the_panel_are_there_after_a_restart(
    qtbot: Any, make_window: Any, home: Any, loop: Any, translator: Any
) -> None:
    SettingsFile(home.config / "settings.json").save(
        replace(
            AppSettings(),
            translation_engine="libre",
            libretranslate_url=translator.url,
            detection_languages="en, es",
        )
    )

    def start() -> ChatServices:
        store = loop.run_until_complete(AsyncStore.open_in(home))
        services = ChatServices(make_window(), store, debounce_ms=50)
        loop.run_until_complete(services.start())
        return services

    first = start()
    panel = first.translation_panel
    assert panel is not None
    qtbot.keyClicks(panel.draft, "Your order has shipped")
    qtbot.mouseClick(panel.save_reply_button, Qt.MouseButton.LeftButton)
    loop.run_until_complete(first.close())
    saved = json.loads((home.config / "quick_replies.json").read_text(encoding="utf-8"))
    assert saved == ["Your order has shipped"]

    second = start()
    try:
        box = second.translation_panel.quick_reply_box  # type: ignore[union-attr]
        assert [box.itemText(i) for i in range(box.count())] == ["Your order has shipped"]
    finally:
        loop.run_until_complete(second.close())
