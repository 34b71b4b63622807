"""Erlang C / Erlang A staffing: the issue's worked example, and Erlang A against a brute-force
solution of the M/M/n+M birth-death chain."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relaydesk.domain.staffing import (
    erlang_b,
    erlang_c,
    queue_metrics,
    regularized_lower_gamma,
    required_agents,
    scheduled_agents,
)

# --- the issue's figure: 100 contacts per 30 min, 180 s handle time, 80 % within 20 s -----------


def test_issue_example_needs_fourteen_agents_and_twenty_scheduled() -> None:
    result = required_agents(200, 180, 20, 0.80, shrinkage=0.30)
    assert result.agents == 14
    assert result.scheduled == 20
    assert result.traffic_erlangs == pytest.approx(10.0)
    assert result.service_level == pytest.approx(0.888, abs=5e-4)
    assert result.occupancy == pytest.approx(10 / 14)


def test_issue_example_thirteen_agents_miss_the_target() -> None:
    thirteen = queue_metrics(13, 200, 180, 20)
    assert thirteen.service_level == pytest.approx(0.796, abs=5e-4)
    assert thirteen.service_level < 0.80


def test_occupancy_cap_adds_agents_beyond_the_service_level() -> None:
    capped = required_agents(200, 180, 20, 0.80, max_occupancy=0.65)
    assert capped.agents == math.ceil(10 / 0.65)
    assert capped.occupancy <= 0.65


def test_shrinkage_rounds_up_but_not_on_float_noise() -> None:
    assert scheduled_agents(14, 0.3) == 20  # 14 / 0.7 is 20.000000000000004 in floats
    assert scheduled_agents(14, 0.25) == 19
    assert scheduled_agents(0, 0.5) == 0


def test_no_arrivals_needs_nobody() -> None:
    result = required_agents(0, 180, 20, 0.8, shrinkage=0.3)
    assert (result.agents, result.scheduled, result.p_wait) == (0, 0, 0.0)


# --- Erlang B / C against the textbook formulas with factorials (small n only) ----------------


@pytest.mark.parametrize(("agents", "traffic"), [(1, 0.5), (5, 3.2), (14, 10.0), (20, 19.5)])
def test_erlang_b_and_c_match_the_factorial_formulas(agents: int, traffic: float) -> None:
    terms = [traffic**k / math.factorial(k) for k in range(agents + 1)]
    assert erlang_b(agents, traffic) == pytest.approx(terms[-1] / sum(terms), rel=1e-12)
    top = terms[-1] * agents / (agents - traffic)
    assert erlang_c(agents, traffic) == pytest.approx(top / (sum(terms[:-1]) + top), rel=1e-12)


def test_hundreds_of_agents_stay_finite_and_sensible() -> None:
    big = required_agents(20_000, 180, 20, 0.80)  # 1,000 Erlangs
    assert 1000 < big.agents < 1050
    assert 0.80 <= big.service_level < 0.85
    small_team = required_agents(20_000, 180, 20, 0.80, patience_s=300)
    assert small_team.agents <= big.agents
    assert 0 < small_team.abandon_rate < 0.1


# --- Erlang A against a brute-force birth-death chain ----------------------------------------


def _chain_figures(
    agents: int, arrivals_per_hour: float, aht_s: float, patience_s: float, target_s: float
) -> dict[str, float]:
    """Solve the truncated M/M/n+M chain directly; then follow an arriving customer's fate
    (served / abandoned) through the transient chain of "j customers ahead" by uniformization."""
    lam, mu, theta = arrivals_per_hour / 3600.0, 1.0 / aht_s, 1.0 / patience_s
    weights = [1.0]
    while len(weights) <= agents or weights[-1] > 1e-18 * sum(weights):
        k = len(weights)
        death = k * mu if k <= agents else agents * mu + (k - agents) * theta
        weights.append(weights[-1] * lam / death)
    size = len(weights)
    total = sum(weights)
    pi = [w / total for w in weights]
    p_wait = sum(pi[agents:])
    mean_queue = sum((k - agents) * p for k, p in enumerate(pi) if k > agents)
    # Tagged customer who found j ahead: moves to j-1 at nμ + jθ (j ≥ 1), is served from 0 at nμ,
    # abandons at θ. Start from the arrival-time mixture (PASTA) over j.
    ahead = [pi[agents + j] for j in range(size - agents)]
    rate_max = agents * mu + len(ahead) * theta + theta
    served = abandoned = 0.0
    state = ahead[:]
    steps = math.ceil(rate_max * target_s + 12 * math.sqrt(rate_max * target_s) + 30)
    poisson = math.exp(-rate_max * target_s)
    served_by_t = 0.0
    for step in range(steps + 1):
        served_by_t += poisson * served
        nxt = [0.0] * len(state)
        for j, p in enumerate(state):
            if p == 0.0:
                continue
            move = agents * mu + j * theta
            if j == 0:
                served += p * move / rate_max
            else:
                nxt[j - 1] += p * move / rate_max
            abandoned += p * theta / rate_max
            nxt[j] += p * (1.0 - (move + theta) / rate_max)
        state = nxt
        poisson *= rate_max * target_s / (step + 1)
    return {
        "p_wait": p_wait,
        "abandon_rate": theta * mean_queue / lam,
        "asa_s": mean_queue / lam,
        "service_level": (1.0 - p_wait) + served_by_t,
        "occupancy": lam * (1.0 - theta * mean_queue / lam) / (agents * mu),
    }


@pytest.mark.parametrize(
    ("agents", "arrivals_per_hour", "aht_s", "patience_s", "target_s"),
    [
        (14, 200, 180, 120, 20),  # the issue's stream, with customers who give up
        (8, 200, 180, 120, 20),  # understaffed: the queue is drained by abandonment only
        (3, 60, 300, 60, 30),
        (30, 1000, 120, 600, 15),
        (5, 40, 240, 900, 0),  # target 0: answered without waiting
    ],
)
def test_erlang_a_matches_the_birth_death_chain(
    agents: int, arrivals_per_hour: float, aht_s: float, patience_s: float, target_s: float
) -> None:
    expected = _chain_figures(agents, arrivals_per_hour, aht_s, patience_s, target_s)
    got = queue_metrics(agents, arrivals_per_hour, aht_s, target_s, patience_s=patience_s)
    for name, value in expected.items():
        assert getattr(got, name) == pytest.approx(value, rel=1e-6, abs=1e-9), name


def test_patient_customers_turn_erlang_a_into_erlang_c() -> None:
    c = queue_metrics(14, 200, 180, 20)
    a = queue_metrics(14, 200, 180, 20, patience_s=1e7)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-4)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-4)
    assert a.asa_s == pytest.approx(c.asa_s, rel=1e-3)


def test_abandonment_means_fewer_agents_than_erlang_c() -> None:
    patient = required_agents(200, 180, 20, 0.80)
    impatient = required_agents(200, 180, 20, 0.80, patience_s=60)
    assert impatient.agents < patient.agents
    assert impatient.abandon_rate > 0


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.floats(1, 2000),
    aht=st.floats(30, 900),
    target=st.floats(0, 120),
    level=st.floats(0.5, 0.95),
    patience=st.one_of(st.none(), st.floats(10, 3600)),
)
def test_required_agents_is_the_smallest_that_meets_the_target(
    arrivals: float, aht: float, target: float, level: float, patience: float | None
) -> None:
    result = required_agents(arrivals, aht, target, level, patience_s=patience)
    assert result.service_level >= level
    assert 0 <= result.abandon_rate <= 1 and 0 < result.occupancy <= 1
    if result.agents > 1:
        fewer = queue_metrics(result.agents - 1, arrivals, aht, target, patience_s=patience)
        assert fewer.service_level < level


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.1, 500), x=st.floats(0, 800))
def test_incomplete_gamma_matches_its_defining_integral(a: float, x: float) -> None:
    # P(a, x) = P(a+1, x) + x^a e^-x / Γ(a+1): the recurrence ties both algorithms together.
    head = math.exp(a * math.log(x) - x - math.lgamma(a + 1)) if x > 0 else 0.0
    left = regularized_lower_gamma(a, x)
    assert 0.0 <= left <= 1.0
    assert left == pytest.approx(regularized_lower_gamma(a + 1, x) + head, rel=1e-9, abs=1e-12)


def test_incomplete_gamma_known_values() -> None:
    assert regularized_lower_gamma(1.0, 2.0) == pytest.approx(1 - math.exp(-2.0), rel=1e-12)
    assert regularized_lower_gamma(0.5, 2.0) == pytest.approx(math.erf(math.sqrt(2.0)), rel=1e-12)
    # Poisson link for integer a: P(a, x) = P(Poisson(x) >= a).
    tail = 1 - sum(math.exp(-7.5) * 7.5**k / math.factorial(k) for k in range(10))
    assert regularized_lower_gamma(10, 7.5) == pytest.approx(tail, rel=1e-10)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"arrivals_per_hour": -1}, "arrivals_per_hour"),
        ({"aht_s": 0}, "aht_s"),
        ({"target_s": -5}, "target_s"),
        ({"service_level": 1.0}, "service_level"),
        ({"service_level": 0}, "service_level"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"max_occupancy": 0}, "max_occupancy"),
        ({"patience_s": -3}, "patience_s"),
        ({"arrivals_per_hour": math.nan}, "arrivals_per_hour"),
    ],
)
def test_nonsense_input_is_refused_with_the_field_named(
    kwargs: dict[str, float], fragment: str
) -> None:
    args: dict[str, float] = {
        "arrivals_per_hour": 200,
        "aht_s": 180,
        "target_s": 20,
        "service_level": 0.8,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=fragment):
        required_agents(**args)
