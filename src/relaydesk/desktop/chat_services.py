"""The customer-facing services wired to the window: store, contact card, intake, translation.

Recipe events of every account flow here (page → recipe → ``RecipeLink`` → this object) and go
to the store through ``AsyncStore`` (its own thread, never the UI's): the chat list's rising
unread counts are intake arrivals, the open chat's visible messages are kept (the history on
screen when a chat is first read is kept without counting as arrivals), sent replies too. For the
current tab's open chat the contact card is shown and its customer messages are translated under
them in the page; the translation panel writes to that page. Each tab shows today's intake, the
dashboard refreshes every minute and after arrivals, and the store is backed up once a day.

The decisions live in ``relaydesk.store`` and ``relaydesk.translate``; this class only routes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDockWidget, QMessageBox, QTabBar

from relaydesk.desktop.account_view import AccountView
from relaydesk.desktop.accounts import AccountError
from relaydesk.desktop.context_panel import ENGINE_NAMES, ContactCardPanel, ContextPanelController
from relaydesk.desktop.intake_panel import (
    ExportPeriodDialog,
    IntakeController,
    IntakeDashboardPanel,
    IntakeTodayLabel,
)
from relaydesk.desktop.page_notes import page_note
from relaydesk.desktop.quick_replies import FILE_NAME as QUICK_REPLIES_FILE
from relaydesk.desktop.quick_replies import QuickReplyFile
from relaydesk.desktop.recipes import contact_handle
from relaydesk.desktop.settings import AppSettings, language_codes
from relaydesk.desktop.translation_ui import (
    KeyringKeys,
    TranslationPanel,
    customer_messages,
    incoming_to_page,
)
from relaydesk.desktop.window import MainWindow
from relaydesk.store.async_store import AsyncStore
from relaydesk.store.database import StoreError
from relaydesk.store.intake import DayClock, scope_from_setting
from relaydesk.store.repository import Store
from relaydesk.store.views import ContactCard
from relaydesk.translate.detection import DEFAULT_LANGUAGES, LanguageDetection, UnknownLanguage
from relaydesk.translate.engines import (
    DeepTranslatorEngine,
    EngineChoice,
    EngineKind,
    KeyProvider,
    TranslationFailed,
)
from relaydesk.translate.incoming import (
    ChatToggles,
    IncomingTranslator,
    MessageState,
    MessageTranslation,
)
from relaydesk.translate.outgoing import ComposeTranslator, GuardMode, QuickReplies
from relaydesk.translate.service import TranslationService
from relaydesk.translate.store_link import store_translation_cache

INTAKE_REFRESH_MS = 60_000
BACKUP_CHECK_MS = 3_600_000  # backup_if_due makes one a day; asking hourly catches midnight
OFFLINE_RETRY_MS = 16_000  # a little after the service's offline pause (15 s)


@dataclass
class AccountChats:
    """What the window knows of one account's chats from its recipe."""

    platform: str
    unread: dict[str, int] = field(default_factory=dict)  # chat key -> unread, last chat list
    listed: dict[str, str] = field(default_factory=dict)  # chat key or title -> list handle
    aliases: dict[str, str] = field(default_factory=dict)  # list handle -> stable handle
    active_key: str | None = None
    active_title: str = ""
    handle: str | None = None  # the open chat's contact handle
    contact_id: int | None = None  # ... and its contact in the store
    read_chats: set[str] = field(default_factory=set)  # chats whose history is kept
    kept: set[str] = field(default_factory=set)  # message keys stored this session
    translated: set[str] = field(default_factory=set)  # message keys sent for translation
    visible: Any = None  # the open chat's last Messages event


