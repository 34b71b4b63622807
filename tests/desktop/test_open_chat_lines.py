"""Customer lines written into the open chat (the page's unread count does not rise for it):
which the ``messages`` event makes new, each reported once across the chat-list path, page
reloads and a chat reopened later; and the page's times, equal on every workstation."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from relaydesk.desktop.open_chat_lines import LISTED_S, OpenChatLines, line_identity
from relaydesk.desktop.page_time import line_ts, shown_time
from relaydesk.desktop.sandbox_accounts import sandbox_page_url
from relaydesk.desktop.secrets import SecretStore
from relaydesk.desktop.team import TeamMode
from relaydesk.desktop.team_signin import KeyringTokenStore
from relaydesk.desktop.unseen_messages import Line
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.sync.client import TeamClient

OLD = [Line(True, "Hi", "m1", "10:01"), Line(False, "Hello, how can I help?", "m2", "10:02")]


def _in(text: str, key: str, at: str = "10:05") -> Line:
    return Line(True, text, key, at)


def test_a_line_written_into_the_open_chat_is_new_once() -> None:
    lines = OpenChatLines()
    assert lines.seen("desk", "+34", OLD, 0.0) == []  # the first look only learns
    assert lines.seen("desk", "+34", OLD, 1.0) == []  # the same lines again
    now = [*OLD, _in("Where is my order?", "m3")]
    assert lines.seen("desk", "+34", now, 2.0) == [now[-1]]
    assert lines.seen("desk", "+34", now, 3.0) == []  # reported once
    # Two at once, then the agent's reply: both customer lines, not the reply.
    more = [*now, _in("It was due Monday", "m4"), _in("Order 5521", "m5"),
            Line(False, "Checking", "m6")]  # fmt: skip
    assert [line.text for line in lines.seen("desk", "+34", more, 4.0)] == [
        "It was due Monday", "Order 5521",
    ]  # fmt: skip


def test_a_reload_shows_the_same_lines_and_reports_only_what_came_meanwhile() -> None:
    lines = OpenChatLines()
    lines.seen("desk", "+34", OLD, 0.0)
    # The reloaded page shows the chat again: the same keys, plus a line written meanwhile.
    assert lines.seen("desk", "+34", OLD, 1.0) == []
    again = [*OLD, _in("Still there?", "m3")]
    assert lines.seen("desk", "+34", again, 2.0) == [again[-1]]


def test_a_chat_reopened_later_reports_nothing_the_list_already_did() -> None:
    lines = OpenChatLines()
    lines.seen("desk", "+34", OLD, 0.0)
    lines.closed("desk")  # another chat opened: the lines that come now raise the list's count
    assert lines.listed("desk", "+34", "Any news?", 5.0) is True  # reported by the list
    reopened = [*OLD, _in("Any news?", "m3")]
    assert lines.seen("desk", "+34", reopened, 6.0) == []
    # Open now, the next line is this path's.
    later = [*reopened, _in("Hello?", "m4")]
    assert lines.seen("desk", "+34", later, 7.0) == [later[-1]]
    # A chat switched to and back is a first look again.
    lines.seen("desk", "+99", [_in("Other chat", "x1")], 8.0)
    back = [*later, _in("Written while away", "m5")]
    assert lines.seen("desk", "+34", back, 9.0) == []


def test_a_page_that_shows_the_rows_before_the_lines_still_counts_each_once() -> None:
    """The list's rise is reported; the opened page shows the old lines first, the new one a
    look later: the list's claim is spent on it."""
    lines = OpenChatLines()
    assert lines.listed("desk", "+34", "Are you open today?", 0.0)
    assert lines.seen("desk", "+34", OLD, 1.0) == []
    assert lines.seen("desk", "+34", [*OLD, _in("Are you open today?", "m3")], 2.0) == []


