"""What a workstation reports to the team server: the events the recipes saw.

Each event gets its id here, on the workstation, before anything touches the network; the server
counts a repeated id once, so an event can be resent after any failure without counting twice.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    CUSTOMER_MESSAGE = "customer_message"
    AGENT_REPLY = "agent_reply"
    INTAKE = "intake"
    CONVERSATION_CLOSED = "conversation_closed"


class Source(StrEnum):
    AD = "ad"
    LINK = "link"
    ORGANIC = "organic"


def new_event_id() -> str:
    """A random 128-bit id, unique across workstations without coordination."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Contact:
    handle: str
    name: str | None = None
    language: str | None = None


# The tag of an agent_reply that only told the customer about the wait (a holding reply): the
# server neither counts it as an answer nor gives a queued conversation to its sender.
HOLDING_TAG = "holding"


@dataclass(frozen=True, slots=True)
class TeamEvent:
    """One event for ``POST /v1/events``; ``id`` and ``ts`` are fixed when it is made."""

    type: EventType
    account_id: str
    contact: Contact
    text: str | None = None
    source: Source | None = None
    tags: tuple[str, ...] | None = None
    ts: float = field(default_factory=time.time)
    id: str = field(default_factory=new_event_id)

    def __post_init__(self) -> None:
        if not self.account_id:
            raise ValueError("a team event needs the account_id it happened on")
        if not self.contact.handle:
            raise ValueError("a team event needs the contact's handle")
        if not self.id or len(self.id) > 120:
            raise ValueError(f"an event id is 1 to 120 characters, got {self.id!r}")

    def to_json(self) -> dict[str, Any]:
        """The event as the API takes it (fields left unset are not sent)."""
        contact: dict[str, Any] = {"handle": self.contact.handle}
        if self.contact.name is not None:
            contact["name"] = self.contact.name
        if self.contact.language is not None:
            contact["language"] = self.contact.language
        body: dict[str, Any] = {
            "id": self.id, "type": self.type.value, "account_id": self.account_id,
            "contact": contact, "ts": self.ts,
        }  # fmt: skip
        if self.text is not None:
            body["text"] = self.text
        if self.source is not None:
            body["source"] = self.source.value
        if self.tags is not None:
            body["tags"] = list(self.tags)
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> TeamEvent:
        contact = body["contact"]
        tags = body.get("tags")
        source = body.get("source")
        return cls(
            id=body["id"], type=EventType(body["type"]), account_id=body["account_id"],
            contact=Contact(contact["handle"], contact.get("name"), contact.get("language")),
            ts=float(body["ts"]), text=body.get("text"),
            source=Source(source) if source is not None else None,
            tags=tuple(tags) if tags is not None else None,
        )  # fmt: skip
