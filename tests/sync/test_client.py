"""TeamClient: sign-in through the TokenStore, heartbeats, actions, and one clear error each."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from relaydesk.sync.client import Credential, MemoryTokenStore, Presence, TeamClient
from relaydesk.sync.errors import (
    ActionRefused,
    IncompatibleServer,
    NotSignedIn,
    ServerUnreachable,
    TokenRevoked,
    TooManyAttempts,
    WrongPassword,
)

URL = "http://team.test"


async def _signed_in(stand_in: Any) -> tuple[TeamClient, MemoryTokenStore]:
    tokens = MemoryTokenStore()
    client = TeamClient(URL, tokens, transport=stand_in.transport())
    await client.login("ana", stand_in.password)
    return client, tokens


async def test_sign_in_hands_the_token_to_the_store(stand_in: Any) -> None:
    client, tokens = await _signed_in(stand_in)
    async with client:
        assert tokens.load(URL) == Credential("tok-1", "agent-1", "agent")
        assert await client.check_server() == "0.test"


async def test_wrong_password_says_so_and_stores_nothing(stand_in: Any) -> None:
    tokens = MemoryTokenStore()
    async with TeamClient(URL, tokens, transport=stand_in.transport()) as client:
        with pytest.raises(WrongPassword, match="refused the login 'ana': wrong login or password"):
            await client.login("ana", "not-it")
    assert tokens.load(URL) is None


async def test_a_guesser_is_told_when_to_try_again(stand_in: Any) -> None:
    async with TeamClient(URL, MemoryTokenStore(), transport=stand_in.transport()) as client:
        for _ in range(3):
            with pytest.raises(WrongPassword):
                await client.login("ana", "guess")
        with pytest.raises(TooManyAttempts, match="new try in 42 s") as slowed:
            await client.login("ana", stand_in.password)
    assert slowed.value.retry_after_s == 42


async def test_an_unreachable_server_is_named_with_its_address() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with TeamClient(f"http://127.0.0.1:{port}", MemoryTokenStore()) as client:
        with pytest.raises(ServerUnreachable, match=f"127.0.0.1:{port} cannot be reached"):
            await client.login("ana", "x")


async def test_a_server_without_api_v1_is_incompatible() -> None:
    def old_server(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "ok", "api": ["v2"]})
        return httpx.Response(404, json={"detail": "Not Found"})

    transport = httpx.MockTransport(old_server)
    async with TeamClient(URL, MemoryTokenStore(), transport=transport) as client:
        with pytest.raises(IncompatibleServer, match="does not speak the Relaydesk team API v1"):
            await client.login("ana", "x")
        with pytest.raises(IncompatibleServer, match="offers v2"):
            await client.check_server()


async def test_a_web_page_instead_of_a_team_server_is_incompatible() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(200, text="<html>shop</html>"))
    async with TeamClient(URL, MemoryTokenStore(), transport=transport) as client:
        with pytest.raises(IncompatibleServer, match="no Relaydesk health answer"):
            await client.check_server()


async def test_a_revoked_token_is_forgotten_and_reported(stand_in: Any) -> None:
    client, tokens = await _signed_in(stand_in)
    async with client:
        stand_in.revoked = True
        with pytest.raises(TokenRevoked, match="sign in again"):
            await client.heartbeat(Presence())
        assert tokens.load(URL) is None
        with pytest.raises(NotSignedIn):
            await client.heartbeat(Presence())


async def test_heartbeat_carries_status_open_accounts_and_load(stand_in: Any) -> None:
    client, _ = await _signed_in(stand_in)
    async with client:
        grace = await client.heartbeat(Presence("away", ("acc-1", "acc-2"), {"open_chats": 3}))
    assert grace == 60
    assert stand_in.calls[-1] == (
        "POST",
        "/v1/heartbeat",
        {"status": "away", "open_accounts": ["acc-1", "acc-2"], "load": {"open_chats": 3.0}},
    )


async def test_transfer_release_and_close_hit_the_conversation(stand_in: Any) -> None:
    client, _ = await _signed_in(stand_in)
    async with client:
        await client.transfer("c1", "agent-2")
        await client.release("c1")
        await client.close_conversation("c1")
        with pytest.raises(ActionRefused, match="refused to close the conversation: No such"):
            await client.close_conversation("gone")
        with pytest.raises(ValueError, match="not a conversation id"):
            await client.release("../agents")
    assert stand_in.calls[-4:-1] == [
        ("POST", "/v1/conversations/c1/transfer", {"to_agent_id": "agent-2"}),
        ("POST", "/v1/conversations/c1/transfer", {}),
        ("POST", "/v1/conversations/c1/close", None),
    ]


async def test_sign_out_revokes_on_the_server_and_forgets_locally(stand_in: Any) -> None:
    client, tokens = await _signed_in(stand_in)
    async with client:
        await client.logout()
    assert stand_in.revoked and tokens.load(URL) is None


async def test_sign_out_while_offline_still_forgets_the_token(stand_in: Any) -> None:
    client, tokens = await _signed_in(stand_in)
    async with client:
        stand_in.down = True
        await client.logout()
    assert tokens.load(URL) is None


def test_an_address_without_scheme_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="starts with http:// or https://"):
        TeamClient("team.example.com", MemoryTokenStore())


async def test_heartbeats_repeat_at_the_interval_and_survive_an_outage(stand_in: Any) -> None:
    import asyncio

    client, _ = await _signed_in(stand_in)
    presence = Presence("online", ("acc-1",))
    task = asyncio.create_task(client.run_heartbeats(lambda: presence, interval_s=0.05))

    def beats() -> int:
        return sum(1 for c in stand_in.calls if c[1] == "/v1/heartbeat")

    await asyncio.sleep(0.3)
    assert beats() >= 3
    stand_in.down = True
    await asyncio.sleep(0.2)
    during = beats()
    stand_in.down = False
    await asyncio.sleep(0.3)
    assert beats() >= during + 3  # it came back by itself
    assert not task.done()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await client.aclose()


async def test_heartbeats_end_with_the_reason_when_the_sign_in_is_revoked(stand_in: Any) -> None:
    import asyncio

    client, _ = await _signed_in(stand_in)
    stand_in.revoked = True
    with pytest.raises(TokenRevoked):
        await asyncio.wait_for(client.run_heartbeats(Presence, interval_s=0.05), timeout=5)
    await client.aclose()


async def test_a_refused_heartbeat_is_reported_but_does_not_stop_the_beat(stand_in: Any) -> None:
    import asyncio

    client, _ = await _signed_in(stand_in)
    stand_in.unknown_accounts = {"acc-gone"}
    presence = [Presence("online", ("acc-gone",))]
    task = asyncio.create_task(client.run_heartbeats(lambda: presence[0], interval_s=0.05))
    await asyncio.sleep(0.2)
    assert client.heartbeat_error is not None and "No such account" in client.heartbeat_error
    presence[0] = Presence("online", ("acc-1",))
    await asyncio.sleep(0.2)
    assert client.heartbeat_error is None and not task.done()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await client.aclose()


async def test_the_token_store_is_read_once_not_on_every_call(stand_in: Any) -> None:
    class CountingStore(MemoryTokenStore):
        loads = 0

        def load(self, server_url: str) -> Credential | None:
            CountingStore.loads += 1
            return super().load(server_url)

    tokens = CountingStore()
    tokens.save(URL, Credential("tok-1", "agent-1", "agent"))  # signed in on an earlier run
    async with TeamClient(URL, tokens, transport=stand_in.transport()) as client:
        for _ in range(5):
            await client.heartbeat(Presence())
    assert CountingStore.loads == 1  # a keyring read can take a while: not per request
