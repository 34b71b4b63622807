"""The volume-anomaly check on the real server: four past weeks of stored intakes, then a surge
through a split link → a warning naming the link, pushed to the team's supervisor (not to its
agents), once per hour unless it grows, and listed by GET /v1/reports/anomalies."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import websockets
from sqlalchemy import select

from relaydesk.server.anomalies import AnomalyWatch
from relaydesk.server.models import IntakeRow, PushRow, WarningRow

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
    await server.add_agent("zed", role="supervisor")  # no team: no team's anomalies
    teamless = await server.call("zed", "GET", "/v1/reports/anomalies", params=period)
    assert teamless.status_code == 200 and teamless.json()["anomalies"] == []
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
    # PostgreSQL's text holds no NUL character: the intake keeps the message without it.
    nul = server.message("nul", account, "+nul", _ts(NOW.replace(minute=20)), "card\x00 blocked")
    await server.events("ana", nul)
    warned = await AnomalyWatch().check(server.app.state.relaydesk, now=_ts(NOW))
    assert [(w["team"], w["count"]) for w in warned] == [("a", 41)]
    assert await AnomalyWatch().check(server.app.state.relaydesk, now=_ts(NOW)) == []
    period = {"from": _ts(NOW - timedelta(days=1)), "to": _ts(NOW + timedelta(days=1))}
    listed = await server.call("sue", "GET", "/v1/reports/anomalies", params=period)
    assert [a["stand_outs"][0]["value"] for a in listed.json()["anomalies"]] == ["spring-sale"]


ENGLISH = [
    "The app shows an outage page",
    "outage again? I cannot pay",
    "is there an outage right now",
    "Your site is down, outage?",
]
CHINESE = [
    "你好，我的信用卡被冻结了，怎么办",
    "我的信用卡被冻结了",
    "请问我的信用卡被冻结了，为什么",
    "您好 我的信用卡被冻结了！急",
]


@pytest.mark.parametrize(
    ("texts", "keyword"),
    [(ENGLISH, "outage"), (CHINESE, "我的信用卡被冻结了")],
    ids=["english", "chinese"],
)
async def test_a_surge_of_first_messages_sharing_a_phrase_names_the_keyword(
    server, texts: list[str], keyword: str
) -> None:
    account, _link = await _team(server)  # four past Mondays of "hello"
    start = NOW.replace(minute=0)
    surge = [
        server.message(
            f"k{n}",
            account,
            f"+k{n}",
            _ts(start + timedelta(minutes=5 + n * 0.6)),
            texts[n % len(texts)],
        )
        for n in range(40)
    ]
    await server.events("ana", *surge)  # organic: no link's code, one account as always
    warned = await AnomalyWatch().check(server.app.state.relaydesk, now=_ts(NOW))
    assert len(warned) == 1
    named = warned[0]["stand_outs"]
    assert [(s["dimension"], s["value"], s["count"]) for s in named] == [("keyword", keyword, 40)]
    assert f"stands out: keyword “{keyword}”, 40 of them (usually 0.0)" in warned[0]["message"]

    period = {"from": _ts(NOW - timedelta(days=1)), "to": _ts(NOW + timedelta(days=1))}
    listed = (await server.call("sue", "GET", "/v1/reports/anomalies", params=period)).json()
    assert [a["stand_outs"][0]["value"] for a in listed["anomalies"]] == [keyword]
    assert listed["anomalies"][0]["message"] == warned[0]["message"]


async def test_warnings_are_stored_with_their_team(server) -> None:
    """A collision in team a is stored with its team (the column the anomaly report reads)."""
    ana = await server.add_agent("ana", team="a")
    ben = await server.add_agent("ben", team="a")
    account = await server.add_account("+500", [ana, ben], shared=True, team="a")
    await server.heartbeat("ana", [account])
    await server.heartbeat("ben", [account])
    await server.events("ana", server.message("c1", account, "+44", _ts(NOW)))
    owner = (await server.call("admin", "GET", "/v1/conversations")).json()[0]["owner_id"]
    intruder = "ben" if owner == ana else "ana"
    reply = server.message("r1", account, "+44", _ts(NOW) + 2, "me too", kind="agent_reply")
    await server.events(intruder, reply)
    async with server.app.state.relaydesk.sessions() as session:
        rows = (await session.execute(select(WarningRow.kind, WarningRow.team))).all()
    assert [tuple(r) for r in rows] == [("collision", "a")]


async def test_the_first_messages_are_kept_short_and_cleared_after_35_days(server) -> None:
    account = await server.add_account("+400", [], name="Shop D")
    events = [
        server.message("old", account, "+old", _ts(NOW - timedelta(days=36)), "my old question"),
        server.message("new", account, "+new", _ts(NOW - timedelta(days=30)), "a newer question"),
        server.message("long", account, "+long", _ts(NOW), "stuck\x00 " + "x" * 300),
    ]
    await server.events("admin", *events)
    state = server.app.state.relaydesk

    async def texts() -> dict[float, str | None]:
        async with state.sessions() as session:
            rows = await session.execute(select(IntakeRow.at, IntakeRow.first_text))
            return {at: text for at, text in rows}

    before = await texts()
    assert before[_ts(NOW - timedelta(days=36))] == "my old question"
    assert before[_ts(NOW)] == ("stuck " + "x" * 300)[:200]
    watch = AnomalyWatch()
    await watch.check(state, now=_ts(NOW))
    after = await texts()
    assert after[_ts(NOW - timedelta(days=36))] is None
    assert after[_ts(NOW - timedelta(days=30))] == "a newer question"
    assert await watch.clear_texts(state, now=_ts(NOW + timedelta(days=6))) == 1


@pytest.mark.postgres
async def test_two_processes_checking_at_the_same_instant_warn_once(
    make_server, pg_url: str
) -> None:
    """Two server processes on one PostgreSQL database run their checks at once: the hour is
    warned about once, and once again when it has grown by half."""
    first = await make_server(pg_url)
    second = await make_server(pg_url)
    account, link = await _team(first)
    await _surge(first, account, link["code"], 40)
    states = [first.app.state.relaydesk, second.app.state.relaydesk]

    async def race(now: datetime) -> list[dict[str, Any]]:
        answers = await asyncio.gather(*(AnomalyWatch().check(s, now=_ts(now)) for s in states))
        return [warning for answer in answers for warning in answer]

    warned = await race(NOW)
    assert [(w["count"], w["again"]) for w in warned] == [(40, False)]
    assert await race(NOW + timedelta(minutes=1)) == []
    await _surge(first, account, link["code"], 20, first=100)  # 60 = 40 × 1.5
    again = await race(NOW + timedelta(minutes=2))
    assert [(w["count"], w["again"]) for w in again] == [(60, True)]

    async with states[1].sessions() as session:
        pushed = await session.scalars(
            select(PushRow.payload).where(
                PushRow.recipient_id == first.ids["sue"], PushRow.kind == "warning"
            )
        )
        assert [p["count"] for p in pushed if p["kind"] == "volume_anomaly"] == [40, 60]
    period = {"from": _ts(NOW - timedelta(days=1)), "to": _ts(NOW + timedelta(days=1))}
    listed = await first.call("sue", "GET", "/v1/reports/anomalies", params=period)
    assert [a["count"] for a in listed.json()["anomalies"]] == [60, 40]


CLI = [sys.executable, "-m", "relaydesk.server.cli"]


def _event(event_id: str, account: str, ts: float, text: str, kind: str) -> dict[str, Any]:
    handle = f"+{event_id}"
    return {"id": event_id, "type": kind, "account_id": account, "contact": {"handle": handle},
            "ts": ts, "text": text}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_run_refuses_an_unknown_zone_or_a_negative_interval(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    zone = _cli("run", "--db", db, "--anomaly-timezone", "Mars/Olympus")
    assert zone.returncode == 2
    assert "unknown time zone 'Mars/Olympus'" in zone.stderr and "Traceback" not in zone.stderr
    every = _cli("run", "--db", db, "--anomaly-check-every", "-1")
    assert every.returncode == 2 and "0 or more seconds" in every.stderr


def test_run_checks_in_the_zone_and_at_the_interval_given(tmp_path: Path) -> None:
    """The real server process, ``--anomaly-timezone`` and ``--anomaly-check-every 1``: a surge
    in the current hour is found within seconds, its hour named in that zone's time. The zone is
    one where this hour is between its minutes 12 and 50 now (offsets :00, :30: one always is)."""
    zone = next(
        ZoneInfo(name)
        for name in ("Asia/Shanghai", "Asia/Kolkata")
        if 12 <= datetime.now(ZoneInfo(name)).minute < 50
    )
    db = str(tmp_path / "team.db")
    assert (
        _cli("create-admin", "--db", db, "--login", "boss", stdin="boss-pass-1234\n").returncode
        == 0
    )
    port = _free_port()
    options = ["--anomaly-timezone", str(zone), "--anomaly-check-every", "1"]
    process = subprocess.Popen(
        [*CLI, "run", "--db", db, "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        for _ in range(200):
            try:
                if http.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)

        def login(name: str, password: str) -> dict[str, str]:
            answer = http.post("/v1/auth/login", json={"login": name, "password": password})
            assert answer.status_code == 200, answer.text
            return {"Authorization": f"Bearer {answer.json()['token']}"}

        boss = login("boss", "boss-pass-1234")
        body = {"login": "sue", "password": "sue-pass-1234", "role": "supervisor", "team": "a"}
        assert http.post("/v1/agents", headers=boss, json=body).status_code == 201
        body = {"platform": "whatsapp", "handle": "+1", "members": [], "team": "a"}
        account = http.post("/v1/accounts", headers=boss, json=body).json()["id"]
        now = datetime.now(zone)
        hour = now.replace(minute=0, second=0, microsecond=0)
        events = [  # two an hour on the past four same weekdays, then 30 in this hour so far
            _event(
                f"h{w}-{n}",
                account,
                (hour - timedelta(weeks=w)).timestamp() + 60 * n,
                "hi",
                "intake",
            )
            for w in range(1, 5)
            for n in range(2)
        ]
        elapsed = (now - hour).total_seconds() - 30
        events += [
            _event(
                f"s{n}",
                account,
                hour.timestamp() + elapsed * n / 30,
                "blocked card",
                "customer_message",
            )
            for n in range(30)
        ]
        answer = http.post("/v1/events", headers=boss, json={"events": events})
        assert answer.status_code == 200, answer.text
        sue = login("sue", "sue-pass-1234")
        for _ in range(300):  # the first check is a second after the start, then every second
            listed = http.get("/v1/reports/anomalies", headers=sue).json()["anomalies"]
            if listed:
                break
            time.sleep(0.1)
        assert [(a["team"], a["count"], a["hour"]) for a in listed] == [
            ("a", 30, hour.replace(tzinfo=None).isoformat(timespec="minutes"))
        ]
        assert listed[0]["stand_outs"][0]["value"] in ("blocked", "card")
    finally:
        http.close()
        process.terminate()
        _, errors = process.communicate(timeout=20)
    assert "Traceback" not in errors


def test_migration_0006_gives_stored_warnings_their_team(tmp_path: Path) -> None:
    """Warnings stored before 0006: a collision gets its conversation's account's team, an
    anomaly its team and figures from the push that carried it; and back down."""
    from alembic import command

    from relaydesk.server.db import alembic_config

    path = tmp_path / "old.db"
    config = alembic_config(f"sqlite+aiosqlite:///{path}")
    command.upgrade(config, "0005")
    payload = {
        "kind": "volume_anomaly",
        "message": "Volume anomaly, team a: …",
        "conversation_id": None,
        "agent_id": None,
        "other_agent_id": None,
        "warning_id": 2,
        "team": "a",
        "at": 6.0,
        "count": 44,
        "stand_outs": [{"dimension": "link", "value": "spring-sale", "count": 40, "usual": 0}],
    }
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            INSERT INTO accounts (id, platform, handle, name, shared, team)
                VALUES ('acc', 'whatsapp', '+1', '', 0, 'a');
            INSERT INTO contacts (id, platform, handle, name, tags)
                VALUES ('c', 'whatsapp', '+2', '', '[]');
            INSERT INTO conversations (id, account_id, contact_id, state, opened_at, priority,
                label, source, is_returning, tags, complaint, awaiting, lapsed_agent_ids,
                auto_handoffs, customer_messages, agent_messages, customer_chars_total,
                recent_customer_lengths)
                VALUES ('cv', 'acc', 'c', 'queued', 1, 0, '', 'organic', 0, '[]', 0, 'agent',
                '[]', 0, 1, 0, 1, '[]');
            INSERT INTO warnings (id, kind, at, message, conversation_id) VALUES
                (1, 'collision', 5, 'x', 'cv'), (2, 'volume_anomaly', 6, 'v', NULL),
                (3, 'heavy_day', 7, 'h', NULL);
            """
        )
        for recipient in ("admin-id", "sue-id"):  # every anomaly went to the admins too
            db.execute(
                "INSERT INTO pushes (recipient_id, seq, kind, payload, at) "
                "VALUES (?, 1, 'warning', ?, 6)",
                (recipient, json.dumps(payload)),
            )
    command.upgrade(config, "head")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT id, team, details FROM warnings ORDER BY id").fetchall()
    assert [(i, team) for i, team, _ in rows] == [(1, "a"), (2, "a"), (3, None)]
    details = json.loads(rows[1][2])
    assert details["count"] == 44 and details["stand_outs"][0]["value"] == "spring-sale"
    assert "warning_id" not in details and "team" not in details
    command.downgrade(config, "0005")  # and back
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(warnings)")}
    assert "team" not in columns and "details" not in columns
