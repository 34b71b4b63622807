"""A customer who sends the split link's prefilled text and their question at once: the chat list
shows only the question, so team mode reports it at once and, when the chat is opened, the
first message with the link's code, which the team server then attributes to the link."""

from __future__ import annotations

import asyncio
import importlib.util
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from relaydesk.desktop.page_time import line_ts
from relaydesk.desktop.sandbox_accounts import sandbox_page_url
from relaydesk.desktop.secrets import SecretStore
from relaydesk.desktop.team import TeamMode
from relaydesk.desktop.team_signin import KeyringTokenStore
from relaydesk.desktop.unseen_messages import Line, Unseen, UnseenMessages, hidden_before
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.sync.client import TeamClient
from relaydesk.sync.events import Contact, EventType, TeamEvent

pytestmark = pytest.mark.qt


def _helpers() -> ModuleType:
    name = "relaydesk_test_team_server"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("team_server.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


async def until(condition: Callable[[], Any], what: str, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _unseen(text: str = "Do you ship to Spain?", hidden: int = 1) -> Unseen:
    return Unseen("acc", Contact("+34"), text, 1000.0, hidden)


def test_the_hidden_lines_are_those_just_before_the_reported_one() -> None:
    lines = [Line(True, "old question"), Line(False, "old answer"), Line(True, "Hi #A7KD"),
             Line(True, "Do you ship to Spain?")]  # fmt: skip
    assert hidden_before(lines, _unseen()) == ["Hi #A7KD"]
    assert hidden_before(lines, _unseen(hidden=3)) == ["Hi #A7KD"]  # never past a reply
    assert hidden_before(lines, _unseen("Do you ship…")) == ["Hi #A7KD"]  # a shortened row
    assert hidden_before(lines, _unseen("not on the page")) is None  # not visible (yet)
    answered = [*lines, Line(False, "Yes we do")]
    assert hidden_before(answered, _unseen()) == []  # answered since: nothing to report


def test_reported_late_they_are_dated_just_before_the_line_already_reported() -> None:
    unseen = UnseenMessages()
    reported = TeamEvent(EventType.CUSTOMER_MESSAGE, "srv", Contact("+34"),
                         text="Do you ship to Spain?", ts=1000.0)  # fmt: skip
    unseen.noted("desk", reported, hidden=2)
    lines = [Line(True, "Hi #A7KD"), Line(True, "I'm Rita"), Line(True, "Do you ship to Spain?")]
    assert unseen.opened("desk", "+99", lines) == []  # another chat
    late = unseen.opened("desk", "+34", lines)
    assert [(e.text, e.account_id, e.contact.handle) for e in late] == [
        ("Hi #A7KD", "srv", "+34"), ("I'm Rita", "srv", "+34"),
    ]  # fmt: skip
    assert late[0].ts < late[1].ts < 1000.0
    assert unseen.opened("desk", "+34", lines) == []  # reported once


def test_the_code_of_a_first_message_the_chat_list_hid_reaches_the_server(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any
) -> None:
    sandbox.reset("whatsapp")
    helpers = _helpers()
    team_ids = helpers.make_team(server.url)
    with team_ids.http("sue") as sue:
        body = {"slug": "spring", "targets": [{"account_id": team_ids.ids["shop"]}]}
        code = sue.post("/v1/links", json=body).json()["code"]
    window = make_window()
    window.apply_settings(replace(window.settings, team_server_url=server.url, team_login="ana"))
    tokens = KeyringTokenStore(SecretStore(helpers.MemoryKeyring()))
    team = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.5)
    view = window.create_account(
        "whatsapp", "Shop WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    team.links.link(view.account.id, team_ids.ids["shop"])

    async def scenario() -> None:
        await team.start()
        client = TeamClient(server.url, tokens)
        await client.login("ana", helpers.AGENT_PASSWORD)
        await team.begin(client)
        await until(lambda: view.health.value == "ok", "the recipe's health")
        await until(lambda: view.account.id in team.unread, "the first look at the chat list")
        # Both lines land between two of the page's polls (400 ms) nearly always; when they
        # do not, both are reported from the list and the next customer tries again.
        for attempt in range(3):
            name = f"Rita {attempt}"
            sandbox.customer_writes("whatsapp", f"Hi, I saw the ad #{code}", name=name,
                                    phone=f"+551198765432{attempt}")  # fmt: skip
            sandbox.customer_writes("whatsapp", "Do you ship to Spain?", name=name,
                                    phone=f"+551198765432{attempt}")  # fmt: skip
            await until(lambda n=name: team.unread[view.account.id].get(n) == 2, "both unread")
            if team.unseen.pending:
                break
        else:
            pytest.skip("the page never showed both lines in one look")
        with team_ids.http("admin") as admin:
            await until(lambda: team.outbox is not None and team.outbox.pending_count() == 0,
                        "the upload")  # fmt: skip
            rows = admin.get("/v1/conversations").json()
            newest = max(rows, key=lambda r: r["opened_at"])
            assert newest["source"] == "organic"  # only the question reached the server so far
            assert view.recipe is not None
            view.recipe.open_chat(name)  # the agent opens the chat: its messages show
            await until(lambda: not team.unseen.pending, "the hidden line reported", 20)
            await until(lambda: team.outbox is not None and team.outbox.pending_count() == 0,
                        "the upload")  # fmt: skip
            deadline = time.time() + 10
            while time.time() < deadline:
                newest = admin.get(f"/v1/conversations/{newest['id']}").json()
                if newest["source"] == "link":
                    break
                await asyncio.sleep(0.1)
            assert newest["source"] == "link"

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()

    loop.run_until_complete(run())


def _page_lines(code: str) -> tuple[str, list[Line]]:
    """The chat as WhatsApp shows it on every linked device: its list row's time, and the
    lines with the same keys and times (the customer wrote a minute ago, before either
    workstation looked)."""
    stamp = datetime.fromtimestamp(time.time() - 60)
    shown = f"{stamp:%H:%M}, {stamp.day}/{stamp.month}/{stamp.year}"
    chat = "5511987654329@c.us"
    return f"{stamp:%H:%M}", [
        Line(True, f"Hi, I saw the ad #{code}", f"false_{chat}_3EB0A1_in", shown),
        Line(True, "Do you ship to Spain?", f"false_{chat}_3EB0A2_in", shown),
    ]


def test_two_workstations_date_the_hidden_lines_alike_so_the_server_counts_them_once(
    server: Any, team_helpers: Any
) -> None:
    """A shared account open on Ana's and Ben's workstations: each saw the rise of two in its
    chat list (reporting the question, dated by the row as team mode does), each opens the chat
    later and reports the hidden first line. Both give both lines the page's times, so the
    server counts each once (and marks the conversation as the link's)."""
    team_ids = team_helpers.make_team(server.url)
    shop = team_ids.ids["shop"]
    with team_ids.http("sue") as sue:
        body = {"slug": "spring", "targets": [{"account_id": shop}]}
        code = sue.post("/v1/links", json=body).json()["code"]
    row_time, page = _page_lines(code)
    handle = "+5511987654329"
    looked = time.time()
    reports = {}
    for login, seen_at, opened_at in (("ana", looked, looked + 4.2), ("ben", looked + 0.7,
                                                                     looked + 9.5)):  # fmt: skip
        unseen = UnseenMessages()
        text = "Do you ship to Spain?"
        question = TeamEvent(EventType.CUSTOMER_MESSAGE, shop, Contact(handle), text=text,
                             ts=line_ts(row_time, text, seen_at) or seen_at)  # fmt: skip
        unseen.noted("desk", question, hidden=1)
        late = unseen.opened("desk", handle, page, opened_at)
        assert [e.text for e in late] == [page[0].text]
        reports[login] = (question, late)
    (ana_question, ana_late), (ben_question, ben_late) = reports["ana"], reports["ben"]
    assert ana_question.ts == ben_question.ts  # one fingerprint each
    assert [e.ts for e in ana_late] == [e.ts for e in ben_late]
    assert ana_late[0].id != ben_late[0].id  # two workstations, two event ids
    assert ana_late[0].ts < ana_question.ts < looked - 30  # the page's minute, in order

    answers = {}
    for login, (question, late) in reports.items():
        with team_ids.http(login) as http:
            body = {"events": [e.to_json() for e in (question, *late)]}
            answer = http.post("/v1/events", json=body)
            assert answer.status_code == 200, answer.text
            answers[login] = answer.json()
    assert answers["ana"] == {"accepted": 2, "duplicates": 0}
    assert answers["ben"] == {"accepted": 0, "duplicates": 2}  # Ana's two lines
    with team_ids.http("admin") as admin:
        [row] = admin.get("/v1/conversations").json()
        assert row["source"] == "link"
    with sqlite3.connect(server.db_path) as db:
        counted = db.execute(
            "SELECT count(*) FROM messages WHERE kind = 'customer_message' AND conversation_id = ?",
            (row["id"],),
        ).fetchone()[0]
    assert counted == 2  # the hidden first line and the question, once each
