"""Routing rules as one validated document: what a manager edits and the server stores.

``RoutingRules.from_document`` accepts the JSON a manager (or the server's settings page) writes and
names the offending field on any mistake, e.g. ``priority_rules[2].level: must be an integer``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from relaydesk.domain.load import LoadParams
from relaydesk.domain.models import Source
from relaydesk.domain.priority import DEFAULT_PRIORITY_RULES, PriorityRule

POLICIES = (
    "load_aware",
    "fifo_pooled",
    "round_robin",
    "longest_idle",
    "random",
    "per_agent_split",
)


class RulesError(ValueError):
    """A routing-rules document is invalid; ``field`` is the JSON path of the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


_SCALARS: dict[str, float] = {
    "default_reply_timeout_s": 120.0,
    "offline_grace_s": 60.0,
    "sticky_grace_s": 60.0,
    "skill_relax_s": 120.0,
    "age_credit_s": 600.0,
    "idle_after_s": 600.0,
    "shift_notice_s": 600.0,
}


@dataclass(frozen=True, slots=True)
class RoutingRules:
    """Everything the router, the handoff policy and the load model are tuned by."""

    policy: str = "load_aware"
    reply_timeout_s: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    default_reply_timeout_s: float = 120.0
    offline_grace_s: float = 60.0
    max_auto_handoffs: int = 2
    sticky_grace_s: float = 60.0
    # After this wait the language requirement is dropped, after twice this the skills.
    skill_relax_s: float = 120.0
    age_credit_s: float = 600.0  # one priority level of credit per this much waiting
    idle_after_s: float = 600.0
    shift_notice_s: float = 600.0  # the warning before a shift ends lists what will move
    default_capacity: int = 3  # for agents whose capacity nobody set
    priority_rules: tuple[PriorityRule, ...] = DEFAULT_PRIORITY_RULES
    load: LoadParams = field(default_factory=LoadParams)

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise RulesError("policy", f"must be one of {', '.join(POLICIES)}")
        # One source of truth for idleness: the rules' value drives the load model too.
        if self.load.idle_after_s != self.idle_after_s:
            object.__setattr__(
                self, "load", dataclasses.replace(self.load, idle_after_s=self.idle_after_s)
            )
        object.__setattr__(self, "reply_timeout_s", MappingProxyType(dict(self.reply_timeout_s)))

    def reply_timeout_for(self, priority: int) -> float:
        """Seconds an owner has to reply at this priority level."""
        return self.reply_timeout_s.get(priority, self.default_reply_timeout_s)

    @classmethod
    def from_document(cls, doc: Mapping[str, object]) -> RoutingRules:
        """Validate a JSON document (see :func:`rules_json_schema`); missing keys take defaults."""
        return _parse(doc)

    def to_document(self) -> dict[str, Any]:
        """The JSON document that :meth:`from_document` reads back to equal rules."""
        return {
            "policy": self.policy,
            "reply_timeout_s": {str(k): v for k, v in sorted(self.reply_timeout_s.items())},
            **{name: getattr(self, name) for name in _SCALARS},
            "max_auto_handoffs": self.max_auto_handoffs,
            "default_capacity": self.default_capacity,
            "priority_rules": [_rule_document(r) for r in self.priority_rules],
            "load": {f.name: getattr(self.load, f.name) for f in dataclasses.fields(LoadParams)},
        }


def _rule_document(rule: PriorityRule) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": rule.name, "level": rule.level, "label": rule.label}
    if rule.sources:
        doc["sources"] = sorted(s.value for s in rule.sources)
    if rule.returning is not None:
        doc["returning"] = rule.returning
    if rule.tags_any:
        doc["tags_any"] = sorted(rule.tags_any)
    if rule.keywords_any:
        doc["keywords_any"] = list(rule.keywords_any)
    if rule.complaint is not None:
        doc["complaint"] = rule.complaint
    return doc


