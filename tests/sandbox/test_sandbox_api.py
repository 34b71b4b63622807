"""The sandbox's HTTP API as tests and the demo drive it, and its pages as a browser gets them."""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from relaydesk.platforms import all_platforms
from relaydesk.platforms.identity import e164
from relaydesk.sandbox.app import Sandbox
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.sandbox.customers import Customers, load_phrases
from relaydesk.sandbox.inbox import PAGES, Inbox

to_json = json.dumps  # Client.post's keyword is named json, as in httpx


@dataclass
class Answer:
    status_code: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class Client:
    """Plain HTTP to the real sandbox server on loopback, as the tests and the demo use it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def request(
        self, method: str, path: str, body: bytes | None = None, timeout: float = 10
    ) -> Answer:
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode())

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, json: Any = None, content: bytes | None = None) -> Answer:
        body = content if content is not None else to_json(json or {}).encode()
        return self.request("POST", path, body)


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundSandbox]:
    with BackgroundSandbox(Sandbox(seed=7, clock=lambda: 1_700_000_000.0)) as running:
        yield running


@pytest.fixture
def client(server: BackgroundSandbox) -> Client:
    for page in PAGES:
        server.reset(page)
    return Client(server.url)


def test_every_platform_has_a_page_that_loads_its_script(client: Client) -> None:
    assert set(client.get("/api/pages").json()) == {p.id for p in all_platforms()} == set(PAGES)
    for page in PAGES:
        html = client.get(f"/{page}/")
        assert html.status_code == 200, page
        assert f'src="/static/{page}.js"' in html.text
        assert client.get(f"/static/{page}.js").status_code == 200
    assert client.get("/").status_code == 200
    # Single-page apps keep their own addresses (Messenger's /t/<id>/) on reload.
    assert "messenger.js" in client.get("/messenger/t/123/").text
    assert client.get("/myspace/").status_code == 404


def test_a_customer_writes_the_agent_opens_and_replies(client: Client) -> None:
    first = client.post(
        "/api/whatsapp/customer",
        json={"name": "Ana Souza", "phone": "+55 11 91234-5678", "text": "Olá"},
    ).json()
    again = client.post(
        "/api/whatsapp/customer",
        json={"name": "Ana Souza", "phone": "+55 11 91234-5678", "text": "Tem?"},
    ).json()
    assert first["chat_id"] == again["chat_id"] == "5511912345678@c.us"  # a JID, as WhatsApp's
    state = client.get("/api/whatsapp/state").json()
    [chat] = state["chats"]
    assert chat["unread"] == 2 and [m["direction"] for m in chat["messages"]] == ["in", "in"]

    client.post("/api/whatsapp/open", json={"chat_id": chat["id"]})
    assert client.get("/api/whatsapp/state").json()["chats"][0]["unread"] == 0
    reply = client.post("/api/whatsapp/send", json={"chat_id": chat["id"], "text": "Tem sim!"})
    assert reply.json()["direction"] == "out"
    assert [(s["name"], s["text"]) for s in client.get("/api/whatsapp/sent").json()] == [
        ("Ana Souza", "Tem sim!")
    ]
    assert client.get("/api/telegram_k/sent").json() == []  # each page keeps its own


def test_structure_changes_and_mute_show_in_the_state(client: Client) -> None:
    chat_id = client.post("/api/telegram_k/customer", json={"name": "Oleg", "text": "?"}).json()[
        "chat_id"
    ]
    client.post("/api/telegram_k/mute", json={"chat_id": chat_id})
    client.post("/api/telegram_k/structure", json={"remove": ["chat_list"]})
    state = client.get("/api/telegram_k/state").json()
    assert state["chats"][0]["muted"] and state["removed"] == ["chat_list"]
    client.post("/api/telegram_k/structure", json={"restore": True})
    assert client.get("/api/telegram_k/state").json()["removed"] == []
    client.post("/api/telegram_k/reset")
    assert client.get("/api/telegram_k/state").json()["chats"] == []


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/api/whatsapp/customer", {"name": "A", "text": "  "}, "needs some text"),
        ("/api/whatsapp/customer", {"name": 5, "text": "hi"}, "'name' must be text"),
        ("/api/whatsapp/open", {"chat_id": "nobody"}, "no chat 'nobody' on the whatsapp page"),
        ("/api/whatsapp/send", {"chat_id": "nobody", "text": "x"}, "no chat 'nobody'"),
        ("/api/whatsapp/structure", {"remove": "chat_list"}, "must be a list of anchor names"),
        ("/api/orkut/customer", {"text": "hi"}, "no sandbox page 'orkut'"),
    ],
)
def test_bad_requests_get_a_sentence(client: Client, path: str, body: dict, message: str) -> None:
    answer = client.post(path, json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"rate": -1}, "the customer rate must be 0 to 60000 messages a minute"),
        ({"rate": "fast"}, "'rate' and 'returning' must be numbers"),
        ({"returning": 1.5}, "returning customers must be between 0 and 1"),
    ],
)
def test_bad_customer_settings_get_a_sentence(client: Client, body: dict, message: str) -> None:
    answer = client.post("/api/customers", json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert client.get("/api/customers").json()["rate"] == 0.0  # unchanged


def test_a_body_that_is_not_json_is_named(client: Client) -> None:
    answer = client.post("/api/whatsapp/customer", content=b"text=hi")
    assert answer.status_code == 400 and answer.json()["error"] == "the request body must be JSON"


def test_chat_ids_have_each_platform_s_shape() -> None:
    rng = random.Random(1)
    shapes = {
        "whatsapp": r"^\d+@c\.us$",
        "telegram_k": r"^\d+$",
        "telegram_a": r"^\d+$",
        "messenger": r"^\d+$",
        "line_oa": r"^U[0-9a-f]{32}$",
    }
    for page, shape in shapes.items():
        chat = Inbox(page, rng).customer_writes("A", "hi", 0.0, phone="+44 7700 900123")
        assert re.match(shape, chat.id), (page, chat.id)
    group = Inbox("telegram_k", rng).customer_writes("G", "hi", 0.0, group=True)
    assert group.id.startswith("-")  # Telegram: negative peer ids are groups
    unknown = Inbox("whatsapp", rng).customer_writes("A", "hi", 0.0)
    assert unknown.id.endswith("@lid")  # newer WhatsApp ids carry no phone number


def test_simulated_customers_write_in_several_languages() -> None:
    phrases = load_phrases()
    assert {"en", "zh", "ar", "pt", "es", "ru", "ja", "th", "id"} <= set(phrases)
    assert all(p.attribution.startswith("CC-BY 2.0 (France)") for p in phrases["zh"])
    inbox = Inbox("whatsapp", random.Random(3))
    customers = Customers(random.Random(3), returning=0.5)
    for second in range(60):
        customers.write_one(inbox, float(second))
    texts = {m.text for chat in inbox.chats for m in chat.messages}
    assert any(re.search(r"[\u4e00-\u9fff\u3040-\u30ff]", t) for t in texts)  # Han or kana
    assert any(re.search(r"[\u0600-\u06ff\u0400-\u04ff\u0e00-\u0e7f]", t) for t in texts)


def test_the_returning_share_is_the_share_of_messages_from_earlier_customers() -> None:
    """Over 1,000 messages every new customer is a new person with a chat of their own (not one
    of a few names coming back), and the new/returning split follows ``returning``."""
    inbox = Inbox("whatsapp", random.Random(11))
    customers = Customers(random.Random(11), returning=0.3)
    outcomes = [customers.write_one(inbox, float(n)) for n in range(1000)]
    new = [chat for chat, is_new in outcomes if is_new]
    returning = [chat for chat, is_new in outcomes if not is_new]
    assert len(new) + len(returning) == 1000
    assert 250 <= len(returning) <= 350  # 0.3 of 1,000, within 3.5 standard deviations
    assert len(inbox.chats) == len(new) == len({c.id for c in new})  # one chat per new person
    assert len({c.name for c in new}) == len(new)  # no name twice
    assert len({c.phone for c in new}) == len(new)  # no phone number twice on this platform
    assert all(chat.id in {c.id for c in new} for chat in returning)  # they wrote before
    assert sum(len(c.messages) for c in inbox.chats) == 1000
    names = " ".join(c.name for c in new)
    for script in (r"[А-я]", r"[\u4e00-\u9fff]", r"[\u0600-\u06ff]", r"[\u0e00-\u0e7f]", r"[À-ÿ]"):
        assert re.search(script, names), script  # Cyrillic, Han, Arabic, Thai, accented Latin
    for chat in new:  # international format with the country's grouping; the JID is its E.164
        assert chat.phone is not None and chat.phone.startswith("+") and " " in chat.phone
        assert e164(chat.phone) == "+" + chat.id.removesuffix("@c.us")


def test_new_customers_on_a_page_without_phones_are_never_taken_for_returning_ones() -> None:
    inbox = Inbox("messenger", random.Random(4))
    customers = Customers(random.Random(4), returning=0.0)
    for n in range(300):
        assert customers.write_one(inbox, float(n))[1]
    assert len(inbox.chats) == 300 and all(c.phone is None for c in inbox.chats)


def test_some_new_telegram_chats_are_titled_with_the_phone_number() -> None:
    inbox = Inbox("telegram_k", random.Random(8))
    customers = Customers(random.Random(8), returning=0.0)
    for n in range(200):
        customers.write_one(inbox, float(n))
    titles = {chat["id"]: chat["title"] for chat in inbox.snapshot()["chats"]}
    by_phone = [c for c in inbox.chats[:100] if c.show_phone]
    assert 10 <= len(by_phone) <= 45  # a quarter of the 100 rendered chats, give or take
    for chat in inbox.chats[:100]:
        assert titles[chat.id] == (chat.phone if chat.show_phone else chat.name)
    assert all(e164(titles[c.id]) is not None for c in by_phone)


def test_a_chat_titled_with_a_phone_needs_the_phone(client: Client) -> None:
    answer = client.post(
        "/api/telegram_k/customer", json={"name": "A", "text": "hi", "show_phone": True}
    )
    assert answer.status_code == 400 and "needs a 'phone'" in answer.json()["error"]
    client.post(
        "/api/telegram_k/customer",
        json={"name": "Ana", "text": "hi", "phone": "+55 11 96123-4567", "show_phone": True},
    )
    [chat] = client.get("/api/telegram_k/state").json()["chats"]
    assert (chat["name"], chat["title"]) == ("Ana", "+55 11 96123-4567")


def test_a_page_renders_a_window_of_a_long_inbox() -> None:
    inbox = Inbox("telegram_k", random.Random(2))
    for number in range(130):
        inbox.customer_writes(f"Customer {number}", "hi", float(number))
    for number in range(70):
        inbox.customer_writes("Customer 129", f"message {number}", 200.0 + number)
    shown = inbox.snapshot()
    assert shown["chat_count"] == 130 and len(shown["chats"]) == 100
    assert shown["chats"][0]["name"] == "Customer 129"  # newest activity first
    assert len(shown["chats"][0]["messages"]) == 50
    assert shown["chats"][0]["messages"][-1]["text"] == "message 69"


def test_sandbox_refuses_a_negative_rate() -> None:
    with pytest.raises(ValueError, match="must be 0 to 60000 messages a minute"):
        Sandbox(rate=-1)


# ---- long-polling: a page's state request held until its inbox changes --------------------------
class Held:
    """A state request held by the server, made on a thread of its own as a page's fetch is."""

    def __init__(self, server: BackgroundSandbox, page: str, query: str) -> None:
        self.answers: list[Answer] = []
        self.thread = threading.Thread(
            target=lambda: self.answers.append(
                Client(server.url).request("GET", f"/api/{page}/state?{query}", timeout=40)
            ),
            daemon=True,
        )
        self.thread.start()
        inbox = server.sandbox.inbox(page)
        until(lambda: server.sandbox.waiters.held(inbox) == 1 or not self.thread.is_alive())
        assert server.sandbox.waiters.held(inbox) == 1, self.answers  # held, not answered

    def answer(self) -> Answer:
        self.thread.join(timeout=40)
        [answer] = self.answers
        return answer


