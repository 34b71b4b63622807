"""The routing scenarios of issue 2, run through the Dispatcher and the pure routing functions."""

from __future__ import annotations

from collections.abc import Iterable

from relaydesk.domain.decisions import Assigned, Decision, HandedOff, Queued, Released, Warning
from relaydesk.domain.engine import Dispatcher
from relaydesk.domain.load import LoadParams, agent_load
from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Awaiting,
    Conversation,
    ConversationState,
)
from relaydesk.domain.routing import Candidate, choose_agent, eligible
from relaydesk.domain.rules import RoutingRules

ACCOUNT = "acc"
NOW = 10_000.0


def make_agent(agent_id: str, capacity: int = 2, **kw: object) -> Agent:
    kw.setdefault("status", AgentStatus.ONLINE)
    kw.setdefault("accounts", frozenset({ACCOUNT}))
    return Agent(agent_id, capacity=capacity, **kw)  # type: ignore[arg-type]


def make_conv(conv_id: str, at: float = 0.0, **kw: object) -> Conversation:
    return Conversation(conv_id, ACCOUNT, f"contact-{conv_id}", at, **kw)  # type: ignore[arg-type]


def dispatcher(agents: Iterable[Agent], **rules: object) -> Dispatcher:
    d = Dispatcher(RoutingRules(**rules))  # type: ignore[arg-type]
    for a in agents:
        d.add_agent(a)
    d.advance(0.0)
    return d


def assigned(decisions: list[Decision]) -> dict[str, str]:
    return {d.conversation_id: d.agent_id for d in decisions if isinstance(d, Assigned)}


def owned_conversations(agent: Agent, count: int) -> list[Conversation]:
    convs = []
    for i in range(count):
        c = make_conv(f"{agent.id}-{i}", NOW - 30, state=ConversationState.ASSIGNED)
        c.owner_id = agent.id
        c.last_activity_at = NOW - 10
        convs.append(c)
    return convs


def candidates(pairs: list[tuple[Agent, int]]) -> list[Candidate]:
    params = LoadParams()
    return [(a, agent_load(a, owned_conversations(a, n), NOW, params)) for a, n in pairs]


# ---- eligibility and capacity ------------------------------------------------------------------


def test_cap_two_only_agents_under_capacity_are_eligible() -> None:
    agents = [make_agent(f"a{n}") for n in (1, 2, 3, 0)]
    cands = candidates(list(zip(agents, (1, 2, 3, 0), strict=True)))
    conv = make_conv("new", NOW)
    rules = RoutingRules()
    ok = [a.id for a, load in cands if eligible(a, load, conv, rules, NOW)]
    assert ok == ["a1", "a0"]
    assert cands[2][1].over_capacity


def test_offline_agents_and_other_accounts_are_not_eligible() -> None:
    d = dispatcher(
        [
            make_agent("off", status=AgentStatus.OFFLINE),
            make_agent("away", status=AgentStatus.AWAY),
            make_agent("elsewhere", accounts=frozenset({"other"})),
            make_agent("opened", accounts=frozenset(), open_accounts=frozenset({ACCOUNT})),
        ]
    )
    assert assigned(d.open_conversation(make_conv("c", 1), 1)) == {"c": "opened"}


def test_five_conversations_two_agents_cap_two_fifth_waits_until_one_closes() -> None:
    d = dispatcher([make_agent("a"), make_agent("b")])
    decisions: list[Decision] = []
    for i in range(5):
        decisions += d.open_conversation(make_conv(f"c{i}", i), float(i))
    owners = assigned(decisions)
    assert sorted(owners.values()) == ["a", "a", "b", "b"]
    assert "c4" not in owners
    assert [c.id for c in d.queue()] == ["c4"]
    closer = owners["c0"]
    after = d.close("c0", 10)
    assert assigned(after) == {"c4": closer}
    assert d.queue() == []


