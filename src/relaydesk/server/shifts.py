"""Shifts on the team server: stored schedules, the three shift timers, and the handover.

Each scheduled agent has up to three stored deadlines (``relaydesk.server.scheduler`` fires
them within a second, also after a restart): ``shift_notice`` (``shift_notice_s`` before the
end: a ``warning`` push listing what will be handed over), ``shift_end`` (the agent goes off
shift and their open conversations not kept move through the routing core, queued when nobody
is on) and ``shift_start`` (back on shift: queued work is offered). ``agents.on_shift`` holds
the answer between timers, so routing reads no schedule on the event path.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from relaydesk.domain.decisions import Assigned, Decision, HandedOff, Queued, Warning
from relaydesk.domain.load import agent_load, team_first_reply_s
from relaydesk.domain.models import Conversation
from relaydesk.domain.routing import Candidate
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.shifts import (
    ShiftSchedule,
    clock_text,
    current_shift,
    hand_over,
    next_shift,
    on_shift,
    wall_clock,
)
from relaydesk.server import assignment
from relaydesk.server.convert import (
    agent_from_row,
    agent_to_row,
    conversation_from_row,
    conversation_to_row,
)
from relaydesk.server.models import (
    AccountMemberRow,
    AgentRow,
    ContactRow,
    ConversationNoteRow,
    ConversationRow,
    DeadlineRow,
    KeptConversationRow,
    OwnershipRow,
    ShiftScheduleRow,
    WarningRow,
)
from relaydesk.server.state import Tx

TIMERS = ("shift_notice", "shift_end", "shift_start")


def schedule_from_row(row: ShiftScheduleRow | None) -> ShiftSchedule | None:
    if row is None:
        return None
    return ShiftSchedule.from_document({"timezone": row.timezone, "intervals": row.intervals})


async def schedules_of(session: AsyncSession, agent_ids: Iterable[str]) -> dict[str, ShiftSchedule]:
    ids = list(agent_ids)
    if not ids:
        return {}
    rows = await session.scalars(select(ShiftScheduleRow).where(ShiftScheduleRow.agent_id.in_(ids)))
    return {r.agent_id: s for r in rows if (s := schedule_from_row(r)) is not None}


async def arm(tx: Tx, agent_id: str, schedule: ShiftSchedule | None) -> None:
    """Store the agent's next shift timers from now (none without a schedule)."""
    start = end = notice = None
    if schedule is not None:
        now = tx.now
        current = current_shift(schedule, now)
        upcoming = next_shift(schedule, now)
        if current is not None:
            end = current.end
            floor = now
        elif upcoming is not None:
            end, floor = upcoming.end, upcoming.start
        start = upcoming.start if upcoming is not None else None
        if end is not None:
            notice = max(floor, end - tx.rules.shift_notice_s)
    await assignment.set_deadline(tx, "shift_start", agent_id, start)
    await assignment.set_deadline(tx, "shift_end", agent_id, end)
    await assignment.set_deadline(tx, "shift_notice", agent_id, notice)


async def set_schedule(tx: Tx, agent: AgentRow, schedule: ShiftSchedule | None) -> None:
    """Store (or remove) a schedule, set whether the agent is on shift now, arm the timers.

    A schedule that takes an agent off shift at once stops new work now, and what they hold is
    treated as at a shift end ``shift_notice_s`` from now: the notice now, the handover then.
    """
    row = await tx.session.get(ShiftScheduleRow, agent.id)
    if schedule is None:
        if row is not None:
            await tx.session.delete(row)
    else:
        intervals = [
            {"day": i.day, "start": clock_text(i.start), "end": clock_text(i.end)}
            for i in schedule.intervals
        ]
        if row is None:
            row = ShiftScheduleRow(agent_id=agent.id, updated_at=tx.now)
            tx.session.add(row)
        row.timezone, row.intervals, row.updated_at = schedule.timezone, intervals, tx.now
    was_on = agent.on_shift
    agent.on_shift = on_shift(schedule, tx.now)
    await arm(tx, agent.id, schedule)
    if was_on and not agent.on_shift:  # off shift from now: told now, handed over as at an end
        await assignment.set_deadline(tx, "shift_notice", agent.id, tx.now)
        await assignment.set_deadline(tx, "shift_end", agent.id, tx.now + tx.rules.shift_notice_s)
    await tx.session.flush()
    if agent.on_shift and not was_on:
        await assignment.drain_queue(tx, agent)


