"""What can go wrong between a workstation and the team server, as typed exceptions.

Each carries one sentence an agent can act on; the desktop shows ``str(error)`` as it is.
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of everything the sync client raises on purpose."""


class WrongPassword(SyncError):
    def __init__(self, login: str) -> None:
        super().__init__(f"The team server refused the login {login!r}: wrong login or password.")


class TooManyAttempts(SyncError):
    def __init__(self, retry_after_s: float) -> None:
        super().__init__(
            f"Too many failed sign-ins; the team server accepts a new try in {retry_after_s:.0f} s."
        )
        self.retry_after_s = retry_after_s


class ServerUnreachable(SyncError):
    def __init__(self, url: str, reason: str = "", *, timed_out: bool = False) -> None:
        detail = f" ({reason})" if reason else ""
        super().__init__(f"The team server at {url} cannot be reached{detail}.")
        self.url = url
        self.timed_out = timed_out  # connected, or tried to, but no answer in time


class IncompatibleServer(SyncError):
    def __init__(self, url: str, detail: str) -> None:
        super().__init__(
            f"The server at {url} does not speak the Relaydesk team API v1 ({detail}); "
            "update the app or check the address."
        )
        self.url = url


class NotSignedIn(SyncError):
    def __init__(self) -> None:
        super().__init__("Not signed in to a team server; sign in first.")


class TokenRevoked(SyncError):
    def __init__(self) -> None:
        super().__init__("The team server no longer accepts this sign-in; sign in again.")


class ActionRefused(SyncError):
    """The server understood the request and said no (not allowed, closed, no such thing)."""

    def __init__(
        self, action: str, status: int, code: str, message: str, field: str | None = None
    ) -> None:
        super().__init__(f"The team server refused to {action}: {message}")
        self.status = status
        self.code = code
        self.server_message = message
        self.field = field  # the request field at fault, when the server names one


class ServerFailed(SyncError):
    """A 5xx or an answer that is not the API's JSON: worth retrying later."""

    def __init__(self, action: str, status: int, message: str = "") -> None:
        detail = f": {message}" if message else ""
        super().__init__(f"The team server failed to {action} (HTTP {status}){detail}.")
        self.status = status
