"""Team mode in the real window against the real team server on loopback: sign-in messages, the
keyring-backed sign-in, events of a sandbox page reaching the server once, the assignment's tab
mark, notification and banner, "owned by" with the colleague's name, the collision guard,
transfer and close."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from relaydesk.desktop.sandbox_accounts import sandbox_page_url
from relaydesk.desktop.secrets import TEAM_TOKEN, SecretStore
from relaydesk.desktop.team import TeamMode
from relaydesk.desktop.team_signin import KeyringTokenStore, SignInDialog
from relaydesk.platforms.commands import fill_compose, press_send
from relaydesk.sandbox.background import BackgroundSandbox
from relaydesk.sync.client import TeamClient

pytestmark = pytest.mark.qt

PHONE = "+5511987654321"


def _helpers() -> ModuleType:
    """tests/desktop/team_server.py, the same module conftest's ``server`` fixture loads."""
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sign_in_tells_a_wrong_password_and_an_unreachable_server_then_keeps_the_token(
    qtbot: Any, loop: Any, server: Any
) -> None:
    helpers = _helpers()
    helpers.make_team(server.url)
    keyring = helpers.MemoryKeyring()
    tokens = KeyringTokenStore(SecretStore(keyring))
    dialog = SignInDialog(tokens, f"http://127.0.0.1:{_free_port()}", "ana")
    qtbot.addWidget(dialog)
    signed: list[TeamClient] = []
    dialog.signed_in.connect(signed.append)

    async def scenario() -> None:
        dialog.password.setText("whatever-123")
        await dialog.sign_in()
        assert "cannot be reached" in dialog.message.text()
        assert dialog.sign_in_button.isEnabled()

        dialog.url.setText(server.url)
        dialog.password.setText("not-the-password")
        await dialog.sign_in()
        assert dialog.message.text() == "Wrong login or password for ana."
        assert not signed

        dialog.password.setText(helpers.AGENT_PASSWORD)
        await dialog.sign_in()
        assert len(signed) == 1 and signed[0].credential is not None
        assert dialog.password.text() == ""  # the password is not kept anywhere
        await asyncio.to_thread(tokens.flush)
        kept = json.loads(keyring.items[("Relaydesk", TEAM_TOKEN)])
        assert kept["server"] == server.url and kept["role"] == "agent"
        assert kept["token"] == signed[0].credential.token
        assert "MainThread" not in keyring.threads  # the keyring is never called on the UI thread
        again = KeyringTokenStore(SecretStore(keyring))
        await again.preload()
        assert again.load(server.url) == signed[0].credential
        assert again.load("http://elsewhere.example") is None
        await signed[0].aclose()

    loop.run_until_complete(scenario())


