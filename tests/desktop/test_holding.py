"""Holding replies: the shipped templates in every customer language, the agent's own queue, and
in the real window on the sandbox: the card's action fills the compose box in the customer's
language (a template, or the English one through the translation engine), and auto-send, off
by default, sends once per waiting stretch."""

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

from relaydesk.desktop.holding import (
    HoldingReplies,
    HoldingTemplates,
    SoloQueue,
    plural_category,
    primary_language,
)
from relaydesk.desktop.sandbox_accounts import sandbox_page_url
from relaydesk.domain.waiting import (
    CustomerWait,
    WaitBasis,
    WaitParams,
    customer_wait,
    gamma_quantile,
)
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.store.async_store import AsyncStore

pytestmark = pytest.mark.qt

COMPOSER = 'footer div[contenteditable="true"][role="textbox"]'
MAJOR = {"en", "zh", "es", "pt", "ar", "ru", "ja", "ko", "id", "th", "vi", "tr", "fr", "de"}


# ---------------------------------------------------------------- texts, without Qt


def test_every_major_customer_language_has_its_template() -> None:
    templates = HoldingTemplates.load()
    assert templates.languages == MAJOR
    for language in MAJOR:
        about = templates.render(language, CustomerWait(5, 5, "minute"))
        span = templates.render(language, CustomerWait(10, 15, "minute"))
        hours = templates.render(language, CustomerWait(2, 3, "hour"))
        nobody = templates.render(language, None)
        assert about and span and hours and nobody
        assert "5" in about and "10" in span and "15" in span and "3" in hours
        assert not any(d in nobody for d in "0123456789")  # nobody online: no figure
        for text in (about, span, hours, nobody):
            assert "{" not in text and "}" not in text
    assert templates.render("it", CustomerWait(5, 5, "minute")) is None  # not shipped


def test_numbers_take_the_languages_plural_forms() -> None:
    templates = HoldingTemplates.load()
    assert "about 1 minute;" in str(templates.render("en", CustomerWait(1, 1, "minute")))
    assert "about 5 minutes;" in str(templates.render("en", CustomerWait(5, 5, "minute")))
    assert "10–15 minutes" in str(templates.render("en", CustomerWait(10, 15, "minute")))
    assert "2–3 минуты" in str(templates.render("ru", CustomerWait(2, 3, "minute")))
    assert "примерно 5 минут" in str(templates.render("ru", CustomerWait(5, 5, "minute")))
    assert "примерно 1 минута" in str(templates.render("ru", CustomerWait(1, 1, "minute")))
    assert "حوالي 5 دقائق" in str(templates.render("ar", CustomerWait(5, 5, "minute")))
    assert "حوالي 15 دقيقة" in str(templates.render("ar", CustomerWait(15, 15, "minute")))
    assert "約5分" in str(templates.render("ja", CustomerWait(5, 5, "minute")))
    assert "一天以上" in str(templates.render("zh", CustomerWait(24, 24, "hour", over_a_day=True)))
    assert [plural_category("ru", n) for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "one", "few", "many", "many", "one", "few", "many",
    ]  # fmt: skip
    assert [plural_category("ar", n) for n in (1, 2, 3, 10, 11, 100)] == [
        "one", "two", "few", "few", "many", "other",
    ]  # fmt: skip
    assert plural_category("fr", 0) == "one" and plural_category("en", 0) == "other"
    assert [primary_language(c) for c in ("pt-BR", "zh_CN", "EN", "", None)] == [
        "pt", "zh", "en", None, None,
    ]  # fmt: skip


