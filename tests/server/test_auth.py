"""Logins: random tokens stored hashed, revocable on logout, guessers slowed down."""

from __future__ import annotations

import sqlite3


async def test_login_gives_a_token_that_opens_the_api(server) -> None:
    answer = await server.call("admin", "GET", "/v1/agents")
    assert answer.status_code == 200
    assert [a["login"] for a in answer.json()] == ["admin"]
    assert answer.json()[0]["role"] == "admin"


async def test_requests_without_or_with_a_wrong_token_are_refused(server) -> None:
    answer = await server.call(None, "GET", "/v1/agents")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"
    async with server.client() as http:
        answer = await http.get("/v1/agents", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401


async def test_tokens_are_stored_hashed(server) -> None:
    path = server.db.split(":///", 1)[1]
    with sqlite3.connect(path) as db:
        stored = [r[0] for r in db.execute("SELECT token_hash FROM tokens")]
    assert stored and server.tokens["admin"] not in stored
    assert all(len(h) == 64 for h in stored)


async def test_two_logins_get_different_tokens(server) -> None:
    first = server.tokens["admin"]
    second = await server.login("admin", server.admin_password)
    assert first != second


async def test_logout_revokes_only_that_token(server) -> None:
    other = await server.login("admin", server.admin_password)
    server.tokens["admin-2"] = other
    await server.login("admin", server.admin_password)
    answer = await server.call("admin", "POST", "/v1/auth/logout")
    assert answer.status_code == 204
    assert (await server.call("admin", "GET", "/v1/agents")).status_code == 401
    assert (await server.call("admin-2", "GET", "/v1/agents")).status_code == 200


async def test_wrong_password_is_refused_without_saying_which_part_was_wrong(server) -> None:
    for login in ("admin", "nobody"):
        answer = await server.call(
            None, "POST", "/v1/auth/login", {"login": login, "password": "wrong"}
        )
        assert answer.status_code == 401
        assert answer.json()["error"]["message"] == "Wrong login or password."


async def test_repeated_failures_slow_down_even_the_right_password(server) -> None:
    wrong = {"login": "admin", "password": "wrong"}
    codes = [
        (await server.call(None, "POST", "/v1/auth/login", wrong)).status_code for _ in range(6)
    ]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    right = {"login": "admin", "password": server.admin_password}
    answer = await server.call(None, "POST", "/v1/auth/login", right)
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) >= 1
    assert "try again in" in answer.json()["error"]["message"]


async def test_deactivated_agent_can_no_longer_use_the_api(server) -> None:
    ana = await server.add_agent("ana")
    assert (await server.call("ana", "GET", "/v1/conversations")).status_code == 200
    answer = await server.call("admin", "PATCH", f"/v1/agents/{ana}", {"active": False})
    assert answer.status_code == 200
    assert (await server.call("ana", "GET", "/v1/conversations")).status_code == 401
    login = {"login": "ana", "password": server.agent_password}
    assert (await server.call(None, "POST", "/v1/auth/login", login)).status_code == 401


async def test_agents_may_not_use_admin_endpoints(server) -> None:
    await server.add_agent("ana")
    # GET /v1/agents is open to everyone for their own team (tests/server/test_team_visibility.py).
    for method, path in (("POST", "/v1/agents"), ("GET", "/v1/accounts"), ("GET", "/v1/rules")):
        answer = await server.call("ana", method, path)
        assert answer.status_code == 403, path
        assert answer.json()["error"]["code"] == "forbidden"
