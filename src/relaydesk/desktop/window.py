"""The main window: one tab per account, menus, shortcuts, tray, notifications, hibernation.

It wires the plain-Python parts (account list, hibernation policy, badges, notification rule)
to the Qt views; the decisions themselves live in those parts.
"""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWebEngineCore import QWebEngineNotification
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QSystemTrayIcon,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.account_view import AccountView, NoteBar
from relaydesk.desktop.accounts import AccountConfig, AccountError, AccountList
from relaydesk.desktop.badge_pill import BadgePill
from relaydesk.desktop.badges import Health, total_direct
from relaydesk.desktop.dialogs import (
    AddAccountDialog,
    FindDialog,
    WelcomeDialog,
    spellcheck_choice,
    spellcheck_combo,
)
from relaydesk.desktop.hibernation import AccountActivity, HibernationPolicy, Sleep
from relaydesk.desktop.i18n import Translators, resolve_language
from relaydesk.desktop.notifications import NotificationContext, PageNotification, should_show
from relaydesk.desktop.profiles import apply_spellcheck, delete_profile_data_in_background
from relaydesk.desktop.recipes import emit, platform_choice, platform_choices
from relaydesk.desktop.resources import ICONS, account_icon, tray_icon
from relaydesk.desktop.search import FindItem
from relaydesk.desktop.settings import AppSettings, SettingsFile
from relaydesk.desktop.settings_dialog import SettingsDialog
from relaydesk.desktop.theme import apply_theme
from relaydesk.desktop.window_state import WindowState
from relaydesk.paths import AppPaths


