"""A conversation given back to routing never goes straight back to the agent who gave it."""

from __future__ import annotations

from relaydesk.domain.decisions import Assigned, Queued
from relaydesk.domain.engine import Dispatcher
from relaydesk.domain.models import Agent, AgentStatus, Conversation
from relaydesk.domain.rules import RoutingRules


def _agent(agent_id: str, status: AgentStatus = AgentStatus.ONLINE) -> Agent:
    return Agent(agent_id, capacity=2, status=status, accounts=frozenset({"acc"}))


def test_a_release_by_the_only_agent_online_queues_until_someone_else_can_take_it() -> None:
    d = Dispatcher(RoutingRules())
    d.add_agent(_agent("a"))
    d.add_agent(_agent("b", AgentStatus.OFFLINE))
    d.open_conversation(Conversation("c", "acc", "contact", 0.0), 0.0)
    assert d.conversations["c"].owner_id == "a"
    out = d.transfer("c", None, 5.0)
    assert not [x for x in out if isinstance(x, Assigned)]  # not back to a, not from the queue
    assert any(isinstance(x, Queued) for x in out)
    assert d.conversations["c"].owner_id is None
    assert not [x for x in d.advance(700.0) if isinstance(x, Assigned)]  # a still has room
    out = d.set_status("b", AgentStatus.ONLINE, 701.0)
    assert Assigned("c", "b", 701.0, "queue") in out
