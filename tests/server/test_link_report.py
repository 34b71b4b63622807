"""The link report: per split link, clicks and unique visitors next to the intakes its code
brought and their conversions (first reply, closed); intake grouped by source; isolation."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest


async def _team(server: Any) -> dict[str, Any]:
    ids: dict[str, Any] = {
        "ana": await server.add_agent("ana", team="a", capacity=20),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b", capacity=20),
    }
    ids["wa"] = await server.add_account("+1 555 0100", [ids["ana"]], team="a")
    ids["b"] = await server.add_account("+1 555 0200", [ids["zoe"]], team="b")
    await server.heartbeat("ana", [ids["wa"]])
    await server.heartbeat("zoe", [ids["b"]])
    for slug, account, team in (("spring", ids["wa"], "a"), ("autumn", ids["wa"], "a"),
                                ("theirs", ids["b"], "b")):  # fmt: skip
        body = {"slug": slug, "targets": [{"account_id": account}], "team": team}
        answer = await server.call("sue" if team == "a" else "admin", "POST", "/v1/links", body)
        assert answer.status_code == 201, answer.text
        ids[slug] = answer.json()
    return ids


async def _visit(http: httpx.AsyncClient, slug: str) -> None:
    answer = await http.get(f"/r/{slug}", follow_redirects=False)
    assert answer.status_code == 302, answer.text


async def _report(server: Any, login: str, path: str, **params: Any) -> dict[str, Any]:
    answer = await server.call(login, "GET", path, params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_links_side_by_side_clicks_visitors_intakes_and_conversions(server) -> None:
    ids = await _team(server)
    # spring: 3 visitors (one comes back twice: 5 clicks); autumn: 1 visitor; theirs: 1.
    phones = [server.client() for _ in range(5)]
    try:
        for phone, slug, times in ((phones[0], "spring", 3), (phones[1], "spring", 1),
                                   (phones[2], "spring", 1), (phones[3], "autumn", 1),
                                   (phones[4], "theirs", 1)):  # fmt: skip
            for _ in range(times):
                await _visit(phone, slug)
    finally:
        for phone in phones:
            await phone.aclose()
    await server.write_batches()
    t = time.time() - 60
    m = server.message
    spring, autumn = ids["spring"]["code"], ids["autumn"]["code"]
    # Two of spring's visitors write with the code, one without (organic); autumn's writes too.
    await server.events("ana", m("1", ids["wa"], "+44 1", t, f"Hi #{spring}"))
    await server.events("ana", m("2", ids["wa"], "+44 2", t + 1, f"Hello #{spring.lower()}"))
    await server.events("ana", m("3", ids["wa"], "+44 3", t + 2, "Hi, I removed the code"))
    await server.events("ana", m("4", ids["wa"], "+44 4", t + 3, f"#{autumn}"))
    # ana answers +44 1 and +44 4, and closes +44 1.
    await server.events("ana", m("5", ids["wa"], "+44 1", t + 10, "Sure", kind="agent_reply"))
    await server.events("ana", m("6", ids["wa"], "+44 4", t + 11, "Yes", kind="agent_reply"))
    await server.events("ana", m("7", ids["wa"], "+44 1", t + 20, kind="conversation_closed"))

    report = await _report(server, "sue", "/v1/reports/links")
    rows = {r["slug"]: r for r in report["links"]}
    assert set(rows) == {"spring", "autumn"}  # the supervisor sees team a's links only
    s, a = rows["spring"], rows["autumn"]
    assert (s["clicks"], s["visitors"], s["clicks_unanswered"]) == (5, 3, 0)
    assert (s["intakes_new"], s["intakes_returning"], s["intakes"]) == (2, 0, 2)
    assert (s["conversations"], s["first_replies"], s["closed"]) == (2, 1, 1)
    assert (s["intake_rate"], s["reply_rate"], s["close_rate"]) == (0.6667, 0.5, 0.5)
    assert s["first_reply_median_s"] is not None
    assert (a["clicks"], a["visitors"], a["intakes"], a["first_replies"], a["closed"]) == (
        1, 1, 1, 1, 0,
    )  # fmt: skip
    assert (a["intake_rate"], a["close_rate"]) == (1.0, 0.0)

    everything = await _report(server, "admin", "/v1/reports/links")
    theirs = {r["slug"]: r for r in everything["links"]}["theirs"]
    assert (theirs["clicks"], theirs["intakes"], theirs["reply_rate"]) == (1, 0, None)
    # A period before any of it: the links are listed with nothing counted.
    empty = await _report(server, "sue", "/v1/reports/links", **{"from": 1.0, "to": 2.0})
    assert {r["slug"]: r["clicks"] + r["intakes"] for r in empty["links"]} == {
        "spring": 0,
        "autumn": 0,
    }
    assert (await _report(server, "zoe", "/v1/reports/links"))["links"][0]["slug"] == "theirs"


async def test_intake_by_source_reads_where_each_conversation_came_from(server) -> None:
    ids = await _team(server)
    t = time.time() - 60
    m = server.message
    spring = ids["spring"]["code"]
    await server.events("ana", m("1", ids["wa"], "+44 1", t, f"Hi #{spring}"))
    await server.events("ana", m("2", ids["wa"], "+44 2", t + 1, "Hi", source="ad"))
    await server.events("ana", m("3", ids["wa"], "+44 3", t + 2, "Hello"))
    await server.events("ana", m("4", ids["wa"], "+44 4", t + 3, "Hey"))
    await server.events("zoe", m("5", ids["b"], "+44 5", t + 4, "Other team"))
    report = await _report(server, "sue", "/v1/reports/intake", group_by="source")
    assert {r["key"]: r["new"] for r in report["rows"]} == {"link": 1, "ad": 1, "organic": 2}
    by_link = await _report(server, "sue", "/v1/reports/intake", group_by="link")
    assert {r["name"]: r["new"] for r in by_link["rows"]} == {"spring": 1, "none": 3}
    by_agent = await _report(server, "sue", "/v1/reports/intake", group_by="agent")
    assert [(r["name"], r["new"]) for r in by_agent["rows"]] == [("Ana", 4)]


async def test_the_link_report_names_a_bad_period(server) -> None:
    answer = await server.call("admin", "GET", "/v1/reports/links", params={"from": 9, "to": 3})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "from"


@pytest.mark.postgres
async def test_the_link_report_on_postgresql(make_server, pg_url) -> None:
    await test_links_side_by_side_clicks_visitors_intakes_and_conversions(await make_server(pg_url))


@pytest.mark.postgres
async def test_intake_by_source_on_postgresql(make_server, pg_url) -> None:
    await test_intake_by_source_reads_where_each_conversation_came_from(await make_server(pg_url))
