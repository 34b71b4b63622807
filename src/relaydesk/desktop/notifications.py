"""Whether a page's notification becomes a desktop notification, decided without Qt."""

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
