"""Team mode in the window: sign-in, status, the sync session, ownership on the tabs and chats.

``TeamMode`` follows every account's recipe like ``ChatServices`` does and routes what matters
to the team server through ``relaydesk.sync`` (no decision is made here):

- a rising unread count in a linked account's chat list is a ``customer_message``, and so is
  a new incoming line of the chat open on the page (whose count does not rise;
  ``open_chat_lines``), each line once; a ``sent`` an ``agent_reply``, "Close" in the Team
  menu a ``conversation_closed``; each goes into the durable outbox (``sync.db`` under the
  data dir) and is uploaded in batches by ``TeamSession``;
- pushes update the ``OwnershipBook``; an assignment marks the tab, notifies, and shows
  "Assigned to you." over the open chat (the recipe's banner command); a chat someone else owns
  shows "Owned by <name>." and a reply there asks for confirmation first (``reply_gate``);
- handoffs in and out are told with their context: the conversation's notes and the contact's
  tags from the push (written on any workstation) merged with the store's, and a summary of the
  conversation translated into the agent's language; a note added on the contact card of a chat
  the team server knows goes to the server too (told when it stays local).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox

from relaydesk.desktop.account_view import AccountView
from relaydesk.desktop.intake_team import attach_team_intake
from relaydesk.desktop.notifications import PageNotification
from relaydesk.desktop.open_chat_lines import OpenChatLines
from relaydesk.desktop.page_time import line_ts
from relaydesk.desktop.recipes import contact_handle
from relaydesk.desktop.shift_notice import open_shift_notice, shift_notice_text
from relaydesk.desktop.team_probe import Probe
from relaydesk.desktop.team_signin import KeyringTokenStore, SignInDialog, TeamLinks
from relaydesk.desktop.unseen_messages import Line, UnseenMessages
from relaydesk.desktop.window import MainWindow
from relaydesk.desktop.workload_view import attach_my_day
from relaydesk.platforms.commands import show_banner
from relaydesk.sync.client import Presence, TeamClient, TokenStore
from relaydesk.sync.errors import ServerUnreachable, SyncError
from relaydesk.sync.events import HOLDING_TAG, Contact, EventType, TeamEvent
from relaydesk.sync.outbox import OutboxUnavailable, SqliteOutbox
from relaydesk.sync.ownership import OwnershipBook, ReplyGuard, ReplyVerdict
from relaydesk.sync.pushes import (
    Assigned,
    Handoff,
    OwnerChanged,
    Push,
    QueueChanged,
    RulesChanged,
    Warning,
)
from relaydesk.sync.session import TeamSession
from relaydesk.sync.stream import ConnectionState
from relaydesk.sync.supervisor import SupervisorApi

if TYPE_CHECKING:
    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.store.repository import Store

log = logging.getLogger("relaydesk.team")

BOOK_REFRESH_MS = 3_000  # colleagues' new ownerships are not pushed to us: read them this often
ASSIGNED_COLOR = QColor("#1a7f37")
SUPERVISING_ROLES = ("supervisor", "admin")


class TeamMode(QObject):
    """The window's link to the team server, from sign-in to sign-out."""

    status_changed = Signal(str)  # the status bar's text
    ownership_changed = Signal()

    def __init__(
        self, window: MainWindow, services: ChatServices | None = None, *,
        tokens: TokenStore | None = None, client_factory: Callable[..., TeamClient] = TeamClient,
        heartbeat_interval_s: float = 20.0, probe: Probe | None = None,
    ) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.services = services
        self.tokens = tokens if tokens is not None else KeyringTokenStore()
        self.client_factory = client_factory
        self.heartbeat_interval_s = heartbeat_interval_s
        self.probe = probe or Probe.from_environment()
        self.links = TeamLinks(window.paths.config / "team_accounts.json")
        self.outbox: SqliteOutbox | None = None
        self.client: TeamClient | None = None
        self.session: TeamSession | None = None
        self.book: OwnershipBook | None = None
        self.board: Any = None  # the supervisor board's dock, made on first use
        self.shift_notice: Any = None  # the last shift-end notice (keep choices), if any
        self.away = False
        self.connection = ConnectionState.STOPPED
        self.unread: dict[str, dict[str, int]] = {}  # desktop account -> chat key -> unread
        self.titles: dict[str, dict[str, str]] = {}  # desktop account -> chat key -> title
        self.groups: dict[str, set[str]] = {}  # desktop account -> keys of its group chats
        self.banners: dict[str, str] = {}  # desktop account -> banner shown over its open chat
        self.marks: dict[str, int] = {}  # desktop account -> chats assigned to me
        # (server account, handle) -> the agent last seen owning that customer's conversation
        self.agents_seen: dict[tuple[str, str], str] = {}
        self.unseen = UnseenMessages()  # lines a chat list hid, reported when the chat opens
        self.lines = OpenChatLines()  # lines written into the open chat (the list shows none)
        self._holding: dict[str, list[str]] = {}  # holding replies put in a compose box
        self.open_chats: dict[str, str | None] = {}  # desktop account -> key of its open chat
        self.told: list[str] = []  # what the agent was told (notifications, warnings)
        self._tasks: set[asyncio.Future[Any]] = set()
        self._closed = False

        self.status = QLabel(self.tr("Team: not signed in"))
        self.status.setObjectName("teamStatus")
        window.statusBar().addPermanentWidget(self.status)
        self._make_menu()
        self._show_status()
        self.book_timer = QTimer(self)
        self.book_timer.setInterval(BOOK_REFRESH_MS)
        self.book_timer.timeout.connect(lambda: self.spawn(self.refresh_book()))
        window.view_added.connect(self._added)
        for view in list(window.views.values()):
            self._follow(view)
        if services is not None:
            services.reply_gate = self.reply_gate
            # The card's controller keeps the note in the store; team mode sends it on.
            services.card_panel.note_requested.connect(
                lambda _contact_id, text: self.note_added(text)
            )
            # The intake counter's "team" scope: the team's first-seen times (intake_team).
            attach_team_intake(self, services)
            attach_my_day(self, services.intake_panel)  # "My day" on top of the intake dock

    # -- menu and status ---------------------------------------------------------------------
    def _make_menu(self) -> None:
        menu = self.window.menuBar().addMenu(self.tr("&Team"))
        self.menu = menu

        def action(text: str, slot: Callable[[], object], checkable: bool = False) -> QAction:
            act = QAction(text, self)
            act.setCheckable(checkable)
            act.triggered.connect(lambda _checked=False: slot())
            menu.addAction(act)
            return act

        self.sign_in_action = action(self.tr("Sign in to a team server…"), self.ask_sign_in)
        self.sign_out_action = action(self.tr("Sign out"), lambda: self.spawn(self.sign_out()))
        self.away_action = action(self.tr("Away"), self._toggle_away, checkable=True)
        menu.addSeparator()
        self.link_action = action(self.tr("Link this account to a team account…"),
                                  lambda: self.ask_link())  # fmt: skip
        self.transfer_action = action(self.tr("Transfer this chat to…"), self.ask_transfer)
        self.release_action = action(self.tr("Release this chat to the queue"),
                                     lambda: self.spawn(self.release_current()))  # fmt: skip
        self.close_action = action(self.tr("Close this conversation"),
                                   lambda: self.spawn(self.close_current()))  # fmt: skip
        menu.addSeparator()
        self.board_action = action(self.tr("Supervisor board"), self.show_board)
        self._update_actions()

    def _update_actions(self) -> None:
        signed_in = self.session is not None
        role = self.client.credential.role if self.client and self.client.credential else ""
        self.sign_in_action.setEnabled(not signed_in)
        for act in (self.sign_out_action, self.away_action, self.transfer_action,
                    self.release_action):  # fmt: skip
            act.setEnabled(signed_in)
        self.board_action.setEnabled(signed_in and role in SUPERVISING_ROLES)

    def _show_status(self) -> None:
        if self.session is None:
            text = self.tr("Team: not signed in")
        elif self.connection is ConnectionState.CONNECTED:
            text = self.tr("Team: away") if self.away else self.tr("Team: online")
        elif self.connection is ConnectionState.SIGNED_OUT:
            text = self.tr("Team: signed out, sign in again")
        else:
            text = self.tr("Team: offline, reconnecting (nothing is lost)")
        if self.status.text() != text:
            self.status.setText(text)
            self.status_changed.emit(text)
        # Someone working alone (no team server set) is not told about teams all day.
        wanted = self.session is not None or bool(self.window.settings.team_server_url.strip())
        if self.status.isHidden() == wanted:  # only a change: each one relays the bar out
            self.status.setVisible(wanted)

    def _toggle_away(self) -> None:
        self.away = self.away_action.isChecked()
        self._show_status()
        self.probe.write("presence", status="away" if self.away else "online")

    # -- start, sign in, sign out ------------------------------------------------------------
    async def start(self) -> None:
        """Open the outbox and, when a sign-in is kept for the configured server, resume it."""
        try:
            self.outbox = await asyncio.to_thread(SqliteOutbox, self.window.paths.data / "sync.db")
        except OutboxUnavailable as error:  # the accounts still work; team mode waits
            self.tell(str(error))
            return
        url = self.window.settings.team_server_url.strip()
        if not url:
            return
        preload = getattr(self.tokens, "preload", None)
        if preload is not None:
            await preload()
        try:
            client = self.client_factory(url, self.tokens)
        except ValueError:
            return
        if client.credential is None:
            await client.aclose()
            return
        await self.begin(client)

    def ask_sign_in(self) -> SignInDialog:
        settings = self.window.settings
        dialog = SignInDialog(self.tokens, settings.team_server_url, settings.team_login,
                              self.window, client_factory=self.client_factory)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The login is read at the signal, before the dialog closes (and is deleted).
        dialog.signed_in.connect(
            lambda client: self.spawn(self._signed_in(client, dialog.login.text().strip()))
        )
        dialog.open()
        return dialog

    async def _signed_in(self, client: TeamClient, login: str) -> None:
        settings = replace(self.window.settings, team_server_url=client.server_url,
                           team_login=login)  # fmt: skip
        self.window.apply_settings(settings)
        await self.begin(client)
        if isinstance(self.tokens, KeyringTokenStore):
            await asyncio.to_thread(self.tokens.flush)
            if self.tokens.errors:  # signed in for this run only: say why it is not kept
                self.tell(self.tokens.errors[-1])

    async def begin(self, client: TeamClient) -> None:
        """Start the session of a signed-in client: heartbeats, upload, stream, ownership."""
        await self.end()
        if self.outbox is None:
            try:
                self.outbox = await asyncio.to_thread(
                    SqliteOutbox, self.window.paths.data / "sync.db"
                )
            except OutboxUnavailable as error:
                self.tell(str(error))
                await client.aclose()
                return
        self.client = client
        credential = client.require_credential()
        self.book = OwnershipBook(client)
        session = TeamSession(client, self.outbox, self.outbox, self.presence,
                              heartbeat_interval_s=self.heartbeat_interval_s)  # fmt: skip
        session.stream.subscribe(self.on_push)
        session.stream.on_state(self._connection_changed)
        session.on_stopped(self._session_stopped)
        self.session = session
        session.start()
        self.book_timer.start()
        self._update_actions()
        self._show_status()
        self.probe.write("signed_in", agent_id=credential.agent_id, role=credential.role)
        self.spawn(self._load_names())
        self.spawn(self.refresh_book())

    async def _load_names(self) -> None:
        if self.client is None or self.book is None:
            return
        with contextlib.suppress(SyncError):
            agents = await SupervisorApi(self.client).agents()
            self.book.names.update({a.id: a.name or a.login for a in agents})

    async def end(self) -> None:
        """Stop the session (the outbox keeps what was not uploaded yet)."""
        self.book_timer.stop()
        session, self.session = self.session, None
        if session is not None:
            await session.stop()
        if self.board is not None:
            self.board.stop()
        self.connection = ConnectionState.STOPPED
        self._update_actions()
        self._show_status()

    async def sign_out(self) -> None:
        client = self.client
        await self.end()
        if client is not None:
            await client.logout()
            await client.aclose()
        self.client, self.book = None, None
        self._refresh_views()
        self.probe.write("signed_out")

    async def close(self) -> None:
        """At quit: stop the jobs, keep the sign-in for the next start."""
        self._closed = True
        await self.end()
        if self.client is not None:
            await self.client.aclose()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if isinstance(self.tokens, KeyringTokenStore):
            await asyncio.to_thread(self.tokens.flush)
        if self.outbox is not None:
            self.outbox.close()

    def _connection_changed(self, state: ConnectionState) -> None:
        self.connection = state
        self._show_status()
        self.probe.write("connection", state=state.value)
        if state is ConnectionState.CONNECTED:
            self.spawn(self.refresh_book())

    def _session_stopped(self, reason: SyncError) -> None:
        self.spawn(self.end())
        self.tell(self.tr("Team sync stopped: %1").replace("%1", str(reason)))

    def presence(self) -> Presence:
        """What every heartbeat says: here or away, the linked accounts open, the load."""
        open_ids = []
        for view in self.window.views.values():
            server_id = self.links.server_account(view.account.id)
            if server_id and view.loaded and server_id not in open_ids:
                open_ids.append(server_id)
        unread = sum(sum(chats.values()) for chats in self.unread.values())
        waiting = sum(1 for chats in self.unread.values() for n in chats.values() if n > 0)
        load = {"unread": float(unread), "chats_waiting": float(waiting),
                "assigned": float(sum(self.marks.values()))}  # fmt: skip
        return Presence("away" if self.away else "online", tuple(open_ids), load)

    # -- recipe events -> outbox -------------------------------------------------------------
    def _added(self, view: AccountView) -> None:
        """A new account: one added as a team account (the add dialog's box) is linked now."""
        self._follow(view)
        if view.account.team_account and not self.links.server_account(view.account.id):
            self.ask_link(view.account.id)

    def _follow(self, view: AccountView) -> None:
        view.recipe_attached.connect(lambda _id, v=view: self._connect_recipe(v))
        if view.recipe is not None:
            self._connect_recipe(view)

    def _connect_recipe(self, view: AccountView) -> None:
        recipe = view.recipe
        if recipe is None:
            return
        account_id = view.account.id
        recipe.chat_list.connect(lambda event: self.on_chat_list(account_id, event))
        recipe.sent.connect(lambda event: self.on_sent(account_id, event))
        recipe.active_chat_changed.connect(lambda event: self._active_chat(account_id, event))
        recipe.messages.connect(lambda event: self.on_messages(account_id, event))

    def _active_chat(self, account_id: str, event: Any) -> None:
        """Another chat opened (or none): its next messages are a first look."""
        if self.open_chats.get(account_id) != event.key:
            self.open_chats[account_id] = event.key
            self.lines.closed(account_id)
        self._refresh_view(account_id)

    def _handle(self, account_id: str, chat_key: str, title: str = "") -> str:
        view = self.window.views.get(account_id)
        platform = view.account.platform if view is not None else "web"
        title = title or self.titles.get(account_id, {}).get(chat_key, "")
        return contact_handle(platform, chat_key, title)

    def _chat_handle(self, account_id: str, key: str, title: str) -> str:
        """The handle team mode reports for a chat: the one its chat-list row gives (an open
        chat may know a better one, e.g. the phone behind a title, but a colleague's
        workstation that never opened it reports the row's, and both must name one contact)."""
        listed = self.titles.get(account_id, {})
        if key in listed:
            return self._handle(account_id, key, listed[key])
        row = next((k for k, t in listed.items() if title and t == title), None)
        if row is not None:
            return self._handle(account_id, row, title)
        return self._handle(account_id, key, title)

    def _is_group(self, account_id: str, key: str, title: str) -> bool:
        """Whether the open chat ``key`` is a group, as its chat-list row said."""
        groups = self.groups.get(account_id, set())
        if key in groups:
            return True
        listed = self.titles.get(account_id, {})
        return bool(title) and any(listed.get(k) == title for k in groups)

    def on_chat_list(self, account_id: str, event: Any) -> None:
        """A rising unread count in a chat (not a group) is a customer writing; a rise of more
        than one hides the earlier lines, reported when the chat is opened (``unseen``)."""
        known = account_id in self.unread  # not the first look: a rise is new messages
        before = self.unread.get(account_id, {})
        self.titles.setdefault(account_id, {}).update({c.key: c.title for c in event.chats})
        groups = self.groups.setdefault(account_id, set())
        groups.difference_update(c.key for c in event.chats if c.group is not True)
        groups.update(c.key for c in event.chats if c.group is True)
        self.unread[account_id] = {chat.key: chat.unread for chat in event.chats}
        server_id = self.links.server_account(account_id)
        if server_id is None:
            return
        now = time.monotonic()
        # A rise the open chat's lines already reported is not reported again (open_chat_lines).
        arrived = [c for c in event.chats
                   if c.group is not True and c.unread > before.get(c.key, 0)
                   and self.lines.listed(account_id, self._handle(account_id, c.key, c.title),
                                         c.last_text, now)]  # fmt: skip
        wall = time.time()
        # Dated by the row's time, as the open chat's lines are (page_time): every workstation
        # of a shared account, chat open or not, reports the line with one fingerprint.
        events = [
            TeamEvent(
                EventType.CUSTOMER_MESSAGE,
                server_id,
                Contact(self._handle(account_id, chat.key, chat.title), chat.title or None),
                text=chat.last_text or None,
                ts=line_ts(chat.time, chat.last_text, wall) or wall,
            )
            for chat in arrived
        ]
        for chat, reported in zip(arrived, events, strict=True):
            if known:
                self.unseen.noted(account_id, reported, chat.unread - before.get(chat.key, 0) - 1)
        if events:
            self.spawn(self.record(*events))

    def on_messages(self, account_id: str, event: Any) -> None:
        """The open chat's messages: the customer's new lines (written while it was open) and
        the lines its chat-list row hid, if any, are reported, each once."""
        server_id = self.links.server_account(account_id)
        if server_id is None:
            return
        view = self.window.views.get(account_id)
        active = view.recipe.active_chat if view is not None and view.recipe else None
        title = active.title if active is not None and active.key == event.chat else ""
        if self._is_group(account_id, event.chat, title):
            return  # a group's members are not customers (as in on_chat_list)
        handle = self._chat_handle(account_id, event.chat, title)
        lines = [Line(m.direction == "in", m.text, m.key, m.time) for m in event.messages]
        now = time.time()
        # While the list's hidden lines are looked for, those lines are theirs to report.
        first_look = self.unseen.waiting(account_id, handle)
        found = self.unseen.opened(account_id, handle, lines, now)
        new = self.lines.seen(account_id, handle, lines, time.monotonic(), first_look=first_look)
        contact = Contact(handle, title or None)
        found += [
            TeamEvent(EventType.CUSTOMER_MESSAGE, server_id, contact, text=line.text or None,
                      ts=line_ts(line.time, line.text, now) or now)
            for line in new
        ]  # fmt: skip
        if found:
            self.spawn(self.record(*found))

    def on_sent(self, account_id: str, event: Any) -> None:
        """The agent's reply reached the page: an agent_reply, and a collision warning when
        someone else owns the chat (the page sent it before we could ask)."""
        server_id = self.links.server_account(account_id)
        if server_id is None:
            return
        view = self.window.views.get(account_id)
        active = view.recipe.active_chat if view is not None and view.recipe else None
        title = active.title if active is not None and active.key == event.chat else ""
        handle = self._chat_handle(account_id, event.chat, title)
        tags = (HOLDING_TAG,) if self._was_holding(account_id, event.text) else None
        self.spawn(self.record(TeamEvent(EventType.AGENT_REPLY, server_id, Contact(handle),
                                         text=event.text or None, tags=tags)))  # fmt: skip
        guard = self.guard(account_id, handle)
        if guard.needs_confirmation:
            name = guard.owner_name or guard.owner_id or ""
            self.tell(self.tr("You replied in a chat %1 owns: the team server records a "
                              "collision and tells them.").replace("%1", name))  # fmt: skip

    def expect_holding(self, account_id: str, text: str) -> None:
        """A holding reply was put in this account's compose box: when the page sends it
        unchanged, it is reported tagged ``holding`` (it tells the customer about the wait, so
        the server neither counts it as an answer nor gives a queued conversation to us)."""
        waiting = self._holding.setdefault(account_id, [])
        waiting.append(_same_text(text))
        del waiting[:-5]

    def _was_holding(self, account_id: str, text: str | None) -> bool:
        waiting = self._holding.get(account_id)
        said = _same_text(text or "")
        if not waiting or said not in waiting:
            return False
        waiting.remove(said)
        return True

    async def record(self, *events: TeamEvent) -> None:
        """Into the durable outbox (uploaded when signed in and online; nothing is lost)."""
        if self.session is not None:
            await self.session.record(*events)
        elif self.outbox is not None:
            await asyncio.to_thread(self.outbox.append, events)
        else:
            return
        for e in events:
            self.probe.write("recorded", id=e.id, type=e.type.value, account_id=e.account_id,
                             handle=e.contact.handle, text=e.text)  # fmt: skip

    # -- ownership ---------------------------------------------------------------------------
    def me(self) -> str:
        credential = self.client.credential if self.client is not None else None
        return credential.agent_id if credential is not None else ""

    def guard(self, account_id: str, handle: str) -> ReplyGuard:
        server_id = self.links.server_account(account_id)
        if self.book is None or server_id is None:
            return ReplyGuard(ReplyVerdict.FREE)
        return self.book.guard_reply(server_id, handle, self.me())

    def current_chat(self) -> tuple[str, str] | None:
        """(desktop account, contact handle) of the current tab's open chat."""
        view = self.window.current_view()
        active = view.recipe.active_chat if view is not None and view.recipe else None
        if view is None or active is None or not active.key:
            return None
        return view.account.id, self._chat_handle(view.account.id, active.key, active.title)

    async def refresh_book(self) -> None:
        if self.book is None or self.session is None:
            return
        try:
            await self.book.refresh()
        except SyncError as error:
            log.info("ownership refresh failed: %s", error)
            return
        self._refresh_views()

    def _refresh_views(self) -> None:
        for account_id in list(self.window.views):
            self._refresh_view(account_id)
        if self.book is not None and self.services is not None:
            for owner in self.book.open_chats():
                if owner.owner_name and self.agents_seen.get(
                    (owner.account_id, owner.handle)
                ) != owner.owner_name:
                    self.agents_seen[(owner.account_id, owner.handle)] = owner.owner_name
                    self.spawn(self._remember_agent(owner.account_id, owner.handle,
                                                    owner.owner_name))  # fmt: skip
        self.ownership_changed.emit()

    async def _remember_agent(self, server_account_id: str, handle: str, name: str) -> None:
        """The contact card's "previous agent": the last colleague (or me) the team server gave
        this customer's conversation to, kept on the contact in the store so it shows when the
        customer comes back, even offline."""
        services = self.services
        if services is None:
            return
        from relaydesk.store.repository import Store

        for account_id in self._desktop_accounts(server_account_id):
            chats = services.accounts.get(account_id)
            stable = chats.aliases.get(handle, handle) if chats is not None else handle
            for candidate in dict.fromkeys((stable, handle)):
                contact_id = await services.store.call(Store.find_contact, account_id, candidate)
                if contact_id is not None:
                    await services.store.run(partial(_set_previous_agent, contact_id, name))
                    self.probe.write("previous_agent", account=account_id, handle=handle,
                                     name=name)  # fmt: skip
                    break
        card = getattr(services, "card", None)
        if card is not None:  # the card of the open chat shows it at once
            with contextlib.suppress(Exception):
                await card.refresh()

    def _refresh_view(self, account_id: str) -> None:
        """The tab's mark (chats assigned to me) and the banner over its open chat."""
        view = self.window.views.get(account_id)
        server_id = self.links.server_account(account_id)
        if view is None:
            return
        owners = self.book.open_chats() if self.book is not None and server_id else []
        mine = sum(1 for o in owners if o.account_id == server_id and o.owner_id == self.me())
        if self.marks.get(account_id, 0) != mine:
            self.marks[account_id] = mine
            bar = self.window.tabs.tabBar()
            index = self.window.tabs.indexOf(view)
            bar.setTabTextColor(index, ASSIGNED_COLOR if mine else QColor())
            self.probe.write("mark", account=account_id, assigned=mine)
        for owner in owners if self.probe.path is not None else ():  # the test hook only
            if owner.account_id == server_id:
                guard = self.guard(account_id, owner.handle)
                self.probe.write("ownership", account=account_id, handle=owner.handle,
                                 verdict=guard.verdict.value, owner_id=guard.owner_id,
                                 owner_name=guard.owner_name, banner=self._banner_text(guard),
                                 once=True)  # fmt: skip
        active = view.recipe.active_chat if view.recipe is not None else None
        text = ""
        if active is not None and active.key:
            handle = self._chat_handle(account_id, active.key, active.title)
            text = self._banner_text(self.guard(account_id, handle))
        if self.banners.get(account_id, "") != text and view.recipe is not None:
            self.banners[account_id] = text
            view.recipe.send_command(show_banner(text))
            self.probe.write("banner", account=account_id, text=text)

    def _banner_text(self, guard: ReplyGuard) -> str:
        if guard.verdict is ReplyVerdict.MINE:
            return self.tr("Assigned to you.")
        if guard.verdict is ReplyVerdict.OWNED_BY_OTHER:
            name = guard.owner_name or guard.owner_id or ""
            return self.tr("Owned by %1.").replace("%1", name)
        return ""

    def reply_gate(self, account_id: str, command: str, send: Callable[[str], None]) -> bool:
        """The translation panel's commands pass here: pressing Send in a chat someone else
        owns asks first (True: send it now; False: this gate sends it, or not, itself)."""
        try:
            kind = json.loads(command).get("command")
        except (ValueError, AttributeError):
            return True
        if kind not in ("send", "compose"):
            return True
        chat = self.current_chat()
        if chat is None or chat[0] != account_id:
            return True
        guard = self.guard(*chat)
        if not guard.needs_confirmation:
            return True
        name = guard.owner_name or guard.owner_id or ""
        if kind == "compose":  # filling the box is no reply yet; Send (on the page) would be
            # In the window's note bar: the panel redraws its own warning line as the draft
            # changes (and Enter clears the draft), so a warning there would not stay.
            self.tell(self.tr("%1 owns this chat: replying makes a collision.").replace("%1", name))
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Owned by a colleague"),
                          self.tr("%1 owns this conversation. Send your reply anyway?")
                          .replace("%1", name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self.window)  # fmt: skip
        box.setObjectName("collisionGuard")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: int) -> None:
            confirmed = button == QMessageBox.StandardButton.Yes
            self.probe.write("collision_guard", account=account_id, confirmed=confirmed)
            if confirmed:
                send(command)

        box.finished.connect(answered)
        box.open()
        self.probe.write("collision_guard", account=account_id, asked=name)
        return False

    # -- pushes ------------------------------------------------------------------------------
    async def on_push(self, push: Push) -> None:
        self.probe.write("push", seq=push.seq, at=push.at, raw=push.raw)
        if self.book is not None:
            with contextlib.suppress(SyncError):
                await self.book.apply(push)
        if isinstance(push, Assigned) and push.owner_id == self.me():
            self._notify_chat(push.account_id, push.raw.get("contact_handle"),
                              self.tr("Assigned to you"))  # fmt: skip
        elif isinstance(push, Handoff):
            self.spawn(self._tell_handoff(push))
        elif isinstance(push, OwnerChanged) and push.owner_id != self.me():
            self._notify_chat(push.account_id, push.raw.get("contact_handle"),
                              self.tr("No longer yours"))  # fmt: skip
        elif isinstance(push, Warning):
            said = self.warning_text(push)
            self.tell(said)
            if self.board is not None:
                self.board.warn(said, push.message)
            if notice := open_shift_notice(push.raw, self.client, self.window):
                self.shift_notice = notice  # per conversation, a visible "keep" choice
        elif isinstance(push, QueueChanged):
            self.spawn(self.refresh_book())
        elif isinstance(push, RulesChanged) and self.board is not None:
            self.board.refresh_soon()
        self._refresh_views()

    def warning_text(self, push: Warning) -> str:
        """A pushed warning in the UI's language, worded from its fields; the server's
        (English) sentence for a kind this desktop does not know, or when a name is missing."""
        raw, me = push.raw, self.me()
        names = self.book.names if self.book is not None else {}

        def who(agent_id: str | None) -> str | None:
            return names.get(agent_id) if agent_id and agent_id != me else None

        customer = next((c.handle for c in (self.book.open_chats() if self.book else [])
                         if c.conversation_id == push.conversation_id), None)  # fmt: skip
        if push.kind == "shift_ending":
            return shift_notice_text(raw) or push.message
        if push.kind == "volume_anomaly" and self.board is not None:
            return str(self.board.anomaly_text(raw))
        if push.kind == "collision":  # agent_id owns the conversation, other_agent_id answered
            if push.other_agent_id == me:
                return self.tr("You answered a conversation another agent owns")
            if name := who(push.other_agent_id):
                return self.tr("%1 answered a conversation another agent owns").replace("%1", name)
        elif push.kind == "overload":
            if push.agent_id == me:
                return self.tr("You now hold more conversations than your capacity")
            if name := who(push.agent_id):
                return self.tr("%1 now holds more conversations than their capacity").replace(
                    "%1", name
                )
        elif push.kind == "no_eligible_agent":
            if customer:
                lapsed = self.tr("Reply deadline passed for %1 and nobody else can take it")
                return lapsed.replace("%1", customer)
            return self.tr("A reply deadline passed and nobody else can take the conversation")
        elif push.kind == "handoff_limit":
            if customer:
                return self.tr("Still no reply for %1 after the automatic handoffs").replace(
                    "%1", customer
                )
            return self.tr("A conversation still has no reply after the automatic handoffs")
        elif push.kind == "heavy_day" and "assigned_today" in raw:
            name = self.tr("You") if push.agent_id == me else who(push.agent_id)
            if name:
                mean = f"{float(raw.get('team_mean_today') or 0):.0f}"
                return (self.tr("%1: %2 conversations today against %3 on average for the team")
                        .replace("%1", name).replace("%2", str(raw["assigned_today"]))
                        .replace("%3", mean))  # fmt: skip
        return push.message

    def _desktop_accounts(self, server_account_id: str) -> list[str]:
        return [a for a in self.links.desktop_accounts(server_account_id) if a in self.window.views]

    def _chat_key(self, account_id: str, handle: str | None) -> str | None:
        for key, title in self.titles.get(account_id, {}).items():
            if self._handle(account_id, key, title) == handle:
                return key
        return None

    def _notify_chat(self, server_account_id: str, handle: Any, title: str, text: str = "") -> None:
        for account_id in self._desktop_accounts(server_account_id):
            chat_key = self._chat_key(account_id, handle if isinstance(handle, str) else None)
            body = text or str(handle or "")
            self.told.append(f"{title}: {body}")
            self.probe.write("notification", account=account_id, title=title, text=body)
            self.window.present_notification(
                PageNotification(account_id, title, body, chat_key=chat_key)
            )

    async def _tell_handoff(self, push: Handoff) -> None:
        """Who gave what to whom, with the context: notes, tags, a translated summary."""
        names = self.book.names if self.book is not None else {}
        handle = push.raw.get("contact_handle")
        context = await self.handoff_context(push.account_id, str(handle or ""))
        tags = list(dict.fromkeys([*push.tags, *context["tags"]]))
        # The server's notes (written on any workstation) first, then this store's own.
        notes = list(dict.fromkeys([*push.notes, *context["notes"]]))
        summary = push.summary or context["summary"]
        lines = []
        if tags:
            lines.append(self.tr("Tags: %1").replace("%1", ", ".join(tags)))
        lines += [self.tr("Note: %1").replace("%1", n) for n in notes[:3]]
        if summary:
            lines.append(self.tr("Summary: %1").replace("%1", summary))
        if push.to_agent_id == self.me():
            giver = names.get(push.from_agent_id or "", push.from_agent_id or "")
            title = self.tr("Handed to you by %1").replace("%1", giver or self.tr("the queue"))
        else:
            taker = names.get(push.to_agent_id or "", push.to_agent_id or "")
            title = self.tr("Handed over to %1").replace("%1", taker or self.tr("the queue"))
        self.probe.write("handoff", conversation_id=push.conversation_id, title=title,
                         tags=tags, notes=notes, summary=summary, reason=push.reason)  # fmt: skip
        self._notify_chat(push.account_id, handle, title,
                          "\n".join([str(handle or ""), *lines]))  # fmt: skip

    async def handoff_context(self, server_account_id: str, handle: str) -> dict[str, Any]:
        """Notes, tags and the last customer lines (translated) from this workstation's store."""
        context: dict[str, Any] = {"tags": [], "notes": [], "summary": ""}
        services = self.services
        accounts = self._desktop_accounts(server_account_id)
        if services is None or not accounts or not handle:
            return context
        from relaydesk.store.repository import Store

        account_id = accounts[0]
        chats = services.accounts.get(account_id)
        # The store knows an opened chat by its stable handle (the phone behind a list title).
        stable = chats.aliases.get(handle, handle) if chats is not None else handle
        contact_id = None
        for candidate in dict.fromkeys((stable, handle)):
            contact_id = await services.store.call(Store.find_contact, account_id, candidate)
            if contact_id is not None:
                break
        if contact_id is None:
            return context
        card = await services.store.call(Store.contact_card, contact_id, 12)
        context["tags"] = list(card.tags)
        context["notes"] = [n.text for n in card.notes]
        said = [line.text for line in card.history if line.direction == "in" and line.text]
        summary = " / ".join(said[-3:])[:400]
        translators = services._translators_for(account_id, contact_id)
        target = self.window.settings.agent_language.strip() or "en"
        if summary and translators is not None and card.language and card.language != target:
            with contextlib.suppress(Exception):
                result = await translators.service.translate(summary, card.language, target)
                summary = result.translation or summary
        context["summary"] = summary
        return context

    # -- actions on the current chat ---------------------------------------------------------
    def note_added(self, text: str) -> None:
        """A note added on the card of the open chat: when the team server knows the chat's
        conversation, it gets the note too, for the colleague who takes the chat over."""
        chat = self.current_chat()
        conversation_id = self.guard(*chat).conversation_id if chat is not None else None
        if conversation_id is not None:
            self.spawn(self._send_note(conversation_id, text))

    async def _send_note(self, conversation_id: str, text: str) -> None:
        client = self.client
        if client is None:
            self.tell(self.tr("The note stays on this workstation: you are signed out."))
            return
        try:
            await client.add_note(conversation_id, text)
        except ServerUnreachable:
            self.tell(self.tr("The note stays on this workstation: the team server cannot be "
                              "reached."))  # fmt: skip
        except SyncError as error:
            self.tell(self.tr("The note stays on this workstation (%1)").replace("%1", str(error)))
        else:
            self.probe.write("note_sent", conversation_id=conversation_id, text=text)

    def _current_conversation(self) -> str | None:
        chat = self.current_chat()
        if chat is None:
            self.tell(self.tr("Open a chat of a team account first."))
            return None
        guard = self.guard(*chat)
        if guard.conversation_id is None:
            self.tell(self.tr("The team server has no open conversation for this chat."))
        return guard.conversation_id

    def ask_transfer(self) -> QInputDialog | None:
        """Choose the colleague (the team's agents, by name); the dialog does not block the
        loop (pushes and uploads go on while it is open)."""
        conversation_id = self._current_conversation()
        if conversation_id is None or self.book is None:
            return None
        me = self.me()
        colleagues = {name: agent for agent, name in self.book.names.items() if agent != me}
        if not colleagues:
            self.tell(self.tr("No colleague to transfer to (the team server lists none)."))
            return None
        dialog = self._input_dialog(self.tr("Transfer the chat"), self.tr("To:"))
        dialog.setObjectName("transferTo")
        dialog.setComboBoxItems(sorted(colleagues))
        dialog.textValueSelected.connect(lambda name: self.spawn(self._act(
            lambda c: c.transfer(conversation_id, colleagues[name]))))  # fmt: skip
        dialog.open()
        return dialog

    def _input_dialog(self, title: str, label: str) -> QInputDialog:
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    async def release_current(self) -> None:
        conversation_id = self._current_conversation()
        if conversation_id is not None:
            await self._act(lambda c: c.release(conversation_id))

    async def close_current(self) -> None:
        """Close through the outbox (works offline too)."""
        chat = self.current_chat()
        server_id = self.links.server_account(chat[0]) if chat is not None else None
        if chat is None or server_id is None:
            self.tell(self.tr("Open a chat of a team account first."))
            return
        await self.record(TeamEvent(EventType.CONVERSATION_CLOSED, server_id, Contact(chat[1])))

    async def _act(self, action: Callable[[TeamClient], Coroutine[Any, Any, Any]]) -> None:
        if self.client is None:
            return
        try:
            await action(self.client)
        except SyncError as error:
            self.tell(str(error))
            return
        await self.refresh_book()

    def ask_link(self, account_id: str | None = None) -> QInputDialog | None:
        """Which server account this one is (the current tab's unless named)."""
        view = self.window.views.get(account_id or "") or self.window.current_view()
        if view is None:
            return None
        account_id = view.account.id
        dialog = self._input_dialog(
            self.tr("Team account"),
            self.tr("The team server's id of this account (empty: not a team account):"),
        )
        dialog.setObjectName("teamAccountLink")
        dialog.setTextValue(self.links.server_account(account_id) or "")

        def chosen(text: str) -> None:
            self.links.link(account_id, text)
            self._refresh_view(account_id)

        dialog.textValueSelected.connect(chosen)
        dialog.open()
        return dialog

    def show_board(self) -> None:
        if self.client is None:
            return
        from relaydesk.desktop.supervisor_board import SupervisorBoard

        if self.board is None:
            self.board = SupervisorBoard(SupervisorApi(self.client))
            self.board_dock = self.window.add_side_panel(self.board, self.tr("Team board"),
                                                         "team-board")  # fmt: skip
        self.board.api = SupervisorApi(self.client)
        self.board_dock.show()
        self.board.start()

    # -- plumbing ----------------------------------------------------------------------------
    def tell(self, message: str) -> None:
        """A note in the window (or the tray) that needs no answer."""
        self.told.append(message)
        self.probe.write("told", text=message)
        self.window.notice.show_note(message)
        self.window.notice_timer.start()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("team task failed", exc_info=task.exception())

    async def wait_idle(self, timeout_s: float = 10.0) -> None:
        """Until the tasks started so far are done (tests)."""
        deadline = time.monotonic() + timeout_s
        while self._tasks and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


async def attach_team(window: MainWindow, services: ChatServices | None = None,
                      **options: Any) -> TeamMode:  # fmt: skip
    team = TeamMode(window, services, **options)
    await team.start()
    return team


def _set_previous_agent(contact_id: int, name: str, store: Store) -> None:
    store.update_contact(contact_id, previous_agent=name)


def _same_text(text: str) -> str:
    """A text as the page may send it back: whitespace runs made one, ends trimmed."""
    return " ".join(text.split())
