"""Daily workload: the router's day term, the heavy-day warning and the workload report."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

DAY = 86400.0


def _db(server: Any) -> sqlite3.Connection:
    return sqlite3.connect(server.db.split(":///", 1)[1])


async def _owners(server: Any) -> dict[str, str | None]:
    """Contact handle → owner of its conversation (open or closed)."""
    with _db(server) as db:
        rows = db.execute(
            "SELECT contacts.handle, conversations.owner_id FROM conversations "
            "JOIN contacts ON contacts.id = conversations.contact_id"
        ).fetchall()
    return dict(rows)


async def _set_load(server: Any, **load: Any) -> None:
    rules = (await server.call("admin", "GET", "/v1/rules")).json()
    await server.set_rules(load={**rules["load"], **load})


async def _lighter_day_scenario(server: Any, later: Any = None) -> dict[str, str]:
    """Ana was given 6 conversations this morning (all closed), Ben 1 that waits on the
    customer; then a new customer writes to the account they share. ``later``, another app
    on the same database (another process), takes everything after Ana's morning."""
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=10),
        "ben": await server.add_agent("ben", team="a", capacity=10),
    }
    ids["A"] = await server.add_account("+1", [ids["ana"], ids["ben"]], team="a", shared=True)
    m, t0 = server.message, time.time()
    await server.heartbeat("ana", [ids["A"]])
    for i in range(6):
        await server.events("ana", m(f"a{i}", ids["A"], f"+70{i}", t0 + i))
        await server.events(
            "ana", m(f"c{i}", ids["A"], f"+70{i}", t0 + i + 0.5, kind="conversation_closed")
        )
    if later is not None:
        later.tokens, later.ids = dict(server.tokens), dict(server.ids)
        server = later
    await server.heartbeat("ana", [ids["A"]])
    await server.heartbeat("ben", [ids["A"]])
    await server.events("ben", m("b0", ids["A"], "+800", t0 + 10))
    assert (await _owners(server))["+800"] == ids["ben"]
    await server.events("ben", m("r0", ids["A"], "+800", t0 + 11, "hi", kind="agent_reply"))
    await server.events("ana", m("n", ids["A"], "+900", t0 + 20))
    return ids


async def test_router_gives_the_next_one_to_the_agent_with_the_lighter_day(make_server) -> None:
    server = await make_server()
    await _set_load(server, day_min_mean=2, pace_weight=0)
    ids = await _lighter_day_scenario(server)
    # No pace term: only the day tells them apart. Ana: 6 today against a mean of 3.5 → +0.71
    # load; Ben's conversation weighs 0 (his turn is over) but holds a slot, which alone would
    # have sent the newcomer to Ana.
    assert (await _owners(server))["+900"] == ids["ben"]


async def test_without_the_day_term_the_slots_decide(make_server) -> None:
    server = await make_server()
    await _set_load(server, day_min_mean=2, day_weight=0, pace_weight=0)
    ids = await _lighter_day_scenario(server)
    assert (await _owners(server))["+900"] == ids["ana"]


async def test_another_process_counts_the_day_from_the_database(make_server) -> None:
    """A second app on the same database reads the day's counts at its first routing, so it
    sees Ana's morning from the first one (with counts of its own only, Ben's 1 against Ana's
    0 would keep the team's mean under the minimum and the slots would send it to Ana)."""
    first = await make_server()
    await _set_load(first, day_min_mean=2, pace_weight=0)
    second = await make_server()
    ids = await _lighter_day_scenario(first, later=second)
    assert (await _owners(second))["+900"] == ids["ben"]


async def _heavy_team(server: Any) -> dict[str, str]:
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=100),
        "ben": await server.add_agent("ben", team="a", capacity=100),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b", role="supervisor"),
    }
    ids["A1"] = await server.add_account("+1", [ids["ana"]], team="a")
    ids["A2"] = await server.add_account("+2", [ids["ben"]], team="a")
    await server.heartbeat("ana", [ids["A1"]])
    await server.heartbeat("ben", [ids["A2"]])
    return ids


