"""A file-backed keyring backend for the app processes of the end-to-end test only.

The machine running the tests has no OS keyring; the test points ``PYTHON_KEYRING_BACKEND`` at
``e2e_keyring.FileKeyring`` (with this folder on ``PYTHONPATH``) and the file at
``RELAYDESK_E2E_KEYRING``. The product itself never stores secrets in a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    @property
    def path(self) -> Path:
        return Path(os.environ["RELAYDESK_E2E_KEYRING"])

    def _items(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._items()
        items[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(items), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        items = self._items()
        if items.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self.path.write_text(json.dumps(items), encoding="utf-8")
