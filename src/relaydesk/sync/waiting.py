"""The team server's expected wait of a conversation, as the holding reply needs it.

``conversation_wait`` asks ``GET /v1/conversations/{id}/wait`` through ``TeamClient.call`` and
gives a :class:`ServerWait`, whose figures the desktop rounds for the customer with
``relaydesk.domain.waiting.customer_wait``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from relaydesk.domain.waiting import WaitBasis, WaitEstimate
from relaydesk.sync.client import API_VERSION, TeamClient
from relaydesk.sync.errors import IncompatibleServer


@dataclass(frozen=True, slots=True)
class ServerWait:
    """The answer: the estimate, and the conversation's state and owner as the server sees it."""

    conversation_id: str
    state: str
    owner_id: str | None
    estimate: WaitEstimate


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def parse_wait(answer: Any, server_url: str = "") -> ServerWait:
    """The server's JSON as a :class:`ServerWait` (``IncompatibleServer`` when it is not one)."""
    if not isinstance(answer, dict) or "must_wait" not in answer or "basis" not in answer:
        raise IncompatibleServer(server_url, "the wait answer lacks must_wait or basis")
    try:
        basis = WaitBasis(answer["basis"])
    except ValueError:
        raise IncompatibleServer(server_url, f"unknown wait basis {answer['basis']!r}") from None
    position = answer.get("position")
    estimate = WaitEstimate(
        must_wait=bool(answer["must_wait"]),
        basis=basis,
        position=position if isinstance(position, int) else None,
        expected_s=_number(answer.get("expected_wait_s")),
        low_s=_number(answer.get("low_s")),
        high_s=_number(answer.get("high_s")),
        measured=bool(answer.get("measured", False)),
    )
    owner = answer.get("owner_id")
    return ServerWait(
        str(answer.get("conversation_id", "")),
        str(answer.get("state", "")),
        owner if isinstance(owner, str) else None,
        estimate,
    )


async def conversation_wait(client: TeamClient, conversation_id: str) -> ServerWait:
    """The expected wait of ``conversation_id`` (``SyncError`` subclasses on failure)."""
    if not conversation_id or "/" in conversation_id:
        raise ValueError(f"not a conversation id: {conversation_id!r}")
    answer = await client.call(
        "GET", f"/{API_VERSION}/conversations/{conversation_id}/wait", "estimate the wait"
    )
    return parse_wait(answer, client.server_url)


class QueuedConversations:
    """Finds the queued conversation of a chat: the ownership book knows assigned ones only
    (pushes never name a queued conversation), so ask the visible queue, with each contact's
    handle looked up once."""

    def __init__(self, client: TeamClient) -> None:
        self.client = client
        self._handles: dict[str, str] = {}  # contact id -> handle (handles never change)

    async def find(self, account_id: str, handle: str) -> str | None:
        """The id of the queued conversation of ``handle`` on the server's ``account_id``."""
        rows = await self.client.call(
            "GET", f"/{API_VERSION}/conversations?state=queued&limit=1000", "list the queue"
        )
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or row.get("account_id") != account_id:
                continue
            contact_id = str(row.get("contact_id", ""))
            if contact_id not in self._handles:
                detail = await self.client.conversation(str(row["id"]))
                self._handles[contact_id] = str(detail.get("contact", {}).get("handle", ""))
            if self._handles[contact_id] == handle:
                return str(row["id"])
        return None
