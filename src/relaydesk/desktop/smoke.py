"""``relaydesk --smoke-test``: start for real, wait until every account's page works, quit.

An installed bundle proves itself with it: the window opens, every configured account's page
loads in its own profile, and each recipe reports the chats it sees (so the recipes, the
QWebChannel bridge and Qt WebEngine's resources are all in the bundle). Exit 0 when all of that
happened within the time limit, 1 with the accounts that did not get there otherwise.
"""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtWidgets import QApplication

from relaydesk.desktop.window import MainWindow


async def wait_until_working(window: MainWindow, timeout_s: float) -> list[str]:
    """Load the pages and wait for each account's load and first ``chats`` report.

    Returns the names of the accounts that did not get there within ``timeout_s`` or whose page
    failed to load (empty: all worked). A generic web account (whose recipe may see no chats)
    counts once loaded."""
    loaded: set[str] = set()
    chatted: set[str] = set()
    failed: set[str] = set()
    done = asyncio.Event()
    expected = set(window.views)

    def check() -> None:
        needs_chats = {
            account_id
            for account_id, view in window.views.items()
            if view.account.platform != "generic"
        }
        # Settled: every page loaded or failed, and every loaded recipe page reported chats.
        if expected <= loaded | failed and needs_chats & loaded <= chatted:
            done.set()

    def on_loaded(account_id: str, ok: bool) -> None:
        (loaded if ok else failed).add(account_id)
        check()

    def on_chats(account_id: str, _chats: list[object]) -> None:
        chatted.add(account_id)
        check()

    for view in window.views.values():
        view.page_loaded.connect(on_loaded)
        view.chats_seen.connect(on_chats)
    window.load_pages(stagger_ms=0)
    check()
    try:
        await asyncio.wait_for(done.wait(), timeout_s)
    except TimeoutError:
        pass
    missing = [
        view.account.name
        for account_id, view in window.views.items()
        if account_id not in loaded
        or (view.account.platform != "generic" and account_id not in chatted)
    ]
    return missing


async def smoke_test(window: MainWindow, timeout_s: float) -> int:
    """Show ``window``, wait for its pages, report on stderr and close it; the exit code."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.show()
    if not window.views:
        print(
            "relaydesk: smoke test: no account is configured (use --sandbox URL)", file=sys.stderr
        )
        return 1
    missing = await wait_until_working(window, timeout_s)
    if missing:
        print(
            f"relaydesk: smoke test: did not load and report chats within {timeout_s:g} s: "
            + ", ".join(missing),
            file=sys.stderr,
        )
    else:
        print(f"relaydesk: smoke test: {len(window.views)} account(s) loaded and working")
    return 1 if missing else 0
