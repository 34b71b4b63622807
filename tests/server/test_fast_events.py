"""``POST /v1/events`` below FastAPI's routing (relaydesk.server.fast_events): the well-formed
requests are answered by the fast path, every other one by the route, and both answer alike."""

from __future__ import annotations

import json
from typing import Any

import pytest

from relaydesk.server import fast_events


@pytest.fixture
def fast_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many events each request the fast path applied carried."""
    calls: list[int] = []
    real = fast_events.apply_events

    async def counted(state: Any, caller: Any, body: Any) -> Any:
        calls.append(len(body.events))
        return await real(state, caller, body)

    monkeypatch.setattr(fast_events, "apply_events", counted)
    return calls


async def _shop(server: Any) -> str:
    ana = await server.add_agent("ana", team="a", capacity=3)
    account = await server.add_account("+15550100", [ana], team="a")
    await server.heartbeat("ana", [account])
    return str(account)


async def test_a_valid_batch_is_applied_by_the_fast_path(server, fast_calls) -> None:
    account = await _shop(server)
    events = [server.message(f"e{i}", account, f"+44{i}", 1000.0 + i) for i in range(3)]
    answer = await server.call("ana", "POST", "/v1/events", {"events": [*events, events[0]]})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"accepted": 3, "duplicates": 1}
    assert answer.headers["content-type"] == "application/json"
    assert fast_calls == [4]
    rows = (await server.call("admin", "GET", "/v1/conversations")).json()
    assert len(rows) == 3 and {r["state"] for r in rows} == {"assigned"}


async def test_an_unknown_account_is_refused_as_the_route_refuses_it(server, fast_calls) -> None:
    await _shop(server)
    event = server.message("e1", "no-such-account", "+4477", 1000.0)
    answer = await server.call("ana", "POST", "/v1/events", {"events": [event]})
    assert fast_calls == [1]  # applied by the fast path, and refused inside the transaction
    assert answer.status_code == 422
    assert answer.json() == {
        "error": {
            "code": "invalid",
            "message": "No such account of yours: no-such-account.",
            "field": "events[0].account_id",
        }
    }


@pytest.mark.parametrize(
    ("headers", "body", "status", "code", "field"),
    [
        ({"Authorization": "Bearer not-a-token"}, None, 401, "unauthorized", None),
        ({"Authorization": "Basic abc"}, None, 401, "unauthorized", None),
        ({}, b"{not json", 422, "invalid", None),
        ({}, b'{"events": [{"id": "x"}]}', 422, "invalid", "events[0].type"),
        ({}, b'{"events": "none"}', 422, "invalid", "events"),
        ({"Content-Type": "text/plain"}, None, 422, "invalid", None),
    ],
)
async def test_what_the_fast_path_does_not_take_the_route_answers(
    server, fast_calls, headers, body, status, code, field
) -> None:
    account = await _shop(server)
    good = {"events": [server.message("e1", account, "+4477", 1000.0)]}
    async with server.client("ana") as http:
        answer = await http.post(
            "/v1/events",
            content=body if body is not None else json.dumps(good).encode(),
            headers={"Content-Type": "application/json", **headers},
        )
    assert fast_calls == []
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    if field is not None:
        assert error["field"] == field
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_body_over_the_limit_is_refused_before_anything_is_applied(
    make_server, fast_calls
) -> None:
    server = await make_server(max_body_bytes=2_000)
    account = await _shop(server)
    events = [server.message(f"e{i}", account, f"+44{i}", 1000.0, "x" * 200) for i in range(20)]
    answer = await server.call("ana", "POST", "/v1/events", {"events": events})
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert fast_calls == []
    assert (await server.call("admin", "GET", "/v1/conversations")).json() == []


async def test_the_endpoint_is_still_in_the_openapi_document(server) -> None:
    paths = (await server.call(None, "GET", "/openapi.json")).json()["paths"]
    assert "post" in paths["/v1/events"]