def test_several_waiting_highest_priority_first_then_oldest() -> None:
    d = dispatcher([make_agent("a", capacity=1)])
    d.open_conversation(make_conv("busy", 0), 0)
    d.open_conversation(make_conv("old-low", 1, priority=0), 1)
    d.open_conversation(make_conv("new-high", 3, priority=2), 3)
    d.open_conversation(make_conv("old-high", 2, priority=2), 2)
    d.open_conversation(make_conv("mid", 4, priority=1), 4)
    served = []
    current = "busy"
    for t in range(10, 14):
        got = assigned(d.close(current, float(t)))
        current = next(iter(got))
        served.append(current)
    assert served == ["old-high", "new-high", "mid", "old-low"]


def test_age_credit_lets_a_long_waiting_low_priority_conversation_go_first() -> None:
    d = dispatcher([make_agent("a", capacity=1)], age_credit_s=600.0, idle_after_s=5000.0)
    d.open_conversation(make_conv("busy", 0), 0)
    d.open_conversation(make_conv("patient", 0, priority=0), 0)
    # Waited 1500 s = 2.5 levels of credit: beats a fresh priority-2 arrival.
    d.open_conversation(make_conv("urgent", 1500, priority=2), 1500)
    assert assigned(d.close("busy", 1501)) == {"patient": "a"}


# ---- policies ----------------------------------------------------------------------------------


def _abc() -> list[Candidate]:
    a = make_agent("A", capacity=3, last_assigned_at=NOW - 300)
    b = make_agent("B", capacity=3, last_assigned_at=NOW - 180)
    c = make_agent("C", capacity=3, last_assigned_at=NOW - 60)
    return candidates([(a, 2), (b, 1), (c, 0)])


def test_round_robin_picks_a_and_load_aware_picks_c() -> None:
    conv = make_conv("new", NOW)
    rr = choose_agent(conv, _abc(), RoutingRules(policy="round_robin"), NOW)
    la = choose_agent(conv, _abc(), RoutingRules(policy="load_aware"), NOW)
    assert rr is not None and rr.agent_id == "A"
    assert la is not None and la.agent_id == "C"


def test_longest_idle_picks_the_agent_assigned_longest_ago() -> None:
    conv = make_conv("new", NOW)
    choice = choose_agent(conv, _abc(), RoutingRules(policy="longest_idle"), NOW)
    assert choice is not None and choice.agent_id == "A"


def test_load_aware_ties_go_to_longest_since_last_assignment_then_id() -> None:
    d = dispatcher([make_agent("b", capacity=3), make_agent("a", capacity=3)])
    got = assigned(d.open_conversation(make_conv("c1", 0), 0))
    assert got == {"c1": "a"}  # never assigned: id decides
    d.close("c1", 1)
    d.agents["a"].recent_assignments.clear()
    assert assigned(d.open_conversation(make_conv("c2", 500), 500)) == {"c2": "b"}


def test_round_robin_cycles_through_agents_in_id_order() -> None:
    d = dispatcher([make_agent(x, capacity=5) for x in ("a", "b", "c")], policy="round_robin")
    order = [
        next(iter(assigned(d.open_conversation(make_conv(f"c{i}", i), float(i))).values()))
        for i in range(6)
    ]
    assert order == ["a", "b", "c", "a", "b", "c"]


def test_random_policy_is_reproducible_with_a_seed_and_picks_only_eligible_agents() -> None:
    def run(seed: int) -> list[str]:
        d = Dispatcher(RoutingRules(policy="random"), seed=seed)
        for x in ("a", "b", "c", "d"):
            d.add_agent(make_agent(x, capacity=50))
        d.add_agent(make_agent("off", capacity=50, status=AgentStatus.OFFLINE))
        d.advance(0)
        out = []
        for i in range(30):
            out += assigned(d.open_conversation(make_conv(f"c{i}", i), float(i))).values()
        return out

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert set(run(7)) <= {"a", "b", "c", "d"}
    assert len(set(run(7))) > 1