def until(check: Callable[[], bool], limit_s: float = 20.0) -> None:
    end = time.monotonic() + limit_s
    while not check() and time.monotonic() < end:
        time.sleep(0.01)


def test_a_held_state_request_answers_when_a_customer_writes(
    server: BackgroundSandbox, client: Client
) -> None:
    version = client.get("/api/whatsapp/state").json()["version"]
    held = Held(server, "whatsapp", f"after={version}&wait=20")
    server.customer_writes("whatsapp", "Olá", name="Ana")
    state = held.answer().json()
    assert state["version"] > version
    assert [m["text"] for m in state["chats"][0]["messages"]] == ["Olá"]
    assert server.sandbox.waiters.held(server.sandbox.inbox("whatsapp")) == 0


def test_a_change_made_on_another_thread_wakes_the_held_request(
    server: BackgroundSandbox, client: Client
) -> None:
    """Tests may change the Sandbox object directly, off the server's event loop."""
    version = client.get("/api/line_oa/state").json()["version"]
    held = Held(server, "line_oa", f"after={version}&wait=20")
    server.sandbox.inbox("line_oa").customer_writes("Ken", "こんにちは", 0.0)
    assert held.answer().json()["chats"][0]["messages"][0]["text"] == "こんにちは"


def test_a_state_request_with_an_older_version_answers_at_once(client: Client) -> None:
    client.post("/api/telegram_a/customer", json={"name": "Oleg", "text": "?"})
    now = client.get("/api/telegram_a/state")
    older = now.json()["version"] - 1
    # Held for 20 s it would outlast the client's 10 s timeout and raise.
    assert client.get(f"/api/telegram_a/state?after={older}&wait=20").text == now.text
    assert client.get("/api/telegram_a/state?wait=20").text == now.text  # no 'after': at once


