"""Holding replies: a ready message, in the customer's language, telling them the expected wait.

For the open chat of the current tab, the wait comes from the team server
(``GET /v1/conversations/{id}/wait``, through ``relaydesk.sync.waiting``) when team mode knows
the chat's conversation, else from the agent's own queue of unanswered chats (``SoloQueue``: the
chat-list rows whose unread count rose, and the open chat whose last message is the customer's,
until the agent sends something there) at the agent's recent reply pace. Both are estimated by
``relaydesk.domain.waiting`` and rounded there for the customer.

The text is the shipped template of the customer's language (``resources/holding_replies.json``)
or, for other languages, the English one translated by the chat's engine. The contact card shows
it as an action ("Holding reply: ≈10 min") that fills the compose box, as a quick reply does;
sending stays the agent's act. With auto-send turned on for an account (Accounts menu), the reply
is sent once per waiting stretch of a chat open in that account when the wait is at least
``holding_auto_send_after_min`` (docs/desktop.md says exactly when).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from relaydesk.desktop.account_view import AccountView
from relaydesk.domain.models import Awaiting, Conversation, ConversationState
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.waiting import (
    CustomerWait,
    WaitBasis,
    WaitEstimate,
    estimate_assigned,
    reply_interval,
    rounded,
)
from relaydesk.platforms.commands import fill_compose, press_send
from relaydesk.shipped import shipped_dir
from relaydesk.store.repository import Store
from relaydesk.sync.errors import SyncError
from relaydesk.sync.waiting import QueuedConversations, conversation_wait
from relaydesk.translate.service import TranslationStatus

if TYPE_CHECKING:
    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.desktop.team import TeamMode
    from relaydesk.desktop.window import MainWindow

TEMPLATES = shipped_dir("resources") / "holding_replies.json"
AUTO_SEND_FILE = "holding_replies.json"  # in the config dir: the accounts with auto-send on
REFRESH_MS = 20_000  # the wait changes as others are answered: the offer follows this often
KEPT_REPLIES = 200  # the agent's last replies kept for the pace


# ---------------------------------------------------------------- texts (plain Python)


def primary_language(code: str | None) -> str | None:
    """ "pt-BR" → "pt", "zh_CN" → "zh"; None for nothing."""
    if not code or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-", 1)[0].lower()


def plural_category(rule: str, n: int) -> str:
    """The CLDR plural category of a whole number for the templates' rules."""
    if rule == "one_other":
        return "one" if n == 1 else "other"
    if rule == "fr":
        return "one" if n in (0, 1) else "other"
    if rule == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        return "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    if rule == "ar":
        if n in (1, 2):
            return "one" if n == 1 else "two"
        if 3 <= n % 100 <= 10:
            return "few"
        return "many" if 11 <= n % 100 <= 99 else "other"
    return "other"


