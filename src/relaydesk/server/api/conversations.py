"""Conversations: list and read what the caller may see; transfer and close."""

from __future__ import annotations

import time

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.server import assignment
from relaydesk.server.access import may_assign_to, visible_conversations
from relaydesk.server.deps import Caller, Session, State
from relaydesk.server.errors import ApiError, forbidden, not_found
from relaydesk.server.models import (
    AgentRow,
    ContactRow,
    ConversationNoteRow,
    ConversationRow,
    OwnershipRow,
)
from relaydesk.server.schemas import (
    ContactOut,
    ConversationDetail,
    ConversationOut,
    NoteIn,
    NoteOut,
    OwnershipOut,
    TransferIn,
)

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


def conversation_out(row: ConversationRow, names: dict[str, str] | None = None) -> ConversationOut:
    out = ConversationOut.model_validate(row, from_attributes=True)
    if row.owner_id is not None and names is not None:
        out.owner_name = names.get(row.owner_id)
    return out


async def owner_names(session: Session, rows: list[ConversationRow]) -> dict[str, str]:
    """Display names of the rows' owners, in one query (workstations show "owned by <name>")."""
    ids = {r.owner_id for r in rows if r.owner_id is not None}
    if not ids:
        return {}
    found = await session.execute(select(AgentRow.id, AgentRow.name).where(AgentRow.id.in_(ids)))
    return {agent_id: name or agent_id for agent_id, name in found}


async def _visible(
    session: Session, caller: AgentRow, conversation_id: str, lock: bool = False
) -> ConversationRow:
    query = select(ConversationRow).where(
        ConversationRow.id == conversation_id, visible_conversations(caller)
    )
    row = await session.scalar(query.with_for_update() if lock else query)
    if row is None:  # another team's conversation looks exactly like a missing one
        raise not_found("conversation")
    return row


@router.get("")
async def list_conversations(
    caller: Caller,
    session: Session,
    state: str | None = Query(default=None, pattern="^(queued|assigned|closed)$"),
    owner_id: str | None = None,
    limit: int = Query(default=200, ge=1, le=1000),
) -> list[ConversationOut]:
    query = select(ConversationRow).where(visible_conversations(caller))
    if state is not None:
        query = query.where(ConversationRow.state == state)
    if owner_id is not None:
        query = query.where(ConversationRow.owner_id == owner_id)
    rows = list(
        await session.scalars(query.order_by(ConversationRow.opened_at.desc()).limit(limit))
    )
    names = await owner_names(session, rows)
    return [conversation_out(r, names) for r in rows]


@router.get("/{conversation_id}")
async def get_conversation(
    conversation_id: str, caller: Caller, session: Session
) -> ConversationDetail:
    row = await _visible(session, caller, conversation_id)
    contact = await session.get(ContactRow, row.contact_id)
    assert contact is not None
    history = await session.scalars(
        select(OwnershipRow)
        .where(OwnershipRow.conversation_id == row.id)
        .order_by(OwnershipRow.start, OwnershipRow.id)
    )
    return ConversationDetail(
        **conversation_out(row, await owner_names(session, [row])).model_dump(),
        contact=ContactOut.model_validate(contact, from_attributes=True),
        owner_history=[OwnershipOut.model_validate(h, from_attributes=True) for h in history],
        notes=await conversation_notes(session, row.id),
    )


async def conversation_notes(session: AsyncSession, conversation_id: str) -> list[NoteOut]:
    """The conversation's notes, oldest first, each with its author's display name."""
    rows = await session.execute(
        select(ConversationNoteRow, AgentRow.name, AgentRow.login)
        .join(AgentRow, AgentRow.id == ConversationNoteRow.agent_id)
        .where(ConversationNoteRow.conversation_id == conversation_id)
        .order_by(ConversationNoteRow.at, ConversationNoteRow.id)
    )
    return [
        NoteOut(id=note.id, agent_id=note.agent_id, author=name or login,
                text=note.text, at=note.at)
        for note, name, login in rows
    ]  # fmt: skip


@router.post("/{conversation_id}/notes", status_code=201)
async def add_note(conversation_id: str, body: NoteIn, caller: Caller, session: Session) -> NoteOut:
    """A note for whoever works on the conversation next (anyone who may see it may add one)."""
    row = await _visible(session, caller, conversation_id)
    note = ConversationNoteRow(
        conversation_id=row.id, agent_id=caller.id, text=body.text, at=time.time()
    )
    session.add(note)
    await session.commit()
    return NoteOut(id=note.id, agent_id=caller.id, author=caller.name or caller.login,
                   text=note.text, at=note.at)  # fmt: skip


def _may_change(caller: AgentRow, row: ConversationRow) -> bool:
    """Agents change their own (or unowned ones they see); supervisors their team's."""
    return caller.role != "agent" or row.owner_id in (None, caller.id)


@router.post("/{conversation_id}/transfer")
async def transfer(
    conversation_id: str, body: TransferIn, caller: Caller, state: State
) -> ConversationOut:
    async with state.transaction() as tx:
        row = await _visible(tx.session, caller, conversation_id, lock=True)
        if not _may_change(caller, row):
            raise forbidden("Only the owner or a supervisor may transfer this conversation.")
        if row.state == "closed":
            raise ApiError(409, "closed", "The conversation is closed.")
        if body.to_agent_id is not None:
            target = await tx.session.get(AgentRow, body.to_agent_id)
            if target is None or not await may_assign_to(tx.session, caller, target):
                raise ApiError(422, "invalid", "No such agent in your team.", "to_agent_id")
        await assignment.transfer(tx, row, body.to_agent_id)
    return conversation_out(row)


@router.post("/{conversation_id}/close")
async def close(conversation_id: str, caller: Caller, state: State) -> ConversationOut:
    async with state.transaction() as tx:
        row = await _visible(tx.session, caller, conversation_id, lock=True)
        if not _may_change(caller, row):
            raise forbidden("Only the owner or a supervisor may close this conversation.")
        if row.state != "closed":
            await assignment.close(tx, row)
    return conversation_out(row)
