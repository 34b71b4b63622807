"""End to end in the real window under Xvfb: a sandbox WhatsApp account, its recipe's events into
the store, the contact card, the intake figure on the tab, translations in the page through a
LibreTranslate-compatible server on loopback, and the translation panel filling the page's input."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from relaydesk.desktop.chat_services import ChatServices
from relaydesk.desktop.sandbox_accounts import sandbox_page_url
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.store.async_store import AsyncStore
from relaydesk.store.repository import Store

pytestmark = pytest.mark.qt

PHONE = "+5511987654321"
SPANISH = "Hola, ¿todavía tienen el modelo azul en talla mediana?"
TRANSLATION_NODE = '[data-relaydesk="translation"]'
COMPOSER = 'footer div[contenteditable="true"][role="textbox"]'


def _libre_server() -> ModuleType:
    name = "relaydesk_test_libre_server"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "translate" / "libre_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def translator() -> Iterator[Any]:
    with _libre_server().running_translator() as running:
        yield running


async def until(condition: Callable[[], Any], what: str, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def page_value(view: Any, script: str) -> Any:
    """Run ``script`` in the page's main world and return its JSON-able result."""
    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    view.page.runJavaScript(
        f"JSON.stringify((function () {{ {script} }})())",
        0,
        lambda result: done.done() or done.set_result(json.loads(result or "null")),
    )
    return await asyncio.wait_for(done, 5)


def translations_in(view: Any) -> Any:
    return page_value(
        view,
        f"return Array.from(document.querySelectorAll('{TRANSLATION_NODE}'))"
        ".map(function (n) { return n.textContent; });",
    )


@pytest.fixture
def services_for(loop: Any) -> Iterator[Callable[..., ChatServices]]:
    made: list[ChatServices] = []

    def make(window: Any) -> ChatServices:
        store = loop.run_until_complete(AsyncStore.open_in(window.paths))
        services = ChatServices(
            window, store, detection_languages=("en", "es", "pt"), debounce_ms=50
        )
        loop.run_until_complete(services.start())
        made.append(services)
        return services

    yield make
    for services in made:
        loop.run_until_complete(services.close())