def _team_window(make_window: Any, server: Any, sandbox: BackgroundSandbox, login: str,
                 loop: Any) -> tuple[Any, TeamMode, Any]:  # fmt: skip
    """A window with the sandbox's WhatsApp linked to the team's shared account, signed in."""
    from dataclasses import replace

    helpers = _helpers()
    team_ids = helpers.make_team(server.url)
    window = make_window()
    window.apply_settings(replace(window.settings, team_server_url=server.url, team_login=login))
    tokens = KeyringTokenStore(SecretStore(helpers.MemoryKeyring()))
    team = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.5)
    view = window.create_account(
        "whatsapp", "Shop WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    team.links.link(view.account.id, team_ids.ids["shop"])

    async def sign_in() -> None:
        await team.start()
        client = TeamClient(server.url, tokens)
        await client.login(login, helpers.AGENT_PASSWORD)
        await team.begin(client)

    return window, team, (view, team_ids, sign_in)


def test_an_assignment_marks_the_tab_notifies_and_shows_the_banner_events_count_once(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any
) -> None:
    sandbox.reset("whatsapp")
    window, team, (view, team_ids, sign_in) = _team_window(
        make_window, server, sandbox, "ana", loop
    )
    me = team_ids.ids["ana"]

    async def scenario() -> None:
        await sign_in()
        await until(lambda: view.health.value == "ok", "the recipe's health")
        await until(lambda: team.status.text() == "Team: online", "online in the status bar")
        sandbox.customer_writes(
            "whatsapp", "Hi, is the blue one in stock?", name="Rita", phone=PHONE
        )
        await until(lambda: team.marks.get(view.account.id) == 1, "the tab's assigned mark", 30)
        index = window.tabs.indexOf(view)
        assert window.tabs.tabBar().tabTextColor(index).name() == "#1a7f37"
        assert any(t.startswith("Assigned to you") for t in team.told)
        # Opening the chat shows the banner over it.
        assert view.recipe is not None
        view.recipe.open_chat("Rita")
        await until(lambda: team.banners.get(view.account.id) == "Assigned to you.", "the banner")
        # The server counted this workstation's events once each.
        await until(lambda: team.outbox is not None and team.outbox.pending_count() == 0, "upload")
        received = server.received_event_ids(me)
        assert len(received) == len(set(received)) >= 1
        # Release from the Team menu: routed again, here to Ben who came online meanwhile.
        with team_ids.http("ben") as ben:
            beat = {"status": "online", "open_accounts": [team_ids.ids["shop"]]}
            assert ben.post("/v1/heartbeat", json=beat).status_code == 200
        window.tabs.setCurrentWidget(view)
        team.release_action.trigger()
        await until(lambda: team.marks.get(view.account.id) == 0, "the mark gone", 30)
        await until(lambda: team.banners.get(view.account.id) == "Owned by Ben.", "Ben's now")
        with team_ids.http("admin") as admin:
            [row] = admin.get("/v1/conversations").json()
            assert row["owner_id"] == team_ids.ids["ben"]
            # Close from the Team menu goes through the outbox (it works offline too).
            team.close_action.trigger()
            for _ in range(200):
                if admin.get("/v1/conversations").json()[0]["state"] == "closed":
                    break
                await asyncio.sleep(0.05)
            assert admin.get("/v1/conversations").json()[0]["state"] == "closed"

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()

    loop.run_until_complete(run())


def test_a_chat_a_colleague_owns_says_so_and_asks_before_sending(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any
) -> None:
    sandbox.reset("whatsapp")
    window, team, (view, team_ids, sign_in) = _team_window(
        make_window, server, sandbox, "ana", loop
    )
    ben = team_ids.http("ben")
    shop = team_ids.ids["shop"]

    async def scenario() -> None:
        await sign_in()
        await until(lambda: view.health.value == "ok", "the recipe's health")
        # Ben alone is here when Rita writes (ana away): the conversation is his.
        team.away_action.setChecked(True)
        team._toggle_away()
        await asyncio.sleep(1.2)  # a heartbeat says away
        answer = ben.post("/v1/heartbeat", json={"status": "online", "open_accounts": [shop]})
        assert answer.status_code == 200
        sandbox.customer_writes("whatsapp", "Hello?", name="Rita", phone=PHONE)
        assert view.recipe is not None
        await until(lambda: "Rita" in team.titles.get(view.account.id, {}), "the chat list")
        view.recipe.open_chat("Rita")
        await until(
            lambda: team.banners.get(view.account.id) == "Owned by Ben.", "owned by Ben", 30
        )
        window.tabs.setCurrentWidget(view)

        sent: list[str] = []
        assert team.reply_gate(view.account.id, fill_compose("hi"), sent.append) is True
        assert team.reply_gate(view.account.id, press_send(), sent.append) is False
        boxes = [w for w in window.findChildren(QMessageBox) if w.objectName() == "collisionGuard"]
        assert len(boxes) == 1 and "Ben owns this conversation" in boxes[0].text()
        assert sent == []  # nothing goes before the agent answers
        boxes[0].button(QMessageBox.StandardButton.No).click()
        assert sent == []  # No (the default) sends nothing

        # Yes sends through the real page; the page's `sent` is then a reply in Ben's chat.
        recipe = view.recipe
        recipe.send_command(fill_compose("I can help"))  # the gate let the fill through
        assert team.reply_gate(view.account.id, press_send(), recipe.send_command) is False
        boxes = [w for w in window.findChildren(QMessageBox)
                 if w.objectName() == "collisionGuard" and w.isVisible()]  # fmt: skip
        boxes[0].button(QMessageBox.StandardButton.Yes).click()
        await until(lambda: any(m.get("text") == "I can help" for m in sandbox.sent("whatsapp")),
                    "the reply sent by the page")  # fmt: skip
        await until(lambda: any(t.startswith("You replied in a chat Ben owns") for t in team.told),
                    "told of the collision at once")  # fmt: skip
        await until(lambda: "You answered a conversation another agent owns" in team.told,
                    "the server's collision warning", 30)  # fmt: skip

        # Transfer: ana (a supervisor would too) cannot move Ben's chat; Ben gives it to ana.
        [conversation] = ben.get("/v1/conversations").json()
        assert conversation["owner_name"] == "Ben"
        moved = ben.post(f"/v1/conversations/{conversation['id']}/transfer",
                         json={"to_agent_id": team_ids.ids["ana"]})  # fmt: skip
        assert moved.status_code == 200, moved.text
        await until(lambda: team.banners.get(view.account.id) == "Assigned to you.", "handed over")
        assert any(t.startswith("Handed to you by Ben") for t in team.told)

        # Transfer from the Team menu to a colleague chosen by name.
        dialog = team.ask_transfer()
        assert dialog is not None and dialog.comboBoxItems() == ["Ben", "Sue"]
        dialog.setTextValue("Ben")
        dialog.accept()
        await until(lambda: team.banners.get(view.account.id) == "Owned by Ben.", "given to Ben")
        [row] = ben.get("/v1/conversations").json()
        assert row["owner_id"] == team_ids.ids["ben"]

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()

    loop.run_until_complete(run())
    ben.close()


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


def test_a_handoff_arrives_with_notes_tags_and_a_translated_summary(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any
) -> None:
    from dataclasses import replace

    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.store.async_store import AsyncStore
    from relaydesk.store.repository import Store

    sandbox.reset("whatsapp")
    helpers = _helpers()
    team_ids = helpers.make_team(server.url)
    shop = team_ids.ids["shop"]
    with _libre_server().running_translator() as translator:
        window = make_window()
        window.apply_settings(replace(
            window.settings, translation_engine="libre", libretranslate_url=translator.url,
            agent_language="en", team_server_url=server.url, team_login="ana",
        ))  # fmt: skip
        store = loop.run_until_complete(AsyncStore.open_in(window.paths))
        services = ChatServices(window, store, detection_languages=("en", "es"), debounce_ms=50)
        tokens = KeyringTokenStore(SecretStore(helpers.MemoryKeyring()))
        team = TeamMode(window, services, tokens=tokens, heartbeat_interval_s=0.5)
        assert services.reply_gate == team.reply_gate  # the panel's Send passes the guard
        url = sandbox_page_url(sandbox.url, "whatsapp")
        view = window.create_account("whatsapp", "Shop WA", url=url)
        team.links.link(view.account.id, shop)
        ben = team_ids.http("ben")

        async def scenario() -> None:
            await services.start()
            await team.start()
            client = TeamClient(server.url, tokens)
            await client.login("ana", helpers.AGENT_PASSWORD)
            await team.begin(client)
            await until(lambda: view.health.value == "ok", "the recipe's health")
            team.away_action.setChecked(True)
            team._toggle_away()
            await asyncio.sleep(1.2)
            ben.post("/v1/heartbeat", json={"status": "online", "open_accounts": [shop]})
            sandbox.customer_writes("whatsapp", "Quiero cambiar la talla", name="Rita", phone=PHONE)
            await until(lambda: "Rita" in team.titles.get(view.account.id, {}), "the chat list")
            assert view.recipe is not None
            view.recipe.open_chat("Rita")  # the message is kept in this workstation's store
            await until(lambda: services.accounts[view.account.id].contact_id is not None,
                        "the contact in the store")  # fmt: skip
            contact_id = services.accounts[view.account.id].contact_id
            assert contact_id is not None

            def annotate(s: Store) -> None:
                s.add_note(contact_id, "Ordered size M on Monday")
                s.tag(contact_id, "exchange")
                s.update_contact(contact_id, language="es")

            await services.store.run(annotate)
            await until(lambda: team.banners.get(view.account.id) == "Owned by Ben.", "owned", 30)
            # The contact card's previous agent comes from the team server: Ben, kept in the store.
            await until(lambda: "Ben" in team.agents_seen.values(), "Ben seen as the owner", 30)

            def previous_agent(s: Store) -> str | None:
                return s.contact_card(contact_id, 1).previous_agent

            for _ in range(100):
                if await services.store.run(previous_agent) == "Ben":
                    break
                await asyncio.sleep(0.1)
            assert await services.store.run(previous_agent) == "Ben"
            assert services.card_panel.fields["previous_agent"].text() == "Ben"

            # Enter in the translation panel with auto-send: the fill is let through with a
            # warning, the Send waits for the agent's answer.
            panel = services.translation_panel
            assert panel is not None
            window.apply_settings(replace(window.settings, auto_send_translation=True))
            qtbot.keyClicks(panel.draft, "thank you")
            qtbot.keyClick(panel.draft, Qt.Key.Key_Return)
            await until(lambda: [w for w in window.findChildren(QMessageBox)
                                 if w.objectName() == "collisionGuard" and w.isVisible()],
                        "the guard's question")  # fmt: skip
            assert "Ben owns this chat: replying makes a collision." in team.told
            box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
            box.button(QMessageBox.StandardButton.No).click()
            await asyncio.sleep(0.5)
            assert sandbox.sent("whatsapp") == []  # nothing was sent

            [conversation] = ben.get("/v1/conversations").json()
            detail_url = f"/v1/conversations/{conversation['id']}"
            # A note on Ana's card goes to the team server too (she shares the account).
            services.card_panel.note_input.setText("Call after 6 pm")
            qtbot.keyClick(services.card_panel.note_input, Qt.Key.Key_Return)

            def server_notes() -> list[str]:
                return [n["text"] for n in ben.get(detail_url).json()["notes"]]

            for _ in range(100):
                if server_notes():
                    break
                await asyncio.sleep(0.1)
            assert server_notes() == ["Call after 6 pm"]
            # Ben writes one on his own workstation: only the server has it for Ana.
            written = ben.post(f"{detail_url}/notes", json={"text": "Refund if M is sold out"})
            assert written.status_code == 201, written.text
            moved = ben.post(f"{detail_url}/transfer",
                             json={"to_agent_id": team_ids.ids["ana"]})  # fmt: skip
            assert moved.status_code == 200, moved.text
            await until(lambda: any(t.startswith("Handed to you by Ben") for t in team.told),
                        "the handoff", 30)  # fmt: skip
            told = next(t for t in team.told if t.startswith("Handed to you by Ben"))
            assert "Tags: exchange" in told
            assert "Note: Refund if M is sold out" in told  # from Ben's workstation
            assert "Note: Ordered size M on Monday" in told
            assert told.count("Note: Call after 6 pm") == 1  # on the server and in the store
            assert "Summary: ⟦en⟧ Quiero cambiar la talla" in told  # es → en by the engine

            # The team server gone: a new note stays in the store, and Ana is told so.
            server.stop()
            services.card_panel.note_input.setText("Sent the new size")
            qtbot.keyClick(services.card_panel.note_input, Qt.Key.Key_Return)
            await until(lambda: "The note stays on this workstation: the team server cannot "
                        "be reached." in team.told, "the note kept locally", 30)  # fmt: skip

            def local_notes(s: Store) -> list[str]:
                return [n.text for n in s.contact_card(contact_id, 1).notes]

            assert "Sent the new size" in await services.store.run(local_notes)

        async def run() -> None:
            try:
                await scenario()
            finally:
                await team.close()
                await services.close()

        loop.run_until_complete(run())
        ben.close()


def test_signing_in_from_the_menu_beats_with_the_open_account_then_signing_out_forgets_it(
    qtbot: Any, make_window: Any, server: Any, sandbox: BackgroundSandbox, loop: Any
) -> None:
    import sqlite3

    helpers = _helpers()
    team_ids = helpers.make_team(server.url)
    window = make_window()
    keyring = helpers.MemoryKeyring()
    tokens = KeyringTokenStore(SecretStore(keyring))
    team = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.3)
    url = sandbox_page_url(sandbox.url, "whatsapp")
    view = window.create_account("whatsapp", "Shop WA", url=url)
    team.links.link(view.account.id, team_ids.ids["shop"])

    def beat() -> tuple[str, list[str]]:
        with sqlite3.connect(server.db_path) as db:
            status, accounts = db.execute(
                "SELECT status, open_accounts FROM agents WHERE login = 'ana'"
            ).fetchone()
        return status, json.loads(accounts)

    async def scenario() -> None:
        await team.start()  # nothing kept: stays signed out
        assert team.session is None and team.status.text() == "Team: not signed in"
        assert not team.status.isVisibleTo(window)  # no team server set: nothing said of teams
        assert not team.board_action.isEnabled()
        dialog = team.ask_sign_in()
        dialog.url.setText(server.url)
        dialog.login.setText("ana")
        dialog.password.setText(helpers.AGENT_PASSWORD)
        await dialog.sign_in()
        await until(lambda: team.status.text() == "Team: online", "online")
        assert (window.settings.team_server_url, window.settings.team_login) == (server.url, "ana")
        assert team.status.isVisibleTo(window)
        await until(lambda: view.loaded and beat() == ("online", [team_ids.ids["shop"]]),
                    "a heartbeat with the open team account")  # fmt: skip
        team.away_action.setChecked(True)
        team._toggle_away()
        assert team.status.text() == "Team: away"
        await until(lambda: beat()[0] == "away", "away on the server")
        token = tokens.load(server.url)
        assert token is not None
        await team.sign_out()
        assert team.status.text() == "Team: not signed in"
        await asyncio.to_thread(tokens.flush)
        assert ("Relaydesk", TEAM_TOKEN) not in keyring.items
        with team_ids.http() as anonymous:
            refused = anonymous.get("/v1/conversations",
                                    headers={"Authorization": f"Bearer {token.token}"})  # fmt: skip
        assert refused.status_code == 401  # revoked on the server, not only forgotten here

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()

    loop.run_until_complete(run())


