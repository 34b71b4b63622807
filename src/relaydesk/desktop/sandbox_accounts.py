"""``relaydesk --sandbox URL``: add one account per sandbox platform page, for demos and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from relaydesk.desktop.recipes import platform_choices

if TYPE_CHECKING:
    from relaydesk.desktop.window import MainWindow


def sandbox_page_url(base_url: str, platform_id: str) -> str:
    """The sandbox serves one page per platform at ``<base>/<platform id>/``."""
    return f"{base_url.rstrip('/')}/{platform_id}/"


def add_sandbox_accounts(window: MainWindow, base_url: str) -> int:
    """Add a sandbox account for each platform that has none yet; returns how many were added."""
    existing = {(a.platform, a.url) for a in window.accounts}
    added = 0
    for choice in platform_choices():
        if choice.id == "web":
            continue
        url = sandbox_page_url(base_url, choice.id)
        if (choice.id, url) in existing:
            continue
        name = QCoreApplication.translate("SandboxAccounts", "%1 (sandbox)").replace(
            "%1", choice.name
        )
        window.accounts.add(choice.id, name, url=url)
        added += 1
    for account in window.accounts:
        if account.id not in window.views:
            window._add_view(account)
    window._show_empty_or_tabs()
    return added
