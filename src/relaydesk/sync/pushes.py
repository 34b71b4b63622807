"""What the team server pushes on ``/v1/stream``, as typed events.

Every message carries a per-agent sequence number ``seq``; the stream client remembers the last
one handled and asks for what came after it on every reconnect. Fields the server adds later are
kept in ``raw`` so an older workstation keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Push:
    """Common to every push: its number, when the server made it, the message as received."""

    seq: int
    at: float
    raw: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ConversationPush(Push):
    conversation_id: str
    account_id: str
    contact_id: str | None
    owner_id: str | None
    state: str
    priority: int | None
    label: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Assigned(ConversationPush):
    """A conversation is now yours."""


@dataclass(frozen=True, slots=True)
class Handoff(ConversationPush):
    """A conversation moves from one agent to another (you are one of them), with its context
    when the server sends it: notes, tags and a (translated) summary of the conversation."""

    from_agent_id: str | None
    to_agent_id: str | None
    notes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class OwnerChanged(ConversationPush):
    """A conversation you owned has a new owner, went back to the queue, or was closed."""


@dataclass(frozen=True, slots=True)
class QueueChanged(Push):
    account_id: str
    queued: int


@dataclass(frozen=True, slots=True)
class Warning(Push):  # the domain's word; shadows the builtin only inside this module
    kind: str
    message: str
    conversation_id: str | None
    agent_id: str | None
    other_agent_id: str | None


@dataclass(frozen=True, slots=True)
class RulesChanged(Push):
    policy: str | None


@dataclass(frozen=True, slots=True)
class UnknownPush(Push):
    """A push type this version does not know; numbered like the others, otherwise ignored."""

    type: str


class MalformedPush(ValueError):
    """A stream message that is not a push (no number, wrong types)."""


def _conversation_fields(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "conversation_id": str(m["conversation_id"]), "account_id": str(m["account_id"]),
        "contact_id": m.get("contact_id"), "owner_id": m.get("owner_id"),
        "state": str(m.get("state", "")), "priority": m.get("priority"),
        "label": m.get("label"), "reason": m.get("reason"),
    }  # fmt: skip


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MalformedPush(f"expected a list of strings, got {value!r}")
    return tuple(str(v) for v in value)


def parse_push(message: Any) -> Push:
    """Turn one decoded stream message into its typed push; raise MalformedPush otherwise."""
    if not isinstance(message, dict):
        raise MalformedPush(f"a push is a JSON object, got {type(message).__name__}")
    try:
        seq = message["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise MalformedPush(f"a push's seq is a positive integer, got {seq!r}")
        common: dict[str, Any] = {"seq": seq, "at": float(message.get("at", 0.0)),
                                  "raw": message}  # fmt: skip
        kind = message.get("type")
        if kind == "assigned":
            return Assigned(**common, **_conversation_fields(message))
        if kind == "handoff":
            return Handoff(**common, **_conversation_fields(message),
                           from_agent_id=message.get("from_agent_id"),
                           to_agent_id=message.get("to_agent_id"),
                           notes=_strings(message.get("notes")),
                           tags=_strings(message.get("tags")),
                           summary=message.get("summary"))  # fmt: skip
        if kind == "owner_changed":
            return OwnerChanged(**common, **_conversation_fields(message))
        if kind == "queue_changed":
            return QueueChanged(**common, account_id=str(message["account_id"]),
                                queued=int(message["queued"]))  # fmt: skip
        if kind == "warning":
            return Warning(**common, kind=str(message["kind"]), message=str(message["message"]),
                           conversation_id=message.get("conversation_id"),
                           agent_id=message.get("agent_id"),
                           other_agent_id=message.get("other_agent_id"))  # fmt: skip
        if kind == "rules_changed":
            return RulesChanged(**common, policy=message.get("policy"))
        return UnknownPush(**common, type=str(kind))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MalformedPush):
            raise
        raise MalformedPush(f"push {message.get('type')!r} is missing or mistypes {exc}") from exc
