"""What workstations need for team mode: colleagues' names ("owned by"), the team's agents."""

from __future__ import annotations

from typing import Any


async def _teams(server: Any) -> dict[str, str]:
    """Team a: ana, ben (agents), sue (supervisor) on shared account A; team b: zoe, max."""
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=2),
        "ben": await server.add_agent("ben", team="a", capacity=2),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b"),
        "max": await server.add_agent("max", team="b", role="supervisor"),
        "solo": await server.add_agent("solo"),
    }
    ids["A"] = await server.add_account("+1", [ids["ana"], ids["ben"]], team="a", shared=True)
    await server.heartbeat("ana", [ids["A"]])
    return ids


async def _logins(server: Any, login: str) -> list[str]:
    answer = await server.call(login, "GET", "/v1/agents")
    assert answer.status_code == 200, answer.text
    return sorted(a["login"] for a in answer.json())


async def test_supervisors_and_agents_list_their_own_team_only(server) -> None:
    await _teams(server)
    assert await _logins(server, "sue") == ["ana", "ben", "sue"]
    assert await _logins(server, "ben") == ["ana", "ben", "sue"]
    assert await _logins(server, "max") == ["max", "zoe"]  # never team a's people
    assert await _logins(server, "solo") == ["solo"]  # no team: no colleagues
    assert "admin" in await _logins(server, "admin")
    # Still admin-only: changing people.
    refused = await server.call("sue", "POST", "/v1/agents", {"login": "x", "password": "p" * 12})
    assert refused.status_code == 403


async def test_conversations_name_their_owner(server) -> None:
    ids = await _teams(server)
    await server.events("ana", server.message("e1", ids["A"], "+44", 1000.0))
    answer = await server.call("ben", "GET", "/v1/conversations")  # ben shares the account
    [row] = answer.json()
    assert (row["owner_id"], row["owner_name"]) == (ids["ana"], "Ana")
    detail = (await server.call("ben", "GET", f"/v1/conversations/{row['id']}")).json()
    assert detail["owner_name"] == "Ana"
    moved = await server.call(
        "sue", "POST", f"/v1/conversations/{row['id']}/transfer", {"to_agent_id": ids["ben"]}
    )
    assert moved.status_code == 200, moved.text
    [row] = (await server.call("ana", "GET", "/v1/conversations")).json()
    assert row["owner_name"] == "Ben"


async def test_supervisors_manage_their_own_teams_links_only(server) -> None:
    ids = await _teams(server)
    ids["B"] = await server.add_account("+2", [ids["zoe"]], team="b")
    target = {"account_id": ids["A"], "weight": 1}
    made = await server.call("sue", "POST", "/v1/links", {"slug": "spring", "targets": [target]})
    assert made.status_code == 201, made.text
    assert made.json()["team"] == "a"  # a supervisor's link is their team's
    # Not with another team's account, nor for another team.
    other = {"slug": "x", "targets": [{"account_id": ids["B"], "weight": 1}]}
    refused = await server.call("sue", "POST", "/v1/links", other)
    assert (
        refused.status_code == 422 and refused.json()["error"]["field"] == "targets[0].account_id"
    )
    refused = await server.call("sue", "POST", "/v1/links", {**other, "targets": [target],
                                                             "team": "b"})  # fmt: skip
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "team"
    theirs = await server.call(
        "max", "POST", "/v1/links", {"slug": "b-only", "targets": [{"account_id": ids["B"]}]}
    )
    assert theirs.status_code == 201, theirs.text
    # Each supervisor lists and changes only their own team's links.
    assert [k["slug"] for k in (await server.call("sue", "GET", "/v1/links")).json()] == ["spring"]
    assert [k["slug"] for k in (await server.call("max", "GET", "/v1/links")).json()] == ["b-only"]
    hidden = await server.call("sue", "PATCH", f"/v1/links/{theirs.json()['id']}", {"message": "x"})
    assert hidden.status_code == 404
    changed = await server.call("sue", "PATCH", f"/v1/links/{made.json()['id']}", {"message": "Hi"})
    assert changed.status_code == 200 and changed.json()["message"] == "Hi"
    # Agents do not manage links; the admin sees all.
    assert (await server.call("ana", "GET", "/v1/links")).status_code == 403
    assert len((await server.call("admin", "GET", "/v1/links")).json()) == 2


async def test_supervisors_read_the_rules_but_only_an_admin_changes_them(server) -> None:
    await _teams(server)
    rules = await server.call("sue", "GET", "/v1/rules")
    assert rules.status_code == 200 and "policy" in rules.json()
    assert (await server.call("ana", "GET", "/v1/rules")).status_code == 403
    refused = await server.call("sue", "PUT", "/v1/rules", rules.json())
    assert refused.status_code == 403
