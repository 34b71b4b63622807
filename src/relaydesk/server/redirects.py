"""Split-link visits served from memory: a snapshot per link, clicks written in batches.

A visit to ``/r/{slug}`` reads nothing from the database in the common case. Each link's
snapshot — the link, its accounts, which of them someone online with room can answer, and
today's clicks per account — is read at most once a second (sooner after a link or an agent's
status changes in this process). Clicks are counted into the snapshot as they are chosen, so a
daily quota holds exactly within one process; with several processes the others' clicks are
seen at the next refresh. The clicks themselves are kept in memory and inserted in one
statement every half second (and on shutdown), so no visit waits for the write lock.

A returning visitor's last account comes from this process's memory of recent visitors, and
otherwise from the database (one index lookup).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from relaydesk.server.models import AccountRow, ClickRow, LinkRow
from relaydesk.server.splitting import Hours, Target

if TYPE_CHECKING:  # the state holds a Redirects: no import cycle at run time
    from relaydesk.server.state import ServerState

log = logging.getLogger("relaydesk.server.redirects")
SNAPSHOT_MAX_AGE_S = 1.0
FLUSH_INTERVAL_S = 0.5
_MAX_VISITORS = 200_000
_UNKNOWN = object()


@dataclass
class LinkSnapshot:
    """What one link's visits need, as of ``taken_at`` (monotonic seconds)."""

    link_id: str
    code: str
    message: str | None
    expires_at: float | None
    hours: Hours | None
    targets: list[Target]
    accounts: dict[str, tuple[str, str]]  # account id -> (platform, handle)
    answering: frozenset[str]
    clicks_today: Counter[str]
    day_start: float
    next_day_start: float
    taken_at: float


@dataclass(frozen=True, slots=True)
class Click:
    link_id: str
    account_id: str | None
    visitor: str
    returning: bool
    at: float


