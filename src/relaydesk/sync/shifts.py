"""Shifts through the team server: the board's who-is-on, schedules, the keep choice, and the
shift-end notice read from a ``warning`` push — plain values for the desktop to show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from relaydesk.sync.client import API_VERSION, TeamClient

SHIFT_ENDING = "shift_ending"  # the warning kind the server pushes before a shift ends


@dataclass(frozen=True, slots=True)
class ShiftMember:
    agent_id: str
    name: str
    status: str
    scheduled: bool
    shift_end: float | None
    next_shift_start: float | None


@dataclass(frozen=True, slots=True)
class TeamShifts:
    team: str | None
    on_now: tuple[ShiftMember, ...]
    next: tuple[ShiftMember, ...]


@dataclass(frozen=True, slots=True)
class ShiftBoard:
    at: float
    teams: tuple[TeamShifts, ...]


@dataclass(frozen=True, slots=True)
class NoticeItem:
    conversation_id: str
    contact_handle: str
    label: str
    kept: bool


@dataclass(frozen=True, slots=True)
class ShiftNotice:
    """What will be handed over at ``shift_end`` unless kept."""

    shift_end: float
    message: str
    items: tuple[NoticeItem, ...]


def _member(doc: Mapping[str, Any]) -> ShiftMember:
    def when(key: str) -> float | None:
        value = doc.get(key)
        return float(value) if isinstance(value, int | float) else None

    return ShiftMember(
        agent_id=str(doc.get("agent_id", "")),
        name=str(doc.get("name") or doc.get("agent_id") or ""),
        status=str(doc.get("status", "")),
        scheduled=bool(doc.get("scheduled", False)),
        shift_end=when("shift_end"),
        next_shift_start=when("next_shift_start"),
    )


def board_from(doc: Any) -> ShiftBoard:
    """The server's ``GET /v1/shifts`` answer as values (anything malformed is left out)."""
    if not isinstance(doc, Mapping):
        return ShiftBoard(0.0, ())
    teams = []
    for team in doc.get("teams") or ():
        if not isinstance(team, Mapping):
            continue
        teams.append(
            TeamShifts(
                team=team.get("team") if isinstance(team.get("team"), str) else None,
                on_now=tuple(
                    _member(m) for m in team.get("on_now") or () if isinstance(m, Mapping)
                ),
                next=tuple(_member(m) for m in team.get("next") or () if isinstance(m, Mapping)),
            )
        )
    at = doc.get("at")
    return ShiftBoard(float(at) if isinstance(at, int | float) else 0.0, tuple(teams))


def notice_from(push: Mapping[str, Any]) -> ShiftNotice | None:
    """A ``warning`` push of kind ``shift_ending`` as a notice; None for any other push."""
    if push.get("kind") != SHIFT_ENDING or not isinstance(push.get("shift_end"), int | float):
        return None
    items = []
    for item in push.get("conversations") or ():
        if isinstance(item, Mapping) and isinstance(item.get("conversation_id"), str):
            items.append(
                NoticeItem(
                    conversation_id=item["conversation_id"],
                    contact_handle=str(item.get("contact_handle") or ""),
                    label=str(item.get("label") or ""),
                    kept=bool(item.get("kept", False)),
                )
            )
    return ShiftNotice(float(push["shift_end"]), str(push.get("message", "")), tuple(items))


class ShiftsApi:
    """The shift calls, through :meth:`TeamClient.call` (typed errors from ``sync.errors``)."""

    def __init__(self, client: TeamClient) -> None:
        self.client = client

    async def board(self, at: float | None = None) -> ShiftBoard:
        query = f"?{urlencode({'at': at})}" if at is not None else ""
        answer = await self.client.call(
            "GET", f"/{API_VERSION}/shifts{query}", "read who is on shift"
        )
        return board_from(answer)

    async def schedule(self, agent_id: str) -> dict[str, Any]:
        answer = await self.client.call(
            "GET", f"/{API_VERSION}/agents/{quote(agent_id, safe='')}/shifts", "read the shifts"
        )
        return dict(answer) if isinstance(answer, Mapping) else {}

    async def set_schedule(
        self, agent_id: str, timezone: str, intervals: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        body = {"timezone": timezone, "intervals": [dict(i) for i in intervals]}
        answer = await self.client.call(
            "PUT",
            f"/{API_VERSION}/agents/{quote(agent_id, safe='')}/shifts",
            "save the shifts",
            body,
        )
        return dict(answer) if isinstance(answer, Mapping) else {}

    async def keep(self, conversation_id: str, keep: bool) -> bool:
        """Keep a conversation past one's shift end (or not); the server's answer."""
        if not conversation_id or "/" in conversation_id:
            raise ValueError(f"not a conversation id: {conversation_id!r}")
        answer = await self.client.call(
            "POST",
            f"/{API_VERSION}/conversations/{conversation_id}/keep",
            "keep the conversation",
            {"keep": keep},
        )
        return bool(answer.get("kept")) if isinstance(answer, Mapping) else keep
