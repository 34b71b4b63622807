"""What the supervisor board reads from the team server, and the summary it shows.

``SupervisorApi`` wraps the calls (agents, conversations, the routing rules and their schema);
``summarize_board`` turns their answers into the board's figures in plain Python: per agent the
status and load against capacity, and the waiting conversations with the oldest wait.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from relaydesk.sync.client import API_VERSION, TeamClient
from relaydesk.sync.errors import ActionRefused, SyncError


@dataclass(frozen=True, slots=True)
class AgentView:
    id: str
    login: str
    name: str
    role: str
    status: str
    capacity: int | None
    team: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class ConversationView:
    id: str
    account_id: str
    state: str
    owner_id: str | None
    opened_at: float
    waiting_since: float | None
    priority: int
    label: str
    reply_deadline: float | None = None
    owner_name: str | None = None
    contact_id: str = ""


@dataclass(frozen=True, slots=True)
class AgentLoad:
    agent: AgentView
    open_conversations: int

    @property
    def over_capacity(self) -> bool:
        capacity = self.agent.capacity
        return capacity is not None and self.open_conversations > capacity


@dataclass(frozen=True, slots=True)
class BoardSummary:
    agents: tuple[AgentLoad, ...]
    waiting: int
    oldest_wait_s: float | None


MAX_PAGE = 1000  # the most conversations the server lists in one answer


class RulesRejected(SyncError):
    """The routing rules were not saved; ``field`` is the JSON path the server named."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"The routing rules were not saved: {message}")
        self.field = field


class SupervisorApi:
    """The board's reads and the rules editor's save, over a signed-in TeamClient."""

    def __init__(self, client: TeamClient) -> None:
        self.client = client

    async def agents(self) -> list[AgentView]:
        rows = await self.client.call("GET", f"/{API_VERSION}/agents", "list the agents")
        return [
            AgentView(str(r["id"]), str(r["login"]), str(r.get("name", "")), str(r["role"]),
                      str(r.get("status", "offline")), r.get("capacity"), r.get("team"),
                      bool(r.get("active", True)))
            for r in rows
        ]  # fmt: skip

    async def conversations(
        self, state: str | None = None, owner_id: str | None = None, limit: int | None = None
    ) -> list[ConversationView]:
        """Newest first; the server answers 200 unless ``limit`` says more (at most 1,000)."""
        pairs = (("state", state), ("owner_id", owner_id), ("limit", limit))
        query = {k: v for k, v in pairs if v is not None}
        path = f"/{API_VERSION}/conversations" + (f"?{urlencode(query)}" if query else "")
        rows = await self.client.call("GET", path, "list the conversations")
        return [
            ConversationView(str(r["id"]), str(r["account_id"]), str(r["state"]),
                             r.get("owner_id"), float(r["opened_at"]), r.get("waiting_since"),
                             int(r.get("priority", 0)), str(r.get("label", "")),
                             r.get("reply_deadline"), r.get("owner_name"),
                             str(r.get("contact_id", "")))
            for r in rows
        ]  # fmt: skip

    async def contact_name(self, conversation_id: str) -> str:
        """The customer of a conversation as the agents know them: the contact's name, else its
        handle (the list of conversations gives only the contact's id)."""
        detail = await self.client.conversation(conversation_id)
        contact = detail.get("contact") or {}
        return str(contact.get("name") or contact.get("handle") or "")

    async def rules(self) -> dict[str, Any]:
        document = await self.client.call("GET", f"/{API_VERSION}/rules", "show the rules")
        return dict(document)

    async def rules_schema(self) -> dict[str, Any]:
        schema = await self.client.call(
            "GET", f"/{API_VERSION}/rules/schema", "show the rules schema"
        )
        return dict(schema)

    async def save_rules(self, document: dict[str, Any]) -> dict[str, Any]:
        """Store a new rules document; RulesRejected names the field the server refused."""
        try:
            stored = await self.client.call(
                "PUT", f"/{API_VERSION}/rules", "save the rules", document
            )
        except ActionRefused as exc:
            if exc.status == 422:
                raise RulesRejected(exc.field, exc.server_message) from exc
            raise
        return dict(stored)

    async def report(self, name: str, **query: Any) -> dict[str, Any]:
        """``GET /v1/reports/<name>`` (intake, service) or ``/v1/forecast`` (name "forecast")."""
        path = "/forecast" if name == "forecast" else f"/reports/{name}"
        params = {("from" if k == "start" else "to" if k == "end" else k): v
                  for k, v in query.items() if v is not None}  # fmt: skip
        answer = await self.client.call(
            "GET", f"/{API_VERSION}{path}" + (f"?{urlencode(params)}" if params else ""),
            f"read the {name} report",
        )  # fmt: skip
        return dict(answer)

    async def links(self) -> list[dict[str, Any]]:
        return list(await self.client.call("GET", f"/{API_VERSION}/links", "list the links"))

    async def save_link(self, body: dict[str, Any], link_id: str | None = None) -> dict[str, Any]:
        """Create a split link, or change one (``link_id``); ActionRefused names the field."""
        if link_id is None:
            answer = await self.client.call("POST", f"/{API_VERSION}/links", "save the link", body)
        else:
            answer = await self.client.call(
                "PATCH", f"/{API_VERSION}/links/{link_id}", "save the link", body
            )
        return dict(answer)

    async def open_conversations(self) -> list[ConversationView]:
        """The assigned and the queued ones (what the board counts), not the closed history
        that would crowd them out of one page."""
        assigned, queued = await asyncio.gather(
            self.conversations("assigned", limit=MAX_PAGE),
            self.conversations("queued", limit=MAX_PAGE),
        )
        return assigned + queued

    async def board(self, now: float) -> BoardSummary:
        agents = await self.agents()
        conversations = await self.open_conversations()
        return summarize_board(agents, conversations, now)