@dataclass
class Redirects:
    """This process's link snapshots, recent visitors and clicks not yet written."""

    _snapshots: dict[str, LinkSnapshot | None] = field(default_factory=dict)
    _taken: dict[str, float] = field(default_factory=dict)
    _loading: dict[str, asyncio.Future[LinkSnapshot | None]] = field(default_factory=dict)
    _generation: int = 0
    _pending: list[Click] = field(default_factory=list)
    _in_flight: list[Click] = field(default_factory=list)
    # Held while today's counts are read and while a batch of clicks commits, so that every
    # click is counted exactly once: in the database, in flight or pending.
    _counting: asyncio.Lock = field(default_factory=asyncio.Lock)
    _visitors: OrderedDict[tuple[str, str], str | None] = field(default_factory=OrderedDict)
    _writing: asyncio.Future[int] | None = None

    # ------------------------------------------------------------ snapshots

    def links_changed(self) -> None:
        """A link was created or changed, or an agent's status: read the snapshots again."""
        self._generation += 1
        self._snapshots.clear()

    agents_changed = links_changed

    async def snapshot(self, state: ServerState, slug: str, now: float) -> LinkSnapshot | None:
        """The link's snapshot (None: no such link), read again when older than a second."""
        fresh = slug in self._snapshots and (
            time.monotonic() - self._taken[slug] < SNAPSHOT_MAX_AGE_S
        )
        snap = self._snapshots.get(slug)
        if fresh and (snap is None or now < snap.next_day_start):
            return snap
        loading = self._loading.get(slug)
        if loading is None:  # one read per link however many visitors wait for it
            loading = asyncio.ensure_future(self._load(state, slug))
            self._loading[slug] = loading
            loading.add_done_callback(lambda _: self._loading.pop(slug, None))
        return await asyncio.shield(loading)

    async def _load(self, state: ServerState, slug: str) -> LinkSnapshot | None:
        from relaydesk.server.api.links import answering_accounts  # the API imports this module

        generation = self._generation
        taken_at = time.monotonic()
        now = time.time()
        async with state.sessions() as session:
            link = await session.scalar(select(LinkRow).where(LinkRow.slug == slug))
            if link is None:
                snap = None
            else:
                targets = [
                    Target(t["account_id"], float(t.get("weight", 1.0)), t.get("daily_quota"))
                    for t in link.targets
                ]
                ids = [t.account_id for t in targets]
                hours = Hours.from_document(link.hours) if link.hours else None
                day = hours or Hours.from_document({})
                day_start = day.day_start(now)
                accounts = {
                    a.id: (a.platform, a.handle)
                    for a in await session.scalars(select(AccountRow).where(AccountRow.id.in_(ids)))
                }
                rules = await state.rules(session)
                answering = await answering_accounts(session, ids, rules, now)
                async with self._counting:
                    counted = await session.execute(
                        select(ClickRow.account_id, func.count())
                        .where(
                            ClickRow.link_id == link.id,
                            ClickRow.at >= day_start,
                            ClickRow.account_id.is_not(None),
                        )
                        .group_by(ClickRow.account_id)
                    )
                    clicks_today: Counter[str] = Counter(
                        {str(account_id): int(n) for account_id, n in counted}
                    )
                    # No await from here on: clicks chosen meanwhile are in these lists.
                    for click in (*self._in_flight, *self._pending):
                        if click.link_id == link.id and click.account_id and click.at >= day_start:
                            clicks_today[click.account_id] += 1
                snap = LinkSnapshot(
                    link_id=link.id,
                    code=link.code,
                    message=link.message,
                    expires_at=link.expires_at,
                    hours=hours,
                    targets=targets,
                    accounts=accounts,
                    answering=answering,
                    clicks_today=clicks_today,
                    day_start=day_start,
                    # Local midnight tomorrow, found from a time well inside tomorrow (DST-proof).
                    next_day_start=day.day_start(day_start + 86400 + 7200),
                    taken_at=taken_at,
                )
        if generation == self._generation:
            self._snapshots[slug] = snap
            self._taken[slug] = taken_at
        return snap

    # ------------------------------------------------------------ visitors and clicks

    async def previous_account(self, state: ServerState, link_id: str, visitor: str) -> str | None:
        """The account this visitor last reached through this link, if any."""
        known = self._visitors.get((link_id, visitor), _UNKNOWN)
        if known is not _UNKNOWN:
            self._visitors.move_to_end((link_id, visitor))
            return known  # type: ignore[return-value]
        async with state.sessions() as session:
            previous = await session.scalar(
                select(ClickRow.account_id)
                .where(
                    ClickRow.link_id == link_id,
                    ClickRow.visitor == visitor,
                    ClickRow.account_id.is_not(None),
                )
                .order_by(ClickRow.at.desc())
                .limit(1)
            )
        if not state.is_postgres:  # one process owns a SQLite file: nobody else adds clicks
            self._remember(link_id, visitor, previous)
        return previous

    def _remember(self, link_id: str, visitor: str, account_id: str | None) -> None:
        self._visitors[(link_id, visitor)] = account_id
        self._visitors.move_to_end((link_id, visitor))
        while len(self._visitors) > _MAX_VISITORS:
            self._visitors.popitem(last=False)

    def record(self, snap: LinkSnapshot, click: Click) -> None:
        """Count a visit at once (quota) and keep it for the next batch."""
        if click.account_id is not None:
            if click.at >= snap.day_start:
                snap.clicks_today[click.account_id] += 1
            self._remember(click.link_id, click.visitor, click.account_id)
        self._pending.append(click)

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self, state: ServerState) -> int:
        """Insert the clicks kept so far in one statement; returns how many."""
        async with state.write_lock:  # SQLite has one writer; queue with this process's others
            if not self._pending:
                return 0
            batch, self._pending = self._pending, []
            self._in_flight = batch
            try:
                async with state.sessions() as session:
                    await session.execute(
                        insert(ClickRow),
                        [
                            {
                                "link_id": c.link_id,
                                "account_id": c.account_id,
                                "visitor": c.visitor,
                                "returning": c.returning,
                                "at": c.at,
                            }
                            for c in batch
                        ],
                    )
                    async with self._counting:
                        await session.commit()
                        self._in_flight = []
            except BaseException:
                self._pending[:0] = batch  # written with the next batch
                self._in_flight = []
                raise
            return len(batch)

    async def run(self, state: ServerState) -> None:
        """The writer task: a batch every half second, until cancelled."""
        while True:
            await asyncio.sleep(FLUSH_INTERVAL_S)
            try:
                # Shielded: a stop does not cut a batch off between commit and bookkeeping
                # (its clicks would be written twice); the final flush waits for it.
                self._writing = asyncio.ensure_future(self.flush(state))
                await asyncio.shield(self._writing)
            except Exception:
                log.exception("writing clicks failed; retrying")

    async def close(self, state: ServerState) -> None:
        """On a clean stop (after the writer task is cancelled): write what is left."""
        if self._writing is not None:
            await asyncio.wait([self._writing])
        await self.flush(state)