class _VerticalScroll(QScrollArea):
    """Scrolls its widget up and down only: as wide as the widget needs at the least (a side
    panel keeps its minimum width, e.g. the board's tabs all in view), any height."""

    def __init__(self, widget: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(widget)

    def minimumSizeHint(self) -> QSize:
        panel = self.widget()
        width = max(panel.minimumSizeHint().width(), panel.minimumWidth()) if panel else 0
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(width + bar, super().minimumSizeHint().height())


class MainWindow(QMainWindow):
    """Accounts in tabs. ``shown_notifications`` records what reached the desktop, newest last."""

    notification_shown = Signal(str, str)  # account id, title
    closed = Signal()  # the agent closed the window: the app ends
    view_added = Signal(object)  # an AccountView got its tab (the store and side panels follow)
    settings_changed = Signal(object, object)  # old and new AppSettings, once saved

    def __init__(
        self,
        paths: AppPaths,
        translators: Translators,
        settings_file: SettingsFile | None = None,
        accounts: AccountList | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths.ensure()
        self.translators = translators
        self.settings_file = settings_file or SettingsFile(paths.config / "settings.json")
        self.settings: AppSettings = self.settings_file.load()
        # Saved half a second after the last change, on a worker thread (a drag moves a tab
        # many times; each save is an fsync); flushed at shutdown.
        self.accounts = (
            accounts or AccountList(paths.config / "accounts.json", save_delay_s=0.5).load()
        )
        self.state_path = paths.config / "window.json"
        self.window_state = WindowState.load(self.state_path)
        self.views: dict[str, AccountView] = {}
        self.chats: dict[str, list[tuple[str, str]]] = {}
        self._tab_looks: dict[str, tuple[str, Health, bool]] = {}  # icon shown per account
        self.shown_notifications: list[PageNotification] = []
        # Qt's tray says "a message was clicked" without saying which: each message replaces
        # the one shown before, so a click is about the one shown last.
        self.last_shown: PageNotification | None = None
        self.welcome: WelcomeDialog | None = None  # the tour, while it is open
        self.setWindowIcon(QIcon(str(ICONS / "relaydesk.svg")))

        self.tabs = QTabWidget(self)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.setIconSize(QSize(20, 20))
        self.tabs.tabBar().tabMoved.connect(self._on_tab_moved)
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.empty = QWidget(self)
        self.empty_hint = QLabel(self.empty)
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_add = QPushButton(self.empty)
        self.empty_add.clicked.connect(self.add_account)
        column = QVBoxLayout(self.empty)
        column.addStretch(1)
        column.addWidget(self.empty_hint)
        column.addWidget(self.empty_add, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        # Where there is no system tray, notifications show in the window, above the tabs.
        self.notice = NoteBar(self)
        self.notice.setObjectName("notificationBar")
        self.notice.action.connect(self._open_last_shown)
        self.notice_timer = QTimer(self)
        self.notice_timer.setSingleShot(True)
        self.notice_timer.setInterval(8000)
        self.notice_timer.timeout.connect(self.notice.hide)
        central = QWidget(self)
        central_column = QVBoxLayout(central)
        central_column.setContentsMargins(0, 0, 0, 0)
        central_column.setSpacing(0)
        central_column.addWidget(self.notice)
        central_column.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._make_actions()
        self._make_tray()
        for account in self.accounts:
            self._add_view(account)
        self._show_empty_or_tabs()
        self._restore_layout()
        self.retranslate()

        self.hibernation_timer = QTimer(self)
        self.hibernation_timer.setInterval(30_000)
        self.hibernation_timer.timeout.connect(self.check_hibernation)
        self.hibernation_timer.start()
        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(5_000)
        self.heartbeat_timer.timeout.connect(self.check_responsive)
        self.heartbeat_timer.start()

    # -- construction ----------------------------------------------------------------------
    def _make_actions(self) -> None:
        bar = self.menuBar()
        self.account_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")

        def action(menu, slot, shortcut=None, checkable=False) -> QAction:  # type: ignore[no-untyped-def]
            act = QAction(self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.setCheckable(checkable)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        self.add_action = action(self.account_menu, self.add_account, "Ctrl+N")
        self.rename_action = action(self.account_menu, self.rename_current)
        self.remove_action = action(self.account_menu, self.remove_current)
        self.account_menu.addSeparator()
        self.mute_action = action(self.account_menu, self._toggle_mute, checkable=True)
        self.sleep_action = action(self.account_menu, self._toggle_hibernate, checkable=True)
        self.spellcheck_action = action(self.account_menu, self.choose_spellcheck)
        self.account_menu.addSeparator()
        self.reload_action = action(self.account_menu, self.reload_current, "F5")
        self.find_action = action(self.account_menu, self.find_contact, "Ctrl+F")
        self.account_menu.addSeparator()
        self.quit_action = action(self.account_menu, self.quit, "Ctrl+Q")
        self.dnd_action = action(self.view_menu, self._toggle_dnd, checkable=True)
        self.dnd_action.setChecked(self.settings.do_not_disturb)
        self.settings_action = action(self.view_menu, self.edit_settings, "Ctrl+,")
        self.panels_menu = self.view_menu.addMenu("")
        self.welcome_action = action(self.help_menu, self.show_welcome)
        self.about_action = action(self.help_menu, self.about)
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.show_account_at(n - 1))
        QShortcut(QKeySequence("Ctrl+Tab"), self).activated.connect(lambda: self._step(+1))
        QShortcut(QKeySequence("Ctrl+Shift+Tab"), self).activated.connect(lambda: self._step(-1))

    def _make_tray(self) -> None:
        self.tray = QSystemTrayIcon(tray_icon(0), self)
        self.tray.activated.connect(lambda _reason: self._raise())
        self.tray.messageClicked.connect(self._on_message_clicked)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()

    def retranslate(self) -> None:
        """Set every visible text in the current language."""
        self.setWindowTitle(self.tr("Relaydesk"))
        self.account_menu.setTitle(self.tr("&Accounts"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.add_action.setText(self.tr("Add an account…"))
        self.rename_action.setText(self.tr("Rename…"))
        self.remove_action.setText(self.tr("Remove…"))
        self.mute_action.setText(self.tr("Mute notifications of this account"))
        self.sleep_action.setText(self.tr("Let this account sleep when idle"))
        self.spellcheck_action.setText(self.tr("Spellcheck language…"))
        self.reload_action.setText(self.tr("Reload"))
        self.find_action.setText(self.tr("Find an account or contact…"))
        self.quit_action.setText(self.tr("Quit"))
        self.dnd_action.setText(self.tr("Do not disturb"))
        self.settings_action.setText(self.tr("Settings…"))
        self.panels_menu.setTitle(self.tr("Side panels"))
        self.welcome_action.setText(self.tr("Welcome tour"))
        self.about_action.setText(self.tr("About Relaydesk"))
        self.empty_hint.setText(self.tr("No accounts yet. Add your first one to start."))
        self.empty_add.setText(self.tr("Add an account…"))
        for account_id in self.views:
            self.refresh_tab(account_id)
        self.refresh_tray()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() is QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- accounts --------------------------------------------------------------------------
    def _add_view(self, account: AccountConfig) -> AccountView:
        choice = platform_choice(account.platform)
        view = AccountView(
            account,
            self.paths.profiles,
            account.url or choice.service_url,
            choice.user_agent,
            self.tabs,
        )
        view.badge_changed.connect(self.refresh_tab)
        view.health_changed.connect(self.refresh_tab)
        view.page_loaded.connect(self._follow_missing_anchors)
        view.notification.connect(self.present_notification)
        view.chats_seen.connect(self._on_chats)
        self.views[account.id] = view
        self.tabs.addTab(view, account.name)
        self.refresh_tab(account.id)
        emit(self.view_added, view)
        return view

    def _show_empty_or_tabs(self) -> None:
        self.stack.setCurrentWidget(self.tabs if self.views else self.empty)

    def current_view(self) -> AccountView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, AccountView) else None

    def add_account(self) -> AccountView | None:
        dialog = AddAccountDialog(platform_choices(), self)
        if dialog.exec() != AddAccountDialog.DialogCode.Accepted:
            return None
        platform, name, url, team = dialog.values()
        return self.create_account(
            platform,
            name,
            url=url,
            team_account=team,
            spellcheck_language=dialog.spellcheck_language(),
        )

    def create_account(
        self,
        platform: str,
        name: str,
        *,
        url: str = "",
        team_account: bool = False,
        spellcheck_language: str = "en-US",
    ) -> AccountView:
        """Add an account, open its tab and start loading it."""
        account = self.accounts.add(
            platform,
            name,
            url=url,
            team_account=team_account,
            spellcheck_language=spellcheck_language,
        )
        view = self._add_view(account)
        self._show_empty_or_tabs()
        self.tabs.setCurrentWidget(view)
        view.load()
        return view

    def rename_current(self) -> None:
        view = self.current_view()
        if view is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename account"), self.tr("New name:"), text=view.account.name
        )
        if ok and name.strip():
            self.rename_account(view.account.id, name)

    def rename_account(self, account_id: str, name: str) -> None:
        view = self.views[account_id]
        view.account = self.accounts.rename(account_id, name)
        self.refresh_tab(account_id)

    def remove_current(self) -> None:
        view = self.current_view()
        if view is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove account"),
            self.tr(
                "Remove “%1” and delete its cookies, storage and cache from this computer? "
                "You will have to log in again to add it back."
            ).replace("%1", view.account.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_account(view.account.id)

    def remove_account(self, account_id: str) -> None:
        """Close the tab, end the page and profile, then delete the profile's files."""
        view = self.views.pop(account_id)
        self.accounts.remove(account_id)
        self.tabs.removeTab(self.tabs.indexOf(view))
        self.chats.pop(account_id, None)
        profile = view.close_page()
        view.deleteLater()
        if profile is None:
            delete_profile_data_in_background(self.paths.profiles, account_id)
        else:
            profile.destroyed.connect(lambda: self._delete_profile_files(account_id))
        self._show_empty_or_tabs()
        self.refresh_tray()

    def _delete_profile_files(self, account_id: str) -> None:
        """Chromium finishes closing a profile's storage shortly after the profile object is gone
        and may recreate its folder meanwhile, so the deletion is repeated a few times."""
        for delay_ms in (0, 1000, 3000):
            QTimer.singleShot(
                delay_ms,
                lambda: delete_profile_data_in_background(self.paths.profiles, account_id),
            )

    def _on_tab_moved(self, _from: int, _to: int) -> None:
        order = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self.accounts.reorder([w.account.id for w in order if isinstance(w, AccountView)])

    def _toggle_mute(self, muted: bool) -> None:
        view = self.current_view()
        if view is not None:
            view.account = self.accounts.update(view.account.id, notifications_muted=muted)

    def choose_spellcheck(self) -> None:
        view = self.current_view()
        if view is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Spellcheck language"))
        combo = spellcheck_combo(view.account.spellcheck_language, dialog)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        column = QVBoxLayout(dialog)
        column.addWidget(QLabel(self.tr("Check spelling in:"), dialog))
        column.addWidget(combo)
        column.addWidget(buttons)
        if dialog.exec():
            try:
                self.set_spellcheck(view.account.id, spellcheck_choice(combo))
            except AccountError as exc:
                QMessageBox.warning(self, self.tr("Spellcheck language"), exc.translated())

    def set_spellcheck(self, account_id: str, language: str) -> None:
        """Keep the account's spellcheck language and apply it to its open profile."""
        view = self.views[account_id]
        view.account = self.accounts.update(account_id, spellcheck_language=language)
        if view.loaded:
            apply_spellcheck(view.profile, view.account.spellcheck_language)

    def _toggle_hibernate(self, allowed: bool) -> None:
        view = self.current_view()
        if view is not None:
            view.account = self.accounts.update(view.account.id, hibernate=allowed)

    # -- showing accounts ------------------------------------------------------------------
    def show_account(self, account_id: str) -> None:
        self.tabs.setCurrentWidget(self.views[account_id])
        self._raise()

    def show_account_at(self, index: int) -> None:
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _step(self, delta: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + delta) % self.tabs.count())

    def _on_current_changed(self, _index: int) -> None:
        view = self.current_view()
        if view is None:
            return
        view.touch()
        if self.isVisible():  # at start the pages load once the window shows (load_pages)
            view.load()
        self.mute_action.setChecked(view.account.notifications_muted)
        self.sleep_action.setChecked(view.account.hibernate)
        self.refresh_tab(view.account.id)

    def reload_current(self) -> None:
        view = self.current_view()
        if view is not None:
            view.reload()

    def _raise(self) -> None:
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()

    def load_pages(self, stagger_ms: int = 200) -> None:
        """Load the current account now and the others one after another, after the window shows."""
        current = self.current_view()
        if current is not None:
            current.load()
        for n, view in enumerate(v for v in self.views.values() if v is not current):
            QTimer.singleShot(stagger_ms * (n + 1), view.load)

    # -- badges, tray, notifications -------------------------------------------------------
    def refresh_tab(self, account_id: str) -> None:
        view = self.views.get(account_id)
        if view is None:
            return
        index = self.tabs.indexOf(view)
        # Only what changed is set: each change repaints the tab bar, and without a GPU every
        # repaint of the window is composed on the CPU (docs/desktop.md, event-loop lag).
        if self.tabs.tabText(index) != view.account.name:
            self.tabs.setTabText(index, view.account.name)
        bar = self.tabs.tabBar()
        side = QTabBar.ButtonPosition.RightSide
        pill = bar.tabButton(index, side)
        if not isinstance(pill, BadgePill):
            pill = BadgePill(bar)
            bar.setTabButton(index, side, pill)
        before = (pill.isVisibleTo(bar), pill.sizeHint())
        # A page whose anchors went missing may count wrong: its badge is shown as not live.
        degraded = view.health is Health.DEGRADED
        pill.show_badge(view.badge.stale() if degraded else view.badge)
        if (pill.isVisibleTo(bar), pill.sizeHint()) != before:
            # The tab bar sizes a tab for its button only when the button is set: set it again,
            # or a grown pill spills over the next tab.
            bar.setTabButton(index, side, None)
            bar.setTabButton(index, side, pill)
            pill.setVisible(view.badge.direct > 0 or view.badge.muted > 0)
        asleep = view.sleep is not Sleep.AWAKE
        look = (platform_choice(view.account.platform).icon, view.health, asleep)
        if self._tab_looks.get(account_id) != look:
            self._tab_looks[account_id] = look
            self.tabs.setTabIcon(index, account_icon(*look))
        tooltip = self._tab_tooltip(view, asleep)
        self.tabs.setTabToolTip(index, tooltip)
        pill.setToolTip(tooltip)
        if len(self.views) == len(self.accounts):  # not while the tabs are being built
            self.refresh_tray()

    def _follow_missing_anchors(self, account_id: str, _ok: bool) -> None:
        """Refresh the tab when the list of missing anchors changes (health may stay degraded)."""
        view = self.views.get(account_id)
        if view is None or view.recipe is None or view.recipe.property("tabFollows"):
            return
        view.recipe.setProperty("tabFollows", True)
        view.recipe.anchors_missing.connect(lambda _names: self.refresh_tab(account_id))

    def _tab_tooltip(self, view: AccountView, asleep: bool) -> str:
        health = {
            Health.UNKNOWN: self.tr("Loading"),
            Health.OK: self.tr("Working"),
            Health.DEGRADED: self.tr("The page changed: some counts may be missing"),
            Health.CRASHED: self.tr("The page crashed and was reloaded"),
            Health.UNRESPONSIVE: self.tr("The page is not responding"),
        }[view.health]
        lines = [view.account.name, platform_choice(view.account.platform).name, health]
        missing = view.recipe.missing if view.recipe is not None else ()
        if view.health is Health.DEGRADED and missing:
            lines.append(self.tr("Not found on the page: %1").replace("%1", ", ".join(missing)))
            lines.append(self.tr("The unread count (marked ~) may be wrong"))
        lines.append(
            self.tr("Unread: %1, muted chats: %2")
            .replace("%1", str(view.badge.direct))
            .replace("%2", str(view.badge.muted))
        )
        if asleep:
            lines.append(self.tr("Asleep: the counts are from before it slept"))
        return "\n".join(lines)

    def total_unread(self) -> int:
        return total_direct(v.badge for v in self.views.values())

    def refresh_tray(self) -> None:
        total = self.total_unread()
        tooltip = self.tr("Relaydesk: %1 unread").replace("%1", str(total))
        if tooltip != self.tray.toolTip():  # the total or the language changed
            self.tray.setIcon(tray_icon(total))
            self.tray.setToolTip(tooltip)
        title = self.tr("Relaydesk")
        title = f"({total}) {title}" if total else title
        if title != self.windowTitle():
            self.setWindowTitle(title)

    def present_notification(self, notification: PageNotification) -> None:
        """A page asked to notify: show it on the desktop unless silenced."""
        view = self.views.get(notification.account_id)
        if view is None:
            return
        in_front = self.isActiveWindow() and self.current_view() is view
        context = NotificationContext(
            self.settings.do_not_disturb, view.account.notifications_muted, in_front
        )
        if not should_show(context):
            return
        self.shown_notifications.append(notification)
        del self.shown_notifications[:-20]  # a page's notification objects stay valid meanwhile
        if isinstance(notification.web, QWebEngineNotification):
            notification.web.show()  # tells the page it was shown
        heading = f"{view.account.name}: {notification.title}"
        self.last_shown = notification
        if self._use_tray():
            self.tray.showMessage(heading, notification.text, self.tray.icon(), 8000)
        else:
            text = f"{heading} — {notification.text}" if notification.text else heading
            self.notice.show_note(text, self.tr("Open"))
            self.notice_timer.start()
        emit(self.notification_shown, notification.account_id, notification.title)

    def _use_tray(self) -> bool:
        """Desktop notifications go through the tray; without one, into the window."""
        return QSystemTrayIcon.isSystemTrayAvailable() and self.tray.isVisible()

    def _on_message_clicked(self) -> None:
        self._open_last_shown()

    def _open_last_shown(self) -> None:
        self.notice.hide()
        if self.last_shown is not None:
            notification, self.last_shown = self.last_shown, None
            self.open_notification(notification)

    def open_notification(self, notification: PageNotification) -> None:
        """Bring its account to the front and open the chat it is about."""
        view = self.views.get(notification.account_id)
        if view is None:
            return
        self.show_account(notification.account_id)
        if notification.chat_key and view.recipe is not None:
            view.recipe.open_chat(notification.chat_key)
        if isinstance(notification.web, QWebEngineNotification):
            notification.web.click()  # the page opens its chat itself

    def _toggle_dnd(self, on: bool) -> None:
        self.apply_settings(replace(self.settings, do_not_disturb=on))

    # -- find ------------------------------------------------------------------------------
    def _on_chats(self, account_id: str, chats: list[tuple[str, str]]) -> None:
        self.chats[account_id] = chats

    def find_items(self) -> list[FindItem]:
        items = [FindItem(v.account.id, v.account.name) for v in self.views.values()]
        for account_id, chats in self.chats.items():
            name = self.views[account_id].account.name
            items += [FindItem(account_id, f"{title} — {name}", key) for key, title in chats]
        return items

    def find_contact(self) -> None:
        dialog = FindDialog(self.find_items(), self)
        if dialog.exec() and dialog.chosen is not None:
            self.show_account(dialog.chosen.account_id)
            view = self.views[dialog.chosen.account_id]
            if dialog.chosen.chat_key and view.recipe is not None:
                view.recipe.open_chat(dialog.chosen.chat_key)

    # -- hibernation and health ------------------------------------------------------------
    def check_hibernation(self) -> dict[str, Sleep]:
        """Put idle accounts to sleep as the policy says; returns what changed."""
        policy = HibernationPolicy(
            self.settings.hibernate_after_min * 60.0, self.settings.discard_hibernated
        )
        return self.apply_hibernation(policy)

    def apply_hibernation(self, policy: HibernationPolicy) -> dict[str, Sleep]:
        now = time.monotonic()
        current = self.current_view()
        activity = [
            AccountActivity(v.account.id, v.idle_s(now), v.sleep, v.account.hibernate, v is current)
            for v in self.views.values()
            if v.loaded
        ]
        changes = policy.decide(activity)
        for account_id, state in changes.items():
            self.views[account_id].set_sleep(state)
            self.refresh_tab(account_id)
        return changes

    def check_responsive(self) -> None:
        now = time.monotonic()
        for view in self.views.values():
            view.check_responsive(now)

    # -- side panels -----------------------------------------------------------------------
    def add_side_panel(self, widget: QWidget, title: str, name: str = "") -> QDockWidget:
        """Dock ``widget`` at the right (contact card, intake counter, ...); its place, size and
        visibility come back after a restart when ``name`` is stable. Returns the dock."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name or f"panel-{type(widget).__name__}")
        # In a scroll area: a panel's own minimum height (a filled customer card, the board's
        # tables) must not force the window taller than the screen when panels are stacked;
        # the panel scrolls instead. ``dock.widget().widget()`` is the panel.
        dock.setWidget(_VerticalScroll(widget, dock))
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.panels_menu.addAction(dock.toggleViewAction())
        if self.window_state.state:  # docks added after the start take their saved place too
            saved = QByteArray.fromBase64(self.window_state.state.encode())
            # Once the dock is laid out: a dock added to a shown window shows itself afterwards.
            QTimer.singleShot(0, self, lambda: self.restoreState(saved))
        return dock

    # -- settings, welcome, layout ---------------------------------------------------------
    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings)

    def apply_settings(self, settings: AppSettings) -> None:
        """Save and apply: theme and language change at once."""
        old = self.settings
        self.settings = settings
        self.settings_file.save(settings)
        self.dnd_action.setChecked(settings.do_not_disturb)
        app = QApplication.instance()
        if settings.theme != old.theme and isinstance(app, QApplication):
            apply_theme(app, settings.theme)
        if settings.ui_language != old.ui_language:
            self.translators.apply(resolve_language(settings.ui_language))
        emit(self.settings_changed, old, settings)

    def show_welcome(self) -> WelcomeDialog:
        """The tour, beside the window (not modal: a modal one shown at start kept the app from
        quitting, as the blocked window refused its close and Ctrl+Q); seen once it ends."""
        if self.welcome is None:
            welcome = self.welcome = WelcomeDialog(self)
            welcome.setModal(False)
            welcome.addAction(self.quit_action)  # Ctrl+Q quits from the tour too
            welcome.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            welcome.finished.connect(self._welcome_finished)
        self.welcome.show()
        self.welcome.raise_()
        self.welcome.activateWindow()
        return self.welcome

    def _welcome_finished(self, _result: int) -> None:
        self.welcome = None
        self.window_state.welcomed = True
        self.window_state.save(self.state_path)

    def about(self) -> None:
        from relaydesk import __version__

        QMessageBox.about(
            self,
            self.tr("About Relaydesk"),
            self.tr("Relaydesk %1: many messaging accounts in one window.").replace(
                "%1", __version__
            ),
        )

    def _restore_layout(self) -> None:
        state = self.window_state
        if state.geometry:
            self.restoreGeometry(QByteArray.fromBase64(state.geometry.encode()))
        else:
            self.resize(1200, 800)
        if state.state:
            self.restoreState(QByteArray.fromBase64(state.state.encode()))
        if state.current_account in self.views:
            self.tabs.setCurrentWidget(self.views[state.current_account])

    def save_layout(self) -> None:
        view = self.current_view()
        self.window_state.geometry = bytes(self.saveGeometry().toBase64().data()).decode()
        self.window_state.state = bytes(self.saveState().toBase64().data()).decode()
        self.window_state.current_account = view.account.id if view else ""
        self.window_state.save(self.state_path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.welcome is not None:
            self.welcome.reject()  # the window's close ends the tour with it
        self.save_layout()
        self.tray.hide()
        super().closeEvent(event)
        emit(self.closed)

    def quit(self) -> None:
        self.close()

    def shutdown(self) -> None:
        """Delete pages before their profiles (Qt warns otherwise) and stop the timers."""
        self.hibernation_timer.stop()
        self.heartbeat_timer.stop()
        self.accounts.flush()
        for view in self.views.values():
            view.close_page()
            view.deleteLater()  # and with it the profile, freeing its folder for another run
        self.views.clear()
