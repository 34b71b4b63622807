"""Split links: visitors sent to the chat of an account that can answer, by weight, quota, hours."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx


async def _shop(server: Any) -> dict[str, str]:
    """Two accounts (WhatsApp, Telegram), one agent on each, both online."""
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=5),
        "ben": await server.add_agent("ben", team="a", capacity=5),
    }
    ids["wa"] = await server.add_account("+1 555 0100", [ids["ana"]], team="a")
    answer = await server.call(
        "admin",
        "POST",
        "/v1/accounts",
        {"platform": "telegram", "handle": "@shop_help", "members": [ids["ben"]], "team": "a"},
    )
    ids["tg"] = answer.json()["id"]
    await server.heartbeat("ana", [ids["wa"]])
    await server.heartbeat("ben", [ids["tg"]])
    return ids


async def _link(server: Any, **body: Any) -> dict[str, Any]:
    answer = await server.call("admin", "POST", "/v1/links", {"slug": "promo", **body})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def _visit(
    server: Any, slug: str = "promo", cookies: dict[str, str] | None = None
) -> httpx.Response:
    async with server.client() as http:
        http.cookies.update(cookies or {})
        return await http.get(f"/r/{slug}", follow_redirects=False)


async def _host(server: Any, cookies: dict[str, str] | None = None) -> str:
    """Where one visit was sent: the deep link's host."""
    answer = await _visit(server, cookies=cookies)
    assert answer.status_code == 302, answer.text
    return urlsplit(answer.headers["location"]).netloc


