"""The window in English and Simplified Chinese, light and dark, and the first-run welcome."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from relaydesk.desktop.dialogs import AddAccountDialog, WelcomeDialog
from relaydesk.desktop.i18n import compiled_translation, resolve_language
from relaydesk.desktop.recipes import platform_choices
from relaydesk.desktop.settings import SettingsFile
from relaydesk.desktop.theme import apply_theme

pytestmark = pytest.mark.qt


def test_the_chinese_translation_compiles_from_its_source(home) -> None:
    qm = compiled_translation("zh_CN", home.cache)
    assert qm is not None and qm.stat().st_size > 1000
    assert compiled_translation("xx", home.cache) is None  # no source: English stays


def test_system_language_picks_chinese_for_any_chinese_locale() -> None:
    assert resolve_language("system", "zh_TW") == "zh_CN"
    assert resolve_language("system", "de_DE") == "en"
    assert resolve_language("fr", "zh_CN") == "en"  # an unknown setting falls back


def test_switching_the_language_in_settings_changes_the_window_at_once(
    qtbot, make_window, home
) -> None:
    window = make_window()
    window.create_account("web", "Sales", url="about:blank")
    assert window.account_menu.title() == "&Accounts"
    window.apply_settings(replace(window.settings, ui_language="zh_CN"))
    qtbot.waitUntil(lambda: window.account_menu.title() == "账号(&A)", timeout=5000)
    assert window.reload_action.text() == "重新加载"
    assert "未读" in window.tabs.tabToolTip(0)
    dialog = AddAccountDialog(platform_choices(), window)
    assert dialog.windowTitle() == "添加账号"
    dialog.deleteLater()
    assert SettingsFile(home.config / "settings.json").load().ui_language == "zh_CN"
    window.apply_settings(replace(window.settings, ui_language="en"))
    qtbot.waitUntil(lambda: window.account_menu.title() == "&Accounts", timeout=5000)


def test_light_and_dark_themes_change_the_whole_app(qtbot, make_window) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = make_window()
    try:
        assert apply_theme(app, "dark") == "dark"
        dark = app.palette().color(QPalette.ColorRole.Window).lightness()
        window.apply_settings(replace(window.settings, theme="light"))
        light = app.palette().color(QPalette.ColorRole.Window).lightness()
        assert dark < 80 < 200 < light
        assert window.palette().color(QPalette.ColorRole.Window).lightness() == light
    finally:
        apply_theme(app, "light")


def test_the_welcome_explains_the_app_in_three_steps(qtbot) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.count() == 3
    assert not dialog.back.isEnabled()
    titles = []
    for _ in range(3):
        titles.append(dialog.pages.currentIndex())
        dialog.next.click()
    assert titles == [0, 1, 2]
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted  # "Start" on the last step


def test_the_welcome_is_shown_once(qtbot, make_window, home) -> None:
    window = make_window()
    assert not window.window_state.welcomed
    welcome = window.show_welcome()
    qtbot.waitExposed(welcome)
    welcome.reject()  # closed without reading on: seen all the same
    again = make_window()
    assert again.window_state.welcomed


def test_a_first_run_compiles_the_translation_off_the_ui_thread(qtbot, home, monkeypatch) -> None:
    import threading

    from relaydesk.desktop import i18n

    threads: list[str] = []
    real = i18n.compiled_translation

    def recording(language: str, cache_dir):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(language, cache_dir)

    monkeypatch.setattr(i18n, "compiled_translation", recording)
    translators = i18n.Translators(home.cache / "fresh")
    assert i18n.ready_translation("zh_CN", home.cache / "fresh") is None  # nothing compiled yet
    with qtbot.waitSignal(translators.changed, timeout=30000) as changed:
        assert translators.apply("zh_CN")
        assert translators.language == "en"  # the UI goes on in English meanwhile
    try:
        assert changed.args == ["zh_CN"] and translators.language == "zh_CN"
        assert threads and threading.main_thread().name not in threads
        assert QApplication.translate("MainWindow", "Reload") == "重新加载"
        assert i18n.ready_translation("zh_CN", home.cache / "fresh") is not None  # next start
    finally:
        translators.apply("en")


def test_at_start_the_translation_is_ready_before_the_window_exists(qtbot, home) -> None:
    from relaydesk.desktop import i18n

    translators = i18n.Translators(home.cache / "first-run")
    try:
        assert translators.apply("zh_CN", at_start=True)
        assert translators.language == "zh_CN"  # at once: texts set once come out in Chinese
        assert QApplication.translate("SandboxAccounts", "%1 (sandbox)") == "%1（沙盒）"
    finally:
        translators.apply("en")


def test_a_bundle_with_only_the_compiled_translation_loads_it(
    qtbot, home, tmp_path, monkeypatch
) -> None:
    """The installers ship ``.qm`` files without their ``.ts`` sources."""
    from relaydesk.desktop import i18n

    compiled = compiled_translation("zh_CN", home.cache)
    assert compiled is not None
    bundle = tmp_path / "bundle-translations"
    bundle.mkdir()
    (bundle / "relaydesk_zh_CN.qm").write_bytes(compiled.read_bytes())
    monkeypatch.setattr(i18n, "TRANSLATIONS", bundle)
    empty = tmp_path / "empty-cache"
    assert i18n.ready_translation("zh_CN", empty) == bundle / "relaydesk_zh_CN.qm"
    assert i18n.ready_translation("xx", empty) is None
    translators = i18n.Translators(tmp_path / "empty-cache")
    try:
        assert translators.apply("zh_CN") and translators.language == "zh_CN"
    finally:
        translators.apply("en")