async def _open_owned(tx: Tx, agent_id: str) -> list[ConversationRow]:
    return list(
        await tx.session.scalars(
            select(ConversationRow)
            .where(ConversationRow.owner_id == agent_id, ConversationRow.state == "assigned")
            .order_by(ConversationRow.opened_at, ConversationRow.id)
            .with_for_update()
        )
    )


async def _kept(tx: Tx, agent_id: str) -> set[str]:
    rows = await tx.session.scalars(
        select(KeptConversationRow.conversation_id).where(KeptConversationRow.agent_id == agent_id)
    )
    return set(rows)


async def on_deadline(tx: Tx, kind: str, agent_id: str) -> bool:
    """Fire one shift timer; True when the agent's availability may have changed."""
    agent = await tx.session.get(AgentRow, agent_id, with_for_update=True)
    if agent is None:
        return False
    schedule = schedule_from_row(await tx.session.get(ShiftScheduleRow, agent_id))
    if schedule is None:  # removed meanwhile: always on
        agent.on_shift = True
        return False
    if kind == "shift_notice":
        await _notice(tx, agent, schedule)
        return False
    agent.on_shift = on_shift(schedule, tx.now)
    await tx.session.flush()
    await arm(tx, agent_id, schedule)
    if kind == "shift_end" and not agent.on_shift:
        await _hand_over_all(tx, agent)
    elif agent.on_shift:
        await assignment.drain_queue(tx, agent)
    return True


async def _notice(tx: Tx, agent: AgentRow, schedule: ShiftSchedule) -> None:
    """The warning before the end, its sentence on the clocks of the agent's own zone; the
    push carries the values (``shift_end``, ``timezone``, ``conversations``) for a workstation
    to say it in its own language and clock."""
    ends_at = await tx.session.scalar(
        select(DeadlineRow.due_at).where(
            DeadlineRow.kind == "shift_end", DeadlineRow.subject_id == agent.id
        )
    )
    if ends_at is None or ends_at < tx.now:
        return
    rows = await _open_owned(tx, agent.id)
    if not rows:
        return
    kept = await _kept(tx, agent.id)
    handles = dict(
        (
            await tx.session.execute(
                select(ContactRow.id, ContactRow.handle).where(
                    ContactRow.id.in_({r.contact_id for r in rows})
                )
            )
        ).all()
    )
    moving = [r for r in rows if r.id not in kept]
    ends = wall_clock(ends_at, schedule.timezone, tx.now)
    message = (
        f"your shift ends at {ends} ({schedule.timezone}): {len(moving)} of your {len(rows)} "
        "open conversations will be handed over unless you keep them"
    )
    warning = Warning("shift_ending", tx.now, message, None, agent.id)
    tx.session.add(
        WarningRow(
            kind=warning.kind, at=warning.at, message=message, agent_id=agent.id, team=agent.team
        )
    )
    await tx.outbox.add(
        agent.id,
        "warning",
        {
            "kind": warning.kind,
            "message": message,
            "conversation_id": None,
            "agent_id": agent.id,
            "other_agent_id": None,
            "shift_end": ends_at,
            "timezone": schedule.timezone,
            "conversations": [
                {
                    "conversation_id": r.id,
                    "account_id": r.account_id,
                    "contact_handle": handles.get(r.contact_id),
                    "label": r.label,
                    "kept": r.id in kept,
                }
                for r in rows
            ],
        },
    )


