"""One account's page: a web view in its own profile, with a note bar for crashes and hangs.

A thin adapter: Qt signals are turned into the project's own values (``Badge``, ``Health``,
``Sleep``) and re-emitted; what to do about them is decided by the window and the policies.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineNotification,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from relaydesk.desktop.accounts import AccountConfig
from relaydesk.desktop.badges import Badge, Health
from relaydesk.desktop.hibernation import Sleep
from relaydesk.desktop.notifications import PageNotification
from relaydesk.desktop.profiles import create_profile
from relaydesk.desktop.recipes import RecipeLink, attach_recipe, emit
from relaydesk.desktop.responsiveness import HeartbeatWatch

_TITLE_COUNT = re.compile(r"\((\d+)\)|^\s*(\d+)\s")

_TO_QT = {
    Sleep.AWAKE: QWebEnginePage.LifecycleState.Active,
    Sleep.FROZEN: QWebEnginePage.LifecycleState.Frozen,
    Sleep.DISCARDED: QWebEnginePage.LifecycleState.Discarded,
}
_FROM_QT = {v: k for k, v in _TO_QT.items()}


class NoteBar(QFrame):
    """A strip above the page saying what happened, with an optional action button."""

    action = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteBar")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_note(self, text: str, button_text: str = "") -> None:
        self.label.setText(text)
        self.button.setText(button_text)
        self.button.setVisible(bool(button_text))
        self.show()


class AccountView(QWidget):
    """The tab content of one account."""

    badge_changed = Signal(str)  # account id
    health_changed = Signal(str)
    notification = Signal(object)  # a PageNotification
    chats_seen = Signal(str, list)  # account id, [(key, title)]
    page_loaded = Signal(str, bool)  # account id, ok
    recipe_attached = Signal(str)  # account id: ``recipe`` is set, its events can be followed

    def __init__(
        self,
        account: AccountConfig,
        profiles_root: Path,
        service_url: str,
        user_agent: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.account = account
        self.service_url = service_url
        self.badge = Badge()
        self.health = Health.UNKNOWN
        self.last_active = time.monotonic()
        self.crashes = 0
        self.heartbeat = HeartbeatWatch()
        self.profiles_root = profiles_root
        self.user_agent = user_agent
        # The profile, page and view are made on the first load, after the window shows: a
        # profile takes ~50 ms to open, too long to do ten of them before the window appears.
        self.profile: QWebEngineProfile
        self.page: QWebEnginePage
        self.view: QWebEngineView
        self.recipe: RecipeLink | None = None
        self.note = NoteBar(self)
        self.note.action.connect(self.reload)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.column.addWidget(self.note)
        self.column.addStretch(1)
        self.loaded = False
        self._ending_renderer = False

    def _open_page(self) -> None:
        self.profile = create_profile(self.account, self.profiles_root, self.user_agent, self)
        self.profile.setNotificationPresenter(self._present_notification)
        self.page = QWebEnginePage(self.profile, self.profile)
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        stretch = self.column.takeAt(1)
        del stretch
        self.column.addWidget(self.view, 1)
        self.page.titleChanged.connect(self._on_title)
        self.page.renderProcessTerminated.connect(self._on_renderer_gone)
        self.page.permissionRequested.connect(self._on_permission)
        self.page.loadFinished.connect(self._on_load_finished)
        self.page.lifecycleStateChanged.connect(self._on_lifecycle)
        self.recipe = attach_recipe(self.page, self.account.platform, self)
        if self.recipe is not None:
            self.recipe.unread.connect(self._on_recipe_unread)
            self.recipe.health.connect(self._on_recipe_health)
            self.recipe.chats.connect(lambda chats: emit(self.chats_seen, self.account.id, chats))
            self.recipe.notification.connect(self._on_recipe_notification)
            emit(self.recipe_attached, self.account.id)

    # -- commands from the window ----------------------------------------------------------
    def load(self) -> None:
        """Start loading the service (the window calls this after it is shown)."""
        if not self.loaded:
            self._open_page()
            self.loaded = True
            self.page.load(QUrl(self.service_url))

    def reload(self) -> None:
        """Reload the page; a hung one has its renderer ended first, as Chrome's "Kill page" does
        (a hung renderer would never start the new load)."""
        if not self.loaded:
            self.load()
            return
        if self.health is Health.UNRESPONSIVE and self._end_renderer():
            return  # _on_renderer_gone reloads it
        self.note.hide()
        self.heartbeat.reset()
        if self.health in (Health.CRASHED, Health.UNRESPONSIVE):
            self._set_health(Health.UNKNOWN)
        if self.sleep is not Sleep.AWAKE:
            self.set_sleep(Sleep.AWAKE)
        self.page.triggerAction(QWebEnginePage.WebAction.Reload)

    @property
    def sleep(self) -> Sleep:
        return _FROM_QT[self.page.lifecycleState()] if self.loaded else Sleep.AWAKE

    def set_sleep(self, state: Sleep) -> None:
        """Freeze, discard or wake the page through the page lifecycle API."""
        if not self.loaded or (state is not Sleep.AWAKE and self.isVisible()):
            return  # nothing to freeze yet; Chromium refuses to freeze a visible page
        self.heartbeat.reset()
        self.page.setLifecycleState(_TO_QT[state])

    def touch(self) -> None:
        """The agent looked at this account now (it stops counting as idle)."""
        self.last_active = time.monotonic()
        if self.sleep is not Sleep.AWAKE:
            self.set_sleep(Sleep.AWAKE)

    def idle_s(self, now: float) -> float:
        return 0.0 if self.isVisible() else now - self.last_active

    # -- heartbeat -------------------------------------------------------------------------
    def check_responsive(self, now: float) -> None:
        """Ping an awake, loaded page; offer a reload when the previous ping is overdue."""
        if not self.loaded or self.sleep is not Sleep.AWAKE or self.health is Health.CRASHED:
            return
        if self.heartbeat.unresponsive(now):
            if self.health is not Health.UNRESPONSIVE:
                self._set_health(Health.UNRESPONSIVE)
                self.note.show_note(
                    self.tr("This page is not responding."), self.tr("Reload the page")
                )
            return
        ping_id = self.heartbeat.ping(now)
        if ping_id is not None:
            self.page.runJavaScript(str(ping_id), 0, self._on_pong)

    def _on_pong(self, result: object) -> None:
        try:
            ping_id = int(result)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return
        if self.heartbeat.answered(ping_id) and self.health is Health.UNRESPONSIVE:
            self.note.hide()
            self._set_health(Health.UNKNOWN)

    # -- Qt signals into project values ----------------------------------------------------
    def _set_health(self, health: Health) -> None:
        if health is not self.health:
            self.health = health
            emit(self.health_changed, self.account.id)

    def _set_badge(self, badge: Badge) -> None:
        if badge != self.badge:
            self.badge = badge
            emit(self.badge_changed, self.account.id)

    def _on_title(self, title: str) -> None:
        if self.recipe is not None:
            return  # the recipe knows better than the title
        match = _TITLE_COUNT.search(title)
        count = int(match.group(1) or match.group(2)) if match else 0
        self._set_badge(self.badge.counted(count, self.badge.muted))

    def _on_recipe_unread(self, direct: int, muted: int) -> None:
        self._set_badge(self.badge.counted(direct, muted))

    def _on_recipe_health(self, ok: bool) -> None:
        self._set_health(Health.OK if ok else Health.DEGRADED)

    def _on_load_finished(self, ok: bool) -> None:
        emit(self.page_loaded, self.account.id, ok)
        if ok and self.health is Health.UNKNOWN and self.recipe is None:
            self._set_health(Health.OK)

    def _on_lifecycle(self, state: QWebEnginePage.LifecycleState) -> None:
        if _FROM_QT[state] is not Sleep.AWAKE:
            self._set_badge(self.badge.stale())  # last known counts, marked not live
        elif self.recipe is None:
            self._on_title(self.page.title())
        emit(self.badge_changed, self.account.id)

    def _end_renderer(self) -> bool:
        pid = self.page.renderProcessPid()
        if pid <= 0:
            return False
        self._ending_renderer = True
        try:
            os.kill(pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        except OSError:
            self._ending_renderer = False
            return False
        return True

    def _on_renderer_gone(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, exit_code: int
    ) -> None:
        if status is QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return  # a discarded page ends its renderer on purpose
        if self._ending_renderer:  # the agent asked to reload a hung page
            self._ending_renderer = False
            self.note.hide()
            self.heartbeat.reset()
            self._set_health(Health.UNKNOWN)
            self.page.triggerAction(QWebEnginePage.WebAction.Reload)
            return
        self.crashes += 1
        self._set_health(Health.CRASHED)
        self.note.show_note(
            self.tr("The page crashed and was reloaded."), self.tr("Reload again")
        )
        self.heartbeat.reset()
        self.page.triggerAction(QWebEnginePage.WebAction.Reload)

    def _on_permission(self, permission: QWebEnginePermission) -> None:
        kind = permission.permissionType()
        if kind is QWebEnginePermission.PermissionType.Notifications:
            permission.grant()
        else:
            permission.deny()

    def close_page(self) -> QWebEngineProfile | None:
        """Delete the page before its profile (Qt warns otherwise); returns the profile, which
        goes with this widget."""
        if not self.loaded:
            return None
        self.page.deleteLater()
        return self.profile

    def _present_notification(self, web: QWebEngineNotification) -> None:
        """The page's own Web Notification; with a recipe, the recipe's event (it knows the chat,
        and never fires for muted chats) stands for it instead."""
        if self.recipe is None:
            note = PageNotification(self.account.id, web.title(), web.message(), web=web)
            emit(self.notification, note)

    def _on_recipe_notification(self, chat_key: str, title: str, text: str) -> None:
        emit(self.notification, PageNotification(self.account.id, title, text, chat_key))
