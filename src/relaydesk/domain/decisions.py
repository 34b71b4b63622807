"""What the routing core decided: records the server stores and pushes and the simulator counts.

Every mutating call of the Dispatcher (and of the handoff functions) returns the decisions it
took in the order it took them, so a caller can replay, log or notify without reading state.
"""

from __future__ import annotations

from dataclasses import dataclass

# Why a conversation got its owner.
ASSIGN_REASONS = ("policy", "sticky", "queue", "handoff_timeout", "agent_gone", "transfer")
# What a supervisor is told about.
WARNING_KINDS = ("handoff_limit", "no_eligible_agent", "collision", "overload")


@dataclass(frozen=True, slots=True)
class Assigned:
    """``conversation_id`` now belongs to ``agent_id``; ``reason`` is one of ASSIGN_REASONS."""

    conversation_id: str
    agent_id: str
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class Queued:
    """Nobody could take the conversation now; it waits (``reason``: why it entered the queue)."""

    conversation_id: str
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class HandedOff:
    """Ownership left ``from_agent_id``; ``to_agent_id`` is None when it went to the queue."""

    conversation_id: str
    from_agent_id: str
    to_agent_id: str | None
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class Released:
    """``agent_id`` no longer owns the conversation (gone, transfer to the queue)."""

    conversation_id: str
    agent_id: str
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class Warning:  # the domain's word; shadows the builtin only inside this module
    """Something a supervisor should see; ``kind`` is one of WARNING_KINDS."""

    kind: str
    at: float
    message: str
    conversation_id: str | None = None
    agent_id: str | None = None


Decision = Assigned | Queued | HandedOff | Released | Warning
