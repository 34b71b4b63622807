"""A volume anomaly on the supervisor board: intakes sent to the real team server (four past
weeks, then a surge through a split link), the server's anomaly check, and the board's line
saying what, how far above the usual, and what stands out."""

from __future__ import annotations

import asyncio
import threading
import time
from types import ModuleType
from typing import Any

import pytest

from relaydesk.desktop.supervisor_board import SupervisorBoard
from relaydesk.sync.client import MemoryTokenStore, TeamClient
from relaydesk.sync.supervisor import SupervisorApi

pytestmark = pytest.mark.qt
WEEK_S = 7 * 86400.0


def _check_on(db_path: Any, now: float) -> list[dict[str, Any]]:
    """The anomaly check at ``now``, run as a second server process on the same database would
    (its own engine, in a thread of its own)."""
    from relaydesk.server.anomalies import AnomalyWatch
    from relaydesk.server.db import make_engine, make_sessionmaker
    from relaydesk.server.settings import ServerSettings
    from relaydesk.server.state import ServerState

    out: list[dict[str, Any]] = []

    async def run() -> None:
        url = f"sqlite+aiosqlite:///{db_path}"
        engine = make_engine(url)
        state = ServerState(ServerSettings(url), engine, make_sessionmaker(engine))
        try:
            out.extend(await AnomalyWatch().check(state, now=now))
        finally:
            await engine.dispose()

    thread = threading.Thread(target=lambda: asyncio.run(run()))
    thread.start()
    thread.join(timeout=30)
    return out


def test_a_volume_anomaly_shows_on_the_board_with_what_stands_out(
    qtbot: Any, loop: Any, server: Any, team_helpers: ModuleType
) -> None:
    team = team_helpers.make_team(server.url)
    shop = team.ids["shop"]
    # Judged at half past an hour that began less than an hour ago, whatever the clock says,
    # so that the board (which lists the last hour's warnings) has it.
    now = time.time()
    hour = now - now % 3600
    judged = hour + 1800 if now - hour >= 1800 else hour - 1800
    start = judged - 1800
    with team.http("admin") as admin:
        body = {"slug": "spring-sale", "targets": [{"account_id": shop}], "team": "a"}
        link = admin.post("/v1/links", json=body).json()
    usual = [{"id": f"h{w}-{n}", "type": "intake", "account_id": shop,
              "contact": {"handle": f"+4471{w}{n}"}, "ts": start - w * WEEK_S + 60 + n * 900}
             for w in range(1, 5) for n in range(4)]  # fmt: skip
    text = f"Hi, is the spring sale on? #{link['code']}"
    surge = [{"id": f"s{n}", "type": "customer_message", "account_id": shop,
              "contact": {"handle": f"+4479{n:03d}"}, "ts": start + 300 + n * 30, "text": text}
             for n in range(40)]  # fmt: skip
    with team.http("ana") as ana:
        answer = ana.post("/v1/events", json={"events": usual + surge})
        assert answer.json()["accepted"] == 56
    warned = _check_on(server.db_path, judged)
    assert len(warned) == 1

    client = TeamClient(server.url, MemoryTokenStore())
    board = SupervisorBoard(SupervisorApi(client))
    qtbot.addWidget(board)

    async def scenario() -> None:
        await client.login("sue", team_helpers.AGENT_PASSWORD)
        board.warn(warned[0]["message"])  # as the push shows it at once
        await board.refresh()
        lines = [board.warnings.item(i).text() for i in range(board.warnings.count())]
        # The hour on the workstation's clock, and usual counts as said ("2", not "2.0").
        since = time.strftime("%H:%M", time.localtime(warned[0]["hour_start"]))
        expected = (
            f"Volume anomaly (a): 40 new contacts since {since}, 20.0× the usual (2); "
            "stands out: link spring-sale, 40 of them (usually 0)"
        )
        assert lines[0] == expected
        assert warned[0]["message"] not in lines  # the server's sentence, replaced
        await client.aclose()

    loop.run_until_complete(scenario())