class _Colleagues:
    """The agents on shift who may take the leaver's conversations, read once per shift end.

    Their rows (locked), memberships and open conversations are read in three statements for
    the whole handover, and moved on in memory as each conversation is placed, so every
    conversation sees the candidates and loads :func:`assignment.candidates_for` would read
    for it at that moment (the day term from the process's counts, as there).
    """

    def __init__(
        self,
        rows: dict[str, AgentRow],
        memberships: dict[str, frozenset[str]],
        owned: dict[str, list[Conversation]],
        rules: RoutingRules,
    ) -> None:
        self.rows = rows
        self.memberships = memberships
        self.owned = owned
        self.rules = rules
        self.agents = {i: agent_from_row(r, memberships[i], rules) for i, r in rows.items()}

    @classmethod
    async def load(cls, tx: Tx, leaver_id: str, account_ids: set[str]) -> _Colleagues:
        query = (
            select(AgentRow)
            .where(
                AgentRow.on_shift.is_(True),
                AgentRow.status == "online",
                AgentRow.active.is_(True),
                AgentRow.id != leaver_id,
                or_(*(assignment._may_serve(a) for a in sorted(account_ids))),
            )
            .order_by(AgentRow.id)
            .with_for_update()
        )
        rows = {r.id: r for r in await tx.session.scalars(query)}
        members = await assignment._memberships(tx, rows)
        owned = await assignment._open_owned(tx, list(rows))
        return cls(rows, {i: frozenset(m) for i, m in members.items()}, owned, tx.rules)

    async def candidates(self, tx: Tx, account_id: str) -> list[Candidate]:
        """Who serves ``account_id`` now, with their loads (ordered by id, as routing reads)."""
        agents = [a for a in self.agents.values() if a.serves_account(account_id)]
        team_speed = team_first_reply_s(agents)
        day, mean = await tx.workload.today(tx, agents)
        return [
            (
                a,
                agent_load(
                    a,
                    self.owned[a.id],
                    tx.now,
                    self.rules.load,
                    team_speed,
                    assigned_today=day[a.id],
                    team_mean_today=mean,
                ),
            )
            for a in agents
        ]

    def placed(self, row: ConversationRow, owner_id: str) -> None:
        """``row`` (stored) now belongs to ``owner_id``: count it, and read the agent again."""
        self.owned[owner_id].append(conversation_from_row(row))
        self.agents[owner_id] = agent_from_row(
            self.rows[owner_id], self.memberships[owner_id], self.rules
        )


async def _hand_over_all(tx: Tx, agent: AgentRow) -> None:
    """The shift ended: every open conversation not kept moves to someone on shift.

    Each conversation is placed by the routing core on its own, oldest first, among the
    colleagues on shift (read once, see :class:`_Colleagues`). What it decided is then written
    as :func:`assignment.apply` writes it, but for the whole handover at once: one statement per
    table instead of about seven per conversation, so the last of 200 is not a second late.
    """
    kept = await _kept(tx, agent.id)
    moving = [r for r in await _open_owned(tx, agent.id) if r.id not in kept]
    # A keep holds past one shift end; the next end asks again.
    await tx.session.execute(
        delete(KeptConversationRow).where(KeptConversationRow.agent_id == agent.id)
    )
    if not moving:
        return
    ids = [r.id for r in moving]
    # Every one of them changes owner (to a colleague or the queue): their open stretches end.
    await tx.session.execute(
        update(OwnershipRow)
        .where(OwnershipRow.conversation_id.in_(ids), OwnershipRow.end.is_(None))
        .values(end=tx.now)
    )
    colleagues = await _Colleagues.load(tx, agent.id, {r.account_id for r in moving})
    timers = {
        (d.kind, d.subject_id): d
        for d in await tx.session.scalars(
            select(DeadlineRow).where(
                DeadlineRow.kind.in_(("reply", "requeue")), DeadlineRow.subject_id.in_(ids)
            )
        )
    }
    # Read together into the session's identity map, where the pushes' payloads find them
    # (held here: the map keeps only what is referenced).
    contacts = list(
        await tx.session.scalars(
            select(ContactRow).where(ContactRow.id.in_({r.contact_id for r in moving}))
        )
    )
    moves: list[tuple[ConversationRow, list[Decision]]] = []
    for row in moving:
        candidates = await colleagues.candidates(tx, row.account_id)
        conv = conversation_from_row(row)
        decisions = hand_over(conv, candidates, tx.rules, tx.now)
        conversation_to_row(conv, row)
        await assignment.add_open_stretch(tx, row.id, conv)
        for candidate, _ in candidates:
            agent_to_row(
                candidate, colleagues.rows[candidate.id], tx.now, tx.rules.load.pace_window_s
            )
        requeue = None
        if conv.owner_id is not None:
            colleagues.placed(row, conv.owner_id)
        else:
            requeue = assignment._next_retry(conv, candidates, tx)
        for kind, due in (("reply", conv.reply_deadline), ("requeue", requeue)):
            await _set_timer(tx, timers, kind, row.id, due)
        moves.append((row, decisions))
    await tx.session.flush()
    notes = await _notes_of(tx, ids)
    queued = await _queue_lengths(
        tx, [r for r, d in moves if any(isinstance(x, Queued) for x in d)]
    )
    for row, decisions in moves:
        payload = await assignment._conversation_payload(tx, row)
        for decision in decisions:
            if isinstance(decision, Assigned):
                await tx.outbox.add(
                    decision.agent_id, "assigned", {**payload, "reason": decision.reason}
                )
            elif isinstance(decision, HandedOff):
                contact = await tx.session.get(ContactRow, row.contact_id)
                message = {
                    **payload,
                    "notes": notes.get(row.id, []),
                    "tags": list(contact.tags) if contact else [],
                    "from_agent_id": decision.from_agent_id,
                    "to_agent_id": decision.to_agent_id,
                    "reason": decision.reason,
                }
                for recipient in {decision.from_agent_id, decision.to_agent_id} - {None}:
                    await tx.outbox.add(str(recipient), "handoff", message)
            elif isinstance(decision, Queued):
                length, recipients = queued[row.id]
                for recipient in recipients:
                    await tx.outbox.add(
                        recipient, "queue_changed", {"account_id": row.account_id, "queued": length}
                    )
    del contacts