def _heavy_pushes(server: Any) -> list[tuple[str, dict[str, Any]]]:
    with _db(server) as db:
        rows = db.execute("SELECT recipient_id, payload FROM pushes WHERE kind = 'warning'")
        pushes = [(r, json.loads(p)) for r, p in rows]
    return [(r, p) for r, p in pushes if p["kind"] == "heavy_day"]


async def test_a_heavy_day_warns_the_supervisor_once(server) -> None:
    ids = await _heavy_team(server)
    m, t0 = server.message, time.time()
    await server.events("ben", *[m(f"b{i}", ids["A2"], f"+50{i}", t0 + i) for i in range(10)])
    first = [m(f"a{i}", ids["A1"], f"+60{i:02d}", t0 + 20 + i) for i in range(49)]
    await server.events("ana", *first)
    assert _heavy_pushes(server) == []  # 49 against Ben's 10: not yet 40 above
    await server.events("ana", m("a49", ids["A1"], "+6049", t0 + 70))
    pushes = _heavy_pushes(server)
    # The team's supervisor and the admin; not Zoe (team b), not Ana herself.
    assert sorted(r for r, _ in pushes) == sorted([ids["sue"], server.ids["admin"]])
    payload = pushes[0][1]
    assert payload["agent_id"] == ids["ana"]
    assert (payload["assigned_today"], payload["team_mean_today"]) == (50, 10)
    assert payload["message"] == "Ana: 50 conversations today against 10 on average for the team"
    more = [m(f"x{i}", ids["A1"], f"+61{i:02d}", t0 + 80 + i) for i in range(10)]
    await server.events("ana", *more)
    assert _heavy_pushes(server) == pushes  # once per agent and day
    with _db(server) as db:
        stored = db.execute(
            "SELECT agent_id, team FROM warnings WHERE kind = 'heavy_day'"
        ).fetchall()
    assert stored == [(ids["ana"], "a")]  # stored with her team, as the team's reports read it


