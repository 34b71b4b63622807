"""Page notifications in the project's words, and whether one reaches the desktop (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NotificationContext:
    do_not_disturb: bool
    account_muted: bool
    account_in_front: bool  # the window is active and this account's tab is showing


def should_show(context: NotificationContext) -> bool:
    """Do-not-disturb and a muted account silence everything; the account in front needs none."""
    return not (context.do_not_disturb or context.account_muted or context.account_in_front)


@dataclass(frozen=True, eq=False, slots=True)
class PageNotification:
    """One notification of an account's page.

    With a recipe it comes from the recipe's ``notification`` event and knows its chat, so a click
    opens that chat; without one it is the page's own Web Notification (``web``, a
    ``QWebEngineNotification``), whose click the page handles itself.
    """

    account_id: str
    title: str
    text: str
    chat_key: str | None = None
    web: object | None = None
