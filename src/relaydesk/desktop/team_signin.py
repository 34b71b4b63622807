"""Signing in to a team server: the keyring-backed TokenStore, the sign-in dialog, and the link
from each desktop account to the team server's account.

The credential (token, agent id, role) lives only in the OS keyring (``team:token``, as JSON with
the server address); it is read once on a worker thread and written on one, never on the UI
thread. The dialog signs in through ``relaydesk.sync.TeamClient`` and shows its typed errors as
one sentence the agent can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.secrets import TEAM_TOKEN, NoKeyringError, SecretStore
from relaydesk.sync.client import Credential, TeamClient, TokenStore, normalize_server_url
from relaydesk.sync.errors import (
    IncompatibleServer,
    ServerUnreachable,
    SyncError,
    TooManyAttempts,
    WrongPassword,
)


class KeyringTokenStore(TokenStore):
    """A TokenStore in the OS keyring: one credential (for one server) under ``team:token``.

    ``preload`` reads it on a worker thread; ``save``/``forget`` change the cache at once and the
    keyring from a worker thread, in order, so the UI thread never waits on the keyring."""

    def __init__(self, secrets: SecretStore | None = None) -> None:
        self.secrets = secrets or SecretStore()
        self._cached: tuple[str, Credential] | None = None
        self._loaded = False
        self._writes = threading.Lock()
        self.errors: list[str] = []  # keyring refusals, for the status line

    def _read(self) -> tuple[str, Credential] | None:
        try:
            raw = self.secrets.get(TEAM_TOKEN)
        except NoKeyringError as error:
            self.errors.append(str(error))
            return None
        if not raw:
            return None
        try:
            body = json.loads(raw)
            credential = Credential(str(body["token"]), str(body["agent_id"]), str(body["role"]))
            return normalize_server_url(str(body["server"])), credential
        except (ValueError, KeyError, TypeError):
            return None  # a bare token from the settings dialog: no agent id, sign in again

    async def preload(self) -> None:
        if not self._loaded:
            self._cached = await asyncio.get_running_loop().run_in_executor(None, self._read)
            self._loaded = True

    def load(self, server_url: str) -> Credential | None:
        if not self._loaded:  # not preloaded: read now (tests; a restart reads it off-thread)
            self._cached, self._loaded = self._read(), True
        if self._cached is None or self._cached[0] != normalize_server_url(server_url):
            return None
        return self._cached[1]

    def save(self, server_url: str, credential: Credential) -> None:
        url = normalize_server_url(server_url)
        self._cached, self._loaded = (url, credential), True
        value = json.dumps({"server": url, "token": credential.token,
                            "agent_id": credential.agent_id, "role": credential.role})  # fmt: skip
        self._in_background(lambda: self.secrets.set(TEAM_TOKEN, value))

    def forget(self, server_url: str) -> None:
        self._cached, self._loaded = None, True
        self._in_background(lambda: self.secrets.delete(TEAM_TOKEN))

    def _in_background(self, work: Callable[[], None]) -> None:
        def run() -> None:
            with self._writes:
                try:
                    work()
                except NoKeyringError as error:
                    self.errors.append(str(error))

        threading.Thread(target=run, name="relaydesk-keyring", daemon=True).start()

    def flush(self, timeout_s: float = 5.0) -> None:
        """Wait for the keyring writes started so far (at quit)."""
        if self._writes.acquire(timeout=timeout_s):
            self._writes.release()


class TeamLinks:
    """Which team-server account each desktop account is (desktop id → server account id),
    kept in ``team_accounts.json`` next to the account list. Only linked accounts are reported
    to the team server."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.links: dict[str, str] = {}
        with contextlib.suppress(FileNotFoundError, ValueError, OSError):
            raw = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(raw, dict):
                self.links = {str(k): str(v) for k, v in raw.items() if v}

    def server_account(self, account_id: str) -> str | None:
        return self.links.get(account_id)

    def desktop_accounts(self, server_account_id: str) -> list[str]:
        return [a for a, s in self.links.items() if s == server_account_id]

    def link(self, account_id: str, server_account_id: str) -> None:
        if server_account_id.strip():
            self.links[account_id] = server_account_id.strip()
        else:
            self.links.pop(account_id, None)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".team_accounts.")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.links, out, indent=2)
        os.replace(tmp, self.path)


class SignInDialog(QDialog):
    """Team server address, login and password; signs in without blocking the window.

    ``signed_in`` carries the signed-in TeamClient (the credential already in its TokenStore)."""

    signed_in = Signal(object)

    def __init__(
        self, tokens: TokenStore, url: str = "", login: str = "",
        parent: QWidget | None = None, *, client_factory: Callable[..., TeamClient] = TeamClient,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.tokens = tokens
        self.client_factory = client_factory
        self.setWindowTitle(self.tr("Sign in to your team"))
        self.url = QLineEdit(url, self)
        self.url.setObjectName("teamUrl")
        self.url.setPlaceholderText("https://team.example.com")
        self.login = QLineEdit(login, self)
        self.login.setObjectName("teamLogin")
        self.password = QLineEdit(self)
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("teamMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.start_sign_in)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Server address:"), self.url)
        form.addRow(self.tr("Login:"), self.login)
        form.addRow(self.tr("Password:"), self.password)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self._task: asyncio.Task[None] | None = None

    def start_sign_in(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.ensure_future(self.sign_in())

    async def sign_in(self) -> None:
        url, login = self.url.text().strip(), self.login.text().strip()
        password = self.password.text()
        if not url or not login or not password:
            self.message.setText(self.tr("Fill in the server address, your login and password."))
            return
        try:
            client = self.client_factory(url, self.tokens)
        except ValueError:
            self.message.setText(self.tr("The address starts with http:// or https://."))
            return
        self.sign_in_button.setEnabled(False)
        self.message.setText(self.tr("Signing in…"))
        try:
            await client.check_server()
            await client.login(login, password)
        except SyncError as error:
            await client.aclose()
            self.message.setText(self.explain(error, client.server_url, login))
            self.sign_in_button.setEnabled(True)
            return
        self.password.clear()
        self.message.clear()
        self.signed_in.emit(client)
        self.accept()

    def explain(self, error: SyncError, url: str, login: str) -> str:
        """The sentence for the agent, in the UI language."""
        if isinstance(error, WrongPassword):
            return self.tr("Wrong login or password for %1.").replace("%1", login)
        if isinstance(error, ServerUnreachable):
            return self.tr(
                "The team server at %1 cannot be reached. Check the address and your network."
            ).replace("%1", url)
        if isinstance(error, TooManyAttempts):
            return self.tr("Too many failed sign-ins; try again in %1 s.").replace(
                "%1", f"{error.retry_after_s:.0f}"
            )
        if isinstance(error, IncompatibleServer):
            return self.tr("%1 is not a Relaydesk team server (or needs a newer app).").replace(
                "%1", url
            )
        return str(error)
