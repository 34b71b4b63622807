"""Admin: agents and accounts, the rules document, errors naming the field, size limits."""

from __future__ import annotations


async def test_healthz_needs_no_token(server) -> None:
    answer = await server.call(None, "GET", "/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


async def test_openapi_is_published(server) -> None:
    answer = await server.call(None, "GET", "/openapi.json")
    assert answer.status_code == 200
    assert "/v1/events" in answer.json()["paths"]


async def test_agents_are_created_listed_and_changed(server) -> None:
    ana = await server.add_agent(
        "ana", capacity=4, skills=["billing"], languages=["es", "en"], team="a"
    )
    listed = {a["login"]: a for a in (await server.call("admin", "GET", "/v1/agents")).json()}
    assert listed["ana"]["capacity"] == 4
    assert listed["ana"]["languages"] == ["en", "es"]
    assert "password" not in listed["ana"] and "password_hash" not in listed["ana"]
    answer = await server.call(
        "admin", "PATCH", f"/v1/agents/{ana}", {"capacity": 6, "role": "supervisor"}
    )
    assert answer.json()["capacity"] == 6 and answer.json()["role"] == "supervisor"
    assert answer.json()["skills"] == ["billing"]


async def test_a_login_is_unique(server) -> None:
    await server.add_agent("ana")
    body = {"login": "ana", "password": "long-enough-1"}
    answer = await server.call("admin", "POST", "/v1/agents", body)
    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "login"


async def test_bad_input_is_a_4xx_naming_the_field(server) -> None:
    answer = await server.call(
        "admin", "POST", "/v1/agents", {"login": "x", "password": "long-enough-1", "capacity": -1}
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == "capacity"
    assert error["message"].startswith("capacity:")
    answer = await server.call("admin", "POST", "/v1/agents", {"login": "x", "password": "short"})
    assert answer.json()["error"]["field"] == "password"
    answer = await server.call("admin", "POST", "/v1/agents", {"login": "x", "pasword": "x"})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] in ("password", "pasword")


async def test_malformed_json_is_a_clear_4xx(server) -> None:
    async with server.client("admin") as http:
        answer = await http.post(
            "/v1/agents", content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid"


async def test_unknown_paths_and_methods_answer_json(server) -> None:
    answer = await server.call("admin", "GET", "/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    answer = await server.call("admin", "DELETE", "/v1/agents")
    assert answer.status_code == 405


async def test_a_body_over_the_limit_is_refused_with_413(make_server) -> None:
    server = await make_server(max_body_bytes=2_000)
    body = {"login": "x" * 100, "name": "y" * 5_000, "password": "long-enough-1"}
    answer = await server.call("admin", "POST", "/v1/agents", body)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"

    async def chunks():
        for _ in range(10):
            yield b"x" * 500

    async with server.client("admin") as http:  # no Content-Length: counted while read
        answer = await http.post(
            "/v1/agents", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 413
    assert (await server.call(None, "GET", "/healthz")).status_code == 200


async def test_accounts_are_created_with_members_and_changed(server) -> None:
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+15550100", [ana], shared=True, team="a")
    answer = await server.call("admin", "PATCH", f"/v1/accounts/{account}", {"members": [ana, ben]})
    assert answer.status_code == 200
    assert answer.json()["members"] == sorted([ana, ben])
    listed = (await server.call("admin", "GET", "/v1/accounts")).json()
    assert [(a["platform"], a["handle"], a["shared"]) for a in listed] == [
        ("whatsapp", "+15550100", True)
    ]


async def test_account_members_must_exist_and_handles_are_unique(server) -> None:
    body = {"platform": "telegram", "handle": "shop", "members": ["ghost"]}
    answer = await server.call("admin", "POST", "/v1/accounts", body)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "members"
    await server.add_account("+1", [])
    answer = await server.call(
        "admin", "POST", "/v1/accounts", {"platform": "whatsapp", "handle": "+1"}
    )
    assert answer.status_code == 409
    body = {"platform": "myspace", "handle": "x"}
    answer = await server.call("admin", "POST", "/v1/accounts", body)
    assert answer.json()["error"]["field"] == "platform"


async def test_rules_default_then_replaced_and_validated(server) -> None:
    rules = (await server.call("admin", "GET", "/v1/rules")).json()
    assert rules["offline_grace_s"] == 60
    assert rules["max_auto_handoffs"] == 2
    schema = (await server.call(None, "GET", "/v1/rules/schema")).json()
    assert "policy" in schema["properties"]
    rules["policy"] = "round_robin"
    rules["offline_grace_s"] = 30
    answer = await server.call("admin", "PUT", "/v1/rules", rules)
    assert answer.status_code == 200, answer.text
    again = (await server.call("admin", "GET", "/v1/rules")).json()
    assert again["policy"] == "round_robin" and again["offline_grace_s"] == 30
    answer = await server.call("admin", "PUT", "/v1/rules", {**rules, "policy": "coin_toss"})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "policy"
    answer = await server.call("admin", "PUT", "/v1/rules", {**rules, "offline_grace_s": "soon"})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "offline_grace_s"
    assert (await server.call("admin", "GET", "/v1/rules")).json()["policy"] == "round_robin"