def test_an_unchanged_inbox_is_answered_when_the_wait_runs_out(
    server: BackgroundSandbox, client: Client
) -> None:
    plain = client.get("/api/messenger/state")
    version = plain.json()["version"]
    held = Held(server, "messenger", f"after={version}&wait=0.5")
    answer = held.answer()
    assert answer.status_code == 200 and answer.text == plain.text  # the same snapshot, as is


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("after=abc", "'after' must be a version number (0 or more), got 'abc'"),
        ("after=-1", "'after' must be a version number"),
        ("after=1.5", "'after' must be a version number"),
        ("after=1&wait=soon", "'wait' must be a number of seconds (0 or more, at most 20"),
        ("after=1&wait=-2", "got '-2'"),
        ("after=1&wait=nan", "got 'nan'"),
        ("after=1&wait=inf", "got 'inf'"),
    ],
)
def test_a_bad_long_poll_gets_a_sentence(client: Client, query: str, message: str) -> None:
    answer = client.get(f"/api/whatsapp/state?{query}")
    assert answer.status_code == 400 and message in answer.json()["error"]


def test_a_page_that_hangs_up_is_no_longer_held(server: BackgroundSandbox, client: Client) -> None:
    inbox = server.sandbox.inbox("instagram")
    version = client.get("/api/instagram/state").json()["version"]
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(
            f"GET /api/instagram/state?after={version}&wait=20 HTTP/1.1\r\n"
            f"Host: {host}\r\n\r\n".encode()
        )
        until(lambda: server.sandbox.waiters.held(inbox) == 1)
        assert server.sandbox.waiters.held(inbox) == 1
    until(lambda: server.sandbox.waiters.held(inbox) == 0, limit_s=10)  # before its 20 s
    assert server.sandbox.waiters.held(inbox) == 0


def test_stopping_answers_a_held_request_and_does_not_wait_for_it() -> None:
    """uvicorn waits for requests in flight when it stops; a held one is answered first. Without
    that, ``stop`` gives up after 10 s with the server still running, and the request would be
    answered only when its 20 s ran out."""
    running = BackgroundSandbox().start()
    try:
        version = running.call("GET", "/api/generic/state")["version"]
        held = Held(running, "generic", f"after={version}&wait=20")
    finally:
        running.stop()
    assert not running.running
    answer = held.answer()
    assert answer.status_code == 200 and answer.json()["version"] == version


def test_every_change_to_an_inbox_is_told_to_its_listener() -> None:
    inbox = Inbox("whatsapp", random.Random(5))
    told: list[int] = []
    inbox.on_change = lambda changed: told.append(changed.version)
    chat = inbox.customer_writes("Ana", "Oi", 1.0)
    inbox.agent_opens(chat.id)
    inbox.agent_opens(chat.id)  # nothing to clear: no change
    inbox.agent_sends(chat.id, "Olá!", 2.0)
    inbox.set_muted(chat.id, True)
    inbox.change_structure(["chat_list"], restore=False)
    inbox.reset()
    assert told == [1, 2, 3, 4, 5, 6] and inbox.version == 6
