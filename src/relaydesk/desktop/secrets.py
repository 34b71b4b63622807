"""Secrets (team-server token, translation keys) live only in the OS keyring.

Windows Credential Locker, macOS Keychain, or the Secret Service on Linux. Where no backend exists
(a bare Linux box, a headless CI), nothing falls back to a file: the user gets a sentence saying
what to install, and the feature that needs the secret stays off.
"""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "Relaydesk"


class NoKeyringError(RuntimeError):
    """No usable OS keyring: the message tells the user what to do."""


def _usable(backend: KeyringBackend) -> bool:
    # keyring's "fail" backend (priority 0) and the null backend mean nothing can be stored.
    module = type(backend).__module__
    return not module.startswith(("keyring.backends.fail", "keyring.backends.null"))


NO_KEYRING_MESSAGE = (
    "No system keyring is available, so Relaydesk cannot store secrets. On Linux install and "
    "unlock a Secret Service provider (GNOME Keyring or KWallet); on Windows and macOS the "
    "system keyring is built in. Features that need a password or key stay off until then."
)


class SecretStore:
    """Get, set and delete secrets by name (e.g. ``team_token``, ``translate:deepl``)."""

    def __init__(self, backend: KeyringBackend | None = None, service: str = SERVICE) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._service = service

    @property
    def available(self) -> bool:
        return _usable(self._backend)

    def _require(self) -> KeyringBackend:
        if not self.available:
            raise NoKeyringError(NO_KEYRING_MESSAGE)
        return self._backend

    def get(self, name: str) -> str | None:
        try:
            return self._require().get_password(self._service, name)
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(f"The system keyring refused to read {name!r}: {exc}") from exc

    def set(self, name: str, value: str) -> None:
        if not value:
            raise ValueError(f"refusing to store an empty secret for {name!r}")
        try:
            self._require().set_password(self._service, name, value)
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(f"The system keyring refused to store {name!r}: {exc}") from exc

    def delete(self, name: str) -> None:
        try:
            self._require().delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            return  # already absent: deleting is idempotent
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(f"The system keyring refused to delete {name!r}: {exc}") from exc