def test_fifo_pooled_ignores_priority_and_stickiness() -> None:
    d = dispatcher([make_agent("a", capacity=1), make_agent("b", capacity=1)], policy="fifo_pooled")
    d.open_conversation(make_conv("x", 0), 0)
    d.open_conversation(make_conv("y", 0.5), 0.5)
    d.open_conversation(make_conv("old-low", 1, priority=0), 1)
    d.open_conversation(make_conv("new-high", 2, priority=3), 2)
    assert [c.id for c in d.queue()] == ["old-low", "new-high"]
    assert assigned(d.close("x", 5)) == {"old-low": "a"}
    # A returning contact whose previous agent (b, full) is not held: the free agent takes it.
    assert assigned(d.close("y", 6)) == {"new-high": "b"}
    d.close("old-low", 6)
    got = d.open_conversation(make_conv("back", 7, returning=True, previous_agent_id="b"), 7)
    assert got == [Assigned("back", "a", 7, "policy")]


def test_per_agent_split_deals_in_turn_into_each_agents_own_queue() -> None:
    d = dispatcher(
        [make_agent("a", capacity=1), make_agent("b", capacity=1)], policy="per_agent_split"
    )
    decisions: list[Decision] = []
    for i in range(4):
        decisions += d.open_conversation(make_conv(f"c{i}", i), float(i))
    assert assigned(decisions) == {"c0": "a", "c1": "b"}
    dealt = [d for d in decisions if isinstance(d, Queued)]
    assert [q.reason for q in dealt] == ["dealt_to_agent", "dealt_to_agent"]
    # c2 was dealt to a: even when b frees first, b takes its own c3, not a's c2.
    assert assigned(d.close("c1", 10)) == {"c3": "b"}
    assert assigned(d.close("c0", 11)) == {"c2": "a"}


# ---- returning contacts (sticky) ---------------------------------------------------------------


def _returning(conv_id: str, at: float, previous: str) -> Conversation:
    return make_conv(conv_id, at, returning=True, previous_agent_id=previous)


def test_returning_contact_goes_to_previous_agent_when_eligible() -> None:
    d = dispatcher([make_agent("a"), make_agent("b")])
    d.open_conversation(make_conv("other", 0), 0)  # load_aware would now prefer b
    owner = d.conversations["other"].owner_id
    got = d.open_conversation(_returning("back", 1, previous=owner or ""), 1)
    assert got == [Assigned("back", owner or "", 1, "sticky")]


def test_returning_contact_goes_elsewhere_when_previous_agent_is_offline() -> None:
    d = dispatcher([make_agent("a"), make_agent("b", status=AgentStatus.OFFLINE)])
    got = d.open_conversation(_returning("back", 1, previous="b"), 1)
    assert assigned(got) == {"back": "a"}


def test_returning_contact_waits_for_a_full_previous_agent_only_within_the_grace() -> None:
    d = dispatcher([make_agent("a"), make_agent("b", capacity=1)], sticky_grace_s=60.0)
    d.open_conversation(make_conv("b-work", 0), 0)
    d.transfer("b-work", "b", 0)
    got = d.open_conversation(_returning("back", 10, previous="b"), 10)
    assert got == [Queued("back", 10, "held_for_previous_agent")]
    assert d.advance(69) == []
    assert assigned(d.advance(70)) == {"back": "a"}


def test_full_previous_agent_who_frees_within_the_grace_gets_the_returning_contact() -> None:
    d = dispatcher([make_agent("a"), make_agent("b", capacity=1)], sticky_grace_s=60.0)
    d.open_conversation(make_conv("b-work", 0), 0)
    d.transfer("b-work", "b", 0)
    d.open_conversation(_returning("back", 10, previous="b"), 10)
    assert d.close("b-work", 30) == [Assigned("back", "b", 30, "sticky")]


# ---- handoffs ----------------------------------------------------------------------------------


