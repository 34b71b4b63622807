"""Secrets go to the OS keyring only; without one, the user is told what to do."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from relaydesk.desktop.secrets import (
    NO_KEYRING_MESSAGE,
    SECRET_FIELDS,
    NoKeyringError,
    SecretStore,
)


class MemoryKeyring(KeyringBackend):
    """A stand-in OS keyring for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.threads: set[str] = set()  # where the keyring was called from

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.add(threading.current_thread().name)
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.add(threading.current_thread().name)
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.items:
            raise PasswordDeleteError(username)
        del self.items[(service, username)]


def test_store_read_delete() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    store.set("team_token", "s3cret")
    assert store.get("team_token") == "s3cret"
    assert backend.items == {("Relaydesk", "team_token"): "s3cret"}
    store.delete("team_token")
    store.delete("team_token")  # idempotent
    assert store.get("team_token") is None


def test_no_keyring_is_a_clear_message_not_a_file_fallback() -> None:
    store = SecretStore(fail.Keyring())
    assert not store.available
    with pytest.raises(NoKeyringError, match="No system keyring is available"):
        store.set("team_token", "x")
    with pytest.raises(NoKeyringError, match="Secret Service"):
        store.get("team_token")


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty secret"):
        SecretStore(MemoryKeyring()).set("k", "")


def test_translation_keys_use_the_names_the_translators_read() -> None:
    from relaydesk.desktop.translation_ui import KeyringKeys
    from relaydesk.translate.engines import ENGINES_NEEDING_KEY, EngineKind

    names = {secret.name for secret in SECRET_FIELDS}
    wanted = {*ENGINES_NEEDING_KEY, EngineKind.LIBRE}
    assert {f"translate:{engine}" for engine in wanted} <= names
    backend = MemoryKeyring()
    store = SecretStore(backend)
    store.set("translate:deepl", "dk-1")
    assert KeyringKeys(store).key_for(EngineKind.DEEPL) == "dk-1"


def _dialog(qtbot, store: SecretStore):  # type: ignore[no-untyped-def]
    from relaydesk.desktop.settings import AppSettings
    from relaydesk.desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(), secrets=store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.qt
def test_the_settings_dialog_keeps_keys_in_the_keyring_and_never_shows_them(
    qtbot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit

    from relaydesk.desktop.settings import SettingsFile

    backend = MemoryKeyring()
    backend.items[("Relaydesk", "translate:deepl")] = "deepl-old-key"
    dialog = _dialog(qtbot, SecretStore(backend))
    box = dialog.secrets
    qtbot.waitUntil(lambda: box.states["translate:deepl"].text() == "Set", timeout=5000)
    assert box.states["team:token"].text() == "Not set"
    assert not box.remove_buttons["team:token"].isEnabled()
    texts = [w.text() for w in dialog.findChildren(QLineEdit) + dialog.findChildren(QLabel)]
    assert not any("deepl-old-key" in text for text in texts)

    box.inputs["team:token"].setText("tok-123")
    assert box.inputs["team:token"].echoMode() is QLineEdit.EchoMode.Password
    box.save_buttons["team:token"].click()
    assert box.inputs["team:token"].text() == ""  # out of the widget at once
    qtbot.waitUntil(lambda: box.states["team:token"].text() == "Set", timeout=5000)
    assert backend.items[("Relaydesk", "team:token")] == "tok-123"
    assert "main" not in " ".join(backend.threads).lower()  # never on the UI thread

    box.remove_buttons["translate:deepl"].click()
    qtbot.waitUntil(lambda: box.states["translate:deepl"].text() == "Not set", timeout=5000)
    assert ("Relaydesk", "translate:deepl") not in backend.items

    dialog._accept()
    settings_file = SettingsFile(tmp_path / "settings.json")
    settings_file.save(dialog.result_settings)
    assert "tok-123" not in settings_file.path.read_text(encoding="utf-8")


@pytest.mark.qt
def test_without_a_keyring_the_dialog_says_what_to_install(qtbot) -> None:
    dialog = _dialog(qtbot, SecretStore(fail.Keyring()))
    box = dialog.secrets
    qtbot.waitUntil(lambda: box.notice.text() == NO_KEYRING_MESSAGE, timeout=5000)
    assert all(not entry.isEnabled() for entry in box.inputs.values())
    assert all(not button.isEnabled() for button in box.save_buttons.values())
    assert box.states["team:token"].text() == "Not available"


def test_translation_keys_are_read_once_off_the_ui_thread_and_follow_changes() -> None:
    from relaydesk.desktop.translation_ui import KeyringKeys
    from relaydesk.translate.engines import EngineKind

    backend = MemoryKeyring()
    SecretStore(backend).set("translate:deepl", "dk-1")
    keys = KeyringKeys(SecretStore(backend))
    worker = threading.Thread(target=keys.prefetch, name="prefetch")
    worker.start()
    worker.join()
    backend.threads.clear()
    assert keys.key_for(EngineKind.DEEPL) == "dk-1"
    assert keys.key_for(EngineKind.MICROSOFT) is None
    assert keys.key_for(EngineKind.GOOGLE) is None  # needs no key: never asks the keyring
    assert backend.threads == set()  # every answer came from the prefetched cache
    # Settings saves and removes keys through a store of its own, on its worker thread.
    settings_store = SecretStore(backend)
    settings_store.set("translate:microsoft", "ms-2")
    assert keys.key_for(EngineKind.MICROSOFT) == "ms-2"
    settings_store.delete("translate:deepl")
    assert keys.key_for(EngineKind.DEEPL) is None
    settings_store.set("team:token", "t")  # not a translation key: ignored
    assert backend.threads == {threading.current_thread().name}  # only the writes
