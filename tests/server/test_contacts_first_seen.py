"""When the team first saw a contact (``POST /v1/contacts/first-seen``): the workstation's
intake counter in the "team" scope asks it. Real HTTP to the real app, real migrations."""

from __future__ import annotations

import time
from typing import Any

import pytest

DAY = 86400.0
PATH = "/v1/contacts/first-seen"


async def _teams(server: Any) -> dict[str, str]:
    """Team a: ana (account A1), ben (A2 and a Telegram account T2), sue (supervisor);
    team b: zoe (account B); solo (no team, account S)."""
    ids = {
        "ana": await server.add_agent("ana", team="a", capacity=10),
        "ben": await server.add_agent("ben", team="a", capacity=10),
        "sue": await server.add_agent("sue", team="a", role="supervisor"),
        "zoe": await server.add_agent("zoe", team="b", capacity=10),
        "solo": await server.add_agent("solo", capacity=10),
    }
    ids["A1"] = await server.add_account("+1", [ids["ana"]], team="a")
    ids["A2"] = await server.add_account("+2", [ids["ben"]], team="a")
    ids["T2"] = await server.add_account("ben_tg", [ids["ben"]], team="a", platform="telegram")
    ids["B"] = await server.add_account("+3", [ids["zoe"]], team="b")
    ids["S"] = await server.add_account("+4", [ids["solo"]])
    return ids


async def _ask(server: Any, login: str, *contacts: tuple[str, str]) -> dict[tuple[str, str], float]:
    body = {"contacts": [{"account_id": a, "handle": h} for a, h in contacts]}
    answer = await server.call(login, "POST", PATH, body)
    assert answer.status_code == 200, answer.text
    found = answer.json()["contacts"]
    assert len(found) == len({(c["account_id"], c["handle"]) for c in found})  # each once
    return {(c["account_id"], c["handle"]): c["first_seen_at"] for c in found}


async def test_a_contact_a_teammate_saw_yesterday_on_another_account(server) -> None:
    await _teammate_case(server)


async def _teammate_case(server: Any) -> None:
    ids = await _teams(server)
    now = time.time()
    m = server.message
    await server.events("ben", m("b1", ids["A2"], "+447700900001", now - DAY))
    await server.events("ben", m("b2", ids["A2"], "+447700900001", now - DAY / 2))  # later again
    await server.events("ana", m("a1", ids["A1"], "+447700900001", now - 60))
    await server.events("ana", m("a2", ids["A1"], "+447700900002", now - 30))  # only ana's
    seen = await _ask(server, "ana", (ids["A1"], "+447700900001"), (ids["A1"], "+447700900002"),
                      (ids["A1"], "+447700900003"), (ids["A1"], "+447700900001"))  # fmt: skip
    assert seen == {
        (ids["A1"], "+447700900001"): now - DAY,  # ben's first, on his account
        (ids["A1"], "+447700900002"): now - 30,
    }  # +447700900003 was never seen: simply absent; the repeat answered once
    # A supervisor of the team asks about the team's accounts too.
    assert await _ask(server, "sue", (ids["A2"], "+447700900001")) == {
        (ids["A2"], "+447700900001"): now - DAY
    }


async def test_a_phone_number_is_one_person_on_every_platform_a_chat_id_is_not(server) -> None:
    await _phone_case(server)


async def _phone_case(server: Any) -> None:
    ids = await _teams(server)
    now = time.time()
    m = server.message
    # Ben saw the phone on Telegram two days ago, and a Telegram chat id "777".
    await server.events("ben", m("t1", ids["T2"], "+447700900009", now - 2 * DAY))
    await server.events("ben", m("t2", ids["T2"], "777", now - 2 * DAY))
    await server.events("ana", m("a1", ids["A1"], "+447700900009", now - 60))
    await server.events("ana", m("a2", ids["A1"], "777", now - 50))
    seen = await _ask(server, "ana", (ids["A1"], "+447700900009"), (ids["A1"], "777"))
    assert seen == {
        (ids["A1"], "+447700900009"): now - 2 * DAY,  # the same number: the same person
        (ids["A1"], "777"): now - 50,  # WhatsApp's "777" is not Telegram's chat 777
    }