def test_the_agents_own_queue_oldest_first_at_their_pace() -> None:
    queue = SoloQueue()
    for n, chat in enumerate(("a", "b", "c")):
        queue.customer_wrote("wa", chat, 1000.0 + n)
    queue.customer_wrote("wa", "a", 1500.0)  # writing again keeps the first unanswered time
    third = queue.estimate("wa", "c", 2000.0)
    assert third is not None and third.basis is WaitBasis.AGENT
    assert third.position == 3 and third.must_wait and not third.measured
    assert third.expected_s == pytest.approx(3 * WaitParams().default_reply_interval_s)
    first = queue.estimate("wa", "a", 2000.0)
    assert first is not None and first.position == 1 and not first.must_wait
    # four answers a minute apart: the pace is measured, and c moves up
    for n, chat in enumerate(("a", "x", "y", "b")):
        queue.agent_replied("wa", chat, 2000.0 + 60 * n, sent=True)
    now = 2200.0
    third = queue.estimate("wa", "c", now)
    assert third is not None and third.position == 1 and third.measured
    queue.customer_wrote("wa", "d", now)
    later = queue.estimate("wa", "d", now)
    assert later is not None and later.expected_s == pytest.approx(2 * 60.0)
    assert queue.estimate("wa", "a", now) is None  # answered: not waiting


# ---------------------------------------------------------------- in the real window


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
    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    view.page.runJavaScript(
        f"JSON.stringify((function () {{ {script} }})())",
        0,
        lambda result: done.done() or done.set_result(json.loads(result or "null")),
    )
    return await asyncio.wait_for(done, 5)


async def composer_text(view: Any) -> str:
    return str(await page_value(view, f"return document.querySelector('{COMPOSER}').textContent;"))


def idle(services: Any, holding: HoldingReplies) -> bool:
    panel = services.translation_panel
    return not (services.pending() or holding.pending() or (panel and panel.pending()))


@pytest.fixture
def holding_for(loop: Any) -> Iterator[Callable[..., tuple[Any, HoldingReplies]]]:
    from relaydesk.desktop.chat_services import ChatServices

    made: list[tuple[Any, HoldingReplies]] = []

    def make(window: Any) -> tuple[Any, HoldingReplies]:
        store = loop.run_until_complete(AsyncStore.open_in(window.paths))
        services = ChatServices(
            window, store, detection_languages=("en", "es", "pt", "it"), debounce_ms=50
        )
        loop.run_until_complete(services.start())
        holding = HoldingReplies(window, services)
        loop.run_until_complete(holding.start())
        made.append((services, holding))
        return services, holding

    yield make
    for services, holding in made:
        loop.run_until_complete(holding.close())
        loop.run_until_complete(services.close())