def test_the_open_chats_rise_in_the_list_and_its_new_line_count_once_in_either_order() -> None:
    lines = OpenChatLines()
    lines.seen("desk", "+34", OLD, 0.0)
    # The list shows the open chat's rise for a moment (the page marks it read just after).
    assert lines.listed("desk", "+34", "Do you have it in red?", 1.0) is True
    assert lines.seen("desk", "+34", [*OLD, _in("Do you have it in red?", "m3")], 1.1) == []
    # The other order: the line first, then the row's rise with its (shortened) text.
    now = [*OLD, _in("Do you have it in red?", "m3"), _in("And in size 42 for my son?", "m4")]
    assert lines.seen("desk", "+34", now, 2.0) == [now[-1]]
    assert lines.listed("desk", "+34", "And in size 42 for…", 2.1) is False
    assert lines.listed("desk", "+34", "A different line", 2.2) is True
    # The chat closed, the same words again are a new message the list reports.
    lines.seen("desk", "+34", [*now, _in("ok", "m5")], 3.0)
    lines.closed("desk")
    assert lines.listed("desk", "+34", "ok", 4.0) is True


def test_older_lines_scrolled_into_view_are_not_new() -> None:
    lines = OpenChatLines()
    lines.seen("desk", "+34", OLD, 0.0)
    history = [_in("Last week's question", "m0", "Mon"), *OLD]
    assert lines.seen("desk", "+34", history, 1.0) == []
    assert lines.seen("desk", "+34", [_in("Older still", "m-1", "Sun")], 2.0) == []


def test_a_first_look_asked_for_learns_only() -> None:
    lines = OpenChatLines()
    lines.seen("desk", "+34", OLD, 0.0)
    now = [*OLD, _in("Found it", "m3")]
    assert lines.seen("desk", "+34", now, 1.0, first_look=True) == []
    assert lines.seen("desk", "+34", now, 2.0) == []


def test_an_unmatched_claim_is_let_go() -> None:
    lines = OpenChatLines()
    lines.seen("desk", "+34", OLD, 0.0)
    lines.listed("desk", "+34", "ok", 0.0)  # never shown as a new line (answered elsewhere?)
    late = [*OLD, _in("ok", "m3")]
    assert lines.seen("desk", "+34", late, LISTED_S + 1) == [late[-1]]


def test_lines_without_a_key_are_named_by_what_they_show() -> None:
    same = [Line(True, "ok", "", "10:05"), Line(True, "ok", "", "10:05")]
    assert len(set(line_identity(same))) == 2
    assert line_identity(same) == line_identity(list(same))


def test_the_page_time_of_a_line_is_the_same_on_every_workstation() -> None:
    noon = datetime(2026, 12, 1, 12, 0, 30).timestamp()
    assert shown_time("11:58, 1/12/2026", noon) == datetime(2026, 12, 1, 11, 58).timestamp()
    assert shown_time("9:31 pm", noon) == datetime(2026, 11, 30, 21, 31).timestamp()
    assert shown_time("9:31 a.m.", noon) == datetime(2026, 12, 1, 9, 31).timestamp()
    assert shown_time("1.12.2026 11.58", noon) == datetime(2026, 12, 1, 11, 58).timestamp()
    assert shown_time("2026-12-01T11:05:33+00:00", noon) == 1796123100.0  # to the minute
    assert shown_time("Yesterday", noon) is None and shown_time("", noon) is None
    # Read just after midnight, a line shown at 23:59 is yesterday's.
    past_midnight = datetime(2026, 12, 2, 0, 0, 40).timestamp()
    assert shown_time("23:59", past_midnight) == datetime(2026, 12, 1, 23, 59).timestamp()
    # Two workstations looking at different moments give the line one time, in the open
    # chat ("11:58, 1/12/2026") and on its chat-list row ("11:58") alike.
    here = line_ts("11:58, 1/12/2026", "Hi #A7KD", noon)
    there = line_ts("11:58", "Hi #A7KD", noon + 95.0)
    assert here == there and here is not None
    assert datetime(2026, 12, 1, 11, 58).timestamp() <= here < noon - 29
    assert line_ts("11:58", "Do you ship to Spain?", noon) != here  # lines of a minute differ
    assert line_ts("Yesterday", "Hi", noon) is None and line_ts("5m", "Hi", noon) is None


# -- in the real window, on the sandbox's WhatsApp page, against the real team server ----------

PHONE = "+5511987654321"


async def until(condition: Callable[[], Any], what: str, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _customer_lines(db_path: Path, conversation_id: str) -> list[float]:
    """The customer messages the server counted in the conversation (its fingerprints)."""
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT at FROM messages WHERE kind = 'customer_message' AND conversation_id = ?",
            (conversation_id,),
        ).fetchall()
    return sorted(float(r[0]) for r in rows)


