"""``conversation_wait`` against the real team server on loopback, and the answers it refuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from relaydesk.domain.waiting import WaitBasis
from relaydesk.sync.client import Credential, MemoryTokenStore, Presence, TeamClient
from relaydesk.sync.errors import ActionRefused, IncompatibleServer
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.waiting import conversation_wait, parse_wait

AGENT_PASSWORD = "agent-pass-1234"


async def test_wait_of_a_queued_conversation_from_the_real_server(team: Any) -> None:
    async with TeamClient(team.server.url, MemoryTokenStore(), timeout_s=5.0) as ana:
        await ana.login("ana", AGENT_PASSWORD)
        # nobody online yet: queued, and the server says so without a figure
        event = TeamEvent(EventType.CUSTOMER_MESSAGE, team.account_id, Contact("+4471"), text="hi")
        await ana.post_events([event])
        [conv] = await ana.call("GET", "/v1/conversations", "list")
        wait = await conversation_wait(ana, conv["id"])
        assert wait.state == "queued" and wait.owner_id is None
        assert wait.estimate.must_wait and wait.estimate.basis is WaitBasis.NOBODY_ONLINE
        assert wait.estimate.high_s is None

        await ana.heartbeat(Presence("online", (team.account_id,)))  # takes it
        wait = await conversation_wait(ana, conv["id"])
        assert wait.state == "assigned" and wait.owner_id == team.agents["ana"]
        assert wait.estimate.basis is WaitBasis.AGENT and wait.estimate.position == 1
        assert not wait.estimate.must_wait

        with pytest.raises(ActionRefused) as refused:
            await conversation_wait(ana, "no-such-conversation")
        assert refused.value.status == 404
        with pytest.raises(ValueError):
            await conversation_wait(ana, "a/b")


async def test_an_answer_that_is_not_a_wait_is_refused() -> None:
    with pytest.raises(IncompatibleServer):
        parse_wait({"hello": 1}, "http://team.test")
    with pytest.raises(IncompatibleServer):
        parse_wait({"must_wait": True, "basis": "guess"}, "http://team.test")

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[1, 2])

    tokens = MemoryTokenStore()
    async with TeamClient("http://team.test", tokens, transport=httpx.MockTransport(reply)) as c:
        c.sign_in_with(Credential("t", "a", "agent"))
        with pytest.raises(IncompatibleServer):
            await conversation_wait(c, "abc")