def summarize_board(
    agents: Sequence[AgentView], conversations: Sequence[ConversationView], now: float
) -> BoardSummary:
    """Load per active agent (open conversations they own), queue length and its oldest wait."""
    owned = Counter(c.owner_id for c in conversations if c.state == "assigned" and c.owner_id)
    waiting = [c for c in conversations if c.state == "queued"]
    starts = [c.waiting_since if c.waiting_since is not None else c.opened_at for c in waiting]
    loads = tuple(
        AgentLoad(a, owned.get(a.id, 0))
        for a in sorted(agents, key=lambda a: (a.status != "online", a.login))
        if a.active
    )
    return BoardSummary(loads, len(waiting), max(0.0, now - min(starts)) if starts else None)


def intake_name(row: dict[str, Any]) -> str:
    """What an intake report row is called on the board: the server's ``name`` (an agent's or
    an account's name, a link's slug), its key when the server gave none; "" for the rows of
    intakes without one (no agent yet, no link)."""
    key = str(row.get("key", ""))
    if key == "none":
        return ""
    return str(row.get("name") or key)


@dataclass(frozen=True, slots=True)
class BoardWarning:
    """One warning of the board: its kind and values, for the desktop to word in the UI's
    language; ``text`` is the English line (logs, and a fallback)."""

    kind: str  # overload_forecast, lapsed_reply, collision, over_capacity
    text: str
    agent: str = ""  # the agent's display name (over_capacity, lapsed_reply, collision)
    count: int = 0  # conversations held, collisions today, or agents needed (forecast)
    limit: int = 0  # the agent's capacity, or the agents online now (forecast)
    late_s: float = 0.0  # how long past the reply deadline (lapsed_reply)
    account_id: str = ""  # the lapsed conversation's account and customer, to name them
    contact_id: str = ""
    conversation_id: str = ""
    hours: tuple[int, ...] = ()  # tomorrow's hours short of agents (forecast), at most six


def board_warnings(
    summary: BoardSummary, conversations: Sequence[ConversationView],
    forecast_hours: Sequence[dict[str, Any]], collisions: dict[str, int], now: float,
) -> list[BoardWarning]:  # fmt: skip
    """What a supervisor should look at: agents over capacity, replies past their deadline,
    collisions today, and forecast hours needing more agents than are online now."""
    names = {load.agent.id: load.agent.name or load.agent.login for load in summary.agents}
    out = [BoardWarning("over_capacity", f"{names[load.agent.id]} holds "
                        f"{load.open_conversations} of {load.agent.capacity}",
                        agent=names[load.agent.id], count=load.open_conversations,
                        limit=load.agent.capacity or 0)
           for load in summary.agents if load.over_capacity]  # fmt: skip
    for conversation in conversations:
        deadline = conversation.reply_deadline
        if conversation.state == "assigned" and deadline is not None and deadline < now:
            owner = names.get(conversation.owner_id or "", conversation.owner_id or "?")
            late = now - deadline
            out.append(BoardWarning("lapsed_reply", f"{owner}: no reply, {late:.0f} s past "
                                    f"the deadline ({conversation.id})", agent=owner,
                                    late_s=late, account_id=conversation.account_id,
                                    contact_id=conversation.contact_id,
                                    conversation_id=conversation.id))  # fmt: skip
    out += [BoardWarning("collision", f"{names.get(agent, agent)}: {count} collision(s) today",
                         agent=names.get(agent, agent), count=count)
            for agent, count in sorted(collisions.items()) if count]  # fmt: skip
    online = sum(1 for load in summary.agents if load.agent.status == "online")
    short = [h for h in forecast_hours if int(h.get("recommended_agents", 0)) > online]
    if short:
        hours = tuple(int(h["hour"]) for h in short[:6])
        need = max(int(h["recommended_agents"]) for h in short)
        said = ", ".join(f"{hour:02d}:00" for hour in hours)
        out.append(BoardWarning("overload_forecast", f"tomorrow {said} need up to {need} "
                                f"agents; {online} online now", count=need, limit=online,
                                hours=hours))  # fmt: skip
    return out
