"""The keyring of the demo's workstation: in memory, seeded with the demo agent's sign-in.

``relaydesk demo`` starts the app with ``PYTHON_KEYRING_BACKEND`` pointing here, so the app
finds itself signed in to the demo's own server without touching the person's real keyring (and
works on machines that have none). The credential arrives in ``RELAYDESK_DEMO_CREDENTIAL``; it
is a token for a throwaway server on 127.0.0.1 that ends with the demo. Nothing is written to a
file.
"""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

CREDENTIAL_VARIABLE = "RELAYDESK_DEMO_CREDENTIAL"


class DemoKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        seeded = json.loads(os.environ.get(CREDENTIAL_VARIABLE) or "{}")
        self.items: dict[str, str] = {str(k): str(v) for k, v in seeded.items()}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[f"{service}/{username}"] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
