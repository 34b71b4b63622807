"""The side panels as the agent sees them in the real window (a sandbox account under Xvfb), in
light and dark: the tab's intake figure whole on its tab, the chart in the theme's colours, the
customer card and the intake table naming accounts as the agent named them, and the page's
offline note in the UI language. Screenshots go to ``$RELAYDESK_SHOTS`` (else the test's
temporary folder) for a look by eye."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QTabBar

from relaydesk.desktop.chat_services import ChatServices
from relaydesk.desktop.sandbox_accounts import sandbox_page_url
from relaydesk.desktop.theme import apply_theme
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.store.async_store import AsyncStore
from relaydesk.translate.incoming import OFFLINE_NOTE

pytestmark = pytest.mark.qt

TRANSLATION_NODE = '[data-relaydesk="translation"]'
OFFLINE_NOTE_ZH = "离线：尚未翻译，恢复联网后将自动重试"
SPANISH = "Hola, ¿todavía tienen el modelo azul en talla mediana?"
SPANISH_AGAIN = "¿Y también lo tienen en color rojo, por favor?"


def closed_port() -> int:
    """A loopback port nobody listens on: a translator there is offline (connection refused)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


async def until(condition: Callable[[], Any], what: str, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def lines_in_page(view: Any) -> list[str]:
    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    view.page.runJavaScript(
        f"JSON.stringify(Array.from(document.querySelectorAll('{TRANSLATION_NODE}'))"
        ".map(function (n) { return n.textContent; }))",
        0,
        lambda result: done.done() or done.set_result(json.loads(result or "[]")),
    )
    return list(await asyncio.wait_for(done, 5))


def figure_fits_its_tab(window: Any, view: Any, label: Any) -> bool:
    bar = window.tabs.tabBar()
    index = window.tabs.indexOf(view)
    tab = bar.tabRect(index)
    title = bar.fontMetrics().horizontalAdvance(window.tabs.tabText(index))
    return (
        bar.tabButton(index, QTabBar.ButtonPosition.LeftSide) is label
        and label.isVisible()
        and label.width() >= label.sizeHint().width()
        and tab.contains(label.geometry())
        and tab.width() >= label.width() + title
    )


def test_the_side_panels_in_the_real_window_light_and_dark(
    qtbot: Any, make_window: Any, sandbox: BackgroundSandbox, loop: Any, tmp_path: Path
) -> None:
    sandbox.reset("whatsapp")
    shots = Path(os.environ.get("RELAYDESK_SHOTS", tmp_path))
    window = make_window()
    window.resize(1400, 900)
    window.apply_settings(
        replace(
            window.settings,
            theme="light",
            translation_engine="libre",
            libretranslate_url=f"http://127.0.0.1:{closed_port()}/",
            agent_language="en",
        )
    )
    store = loop.run_until_complete(AsyncStore.open_in(window.paths))
    services = ChatServices(window, store, detection_languages=("en", "es", "pt"), debounce_ms=50)
    try:
        loop.run_until_complete(services.start())
        view = window.create_account(
            "whatsapp", "Sales WA", url=sandbox_page_url(sandbox.url, "whatsapp")
        )
        window.create_account("web", "Shop site", url="about:blank")  # a neighbouring tab
        window.tabs.setCurrentWidget(view)
        label = services.intake.tab_labels[view.account.id]

        async def light() -> None:
            await until(lambda: view.health.value == "ok", "the recipe's health")
            sandbox.customer_writes("whatsapp", SPANISH, name="Ana Souza")
            await until(lambda: label.text() == "1 new · 0 back", "the tab's intake figure")
            await until(lambda: figure_fits_its_tab(window, view, label), "the figure to fit")
            assert view.recipe is not None
            view.recipe.open_chat("Ana Souza")
            await until(lambda: services.card_panel.card is not None, "the contact card")
            card = services.card_panel
            assert card.fields["accounts"].text() == "Sales WA"
            assert f"[Sales WA] → {SPANISH}" in card.history.item(0).text()
            table = services.intake_panel.accounts
            await until(lambda: table.rowCount() == 1, "the intake table")
            assert table.item(0, 0).text() == "Sales WA"
            lines: list[str] = []
            for _ in range(200):
                lines[:] = await lines_in_page(view)
                if lines:
                    break
                await asyncio.sleep(0.1)
            assert lines == [OFFLINE_NOTE]

        loop.run_until_complete(light())
        qtbot.wait(200)
        window.grab().save(str(shots / "window-light.png"))

        chart = services.intake_panel.chart
        assert chart.backgroundBrush().color().lightness() > 200
        window.apply_settings(replace(window.settings, theme="dark", ui_language="zh_CN"))
        qtbot.waitUntil(lambda: chart.backgroundBrush().color().lightness() < 80, timeout=5000)

        async def dark() -> None:
            sandbox.customer_writes("whatsapp", SPANISH_AGAIN, name="Ana Souza")
            lines: list[str] = []
            for _ in range(200):
                lines[:] = await lines_in_page(view)
                if len(lines) == 2:
                    break
                await asyncio.sleep(0.1)
            # the note written after the switch is in the UI language
            assert lines == [OFFLINE_NOTE, OFFLINE_NOTE_ZH]
            await until(lambda: label.text() == "新 1 · 回头 0", "the figure in Chinese")
            await until(lambda: figure_fits_its_tab(window, view, label), "the figure to fit")

        loop.run_until_complete(dark())
        qtbot.wait(200)
        window.grab().save(str(shots / "window-dark.png"))
    finally:
        loop.run_until_complete(services.close())
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app, "light")
