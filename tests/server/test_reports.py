"""Reports: intake deduplicated per team, service per agent, and tomorrow's forecast."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

DAY = 86400.0


async def _team(server: Any) -> dict[str, str]:
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=10),
        "ben": await server.add_agent("ben", team="a", capacity=10),
        "zoe": await server.add_agent("zoe", team="b", capacity=10),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
    }
    ids["A1"] = await server.add_account("+1", [ids["ana"]], team="a")
    ids["A2"] = await server.add_account("+2", [ids["ben"]], team="a")
    ids["B"] = await server.add_account("+3", [ids["zoe"]], team="b")
    await server.heartbeat("ana", [ids["A1"]])
    await server.heartbeat("ben", [ids["A2"]])
    await server.heartbeat("zoe", [ids["B"]])
    return ids


async def _report(server: Any, login: str, path: str, **params: Any) -> dict[str, Any]:
    answer = await server.call(login, "GET", path, params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_intake_counts_new_and_returning_once_per_team(server) -> None:
    ids = await _team(server)
    t0 = time.time() - 3 * 3600
    m = server.message
    await server.events("ana", m("1", ids["A1"], "+44", t0))  # new
    await server.events("ana", m("2", ids["A1"], "+44", t0 + 1, kind="conversation_closed"))
    await server.events("ana", m("3", ids["A1"], "+44", t0 + 60, "back"))  # counted once on A1
    await server.events("ben", m("4", ids["A2"], "+44", t0 + 120))  # same team: returning
    await server.events("ben", m("5", ids["A2"], "+45", t0 + 180))  # new
    await server.events("zoe", m("6", ids["B"], "+44", t0 + 240))  # other team: new there
    report = await _report(
        server,
        "admin",
        "/v1/reports/intake",
        **{"from": t0 - 1, "to": t0 + DAY, "group_by": "account"},
    )
    rows = {r["key"]: (r["new"], r["returning"]) for r in report["rows"]}
    assert rows == {ids["A1"]: (1, 0), ids["A2"]: (1, 1), ids["B"]: (1, 0)}
    by_day = await _report(server, "sue", "/v1/reports/intake", **{"from": t0 - 1, "to": t0 + DAY})
    assert sum(r["new"] for r in by_day["rows"]) == 2  # the supervisor sees team a only
    assert sum(r["returning"] for r in by_day["rows"]) == 0  # +44 was new that same day
    mine = await _report(
        server, "ben", "/v1/reports/intake", **{"from": t0 - 1, "group_by": "agent"}
    )
    assert [(r["key"], r["new"], r["returning"]) for r in mine["rows"]] == [(ids["ben"], 1, 1)]


async def test_intake_rejects_a_bad_period_or_zone_naming_it(server) -> None:
    answer = await server.call("admin", "GET", "/v1/reports/intake", params={"from": 10, "to": 5})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "from"
    answer = await server.call("admin", "GET", "/v1/reports/intake", params={"tz": "Nowhere/X"})
    assert answer.json()["error"]["field"] == "tz"
    answer = await server.call("admin", "GET", "/v1/reports/intake", params={"group_by": "moon"})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "group_by"


async def test_service_shows_handoffs_first_replies_and_collisions(server) -> None:
    ids = await _team(server)
    await server.call(
        "admin",
        "PATCH",
        f"/v1/accounts/{ids['A1']}",
        {"members": [ids["ana"], ids["ben"]], "shared": True},
    )
    await server.events("ana", server.message("1", ids["A1"], "+44", 1000.0))
    [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
    first = "ana" if conv["owner_id"] == ids["ana"] else "ben"
    second = "ben" if first == "ana" else "ana"
    await server.call(
        first, "POST", f"/v1/conversations/{conv['id']}/transfer", {"to_agent_id": ids[second]}
    )
    reply = server.message("2", ids["A1"], "+44", 1001.0, "hi", kind="agent_reply")
    await server.events(second, reply)
    intrusion = server.message("3", ids["A1"], "+44", 1002.0, "hey", kind="agent_reply")
    await server.events(first, intrusion)
    report = await _report(server, "sue", "/v1/reports/service")
    rows = {r["login"]: r for r in report["agents"]}
    assert set(rows) == {"ana", "ben", "sue"}
    assert rows[first]["handoffs_out"] == 1 and rows[second]["handoffs_in"] == 1
    assert rows[second]["first_reply_median_s"] is not None
    assert rows[first]["first_reply_median_s"] is None
    assert rows[first]["collisions"] == 1 and rows[second]["collisions"] == 1
    only_me = await _report(server, "ana", "/v1/reports/service")
    assert [r["login"] for r in only_me["agents"]] == ["ana"]


async def test_forecast_averages_the_same_weekday_and_recommends_agents(server) -> None:
    ids = await _team(server)
    await server.events("ana", server.message("1", ids["A1"], "+44", 1000.0))
    [conv] = (await server.call("admin", "GET", "/v1/conversations")).json()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # History: 40 conversations at 10:00 on each of the last two same weekdays.
    rows = []
    for week in (1, 2):
        ten = (tomorrow - timedelta(days=7 * week) + timedelta(hours=10)).timestamp()
        rows += [
            (f"h{week}-{n}", ids["A1"], conv["contact_id"], "closed", ten + n) for n in range(40)
        ]
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(conversations)")]
        template = db.execute("SELECT * FROM conversations WHERE id = ?", (conv["id"],)).fetchone()
        base = dict(zip(columns, template, strict=True))
        for cid, account, contact, state, opened in rows:
            values = {
                **base,
                "id": cid,
                "account_id": account,
                "contact_id": contact,
                "state": state,
                "opened_at": opened,
                "owner_id": None,
            }
            marks = ",".join("?" * len(values))
            db.execute(
                f"INSERT INTO conversations ({','.join(values)}) VALUES ({marks})",
                list(values.values()),
            )
    report = await _report(server, "admin", "/v1/forecast", weeks=2, aht_s=600, target_s=60)
    assert report["date"] == tomorrow.date().isoformat()
    hours = {h["hour"]: h for h in report["hours"]}
    assert hours[10]["arrivals"] == 40
    assert hours[10]["erlang_agents"] > 40 * 600 / 3600  # more than the offered Erlangs
    assert hours[10]["recommended_agents"] >= 1
    assert hours[3]["arrivals"] == 0 and hours[3]["recommended_agents"] == 0
    answer = await server.call("admin", "GET", "/v1/forecast", params={"service_level": 2})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "service_level"
