"""The replay plays customers and agents around the real Dispatcher: small traces, known answers."""

from __future__ import annotations

from relaydesk.sim.outcomes import ReplayConfig
from relaydesk.sim.replay import replay
from relaydesk.sim.roster import DutyChange, Roster, fixed, trace_hourly
from relaydesk.sim.trace import TraceContact


def _contact(
    cid: str,
    arrival: float,
    service_s: float = 100.0,
    *,
    priority: int = 0,
    customer: str | None = None,
    patience_s: float | None = None,
    agent: str | None = None,
) -> TraceContact:
    return TraceContact(
        id=cid,
        arrival=arrival,
        priority=priority,
        service_s=service_s,
        customer_id=customer,
        patience_s=patience_s,
        agent_id=agent,
        service_start=arrival if agent else None,
    )


def _waits(result) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    return {o.contact.id: o.wait_s for o in result.outcomes}


def test_one_agent_serves_in_turn_and_the_second_waits_for_the_first_to_finish() -> None:
    contacts = [_contact("a", 0.0, 100.0), _contact("b", 10.0, 50.0)]
    result = replay(contacts, fixed(1, contacts), ReplayConfig(policy="load_aware"))
    assert _waits(result) == {"a": 0.0, "b": 90.0}
    assert result.busy_s == {result.agent_ids[0]: 150.0}


def test_a_caller_hangs_up_after_the_patience_the_trace_shows() -> None:
    contacts = [_contact("a", 0.0, 300.0), _contact("b", 10.0, 50.0, patience_s=30.0)]
    result = replay(contacts, fixed(1, contacts), ReplayConfig())
    b = next(o for o in result.outcomes if o.contact.id == "b")
    assert b.answered_at is None
    assert b.abandoned_at == 40.0


def test_higher_priority_goes_first_under_load_aware_but_not_under_fifo() -> None:
    contacts = [
        _contact("busy", 0.0, 100.0),
        _contact("low", 10.0, 10.0, priority=0),
        _contact("high", 20.0, 10.0, priority=2),
    ]
    ranked = _waits(replay(contacts, fixed(1, contacts), ReplayConfig(policy="load_aware")))
    fifo = _waits(replay(contacts, fixed(1, contacts), ReplayConfig(policy="fifo_pooled")))
    assert ranked["high"] == 80.0 and ranked["low"] == 100.0
    assert fifo["low"] == 90.0 and fifo["high"] == 90.0


def test_capacity_lets_an_agent_take_several_contacts_at_once_with_a_slowdown() -> None:
    contacts = [_contact("a", 0.0, 100.0), _contact("b", 1.0, 100.0)]
    config = ReplayConfig(capacity=2, slowdown=0.5)
    result = replay(contacts, fixed(1, contacts), config)
    assert _waits(result) == {"a": 0.0, "b": 0.0}
    ends = {o.contact.id: o.closed_at for o in result.outcomes}
    assert ends == {"a": 100.0, "b": 1.0 + 150.0}  # taken as the second: 1 + 0.5 × 1 slower


def test_a_returning_customer_goes_back_to_the_agent_who_served_them() -> None:
    contacts = [
        _contact("first", 0.0, 50.0, customer="c1"),
        _contact("other", 1.0, 500.0, customer="c2"),
        _contact("again", 100.0, 50.0, customer="c1"),
    ]
    result = replay(contacts, fixed(3, contacts), ReplayConfig(policy="load_aware"))
    by_id = {o.contact.id: o for o in result.outcomes}
    assert by_id["again"].returning
    assert by_id["again"].agent_id == by_id["first"].agent_id


def test_per_agent_split_leaves_a_contact_in_a_busy_agents_queue_while_another_idles() -> None:
    contacts = [
        _contact("a", 0.0, 1000.0),
        _contact("b", 1.0, 10.0),
        _contact("c", 2.0, 10.0),  # dealt back to the first agent, who is on a long call
    ]
    split = _waits(replay(contacts, fixed(2, contacts), ReplayConfig(policy="per_agent_split")))
    pooled = _waits(replay(contacts, fixed(2, contacts), ReplayConfig(policy="load_aware")))
    assert split["c"] == 998.0
    assert pooled["c"] == 9.0  # the pool gives it to whoever frees first


