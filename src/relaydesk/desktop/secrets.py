"""Secrets (team-server token and password, translation keys) live only in the OS keyring.

Windows Credential Locker, macOS Keychain, or the Secret Service on Linux. Where no backend exists
(a bare Linux box, a headless CI), nothing falls back to a file: the user gets a sentence saying
what to install, and the feature that needs the secret stays off. Keyring calls can take a while
(a D-Bus round trip, an unlock prompt): the UI makes them on a worker thread.

Plain Python: messages are marked for lupdate with ``QT_TRANSLATE_NOOP`` and translated where
they are shown (``translated``).
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "Relaydesk"
CONTEXT = "SecretStore"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    return text


def translated(text: str) -> str:
    """``text`` (one of this module's messages) in the UI language, once Qt is up."""
    try:
        from PySide6.QtCore import QCoreApplication
    except ImportError:
        return text
    if QCoreApplication.instance() is None:
        return text
    return QCoreApplication.translate(CONTEXT, text)


NO_KEYRING_MESSAGE = QT_TRANSLATE_NOOP(
    "SecretStore",
    "No system keyring is available, so Relaydesk cannot store secrets. On Linux install and "
    "unlock a Secret Service provider (GNOME Keyring or KWallet); on Windows and macOS the "
    "system keyring is built in. Features that need a password or key stay off until then.",
)
_REFUSED = {
    "read": QT_TRANSLATE_NOOP("SecretStore", "The system keyring refused to read %1: %2"),
    "store": QT_TRANSLATE_NOOP("SecretStore", "The system keyring refused to store %1: %2"),
    "delete": QT_TRANSLATE_NOOP("SecretStore", "The system keyring refused to delete %1: %2"),
}


@dataclass(frozen=True, slots=True)
class SecretField:
    """One secret the settings dialog offers: its keyring name and what it is for."""

    name: str
    label: str
    description: str


# The keyring names are shared with their readers: ``translate:<engine>`` is what
# translation_ui.KeyringKeys asks for (engine = relaydesk.translate.engines.EngineKind value).
TEAM_TOKEN = "team:token"
TEAM_PASSWORD = "team:password"
SECRET_FIELDS = (
    SecretField(
        TEAM_TOKEN,
        QT_TRANSLATE_NOOP("SecretStore", "Team server token"),
        QT_TRANSLATE_NOOP("SecretStore", "The access token your team server gave you"),
    ),
    SecretField(
        TEAM_PASSWORD,
        QT_TRANSLATE_NOOP("SecretStore", "Team server password"),
        QT_TRANSLATE_NOOP("SecretStore", "Your password on the team server, to sign in again"),
    ),
    SecretField(
        "translate:deepl",
        QT_TRANSLATE_NOOP("SecretStore", "DeepL API key"),
        QT_TRANSLATE_NOOP("SecretStore", "For the DeepL translation engine"),
    ),
    SecretField(
        "translate:microsoft",
        QT_TRANSLATE_NOOP("SecretStore", "Microsoft Translator key"),
        QT_TRANSLATE_NOOP("SecretStore", "For the Microsoft translation engine"),
    ),
    SecretField(
        "translate:libre",
        QT_TRANSLATE_NOOP("SecretStore", "LibreTranslate API key"),
        QT_TRANSLATE_NOOP("SecretStore", "Only if your LibreTranslate server asks for one"),
    ),
    SecretField(
        "translate:llm",
        QT_TRANSLATE_NOOP("SecretStore", "LLM API key"),
        QT_TRANSLATE_NOOP("SecretStore", "For translation by a large language model"),
    ),
)


class NoKeyringError(RuntimeError):
    """No usable OS keyring, or it refused: the message tells the user what to do."""

    def __init__(self, template: str, *args: str) -> None:
        self.template = template
        self.values = args
        super().__init__(self._fill(template))

    def _fill(self, template: str) -> str:
        for n, value in enumerate(self.values, start=1):
            template = template.replace(f"%{n}", value)
        return template

    def translated(self) -> str:
        """The message in the UI language."""
        return self._fill(translated(self.template))


def _usable(backend: KeyringBackend) -> bool:
    # keyring's "fail" backend (priority 0) and the null backend mean nothing can be stored.
    module = type(backend).__module__
    return not module.startswith(("keyring.backends.fail", "keyring.backends.null"))


SecretListener = Callable[[str, str | None], None]
_listeners: list[weakref.WeakMethod[SecretListener]] = []


def watch_secrets(listener: SecretListener) -> None:
    """Call the bound method ``listener(name, value)`` after any store sets a secret (``None``:
    deleted), on the thread that changed it, while its object lives: caches of secrets stay
    right without reading the keyring again."""
    _listeners.append(weakref.WeakMethod(listener))


def _changed(name: str, value: str | None) -> None:
    for reference in list(_listeners):
        listener = reference()
        if listener is None:
            with contextlib.suppress(ValueError):  # another thread removed it first
                _listeners.remove(reference)
        else:
            listener(name, value)


class SecretStore:
    """Get, set and delete secrets by name (e.g. ``team:token``, ``translate:deepl``).

    The OS backend is looked up on first use, not on construction: finding it can be slow, and
    the UI constructs stores on its thread but uses them from a worker."""

    def __init__(self, backend: KeyringBackend | None = None, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service

    @property
    def backend(self) -> KeyringBackend:
        if self._backend is None:
            self._backend = keyring.get_keyring()
        return self._backend

    @property
    def available(self) -> bool:
        return _usable(self.backend)

    def _require(self) -> KeyringBackend:
        if not self.available:
            raise NoKeyringError(NO_KEYRING_MESSAGE)
        return self.backend

    def get(self, name: str) -> str | None:
        try:
            return self._require().get_password(self._service, name)
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(_REFUSED["read"], repr(name), str(exc)) from exc

    def is_set(self, name: str) -> bool:
        """Whether a value is stored, without handing it to the caller."""
        return self.get(name) is not None

    def set(self, name: str, value: str) -> None:
        if not value:
            raise ValueError(f"refusing to store an empty secret for {name!r}")
        try:
            self._require().set_password(self._service, name, value)
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(_REFUSED["store"], repr(name), str(exc)) from exc
        _changed(name, value)

    def delete(self, name: str) -> None:
        try:
            self._require().delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            pass  # already absent: deleting is idempotent
        except keyring.errors.KeyringError as exc:
            raise NoKeyringError(_REFUSED["delete"], repr(name), str(exc)) from exc
        _changed(name, None)