def _clicks(server: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        return db.execute("SELECT account_id, is_returning FROM clicks ORDER BY id").fetchall()


async def test_a_visit_redirects_to_the_whatsapp_chat_with_the_prefilled_code(server) -> None:
    ids = await _shop(server)
    link = await _link(server, targets=[{"account_id": ids["wa"]}], message="Hi, I saw the ad")
    answer = await _visit(server)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert (location.netloc, location.path) == ("wa.me", "/15550100")
    assert parse_qs(location.query)["text"] == [f"Hi, I saw the ad #{link['code']}"]
    assert "relaydesk_visitor" in answer.cookies


async def test_the_code_in_the_first_message_marks_the_conversation_as_link_traffic(server) -> None:
    ids = await _shop(server)
    link = await _link(server, targets=[{"account_id": ids["wa"]}], message="Hi")
    text = f"Hi #{link['code']}"
    await server.events("ana", server.message("e1", ids["wa"], "+44", 1000.0, text))
    [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
    assert conv["source"] == "link"


async def test_weights_share_visitors_and_only_answering_accounts_qualify(server) -> None:
    ids = await _shop(server)
    await _link(
        server,
        targets=[{"account_id": ids["wa"], "weight": 3}, {"account_id": ids["tg"], "weight": 1}],
    )
    hosts = Counter([await _host(server) for _ in range(200)])
    assert hosts["wa.me"] + hosts["t.me"] == 200
    assert 110 <= hosts["wa.me"] <= 185  # 150 expected; generous for randomness
    await server.heartbeat("ana", [ids["wa"]], status="away")
    hosts = Counter([await _host(server) for _ in range(20)])
    assert hosts == {"t.me": 20}


async def test_a_daily_quota_caps_an_account(server) -> None:
    ids = await _shop(server)
    await _link(
        server,
        targets=[
            {"account_id": ids["wa"], "weight": 100, "daily_quota": 3},
            {"account_id": ids["tg"], "weight": 1},
        ],
    )
    hosts = [await _host(server) for _ in range(30)]
    assert hosts.count("wa.me") == 3


async def test_a_returning_visitor_goes_to_the_same_account(server) -> None:
    ids = await _shop(server)
    await _link(server, targets=[{"account_id": ids["wa"]}, {"account_id": ids["tg"]}])
    first = await _visit(server)
    cookie = {"relaydesk_visitor": first.cookies["relaydesk_visitor"]}
    hosts = {
        urlsplit((await _visit(server, cookies=cookie)).headers["location"]).netloc
        for _ in range(10)
    }
    assert hosts == {urlsplit(first.headers["location"]).netloc}
    await server.stop()  # a clean stop writes the clicks still kept for the next batch
    assert [r[1] for r in _clicks(server)] == [0] + [1] * 10


async def test_nobody_available_gives_a_clear_page_and_the_click_is_recorded(server) -> None:
    ids = await _shop(server)
    await _link(server, targets=[{"account_id": ids["wa"]}])
    await server.heartbeat("ana", [ids["wa"]], status="away")
    answer = await _visit(server)
    assert answer.status_code == 503
    assert "text/html" in answer.headers["content-type"]
    assert "busy or away" in answer.text
    await server.write_batches()
    assert _clicks(server) == [(None, 0)]


async def test_outside_working_hours_nobody_is_sent(server) -> None:
    ids = await _shop(server)
    closed_today = {"timezone": "UTC", "days": [], "start": "00:00", "end": "23:59"}
    await _link(server, targets=[{"account_id": ids["wa"]}], hours=closed_today)
    answer = await _visit(server)
    assert answer.status_code == 503 and "outside working hours" in answer.text


async def test_a_full_agent_does_not_get_link_visitors(server) -> None:
    ids = await _shop(server)
    await server.call("admin", "PATCH", f"/v1/agents/{ids['ana']}", {"capacity": 1})
    await server.events("ana", server.message("e1", ids["wa"], "+44", 1000.0))
    await _link(server, targets=[{"account_id": ids["wa"]}, {"account_id": ids["tg"]}])
    hosts = {await _host(server) for _ in range(10)}
    assert hosts == {"t.me"}


async def test_unknown_or_expired_links_are_a_404_page(server) -> None:
    ids = await _shop(server)
    assert (await _visit(server, "nope")).status_code == 404
    link = await _link(server, targets=[{"account_id": ids["wa"]}])
    answer = await server.call("admin", "PATCH", f"/v1/links/{link['id']}", {"expires_at": 1.0})
    assert answer.status_code == 200
    assert (await _visit(server)).status_code == 404


async def test_link_admin_validates_and_names_the_field(server) -> None:
    ids = await _shop(server)
    bad = [
        ({"slug": "a b", "targets": [{"account_id": ids["wa"]}]}, "slug"),
        ({"slug": "x", "targets": []}, "targets"),
        ({"slug": "x", "targets": [{"account_id": "ghost"}]}, "targets[0].account_id"),
        ({"slug": "x", "targets": [{"account_id": ids["wa"], "weight": -1}]}, "targets[0].weight"),
        (
            {
                "slug": "x",
                "targets": [{"account_id": ids["wa"]}],
                "hours": {"timezone": "Mars/Base"},
            },
            "hours.timezone",
        ),
    ]
    for body, field in bad:
        answer = await server.call("admin", "POST", "/v1/links", body)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["field"] == field
    await _link(server, targets=[{"account_id": ids["wa"]}])
    again = await server.call(
        "admin", "POST", "/v1/links", {"slug": "promo", "targets": [{"account_id": ids["wa"]}]}
    )
    assert again.status_code == 409
    listed = (await server.call("admin", "GET", "/v1/links")).json()
    assert [link["slug"] for link in listed] == ["promo"]
    assert (await server.call("ana", "GET", "/v1/links")).status_code == 403


async def test_concurrent_visits_are_all_recorded_and_a_quota_holds_among_them(server) -> None:
    ids = await _shop(server)
    await _link(
        server,
        targets=[
            {"account_id": ids["wa"], "weight": 100, "daily_quota": 5},
            {"account_id": ids["tg"], "weight": 1},
        ],
    )
    visitors = [server.client() for _ in range(12)]  # one cookie jar each

    async def visit(http: httpx.AsyncClient) -> str:
        answer = await http.get("/r/promo", follow_redirects=False)
        assert answer.status_code == 302
        return urlsplit(answer.headers["location"]).netloc

    try:
        first = await asyncio.gather(*(visit(http) for http in visitors))
        # 12 new visitors at once: the quota lets exactly 5 reach wa.me.
        assert Counter(first) == {"wa.me": 5, "t.me": 7}
        again = await asyncio.gather(*(visit(http) for http in visitors for _ in range(4)))
    finally:
        for http in visitors:
            await http.aclose()
    # Returning visitors keep their account (a quota counts, but does not move, them).
    assert again == [host for host in first for _ in range(4)]
    await server.write_batches()
    clicks = _clicks(server)
    assert len(clicks) == 60
    assert sum(returning for _, returning in clicks) == 48
    assert Counter(account for account, _ in clicks) == {ids["wa"]: 25, ids["tg"]: 35}