class HoldingTemplates:
    """The shipped holding replies, one set per customer language."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = {k: v for k, v in data.items() if not k.startswith("_")}

    @classmethod
    def load(cls, path: Path = TEMPLATES) -> HoldingTemplates:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._data)

    def render(self, language: str, wait: CustomerWait | None) -> str | None:
        """The reply in ``language`` (None: no template for it); ``wait`` None: nobody can
        answer now, said without a figure."""
        texts = self._data.get(language)
        if texts is None:
            return None
        if wait is None:
            return str(texts["nobody"])
        if wait.over_a_day:
            phrase = str(texts["over_a_day"])
        else:
            forms = texts["units"][wait.unit]
            category = plural_category(str(texts["plural"]), wait.high)
            unit = forms.get(category) or forms.get("other") or next(iter(forms.values()))
            template = texts["about"] if wait.approximate else texts["range"]
            phrase = (
                str(template)
                .replace("{n}", str(wait.high))
                .replace("{low}", str(wait.low))
                .replace("{high}", str(wait.high))
                .replace("{unit}", unit)
            )
        return str(texts["wait"]).replace("{wait}", phrase)


# ---------------------------------------------------------------- the agent's own queue


def _chat_id(account_id: str, chat_key: str) -> str:
    return f"{account_id}\x1f{chat_key}"


@dataclass
class SoloQueue:
    """The agent's unanswered chats (waiting since when) and their recent replies (the pace)."""

    waiting: dict[str, float] = field(default_factory=dict)  # chat id -> waiting since
    replies: list[tuple[float, str]] = field(default_factory=list)  # (time, chat id)

    def customer_wrote(self, account_id: str, chat_key: str, at: float) -> None:
        self.waiting.setdefault(_chat_id(account_id, chat_key), at)

    def agent_replied(self, account_id: str, chat_key: str, at: float, *, sent: bool) -> None:
        """The chat is answered; ``sent`` (a reply seen leaving the app) counts for the pace."""
        chat = _chat_id(account_id, chat_key)
        self.waiting.pop(chat, None)
        if sent:
            self.replies.append((at, chat))
            del self.replies[:-KEPT_REPLIES]

    def waiting_since(self, account_id: str, chat_key: str) -> float | None:
        return self.waiting.get(_chat_id(account_id, chat_key))

    def estimate(self, account_id: str, chat_key: str, now: float) -> WaitEstimate | None:
        """The chat's wait among the agent's unanswered chats (oldest first), or None when it
        is not waiting."""
        chat = _chat_id(account_id, chat_key)
        if chat not in self.waiting:
            return None

        def conversation(chat_id: str, since: float) -> Conversation:
            return Conversation(
                chat_id, chat_id.split("\x1f", 1)[0], chat_id, since,
                state=ConversationState.ASSIGNED, waiting_since=since, awaiting=Awaiting.AGENT,
            )  # fmt: skip

        owned = [conversation(c, since) for c, since in self.waiting.items()]
        mine = next(c for c in owned if c.id == chat)
        pace = reply_interval(self.replies, now)
        return estimate_assigned(mine, None, owned, RoutingRules(), now, reply_interval_s=pace)


# ---------------------------------------------------------------- the offer on the card


@dataclass
class HoldingOffer:
    """What the card offers for the open chat now."""

    account_id: str
    chat_key: str
    stretch: str  # one waiting stretch: auto-send sends once per stretch
    estimate: WaitEstimate
    wait: CustomerWait | None
    language: str
    text: str
    from_team: bool
    may_auto_send: bool  # queued or the agent's own (never a colleague's conversation)
    notes: list[str] = field(default_factory=list)


