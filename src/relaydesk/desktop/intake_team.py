"""The intake counter's "team" dedup scope: when the team first saw today's contacts.

``TeamIntake`` turns the contacts the store counts (``IntakeLedger.contacts_of``) into the
team server's names for them (the linked server account and the handle; for a person known by
phone, the phone number too), asks the server about the new ones through a ``FirstSeenBook``
(each contact once, on the qasync loop, never the UI thread), and hands the counter each
person's first-seen time as ``team_first_seen``. When team mode is not connected, the contacts
the server has not answered for yet count as in "all my accounts", and a note says so.

The usual profile of this weekday (the chart's "usual new" line) counts the past same weekdays'
contacts with the team's times too: ``usual_first_seen`` asks about them in the background once
a day (the book keeps the answers, so a contact seen today and last week is asked once), and the
dashboard is counted again when they are known. ``KeptAnswers`` keeps the server's answers in
the workstation's store as well (``relaydesk.store.team_first_seen``): after a restart the book
recalls them there instead of asking the server again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication

from relaydesk.store.async_store import AsyncStore
from relaydesk.store.intake_events import DayContact
from relaydesk.store.repository import Store
from relaydesk.store.team_first_seen import keep_first_seen, recall_first_seen
from relaydesk.sync.client import TeamClient
from relaydesk.sync.contacts import ContactRef, FirstSeenBook, team_first_seen
from relaydesk.sync.errors import ServerUnreachable, SyncError
from relaydesk.sync.stream import ConnectionState

if TYPE_CHECKING:
    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.desktop.team import TeamMode

T = TypeVar("T")
OffLoop = Callable[[Callable[[], Any]], Awaitable[Any]]  # runs a function on another thread
CONTEXT = "TeamIntake"
PHONE_PERSON = "tel:"  # the store's person key of a contact known by phone number
RETRY_PAST_S = 60.0  # the past days' contacts asked again after a failure, at most this often
log = logging.getLogger("relaydesk.intake")


# lupdate finds texts written as translate("Context", "literal").
translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class TeamAnswer:
    """Each person's first-seen time known from the team (by the store's person key), and a
    sentence for the dashboard when some could not be asked ("" when all is well)."""

    first_seen: dict[str, datetime] = field(default_factory=dict)
    note: str = ""


class KeptAnswers:
    """The team server's first-seen answers kept in the workstation's store (its thread)."""

    def __init__(self, store: AsyncStore) -> None:
        self.store = store

    async def recall(
        self, server: str, contacts: Sequence[ContactRef]
    ) -> tuple[dict[ContactRef, float], dict[ContactRef, float]]:
        """The kept times of ``contacts`` the team had seen, and for those it had not: how
        many seconds ago that was asked."""

        def work(store: Store) -> tuple[dict[ContactRef, float], dict[ContactRef, float]]:
            kept, now = recall_first_seen(store, server, contacts), time.time()
            return (
                {ContactRef(*contact): at for contact, at in kept.seen.items()},
                {ContactRef(*contact): now - at for contact, at in kept.absent.items()},
            )

        return await self.store.run(work)

    async def keep(
        self, server: str, asked: Sequence[ContactRef], found: dict[ContactRef, float]
    ) -> None:
        asked_at = time.time()
        answers = [(c.account_id, c.handle, found.get(c)) for c in dict.fromkeys(asked)]
        await self.store.run(lambda store: keep_first_seen(store, server, answers, asked_at))


@dataclass
class _PastAsk:
    """The background ask about one weekday's past contacts (for the usual profile)."""

    day: date
    client: TeamClient
    asked_at: float  # time.monotonic()
    connected: bool  # team mode was connected when it began
    meanwhile: dict[str, datetime]  # the last answer's times, given while asking again
    task: asyncio.Task[None] | None = None
    answer: TeamAnswer | None = None  # None while asking