def _number(value: object, path: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(path, "must be a number")
    if value < minimum:
        raise RulesError(path, f"must be at least {minimum:g}")
    return float(value)


def _integer(value: object, path: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(path, "must be an integer")
    if minimum is not None and value < minimum:
        raise RulesError(path, f"must be at least {minimum}")
    return value


def _string_list(value: object, path: str) -> list[str]:
    if not isinstance(value, list):
        raise RulesError(path, "must be a list of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise RulesError(f"{path}[{i}]", "must be a non-empty string")
    return list(value)


def _optional_bool(doc: Mapping[str, object], key: str, path: str) -> bool | None:
    value = doc.get(key)
    if value is not None and not isinstance(value, bool):
        raise RulesError(f"{path}.{key}", "must be true, false or absent")
    return value


def _parse_rule(doc: object, path: str) -> PriorityRule:
    if not isinstance(doc, Mapping):
        raise RulesError(path, "must be an object")
    unknown = set(doc) - set(_RULE_KEYS)
    if unknown:
        raise RulesError(f"{path}.{sorted(unknown)[0]}", "is not a known rule field")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RulesError(f"{path}.name", "must be a non-empty string")
    label = doc.get("label", name)
    if not isinstance(label, str):
        raise RulesError(f"{path}.label", "must be a string")
    sources: set[Source] = set()
    for i, raw in enumerate(_string_list(doc.get("sources", []), f"{path}.sources")):
        try:
            sources.add(Source(raw))
        except ValueError:
            allowed = ", ".join(s.value for s in Source)
            raise RulesError(f"{path}.sources[{i}]", f"must be one of {allowed}") from None
    return PriorityRule(
        name=name,
        level=_integer(doc.get("level"), f"{path}.level"),
        label=label,
        sources=frozenset(sources),
        returning=_optional_bool(doc, "returning", path),
        tags_any=frozenset(_string_list(doc.get("tags_any", []), f"{path}.tags_any")),
        keywords_any=tuple(_string_list(doc.get("keywords_any", []), f"{path}.keywords_any")),
        complaint=_optional_bool(doc, "complaint", path),
    )


_RULE_KEYS = (
    "name",
    "level",
    "label",
    "sources",
    "returning",
    "tags_any",
    "keywords_any",
    "complaint",
)


def _parse_load(doc: object) -> LoadParams:
    if not isinstance(doc, Mapping):
        raise RulesError("load", "must be an object")
    known = {f.name: f for f in dataclasses.fields(LoadParams)}
    values: dict[str, Any] = {}
    for key, raw in doc.items():
        if key not in known:
            raise RulesError(f"load.{key}", "is not a known load parameter")
        if known[key].type in ("int", int):
            values[key] = _integer(raw, f"load.{key}", minimum=0)
        else:
            values[key] = _number(raw, f"load.{key}")
    if values.get("day_starts_at_utc_s", 0.0) >= 86400:
        raise RulesError("load.day_starts_at_utc_s", "must be less than 86400 (one day)")
    return LoadParams(**values)


def _parse(doc: Mapping[str, object]) -> RoutingRules:
    if not isinstance(doc, Mapping):
        raise RulesError("$", "the routing rules must be a JSON object")
    allowed = {
        *_SCALARS,
        "policy",
        "reply_timeout_s",
        "max_auto_handoffs",
        "default_capacity",
        "priority_rules",
        "load",
    }
    unknown = set(doc) - allowed
    if unknown:
        raise RulesError(sorted(unknown)[0], "is not a known routing rule")
    kwargs: dict[str, Any] = {}
    policy = doc.get("policy", "load_aware")
    if policy not in POLICIES:
        raise RulesError("policy", f"must be one of {', '.join(POLICIES)}")
    kwargs["policy"] = policy
    for name in _SCALARS:
        if name in doc:
            kwargs[name] = _number(doc[name], name)
    if "max_auto_handoffs" in doc:
        kwargs["max_auto_handoffs"] = _integer(
            doc["max_auto_handoffs"], "max_auto_handoffs", minimum=0
        )
    if "default_capacity" in doc:
        kwargs["default_capacity"] = _integer(
            doc["default_capacity"], "default_capacity", minimum=1
        )
    timeouts = doc.get("reply_timeout_s", {})
    if not isinstance(timeouts, Mapping):
        raise RulesError("reply_timeout_s", "must be an object of priority level → seconds")
    parsed: dict[int, float] = {}
    for key, value in timeouts.items():
        try:
            level = int(str(key))
        except ValueError:
            raise RulesError(f"reply_timeout_s.{key}", "key must be a priority level") from None
        parsed[level] = _number(value, f"reply_timeout_s.{key}", minimum=1.0)
    kwargs["reply_timeout_s"] = parsed
    if "priority_rules" in doc:
        rules = doc["priority_rules"]
        if not isinstance(rules, list):
            raise RulesError("priority_rules", "must be a list of rules")
        kwargs["priority_rules"] = tuple(
            _parse_rule(r, f"priority_rules[{i}]") for i, r in enumerate(rules)
        )
    if "load" in doc:
        kwargs["load"] = _parse_load(doc["load"])
    return RoutingRules(**kwargs)


def rules_json_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of a routing-rules document."""
    number = {"type": "number", "minimum": 0}
    rule = {
        "type": "object",
        "required": ["name", "level"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "level": {"type": "integer"},
            "label": {"type": "string"},
            "sources": {"type": "array", "items": {"enum": [s.value for s in Source]}},
            "returning": {"type": ["boolean", "null"]},
            "tags_any": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "keywords_any": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "case-insensitive; word boundaries except CJK; trailing * = prefix",
            },
            "complaint": {"type": ["boolean", "null"]},
        },
    }
    load_props: dict[str, Any] = {}
    for f in dataclasses.fields(LoadParams):
        is_int = f.type in ("int", int)
        load_props[f.name] = {
            "type": "integer" if is_int else "number",
            "minimum": 0,
            "default": f.default,
        }
    load_props["day_starts_at_utc_s"]["exclusiveMaximum"] = 86400
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Relaydesk routing rules",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "policy": {"enum": list(POLICIES), "default": "load_aware"},
            "reply_timeout_s": {
                "type": "object",
                "propertyNames": {"pattern": "^-?[0-9]+$"},
                "additionalProperties": {"type": "number", "minimum": 1},
            },
            **{name: {**number, "default": default} for name, default in _SCALARS.items()},
            "max_auto_handoffs": {"type": "integer", "minimum": 0, "default": 2},
            "default_capacity": {"type": "integer", "minimum": 1, "default": 3},
            "priority_rules": {"type": "array", "items": rule},
            "load": {"type": "object", "additionalProperties": False, "properties": load_props},
        },
    }
