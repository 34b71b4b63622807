"""The supervisor board's figures, and its reads and rules editor against the real server."""

from __future__ import annotations

import time
from typing import Any

import pytest

from relaydesk.sync.client import MemoryTokenStore, Presence, TeamClient
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.supervisor import (
    AgentView,
    ConversationView,
    RulesRejected,
    SupervisorApi,
    board_warnings,
    summarize_board,
)

ADMIN_PASSWORD = "admin-pass-1234"
AGENT_PASSWORD = "agent-pass-1234"


def _agent(agent_id: str, status: str = "online", capacity: int | None = 2,
           active: bool = True) -> AgentView:  # fmt: skip
    return AgentView(agent_id, agent_id, agent_id.title(), "agent", status, capacity, "a", active)


def _conversation(n: int, state: str, owner: str | None = None,
                  waiting_since: float | None = None) -> ConversationView:  # fmt: skip
    return ConversationView(f"c{n}", "acc", state, owner, 100.0 + n, waiting_since, 0, "normal")


def test_the_board_shows_load_against_capacity_and_the_oldest_wait() -> None:
    agents = [_agent("ben", "away"), _agent("ana"), _agent("old", active=False)]
    conversations = [
        _conversation(1, "assigned", "ana"), _conversation(2, "assigned", "ana"),
        _conversation(3, "assigned", "ana"), _conversation(4, "assigned", "ben"),
        _conversation(5, "queued", waiting_since=940.0), _conversation(6, "queued"),
        _conversation(7, "closed", "ben"),
    ]  # fmt: skip
    board = summarize_board(agents, conversations, now=1000.0)
    assert [(row.agent.id, row.open_conversations, row.over_capacity) for row in board.agents] == [
        ("ana", 3, True), ("ben", 1, False)
    ]  # online first, the inactive agent left out  # fmt: skip
    assert board.waiting == 2
    assert board.oldest_wait_s == pytest.approx(1000.0 - 106.0)  # c6 waits since it opened


def test_an_empty_queue_has_no_oldest_wait() -> None:
    board = summarize_board([_agent("ana", capacity=None)], [], now=5.0)
    assert board.waiting == 0 and board.oldest_wait_s is None
    assert not board.agents[0].over_capacity


def test_warnings_name_overload_lapsed_replies_collisions_and_short_forecast_hours() -> None:
    agents = [_agent("ana", capacity=1), _agent("ben"), _agent("cy", "away")]
    late = ConversationView("c9", "acc", "assigned", "ben", 100.0, None, 0, "normal", 930.0)
    on_time = ConversationView("c8", "acc", "assigned", "ben", 100.0, None, 0, "normal", 1200.0)
    conversations = [_conversation(1, "assigned", "ana"), _conversation(2, "assigned", "ana"),
                     late, on_time]  # fmt: skip
    board = summarize_board(agents, conversations, now=1000.0)
    hours = [{"hour": 9, "recommended_agents": 2}, {"hour": 10, "recommended_agents": 3},
             {"hour": 11, "recommended_agents": 1}]  # fmt: skip
    warnings = board_warnings(board, conversations, hours, {"ben": 1, "ana": 0}, now=1000.0)
    assert [(w.kind, w.text) for w in warnings] == [
        ("over_capacity", "Ana holds 2 of 1"),
        ("lapsed_reply", "Ben: no reply, 70 s past the deadline (c9)"),
        ("collision", "Ben: 1 collision(s) today"),
        ("overload_forecast", "tomorrow 10:00 need up to 3 agents; 2 online now"),
    ]
    # The values the desktop words them from, in the UI's language.
    over, lapsed, collision, forecast = warnings
    assert (over.agent, over.count, over.limit) == ("Ana", 2, 1)
    assert (lapsed.agent, lapsed.account_id, lapsed.conversation_id) == ("Ben", "acc", "c9")
    assert lapsed.late_s == pytest.approx(70.0)
    assert (collision.agent, collision.count) == ("Ben", 1)
    assert (forecast.hours, forecast.count, forecast.limit) == ((10,), 3, 2)
    calm = board_warnings(summarize_board(agents, [], 1000.0), [], hours[2:], {}, 1000.0)
    assert calm == []


@pytest.mark.slow
async def test_board_and_rules_editor_against_the_real_server(team: Any) -> None:
    url = team.server.url
    async with TeamClient(url, MemoryTokenStore()) as admin, \
            TeamClient(url, MemoryTokenStore()) as ana:  # fmt: skip
        await admin.login("admin", ADMIN_PASSWORD)
        await ana.login("ana", AGENT_PASSWORD)
        supervisor = SupervisorApi(admin)
        events = [TeamEvent(EventType.CUSTOMER_MESSAGE, team.account_id, Contact(f"+1888{n:04d}"),
                            text=f"hello {n}") for n in range(3)]  # fmt: skip
        assert (await admin.post_events(events)).accepted == 3  # nobody online: all wait
        board = await supervisor.board(now=time.time())
        assert board.waiting == 3 and board.oldest_wait_s is not None
        queued = await supervisor.conversations("queued")
        assert all(c.contact_id for c in queued)  # the customer, named on a lapsed reply
        assert (await supervisor.contact_name(queued[0].id)).startswith("+1888")

        await ana.heartbeat(Presence("online", (team.account_id,)))  # ana takes the queue
        board = await supervisor.board(now=time.time())
        loads = {row.agent.login: row.open_conversations for row in board.agents}
        assert loads["ana"] == 3 and board.waiting == 0
        assert board.agents[0].agent.login == "ana"  # online agents first

        rules = await supervisor.rules()
        assert "policy" in rules and (await supervisor.rules_schema())
        with pytest.raises(RulesRejected, match="not saved") as refused:
            await supervisor.save_rules({**rules, "offline_grace_s": -5})
        assert refused.value.field is not None and "offline_grace_s" in refused.value.field
        stored = await supervisor.save_rules({**rules, "offline_grace_s": 90})
        assert stored["offline_grace_s"] == 90