def signed_out_note() -> str:
    return translate("TeamIntake", 
        "Team count: not signed in to a team server, so contacts count as on all your accounts."
    )


class TeamIntake:
    """The team server's side of the intake counter, read through the window's team mode."""

    def __init__(
        self, team: TeamMode, book: FirstSeenBook | None = None, kept: KeptAnswers | None = None
    ) -> None:
        self.team = team
        self.book = book or FirstSeenBook()
        self.kept = kept  # the answers kept in the store (None: the book's memory only)
        self._client: TeamClient | None = None  # whose answers the book holds
        self._recalled: set[ContactRef] = set()  # looked up among the kept answers already
        self._past: _PastAsk | None = None
        self.asked = 0  # contacts asked about on the team server (each once, bar rechecks)

    def refs_of(self, contacts: Sequence[DayContact]) -> dict[str, set[ContactRef]]:
        """The server's names of each person's contacts on linked accounts."""
        out: dict[str, set[ContactRef]] = {}
        for contact in contacts:
            server_account = self.team.links.server_account(contact.account_id)
            if server_account is None:
                continue
            refs = out.setdefault(contact.person_key, set())
            refs.add(ContactRef(server_account, contact.handle))
            if contact.person_key.startswith(PHONE_PERSON):  # a chat id whose phone is known
                refs.add(ContactRef(server_account, contact.person_key[len(PHONE_PERSON) :]))
        return out

    def times_of(self, people: dict[str, set[ContactRef]]) -> dict[str, datetime]:
        """Each person's earliest first-seen time the team told (persons it did not: absent)."""
        times: dict[str, datetime] = {}
        for person, refs in people.items():
            known = self.book.known(refs).values()
            if known:
                times[person] = datetime.fromtimestamp(min(known), UTC)
        return times

    async def first_seen(
        self, contacts: Sequence[DayContact], off_loop: OffLoop | None = None
    ) -> TeamAnswer:
        """The team's first-seen times of ``contacts``' persons, asking the server about those
        not asked yet. ``off_loop`` runs the work over thousands of contacts away from the
        loop (the store's thread); only the request and the book's update stay on it."""

        async def run(work: Callable[[], T]) -> T:
            return work() if off_loop is None else await off_loop(work)

        team = self.team
        client = team.client if team.session is not None else None
        if client is None:
            return TeamAnswer(note=signed_out_note())
        if client is not self._client:  # another sign-in (maybe another team): start afresh
            self.book.clear()
            self._recalled.clear()
            self._client = client
        people, to_ask = await run(lambda: self._plan(contacts))
        if to_ask and self.kept is not None:
            to_ask = await self._recall(client, to_ask, run)
        if not people and contacts:
            return TeamAnswer(note=translate("TeamIntake", 
                "Team count: no account here is linked to a team account, so contacts count "
                "as on all your accounts."))  # fmt: skip
        note = ""
        if to_ask and team.connection is not ConnectionState.CONNECTED:
            note = self._offline_note()
        elif to_ask:
            try:
                found = await team_first_seen(client, to_ask)
                self.book.learn(to_ask, found)
                self.asked += len(to_ask)
                await self._keep(client, to_ask, found)
            except ServerUnreachable:
                note = self._offline_note()
            except SyncError as error:
                note = translate("TeamIntake", 
                    "Team count: the team server did not answer (%1); contacts it has not "
                    "confirmed count as on all your accounts."
                ).replace("%1", str(error))
        return TeamAnswer(await run(lambda: self.times_of(people)), note)

    async def _recall(
        self,
        client: TeamClient,
        to_ask: list[ContactRef],
        run: Callable[[Callable[[], list[ContactRef]]], Awaitable[list[ContactRef]]],
    ) -> list[ContactRef]:
        """``to_ask`` less the contacts whose answers the store kept (looked up once each)."""
        assert self.kept is not None
        fresh = await run(lambda: [c for c in to_ask if c not in self._recalled])
        if not fresh:
            return to_ask
        self._recalled.update(fresh)
        try:
            seen, absent_for_s = await self.kept.recall(client.server_url, fresh)
        except Exception:  # the count goes on from the server's answers
            log.exception("the kept first-seen answers could not be read")
            return to_ask
        if not seen and not absent_for_s:
            return to_ask
        self.book.recall(seen, absent_for_s)
        return await run(lambda: self.book.to_ask(to_ask))

    async def _keep(
        self, client: TeamClient, asked: list[ContactRef], found: dict[ContactRef, float]
    ) -> None:
        if self.kept is None:
            return
        try:
            await self.kept.keep(client.server_url, asked, found)
        except Exception:  # kept or not, the answer counts now
            log.exception("the team's first-seen answers could not be kept")

    def usual_first_seen(
        self,
        day: date,
        read_contacts: Callable[[], Awaitable[Sequence[DayContact]]],
        off_loop: OffLoop | None,
        when_known: Callable[[], object],
    ) -> TeamAnswer:
        """The team's first-seen times of the past contacts that ``day``'s usual profile counts
        (``read_contacts``: ``IntakeLedger.past_contacts``), as far as known now.

        Never waits for the server: the first call of a day (or of a sign-in) starts asking in
        the background and gives what the last answer said meanwhile (a person's first-seen
        time holds whatever the day; nothing after a sign-in: the usual counts like "all my
        accounts"); ``when_known`` is called when the answer is in (the controller counts
        again). An answer
        that could not be had (offline, refused) keeps its note and is asked again once team
        mode is connected, at most every ``RETRY_PAST_S``."""
        team = self.team
        client = team.client if team.session is not None else None
        if client is None:
            return TeamAnswer(note=signed_out_note())
        last = past = self._past
        connected = team.connection is ConnectionState.CONNECTED
        if past is None or past.day != day or past.client is not client:
            past = None
        elif past.answer is not None and past.answer.note and connected:
            if not past.connected or time.monotonic() - past.asked_at >= RETRY_PAST_S:
                past = None  # it failed: ask again, now that the server may answer
        if past is None:
            meanwhile: dict[str, datetime] = {}
            if last is not None and last.client is client:
                meanwhile = last.answer.first_seen if last.answer else last.meanwhile
            past = _PastAsk(day, client, time.monotonic(), connected, meanwhile)
            past.task = asyncio.ensure_future(
                self._ask_past(past, read_contacts, off_loop, when_known)
            )
            self._past = past
        return past.answer or TeamAnswer(past.meanwhile)

    async def _ask_past(
        self,
        past: _PastAsk,
        read_contacts: Callable[[], Awaitable[Sequence[DayContact]]],
        off_loop: OffLoop | None,
        when_known: Callable[[], object],
    ) -> None:
        try:
            answer = await self.first_seen(await read_contacts(), off_loop)
        except Exception:  # never raised into the loop; asked again at the next refresh
            log.exception("the team's first-seen times of the past days could not be read")
            if self._past is past:
                self._past = None
            return
        past.answer = answer
        if self._past is past:
            when_known()

    def _plan(
        self, contacts: Sequence[DayContact]
    ) -> tuple[dict[str, set[ContactRef]], list[ContactRef]]:
        people = self.refs_of(contacts)
        return people, self.book.to_ask({r for refs in people.values() for r in refs})

    @staticmethod
    def _offline_note() -> str:
        return translate("TeamIntake", 
            "Team count: the team server cannot be reached; contacts it has not confirmed "
            "count as on all your accounts."
        )


def attach_team_intake(team: TeamMode, services: ChatServices) -> TeamIntake:
    """Give the intake counter the team's first-seen times, and count again when team mode
    connects, disconnects or signs out (the figures and the note change)."""
    intake = TeamIntake(team, kept=KeptAnswers(services.store))
    services.intake.team = intake
    team.status_changed.connect(lambda _text: services.refresh_intake())
    return intake