def test_no_reply_by_deadline_goes_to_a_different_agent_never_back() -> None:
    d = dispatcher(
        [make_agent(x, capacity=3) for x in ("a", "b")],
        default_reply_timeout_s=120.0,
        max_auto_handoffs=5,
    )
    d.open_conversation(make_conv("c", 0), 0)
    first = d.conversations["c"].owner_id
    moved = d.advance(120)
    second = d.conversations["c"].owner_id
    assert HandedOff("c", first or "", second, 120, "handoff_timeout") in moved
    assert second not in (None, first)
    # b lets it lapse too: nobody else is left, it stays and a supervisor hears of it.
    again = d.advance(240)
    assert d.conversations["c"].owner_id == second
    assert [w.kind for w in again if isinstance(w, Warning)] == ["no_eligible_agent"]


def test_reply_timeout_depends_on_priority() -> None:
    d = dispatcher(
        [make_agent("a"), make_agent("b")],
        reply_timeout_s={3: 30.0},
        default_reply_timeout_s=120.0,
    )
    d.open_conversation(make_conv("urgent", 0, priority=3), 0)
    assert d.conversations["urgent"].reply_deadline == 30.0
    assert any(isinstance(x, HandedOff) for x in d.advance(30))


def test_agent_reply_cancels_the_deadline_customer_messages_do_not() -> None:
    d = dispatcher([make_agent("a"), make_agent("b")], default_reply_timeout_s=120.0)
    d.open_conversation(make_conv("c", 0), 0)
    owner = d.conversations["c"].owner_id or ""
    d.customer_message("c", 60, chars=20)  # does not push the deadline back
    assert any(isinstance(x, HandedOff) for x in d.advance(120))

    d2 = dispatcher([make_agent("a"), make_agent("b")], default_reply_timeout_s=120.0)
    d2.open_conversation(make_conv("c", 0), 0)
    owner = d2.conversations["c"].owner_id or ""
    d2.agent_reply("c", owner, 100, chars=10)
    assert d2.advance(500) == []
    assert d2.conversations["c"].owner_id == owner
    # The customer writes again: a new deadline from that message.
    d2.customer_message("c", 600, chars=10)
    assert d2.advance(719) == []
    assert any(isinstance(x, HandedOff) for x in d2.advance(720))


def test_bounded_automatic_handoffs_then_a_supervisor_warning() -> None:
    d = dispatcher(
        [make_agent(x, capacity=3) for x in ("a", "b", "c", "d")],
        default_reply_timeout_s=100.0,
        max_auto_handoffs=2,
    )
    d.open_conversation(make_conv("c", 0), 0)
    owners = [d.conversations["c"].owner_id]
    for t in (100, 200):
        d.advance(t)
        owners.append(d.conversations["c"].owner_id)
    assert len(set(owners)) == 3
    last = d.advance(300)
    assert d.conversations["c"].owner_id == owners[-1]
    assert [w.kind for w in last if isinstance(w, Warning)] == ["handoff_limit"]
    # The warning repeats while nobody answers.
    assert [w.kind for w in d.advance(400) if isinstance(w, Warning)] == ["handoff_limit"]


def test_agent_gone_past_grace_releases_conversations_waiting_on_them() -> None:
    d = dispatcher([make_agent("a", capacity=1), make_agent("b", capacity=1)], offline_grace_s=60.0)
    d.open_conversation(make_conv("waiting", 0), 0)
    d.transfer("waiting", "a", 0)
    d.open_conversation(make_conv("answered", 0), 0)
    d.transfer("answered", "a", 0)
    d.agent_reply("answered", "a", 5)
    d.set_status("a", AgentStatus.OFFLINE, 10)
    assert d.advance(69) == []
    gone = d.advance(70)
    assert Released("waiting", "a", 70, "agent_gone") in gone
    assert d.conversations["waiting"].owner_id == "b"
    # The one waiting on the customer stays until the customer writes again.
    assert d.conversations["answered"].owner_id == "a"