class CardLanguages:
    """Contact languages for the translate part: read from the card on the event loop's side,
    remembered in the store through ``AsyncStore`` (never SQLite on the UI thread)."""

    def __init__(self, services: ChatServices) -> None:
        self._services = services
        self.known: dict[str, str] = {}

    def language_of(self, contact_id: str) -> str | None:
        return self.known.get(contact_id)

    def remember(self, contact_id: str, language: str) -> None:
        self.known[contact_id] = language
        self._services.spawn(self._remember(int(contact_id), language))

    async def _remember(self, contact_id: int, language: str) -> None:
        await self._services.store.run(lambda s: s.update_contact(contact_id, language=language))
        card = self._services.card
        if card.contact_id == contact_id:
            await card.refresh()  # the card shows the language just learned


@dataclass
class Translators:
    service: TranslationService
    incoming: IncomingTranslator
    compose: ComposeTranslator


class ChatServices(QObject):
    """Follows every account's recipe for the store, the side panels and translation."""

    def __init__(
        self,
        window: MainWindow,
        store: AsyncStore,
        *,
        detection_languages: tuple[str, ...] | None = None,  # None: the settings' languages
        keys: KeyProvider | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        debounce_ms: int = 350,
        offline_retry_ms: int = OFFLINE_RETRY_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.now = now
        self.keys = keys
        self.notices: list[str] = []  # what the agent was told (rescue, failures)
        self.accounts: dict[str, AccountChats] = {}
        self.account_engines: dict[str, str] = {}
        self.toggles = ChatToggles()
        self.languages = CardLanguages(self)
        self._engine_override: dict[int, str | None] = {}
        self._translators: dict[tuple[EngineChoice, str], Translators] = {}
        self._detection: LanguageDetection | None = None
        self._detection_languages = detection_languages
        self._debounce_ms = debounce_ms
        self._tasks: set[asyncio.Future[Any]] = set()
        self._closed = False
        # Team mode's collision guard (desktop.team): sees the translation panel's commands
        # first; (account id, command, send) -> True to send now, False when it took over.
        self.reply_gate: Callable[[str, str, Callable[[str], None]], bool] | None = None

        self.card_panel = ContactCardPanel(account_name=self.account_name)
        self.card = ContextPanelController(self.card_panel, store)
        self.card_dock = window.add_side_panel(self.card_panel, self.tr("Customer"), "customer")
        self.card_panel.engine_requested.connect(self._engine_for_contact)
        self.intake_panel = IntakeDashboardPanel(account_name=self.account_name)
        self.intake_dock = window.add_side_panel(self.intake_panel, self.tr("Intake"), "intake")
        self.intake = IntakeController(
            self.intake_panel, store, DayClock(), scope_from_setting("account"), 0, now=now
        )
        self.intake_panel.export_requested.connect(self.export_intake)
        self.translation_panel: TranslationPanel | None = None
        self.translation_dock: QDockWidget | None = None
        self.quick_reply_file = QuickReplyFile(window.paths.config / QUICK_REPLIES_FILE, self.tell)
        window.settings_changed.connect(self._settings_changed)
        self._make_engine_menu()

        self.intake_timer = QTimer(self)
        self.intake_timer.setInterval(INTAKE_REFRESH_MS)
        self.intake_timer.timeout.connect(self.refresh_intake)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup)
        self.offline_retry = QTimer(self)
        self.offline_retry.setSingleShot(True)
        self.offline_retry.setInterval(offline_retry_ms)
        self.offline_retry.timeout.connect(self.retry_offline)

        window.view_added.connect(self._follow)
        window.tabs.currentChanged.connect(lambda _index: self._show_current())
        for view in list(window.views.values()):
            self._follow(view)

    # -- start and stop --------------------------------------------------------------------
    async def start(self) -> None:
        """Tell the agent about a rescued store, back up, count, then load language detection
        (seconds, on a worker thread) and dock the translation panel."""
        rescue = self.store.store.rescue
        if rescue is not None:
            self.tell(rescue.message)
        self.account_engines = await self.store.call(Store.account_engines)
        self.backup()
        self.refresh_intake()
        self.intake_timer.start()
        self.backup_timer.start()
        languages = self._detection_languages or language_codes(
            self.window.settings.detection_languages
        )
        loop = asyncio.get_running_loop()
        # A thread of its own: qasync's default executor runs QThreads, which abort the process
        # when still alive at exit.
        with ThreadPoolExecutor(1, thread_name_prefix="detection-load") as loading:
            try:
                self._detection = await loop.run_in_executor(
                    loading, lambda: LanguageDetection(languages, preload=True)
                )
            except UnknownLanguage as error:  # a hand-edited setting: say so, detect anyway
                self.tell(
                    self.tr("Language detection uses its default languages: %1").replace(
                        "%1", str(error)
                    )
                )
                self._detection = await loop.run_in_executor(
                    loading, lambda: LanguageDetection(DEFAULT_LANGUAGES, preload=True)
                )
        if self._closed:
            return
        quick_replies = await self.quick_reply_file.load()
        if self._closed:
            return
        self._make_translation_panel(quick_replies)
        self._show_current()

    async def close(self) -> None:
        """Stop the timers and translation threads, then close the store (on quit; once)."""
        if self._closed:
            return
        self._closed = True
        for timer in (self.intake_timer, self.backup_timer, self.offline_retry):
            timer.stop()
        for translators in self._translators.values():
            translators.service.close()
        self._translators.clear()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.quick_reply_file.close()  # the last change reaches the disk
        await self.store.close()

    def account_name(self, account_id: str) -> str:
        """The name the agent gave an account (its id once the account is removed)."""
        try:
            return self.window.accounts.get(account_id).name
        except AccountError:
            return account_id

    def tell(self, message: str) -> None:
        """Show the agent a message that needs their attention, without blocking the window."""
        self.notices.append(message)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Relaydesk"),
            message,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def backup(self) -> None:
        self.spawn(self._backup())

    async def _backup(self) -> None:
        try:
            await self.store.call(Store.backup_if_due)
        except Exception as error:  # a full disk must not stop the work; the agent is told
            self.tell(
                self.tr("The daily backup of the customer store failed: %1").replace(
                    "%1", str(error)
                )
            )

    # -- accounts and their recipes --------------------------------------------------------
    def _follow(self, view: AccountView) -> None:
        account = view.account
        self.accounts.setdefault(account.id, AccountChats(account.platform))
        self.spawn(
            self.store.call(Store.ensure_account, account.id, account.platform, account.name)
        )
        label = IntakeTodayLabel()
        label.setObjectName("intakeToday")
        bar = self.window.tabs.tabBar()
        bar.setTabButton(self.window.tabs.indexOf(view), QTabBar.ButtonPosition.LeftSide, label)
        self.intake.tab_labels[account.id] = label
        view.recipe_attached.connect(lambda _id, v=view: self._connect_recipe(v))
        # A page loaded again has lost the lines shown under its messages: show them again.
        view.page_loaded.connect(lambda _id, _ok, a=account.id: self.accounts[a].translated.clear())
        if view.recipe is not None:
            self._connect_recipe(view)

    def _connect_recipe(self, view: AccountView) -> None:
        recipe = view.recipe
        if recipe is None:
            return
        account_id = view.account.id
        recipe.chat_list.connect(lambda event: self.on_chat_list(account_id, event))
        recipe.active_chat_changed.connect(lambda event: self.on_active_chat(account_id, event))
        recipe.messages.connect(lambda event: self.on_messages(account_id, event))
        recipe.sent.connect(lambda event: self.on_sent(account_id, event))

    def _stable(self, chats: AccountChats, handle: str) -> str:
        return chats.aliases.get(handle, handle)

    def on_chat_list(self, account_id: str, event: Any) -> None:
        """A rising unread count is a customer writing: an intake arrival (groups are not)."""
        chats = self.accounts[account_id]
        arrivals: list[tuple[str, str]] = []
        for chat in event.chats:
            handle = contact_handle(chats.platform, chat.key, chat.title)
            chats.listed[chat.key] = chats.listed[chat.title] = handle
            if chat.group is not True and chat.unread > chats.unread.get(chat.key, 0):
                arrivals.append((self._stable(chats, handle), chat.title))
        chats.unread = {chat.key: chat.unread for chat in event.chats}
        if arrivals:
            self.spawn(self._arrive(account_id, arrivals))

    async def _arrive(self, account_id: str, arrivals: list[tuple[str, str]]) -> None:
        moment = self.now()

        def work(store: Store) -> bool:
            counted = [store.note_arrival(account_id, h, name, moment) for h, name in arrivals]
            return any(counted)

        if await self.store.run(work):
            self.refresh_intake()

    def on_active_chat(self, account_id: str, event: Any) -> None:
        chats = self.accounts[account_id]
        chats.active_key, chats.active_title = event.key, event.title
        chats.handle, chats.contact_id, chats.visible = event.contact, None, None
        if self._is_current(account_id):
            self.card.show_contact(None)
        if event.key and event.contact:
            self.spawn(self._open_chat(account_id, event.key, event.title, event.contact))

    async def _open_chat(self, account_id: str, key: str, title: str, handle: str) -> None:
        chats = self.accounts[account_id]
        listed = chats.listed.get(key) or chats.listed.get(title)
        if listed is not None and listed != handle:
            chats.aliases[listed] = handle  # later arrivals in the list are this contact too

        def work(store: Store) -> int:
            if listed is not None and listed != handle:
                store.adopt_handle(account_id, listed, handle)
            return store.see_contact(account_id, handle, title, at=self.now())

        contact_id = await self.store.run(work)
        if chats.active_key != key:
            return  # the agent moved on meanwhile
        chats.contact_id = contact_id
        if self._is_current(account_id):
            await self._show_contact(account_id)

    def on_messages(self, account_id: str, event: Any) -> None:
        chats = self.accounts[account_id]
        if event.chat != chats.active_key:
            return
        chats.visible = event
        self.spawn(self._keep_messages(account_id, event))

    async def _keep_messages(self, account_id: str, event: Any) -> None:
        chats = self.accounts[account_id]
        handle = chats.handle or contact_handle(chats.platform, event.chat, chats.active_title)
        first_read = event.chat not in chats.read_chats
        chats.read_chats.add(event.chat)
        name, moment = chats.active_title, self.now()
        new = [message for message in event.messages if message.key not in chats.kept]

        def work(store: Store) -> tuple[int | None, bool]:
            contact_id, appeared = None, False
            for message in new:
                seen = store.record_message(
                    account_id,
                    handle,
                    message.key,
                    str(message.direction),
                    message.text,
                    moment,
                    name,
                    arrival=not first_read,
                )
                contact_id, appeared = seen.contact_id, appeared or seen.appearance
            return contact_id, appeared

        if new:
            try:
                contact_id, appeared = await self.store.run(work)
            except Exception as error:  # a message the store refuses is reported, never raised
                self.card.failures.append(str(error))
                return
            chats.kept.update(message.key for message in new)
        else:
            contact_id, appeared = chats.contact_id, False
        if appeared:
            self.refresh_intake()
        if chats.active_key == event.chat and self._is_current(account_id):
            if chats.contact_id is None and contact_id is not None:
                chats.contact_id = contact_id
                await self._show_contact(account_id)
            else:
                self.card.show_contact(chats.contact_id)
                self.translate_visible(account_id)

    def on_sent(self, account_id: str, event: Any) -> None:
        chats = self.accounts[account_id]
        if event.chat != chats.active_key or chats.handle is None:
            return
        handle, name, moment = chats.handle, chats.active_title, self.now()
        self.spawn(
            self.store.run(
                lambda store: store.record_message(
                    account_id, handle, event.key, "out", event.text, moment, name
                )
            )
        )

    # -- the current tab's open chat -------------------------------------------------------
    def _is_current(self, account_id: str) -> bool:
        view = self.window.current_view()
        return view is not None and view.account.id == account_id

    def _show_current(self) -> None:
        view = self.window.current_view()
        if view is None or self._closed:
            return
        engine = self.account_engines.get(view.account.id, "")
        for action in self.engine_actions.actions():
            action.setChecked(action.data() == engine)
        if view.recipe is not None and self.translation_panel is not None:
            self.translation_panel.set_send_command(self._sender(view))
        chats = self.accounts.get(view.account.id)
        if chats is None or chats.contact_id is None:
            self.card.show_contact(None)
            return
        self.spawn(self._show_contact(view.account.id))

    async def _show_contact(self, account_id: str) -> None:
        """Show the open chat's card and point the translation panel at its contact."""
        chats = self.accounts[account_id]
        contact_id = chats.contact_id
        if contact_id is None:
            return
        self.card.show_contact(contact_id)
        card: ContactCard = await self.store.call(Store.contact_card, contact_id, 0)
        if chats.contact_id != contact_id or not self._is_current(account_id):
            return
        self._engine_override[contact_id] = card.translation_engine
        self.toggles.set(str(contact_id), card.translate_incoming)
        if card.language:
            self.languages.known[str(contact_id)] = card.language
        panel = self.translation_panel
        translators = self._translators_for(account_id, contact_id)
        if panel is not None and translators is not None:
            panel.set_translators(translators.compose, translators.incoming)
            panel.set_contact(str(contact_id), self.languages.language_of(str(contact_id)))
        self.translate_visible(account_id)

    # -- translation -----------------------------------------------------------------------
    def _choice(self, account_id: str, contact_id: int | None) -> EngineChoice:
        """The contact's override, else the account's engine, else the settings' default."""
        settings = self.window.settings
        kind = (
            self._engine_override.get(contact_id or -1)
            or self.account_engines.get(account_id)
            or settings.translation_engine
        )
        try:
            engine = EngineKind(kind)
        except ValueError:
            engine = EngineKind.GOOGLE
        url = settings.libretranslate_url.strip() or None
        return EngineChoice(engine, url=url if engine is EngineKind.LIBRE else None)

    def _translators_for(self, account_id: str, contact_id: int | None) -> Translators | None:
        if self._detection is None:
            return None
        choice = self._choice(account_id, contact_id)
        agent_language = self.window.settings.agent_language.strip() or "en"
        made = self._translators.get((choice, agent_language))
        if made is not None:
            return made
        try:
            engine = DeepTranslatorEngine(choice, self.keys)
        except TranslationFailed as error:  # no key, no URL: say so and keep the original
            if self.translation_panel is not None:
                self.translation_panel.warning.setText(str(error))
            self.notices.append(str(error))
            return None
        service = TranslationService(engine, store_translation_cache(self.store.store))
        incoming = IncomingTranslator(service, self._detection, self.languages, agent_language)
        incoming.note = page_note
        incoming.toggles = self.toggles  # one per-chat toggle, whichever engine translates
        compose = self._compose(service)
        made = self._translators[(choice, agent_language)] = Translators(service, incoming, compose)
        return made

    def _make_translation_panel(self, quick_replies: QuickReplies) -> None:
        view = self.window.current_view()
        translators = self._translators_for(view.account.id if view else "", None)
        if translators is None:  # the default engine cannot start: fall back to Google
            translators = self._translators_for_choice(EngineChoice())
        panel = TranslationPanel(
            translators.compose,
            self._send_to_current,
            incoming=translators.incoming,
            quick_replies=quick_replies,
            debounce_ms=self._debounce_ms,
            auto_send=lambda: self.window.settings.auto_send_translation,
            guard=self._guard_mode,
        )
        panel.chat_translation_on.connect(self._translation_turned_on)
        panel.chat_translation_off.connect(lambda contact: self._keep_toggle(contact, False))
        panel.retry_button.clicked.disconnect()
        panel.retry_button.clicked.connect(self.retry_current)
        self.translation_panel = panel
        self.translation_dock = self.window.add_side_panel(
            panel, self.tr("Translation"), "translation"
        )

    def _compose(self, service: TranslationService) -> ComposeTranslator:
        assert self._detection is not None
        settings = self.window.settings
        agent_language = settings.agent_language.strip() or "en"
        return ComposeTranslator(
            service,
            self._detection,
            agent_language,
            back_translate=settings.back_translation_check,
        )

    def _guard_mode(self) -> GuardMode | None:
        """The guard as the settings say now (None: off); read at each Ctrl+Enter."""
        settings = self.window.settings
        return GuardMode(settings.language_guard_mode) if settings.language_guard else None

    def _settings_changed(self, old: AppSettings, new: AppSettings) -> None:
        panel = self.translation_panel
        if panel is not None and old.back_translation_check != new.back_translation_check:
            panel.set_back_translation(new.back_translation_check)

    def _translators_for_choice(self, choice: EngineChoice) -> Translators:
        assert self._detection is not None
        agent_language = self.window.settings.agent_language.strip() or "en"
        service = TranslationService(DeepTranslatorEngine(choice, self.keys))
        incoming = IncomingTranslator(service, self._detection, self.languages, agent_language)
        incoming.note = page_note
        incoming.toggles = self.toggles
        translators = Translators(service, incoming, self._compose(service))
        self._translators[(choice, agent_language)] = translators
        return translators

    def _send_to_current(self, command: str) -> None:
        view = self.window.current_view()
        if view is not None and view.recipe is not None:
            self._sender(view)(command)

    def _sender(self, view: AccountView) -> Callable[[str], None]:
        """The panel's command channel to ``view``'s page, through the reply gate if any."""
        recipe = view.recipe
        assert recipe is not None

        def send(command: str) -> None:
            gate = self.reply_gate
            if gate is None or gate(view.account.id, command, recipe.send_command):
                recipe.send_command(command)

        return send

    def _page_listener(self, view: AccountView) -> Callable[[MessageTranslation], None]:
        recipe = view.recipe
        assert recipe is not None
        show = incoming_to_page(recipe.send_command)

        def landed(translation: MessageTranslation) -> None:
            show(translation)
            if translation.state is MessageState.OFFLINE and not self.offline_retry.isActive():
                self.offline_retry.start()  # back online: the originals get their translation

        return landed

    def translate_visible(self, account_id: str) -> None:
        """Translate the open chat's customer messages under them, in the page."""
        chats = self.accounts[account_id]
        view = self.window.views.get(account_id)
        if chats.contact_id is None or chats.visible is None or view is None or not view.recipe:
            return
        translators = self._translators_for(account_id, chats.contact_id)
        if translators is None:
            return
        messages = [m for m in customer_messages(chats.visible) if m.key not in chats.translated]
        if not messages:
            return  # each message is translated once; failures come back through retry
        chats.translated.update(message.key for message in messages)
        contact = str(chats.contact_id)
        self.spawn(
            translators.incoming.translate_visible(contact, messages, self._page_listener(view))
        )

    def _keep_toggle(self, contact: str, enabled: bool) -> None:
        """The per-chat toggle, kept on the contact in the store."""
        self.spawn(
            self.store.run(lambda s: s.update_contact(int(contact), translate_incoming=enabled))
        )

    def _translation_turned_on(self, contact: str) -> None:
        self._keep_toggle(contact, True)
        view = self.window.current_view()
        if view is not None:
            self.accounts[view.account.id].translated.clear()
            self.translate_visible(view.account.id)

    def retry_current(self) -> None:
        view = self.window.current_view()
        if view is None or view.recipe is None:
            return
        chats = self.accounts.get(view.account.id)
        if chats is None or chats.contact_id is None:
            return
        translators = self._translators_for(view.account.id, chats.contact_id)
        if translators is not None:
            self.spawn(translators.incoming.retry(str(chats.contact_id), self._page_listener(view)))

    def retry_offline(self) -> None:
        """After an offline spell, try the open chat's untranslated messages again."""
        self.retry_current()

    # -- engine per account (Accounts menu) and per contact (card) ---------------------------
    def _make_engine_menu(self) -> None:
        menu = self.window.account_menu.addMenu(self.tr("Translation engine"))
        self.engine_menu = menu
        self.engine_actions = QActionGroup(self)
        self.engine_actions.setExclusive(True)
        choices = [("", self.tr("Default (from Settings)")), *ENGINE_NAMES.items()]
        for kind, name in choices:
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(kind)
            action.setChecked(kind == "")
            self.engine_actions.addAction(action)
            menu.addAction(action)
        self.engine_actions.triggered.connect(self._engine_for_account)

    def _engine_for_account(self, action: QAction) -> None:
        view = self.window.current_view()
        if view is None:
            return
        kind = str(action.data()) or None
        if kind is None:
            self.account_engines.pop(view.account.id, None)
        else:
            self.account_engines[view.account.id] = kind
        self.spawn(self.store.call(Store.set_account_engine, view.account.id, kind))
        self.accounts[view.account.id].translated.clear()  # shown again by the new engine
        self.spawn(self._show_contact(view.account.id))

    def _engine_for_contact(self, contact_id: int, kind: str) -> None:
        self._engine_override[contact_id] = kind or None
        view = self.window.current_view()
        if view is not None:
            self.accounts[view.account.id].translated.clear()
            self.spawn(self._show_contact(view.account.id))

    # -- intake ----------------------------------------------------------------------------
    def refresh_intake(self) -> None:
        """Today's figures on the tabs and the dashboard, with the settings as they are now."""
        settings = self.window.settings
        hours, _, minutes = settings.intake_day_boundary.partition(":")
        zone = datetime.now().astimezone().tzinfo or UTC
        self.intake.clock = DayClock(time(int(hours), int(minutes)), zone)
        self.intake.scope = scope_from_setting(settings.intake_dedup_scope)
        self.intake.threshold = settings.intake_daily_threshold
        live = self.window.views
        self.intake.tab_labels = {
            account: label for account, label in self.intake.tab_labels.items() if account in live
        }
        # Each label makes room for its new text on its tab itself (IntakeTodayLabel).
        self.spawn(self.intake.refresh())

    def export_intake(self) -> None:
        today = self.intake.clock.day_of(self.now())
        dialog = ExportPeriodDialog(today, self.window.paths.data, self.window)
        dialog.accepted.connect(lambda: self.spawn(self._export(*dialog.period())))
        dialog.open()

    async def _export(self, first: Any, last: Any, path: Any) -> None:
        try:
            await self.intake.export_csv(first, last, path)
        except Exception as error:
            self.tell(self.tr("The export failed: %1").replace("%1", str(error)))

    # -- running work without blocking the UI ----------------------------------------------
    def spawn(
        self, work: Coroutine[Any, Any, Any] | asyncio.Future[Any]
    ) -> asyncio.Future[Any] | None:
        """Run ``work`` on the event loop; dropped once closed (pages still closing send events
        after the store has gone)."""
        if self._closed:
            if asyncio.iscoroutine(work):
                work.close()
            return None
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.notices.append(str(task.exception()))

    def pending(self) -> bool:
        return bool(self._tasks)


async def attach_services(window: MainWindow, **options: Any) -> ChatServices | None:
    """Open the user's store (check, rescue, migrate on its own thread) and wire everything;
    ``start`` (language detection, seconds) goes on in the background. None, with the agent
    told why, when the store cannot be opened at all (the accounts still work)."""
    try:
        store = await AsyncStore.open_in(window.paths)
    except (StoreError, OSError) as error:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            window.tr("Relaydesk"),
            window.tr("The customer store could not be opened: %1").replace("%1", str(error)),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return None
    services = ChatServices(window, store, **options)
    services.spawn(services.start())
    return services


def default_keys() -> KeyringKeys:
    from relaydesk.desktop.secrets import SecretStore

    return KeyringKeys(SecretStore())
