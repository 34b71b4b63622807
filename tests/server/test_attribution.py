"""Attribution: a split link's code in the customer's first message marks the conversation as
link traffic with the link's priority; a missing, mangled or foreign code is organic, never an
error; a later message never re-attributes, but the real first message reported late does."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

LINK_PRIORITY = [
    {"name": "campaign", "level": 5, "label": "campaign", "sources": ["ad", "link"]},
    {"name": "walk-in", "level": 1, "label": "organic", "sources": ["organic"]},
]


async def _shop(server: Any) -> dict[str, Any]:
    """Team a with a WhatsApp account and a link to it; team b with its own account and link."""
    ids: dict[str, Any] = {
        "ana": await server.add_agent("ana", team="a", capacity=10),
        "zoe": await server.add_agent("zoe", team="b", capacity=10),
    }
    ids["wa"] = await server.add_account("+1 555 0100", [ids["ana"]], team="a")
    ids["b_wa"] = await server.add_account("+1 555 0200", [ids["zoe"]], team="b")
    await server.heartbeat("ana", [ids["wa"]])
    await server.heartbeat("zoe", [ids["b_wa"]])
    for name, account, team in (("promo", ids["wa"], "a"), ("other", ids["b_wa"], "b")):
        body = {"slug": name, "targets": [{"account_id": account}], "message": "Hi", "team": team}
        answer = await server.call("admin", "POST", "/v1/links", body)
        assert answer.status_code == 201, answer.text
        ids[name] = answer.json()
    await server.set_rules(priority_rules=LINK_PRIORITY)
    return ids


async def _conversation(server: Any, handle: str) -> dict[str, Any]:
    rows = (await server.call("admin", "GET", "/v1/conversations")).json()
    [conv] = [c for c in rows if c["contact_id"] == _contact_id(server, handle)]
    return dict(conv)


def _contact_id(server: Any, handle: str) -> str:
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        (contact_id,) = db.execute("SELECT id FROM contacts WHERE handle = ?", (handle,)).fetchone()
    return str(contact_id)


def _link_of(server: Any, handle: str) -> tuple[Any, Any]:
    """(conversation link_id, intake link_id) of the contact's one conversation."""
    with sqlite3.connect(server.db.split(":///", 1)[1]) as db:
        contact = _contact_id(server, handle)
        (conv,) = db.execute(
            "SELECT link_id FROM conversations WHERE contact_id = ?", (contact,)
        ).fetchone()
        (intake,) = db.execute(
            "SELECT link_id FROM intakes WHERE contact_id = ?", (contact,)
        ).fetchone()
    return conv, intake


async def test_the_first_message_code_marks_the_source_link_and_its_priority(server) -> None:
    ids = await _shop(server)
    code = ids["promo"]["code"]
    await server.events("ana", server.message("e1", ids["wa"], "+44 1", 1000.0, f"Hi #{code}"))
    conv = await _conversation(server, "+44 1")
    assert (conv["source"], conv["priority"], conv["label"]) == ("link", 5, "campaign")
    assert _link_of(server, "+44 1") == (ids["promo"]["id"], ids["promo"]["id"])


async def test_lowercase_code_still_attributes_people_retype_it(server) -> None:
    ids = await _shop(server)
    code = ids["promo"]["code"].lower()
    await server.events("ana", server.message("e1", ids["wa"], "+44 2", 1000.0, f"hi #{code}!"))
    assert (await _conversation(server, "+44 2"))["source"] == "link"


async def test_deleted_mangled_or_foreign_codes_count_as_organic(server) -> None:
    ids = await _shop(server)
    code = ids["promo"]["code"]
    texts = {
        "+44 3": "Hi, I deleted the code",
        "+44 4": f"Hi #{code[:-1]}",  # a letter lost
        "+44 5": f"Hi #{code}{code}",  # pasted twice: no link has that code
        "+44 6": f"Hi #{ids['other']['code']}",  # team b's link on team a's account
        "+44 7": "Hi #",
    }
    for number, (handle, text) in enumerate(texts.items()):
        answer = await server.call(
            "ana",
            "POST",
            "/v1/events",
            {"events": [server.message(f"m{number}", ids["wa"], handle, 1000.0 + number, text)]},
        )
        assert answer.status_code == 200, answer.text
    for handle in texts:
        conv = await _conversation(server, handle)
        assert (conv["source"], conv["priority"], conv["label"]) == ("organic", 1, "organic")
        assert _link_of(server, handle) == (None, None)