def test_an_unusable_outbox_is_told_and_the_window_keeps_working(
    qtbot: Any, make_window: Any, loop: Any
) -> None:
    window = make_window()
    (window.paths.data / "sync.db").mkdir()  # not a database file: SQLite cannot open it
    team = TeamMode(window, tokens=KeyringTokenStore(SecretStore(_helpers().MemoryKeyring())))
    loop.run_until_complete(team.start())
    assert team.outbox is None
    assert any("sync outbox" in t and "cannot be used" in t for t in team.told)
    assert window.notice.isVisibleTo(window)
    loop.run_until_complete(team.close())


def test_a_supervisor_opens_the_board_and_a_collision_shows_there_at_once(
    qtbot: Any, make_window: Any, server: Any, loop: Any
) -> None:
    import time

    helpers = _helpers()
    team_ids = helpers.make_team(server.url)
    shop = team_ids.ids["shop"]
    window = make_window()
    tokens = KeyringTokenStore(SecretStore(helpers.MemoryKeyring()))
    team = TeamMode(window, tokens=tokens, heartbeat_interval_s=0.5)

    async def scenario() -> None:
        await team.start()
        client = TeamClient(server.url, tokens)
        await client.login("sue", helpers.AGENT_PASSWORD)
        await team.begin(client)
        assert team.board_action.isEnabled()  # a supervisor's menu offers the board
        await until(lambda: team.status.text() == "Team: online", "online")
        team.board_action.trigger()
        board = team.board
        assert board is not None and team.board_dock.isVisibleTo(window)
        await until(lambda: board.agents.rowCount() == 3, "the board's first refresh")
        now = time.time()
        with team_ids.http("ana") as ana, team_ids.http("ben") as ben:
            ana.post("/v1/heartbeat", json={"status": "online", "open_accounts": [shop]})
            contact = {"handle": "+4471"}
            ana.post(
                "/v1/events",
                json={
                    "events": [
                        {
                            "id": "m1",
                            "type": "customer_message",
                            "account_id": shop,
                            "contact": contact,
                            "ts": now - 2,
                            "text": "hi",
                        }
                    ]
                },
            )
            ben.post(
                "/v1/events",
                json={
                    "events": [
                        {
                            "id": "r1",
                            "type": "agent_reply",
                            "account_id": shop,
                            "contact": contact,
                            "ts": now - 1,
                            "text": "yes?",
                        }
                    ]
                },
            )
        await until(
            lambda: (
                board.warnings.count() > 0
                and "Ben answered a conversation another agent owns"
                == board.warnings.item(0).text()
            ),
            "the pushed collision",
        )
        assert (
            "Ben answered a conversation another agent owns" in team.told
        )  # and told in the window

        # In a Chinese UI the next collision reads in Chinese, worded from the push's fields.
        window.translators.apply("zh_CN", at_start=True)
        try:
            with team_ids.http("ben") as ben:
                again = {"id": "r2", "type": "agent_reply", "account_id": shop,
                         "contact": contact, "ts": time.time(), "text": "still there?"}  # fmt: skip
                assert ben.post("/v1/events", json={"events": [again]}).status_code == 200
            chinese = "Ben 回复了其他客服负责的会话"
            await until(lambda: board.warnings.item(0).text() == chinese, "in Chinese")
            assert chinese in team.told
        finally:
            window.translators.apply("en")

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()

    loop.run_until_complete(run())


