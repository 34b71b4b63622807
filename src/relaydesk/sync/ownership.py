"""Who owns each open chat, as the workstation knows it: the basis of the collision guard.

The server is the one source of truth for ownership; this is the workstation's cache of it, kept
by chat (account and contact handle, which is what a tab knows) and refreshed from
``GET /v1/conversations`` (own conversations and those of shared accounts the agent belongs to)
and from the push stream. ``guard_reply`` is the rule the desktop asks before an agent replies:
a chat someone else owns needs a confirmation, naming the owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from relaydesk.sync.client import API_VERSION, TeamClient
from relaydesk.sync.pushes import ConversationPush, Push


class ReplyVerdict(StrEnum):
    FREE = "free"  # nobody owns it (or the server does not know it yet): reply
    MINE = "mine"  # reply
    OWNED_BY_OTHER = "owned_by_other"  # ask for confirmation: the reply will be a collision


@dataclass(frozen=True, slots=True)
class ReplyGuard:
    verdict: ReplyVerdict
    conversation_id: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.verdict is ReplyVerdict.OWNED_BY_OTHER

    def banner(self) -> str | None:
        """The chat banner's sentence, or None when nothing needs saying."""
        if self.verdict is ReplyVerdict.MINE:
            return "Assigned to you."
        if self.verdict is ReplyVerdict.OWNED_BY_OTHER:
            return f"Owned by {self.owner_name or self.owner_id}."
        return None


@dataclass(frozen=True, slots=True)
class ChatOwner:
    """One open conversation as the book knows it (for tab marks and menus)."""

    conversation_id: str
    account_id: str
    handle: str
    owner_id: str | None
    owner_name: str | None


@dataclass
class _Entry:
    conversation_id: str
    account_id: str
    handle: str
    owner_id: str | None
    owner_name: str | None
    open: bool


class OwnershipBook:
    """The owners of the open conversations this agent can see, by chat."""

    def __init__(self, client: TeamClient, names: dict[str, str] | None = None) -> None:
        self.client = client
        self.names = dict(names or {})  # agent id -> display name, when the caller knows them
        self._by_id: dict[str, _Entry] = {}
        self._handles: dict[str, str] = {}  # contact id -> handle (contacts never change handle)

    async def refresh(self) -> None:
        """Read the visible open conversations again (after reconnects, on queue changes)."""
        rows = await self.client.call(  # every owned one (the server's most, not its page of 200)
            "GET", f"/{API_VERSION}/conversations?state=assigned&limit=1000",
            "list the conversations",
        )  # fmt: skip
        seen: set[str] = set()
        for row in rows:
            handle = await self._handle_of(row)
            self._remember(row, handle)
            seen.add(str(row["id"]))
        for conversation_id, entry in self._by_id.items():
            if conversation_id not in seen:
                entry.open = False

    async def apply(self, push: Push) -> None:
        """Follow ownership changes pushed to this agent (assigned, handoff, owner_changed)."""
        if not isinstance(push, ConversationPush):
            return
        entry = self._by_id.get(push.conversation_id)
        handle = push.raw.get("contact_handle")
        if entry is None and isinstance(handle, str) and handle:
            self._remember({**push.raw, "id": push.conversation_id,
                            "contact_id": push.contact_id or "", "state": push.state,
                            "owner_name": self.names.get(push.owner_id or "")}, handle)  # fmt: skip
            return
        if entry is None:
            detail = await self.client.conversation(push.conversation_id)
            if not detail:
                return
            self._remember(detail, str(detail["contact"]["handle"]))
            return
        entry.owner_id = push.owner_id
        entry.owner_name = self.names.get(push.owner_id or "")
        entry.open = push.state != "closed"

    def open_chats(self) -> list[ChatOwner]:
        """The open conversations the book knows, oldest first."""
        return [ChatOwner(e.conversation_id, e.account_id, e.handle, e.owner_id,
                          e.owner_name or self.names.get(e.owner_id or ""))
                for e in self._by_id.values() if e.open]  # fmt: skip

    def guard_reply(self, account_id: str, handle: str, me: str) -> ReplyGuard:
        """May ``me`` reply in this chat without asking? See :class:`ReplyVerdict`."""
        entry = next(
            (e for e in self._by_id.values()
             if e.open and e.account_id == account_id and e.handle == handle),
            None,
        )  # fmt: skip
        if entry is None or entry.owner_id is None:
            return ReplyGuard(ReplyVerdict.FREE, entry.conversation_id if entry else None)
        if entry.owner_id == me:
            return ReplyGuard(ReplyVerdict.MINE, entry.conversation_id, me)
        name = entry.owner_name or self.names.get(entry.owner_id)
        return ReplyGuard(ReplyVerdict.OWNED_BY_OTHER, entry.conversation_id, entry.owner_id, name)

    async def _handle_of(self, row: dict[str, Any]) -> str:
        contact_id = str(row["contact_id"])
        if contact_id not in self._handles:
            detail = await self.client.conversation(str(row["id"]))
            self._handles[contact_id] = str(detail["contact"]["handle"])
        return self._handles[contact_id]

    def _remember(self, row: dict[str, Any], handle: str) -> None:
        self._handles[str(row["contact_id"])] = handle
        self._by_id[str(row["id"])] = _Entry(
            str(row["id"]), str(row["account_id"]), handle, row.get("owner_id"),
            row.get("owner_name"), row.get("state") != "closed",
        )  # fmt: skip