async def test_a_code_in_a_later_message_does_not_re_attribute(server) -> None:
    ids = await _shop(server)
    code = ids["promo"]["code"]
    m = server.message
    await server.events("ana", m("e1", ids["wa"], "+44 8", 1000.0, "Hello"))
    await server.events("ana", m("e2", ids["wa"], "+44 8", 1010.0, f"Oh and #{code}"))
    conv = await _conversation(server, "+44 8")
    assert (conv["source"], conv["priority"]) == ("organic", 1)
    assert _link_of(server, "+44 8") == (None, None)


async def test_the_first_message_reported_late_still_attributes(server) -> None:
    """A workstation saw two new messages at once and reported the newest; when the chat was
    opened it reported the first one, dated before it: the conversation becomes link traffic."""
    ids = await _shop(server)
    code = ids["promo"]["code"]
    m = server.message
    await server.events("ana", m("e1", ids["wa"], "+44 9", 1000.0, "Do you ship to Spain?"))
    assert (await _conversation(server, "+44 9"))["source"] == "organic"
    await server.events("ana", m("e0", ids["wa"], "+44 9", 999.999, f"Hi #{code}"))
    conv = await _conversation(server, "+44 9")
    assert (conv["source"], conv["priority"], conv["label"]) == ("link", 5, "campaign")
    assert _link_of(server, "+44 9") == (ids["promo"]["id"], ids["promo"]["id"])


async def test_an_admin_link_without_team_attributes_on_its_own_targets(server) -> None:
    ids = await _shop(server)
    body = {"slug": "open", "targets": [{"account_id": ids["b_wa"]}]}
    link = (await server.call("admin", "POST", "/v1/links", body)).json()
    await server.events("zoe", server.message("e1", ids["b_wa"], "+44 10", 1.0, f"#{link['code']}"))
    assert (await _conversation(server, "+44 10"))["source"] == "link"


async def test_the_first_message_reported_late_in_the_same_upload_still_attributes(server) -> None:
    """An offline workstation uploads both at once: the question, then the hidden first line."""
    ids = await _shop(server)
    code = ids["promo"]["code"]
    m = server.message
    await server.events(
        "ana",
        m("e1", ids["wa"], "+44 11", 1000.0, "Do you ship to Spain?"),
        m("e0", ids["wa"], "+44 11", 999.999, f"Hi #{code}"),
    )
    conv = await _conversation(server, "+44 11")
    assert (conv["source"], conv["priority"]) == ("link", 5)
    assert _link_of(server, "+44 11") == (ids["promo"]["id"], ids["promo"]["id"])


@pytest.mark.postgres
async def test_codes_late_first_lines_and_foreign_links_on_postgresql(make_server, pg_url) -> None:
    server = await make_server(pg_url)
    ids = await _shop(server)
    m = server.message
    await server.events(
        "ana",
        m("e1", ids["wa"], "+44 1", 1000.0, "Do you ship to Spain?"),
        m("e0", ids["wa"], "+44 1", 999.999, f"hi #{ids['promo']['code'].lower()}"),
    )
    await server.events("ana", m("e2", ids["wa"], "+44 2", 1000.0, f"#{ids['other']['code']}"))
    rows = (await server.call("admin", "GET", "/v1/conversations")).json()
    assert sorted((r["source"], r["priority"]) for r in rows) == [("link", 5), ("organic", 1)]


async def test_an_ad_campaigns_link_marks_its_conversations_as_ad_traffic(server) -> None:
    ids = await _shop(server)
    rules = [*LINK_PRIORITY, {"name": "paid", "level": 8, "label": "paid ad", "sources": ["ad"]}]
    await server.set_rules(priority_rules=rules)
    body = {"slug": "spring-ad", "targets": [{"account_id": ids["wa"]}], "source": "ad"}
    answer = await server.call("admin", "POST", "/v1/links", body)
    assert answer.status_code == 201 and answer.json()["source"] == "ad", answer.text
    ad = answer.json()
    assert ids["promo"]["source"] == "link"  # the default
    await server.events("ana", server.message("e1", ids["wa"], "+44 12", 1.0, f"#{ad['code']}"))
    conv = await _conversation(server, "+44 12")
    assert (conv["source"], conv["priority"], conv["label"]) == ("ad", 8, "paid ad")
    # A link's kind can change (not to something else); null keeps it.
    path = f"/v1/links/{ids['promo']['id']}"
    assert (await server.call("admin", "PATCH", path, {"source": "ad"})).json()["source"] == "ad"
    assert (await server.call("admin", "PATCH", path, {"source": None})).json()["source"] == "ad"
    refused = await server.call("admin", "PATCH", path, {"source": "tv"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "source"
    report = (await server.call("admin", "GET", "/v1/reports/links")).json()
    assert {r["slug"]: r["source"] for r in report["links"]}["spring-ad"] == "ad"
