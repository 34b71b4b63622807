"""Secrets go to the OS keyring only; without one, the user is told what to do."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from relaydesk.desktop.secrets import NoKeyringError, SecretStore


class MemoryKeyring(KeyringBackend):
    """A stand-in OS keyring for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
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