def _add_past_stretches(server: Any, agent_id: str, account_id: str, counts: list[int]) -> None:
    """``counts[k]`` conversations given to the agent k + 1 weeks ago, early that day."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    span = time.time() - today.timestamp()
    with _db(server) as db:
        contact = db.execute("SELECT id FROM contacts LIMIT 1").fetchone()[0]
        template = db.execute("SELECT * FROM conversations LIMIT 1").fetchone()
        columns = [r[1] for r in db.execute("PRAGMA table_info(conversations)")]
        base = dict(zip(columns, template, strict=True))
        for week, count in enumerate(counts, start=1):
            day = (today - timedelta(days=7 * week)).timestamp()
            for n in range(count):
                at = day + span * (n + 1) / (count + 2)
                cid = f"past{week}-{n}"
                values = {
                    **base,
                    "id": cid,
                    "account_id": account_id,
                    "contact_id": contact,
                    "state": "closed",
                    "opened_at": at,
                    "closed_at": at + 60,
                    "owner_id": agent_id,
                    "first_reply_at": at + 30,
                }
                marks = ",".join("?" * len(values))
                db.execute(
                    f"INSERT INTO conversations ({','.join(values)}) VALUES ({marks})",
                    list(values.values()),
                )
                db.execute(
                    'INSERT INTO ownerships (conversation_id, agent_id, start, "end", reason)'
                    " VALUES (?, ?, ?, ?, 'policy')",
                    (cid, agent_id, at, at + 60),
                )


async def _report(server: Any, login: str, **params: Any) -> dict[str, Any]:
    answer = await server.call(login, "GET", "/v1/reports/workload", params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_report_shows_each_day_against_the_usual_and_the_team(server) -> None:
    ids = await _heavy_team(server)
    m, t0 = server.message, time.time()
    await server.events("ben", *[m(f"b{i}", ids["A2"], f"+50{i}", t0 + i) for i in range(10)])
    await server.events("ana", *[m(f"a{i}", ids["A1"], f"+6{i:03d}", t0 + i) for i in range(60)])
    replies = [
        m(f"r{i}", ids["A2"], f"+50{i}", t0 + 100 + i, "hi", kind="agent_reply") for i in (1, 2)
    ]
    await server.events("ben", *replies)
    _add_past_stretches(server, ids["ana"], ids["A1"], [20, 30, 0, 0])

    report = await _report(server, "sue")
    assert report["date"] == datetime.now(UTC).date().isoformat()
    assert report["heavy_rule"] == {"ratio": 1.5, "excess": 40}
    rows = {r["login"]: r for r in report["agents"]}
    assert set(rows) == {"ana", "ben", "sue"}  # team a only
    ana, ben = rows["ana"], rows["ben"]
    assert ana["today"]["intake"] == 60 and ben["today"]["intake"] == 10
    assert ana["heavy"] and ana["warned"] and not ben["heavy"] and not ben["warned"]
    assert (ana["today"]["slots_used"], ana["today"]["capacity"]) == (60, 100)
    assert ana["today"]["load"] > 0
    assert ben["today"]["replies"] == 2 and ana["today"]["replies"] == 0
    assert ben["today"]["first_reply_mean_s"] is not None
    assert ana["today"]["first_reply_mean_s"] is None
    # The past: 20 and 30 on the two same weekdays she worked; the days off do not count.
    assert ana["usual"]["days"] == 2 and ana["usual"]["intake"] == 25
    assert ana["usual"]["first_reply_mean_s"] == 30
    assert ben["usual"]["days"] == 0 and ben["usual"]["intake"] is None
    assert report["team"]["agents"] == 2 and report["team"]["intake"] == 35
    assert report["team"]["replies"] == 1

    mine = await _report(server, "ben")
    assert [r["login"] for r in mine["agents"]] == ["ben"]
    assert mine["team"]["intake"] == 35  # the team's average, not the colleagues' rows
    everyone = await _report(server, "admin")
    assert {"ana", "ben", "sue", "zoe"} <= {r["login"] for r in everyone["agents"]}

    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    past = await _report(server, "sue", date=yesterday)
    past_rows = {r["login"]: r for r in past["agents"]}
    assert past_rows["ana"]["today"] == {"intake": 0, "replies": 0, "first_reply_mean_s": None}


async def test_the_report_names_a_bad_date_or_zone(server) -> None:
    for params, field in (
        ({"date": "yesterday"}, "date"),
        ({"date": "2999-01-01"}, "date"),
        ({"tz": "Nowhere/X"}, "tz"),
    ):
        answer = await server.call("admin", "GET", "/v1/reports/workload", params=params)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["field"] == field


async def test_the_day_is_counted_warned_and_reported_on_postgresql(make_server, pg_url) -> None:
    server = await make_server(pg_url)
    ids = await _heavy_team(server)
    m, t0 = server.message, time.time()
    await server.events("ben", *[m(f"b{i}", ids["A2"], f"+50{i}", t0 + i) for i in range(10)])
    await server.events("ana", *[m(f"a{i}", ids["A1"], f"+6{i:03d}", t0 + i) for i in range(55)])
    replies = [
        m(f"r{i}", ids["A2"], f"+50{i}", t0 + 100 + i, "hi", kind="agent_reply") for i in (1, 2)
    ]
    await server.events("ben", *replies)
    report = await _report(server, "sue")
    rows = {r["login"]: r for r in report["agents"]}
    assert rows["ana"]["today"]["intake"] == 55 and rows["ben"]["today"]["intake"] == 10
    assert rows["ana"]["heavy"] and rows["ana"]["warned"]  # warned at her 50th
    assert not rows["ben"]["warned"] and rows["ben"]["today"]["replies"] == 2
    assert report["team"]["intake"] == 32.5
    assert server.app.state.relaydesk.workload.count(ids["ana"]) == 55


def test_the_heavy_day_rule_needs_both_the_ratio_and_the_excess() -> None:
    from relaydesk.server.workload import is_heavy_day

    assert is_heavy_day(50, [10]) and not is_heavy_day(49, [10])  # 40 above the mean
    assert is_heavy_day(120, [80]) and not is_heavy_day(119, [80])  # 1.5x the mean
    assert not is_heavy_day(75, [50])  # 1.5x but only 25 above
    assert is_heavy_day(60, [10, 0, 0])  # teammates who did not work today do not count
    assert not is_heavy_day(400, []) and not is_heavy_day(400, [0, 0])  # nobody to compare with
