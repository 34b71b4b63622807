"""How many agents a contact stream needs: Erlang C, Erlang A and the staffing search.

Erlang C (M/M/n) assumes every customer waits as long as it takes; Erlang A (M/M/n+M) lets
customers give up after an exponentially distributed patience, which is what chat and phone
customers do. Both are computed without factorials (Erlang B recursion, incomplete gamma in log
space), so hundreds of agents and thousands of Erlangs are fine.

Conventions: ``service_level`` is the share of *all* arrivals answered within the target wait (a
customer who abandons counts as a miss); ``asa_s`` is the mean wait over all arrivals (zero waits
included, Little's law); ``occupancy`` is the share of agent time spent serving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Relative size below which a series term no longer changes the sum.
_EPS = 1e-16
# Bound on iterations for the incomplete gamma series / continued fraction.
_MAX_TERMS = 1_000_000
# exp() overflows past ~709; clamp exponents to stay in range.
_EXP_LIMIT = 700.0


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """What customers experience with a given number of agents."""

    agents: int
    traffic_erlangs: float
    p_wait: float
    service_level: float
    asa_s: float
    occupancy: float
    abandon_rate: float


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """The answer to "how many agents?": ``agents`` on the phones, ``scheduled`` on the rota."""

    agents: int
    scheduled: int
    service_level: float
    occupancy: float
    p_wait: float
    asa_s: float
    abandon_rate: float
    traffic_erlangs: float


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check_finite(name: str, value: float) -> None:
    _require(math.isfinite(value), f"{name} must be a finite number, got {value!r}")


def erlang_b(agents: int, traffic_erlangs: float) -> float:
    """Blocking probability of an M/M/n/n system, by the stable recursion B(k) = aB/(k + aB)."""
    _require(agents >= 0, f"agents must be >= 0, got {agents}")
    _check_finite("traffic_erlangs", traffic_erlangs)
    _require(traffic_erlangs >= 0, f"traffic must be >= 0 Erlangs, got {traffic_erlangs}")
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic_erlangs * blocking / (k + traffic_erlangs * blocking)
    return blocking


def erlang_c(agents: int, traffic_erlangs: float) -> float:
    """Probability that an arriving customer waits (M/M/n); 1.0 when the queue is unstable."""
    if agents <= traffic_erlangs:
        return 1.0
    blocking = erlang_b(agents, traffic_erlangs)
    return agents * blocking / (agents - traffic_erlangs * (1.0 - blocking))


def erlang_c_metrics(
    agents: int, traffic_erlangs: float, aht_s: float, target_s: float
) -> QueueMetrics:
    """Erlang C service level within ``target_s``, ASA and occupancy for ``agents`` agents.

    With ``agents <= traffic`` the queue grows without bound: everyone waits, forever.
    """
    _require(aht_s > 0, f"aht_s must be > 0, got {aht_s}")
    if traffic_erlangs == 0:
        return QueueMetrics(agents, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    if agents <= traffic_erlangs:
        return QueueMetrics(agents, traffic_erlangs, 1.0, 0.0, math.inf, 1.0, 0.0)
    p_wait = erlang_c(agents, traffic_erlangs)
    spare = agents - traffic_erlangs
    service_level = 1.0 - p_wait * math.exp(-spare * target_s / aht_s)
    asa_s = p_wait * aht_s / spare
    return QueueMetrics(
        agents, traffic_erlangs, p_wait, service_level, asa_s, traffic_erlangs / agents, 0.0
    )


def regularized_lower_gamma(a: float, x: float) -> float:
    """P(a, x) = γ(a, x) / Γ(a), the regularized lower incomplete gamma function."""
    _require(a > 0, f"a must be > 0, got {a}")
    _require(x >= 0, f"x must be >= 0, got {x}")
    if x == 0:
        return 0.0
    if x < a + 1:
        log_p = a * math.log(x) - x - math.lgamma(a + 1) + math.log(_gamma_series(a, x))
        return math.exp(log_p)
    return -math.expm1(_log_upper_gamma_q(a, x))


def _gamma_series(a: float, x: float) -> float:
    """Σ_{m≥0} x^m / ((a+1)(a+2)…(a+m)): converges fast for x < a + 1."""
    term = 1.0
    total = 1.0
    for m in range(1, _MAX_TERMS):
        term *= x / (a + m)
        total += term
        if term < total * _EPS:
            return total
    raise ArithmeticError(f"incomplete gamma series did not converge (a={a}, x={x})")


def _log_upper_gamma_q(a: float, x: float) -> float:
    """log Q(a, x) by Lentz's continued fraction; accurate for x >= a + 1."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return a * math.log(x) - x - math.lgamma(a) + math.log(h)
    raise ArithmeticError(f"incomplete gamma continued fraction did not converge (a={a}, x={x})")


