"""The collision guard's cache against the real server: on a shared account, the owner sees
"assigned to you", a colleague sees "owned by" and must confirm before replying."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from relaydesk.sync.client import MemoryTokenStore, Presence, TeamClient
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.outbox import SqliteOutbox
from relaydesk.sync.ownership import OwnershipBook, ReplyGuard, ReplyVerdict
from relaydesk.sync.stream import ConnectionState, PushStream

AGENT_PASSWORD = "agent-pass-1234"
HANDLE = "+15557654321"


def test_banners_say_what_the_agent_must_know() -> None:
    assert ReplyGuard(ReplyVerdict.FREE).banner() is None
    assert ReplyGuard(ReplyVerdict.MINE, "c1", "a1").banner() == "Assigned to you."
    other = ReplyGuard(ReplyVerdict.OWNED_BY_OTHER, "c1", "a2", "Ana")
    assert other.banner() == "Owned by Ana." and other.needs_confirmation


async def _until(condition: Any, timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition did not come true in time")


@pytest.mark.slow
async def test_owner_and_colleague_see_the_same_conversation_differently(
    team: Any, tmp_path: Path
) -> None:
    ana_id, ben_id = team.agents["ana"], team.agents["ben"]
    url = team.server.url
    cursor = SqliteOutbox(tmp_path / "ana-sync.db")
    async with TeamClient(url, MemoryTokenStore()) as ana, \
            TeamClient(url, MemoryTokenStore()) as ben:  # fmt: skip
        await ana.login("ana", AGENT_PASSWORD)
        await ben.login("ben", AGENT_PASSWORD)
        await ana.heartbeat(Presence("online", (team.account_id,)))
        ana_book = OwnershipBook(ana)
        ben_book = OwnershipBook(ben, names={ana_id: "Ana"})
        stream = PushStream(ana, cursor)
        stream.subscribe(ana_book.apply)  # ana's book follows her pushes
        task = asyncio.create_task(stream.run())
        await stream.wait_for(ConnectionState.CONNECTED)
        assert ben_book.guard_reply(team.account_id, HANDLE, ben_id).verdict is ReplyVerdict.FREE

        message = TeamEvent(EventType.CUSTOMER_MESSAGE, team.account_id, Contact(HANDLE),
                            text="Is my order on its way?")  # fmt: skip
        await ana.post_events([message])

        def ana_verdict() -> ReplyVerdict:
            return ana_book.guard_reply(team.account_id, HANDLE, ana_id).verdict

        await _until(lambda: ana_verdict() is ReplyVerdict.MINE)

        await ben_book.refresh()
        theirs = ben_book.guard_reply(team.account_id, HANDLE, ben_id)
        assert theirs.needs_confirmation and theirs.banner() == "Owned by Ana."
        assert theirs.owner_id == ana_id and theirs.conversation_id is not None
        assert ben_book.guard_reply(team.account_id, "+10000000000", ben_id).verdict is (
            ReplyVerdict.FREE
        )

        await ana.close_conversation(theirs.conversation_id)
        await _until(lambda: ana_verdict() is ReplyVerdict.FREE)
        await ben_book.refresh()
        assert ben_book.guard_reply(team.account_id, HANDLE, ben_id).verdict is ReplyVerdict.FREE
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    cursor.close()


async def test_a_push_naming_the_contact_fills_the_book_without_a_server_read() -> None:
    import httpx

    from relaydesk.sync.client import Credential
    from relaydesk.sync.pushes import parse_push

    calls: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(500)

    tokens = MemoryTokenStore()
    tokens.save("http://team.test", Credential("tok", "ana", "agent"))
    async with TeamClient("http://team.test", tokens,
                          transport=httpx.MockTransport(refuse)) as client:  # fmt: skip
        book = OwnershipBook(client, names={"ben": "Ben"})
        push = {"seq": 1, "type": "assigned", "at": 10.0, "conversation_id": "c1",
                "account_id": "acc", "contact_id": "k1", "contact_handle": "+44700",
                "owner_id": "ben", "state": "assigned", "reply_deadline": 130.0}  # fmt: skip
        await book.apply(parse_push(push))
        guard = book.guard_reply("acc", "+44700", "ana")
        assert (guard.verdict, guard.owner_name, guard.conversation_id) == (
            ReplyVerdict.OWNED_BY_OTHER, "Ben", "c1")  # fmt: skip
        assert [(o.conversation_id, o.handle, o.owner_name) for o in book.open_chats()] == [
            ("c1", "+44700", "Ben")]  # fmt: skip
        closed = {**push, "seq": 2, "type": "owner_changed", "owner_id": None, "state": "closed"}
        await book.apply(parse_push(closed))
        assert book.open_chats() == []
        assert book.guard_reply("acc", "+44700", "ana").verdict is ReplyVerdict.FREE
    assert calls == []  # everything came with the pushes