def test_a_customer_message_reaches_the_store_card_intake_and_translation(
    qtbot: Any,
    make_window: Any,
    sandbox: BackgroundSandbox,
    translator: Any,
    loop: Any,
    services_for: Any,
) -> None:
    sandbox.reset("whatsapp")
    window = make_window()
    window.apply_settings(
        replace(
            window.settings,
            translation_engine="libre",
            libretranslate_url=translator.url,
            agent_language="en",
        )
    )
    services = services_for(window)
    view = window.create_account(
        "whatsapp", "Sales WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    account = view.account.id
    label = services.intake.tab_labels[account]
    panel = services.translation_panel
    assert panel is not None

    async def scenario() -> None:
        await until(lambda: view.health.value == "ok", "the recipe's health")
        sandbox.customer_writes("whatsapp", SPANISH, name="Ana Souza", phone=PHONE)
        await until(lambda: label.text().startswith("1 new"), "the tab's intake figure")
        assert label.text() == "1 new · 0 back"
        await until(lambda: label.width() >= label.sizeHint().width(), "the tab to fit its figure")

        assert view.recipe is not None
        view.recipe.open_chat("Ana Souza")  # the chat list's key on WhatsApp is the title
        await until(lambda: services.card_panel.card is not None, "the contact card")
        card = services.card_panel.card
        assert card is not None
        assert card.name == "Ana Souza" and card.handle == PHONE
        assert services.card_panel.name.text() == "Ana Souza"
        stored = await services.store.call(Store.contact_card, card.contact_id)
        assert [line.text for line in stored.history] == [SPANISH]
        hits = await services.store.call(Store.search, "azul")
        assert [hit.contact_id for hit in hits] == [card.contact_id]

        shown: list[str] = []

        async def translation_shown() -> bool:
            shown[:] = await translations_in(view)
            return bool(shown)

        for _ in range(200):
            if await translation_shown():
                break
            await asyncio.sleep(0.1)
        assert shown == [f"⟦en⟧ {SPANISH}  (es → en)"]
        # The history on screen when the chat opened is not a second arrival.
        await services.intake.refresh()
        assert label.text() == "1 new · 0 back"

        # The contact reads Spanish (learned from their message): Enter puts Spanish in the page.
        await until(lambda: panel.contact_language == "es", "the contact's language")
        qtbot.keyClicks(panel.draft, "thank you")
        qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
        await until(lambda: not panel.pending(), "the fill")
        composer = f"return document.querySelector('{COMPOSER}').textContent;"
        for _ in range(100):
            if await page_value(view, composer) == "gracias":
                break
            await asyncio.sleep(0.05)
        assert await page_value(view, composer) == "gracias"
        assert sandbox.sent("whatsapp") == []  # sending stays the agent's act

        # With auto-send on, the recipe presses the platform's Send button.
        window.apply_settings(replace(window.settings, auto_send_translation=True))
        await page_value(view, f"document.querySelector('{COMPOSER}').textContent = ''; return 1;")
        qtbot.keyClicks(panel.draft, "hello")
        qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
        await until(
            lambda: any(m.get("text") == "hola" for m in sandbox.sent("whatsapp")),
            "the auto-sent reply",
        )

    loop.run_until_complete(scenario())


def test_turning_a_chats_translation_off_is_kept_in_the_store(
    qtbot: Any,
    make_window: Any,
    sandbox: BackgroundSandbox,
    translator: Any,
    loop: Any,
    services_for: Any,
) -> None:
    sandbox.reset("whatsapp")
    window = make_window()
    window.apply_settings(
        replace(window.settings, translation_engine="libre", libretranslate_url=translator.url)
    )
    services = services_for(window)
    view = window.create_account("whatsapp", "WA", url=sandbox_page_url(sandbox.url, "whatsapp"))
    panel = services.translation_panel
    assert panel is not None

    async def scenario() -> None:
        await until(lambda: view.health.value == "ok", "the recipe's health")
        sandbox.customer_writes("whatsapp", SPANISH, name="Luz Prado", phone="+5491133334444")
        await until(lambda: bool(window.chats.get(view.account.id)), "the chat list")
        assert view.recipe is not None
        view.recipe.open_chat("Luz Prado")
        for _ in range(200):
            if await translations_in(view):
                break
            await asyncio.sleep(0.1)
        assert await translations_in(view)
        panel.translate_chat.setChecked(False)  # as the agent's click does
        for _ in range(100):
            if not await translations_in(view):
                break
            await asyncio.sleep(0.05)
        assert await translations_in(view) == []
        card = services.card_panel.card
        assert card is not None
        await until(lambda: not services.pending(), "the store write")
        stored = await services.store.call(Store.contact_card, card.contact_id)
        assert not stored.translate_incoming

    loop.run_until_complete(scenario())


def test_a_damaged_store_is_set_aside_and_the_agent_told(
    qtbot: Any, make_window: Any, loop: Any, services_for: Any
) -> None:
    window = make_window()
    damaged = window.paths.data / "store.db"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_bytes(b"this is not a database" * 100)
    services = services_for(window)
    assert services.notices and "store.db" in services.notices[0]
    assert any(window.paths.data.glob("store.db.damaged-*"))
    backups = window.paths.backups
    loop.run_until_complete(until(lambda: any(backups.glob("store-*.db")), "today's backup", 10))


class SwitchableLink:
    """A TCP relay on 127.0.0.1 to the translator that can go offline (connections refused)
    and come back on the same port, as a network does."""

    def __init__(self, target_port: int) -> None:
        import socket

        self._socket = socket
        self.target_port = target_port
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: Any = None
        self._threads: list[Any] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def up(self) -> None:
        import threading

        listener = self._socket.socket()
        listener.setsockopt(self._socket.SOL_SOCKET, self._socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def down(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads.clear()

    def _accept(self, listener: Any) -> None:
        import threading

        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            upstream = self._socket.create_connection(("127.0.0.1", self.target_port), 5)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: Any, sink: Any) -> None:
        try:
            for _ in range(100_000):  # bounded: a test's requests are a few kB
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(2)
                except OSError:
                    pass
                end.close()


def test_offline_shows_the_original_with_a_note_and_translates_when_back(
    qtbot: Any,
    make_window: Any,
    sandbox: BackgroundSandbox,
    translator: Any,
    loop: Any,
) -> None:
    from urllib.parse import urlparse

    link = SwitchableLink(urlparse(translator.url).port or 0)
    window = make_window()
    window.apply_settings(
        replace(window.settings, translation_engine="libre", libretranslate_url=link.url)
    )
    store = loop.run_until_complete(AsyncStore.open_in(window.paths))
    services = ChatServices(
        window,
        store,
        detection_languages=("en", "es", "pt"),
        debounce_ms=50,
        offline_retry_ms=500,
    )
    loop.run_until_complete(services.start())
    sandbox.reset("whatsapp")
    view = window.create_account("whatsapp", "WA", url=sandbox_page_url(sandbox.url, "whatsapp"))

    async def scenario() -> None:
        await until(lambda: view.health.value == "ok", "the recipe's health")
        sandbox.customer_writes("whatsapp", SPANISH, name="Rui Lopes", phone="+5521999990000")
        english = "Thanks, I will wait for your answer here"
        sandbox.customer_writes("whatsapp", english, name="Rui Lopes", phone="+5521999990000")
        await until(lambda: bool(window.chats.get(view.account.id)), "the chat list")
        assert view.recipe is not None
        view.recipe.open_chat("Rui Lopes")
        lines: list[str] = []
        for _ in range(200):
            lines[:] = await translations_in(view)
            if lines:
                break
            await asyncio.sleep(0.1)
        # One line only: the English message is already in the agent's language.
        assert lines == ["Offline: not translated yet, will retry when back online"]
        link.up()
        for _ in range(200):
            lines[:] = await translations_in(view)
            if lines and lines[0].startswith("⟦en⟧"):
                break
            await asyncio.sleep(0.1)
        assert lines == [f"⟦en⟧ {SPANISH}  (es → en)"]

    try:
        loop.run_until_complete(scenario())
    finally:
        link.down()
        loop.run_until_complete(services.close())


def test_the_engine_is_chosen_per_account_and_overridden_per_contact(
    qtbot: Any, make_window: Any, loop: Any, services_for: Any, translator: Any
) -> None:
    from relaydesk.translate.engines import EngineKind

    window = make_window()
    window.apply_settings(replace(window.settings, libretranslate_url=translator.url))
    view = window.create_account("web", "Shop page", url="about:blank")
    services = services_for(window)
    account = view.account.id
    assert services._choice(account, None).kind is EngineKind.GOOGLE  # the settings' default

    mymemory = next(a for a in services.engine_actions.actions() if a.data() == "mymemory")
    mymemory.trigger()  # Accounts → Translation engine → MyMemory

    async def scenario() -> None:
        await until(lambda: not services.pending(), "the store write")
        assert await services.store.call(Store.account_engines) == {account: "mymemory"}
        assert services._choice(account, None).kind is EngineKind.MYMEMORY
        contact = await services.store.call(Store.see_contact, account, "shopper-1", "Kim")
        services.card.show_contact(contact)
        await until(lambda: services.card_panel.card is not None, "the card")
        combo = services.card_panel.engine
        combo.setCurrentIndex(combo.findData("libre"))
        combo.activated.emit(combo.currentIndex())  # as the agent's choice in the list does
        await until(lambda: not services.pending() and not services.card._tasks, "the writes")
        card = await services.store.call(Store.contact_card, contact)
        assert card.translation_engine == "libre"
        choice = services._choice(account, contact)
        assert choice.kind is EngineKind.LIBRE and choice.url == translator.url
        assert services._choice(account, None).kind is EngineKind.MYMEMORY  # others unchanged

    loop.run_until_complete(scenario())
    # A restart reads the account's engine back from the store.
    loop.run_until_complete(services.close())
    again = services_for(window)
    assert again.account_engines == {account: "mymemory"}


def test_export_csv_writes_the_chosen_period(
    qtbot: Any, make_window: Any, loop: Any, services_for: Any
) -> None:
    from relaydesk.desktop.intake_panel import ExportPeriodDialog

    window = make_window()
    view = window.create_account("web", "Shop page", url="about:blank")
    services = services_for(window)
    account = view.account.id
    out = window.paths.data / "intake-export.csv"

    async def scenario() -> None:
        await services.store.call(Store.note_arrival, account, "shopper-1", "Kim")
        services.intake_panel.export_button.click()
        dialogs = window.findChildren(ExportPeriodDialog)
        assert len(dialogs) == 1 and dialogs[0].isVisible()
        dialogs[0].file.setText(str(out))
        dialogs[0].findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        await until(out.exists, "the CSV file")
        await until(lambda: not services.pending(), "the export")
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "day,hour,account,new,returning"
        assert [line.split(",")[2:] for line in lines[1:]] == [[account, "1", "0"]]

    loop.run_until_complete(scenario())


@pytest.mark.parametrize(
    "platform", ["telegram_k", "telegram_a", "messenger", "instagram", "line_oa", "lineworks"]
)
def test_every_platform_shows_translations_and_auto_sends(
    qtbot: Any, make_window: Any, sandbox: BackgroundSandbox, translator: Any, loop: Any,
    services_for: Any, platform: str,
) -> None:  # fmt: skip
    sandbox.reset(platform)
    window = make_window()
    window.apply_settings(replace(
        window.settings, translation_engine="libre", libretranslate_url=translator.url,
        auto_send_translation=True,
    ))  # fmt: skip
    services = services_for(window)
    view = window.create_account(platform, platform, url=sandbox_page_url(sandbox.url, platform))
    panel = services.translation_panel
    assert panel is not None

    async def scenario() -> None:
        await until(lambda: view.health.value == "ok", "the recipe's health")
        sandbox.customer_writes(platform, SPANISH, name="Sofía Ruiz")
        await until(lambda: bool(window.chats.get(view.account.id)), "the chat list")
        key = next(k for k, title in window.chats[view.account.id] if title == "Sofía Ruiz")
        assert view.recipe is not None
        view.recipe.open_chat(key)
        lines: list[str] = []
        for _ in range(200):
            lines[:] = await translations_in(view)
            if lines:
                break
            await asyncio.sleep(0.1)
        assert lines == [f"⟦en⟧ {SPANISH}  (es → en)"]
        await until(lambda: panel.contact_language == "es", "the contact's language")
        qtbot.keyClicks(panel.draft, "thank you")
        qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
        await until(
            lambda: any(m.get("text") == "gracias" for m in sandbox.sent(platform)),
            "the reply sent by the platform's Send",
        )

    loop.run_until_complete(scenario())