def _log_palm_series(x: float, y: float) -> float:
    """log A(x, y), A(x, y) = x e^y y^-x γ(x, y) = Σ_{m≥0} y^m / ((x+1)…(x+m)).

    In Erlang A terms (x = nμ/θ, y = λ/θ) A is the stationary mass of "all agents busy and m
    waiting", summed over m and relative to "all busy, nobody waiting" (Palm; Garnett et al. 2002).
    """
    if y == 0:
        return 0.0
    if y < x + 1:
        return math.log(_gamma_series(x, y))
    # Here P(x, y) = 1 - Q(x, y) is at least about one half: no cancellation.
    log_p = math.log(-math.expm1(_log_upper_gamma_q(x, y)))
    return y - x * math.log(y) + math.lgamma(x + 1) + log_p


def _safe_exp(exponent: float) -> float:
    return math.exp(min(exponent, _EXP_LIMIT))


def erlang_a_metrics(
    agents: int, arrivals_per_s: float, aht_s: float, patience_s: float, target_s: float
) -> QueueMetrics:
    """Erlang A (M/M/n+M): P(wait), share answered within ``target_s``, abandonment, ASA.

    Stable for any number of agents, since impatient customers drain an overloaded queue.
    """
    _require(agents >= 1, f"Erlang A needs at least one agent, got {agents}")
    _require(aht_s > 0 and patience_s > 0, "aht_s and patience_s must be > 0")
    _require(arrivals_per_s >= 0 and target_s >= 0, "arrivals and target_s must be >= 0")
    traffic = arrivals_per_s * aht_s
    if arrivals_per_s == 0:
        return QueueMetrics(agents, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    mu = 1.0 / aht_s
    theta = 1.0 / patience_s
    x = agents * mu / theta
    y = arrivals_per_s / theta
    blocking = erlang_b(agents, traffic)
    # π_n, the probability of "all busy, none waiting", is B / (1 - B + A·B); everything else
    # is a multiple of it. Work in logs because A can overflow while B underflows.
    log_a = _log_palm_series(x, y)
    if blocking == 0.0:
        return QueueMetrics(agents, traffic, 0.0, 1.0, 0.0, traffic / agents, 0.0)
    log_pi_n = math.log(blocking) - math.log1p(-blocking + _safe_exp(log_a + math.log(blocking)))
    p_wait = _safe_exp(log_pi_n + log_a)
    # E[queue] = π_n ((y - x) A + x)  ⇒  P(abandon) = θ E[queue] / λ = π_n ((1 - 1/ρ) A + 1/ρ).
    mean_queue = _safe_exp(log_pi_n) * x + (y - x) * p_wait
    mean_queue = max(mean_queue, 0.0)
    abandon_rate = min(1.0, theta * mean_queue / arrivals_per_s)
    answered_late = _erlang_a_answered_after(x, y, log_pi_n, theta, target_s)
    service_level = min(1.0, max(0.0, 1.0 - abandon_rate - answered_late))
    occupancy = arrivals_per_s * (1.0 - abandon_rate) / (agents * mu)
    asa_s = mean_queue / arrivals_per_s
    return QueueMetrics(agents, traffic, p_wait, service_level, asa_s, occupancy, abandon_rate)


def _log_offered_wait_tail(x: float, y: float, log_pi_n: float, u: float) -> float:
    """log P(V > t) with u = e^{-θt}: P(V > t) = π_n · u^x · e^{y(1-u)} · A(x, y u).

    V is the offered wait (what an infinitely patient customer would wait); the identity comes
    from reading the queue ahead of a customer as x + j independent exponential lifetimes.
    """
    return log_pi_n + x * math.log(u) + y * (1.0 - u) + _log_palm_series(x, y * u)


def _erlang_a_answered_after(
    x: float, y: float, log_pi_n: float, theta: float, target_s: float
) -> float:
    """Share of arrivals who are answered, but only after waiting longer than ``target_s``.

    With patience τ ~ Exp(θ) independent of the offered wait V, by parts and u = e^{-θt}:
    P(answered, V > T) = E[e^{-θV}; V > T] = u_T·P(V > T) - ∫_0^{u_T} P(V > t(u)) du, and
    term by term the integral is π_n e^y y^-(x+1) Γ(x+1) Σ_{m≥0} P(x+1+m, y·u_T).
    """
    u_target = math.exp(-theta * target_s)
    z = y * u_target
    if z == 0.0:
        return 0.0
    at_target = _safe_exp(math.log(u_target) + _log_offered_wait_tail(x, y, log_pi_n, u_target))
    # Σ P(a+m, z) by the downward recurrence P(a+1, z) = P(a, z) - z^a e^-z / Γ(a+1): the
    # rounding error stays below ε·P(a, z), which never exceeds the sum.
    a = x + 1.0
    p = regularized_lower_gamma(a, z)
    step = _safe_exp(a * math.log(z) - z - math.lgamma(a + 1.0))
    total = 0.0
    for m in range(_MAX_TERMS):
        total += p
        p -= step
        step *= z / (a + m + 1.0)
        if p <= total * _EPS:
            break
    if total <= 0.0:
        return max(0.0, at_target)
    integral = _safe_exp(log_pi_n + y - a * math.log(y) + math.lgamma(a) + math.log(total))
    return max(0.0, at_target - integral)


def queue_metrics(
    agents: int,
    arrivals_per_hour: float,
    aht_s: float,
    target_s: float,
    *,
    patience_s: float | None = None,
) -> QueueMetrics:
    """Erlang C metrics, or Erlang A when ``patience_s`` (mean patience) is given."""
    _validate_stream(arrivals_per_hour, aht_s, target_s, patience_s)
    if patience_s is None:
        return erlang_c_metrics(agents, arrivals_per_hour * aht_s / 3600.0, aht_s, target_s)
    return erlang_a_metrics(agents, arrivals_per_hour / 3600.0, aht_s, patience_s, target_s)


def _validate_stream(
    arrivals_per_hour: float, aht_s: float, target_s: float, patience_s: float | None
) -> None:
    for name, value in (
        ("arrivals_per_hour", arrivals_per_hour),
        ("aht_s", aht_s),
        ("target_s", target_s),
    ):
        _check_finite(name, value)
    _require(arrivals_per_hour >= 0, f"arrivals_per_hour must be >= 0, got {arrivals_per_hour}")
    _require(aht_s > 0, f"aht_s (average handle time) must be > 0 seconds, got {aht_s}")
    _require(target_s >= 0, f"target_s must be >= 0 seconds, got {target_s}")
    if patience_s is not None:
        _check_finite("patience_s", patience_s)
        _require(patience_s > 0, f"patience_s must be > 0 seconds, got {patience_s}")


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Agents to put on the rota so that ``agents`` are available after shrinkage."""
    _require(0 <= shrinkage < 1, f"shrinkage must be in [0, 1), got {shrinkage}")
    # The tolerance keeps 14 / 0.7 = 20.000000000000004 from becoming 21.
    return math.ceil(agents / (1.0 - shrinkage) - 1e-9)


def required_agents(
    arrivals_per_hour: float,
    aht_s: float,
    target_s: float,
    service_level: float,
    *,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_s: float | None = None,
) -> StaffingResult:
    """Fewest agents that answer ``service_level`` of contacts within ``target_s``, busy at
    most ``max_occupancy`` of their time; ``scheduled`` adds ``shrinkage`` (breaks, training).

    Erlang C by default; Erlang A when ``patience_s`` (customers' mean patience) is given.
    """
    _validate_stream(arrivals_per_hour, aht_s, target_s, patience_s)
    _require(
        0 < service_level < 1,
        f"service_level must be strictly between 0 and 1, got {service_level}",
    )
    _require(0 <= shrinkage < 1, f"shrinkage must be in [0, 1), got {shrinkage}")
    _require(0 < max_occupancy <= 1, f"max_occupancy must be in (0, 1], got {max_occupancy}")
    traffic = arrivals_per_hour * aht_s / 3600.0
    if traffic == 0:
        return StaffingResult(0, 0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    # Lower bounds that skip hopeless counts: Erlang C needs more agents than Erlangs and the
    # cap needs traffic / cap; with abandonment, at least the answered share must be carried.
    if patience_s is None:
        start = max(math.floor(traffic) + 1, math.ceil(traffic / max_occupancy - 1e-9))
    else:
        start = max(1, math.floor(traffic * service_level / max_occupancy))

    def meets(count: int) -> QueueMetrics | None:
        metrics = queue_metrics(count, arrivals_per_hour, aht_s, target_s, patience_s=patience_s)
        if metrics.service_level >= service_level and metrics.occupancy <= max_occupancy + 1e-12:
            return metrics
        return None

    # Service level rises and occupancy falls with every agent added, so gallop up from the
    # lower bound to a count that meets the target, then bisect: O(log n) evaluations, which
    # matters for Erlang A on large teams (each evaluation sums series of length ~ √traffic).
    failing, step, agents = start - 1, 1, start
    found = meets(agents)
    while found is None:
        failing, agents, step = agents, agents + step, step * 2
        found = meets(agents)
    while agents - failing > 1:
        middle = (failing + agents) // 2
        candidate = meets(middle)
        if candidate is None:
            failing = middle
        else:
            agents, found = middle, candidate
    metrics = found
    return StaffingResult(
        agents=agents,
        scheduled=scheduled_agents(agents, shrinkage),
        service_level=metrics.service_level,
        occupancy=metrics.occupancy,
        p_wait=metrics.p_wait,
        asa_s=metrics.asa_s,
        abandon_rate=metrics.abandon_rate,
        traffic_erlangs=traffic,
    )
