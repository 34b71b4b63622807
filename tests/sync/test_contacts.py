"""When the team first saw a contact: the call against the real team server, and the book that
asks about each contact once."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from relaydesk.sync.client import Credential, MemoryTokenStore, TeamClient
from relaydesk.sync.contacts import ContactRef as Ref
from relaydesk.sync.contacts import FirstSeenBook, team_first_seen
from relaydesk.sync.errors import ActionRefused, IncompatibleServer, ServerUnreachable
from relaydesk.sync.events import Contact, EventType, TeamEvent

AGENT_PASSWORD = "agent-pass-1234"
DAY = 86400.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_book_asks_about_each_contact_once_and_about_absent_ones_again_later() -> None:
    clock = Clock()
    book = FirstSeenBook(recheck_absent_s=300, clock=clock)
    a, b, c = Ref("acc", "+1"), Ref("acc", "+2"), Ref("acc", "+3")
    assert book.to_ask([a, b, a]) == [a, b]
    book.learn([a, b], {a: 50.0})
    assert book.known([a, b, c]) == {a: 50.0}
    assert book.to_ask([a, b, c]) == [c]  # b was absent a moment ago: not asked again yet
    clock.now += 299
    assert book.to_ask([a, b]) == []
    clock.now += 1
    assert book.to_ask([a, b]) == [b]  # a colleague's workstation may have uploaded it since
    book.learn([b], {b: 70.0})
    assert book.known([a, b]) == {a: 50.0, b: 70.0} and book.to_ask([a, b]) == []
    book.clear()
    assert book.known([a, b]) == {} and book.to_ask([a, b]) == [a, b]


async def _client(url: str, login: str) -> TeamClient:
    client = TeamClient(url, MemoryTokenStore(), timeout_s=5.0)
    await client.login(login, AGENT_PASSWORD)
    return client


def _second_account(team: Any) -> str:
    """Ben's own WhatsApp account in team a (the shared one is ``team.account_id``)."""
    with team.admin() as http:
        answer = http.post(
            "/v1/accounts",
            json={
                "platform": "whatsapp",
                "handle": "+15550199",
                "team": "a",
                "members": [team.agents["ben"]],
            },
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


@pytest.mark.slow
async def test_first_seen_times_come_from_the_team_in_batches(team: Any) -> None:
    ben_account = _second_account(team)
    ana, ben = await _client(team.server.url, "ana"), await _client(team.server.url, "ben")
    try:
        yesterday = time.time() - DAY
        seen_by_ben = TeamEvent(EventType.CUSTOMER_MESSAGE, ben_account, Contact("+447711100123"),
                                ts=yesterday, text="hello")  # fmt: skip
        assert (await ben.post_events([seen_by_ben])).accepted == 1
        # Over two batches' worth: the call splits them (the server takes 500 at a time).
        unknown = [Ref(team.account_id, f"+4477009{n:05d}") for n in range(1, 1101)]
        asked = [*unknown[:700], Ref(team.account_id, "+447711100123"), *unknown[700:]]
        found = await team_first_seen(ana, asked)
        assert found == {Ref(team.account_id, "+447711100123"): pytest.approx(yesterday)}

        book = FirstSeenBook()
        assert await book.update(ana, asked) == len(asked)
        assert await book.update(ana, asked) == 0  # all answered: nothing asked again
        assert book.known(asked) == found
    finally:
        await ana.aclose()
        await ben.aclose()


@pytest.mark.slow
async def test_a_foreign_account_is_refused_and_an_outage_teaches_nothing(team: Any) -> None:
    ana = await _client(team.server.url, "ana")
    try:
        with pytest.raises(ActionRefused) as refused:
            await team_first_seen(ana, [Ref(team.account_id, "+1"), Ref("not-ours", "+1")])
        assert refused.value.field == "contacts[1].account_id"
        book = FirstSeenBook()
        team.server.stop()
        contact = Ref(team.account_id, "+447711100123")
        with pytest.raises(ServerUnreachable):
            await book.update(ana, [contact])
        assert book.to_ask([contact]) == [contact]  # asked again when the server is back
    finally:
        await ana.aclose()


async def test_an_answer_that_is_not_the_api_is_told_as_such() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"rows": []})

    tokens = MemoryTokenStore()
    client = TeamClient("http://team.test", tokens, transport=httpx.MockTransport(reply))
    client.sign_in_with(Credential("t", "ana", "agent"))
    try:
        with pytest.raises(IncompatibleServer):
            await team_first_seen(client, [Ref("acc", "+1")])
        assert await team_first_seen(client, []) == {}  # nothing asked: no call
    finally:
        await client.aclose()
