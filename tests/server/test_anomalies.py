"""The volume-anomaly check on the real server: four past weeks of stored intakes, then a surge
through a split link → a warning naming the link, pushed to the team's supervisor (not to its
agents), once per hour unless it grows, and listed by GET /v1/reports/anomalies."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import websockets

from relaydesk.server.anomalies import AnomalyWatch

# A Monday, 14:30 UTC: the hour under watch is 14:00–15:00, half of it gone.
NOW = datetime(2026, 11, 16, 14, 30, tzinfo=UTC)


async def _next(ws: Any, kind: str | None = None, limit_s: float = 10.0) -> dict[str, Any]:
    """The next push (of ``kind``, skipping others), bounded in time."""
    while True:
        push = json.loads(await asyncio.wait_for(ws.recv(), timeout=limit_s))
        if kind is None or push["type"] == kind:
            return dict(push)


def _ts(moment: datetime) -> float:
    return moment.timestamp()


async def _team(server: Any) -> tuple[str, dict[str, Any]]:
    """Team "a": supervisor sue, agent ana on one account, a split link "spring-sale"; and
    four Mondays of 8 intakes between 14:00 and 15:00 (and a few either side)."""
    await server.add_agent("sue", role="supervisor", team="a")
    ana = await server.add_agent("ana", team="a")
    await server.add_agent("bob", role="supervisor", team="b")
    account = await server.add_account("+100", [ana], team="a", name="Shop A")
    body = {"slug": "spring-sale", "targets": [{"account_id": account}], "team": "a"}
    answer = await server.call("admin", "POST", "/v1/links", body)
    assert answer.status_code == 201, answer.text
    events = []
    for week in range(1, 5):
        monday = NOW.replace(minute=0) - timedelta(weeks=week)
        for n in range(12):
            at = monday + timedelta(minutes=-60 + n * 15)  # 13:00 to 15:45, 4 an hour
            events.append(server.message(f"w{week}-{n}", account, f"+w{week}{n}", _ts(at)))
        for n in range(4):  # four more inside 14:00–15:00: 8 there
            at = monday + timedelta(minutes=7 + n * 15)
            events.append(server.message(f"x{week}-{n}", account, f"+x{week}{n}", _ts(at)))
    for event in events:
        event["type"] = "intake"
    await server.events("ana", *events)
    return account, answer.json()


async def _surge(server: Any, account: str, code: str, count: int, first: int = 0) -> None:
    start = NOW.replace(minute=0)
    events = [
        server.message(
            f"s{n}",
            account,
            f"+s{n}",
            _ts(start + timedelta(minutes=5 + (n - first) * 25 / count)),
            f"Hi! I saw the spring sale #{code}",
        )
        for n in range(first, first + count)
    ]
    await server.events("ana", *events)


async def test_a_surge_through_a_link_warns_the_supervisor_naming_the_link(live_server) -> None:
    server = live_server
    account, link = await _team(server)
    state = server.app.state.relaydesk
    watch = AnomalyWatch()
    # An ordinary Monday afternoon so far: 4 by 14:30, as usual — no warning.
    ordinary = [
        server.message(f"o{n}", account, f"+o{n}", _ts(NOW.replace(minute=2 + 7 * n)), "hello")
        for n in range(4)
    ]
    await server.events("ana", *ordinary)
    assert await watch.check(state, now=_ts(NOW)) == []

    await _surge(server, account, link["code"], 40)
    async with websockets.connect(server.stream_url("sue")) as sue_ws:
        warned = await watch.check(state, now=_ts(NOW))
        assert len(warned) == 1
        push = await _next(sue_ws, "warning")
        assert push["type"] == "warning" and push["kind"] == "volume_anomaly"
        assert push["team"] == "a" and push["count"] == 44
        assert push["usual"] == 4.0 and push["ratio"] == 11.0
        assert push["stand_outs"][0]["dimension"] == "link"
        assert push["stand_outs"][0]["value"] == "spring-sale"
        assert push["stand_outs"][0]["count"] == 40
        assert "44 new contacts since 14:00" in push["message"]
        assert "usually 4.0 by 14:30" in push["message"]
        assert "stands out: link spring-sale, 40 of them" in push["message"]

        # A minute later, the same hour: not again.
        assert await watch.check(state, now=_ts(NOW + timedelta(minutes=1))) == []
        # Grown by half (44 → 70): warned again.
        await _surge(server, account, link["code"], 26, first=100)
        again = await watch.check(state, now=_ts(NOW + timedelta(minutes=2)))
        assert [w["count"] for w in again] == [70] and again[0]["again"] is True
        assert (await _next(sue_ws, "warning"))["count"] == 70

    # Neither the team's agent nor another team's supervisor was told: their streams, replayed
    # from the start up to a rules change pushed to everyone afterwards, hold no such warning.
    await server.set_rules()
    for login in ("ana", "bob"):
        async with websockets.connect(server.stream_url(login, after=0)) as ws:
            pushes = [await _next(ws)]
            while pushes[-1]["type"] != "rules_changed":
                pushes.append(await _next(ws))
        assert not [p for p in pushes if p.get("kind") == "volume_anomaly"], login

    period = {"from": _ts(NOW - timedelta(days=1)), "to": _ts(NOW + timedelta(days=1))}
    listed = await server.call("sue", "GET", "/v1/reports/anomalies", params=period)
    assert listed.status_code == 200, listed.text
    anomalies = listed.json()["anomalies"]
    assert [a["count"] for a in anomalies] == [70, 44]  # newest first
    assert anomalies[1]["stand_outs"][0]["value"] == "spring-sale"
    other = await server.call("bob", "GET", "/v1/reports/anomalies", params=period)
    assert other.status_code == 200 and other.json()["anomalies"] == []
    admin = await server.call("admin", "GET", "/v1/reports/anomalies", params=period)
    assert len(admin.json()["anomalies"]) == 2
    forbidden = await server.call("ana", "GET", "/v1/reports/anomalies", params=period)
    assert forbidden.status_code == 403
    earlier = {"from": _ts(NOW - timedelta(days=3)), "to": _ts(NOW - timedelta(days=1))}
    none = await server.call("sue", "GET", "/v1/reports/anomalies", params=earlier)
    assert none.json()["anomalies"] == []


async def test_a_team_younger_than_a_week_is_judged_on_all_its_days_and_never_on_its_first(
    live_server,
) -> None:
    server = live_server
    await server.add_agent("cat", role="supervisor", team="c")
    agent = await server.add_agent("cal", team="c")
    account = await server.add_account("+300", [agent], team="c", name="Shop C")
    start = NOW.replace(minute=0)
    today = [
        server.message(f"t{n}", account, f"+t{n}", _ts(start + timedelta(seconds=20 * n)))
        for n in range(30)
    ]
    await server.events("cal", *today)
    watch = AnomalyWatch()
    assert await watch.check(server.app.state.relaydesk, now=_ts(NOW)) == []  # nothing usual yet

    past = [
        server.message(
            f"p{d}-{n}", account, f"+p{d}{n}", _ts(start - timedelta(days=d, minutes=-7 * n))
        )
        for d in (1, 2, 3)
        for n in range(3)
    ]
    for event in past:
        event["type"] = "intake"
    await server.events("cal", *past)
    warned = await AnomalyWatch().check(server.app.state.relaydesk, now=_ts(NOW))
    assert [(w["team"], w["count"], w["basis"], w["usual"]) for w in warned] == [
        ("c", 30, "all_days", 3.0)
    ]
    assert warned[0]["stand_outs"] == []  # one account, no link: nothing stands out
    assert "nothing stands out" in warned[0]["message"]


@pytest.mark.postgres
async def test_the_check_and_the_report_on_postgresql(make_server, pg_url: str) -> None:
    server = await make_server(pg_url)
    account, link = await _team(server)
    await _surge(server, account, link["code"], 40)
    warned = await AnomalyWatch().check(server.app.state.relaydesk, now=_ts(NOW))
    assert [(w["team"], w["count"]) for w in warned] == [("a", 40)]
    assert await AnomalyWatch().check(server.app.state.relaydesk, now=_ts(NOW)) == []
    period = {"from": _ts(NOW - timedelta(days=1)), "to": _ts(NOW + timedelta(days=1))}
    listed = await server.call("sue", "GET", "/v1/reports/anomalies", params=period)
    assert [a["stand_outs"][0]["value"] for a in listed.json()["anomalies"]] == ["spring-sale"]
