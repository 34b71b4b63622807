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


@pytest.fixture(scope="module")
def sandbox() -> Iterator[BackgroundSandbox]:
    with BackgroundSandbox() as server:
        yield server


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


@pytest.fixture
def holding_for(loop: Any) -> Iterator[Callable[..., tuple[Any, HoldingReplies]]]:
    from relaydesk.desktop.chat_services import ChatServices

    made: list[tuple[Any, HoldingReplies]] = []

    def make(window: Any) -> tuple[Any, HoldingReplies]:
        store = loop.run_until_complete(AsyncStore.open_in(window.paths))
        services = ChatServices(window, store, detection_languages=("en", "es", "pt"))
        loop.run_until_complete(services.start())
        holding = HoldingReplies(window, services)
        loop.run_until_complete(holding.start())
        made.append((services, holding))
        return services, holding

    yield make
    for services, holding in made:
        loop.run_until_complete(holding.close())
        loop.run_until_complete(services.close())


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
    customers = [("Ana Souza", "+5511987650001"), ("Bruno Lima", "+5511987650002"),
                 ("Carla Ruiz", "+5491133330003"), ("Dario Conti", "+390612345678")]  # fmt: skip

    async def open_chat(name: str, language: str) -> Any:
        assert view.recipe is not None
        view.recipe.open_chat(name)
        await until(lambda: (c := services.card_panel.card) is not None and c.name == name,
                    f"{name}'s card")  # fmt: skip
        card = services.card_panel.card
        await services.store.run(lambda s: s.update_contact(card.contact_id, language=language))
        for _ in range(100):  # the open chat's own events may refresh it meanwhile
            offer = await holding.refresh()
            if offer is not None and offer.chat_key == name and offer.language == language:
                assert len(holding.queue.waiting) <= len(customers)  # the open chat is its row
                return offer
            await asyncio.sleep(0.05)
        raise AssertionError(f"no holding offer for {name}")

    async def scenario() -> None:
        await until(lambda: view.health.value == "ok", "the recipe's health")
        for n, (name, phone) in enumerate(customers, start=1):
            sandbox.customer_writes("whatsapp", f"hello {n}", name=name, phone=phone)
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

    async def open_chat_without_offer(name: str) -> None:
        assert view.recipe is not None
        view.recipe.open_chat(name)
        await until(lambda: (c := services.card_panel.card) is not None and c.name == name,
                    f"{name}'s card")  # fmt: skip
        assert await holding.refresh() is None
        assert not holding.button.isVisible()
        assert len(sandbox.sent("whatsapp")) == 1  # auto-send never sends where none is due

    loop.run_until_complete(scenario())