async def _queue_lengths(tx: Tx, rows: list[ConversationRow]) -> dict[str, tuple[int, list[str]]]:
    """For each conversation queued by the handover (in order), the account's queue length
    just after it joined and who is told (as :func:`assignment._queue_changed`: the account's
    members and the team's supervisors), read once per account."""
    out: dict[str, tuple[int, list[str]]] = {}
    for account_id in dict.fromkeys(r.account_id for r in rows):
        length = len(
            list(
                await tx.session.scalars(
                    select(ConversationRow.id).where(
                        ConversationRow.account_id == account_id,
                        ConversationRow.state == "queued",
                    )
                )
            )
        )
        members = await tx.session.scalars(
            select(AccountMemberRow.agent_id).where(AccountMemberRow.account_id == account_id)
        )
        team = await assignment._team_of_account(tx, account_id)
        recipients = sorted({*members, *(await assignment.supervisors_of(tx, team))})
        mine = [r for r in rows if r.account_id == account_id]
        first = length - len(mine)  # the queue before the handover
        for n, row in enumerate(mine, start=1):
            out[row.id] = (first + n, recipients)
    return out


async def _set_timer(
    tx: Tx,
    timers: dict[tuple[str, str], DeadlineRow],
    kind: str,
    subject_id: str,
    due_at: float | None,
) -> None:
    """:func:`assignment.set_deadline` on timers read beforehand (flushed with the rest)."""
    row = timers.get((kind, subject_id))
    if due_at is None:
        if row is not None:
            await tx.session.delete(row)
        return
    if row is None:
        row = DeadlineRow(kind=kind, subject_id=subject_id)
        tx.session.add(row)
    row.due_at = due_at
    tx.deadline_added(due_at)


async def _notes_of(tx: Tx, conversation_ids: list[str]) -> dict[str, list[str]]:
    """Each conversation's newest ``HANDOFF_NOTES`` note texts, newest last, as a handoff
    push carries them."""
    rows = await tx.session.execute(
        select(ConversationNoteRow.conversation_id, ConversationNoteRow.text)
        .where(ConversationNoteRow.conversation_id.in_(conversation_ids))
        .order_by(ConversationNoteRow.at.desc(), ConversationNoteRow.id.desc())
    )
    newest: dict[str, list[str]] = {}
    for conversation_id, text in rows:
        texts = newest.setdefault(conversation_id, [])
        if len(texts) < assignment.HANDOFF_NOTES:
            texts.append(text)
    return {c: texts[::-1] for c, texts in newest.items()}


async def set_kept(tx: Tx, row: ConversationRow, agent_id: str, keep: bool) -> None:
    existing = await tx.session.get(KeptConversationRow, row.id)
    if keep and existing is None:
        tx.session.add(KeptConversationRow(conversation_id=row.id, agent_id=agent_id, at=tx.now))
    elif keep and existing is not None:
        existing.agent_id, existing.at = agent_id, tx.now
    elif existing is not None:
        await tx.session.delete(existing)