def test_trace_hourly_roster_puts_agents_on_duty_only_in_hours_they_worked() -> None:
    contacts = [
        _contact("a", 3600.0 * 9 + 5, 60.0, agent="ann"),
        _contact("b", 3600.0 * 11 + 5, 60.0, agent="bob"),
        _contact("late", 3600.0 * 9 + 30, 60.0),  # only ann is on duty in hour 9
    ]
    roster = trace_hourly(contacts)
    result = replay(contacts, roster, ReplayConfig())
    by_id = {o.contact.id: o for o in result.outcomes}
    assert by_id["late"].agent_id == "ann"
    assert by_id["late"].wait_s == 35.0  # after ann's first call
    assert by_id["b"].agent_id == "bob"


def test_same_trace_same_figures() -> None:
    contacts = [_contact(f"c{i}", i * 7.0, 30.0 + i % 5, customer=f"k{i % 4}") for i in range(60)]
    for policy in ("load_aware", "random", "round_robin", "per_agent_split"):
        one = replay(contacts, fixed(3, contacts), ReplayConfig(policy=policy, seed=5))
        two = replay(contacts, fixed(3, contacts), ReplayConfig(policy=policy, seed=5))
        assert [(o.agent_id, o.answered_at) for o in one.outcomes] == [
            (o.agent_id, o.answered_at) for o in two.outcomes
        ]


def _shift(*changes: tuple[float, str, bool]) -> Roster:
    """A roster of ann and bob from explicit duty changes (time, agent, on duty)."""
    return Roster(("ann", "bob"), tuple(DutyChange(at, a, on) for at, a, on in changes))


def test_at_a_shift_end_a_colleague_finishes_what_the_leaver_held_only_with_handover() -> None:
    contacts = [_contact("a", 0.0, 100.0)]
    roster = _shift((0.0, "ann", True), (1.0, "bob", True), (50.0, "ann", False))
    kept = replay(contacts, roster, ReplayConfig())
    assert (kept.outcomes[0].agent_id, kept.outcomes[0].closed_at) == ("ann", 100.0)
    assert kept.busy_s == {"ann": 100.0, "bob": 0.0} and kept.handoffs == 0
    moved = replay(contacts, roster, ReplayConfig(shift_end="handover"))
    a = moved.outcomes[0]
    assert (a.agent_id, a.closed_at, a.wait_s) == ("bob", 100.0, 0.0)  # the end does not move
    assert (a.handed_over, a.requeued, a.rewait_s) == (1, 0, 0.0)
    assert moved.busy_s == {"ann": 50.0, "bob": 50.0} and moved.handoffs == 1


def test_handed_into_the_queue_a_service_pauses_until_the_next_agent_takes_it_up() -> None:
    """Ann leaves mid-call at 1000 with nobody on; Bob comes at 1400 and serves the remaining
    1000 s, kept busy (signs of life) all along, so the contact at 1500 waits for him."""
    contacts = [_contact("a", 0.0, 2000.0), _contact("b", 1500.0, 100.0)]
    roster = _shift((0.0, "ann", True), (1000.0, "ann", False), (1400.0, "bob", True))
    kept = replay(contacts, roster, ReplayConfig())
    assert {o.contact.id: o.closed_at for o in kept.outcomes} == {"a": 2000.0, "b": 1600.0}
    moved = replay(contacts, roster, ReplayConfig(shift_end="handover"))
    a, b = moved.outcomes
    assert (a.agent_id, a.closed_at, a.requeued, a.rewait_s) == ("bob", 2400.0, 1, 400.0)
    assert a.wait_s == 0.0  # the first wait is unchanged; the pause is counted apart
    assert (b.answered_at, b.closed_at) == (2400.0, 2500.0)
    assert moved.busy_s == {"ann": 1000.0, "bob": 1100.0}
    assert moved.still_requeued == 0 and moved.warnings == {}


def test_a_service_queued_at_the_last_shift_end_is_still_waiting_when_the_trace_ends() -> None:
    contacts = [_contact("a", 0.0, 100.0)]
    roster = _shift((0.0, "ann", True), (50.0, "ann", False))
    moved = replay(contacts, roster, ReplayConfig(shift_end="handover"))
    a = moved.outcomes[0]
    assert (a.agent_id, a.closed_at, a.requeued) == (None, None, 1)
    assert moved.still_requeued == 1 and moved.busy_s["ann"] == 50.0
