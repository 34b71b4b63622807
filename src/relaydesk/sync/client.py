"""``TeamClient``: a workstation's connection to the team server (HTTP part).

One shared ``httpx.AsyncClient`` for every call, closed by :meth:`TeamClient.aclose`. Sign-in
hands the token to a caller-supplied :class:`TokenStore` (the desktop backs it with the OS
keyring), so a restart needs no password. Every failure becomes one of the typed exceptions of
:mod:`relaydesk.sync.errors`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import httpx

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.errors import (
    ActionRefused,
    IncompatibleServer,
    NotSignedIn,
    ServerFailed,
    ServerUnreachable,
    SyncError,
    TokenRevoked,
    TooManyAttempts,
    WrongPassword,
)
from relaydesk.sync.events import TeamEvent

log = logging.getLogger("relaydesk.sync")

API_VERSION = "v1"


@dataclass(frozen=True, slots=True)
class Credential:
    """What a sign-in gives: the bearer token and who it belongs to."""

    token: str
    agent_id: str
    role: str


class TokenStore(Protocol):
    """Keeps the credential per server URL; the desktop stores it in the OS keyring."""

    def load(self, server_url: str) -> Credential | None: ...

    def save(self, server_url: str, credential: Credential) -> None: ...

    def forget(self, server_url: str) -> None: ...


@dataclass
class MemoryTokenStore:
    """A TokenStore that forgets on exit (tests, one-off scripts)."""

    credentials: dict[str, Credential] = field(default_factory=dict)

    def load(self, server_url: str) -> Credential | None:
        return self.credentials.get(server_url)

    def save(self, server_url: str, credential: Credential) -> None:
        self.credentials[server_url] = credential

    def forget(self, server_url: str) -> None:
        self.credentials.pop(server_url, None)


@dataclass(frozen=True, slots=True)
class Presence:
    """What a heartbeat says: here or away, which accounts are open, load figures."""

    status: Literal["online", "away"] = "online"
    open_accounts: tuple[str, ...] = ()
    load: dict[str, float] | None = None


@dataclass(frozen=True, slots=True)
class EventsAck:
    accepted: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class RefusedEvent:
    """The server refused a batch because of one event (its index) for this reason."""

    index: int | None
    message: str


class EventsRefused(SyncError):
    """``POST /v1/events`` answered 4xx: the batch as sent will never be taken."""

    def __init__(self, status: int, refused: RefusedEvent) -> None:
        super().__init__(f"The team server refused the events (HTTP {status}): {refused.message}")
        self.status = status
        self.refused = refused


def normalize_server_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"a team server address starts with http:// or https://, got {url!r}")
    return url


class TeamClient:
    """Sign-in, heartbeats, event upload and conversation actions against one team server."""

    def __init__(
        self, server_url: str, tokens: TokenStore, *, timeout_s: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:  # fmt: skip
        self.server_url = normalize_server_url(server_url)
        self.tokens = tokens
        # Why the last heartbeat failed (None after a success), for a status line.
        self.heartbeat_error: str | None = None
        self._credential: Credential | None = None
        self._credential_read = False  # the TokenStore is asked once, on first use
        self._http = httpx.AsyncClient(
            base_url=self.server_url, timeout=timeout_s, transport=transport,
            headers={"Accept": "application/json"},
        )  # fmt: skip

    # ------------------------------------------------------------------ session

    @property
    def credential(self) -> Credential | None:
        """The sign-in in use; read from the TokenStore once (a keyring call can be slow)."""
        if not self._credential_read:
            self._credential = self.tokens.load(self.server_url)
            self._credential_read = True
        return self._credential

    def sign_in_with(self, credential: Credential) -> None:
        """Use (and keep) a credential obtained elsewhere, e.g. by another workstation window."""
        self.tokens.save(self.server_url, credential)
        self._credential, self._credential_read = credential, True

    def forget_credential(self) -> None:
        self.tokens.forget(self.server_url)
        self._credential, self._credential_read = None, True

    def require_credential(self) -> Credential:
        credential = self.credential
        if credential is None:
            raise NotSignedIn()
        return credential

    async def check_server(self) -> str:
        """Make sure the address answers as a Relaydesk team server; return its version."""
        response = await self._send("GET", "/healthz", "check the server")
        body = _json_or_none(response)
        if response.status_code != 200 or not isinstance(body, dict) or "status" not in body:
            raise IncompatibleServer(self.server_url, "no Relaydesk health answer at /healthz")
        apis = body.get("api")
        if isinstance(apis, list) and API_VERSION not in apis:
            raise IncompatibleServer(self.server_url, f"it offers {', '.join(map(str, apis))}")
        return str(body.get("version", ""))

    async def login(self, login: str, password: str) -> Credential:
        """Sign in; the credential goes to the TokenStore (never to disk by this client)."""
        response = await self._send(
            "POST", f"/{API_VERSION}/auth/login", "sign in",
            json={"login": login, "password": password},
        )  # fmt: skip
        if response.status_code in (404, 405):
            raise IncompatibleServer(self.server_url, f"/{API_VERSION}/auth/login is missing")
        if response.status_code == 401:
            raise WrongPassword(login)
        if response.status_code == 429:
            raise TooManyAttempts(_retry_after(response))
        body = self._checked(response, "sign in")
        try:
            credential = Credential(str(body["token"]), str(body["agent_id"]), str(body["role"]))
        except (KeyError, TypeError) as exc:
            raise IncompatibleServer(self.server_url, "the sign-in answer has no token") from exc
        self.sign_in_with(credential)
        return credential

    async def logout(self) -> None:
        """Revoke the token on the server (best effort) and forget it here in any case."""
        credential = self.credential
        if credential is None:
            return
        try:
            await self.call("POST", f"/{API_VERSION}/auth/logout", "sign out")
        except (ServerUnreachable, ServerFailed, TokenRevoked):
            log.info("sign-out could not reach the server; the token is forgotten locally")
        finally:
            self.forget_credential()

    # ------------------------------------------------------------------ work

    async def heartbeat(self, presence: Presence) -> float:
        """Say we are here; returns how long the server waits before calling us offline."""
        body: dict[str, Any] = {"status": presence.status,
                                "open_accounts": list(presence.open_accounts)}  # fmt: skip
        if presence.load is not None:
            body["load"] = presence.load
        answer = await self.call("POST", f"/{API_VERSION}/heartbeat", "take the heartbeat", body)
        return float(answer.get("offline_after_s", 60.0)) if isinstance(answer, dict) else 60.0

    async def run_heartbeats(
        self, presence: Callable[[], Presence], interval_s: float = 20.0,
        backoff: Backoff | None = None,
    ) -> None:  # fmt: skip
        """Heartbeat every ``interval_s`` until cancelled; outages retry sooner, with backoff.

        Returns (raising TokenRevoked) only when the server no longer accepts the sign-in.
        """
        if interval_s <= 0:
            raise ValueError(f"the heartbeat interval must be positive, got {interval_s}")
        backoff = backoff or Backoff(base_s=min(1.0, interval_s), cap_s=interval_s)
        while True:
            try:
                await self.heartbeat(presence())
            except (TokenRevoked, NotSignedIn):
                raise
            except ActionRefused as exc:
                # e.g. an open account the server does not give this agent: keep beating, the
                # next presence may differ; this is no reason to stop the session.
                log.warning("heartbeat refused: %s", exc)
                self.heartbeat_error = str(exc)
                await asyncio.sleep(interval_s)
                continue
            except SyncError as exc:  # outage, 5xx, a proxy's page instead of the API
                log.info("heartbeat failed: %s", exc)
                self.heartbeat_error = str(exc)
                await asyncio.sleep(backoff.next_delay())
                continue
            self.heartbeat_error = None
            backoff.reset()
            await asyncio.sleep(interval_s)

    async def post_events(self, events: Sequence[TeamEvent]) -> EventsAck:
        """Upload one batch; :class:`EventsRefused` when the server will never take it as is."""
        response = await self._send(
            "POST", f"/{API_VERSION}/events", "take the events",
            json={"events": [e.to_json() for e in events]}, auth=True,
        )  # fmt: skip
        if 400 <= response.status_code < 500 and response.status_code not in (401, 408, 429):
            _code, message, where = _error_of(response)
            raise EventsRefused(response.status_code, RefusedEvent(_event_index(where), message))
        body = self._checked(response, "take the events")
        return EventsAck(int(body.get("accepted", 0)), int(body.get("duplicates", 0)))

    async def transfer(self, conversation_id: str, to_agent_id: str) -> dict[str, Any]:
        """Hand a conversation to a chosen colleague."""
        return await self._conversation_action(
            conversation_id, "transfer", {"to_agent_id": to_agent_id}, "transfer the conversation"
        )

    async def release(self, conversation_id: str) -> dict[str, Any]:
        """Give a conversation back to the queue for the router to place."""
        return await self._conversation_action(
            conversation_id, "transfer", {}, "release the conversation"
        )

    async def close_conversation(self, conversation_id: str) -> dict[str, Any]:
        return await self._conversation_action(
            conversation_id, "close", None, "close the conversation"
        )

    async def conversation(self, conversation_id: str) -> dict[str, Any]:
        answer = await self.call(
            "GET", f"/{API_VERSION}/conversations/{conversation_id}", "show the conversation"
        )
        return answer if isinstance(answer, dict) else {}

    async def add_note(self, conversation_id: str, text: str) -> dict[str, Any]:
        """Write a note on the conversation for whoever takes it over; the note as stored
        (id, agent_id, author, text, at)."""
        return await self._conversation_action(
            conversation_id, "notes", {"text": text}, "add the note"
        )

    async def _conversation_action(
        self, conversation_id: str, verb: str, body: dict[str, Any] | None, action: str
    ) -> dict[str, Any]:
        if not conversation_id or "/" in conversation_id:
            raise ValueError(f"not a conversation id: {conversation_id!r}")
        answer = await self.call(
            "POST", f"/{API_VERSION}/conversations/{conversation_id}/{verb}", action, body
        )
        return answer if isinstance(answer, dict) else {}

    # ------------------------------------------------------------------ plumbing

    async def call(
        self, method: str, path: str, action: str, body: dict[str, Any] | None = None
    ) -> Any:
        """An authenticated call; the decoded JSON answer (None for 204)."""
        response = await self._send(method, path, action, json=body, auth=True)
        return self._checked(response, action)

    async def _send(
        self, method: str, path: str, action: str, *, json: Any = None, auth: bool = False
    ) -> httpx.Response:
        headers = {}
        if auth:
            headers["Authorization"] = f"Bearer {self.require_credential().token}"
        try:
            response = await self._http.request(method, path, json=json, headers=headers)
        except httpx.TimeoutException as exc:
            raise ServerUnreachable(self.server_url, "no answer in time", timed_out=True) from exc
        except httpx.TransportError as exc:
            raise ServerUnreachable(self.server_url, _transport_reason(exc)) from exc
        if auth and response.status_code == 401:
            self.forget_credential()
            raise TokenRevoked()
        return response

    def _checked(self, response: httpx.Response, action: str) -> Any:
        status = response.status_code
        if status == 204:
            return None
        if status >= 500 or status in (408, 429):
            raise ServerFailed(action, status, _error_of(response)[1])
        if status >= 400:
            code, message, where = _error_of(response)
            raise ActionRefused(action, status, code, message, where)
        body = _json_or_none(response)
        if body is None:
            raise IncompatibleServer(self.server_url, f"HTTP {status} without a JSON answer")
        return body

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> TeamClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _error_of(response: httpx.Response) -> tuple[str, str, str | None]:
    """The API's ``{"error": {code, message, field}}``, or a stand-in for other answers."""
    body = _json_or_none(response)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return (str(error.get("code", "error")), str(error.get("message", "")).strip(),
                error.get("field"))  # fmt: skip
    return "http_error", response.reason_phrase or f"HTTP {response.status_code}", None


def _event_index(field_name: str | None) -> int | None:
    """``events[3].account_id`` → 3."""
    if not field_name or not field_name.startswith("events["):
        return None
    digits = field_name[len("events[") :].split("]", 1)[0]
    return int(digits) if digits.isdigit() else None


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", "60"))
    except ValueError:
        return 60.0


def _transport_reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or no route"
    return type(exc).__name__