def test_pushed_warnings_read_in_the_ui_language(qtbot: Any, make_window: Any, loop: Any) -> None:
    from relaydesk.sync.client import MemoryTokenStore
    from relaydesk.sync.ownership import OwnershipBook
    from relaydesk.sync.pushes import Warning, parse_push

    window = make_window()
    team = TeamMode(window, tokens=KeyringTokenStore(SecretStore(_helpers().MemoryKeyring())))
    client = TeamClient("http://127.0.0.1:9", MemoryTokenStore())  # never called: names known
    team.book = OwnershipBook(client, names={"ben": "Ben"})

    def said(kind: str, message: str, **fields: Any) -> str:
        push = parse_push({"seq": 1, "type": "warning", "at": 0.0, "kind": kind,
                           "message": message, "conversation_id": None, "agent_id": None,
                           "other_agent_id": None, **fields})  # fmt: skip
        assert isinstance(push, Warning)
        return team.warning_text(push)

    english = said("overload", "holds 5 conversations for a capacity of 4", agent_id="ben")
    assert english == "Ben now holds more conversations than their capacity"
    window.translators.apply("zh_CN", at_start=True)
    try:
        assert said("overload", "holds 5 conversations", agent_id="ben") == (
            "Ben 现在负责的会话超过了其容量"
        )
        collided = said("collision", "Ben answered a conversation another agent owns",
                        agent_id="ana", other_agent_id="ben")  # fmt: skip
        assert collided == "Ben 回复了其他客服负责的会话"
        lapsed = "reply deadline passed and nobody else can take the conversation"
        assert said("no_eligible_agent", lapsed, conversation_id="c1", agent_id="ben") == (
            "有会话的回复时限已过，且没有其他客服可以接手"
        )
        heavy = said("heavy_day", "Ben: 31 conversations today against 12 on average for the team",
                     agent_id="ben", assigned_today=31, team_mean_today=12.4)  # fmt: skip
        assert heavy == "Ben：今天 31 个会话，团队平均 12 个"
        assert said("handoff_limit", "still no reply after 3 automatic handoffs") == (
            "有会话经过多次自动转交仍未得到回复"
        )
        # A kind this desktop does not know yet: the server's own sentence.
        assert said("new_kind", "something new happened") == "something new happened"
    finally:
        window.translators.apply("en")
    loop.run_until_complete(client.aclose())
    loop.run_until_complete(team.close())


def test_an_account_added_as_a_team_account_asks_for_its_server_id(
    qtbot: Any, make_window: Any, loop: Any
) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = make_window()
    team = TeamMode(window, tokens=KeyringTokenStore(SecretStore(_helpers().MemoryKeyring())))
    alone = window.create_account("web", "Just me", url="about:blank")
    assert not [d for d in window.findChildren(QInputDialog) if d.isVisible()]
    shared = window.create_account("web", "Shop", url="about:blank", team_account=True)
    [dialog] = [d for d in window.findChildren(QInputDialog) if d.isVisible()]
    assert dialog.objectName() == "teamAccountLink"
    dialog.setTextValue("acc-123")
    dialog.accept()
    assert team.links.server_account(shared.account.id) == "acc-123"
    assert team.links.server_account(alone.account.id) is None
    again = type(team.links)(team.links.path)  # kept in config/team_accounts.json
    assert again.server_account(shared.account.id) == "acc-123"
    loop.run_until_complete(team.close())