@pytest.mark.qt
def test_a_customer_writing_into_the_open_chat_reaches_the_server_once(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any,
    team_helpers: Any,
) -> None:  # fmt: skip
    sandbox.reset("whatsapp")
    team_ids = team_helpers.make_team(server.url)
    window = make_window()
    window.apply_settings(replace(window.settings, team_server_url=server.url, team_login="ana"))
    tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
    team = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.5)
    view = window.create_account(
        "whatsapp", "Shop WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    team.links.link(view.account.id, team_ids.ids["shop"])
    admin = team_ids.http("admin")

    def conversation(conversation_id: str) -> dict[str, Any]:
        return dict(admin.get(f"/v1/conversations/{conversation_id}").json())

    async def uploaded() -> None:
        await team.wait_idle()
        await until(lambda: team.outbox is not None and team.outbox.pending_count() == 0,
                    "the upload")  # fmt: skip

    async def open_chat(title: str) -> None:
        def opened() -> bool:
            recipe = view.recipe
            if recipe is None:
                return False
            active = recipe.active_chat
            if active is not None and active.title == title and team.lines.watching:
                return True
            recipe.open_chat(title)
            return False

        await until(opened, f"{title}'s chat open")

    async def scenario() -> None:
        await team.start()
        client = TeamClient(server.url, tokens)
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await team.begin(client)
        await until(lambda: view.health.value == "ok", "the recipe's health")
        await until(lambda: view.account.id in team.unread, "the first look at the chat list")
        rita = sandbox.customer_writes("whatsapp", "Hi, is the blue one in stock?", name="Rita",
                                       phone=PHONE)["chat_id"]  # fmt: skip
        await until(lambda: admin.get("/v1/conversations").json(), "Rita's conversation")
        [row] = admin.get("/v1/conversations").json()
        await open_chat("Rita")
        # The agent answers on the page: the server now waits on the customer.
        sandbox.call("POST", "/api/whatsapp/send", {"chat_id": rita, "text": "Yes, all sizes"})
        await until(lambda: conversation(row["id"])["awaiting"] == "customer", "the reply")
        # Rita writes into the open chat: its unread count does not rise, the line is seen.
        sandbox.customer_writes("whatsapp", "Can you send it today?", chat_id=rita)
        await until(lambda: conversation(row["id"])["awaiting"] == "agent",
                    "the server waiting on the agent again")  # fmt: skip
        assert conversation(row["id"])["waiting_since"] is not None
        await uploaded()
        assert len(_customer_lines(server.db_path, row["id"])) == 2

        # The page reloads: the same lines show again and are not reported again; what Rita
        # writes once the chat is open again is.
        view.reload()
        await until(lambda: not team.lines.watching, "the page reloaded, no chat open", 30)
        await until(lambda: view.health.value == "ok", "the recipe's health again", 30)
        await open_chat("Rita")
        sandbox.customer_writes("whatsapp", "Hello?", chat_id=rita)
        await until(lambda: len(_customer_lines(server.db_path, row["id"])) >= 3, "Hello?")

        # Another chat is opened; Rita writes meanwhile (the list's count rises and says so);
        # her chat opened again later reports nothing more.
        sandbox.customer_writes("whatsapp", "Good morning", name="Otto", phone="+4915112345678")
        await until(lambda: len(admin.get("/v1/conversations").json()) == 2, "Otto's")
        await open_chat("Otto")
        sandbox.customer_writes("whatsapp", "Any news?", chat_id=rita)
        await until(lambda: len(_customer_lines(server.db_path, row["id"])) >= 4, "Any news?")
        await open_chat("Rita")
        sandbox.customer_writes("whatsapp", "Thanks, bye", chat_id=rita)
        await until(lambda: len(_customer_lines(server.db_path, row["id"])) >= 5, "Thanks, bye")
        await asyncio.sleep(2)  # a few more looks at the page: a repeat would have come by now
        await uploaded()
        counted = _customer_lines(server.db_path, row["id"])
        assert len(counted) == 5, counted  # each of Rita's five lines once

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()
            admin.close()

    loop.run_until_complete(run())


@pytest.mark.qt
def test_two_workstations_with_the_chat_open_report_its_new_line_with_one_fingerprint(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any,
    team_helpers: Any, tmp_path: Path,
) -> None:  # fmt: skip
    """Ana's and Ben's workstations both show the shared account (linked devices): Rita's first
    line rises in both chat lists, her next comes with the chat open on both; each workstation
    reports each line, the server counts each once."""
    from PySide6.QtWidgets import QApplication

    from relaydesk.desktop.i18n import Translators
    from relaydesk.desktop.window import MainWindow
    from relaydesk.paths import app_paths

    sandbox.reset("whatsapp")
    team_ids = team_helpers.make_team(server.url)
    ben_home = app_paths(tmp_path / "ben").ensure()
    ben_window = MainWindow(ben_home, Translators(ben_home.cache))
    ben_window.hibernation_timer.stop()
    ben_window.heartbeat_timer.stop()
    ben_window.show()
    desks = []
    for login, window in (("ana", make_window()), ("ben", ben_window)):
        window.apply_settings(replace(window.settings, team_server_url=server.url,
                                      team_login=login))  # fmt: skip
        tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
        team = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.5)
        view = window.create_account(
            "whatsapp", "Shop WA", url=sandbox_page_url(sandbox.url, "whatsapp")
        )
        team.links.link(view.account.id, team_ids.ids["shop"])
        desks.append((login, tokens, team, view))

    def customer_lines() -> int:
        query = "SELECT count(*) FROM messages WHERE kind = 'customer_message'"
        with sqlite3.connect(server.db_path) as db:
            return int(db.execute(query).fetchone()[0])

    def reported_by_both() -> list[str]:
        """Message fingerprints both workstations sent an event for."""
        with sqlite3.connect(server.db_path) as db:
            rows = db.execute(
                "SELECT message_key FROM received_events GROUP BY message_key"
                " HAVING count(DISTINCT agent_id) = 2"
            ).fetchall()
        return [r[0] for r in rows]

    async def scenario() -> None:
        for login, tokens, team, view in desks:
            await team.start()
            client = TeamClient(server.url, tokens)
            await client.login(login, team_helpers.AGENT_PASSWORD)
            await team.begin(client)
            await until(lambda v=view: v.health.value == "ok", f"{login}'s recipe")
            await until(lambda t=team, v=view: v.account.id in t.unread, f"{login}'s chat list")
        rita = sandbox.customer_writes("whatsapp", "Hi, is the blue one in stock?", name="Rita",
                                       phone=PHONE)["chat_id"]  # fmt: skip
        await until(lambda: len(reported_by_both()) == 1, "both lists' reports of the first line")
        for login, _tokens, team, view in desks:

            def opened(t: TeamMode = team, v: Any = view) -> bool:
                active = v.recipe.active_chat if v.recipe is not None else None
                if active is not None and active.title == "Rita" and t.lines.watching:
                    return True
                if v.recipe is not None:
                    v.recipe.open_chat("Rita")
                return False

            await until(opened, f"Rita's chat open for {login}")
        for _login, _tokens, team, _view in desks:
            await team.wait_idle()
            await until(lambda t=team: t.outbox is not None and t.outbox.pending_count() == 0,
                        "the uploads")  # fmt: skip
        before = customer_lines()
        assert before == 1  # two workstations' chat lists, one message
        shared_before = set(reported_by_both())
        sandbox.customer_writes("whatsapp", "Can you send it today?", chat_id=rita)
        await until(lambda: set(reported_by_both()) - shared_before, "both workstations' reports")
        for _login, _tokens, team, _view in desks:
            await team.wait_idle()
            await until(lambda t=team: t.outbox is not None and t.outbox.pending_count() == 0,
                        "the uploads")  # fmt: skip
        assert customer_lines() == before + 1  # two workstations, one message

    async def run() -> None:
        try:
            await scenario()
        finally:
            for _login, _tokens, team, _view in desks:
                await team.close()

    try:
        loop.run_until_complete(run())
    finally:
        ben_window.close()
        ben_window.shutdown()
        ben_window.deleteLater()
        QApplication.processEvents()