async def test_another_teams_contacts_and_accounts_stay_theirs(server) -> None:
    await _isolation_case(server)


async def _isolation_case(server: Any) -> None:
    ids = await _teams(server)
    now = time.time()
    m = server.message
    await server.events("zoe", m("z1", ids["B"], "+447700900001", now - 10 * DAY))
    await server.events("solo", m("s1", ids["S"], "+447700900001", now - 5 * DAY))
    await server.events("ana", m("a1", ids["A1"], "+447700900001", now - 60))
    # Team b's and solo's sightings do not reach team a's answer.
    assert await _ask(server, "ana", (ids["A1"], "+447700900001")) == {
        (ids["A1"], "+447700900001"): now - 60
    }
    # An account without a team is a team of its own.
    assert await _ask(server, "solo", (ids["S"], "+447700900001")) == {
        (ids["S"], "+447700900001"): now - 5 * DAY
    }
    # Another team's account looks exactly like a missing one, wherever it is in the batch.
    body = {"contacts": [{"account_id": ids["B"], "handle": "+447700900001"}]}
    for login, account in (("ana", ids["B"]), ("ana", "no-such-account"), ("zoe", ids["A1"]),
                           ("solo", ids["A1"])):  # fmt: skip
        asked = [{"account_id": ids["A1"] if login == "ana" else ids["S"], "handle": "+44"},
                 {"account_id": account, "handle": "+447700900001"}]  # fmt: skip
        if login != "ana":
            asked = asked[1:]
        answer = await server.call(login, "POST", PATH, {"contacts": asked})
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "invalid"
        assert error["field"] == f"contacts[{len(asked) - 1}].account_id"
        assert error["message"] == f"No such account of yours: {account}."
    assert (await server.call(None, "POST", PATH, body)).status_code == 401
    # The admin sees every account.
    assert await _ask(server, "admin", (ids["B"], "+447700900001")) == {
        (ids["B"], "+447700900001"): now - 10 * DAY
    }


async def test_oversized_and_bad_requests_are_refused_with_the_field(server) -> None:
    ids = await _teams(server)
    many = [{"account_id": ids["A1"], "handle": f"+4477009{n:05d}"} for n in range(501)]
    answer = await server.call("ana", "POST", PATH, {"contacts": many})
    assert answer.status_code == 413
    assert answer.json()["error"] == {
        "code": "too_large",
        "message": "At most 500 contacts per request.",
        "field": "contacts",
    }
    assert (await server.call("ana", "POST", PATH, {"contacts": many[:500]})).status_code == 200
    huge = {"contacts": [{"account_id": ids["A1"], "handle": "x" * 200}] * 6000}  # > 1 MB
    answer = await server.call("ana", "POST", PATH, huge)
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
    for body, field in (
        ({"contacts": [{"account_id": ids["A1"]}]}, "contacts[0].handle"),
        ({"contacts": [{"account_id": ids["A1"], "handle": ""}]}, "contacts[0].handle"),
        ({"contacts": [{"account_id": ids["A1"], "handle": "+44", "x": 1}]}, "contacts[0].x"),
        ({"contacts": [{"account_id": ids["A1"], "handle": "h" * 201}]}, "contacts[0].handle"),
        ({"contacts": "+44"}, "contacts"),
        ({}, "contacts"),
    ):
        answer = await server.call("ana", "POST", PATH, body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["error"]["field"] == field
    assert await _ask(server, "ana") == {}  # nothing asked, nothing answered


@pytest.mark.postgres
@pytest.mark.parametrize("case", ["teammate", "phone", "isolation"])
async def test_the_same_answers_on_postgresql(make_server, pg_url: str, case: str) -> None:
    cases = {"teammate": _teammate_case, "phone": _phone_case, "isolation": _isolation_case}
    await cases[case](await make_server(pg_url))
