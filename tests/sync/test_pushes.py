"""Stream messages become typed pushes; unknown kinds are tolerated, garbage is named."""

from __future__ import annotations

import pytest

from relaydesk.sync.pushes import (
    Assigned,
    Handoff,
    MalformedPush,
    OwnerChanged,
    QueueChanged,
    RulesChanged,
    UnknownPush,
    Warning,
    parse_push,
)

CONVERSATION = {
    "conversation_id": "c1",
    "account_id": "a1",
    "contact_id": "k1",
    "owner_id": "ag1",
    "state": "assigned",
    "priority": 2,
    "label": "normal",
}


def test_each_kind_the_server_pushes_has_its_type() -> None:
    assigned = parse_push(
        {"seq": 1, "type": "assigned", "at": 5.0, **CONVERSATION, "reason": "least_loaded"}
    )
    assert isinstance(assigned, Assigned)
    assert (assigned.conversation_id, assigned.owner_id, assigned.reason) == (
        "c1",
        "ag1",
        "least_loaded",
    )
    handoff = parse_push(
        {
            "seq": 2,
            "type": "handoff",
            **CONVERSATION,
            "from_agent_id": "ag1",
            "to_agent_id": "ag2",
            "reason": "reply_timeout",
        }
    )
    assert isinstance(handoff, Handoff)
    assert (handoff.from_agent_id, handoff.to_agent_id) == ("ag1", "ag2")
    owner = parse_push({"seq": 3, "type": "owner_changed", **CONVERSATION, "reason": "closed"})
    assert isinstance(owner, OwnerChanged) and owner.reason == "closed"
    queue = parse_push({"seq": 4, "type": "queue_changed", "account_id": "a1", "queued": 3})
    assert isinstance(queue, QueueChanged) and queue.queued == 3
    warning = parse_push(
        {
            "seq": 5,
            "type": "warning",
            "kind": "collision",
            "message": "Both",
            "conversation_id": "c1",
            "agent_id": "ag2",
            "other_agent_id": "ag1",
        }
    )
    assert isinstance(warning, Warning) and warning.kind == "collision"
    rules = parse_push({"seq": 6, "type": "rules_changed", "policy": "least_loaded"})
    assert isinstance(rules, RulesChanged) and rules.policy == "least_loaded"


def test_a_handoff_carries_its_context_when_the_server_sends_it() -> None:
    bare = parse_push({"seq": 1, "type": "handoff", **CONVERSATION, "from_agent_id": "ag1"})
    assert isinstance(bare, Handoff) and bare.notes == () and bare.summary is None
    full = parse_push(
        {"seq": 2, "type": "handoff", **CONVERSATION, "from_agent_id": "ag1",
         "to_agent_id": "ag2", "notes": ["wants a refund"], "tags": ["vip"],
         "summary": "Customer asks about order 1234 (translated from Thai)."}
    )  # fmt: skip
    assert isinstance(full, Handoff)
    assert full.notes == ("wants a refund",) and full.tags == ("vip",)
    assert full.summary is not None and "order 1234" in full.summary


def test_a_kind_added_by_a_newer_server_keeps_its_number() -> None:
    push = parse_push({"seq": 9, "type": "board_refreshed", "extra": 1})
    assert isinstance(push, UnknownPush)
    assert push.seq == 9 and push.raw["extra"] == 1


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ([1, 2], "JSON object"),
        ({"type": "assigned"}, "seq"),
        ({"seq": 0, "type": "assigned"}, "positive integer"),
        ({"seq": "7", "type": "assigned"}, "positive integer"),
        ({"seq": 3, "type": "assigned", "account_id": "a1"}, "conversation_id"),
        ({"seq": 3, "type": "queue_changed", "account_id": "a1", "queued": "many"}, "many"),
    ],
)
def test_a_message_that_is_not_a_push_is_named(message: object, named: str) -> None:
    with pytest.raises(MalformedPush, match=named):
        parse_push(message)
