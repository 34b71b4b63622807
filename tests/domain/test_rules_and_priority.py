"""Routing-rules documents (validation names the bad field) and the manager's priority rules."""

from __future__ import annotations

import pytest

from relaydesk.domain.models import Conversation, Source
from relaydesk.domain.priority import (
    ConversationFacts,
    PriorityRule,
    contains_any,
    detect_complaint,
    effective_priority,
    evaluate,
)
from relaydesk.domain.rules import RoutingRules, RulesError, rules_json_schema

# ---- rules documents ---------------------------------------------------------------------------


def test_empty_document_gives_the_defaults() -> None:
    rules = RoutingRules.from_document({})
    assert rules == RoutingRules()
    assert rules.policy == "load_aware"


def test_document_round_trips() -> None:
    doc = {
        "policy": "round_robin",
        "reply_timeout_s": {"3": 30, "0": 300},
        "offline_grace_s": 90,
        "max_auto_handoffs": 4,
        "priority_rules": [
            {"name": "vip", "level": 5, "tags_any": ["VIP"]},
            {"name": "ads", "level": 2, "label": "campaign", "sources": ["ad", "link"]},
        ],
        "load": {"pace_weight": 0.3, "min_speed_samples": 5},
    }
    rules = RoutingRules.from_document(doc)
    assert rules.reply_timeout_for(3) == 30.0
    assert rules.reply_timeout_for(1) == rules.default_reply_timeout_s
    assert rules.load.min_speed_samples == 5
    assert RoutingRules.from_document(rules.to_document()) == rules


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"policy": "fastest"}, "policy"),
        ({"offline_grace_s": "60"}, "offline_grace_s"),
        ({"sticky_grace_s": -1}, "sticky_grace_s"),
        ({"max_auto_handoffs": 1.5}, "max_auto_handoffs"),
        ({"default_capacity": 0}, "default_capacity"),
        ({"reply_timeout_s": {"high": 30}}, "reply_timeout_s.high"),
        ({"reply_timeout_s": {"2": 0}}, "reply_timeout_s.2"),
        ({"reply_timeout_s": [30]}, "reply_timeout_s"),
        ({"priority_rules": {"name": "x"}}, "priority_rules"),
        ({"priority_rules": [{"name": "x", "level": 1}, {"level": 2}]}, "priority_rules[1].name"),
        ({"priority_rules": [{"name": "x", "level": "high"}]}, "priority_rules[0].level"),
        ({"priority_rules": [{"name": "x", "level": 1, "sources": ["tv"]}]},
         "priority_rules[0].sources[0]"),
        ({"priority_rules": [{"name": "x", "level": 1, "colour": "red"}]},
         "priority_rules[0].colour"),
        ({"priority_rules": [{"name": "x", "level": 1, "keywords_any": ["ok", ""]}]},
         "priority_rules[0].keywords_any[1]"),
        ({"priority_rules": [{"name": "x", "level": 1, "returning": "yes"}]},
         "priority_rules[0].returning"),
        ({"load": {"speed_max": "fast"}}, "load.speed_max"),
        ({"load": {"turbo": 1}}, "load.turbo"),
        ({"polcy": "random"}, "polcy"),
    ],
)  # fmt: skip
def test_bad_document_names_the_field(doc: dict[str, object], field: str) -> None:
    with pytest.raises(RulesError) as caught:
        RoutingRules.from_document(doc)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_bool_is_not_a_number() -> None:
    with pytest.raises(RulesError, match="offline_grace_s: must be a number"):
        RoutingRules.from_document({"offline_grace_s": True})


def test_schema_lists_every_policy_and_load_parameter() -> None:
    schema = rules_json_schema()
    assert "per_agent_split" in schema["properties"]["policy"]["enum"]
    assert "pace_window_s" in schema["properties"]["load"]["properties"]
    assert set(RoutingRules().to_document()) <= set(schema["properties"])


def test_idle_after_drives_the_load_model() -> None:
    assert RoutingRules(idle_after_s=300).load.idle_after_s == 300


# ---- priority rules ----------------------------------------------------------------------------


def _level(**facts: object) -> tuple[int, str]:
    result = evaluate(RoutingRules().priority_rules, ConversationFacts(**facts))  # type: ignore[arg-type]
    return result.level, result.label


def test_default_rules_source_returning_vip() -> None:
    assert _level(source=Source.ORGANIC) == (0, "")
    assert _level(source=Source.AD) == (2, "campaign")
    assert _level(source=Source.LINK) == (2, "campaign")
    assert _level(returning=True) == (1, "returning")
    assert _level(tags=frozenset({"VIP"})) == (3, "VIP")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("这个多少钱？价格是多少", "price"),
        ("我想付款", "payment"),
        ("请问怎么支付", "payment"),
        ("What's the price of the blue one?", "price"),
        ("¿Cuánto cuesta?", "price"),
        ("Сколько стоит доставка? Цена?", "price"),
        ("I paid twice, please refund", "payment"),
        ("hello there", ""),
    ],
)
def test_intent_keywords_in_several_languages(text: str, label: str) -> None:
    assert _level(text=text)[1] == label


def test_complaint_text_or_flag_gives_the_complaint_level_and_label() -> None:
    assert _level(text="我要投诉你们") == (3, "complaint")
    assert _level(text="This is unacceptable, the worst service") == (3, "complaint")
    assert _level(complaint=True) == (3, "complaint")
    result = evaluate(RoutingRules().priority_rules, ConversationFacts(text="太差了"))
    assert result.complaint


def test_highest_level_wins_and_the_first_rule_on_a_tie() -> None:
    rules = (
        PriorityRule("a", 1, "first", sources=frozenset({Source.AD})),
        PriorityRule("b", 4, "second", keywords_any=("refund",)),
        PriorityRule("c", 4, "third", keywords_any=("refund",)),
    )
    result = evaluate(rules, ConversationFacts(source=Source.AD, text="Refund please"))
    assert (result.level, result.label) == (4, "second")


def test_rule_needs_all_its_conditions() -> None:
    rule = PriorityRule(
        "ad-vip", 5, "x", sources=frozenset({Source.AD}), tags_any=frozenset({"vip"})
    )
    assert rule.matches(ConversationFacts(source=Source.AD, tags=frozenset({"Vip"})))
    assert not rule.matches(ConversationFacts(source=Source.AD))
    assert not rule.matches(ConversationFacts(source=Source.LINK, tags=frozenset({"vip"})))


def test_keywords_match_whole_words_prefixes_and_cjk_substrings() -> None:
    assert contains_any("card payment failed", ["card"])
    assert not contains_any("discarded", ["card"])
    assert contains_any("цены выросли", ["цен*"])
    assert contains_any("请问价格多少", ["价格"])
    assert not detect_complaint("everything works fine, thanks")


def test_age_credit_raises_effective_priority_so_nothing_starves() -> None:
    rules = RoutingRules(age_credit_s=600.0)
    old = Conversation("old", "acc", "c", 0.0, priority=0)
    fresh = Conversation("fresh", "acc", "c", 1500.0, priority=2)
    assert effective_priority(old, 1500.0, rules) == pytest.approx(2.5)
    assert effective_priority(fresh, 1500.0, rules) == 2.0
    assert effective_priority(old, 1500.0, RoutingRules(age_credit_s=0)) == 0.0