def test_agent_back_within_grace_keeps_their_conversations() -> None:
    d = dispatcher([make_agent("a"), make_agent("b")], offline_grace_s=60.0)
    d.open_conversation(make_conv("c", 0), 0)
    owner = d.conversations["c"].owner_id or ""
    d.agent_reply("c", owner, 1)
    d.customer_message("c", 2)
    d.set_status(owner, AgentStatus.OFFLINE, 10)
    d.set_status(owner, AgentStatus.ONLINE, 40)
    d.agent_reply("c", owner, 41)
    assert d.advance(200) == []
    assert d.conversations["c"].owner_id == owner


def test_manual_transfer_may_exceed_capacity_then_no_automatic_assignment() -> None:
    d = dispatcher([make_agent("a", capacity=1), make_agent("b", capacity=5)])
    d.open_conversation(make_conv("x", 0), 0)
    d.transfer("x", "a", 0)
    d.open_conversation(make_conv("y", 1), 1)
    out = d.transfer("y", "a", 1)
    assert [w.kind for w in out if isinstance(w, Warning)] == ["overload"]
    assert d.owned_by("a") == {"x", "y"}
    d.set_status("b", AgentStatus.OFFLINE, 2)
    assert d.open_conversation(make_conv("z", 3), 3) == [Queued("z", 3, "no_eligible_agent")]
    assert d.close("x", 4) == []  # back at capacity, not under it
    assert assigned(d.close("y", 5)) == {"z": "a"}


# ---- skills and language relaxation ------------------------------------------------------------


def test_language_then_skills_are_relaxed_step_by_step() -> None:
    d = dispatcher(
        [make_agent("a", languages=frozenset({"en"}), skills=frozenset())],
        skill_relax_s=120.0,
    )
    got = d.open_conversation(
        make_conv("c", 0, language="zh", required_skills=frozenset({"billing"})), 0
    )
    assert got == [Queued("c", 0, "no_eligible_agent")]
    assert d.advance(120) == []  # language dropped, skills still required
    assert assigned(d.advance(240)) == {"c": "a"}


def test_qualified_agent_is_preferred_before_relaxation() -> None:
    d = dispatcher(
        [
            make_agent("a", languages=frozenset({"en"})),
            make_agent("z", languages=frozenset({"zh"}), capacity=1),
        ],
        default_reply_timeout_s=1000.0,
    )
    assert assigned(d.open_conversation(make_conv("c1", 0, language="zh"), 0)) == {"c1": "z"}
    got = d.open_conversation(make_conv("c2", 1, language="zh"), 1)
    assert got == [Queued("c2", 1, "no_eligible_agent")]
    assert assigned(d.advance(121)) == {"c2": "a"}


def test_conversation_awaiting_customer_still_holds_its_slot_until_idle() -> None:
    d = dispatcher([make_agent("a", capacity=1)], idle_after_s=600.0)
    d.open_conversation(make_conv("c", 0), 0)
    d.agent_reply("c", "a", 5)
    assert d.open_conversation(make_conv("n", 10), 10) == [Queued("n", 10, "no_eligible_agent")]
    assert assigned(d.advance(605)) == {"n": "a"}
    assert d.conversations["c"].awaiting is Awaiting.CUSTOMER


def test_transfer_to_nobody_routes_to_another_agent() -> None:
    d = dispatcher([make_agent("a"), make_agent("b")])
    d.open_conversation(make_conv("c", 0), 0)
    old = d.conversations["c"].owner_id
    out = d.transfer("c", None, 5)
    new = d.conversations["c"].owner_id
    assert new is not None and new != old
    assert Assigned("c", new, 5, "transfer") in out


def test_reply_by_someone_else_is_a_collision_warning() -> None:
    d = dispatcher([make_agent("a"), make_agent("b")])
    d.open_conversation(make_conv("c", 0), 0)
    other = "b" if d.conversations["c"].owner_id == "a" else "a"
    (warning,) = d.agent_reply("c", other, 3)
    assert isinstance(warning, Warning) and warning.kind == "collision"
    assert d.conversations["c"].reply_deadline is not None  # the owner still owes a reply
