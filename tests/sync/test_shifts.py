"""``ShiftsApi`` against the real team server on loopback, and what its readers leave out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from relaydesk.sync.client import MemoryTokenStore, Presence, TeamClient
from relaydesk.sync.errors import ActionRefused
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.shifts import ShiftsApi, board_from, notice_from

ADMIN_PASSWORD = "admin-pass-1234"
AGENT_PASSWORD = "agent-pass-1234"


async def test_schedule_board_and_keep_from_the_real_server(team: Any) -> None:
    async with (
        TeamClient(team.server.url, MemoryTokenStore(), timeout_s=5.0) as admin,
        TeamClient(team.server.url, MemoryTokenStore(), timeout_s=5.0) as ana,
    ):
        await admin.login("admin", ADMIN_PASSWORD)
        await ana.login("ana", AGENT_PASSWORD)
        shifts, mine = ShiftsApi(admin), ShiftsApi(ana)
        later = datetime.now(UTC) + timedelta(hours=4)
        end = later + timedelta(hours=2)
        interval = {"day": later.isoweekday(), "start": f"{later:%H:%M}", "end": f"{end:%H:%M}"}
        saved = await shifts.set_schedule(team.agents["ana"], "UTC", [interval])
        assert saved["on_shift"] is False and saved["next_shift_start"] > 0
        assert (await mine.schedule(team.agents["ana"]))["intervals"] == [interval]
        with pytest.raises(ActionRefused) as refused:
            await shifts.set_schedule(team.agents["ana"], "UTC", [{**interval, "day": 9}])
        assert refused.value.status == 422 and refused.value.field == "intervals[0].day"

        board = await shifts.board()
        [a] = [t for t in board.teams if t.team == "a"]
        assert [m.name for m in a.on_now] == ["Ben"] and [m.name for m in a.next] == ["Ana"]
        assert a.next[0].next_shift_start == saved["next_shift_start"]
        with pytest.raises(ActionRefused) as refused:
            await mine.board()  # the board is for supervisors
        assert refused.value.status == 403

        await ana.heartbeat(Presence("online", (team.account_id,)))
        await admin.call("DELETE", f"/v1/agents/{team.agents['ana']}/shifts", "clear")  # on
        event = TeamEvent(EventType.CUSTOMER_MESSAGE, team.account_id, Contact("+4471"), text="hi")
        await ana.post_events([event])
        [conv] = await ana.call("GET", "/v1/conversations", "list")
        assert await mine.keep(conv["id"], True) is True
        assert await mine.keep(conv["id"], False) is False
        with pytest.raises(ValueError):
            await mine.keep("../agents", True)


def test_malformed_answers_and_other_pushes_are_left_out() -> None:
    assert board_from(None).teams == ()
    board = board_from({"at": 5, "teams": [7, {"team": 3, "on_now": [{"agent_id": "x"}, 1]}]})
    assert board.at == 5.0 and board.teams[0].team is None
    assert [m.name for m in board.teams[0].on_now] == ["x"]
    assert notice_from({"kind": "collision", "message": "m"}) is None
    assert notice_from({"kind": "shift_ending", "message": "m"}) is None  # no end: no notice
    listed = [{"conversation_id": "c1", "kept": 1}, {"x": 1}]
    notice = notice_from(
        {"kind": "shift_ending", "message": "m", "shift_end": 10, "conversations": listed}
    )
    assert notice is not None and [(i.conversation_id, i.kept) for i in notice.items] == [
        ("c1", True)
    ]