# The team test runs first: in one process, a window with ChatServices and translation followed
# by a team-mode window segfaults in Qt at the second one's end (also with
# test_chat_services.py's first test followed by test_team.py's handoff test; reported).
def test_in_team_mode_the_wait_is_the_team_servers(
    qtbot: Any,
    make_window: Any,
    server: Any,
    team_helpers: Any,
    sandbox: BackgroundSandbox,
    loop: Any,
) -> None:
    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.desktop.secrets import SecretStore
    from relaydesk.desktop.team import TeamMode
    from relaydesk.desktop.team_signin import KeyringTokenStore
    from relaydesk.sync.client import TeamClient

    sandbox.reset("whatsapp")
    team_ids = team_helpers.make_team(server.url)
    shop = team_ids.ids["shop"]
    window = make_window()
    window.apply_settings(replace(window.settings, team_server_url=server.url, team_login="ana"))
    store = loop.run_until_complete(AsyncStore.open_in(window.paths))
    services = ChatServices(window, store, detection_languages=("en", "de"), debounce_ms=50)
    tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
    team = TeamMode(window, services, tokens=tokens, heartbeat_interval_s=0.5)
    holding = HoldingReplies(window, services, team)
    view = window.create_account(
        "whatsapp", "Shop WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    team.links.link(view.account.id, shop)

    async def offer_for(name: str, wanted: Callable[[Any], bool]) -> Any:
        for _ in range(200):  # the ownership book learns the conversation every 3 s
            offer = await holding.refresh()
            if wanted(offer):
                return offer
            await asyncio.sleep(0.05)
        raise AssertionError(f"no such offer for {name}: {holding.offer}")

    async def scenario() -> None:
        await services.start()
        await holding.start()
        await team.start()
        client = TeamClient(server.url, tokens)
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await team.begin(client)
        await until(lambda: view.health.value == "ok", "the recipe's health")
        team.away_action.setChecked(True)  # Ana away, Ben offline: nobody serves the shop
        team._toggle_away()
        await asyncio.sleep(1.2)
        sandbox.customer_writes(
            "whatsapp", "Ich warte auf meine Bestellung", name="Rita", phone="+4915112345678"
        )
        await until(lambda: "Rita" in team.titles.get(view.account.id, {}), "the chat list")
        assert view.recipe is not None
        view.recipe.open_chat("Rita")
        await until(lambda: services.accounts[view.account.id].contact_id is not None, "contact")

        # The server's answer: queued with nobody online, said without a figure.
        offer = await offer_for(
            "Rita", lambda o: o is not None and o.from_team and o.language == "de"
        )
        assert offer.estimate.basis is WaitBasis.NOBODY_ONLINE and offer.wait is None
        assert offer.may_auto_send  # queued: nobody's conversation yet
        assert holding.button.text() == "Holding reply: nobody online"
        assert offer.text == HoldingTemplates.load().render("de", None)
        assert "niemand" in offer.text

        # Sent by the agent's own click, it tells Rita about the wait but takes nothing: the
        # conversation stays queued, nobody's (reported tagged holding, not as an answer).
        from relaydesk.platforms.commands import press_send

        holding.fill_current()
        view.recipe.send_command(press_send())

        def queued() -> list[dict[str, Any]]:
            with team_ids.http("admin") as admin:
                answer = admin.get("/v1/conversations", params={"state": "queued"})
            assert answer.status_code == 200, answer.text
            return list(answer.json())

        for _ in range(100):
            if [c["agent_messages"] for c in queued()] == [1]:
                break
            await asyncio.sleep(0.1)
        [waiting] = queued()
        assert waiting["agent_messages"] == 1 and waiting["owner_id"] is None
        assert waiting["awaiting"] == "agent"

        # Ben comes online and takes it: first in his line, nothing to wait for behind others.
        with team_ids.http("ben") as ben:
            beat = {"status": "online", "open_accounts": [shop]}
            assert ben.post("/v1/heartbeat", json=beat).status_code == 200
        await offer_for("Rita", lambda o: o is None and not holding.button.isVisible())
        await until(lambda: idle(services, holding), "work to finish")

    async def run() -> None:
        try:
            await scenario()
        finally:
            await holding.close()
            await team.close()
            await services.close()

    loop.run_until_complete(run())


def test_the_card_offers_the_wait_in_the_customers_language_and_auto_send_sends_once(
    qtbot: Any,
    make_window: Any,
    sandbox: BackgroundSandbox,
    translator: Any,
    loop: Any,
    holding_for: Any,
) -> None:
    sandbox.reset("whatsapp")
    window = make_window()
    window.apply_settings(
        replace(window.settings, translation_engine="libre", libretranslate_url=translator.url)
    )
    services, holding = holding_for(window)
    view = window.create_account("whatsapp", "WA", url=sandbox_page_url(sandbox.url, "whatsapp"))
    account = view.account.id
    customers = [  # name, phone, what they write (their language is detected from it)
        ("Ana Souza", "+5511987650001", "Olá, vocês ainda têm o modelo azul em estoque?"),
        ("Bruno Lima", "+5511987650002", "Bom dia, quando chega o meu pedido?"),
        ("Carla Ruiz", "+5491133330003", "Hola, ¿todavía tienen el modelo azul en talla mediana?"),
        ("Dario Conti", "+390612345678", "Buongiorno, vorrei sapere quando arriva il mio ordine"),
    ]

    async def open_chat(name: str, language: str) -> Any:
        assert view.recipe is not None
        view.recipe.open_chat(name)
        await until(lambda: (c := services.card_panel.card) is not None and c.name == name,
                    f"{name}'s card")  # fmt: skip
        for _ in range(200):  # until the language is learned from their message
            offer = await holding.refresh()
            if offer is not None and offer.chat_key == name and offer.language == language:
                assert len(holding.queue.waiting) <= len(customers)  # the open chat is its row
                return offer
            await asyncio.sleep(0.05)
        raise AssertionError(f"no holding offer for {name}")

    async def scenario() -> None:
        await until(lambda: view.health.value == "ok", "the recipe's health")
        for n, (name, phone, text) in enumerate(customers, start=1):
            sandbox.customer_writes("whatsapp", text, name=name, phone=phone)
            await until(lambda n=n: len(holding.queue.waiting) == n, f"{name} waiting")
        assert not holding.button.isVisible()  # no chat open: nothing to offer

        # Carla, third in line, reads Spanish: the shipped template, at the default pace.
        offer = await open_chat("Carla Ruiz", "es")
        pace = WaitParams().default_reply_interval_s
        told = customer_wait(gamma_quantile(3, 1 / pace, 0.25), gamma_quantile(3, 1 / pace, 0.9))
        assert offer.estimate.position == 3 and not offer.from_team
        assert (offer.wait.low, offer.wait.high, offer.wait.unit) == (told.low, told.high, "minute")
        span = f"{told.low}–{told.high}"
        assert holding.button.isVisible()
        assert holding.button.text() == f"Holding reply: {span} min"
        assert "Number 3 of your unanswered chats" in holding.button.toolTip()
        assert "compose box (not sent)" in holding.button.toolTip()  # what a click does
        assert offer.text in holding.button.toolTip()
        assert offer.text.startswith("¡Gracias por tu mensaje!")
        assert f"{span} minutos" in offer.text
        holding.button.click()  # the agent's act fills the compose box, nothing is sent
        for _ in range(100):
            if await composer_text(view) == offer.text:
                break
            await asyncio.sleep(0.05)
        assert await composer_text(view) == offer.text
        assert sandbox.sent("whatsapp") == []  # auto-send is off by default

        # Dario reads Italian, which has no template: English through the chat's engine.
        await page_value(view, f"document.querySelector('{COMPOSER}').textContent = ''; return 1;")
        offer = await open_chat("Dario Conti", "it")
        assert offer.estimate.position == 4
        assert offer.text.startswith("⟦it⟧ Thank you for your message!")  # the test engine's mark
        assert "minutes" in offer.text and sandbox.sent("whatsapp") == []

        # Auto-send on for this account (Accounts menu), 1 minute threshold: sent once.
        window.apply_settings(replace(window.settings, holding_auto_send_after_min=1))
        holding.auto_action.trigger()
        assert account in holding.auto_send_accounts
        await holding.refresh()
        await until(lambda: len(sandbox.sent("whatsapp")) == 1, "the auto-sent holding reply")
        assert sandbox.sent("whatsapp")[0]["text"] == offer.text
        await until(lambda: holding.queue.waiting_since(account, "Dario Conti") is None,
                    "Dario answered")  # fmt: skip
        assert await holding.refresh() is None  # answered: nothing more to offer or send
        assert not holding.button.isVisible()
        await asyncio.sleep(0.3)
        assert len(sandbox.sent("whatsapp")) == 1
        await until(lambda: not holding.pending(), "the setting's write")
        saved = json.loads((window.paths.config / "holding_replies.json").read_text())
        assert saved == {"auto_send": [account]}

        # Ana, first in line: nothing to wait for behind others, so nothing is offered.
        await open_chat_without_offer("Ana Souza")
        await until(lambda: idle(services, holding), "work to finish")

    async def open_chat_without_offer(name: str) -> None:
        assert view.recipe is not None
        view.recipe.open_chat(name)
        await until(lambda: (c := services.card_panel.card) is not None and c.name == name,
                    f"{name}'s card")  # fmt: skip
        assert await holding.refresh() is None
        assert not holding.button.isVisible()
        assert len(sandbox.sent("whatsapp")) == 1  # auto-send never sends where none is due

    loop.run_until_complete(scenario())