class HoldingReplies(QObject):
    """Keeps the card's holding-reply action on the open chat of the current tab."""

    def __init__(
        self,
        window: MainWindow,
        services: ChatServices,
        team: TeamMode | None = None,
        *,
        templates: HoldingTemplates | None = None,
        clock: Callable[[], float] = time.time,
        refresh_ms: int = REFRESH_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.team = team
        self.templates = templates or HoldingTemplates.load()
        self.clock = clock
        self.queue = SoloQueue()
        self.offer: HoldingOffer | None = None
        self.auto_send_accounts: set[str] = set()
        self.auto_sent: set[str] = set()  # stretches already answered by auto-send
        self._titles: dict[str, dict[str, str]] = {}  # account -> chat-list title -> key
        self._queued: QueuedConversations | None = None
        self.failures: list[str] = []
        self._file = window.paths.config / AUTO_SEND_FILE
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="holding-replies")
        self._tasks: set[asyncio.Future[Any]] = set()
        self._turn = 0
        self._closed = False

        self.button = QPushButton()
        self.button.setObjectName("holdingReply")
        self.button.hide()
        self.button.clicked.connect(self.fill_current)
        services.card_panel.extra_actions.addWidget(self.button)
        self.auto_action = QAction(self.tr("Auto-send holding replies on this account"), self)
        self.auto_action.setCheckable(True)
        self.auto_action.toggled.connect(self._auto_toggled)
        window.account_menu.addAction(self.auto_action)

        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(300)
        self._soon.timeout.connect(lambda: self.spawn(self.refresh()))
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.schedule)
        window.view_added.connect(self._follow)
        window.tabs.currentChanged.connect(lambda _index: self._tab_changed())
        for view in list(window.views.values()):
            self._follow(view)

    # -- start and stop ----------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.auto_send_accounts = await loop.run_in_executor(self._pool, self._read_auto_send)
        self._tab_changed()
        self.timer.start()

    async def close(self) -> None:
        self._closed = True
        self.timer.stop()
        self._soon.stop()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._pool.shutdown(wait=True)

    def _read_auto_send(self) -> set[str]:
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        accounts = data.get("auto_send", []) if isinstance(data, dict) else []
        return {a for a in accounts if isinstance(a, str)}

    def _write_auto_send(self, accounts: list[str]) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_name(self._file.name + ".tmp")
        tmp.write_text(json.dumps({"auto_send": accounts}, indent=2) + "\n", encoding="utf-8")
        tmp.replace(self._file)

    # -- following the recipes ---------------------------------------------------------------
    def _follow(self, view: AccountView) -> None:
        view.recipe_attached.connect(lambda _id, v=view: self._connect(v))
        if view.recipe is not None:
            self._connect(view)

    def _connect(self, view: AccountView) -> None:
        recipe = view.recipe
        if recipe is None:
            return
        account = view.account.id
        recipe.chat_list.connect(lambda event: self._chat_list(account, event))
        recipe.messages.connect(lambda event: self._messages(account, event))
        recipe.sent.connect(lambda event: self._sent(account, event))
        recipe.active_chat_changed.connect(lambda _event: self._changed(account))

    def _chat_list(self, account_id: str, event: Any) -> None:
        self._titles[account_id] = {chat.title: chat.key for chat in event.chats}
        for chat in event.chats:  # unread: the customer wrote and nobody has answered
            if chat.group is not True and chat.unread > 0:
                self.queue.customer_wrote(account_id, chat.key, self.clock())
        self._changed(account_id)

    def _listed(self, account_id: str, chat_key: str) -> str:
        """The chat-list row's key of a chat: the open chat may go by another key (WhatsApp's
        list knows a title, the open chat its number), found by the open chat's title."""
        titles = self._titles.get(account_id, {})
        if chat_key in titles.values():
            return chat_key
        view = self.window.views.get(account_id)
        active = view.recipe.active_chat if view is not None and view.recipe else None
        if active is not None and active.key == chat_key and active.title in titles:
            return titles[active.title]
        return chat_key

    def _messages(self, account_id: str, event: Any) -> None:
        chat = self._listed(account_id, event.chat)
        if event.messages:
            if str(event.messages[-1].direction) == "in":
                self.queue.customer_wrote(account_id, chat, self.clock())
            else:  # answered, perhaps from the phone: no longer waiting
                self.queue.agent_replied(account_id, chat, self.clock(), sent=False)
        self._changed(account_id)

    def _sent(self, account_id: str, event: Any) -> None:
        chat = self._listed(account_id, event.chat)
        self.queue.agent_replied(account_id, chat, self.clock(), sent=True)
        self._changed(account_id)

    def _changed(self, account_id: str) -> None:
        view = self.window.current_view()
        if view is not None and view.account.id == account_id:
            self.schedule()

    def _tab_changed(self) -> None:
        view = self.window.current_view()
        self.auto_action.blockSignals(True)
        self.auto_action.setEnabled(view is not None)
        self.auto_action.setChecked(view is not None and view.account.id in self.auto_send_accounts)
        self.auto_action.blockSignals(False)
        self.schedule()

    def _auto_toggled(self, on: bool) -> None:
        view = self.window.current_view()
        if view is None:
            return
        (self.auto_send_accounts.add if on else self.auto_send_accounts.discard)(view.account.id)
        accounts = sorted(self.auto_send_accounts)
        self.spawn(
            asyncio.get_running_loop().run_in_executor(self._pool, self._write_auto_send, accounts)
        )
        self.schedule()

    def schedule(self) -> None:
        """Work the offer out again shortly (events come in bursts)."""
        if not self._closed:
            self._soon.start()

    # -- the offer -----------------------------------------------------------------------------
    async def refresh(self) -> HoldingOffer | None:
        """The offer for the open chat of the current tab (None: nothing to offer), shown on
        the card, and sent when auto-send applies."""
        self._turn += 1
        turn = self._turn
        view = self.window.current_view()
        active = view.recipe.active_chat if view is not None and view.recipe else None
        if view is None or active is None or not active.key:
            self._show(None)
            return None
        account = view.account.id
        notes: list[str] = []
        estimate, stretch, from_team, may_auto = await self._estimate(account, active, notes)
        if estimate is None or not estimate.must_wait:
            if turn == self._turn:
                self._show(None)
            return None
        wait = rounded(estimate)
        language = await self._language(account, notes)
        text = await self._text(account, language, wait, notes)
        if turn != self._turn:
            return None  # the agent moved on meanwhile; a newer refresh shows its own
        chat_key = self._listed(account, active.key)
        offer = HoldingOffer(account, chat_key, stretch, estimate, wait, language, text,
                             from_team, may_auto, notes)  # fmt: skip
        self._show(offer)
        self._auto_send(view, offer)
        return offer

    async def _estimate(
        self, account: str, active: Any, notes: list[str]
    ) -> tuple[WaitEstimate | None, str, bool, bool]:
        now = self.clock()
        team = self.team
        chat = team.current_chat() if team is not None and team.client is not None else None
        if team is not None and team.client is not None and chat is not None:
            try:
                conversation_id = await self._conversation_of(team, *chat)
                answer = (
                    await conversation_wait(team.client, conversation_id)
                    if conversation_id is not None
                    else None
                )
            except SyncError as error:
                notes.append(self.tr("The team server gave no wait (%1); this is your own "
                                     "queue's.").replace("%1", str(error)))  # fmt: skip
            else:
                if answer is not None and conversation_id is not None:
                    mine = answer.state == "queued" or answer.owner_id == team.me()
                    return answer.estimate, conversation_id, True, mine
        chat_key = self._listed(account, active.key)
        since = self.queue.waiting_since(account, chat_key)
        stretch = f"{_chat_id(account, chat_key)}\x1f{since}"
        return self.queue.estimate(account, chat_key, now), stretch, False, True

    async def _conversation_of(self, team: TeamMode, account: str, handle: str) -> str | None:
        """The team server's open conversation of the chat: assigned ones from the ownership
        book, queued ones from the server's queue."""
        known = team.guard(account, handle).conversation_id
        server_account = team.links.server_account(account)
        if known is not None or server_account is None or team.client is None:
            return known
        if self._queued is None or self._queued.client is not team.client:
            self._queued = QueuedConversations(team.client)
        return await self._queued.find(server_account, handle)

    async def _language(self, account: str, notes: list[str]) -> str:
        """The contact's language: kept on the contact, else learned, else detected from their
        visible messages; English when none of these knows."""
        chats = self.services.accounts.get(account)
        contact_id = chats.contact_id if chats is not None else None
        language: str | None = None
        if contact_id is not None:
            with contextlib.suppress(Exception):  # merged or gone meanwhile: detect instead
                card = await self.services.store.call(Store.contact_card, contact_id, 0)
                language = card.language
            language = language or self.services.languages.language_of(str(contact_id))
        detection = self.services._detection  # loaded by ChatServices.start; None before
        if language is None and chats is not None and chats.visible is not None and detection:
            text = " ".join(m.text for m in chats.visible.messages if str(m.direction) == "in")
            found = detection.detect(text) if text.strip() else None
            language = found.code if found is not None else None
        if language is None:
            notes.append(self.tr("The customer's language is not known: English."))
        return primary_language(language) or "en"

    async def _text(
        self, account: str, language: str, wait: CustomerWait | None, notes: list[str]
    ) -> str:
        text = self.templates.render(language, wait)
        if text is not None:
            return text
        english = self.templates.render("en", wait)
        assert english is not None
        chats = self.services.accounts.get(account)
        translators = self.services._translators_for(
            account, chats.contact_id if chats is not None else None
        )
        if translators is None:
            notes.append(self.tr("No translation engine: the reply is in English."))
            return english
        result = await translators.service.translate(english, "en", language)
        if result.status is TranslationStatus.DONE and result.translation:
            return result.translation
        notes.append(self.tr("The translation failed (%1): the reply is in English.")
                     .replace("%1", result.reason or str(result.status)))  # fmt: skip
        return english

    def _show(self, offer: HoldingOffer | None) -> None:
        self.offer = offer
        if offer is None:
            self.button.hide()
            return
        self.button.setText(self.tr("Holding reply: %1").replace("%1", self.figure(offer)))
        # What a click does, then the reply itself: the button alone shows only the wait.
        click = self.tr("A click puts this reply in the chat's compose box (not sent):")
        self.button.setToolTip("\n".join([self.basis(offer), "", click, offer.text, *offer.notes]))
        self.button.show()

    def figure(self, offer: HoldingOffer) -> str:
        """The button's short figure: "≈10 min", "10–15 min", "2–3 h", "over a day"."""
        wait = offer.wait
        if wait is None:
            if offer.estimate.basis is WaitBasis.OWNER_AWAY:
                return self.tr("its agent is away")
            return self.tr("nobody online")
        if wait.over_a_day:
            return self.tr("over a day")
        if wait.unit == "minute":
            if wait.approximate:
                return self.tr("≈%1 min").replace("%1", str(wait.high))
            return self.tr("%1–%2 min").replace("%1", str(wait.low)).replace("%2", str(wait.high))
        if wait.approximate:
            return self.tr("≈%1 h").replace("%1", str(wait.high))
        return self.tr("%1–%2 h").replace("%1", str(wait.low)).replace("%2", str(wait.high))

    def basis(self, offer: HoldingOffer) -> str:
        estimate = offer.estimate
        position = str(estimate.position or 1)
        if estimate.basis is WaitBasis.QUEUE:
            said = self.tr("Number %1 in the team's queue, from how fast your team frees a place.")
        elif not offer.from_team:
            said = self.tr("Number %1 of your unanswered chats, at your recent reply pace.")
        elif estimate.basis is WaitBasis.AGENT:
            said = self.tr("Number %1 of the chats waiting on its agent, at their reply pace.")
        else:
            said = self.tr("Nobody online can answer it now.")
        said = said.replace("%1", position)
        if estimate.high_s is not None and not estimate.measured:
            said += " " + self.tr("(Too few recent replies to measure: a default pace.)")
        return said

    # -- sending -------------------------------------------------------------------------------
    def fill_current(self) -> None:
        """The agent's click: the reply goes into the chat's compose box, not sent."""
        view = self.window.current_view()
        offer = self.offer
        if view is None or view.recipe is None or offer is None:
            return
        if view.account.id != offer.account_id:
            return
        recipe = view.recipe
        gate = self.services.reply_gate  # team mode's collision guard sees it first
        command = fill_compose(offer.text)
        if gate is None or gate(view.account.id, command, recipe.send_command):
            if self.team is not None:
                self.team.expect_holding(view.account.id, offer.text)
            recipe.send_command(command)

    def _auto_send(self, view: AccountView, offer: HoldingOffer) -> None:
        """Send once per waiting stretch, on an account with auto-send on, when the expected
        wait reaches the threshold (or nobody can answer), and never into a colleague's chat."""
        if offer.account_id not in self.auto_send_accounts or not offer.may_auto_send:
            return
        if offer.stretch in self.auto_sent or view.recipe is None:
            return
        threshold_s = 60.0 * self.window.settings.holding_auto_send_after_min
        expected = offer.estimate.expected_s
        if expected is not None and expected < threshold_s:
            return
        self.auto_sent.add(offer.stretch)
        if self.team is not None:
            self.team.expect_holding(view.account.id, offer.text)
        view.recipe.send_command(fill_compose(offer.text))
        view.recipe.send_command(press_send())

    # -- running work without blocking the UI --------------------------------------------------
    def spawn(self, work: Coroutine[Any, Any, Any] | asyncio.Future[Any]) -> None:
        if self._closed:
            if asyncio.iscoroutine(work):
                work.close()
            return
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.failures.append(str(task.exception()))

    def pending(self) -> bool:
        return bool(self._tasks) or self._soon.isActive()


async def attach_holding(
    window: MainWindow, services: ChatServices, team: TeamMode | None = None, **options: Any
) -> HoldingReplies:
    holding = HoldingReplies(window, services, team, **options)
    await holding.start()
    return holding
