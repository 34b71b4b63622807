"""The intake counter's "team" dedup scope in the real window against the real team server
(tests/desktop/team_server.py): a contact a teammate first saw yesterday on another account is a
returning contact today for the team, a new one for "all my accounts"; signed out or offline,
the counter says how it counts and falls back to "all my accounts" for what it cannot ask. The
usual for this weekday counts past days with the team's times too, asked about once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from relaydesk.desktop.secrets import SecretStore
from relaydesk.desktop.team_signin import KeyringTokenStore
from relaydesk.sync.client import TeamClient
from relaydesk.sync.stream import ConnectionState

pytestmark = pytest.mark.qt

SEEN_BY_BEN = "+447700900123"
ALSO_SEEN_BY_BEN = "+447700900456"
DAY = 86400.0


async def until(condition: Callable[[], Any], what: str, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _bens_own_account_saw_them_yesterday(team_ids: Any, days_ago: float = 1) -> None:
    """Ben, ana's teammate, has a WhatsApp account of his own where both customers wrote
    yesterday (or ``days_ago``; his workstation uploaded it)."""
    with team_ids.http("admin") as admin:
        answer = admin.post("/v1/accounts", json={"platform": "whatsapp", "handle": "+15550177",
                                                  "name": "Ben WA", "team": "a",
                                                  "members": [team_ids.ids["ben"]]})  # fmt: skip
        assert answer.status_code == 201, answer.text
        bens = answer.json()["id"]
    yesterday = time.time() - days_ago * DAY
    events = [
        {"id": f"ben-{n}", "type": "customer_message", "account_id": bens,
         "contact": {"handle": handle}, "ts": yesterday + n, "text": "hi"}
        for n, handle in enumerate((SEEN_BY_BEN, ALSO_SEEN_BY_BEN))
    ]  # fmt: skip
    with team_ids.http("ben") as ben:
        answer = ben.post("/v1/events", json={"events": events})
        assert answer.status_code == 200 and answer.json()["accepted"] == 2, answer.text


def test_a_teammates_customer_from_yesterday_is_returning_for_the_team_only(
    qtbot: Any, make_window: Any, server: Any, team_helpers: Any, loop: Any
) -> None:
    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.desktop.team import TeamMode
    from relaydesk.store.async_store import AsyncStore

    team_ids = team_helpers.make_team(server.url)
    _bens_own_account_saw_them_yesterday(team_ids)
    window = make_window()
    window.apply_settings(replace(window.settings, intake_dedup_scope="team",
                                  team_server_url=server.url, team_login="ana"))  # fmt: skip
    store = loop.run_until_complete(AsyncStore.open_in(window.paths))
    services = ChatServices(window, store)
    tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
    team = TeamMode(window, services, tokens=tokens, heartbeat_interval_s=0.5)
    team.links.link("wa-ana", team_ids.ids["shop"])  # ana's WhatsApp is the team's "Shop"
    panel = services.intake_panel

    def scope(value: str) -> None:
        window.apply_settings(replace(window.settings, intake_dedup_scope=value))
        services.refresh_intake()

    async def arrives(handle: str) -> None:
        await store.run(lambda s: s.note_arrival("wa-ana", handle, "", datetime.now(UTC)))
        services.refresh_intake()

    def shows(summary: str) -> Callable[[], bool]:
        return lambda: panel.summary.text() == summary

    async def scenario() -> None:
        await store.run(lambda s: s.ensure_account("wa-ana", "whatsapp", "Ana WA"))
        await team.start()
        # Signed out: the team scope counts like "all my accounts", and says so.
        await arrives(SEEN_BY_BEN)
        await until(shows("Today: 1 new, 0 returning"), "the count before sign-in")
        await until(lambda: panel.scope_note.isVisible(), "the note")
        assert "not signed in" in panel.scope_note.text()

        client = TeamClient(server.url, tokens)
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await team.begin(client)
        await until(lambda: team.connection is ConnectionState.CONNECTED, "the connection")
        # Connected: counted again at once; Ben saw this customer yesterday.
        await until(shows("Today: 0 new, 1 returning"), "the team's count")
        assert not panel.scope_note.isVisible()

        scope("all_accounts")  # ana's own accounts never saw the customer before today
        await until(shows("Today: 1 new, 0 returning"), "the count across my accounts")
        assert not panel.scope_note.isVisible()

        scope("team")
        await until(shows("Today: 0 new, 1 returning"), "the team's count again")
        server.stop()
        await until(lambda: team.connection is not ConnectionState.CONNECTED, "the outage")
        # Offline: what the team said stays; a customer it was not asked about yet counts as
        # new on my accounts, and the panel says why.
        await arrives(ALSO_SEEN_BY_BEN)
        await until(shows("Today: 1 new, 1 returning"), "the count while offline")
        await until(lambda: "cannot be reached" in panel.scope_note.text(), "the offline note")
        assert panel.scope_note.isVisible()

        server.start()  # back: the new customer is asked about, and counts as Ben's
        await until(lambda: team.connection is ConnectionState.CONNECTED, "the reconnection", 40)
        await until(shows("Today: 0 new, 2 returning"), "the count after the outage")
        assert not panel.scope_note.isVisible()

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()
            await services.close()

    loop.run_until_complete(run())


def test_a_teammates_customer_from_two_weeks_ago_makes_last_weeks_usual_returning(
    qtbot: Any, make_window: Any, server: Any, team_helpers: Any, loop: Any
) -> None:
    from relaydesk.desktop.chat_services import ChatServices
    from relaydesk.desktop.intake_team import KeptAnswers, TeamIntake
    from relaydesk.desktop.team import TeamMode
    from relaydesk.store.async_store import AsyncStore
    from relaydesk.store.intake_events import IntakeLedger

    team_ids = team_helpers.make_team(server.url)
    _bens_own_account_saw_them_yesterday(team_ids, days_ago=14)
    window = make_window()
    window.apply_settings(replace(window.settings, intake_dedup_scope="team",
                                  team_server_url=server.url, team_login="ana"))  # fmt: skip
    store = loop.run_until_complete(AsyncStore.open_in(window.paths))
    services = ChatServices(window, store)
    tokens = KeyringTokenStore(SecretStore(team_helpers.MemoryKeyring()))
    team = TeamMode(window, services, tokens=tokens, heartbeat_interval_s=0.5)
    team.links.link("wa-ana", team_ids.ids["shop"])
    panel = services.intake_panel
    last_week = datetime.now(UTC) - 7 * timedelta(days=1)  # the same weekday, a week ago

    def usual_at_that_hour() -> tuple[float, float]:
        """The chart's usual (all contacts) and usual new at last week's hour."""
        hours = panel.hours_axis.categories()
        if not hours:
            return (-1.0, -1.0)
        position = hours.index(f"{last_week.astimezone().hour:02d}")
        return panel.usual.at(position).y(), panel.usual_new.at(position).y()

    def scope(value: str) -> None:
        window.apply_settings(replace(window.settings, intake_dedup_scope=value))
        services.refresh_intake()

    async def scenario() -> None:
        await store.run(lambda s: s.ensure_account("wa-ana", "whatsapp", "Ana WA"))
        # Last week the customer wrote to ana's WhatsApp: ana's accounts had never seen them.
        await store.run(lambda s: s.note_arrival("wa-ana", SEEN_BY_BEN, "", last_week))
        await team.start()
        services.refresh_intake()
        await until(lambda: usual_at_that_hour() == (1.0, 1.0), "the usual, signed out")
        assert "not signed in" in panel.scope_note.text()

        client = TeamClient(server.url, tokens)
        await client.login("ana", team_helpers.AGENT_PASSWORD)
        await team.begin(client)
        await until(lambda: team.connection is ConnectionState.CONNECTED, "the connection")
        # Ben saw them two weeks ago: last week's customer was returning for the team.
        await until(lambda: usual_at_that_hour() == (1.0, 0.0), "the team's usual")
        assert not panel.scope_note.isVisible()

        scope("all_accounts")
        await until(lambda: usual_at_that_hour() == (1.0, 1.0), "the usual on my accounts")
        scope("team")
        await until(lambda: usual_at_that_hour() == (1.0, 0.0), "the team's usual again")
        for _ in range(3):  # more refreshes: the past days are not asked about again
            await services.intake.refresh()
        intake = services.intake.team
        assert isinstance(intake, TeamIntake) and intake.asked == 1  # one contact, asked once

        # After a restart the store has the answer: nobody is asked, even with the server gone.
        server.stop()
        await until(lambda: team.connection is not ConnectionState.CONNECTED, "the outage")
        clock = services.intake.clock
        today = clock.day_of(datetime.now(UTC))
        past = await store.run(lambda s: IntakeLedger(s).past_contacts(today, clock))
        restarted = TeamIntake(team, kept=KeptAnswers(store))
        answer = await restarted.first_seen(past)
        assert restarted.asked == 0 and answer.note == ""
        assert answer.first_seen[f"tel:{SEEN_BY_BEN}"].timestamp() < time.time() - 13 * DAY

    async def run() -> None:
        try:
            await scenario()
        finally:
            await team.close()
            await services.close()

    loop.run_until_complete(run())
