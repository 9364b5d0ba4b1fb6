"""Deterministic customer lifetime value (SPEC §3): textbook, retention and migration models.

Sources
-------
* General definition CLV = Σₜ RPₜ / (1 + d)ᵗ, t = 1 … T — seed 003 §2.4.4.
* Textbook Models 1–3 (no share of wallet) — seed 003 §2.4.4 【补充】, Examples 1–2.
  The seed spells out Models 1 and 3 only by their worked answers; both answers are
  reproduced exactly with **end-of-period** payments (t = 1 … n, exponent t):
  Example 2, Model 1, customer A: 500 × (1 − 1.09⁻⁵)/0.09 = 1944.8 → 1945, while
  start-of-period payments would give 2119.9 and mid-period 2030.4.  ``timing="end"``
  is therefore the default everywhere in this module except the Markov reward model,
  whose source (Pfeifer & Carraway 2000) collects the first reward undiscounted.
* Model 2 ("profit-based", 基于利润) is not spelled out in the seed.  We take the
  literature's margin form (Gupta & Lehmann 2003, J. Interactive Marketing 17(1),
  CLV = Σₜ mₜ/(1+i)ᵗ − AC with m the profit margin per period; Berger & Nasr 1998,
  J. Interactive Marketing 12(1), gross contribution = revenue × margin rate): with a
  profit margin rate π on revenue, CLV₂ = π·P0 − C0 + Σₜ π·Iₙ/(1+r)ᵗ.  The seed's
  examples give no margin, so ``margin`` is a required, reported input for Model 2;
  Model 3 instead subtracts an absolute yearly service cost Cs (Jain & Singh 2002,
  J. Interactive Marketing 16(2) eq. 1: Σ (Rₜ − Cₜ)/(1+d)ᵗ − AC).
* Retention ("lost-for-good") models — Dwyer (1997) via seed 003; constant margin and
  retention closed forms of Gupta & Lehmann (2003) (margin multiple r / (1 + d − r))
  and Berger & Nasr (1998, J. Interactive Marketing 12(1)) Case 1 (yearly
  contribution from year 0, retention spending at mid-year); retention as a function
  of retention spending, r = ceiling·(1 − e^(−k·M)) (Berger & Nasr Case 4, as in
  Blattberg & Deighton 1996).  Neither is yet checked against the paper's worked
  examples: the paper's body text was not reachable in the sources searched, so its
  Cases 2, 3 and 5 are not implemented by name (M. Calciu's online LTV calculators,
  Univ. Lille, only show that Case 3 is lost-for-good with an S-shaped profit curve —
  inputs r, d, n, g, h, v, N; :func:`retention_clv` with per-period margins computes
  any such profile, and :func:`markov_clv` the recency-migration case).
* Migration ("always-a-share") models — seed 003 Examples 3–4 (brand-switching Markov
  chain, shares Sₜ = S₀·Mᵗ) and Pfeifer & Carraway (2000, J. Interactive Marketing
  14(2)): V_T = Σₜ₌₀^T [(1+d)⁻¹P]ᵗ R, V_∞ = [I − (1+d)⁻¹P]⁻¹ R.
* Churn and group lifetime, lifecycle profit — seed 003 §2.5.5–2.5.6.
* CLV tiers VIP / major / ordinary / small — seed 003 §2.1.1 (types by CLV); the
  default 1 % / 4 % / 15 % / 80 % split is the customer pyramid of Chinese CRM
  textbooks (e.g. 苏朝晖《客户关系管理》), in the spirit of Zeithaml, Rust & Lemon (2001).

Units: money in whatever currency the inputs use; rates per period (the period is
whatever the cash flows use — a year in the textbook examples).  Transition-matrix
rows must sum to 1 within :data:`ROW_SUM_TOLERANCE`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .segmentation import TIER_LABELS, TIER_SHARES, TierResult, assign_tiers
from .validation import (CrmlabValueError, aligned_square, aligned_vector, check_choice, check_probability_matrix, check_scalar,
                         check_weights)

TIMINGS = ("start", "middle", "end")
TIMING_OFFSET = {"start": 1.0, "middle": 0.5, "end": 0.0}
ROW_SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class CLVResult:
    """A CLV value with the cash-flow table that produced it and the conventions used."""

    value: float
    table: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def __float__(self) -> float:
        return float(self.value)


# --------------------------------------------------------------------------- checks
MAX_PERIODS = 10_000


def check_rate(rate, name: str = "rate") -> float:
    """A discount rate per period: finite and > −1 (a rate of 100 % or more is a rate, as in numpy-financial and lifetimes)."""
    return check_scalar(rate, name, low=-1.0, low_inclusive=False)


def _check_timing(timing: str) -> float:
    check_choice(timing, "timing", TIMINGS)
    return TIMING_OFFSET[timing]


def check_periods(periods, name: str = "periods") -> int:
    """A tabulated horizon: whole periods 1 … :data:`MAX_PERIODS` (the result holds one row per period, so memory grows with it)."""
    periods = check_scalar(periods, name, low=1, integer=True)
    if periods > MAX_PERIODS:
        raise CrmlabValueError(f"{name} must be ≤ {MAX_PERIODS:,}: the result holds one value per period, so a longer "
                               f"horizon would exhaust memory (use periods=None for the closed-form infinite horizon "
                               f"where offered); got {periods:,}")
    return periods


def _check_horizon(periods, name: str = "periods", *, allow_inf: bool = True) -> float:
    """Horizon in whole periods ≥ 1, or ``np.inf`` / ``None`` for an infinite horizon where allowed (closed forms only)."""
    if periods is None or (isinstance(periods, float) and np.isinf(periods)):
        if not allow_inf:
            raise CrmlabValueError(f"{name} must be a finite whole number of periods ≥ 1, got {periods!r}")
        return np.inf
    return check_scalar(periods, name, low=1, integer=True)


def _check_finite_array(values, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be numbers (a number or an array of numbers), got {values!r}") from None
    if not np.all(np.isfinite(arr)):
        raise CrmlabValueError(f"{name} must be finite numbers, got {arr.ravel()[~np.isfinite(arr.ravel())][:5].tolist()}")
    return arr


def _check_probability_array(values, name: str) -> np.ndarray:
    arr = _check_finite_array(values, name)
    bad = (arr < 0) | (arr > 1)
    if np.any(bad):
        raise CrmlabValueError(f"{name} must lie in [0, 1] (a probability, not a percentage); got {arr[bad].ravel()[:5].tolist()}")
    return arr


def _broadcast(**arrays) -> list[np.ndarray]:
    """Broadcast named arrays together, or raise naming each argument's shape."""
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise CrmlabValueError(f"{', '.join(arrays)} must be numbers or arrays of matching length (one per customer); got {shapes}") from None


def _annuity(rate: float, n: float, offset: float) -> float:
    """Σₜ₌₁..n (1+d)^−(t − offset) in closed form (n may be ∞ when d > 0)."""
    v = 1.0 / (1.0 + rate)
    if np.isinf(n):
        return (1.0 + rate) ** offset / rate
    if rate == 0:
        return float(n)
    return v ** (1.0 - offset) * -np.expm1(n * np.log(v)) / (1.0 - v)


def discount_factors(periods: int, *, rate: float, timing: str = "end") -> np.ndarray:
    """Discount factors 1/(1+d)^(t − offset), t = 1 … periods; offset 1 (start), ½ (middle) or 0 (end)."""
    return _factors(check_periods(periods), check_rate(rate), _check_timing(timing))


def _factors(n: int, rate: float, offset: float) -> np.ndarray:
    return (1.0 + rate) ** -(np.arange(1, n + 1, dtype=float) - offset)


# --------------------------------------------------------------------------- general CLV
def discounted_clv(cash_flows, *, rate: float, timing: str = "end", periods=None) -> np.ndarray | float:
    """CLV = Σₜ RPₜ / (1+d)^(t − offset) (seed 003 §2.4.4), with explicit payment timing.

    ``cash_flows`` is either a constant profit per period (scalar, or one value per
    customer as a 1-D array) together with ``periods`` (whole number ≥ 1, or ``None`` /
    ``np.inf`` for an infinite horizon, requiring ``rate > 0``; summed in closed form), or a per-period profit
    array whose last axis is time (``periods`` then must be ``None``; shape
    ``(T,)`` or ``(customers, T)``).  Returns a float or one value per customer.
    """
    rate = check_rate(rate)
    offset = _check_timing(timing)
    cf = _check_finite_array(cash_flows, "cash_flows")
    if cf.ndim == 0 or (periods is not None and cf.ndim == 1):
        n = _check_horizon(periods)
        if np.isinf(n) and rate <= 0:
            raise CrmlabValueError(f"rate must be > 0 for an infinite horizon (the sum diverges at rate {rate:g})")
        out = cf * _annuity(rate, n, offset)
        return float(out) if out.ndim == 0 else out
    if periods is not None:
        raise CrmlabValueError("periods must be None when cash_flows is a per-period array (its last axis is the horizon)")
    factors = _factors(cf.shape[-1], rate, offset)
    out = cf @ factors
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- textbook models
def textbook_clv(
    model: int,
    *,
    yearly_revenue: float,
    rate: float,
    years: int,
    first_price: float = 0.0,
    acquisition_cost: float = 0.0,
    service_cost: float = 0.0,
    margin: float | None = None,
    timing: str = "end",
) -> CLVResult:
    """Seed 003's CLV models for a loyal customer without share of wallet (SPEC §3.2).

    * Model 1 (revenue):   CLV = P0 + Σₜ₌₁..ₙ Iₙ/(1+r)ᵗ
    * Model 2 (profit):    CLV = π·P0 − C0 + Σₜ₌₁..ₙ π·Iₙ/(1+r)ᵗ   (π = ``margin``, the profit
      margin rate on revenue; Gupta & Lehmann 2003, see module docstring)
    * Model 3 (contribution): CLV = P0 − C0 + Σₜ₌₁..ₙ (Iₙ − Cs)/(1+r)ᵗ

    ``first_price`` P0 and ``acquisition_cost`` C0 fall at t = 0 (undiscounted); the
    yearly terms follow ``timing`` (textbook: ``"end"``).  The returned table lists,
    year by year, the cash flow, discount factor and present value.
    """
    check_choice(model, "model", (1, 2, 3))
    if model == 2:
        if margin is None:
            raise CrmlabValueError("model 2 (profit-based) needs margin, the profit margin rate on revenue in (0, 1]")
        margin = check_scalar(margin, "margin", low=0.0, high=1.0, low_inclusive=False)
    elif margin is not None:
        raise CrmlabValueError(f"margin applies to model 2 only (model {model} got margin={margin!r})")
    rate = check_rate(rate)
    years = check_periods(years, "years")
    for name, v in {"yearly_revenue": yearly_revenue, "first_price": first_price,
                    "acquisition_cost": acquisition_cost, "service_cost": service_cost}.items():
        check_scalar(v, name, low=0.0)
    if model == 2:
        yearly, upfront = margin * yearly_revenue, margin * first_price - acquisition_cost
    else:
        yearly = yearly_revenue - (service_cost if model == 3 else 0.0)
        upfront = first_price - (acquisition_cost if model == 3 else 0.0)
    factors = discount_factors(years, rate=rate, timing=timing)
    table = pd.DataFrame({
        "year": np.arange(0, years + 1),
        "cash_flow": np.r_[upfront, np.full(years, yearly)],
        "discount_factor": np.r_[1.0, factors],
    })
    table["present_value"] = table["cash_flow"] * table["discount_factor"]
    settings = {"model": model, "rate": rate, "years": years, "timing": timing, "margin": margin}
    return CLVResult(float(table["present_value"].sum()), table, settings)


# --------------------------------------------------------------------------- retention models
def _survival_offset(first_period: str) -> int:
    check_choice(first_period, "first_period", ("retained", "certain"))
    return 1 if first_period == "certain" else 0


def retention_clv(
    *,
    margin,
    retention,
    rate: float,
    periods=None,
    timing: str = "end",
    first_period: str = "retained",
    acquisition_cost=0.0,
):
    """Constant-margin, constant-retention CLV in closed form (Gupta & Lehmann 2003).

    CLV = Σₜ₌₁..T m·sₜ/(1+d)^(t − offset) − AC with survival sₜ = rᵗ when the customer
    must be retained to earn period 1 (``first_period="retained"``, Gupta & Lehmann's
    m·r/(1+d−r) for T = ∞ and end-of-period margins) or sₜ = r^(t−1) when period 1 is
    earned for certain (``"certain"``; with ``timing="start"`` this is m(1+d)/(1+d−r)).
    With q = r/(1+d) the finite sum is a geometric series.  ``margin``, ``retention``
    and ``acquisition_cost`` broadcast (one value per customer is fine).
    """
    rate = check_rate(rate)
    offset = _check_timing(timing)
    n = _check_horizon(periods)
    m, r, ac = _broadcast(margin=_check_finite_array(margin, "margin"), retention=_check_probability_array(retention, "retention"),
                          acquisition_cost=_check_finite_array(acquisition_cost, "acquisition_cost"))
    shift = _survival_offset(first_period)
    q = r / (1.0 + rate)
    # Σₜ₌₁..n qᵗ, written to stay finite at q = 1 (r = 1 + d only if rate = 0, r = 1)
    if np.isinf(n):
        if np.any(q >= 1):
            raise CrmlabValueError("an infinite horizon needs retention < 1 + rate (else the sum diverges)")
        geometric = q / (1.0 - q)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            geometric = np.where(q == 1.0, n, q * (1.0 - q ** n) / np.where(q == 1.0, 2.0, 1.0 - q))
    # shifting survival r^(t−1) = rᵗ / r is handled by dividing by r; do it without dividing by 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if shift:
            geometric = np.where(r > 0, geometric / np.where(r > 0, r, 1.0), 1.0 / (1.0 + rate))
    out = m * geometric * (1.0 + rate) ** offset - ac
    if not np.all(np.isfinite(out)):
        raise CrmlabValueError(f"the CLV sum overflows (retention/(1 + rate) > 1 over {n:g} periods): shorten the horizon or check rate")
    return float(out) if np.ndim(out) == 0 else out


def retention_clv_table(
    *, margins, retention, rate: float, timing: str = "end", first_period: str = "retained",
    acquisition_cost: float = 0.0,
) -> CLVResult:
    """CLV with per-period margins mₜ and retention rates rₜ (t = 1 … T).

    Survival sₜ = Π_{k≤t} r_k (``first_period="retained"``) or Π_{k<t} r_k (``"certain"``);
    CLV = Σₜ mₜ·sₜ/(1+d)^(t − offset) − AC.  Retention may be a scalar (constant).
    Returns the period table (margin, retention, survival, discount factor, present value).
    """
    m = _check_finite_array(margins, "margins")
    if m.ndim != 1 or m.size == 0:
        raise CrmlabValueError(f"margins must be a non-empty 1-D sequence (one per period), got shape {m.shape}")
    r = _check_probability_array(np.broadcast_to(retention, m.shape) if np.ndim(retention) == 0 else retention, "retention")
    if r.shape != m.shape:
        raise CrmlabValueError(f"retention must be a scalar or have one value per period ({m.size}), got shape {r.shape}")
    shift = _survival_offset(first_period)
    ac = check_scalar(acquisition_cost, "acquisition_cost")
    survival = np.cumprod(r)
    if shift:
        survival = np.r_[1.0, survival[:-1]]
    factors = _factors(m.size, check_rate(rate), _check_timing(timing))
    table = pd.DataFrame({"period": np.arange(1, m.size + 1), "margin": m, "retention": r,
                          "survival": survival, "discount_factor": factors})
    table["present_value"] = table["margin"] * table["survival"] * table["discount_factor"]
    settings = {"rate": rate, "timing": timing, "first_period": first_period, "acquisition_cost": ac}
    return CLVResult(float(table["present_value"].sum() - ac), table, settings)


def berger_nasr_case1(*, contribution: float, retention: float, rate: float, years: int,
                      retention_cost: float = 0.0) -> float:
    """Berger & Nasr (1998) Case 1: yearly gross contribution, constant retention.

    CLV = GC·Σᵢ₌₀..ₙ rⁱ/(1+d)ⁱ − M·Σᵢ₌₁..ₙ r^(i−1)/(1+d)^(i−½): the contribution of
    year 0 is earned now, a customer still active in year i yields GC again, and the
    retention spending M per customer is spent mid-year on those active at the start
    of the year.
    """
    rate = check_rate(rate)
    r = float(_check_probability_array(retention, "retention"))
    n = check_periods(years, "years")
    gc = check_scalar(contribution, "contribution")
    cost = check_scalar(retention_cost, "retention_cost", low=0.0)
    i = np.arange(0, n + 1, dtype=float)
    revenue = gc * np.sum(r ** i / (1.0 + rate) ** i)
    spending = cost * np.sum(r ** (i[1:] - 1) / (1.0 + rate) ** (i[1:] - 0.5))
    return float(revenue - spending)


def retention_from_spending(spending, *, ceiling: float, k: float):
    """Berger & Nasr (1998) Case 4 response curve: r = ceiling·(1 − e^(−k·M)) for spending M ≥ 0 per customer."""
    ceiling = check_scalar(ceiling, "ceiling", low=0.0, high=1.0)
    k = check_scalar(k, "k", low=0.0, low_inclusive=False)
    m = _check_finite_array(spending, "spending")
    if np.any(m < 0):
        raise CrmlabValueError(f"spending must be ≥ 0, got {m[m < 0].ravel()[:5].tolist()}")
    out = ceiling * (1.0 - np.exp(-k * m))
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------- migration models
def _labels(n: int, labels) -> list:
    if labels is None:
        return [chr(ord("A") + i) for i in range(n)] if n <= 26 else list(range(n))
    labels = list(labels)
    if len(labels) != n:
        raise CrmlabValueError(f"labels must have {n} entries (one per state), got {len(labels)}")
    return labels


def _check_matrix(matrix, labels, name: str = "matrix") -> tuple[np.ndarray, list]:
    """A row-stochastic transition matrix and its state labels.

    A labelled DataFrame is aligned by label (columns must be the row labels, in any
    order; with ``labels`` given, exactly those states, in that order); an unlabelled
    array is taken by position and labelled by ``labels`` (default A, B, C, …).
    """
    if isinstance(matrix, pd.DataFrame):
        m, order = aligned_square(matrix, name, labels=labels)
    else:
        m, _ = aligned_square(matrix, name)
        order = _labels(m.shape[0], labels)
    return check_probability_matrix(m, name, atol=ROW_SUM_TOLERANCE), order


def _state_values(values, labels, name: str, *, scalar_ok: bool = True) -> np.ndarray:
    """One finite value per state: a Series/dict aligned by label, a sequence by position, or (if allowed) one scalar."""
    if scalar_ok and np.ndim(values) == 0 and not isinstance(values, dict):
        return np.full(len(labels), float(_check_finite_array(values, name)))
    return _check_finite_array(aligned_vector(values, name, labels=labels), name)


def _check_chain(initial_shares, matrix, labels):
    m, labels = _check_matrix(matrix, labels)
    s = check_weights(aligned_vector(initial_shares, "initial_shares", labels=labels), "initial_shares", atol=ROW_SUM_TOLERANCE)
    return s, m, labels


def _shares(s: np.ndarray, m: np.ndarray, n: int) -> np.ndarray:
    rows = [s]
    for _ in range(n):  # loop over periods, not customers
        rows.append(rows[-1] @ m)
    return np.vstack(rows)


def share_evolution(initial_shares, matrix, *, periods: int, labels=None) -> pd.DataFrame:
    """Spending shares Sₜ = Sₜ₋₁·M for t = 0 … periods (seed 003 Example 3; rows of M = from, columns = to).

    Labelled inputs (a DataFrame matrix, Series/dict shares) are aligned by state label.
    """
    s, m, labels = _check_chain(initial_shares, matrix, labels)
    n = check_periods(periods)
    return pd.DataFrame(_shares(s, m, n), index=pd.RangeIndex(0, n + 1, name="period"), columns=labels)


def stationary_shares(matrix, *, labels=None) -> pd.Series:
    """Long-run shares π with π·M = π, Σπ = 1 (unique when the chain has one closed class)."""
    m, labels = _check_matrix(matrix, labels)
    n = m.shape[0]
    a = np.vstack([m.T - np.eye(n), np.ones(n)])
    b = np.r_[np.zeros(n), 1.0]
    pi, *_ = np.linalg.lstsq(a, b, rcond=None)
    if np.linalg.matrix_rank(a) < n:
        raise CrmlabValueError("matrix has more than one stationary distribution (several closed classes); long-run shares are not unique")
    return pd.Series(pi, index=labels, name="stationary_share")


def migration_clv(initial_shares, matrix, *, contribution, rate: float, periods: int,
                  purchases_per_period: float = 1.0, timing: str = "end", include_current_period: bool = False,
                  labels=None) -> CLVResult:
    """CLV of one customer to each brand under brand switching (seed 003 Example 4).

    CLV_b = Σₜ₌₁..T Fₜ·S_{t,b}·π_b/(1+r)^(t − offset) with Sₜ = S₀·Mᵗ, Fₜ purchases per
    period and π_b the average contribution per purchase (scalar, or one per brand — a
    Series/dict is aligned by brand).  Textbooks differ on the current period: with
    ``include_current_period=True`` the term t = 0 (F·S₀·π, undiscounted) is added, as in
    Pfeifer & Carraway's V_T = Σₜ₌₀^T; the default (seed 003) starts at t = 1.  The
    table holds, per period, each brand's share and present value; ``settings`` says
    which convention was used.
    """
    s, m, labels = _check_chain(initial_shares, matrix, labels)
    rate = check_rate(rate)
    offset = _check_timing(timing)
    n = check_periods(periods)
    freq = check_scalar(purchases_per_period, "purchases_per_period", low=0.0)
    pi = _state_values(contribution, labels, "contribution")
    if not isinstance(include_current_period, bool):
        raise CrmlabValueError(f"include_current_period must be True or False, got {include_current_period!r}")
    first = 0 if include_current_period else 1
    shares = pd.DataFrame(_shares(s, m, n)[first:], index=pd.RangeIndex(first, n + 1, name="period"), columns=labels)
    factors = np.r_[[1.0] * (1 - first), _factors(n, rate, offset)]
    pv = shares.to_numpy() * freq * pi * factors[:, None]
    table = pd.concat({"share": shares, "present_value": pd.DataFrame(pv, index=shares.index, columns=labels)}, axis=1)
    value = pd.Series(pv.sum(axis=0), index=labels, name="clv")
    settings = {"rate": rate, "periods": n, "timing": timing, "purchases_per_period": freq,
                "include_current_period": include_current_period,
                "shares": f"S_t = S_0·M^t, t = {first}..T" + (" (t = 0 undiscounted)" if first == 0 else "")}
    return CLVResult(value, table, settings)


def adjust_transition(matrix, *, source, target, value: float, offset_from=None, labels=None) -> pd.DataFrame:
    """Set M[source, target] = value and rebalance the row so it still sums to 1.

    The change is taken from (or given to) ``offset_from`` if named, else spread over the
    row's other entries in proportion to their size.  Raises if a probability would
    leave [0, 1].  Returns the new matrix as a labelled DataFrame (states in the order
    of the matrix's rows, or ``labels``).
    """
    m, labels = _check_matrix(matrix, labels)
    m = m.copy()
    for name, lab in {"source": source, "target": target}.items():
        if lab not in labels:
            raise CrmlabValueError(f"{name} {lab!r} is not a state; states are {labels}")
    i, j = labels.index(source), labels.index(target)
    value = float(_check_probability_array(value, "value"))
    delta = value - m[i, j]
    others = [k for k in range(m.shape[0]) if k != j]
    if offset_from is not None:
        if offset_from not in labels or labels.index(offset_from) == j:
            raise CrmlabValueError(f"offset_from must be a state other than target {target!r}, got {offset_from!r}")
        m[i, labels.index(offset_from)] -= delta
    else:
        rest = m[i, others].sum()
        if rest == 0:
            raise CrmlabValueError(f"row {source!r} has nothing outside {target!r} to rebalance from")
        m[i, others] -= delta * m[i, others] / rest
    m[i, j] = value
    if np.any(m[i] < -1e-12) or np.any(m[i] > 1 + 1e-12):
        raise CrmlabValueError(f"setting M[{source!r}, {target!r}] = {value:g} pushes row {source!r} outside [0, 1]: {np.round(m[i], 6).tolist()}")
    return pd.DataFrame(np.clip(m, 0.0, 1.0), index=labels, columns=labels)


def migration_sensitivity(initial_shares, matrix, scenarios: Sequence[dict], *, contribution, rate: float,
                          periods: int, purchases_per_period: float = 1.0, timing: str = "end",
                          labels=None) -> pd.DataFrame:
    """How each brand's CLV changes when switching probabilities change (seed 003 §2.4.4 (4)(5)).

    Each scenario is a dict of :func:`adjust_transition` arguments (``source``, ``target``,
    ``value``, optional ``offset_from``) plus an optional ``name``; a scenario may hold a
    list of such changes under ``"changes"``.  Returns one row per scenario and brand with
    the baseline CLV, the new CLV and the change.
    """
    s, m, labels = _check_chain(initial_shares, matrix, labels)
    pi = _state_values(contribution, labels, "contribution")
    kwargs = {"contribution": pi, "rate": rate, "periods": periods,
              "purchases_per_period": purchases_per_period, "timing": timing, "labels": labels}
    base = migration_clv(s, m, **kwargs).value
    rows = []
    if isinstance(scenarios, (str, bytes)) or not all(isinstance(sc, Mapping) for sc in scenarios):
        raise CrmlabValueError(f"scenarios must be a list of dicts (source, target, value[, name]), got {scenarios!r}")
    for k, sc in enumerate(scenarios):
        changes = sc.get("changes", [sc])
        new = pd.DataFrame(m, index=labels, columns=labels)
        for ch in changes:
            new = adjust_transition(new, **{key: ch[key] for key in ("source", "target", "value", "offset_from") if key in ch})
        clv = migration_clv(s, new.to_numpy(), **kwargs).value
        name = sc.get("name", f"scenario {k + 1}")
        for b in labels:
            rows.append({"scenario": name, "brand": b, "base_clv": base[b], "new_clv": clv[b],
                         "change": clv[b] - base[b]})
    return pd.DataFrame(rows)


def migration_sweep(initial_shares, matrix, *, source, target, values, contribution, rate: float,
                    periods: int, offset_from=None, purchases_per_period: float = 1.0,
                    timing: str = "end", labels=None) -> pd.DataFrame:
    """Each brand's CLV as M[source, target] runs over ``values`` (rows: values; columns: brands)."""
    s, m, labels = _check_chain(initial_shares, matrix, labels)
    pi = _state_values(contribution, labels, "contribution")
    out = {}
    for v in _check_probability_array(values, "values").ravel():
        new = adjust_transition(m, source=source, target=target, value=v, offset_from=offset_from, labels=labels)
        out[float(v)] = migration_clv(s, new.to_numpy(), contribution=pi, rate=rate, periods=periods, labels=labels,
                                      purchases_per_period=purchases_per_period, timing=timing).value
    df = pd.DataFrame(out).T
    df.index.name = f"P({source}→{target})"
    return df


def recency_transition_matrix(purchase_probs, *, labels=None) -> pd.DataFrame:
    """Pfeifer & Carraway (2000) recency chain: state i = periods since last purchase.

    From state i a customer buys with probability pᵢ (→ state 1) or not (→ state i+1;
    the last state keeps non-buyers).  A last state with p = 0 is the absorbing
    "former customer".
    """
    p = _check_probability_array(purchase_probs, "purchase_probs")
    if p.ndim != 1 or p.size < 2:
        raise CrmlabValueError(f"purchase_probs must be a 1-D sequence of at least 2 probabilities, got shape {p.shape}")
    k = p.size
    m = np.zeros((k, k))
    m[:, 0] = p
    m[np.arange(k - 1), np.arange(1, k)] = 1.0 - p[:-1]
    m[k - 1, k - 1] += 1.0 - p[-1]
    labels = _recency_labels(k, labels)
    return pd.DataFrame(m, index=labels, columns=labels)


def _recency_labels(k: int, labels) -> list:
    return _labels(k, labels) if labels is not None else [f"recency {i + 1}" for i in range(k)]


REWARD_CONVENTIONS = ("pfeifer_carraway", "expected_contribution")


def recency_rewards(purchase_probs, *, margin: float, marketing_cost, convention: str = "pfeifer_carraway",
                    labels=None) -> CLVResult:
    """Reward per recency state of the Pfeifer & Carraway (2000) chain, under a named convention.

    * ``"pfeifer_carraway"`` (the paper's, default): the net contribution NC is credited to
      the state a buying customer enters (state 1) and the marketing cost M is charged in
      every state that is mailed: R = (NC − M₁, −M₂, …, −M_k).
    * ``"expected_contribution"``: the purchase is credited in the period it is mailed for,
      as its expectation: Rᵢ = pᵢ·NC − Mᵢ (one period earlier than the paper, so values differ).

    ``marketing_cost`` is one number for every state or one per state (e.g. 0 for the
    absorbing "former customer" state that is no longer mailed).  Returns a
    :class:`CLVResult`: ``value`` the reward Series by state, ``table`` its parts,
    ``settings["convention"]``; :func:`markov_clv` takes it directly.
    """
    check_choice(convention, "convention", REWARD_CONVENTIONS)
    p = _check_probability_array(purchase_probs, "purchase_probs")
    if p.ndim != 1 or p.size < 2:
        raise CrmlabValueError(f"purchase_probs must be a 1-D sequence of at least 2 probabilities, got shape {p.shape}")
    labels = _recency_labels(p.size, labels)
    margin = check_scalar(margin, "margin", low=0.0)
    cost = _state_values(marketing_cost, labels, "marketing_cost")
    if np.any(cost < 0):
        raise CrmlabValueError(f"marketing_cost must be finite and >= 0, got {cost.tolist()}")
    credit = np.r_[margin, np.zeros(p.size - 1)] if convention == "pfeifer_carraway" else p * margin
    table = pd.DataFrame({"purchase_prob": p, "contribution": credit, "marketing_cost": cost, "reward": credit - cost},
                         index=pd.Index(labels, name="state"))
    rule = ("R = NC on entering state 1 − M in every mailed state" if convention == "pfeifer_carraway"
            else "R_i = p_i·NC − M_i (purchase credited in the mailing period)")
    return CLVResult(table["reward"].rename("reward"), table, {"convention": convention, "rule": rule, "margin": margin})


def _geometric_sum(a: np.ndarray, n: int) -> np.ndarray:
    """Σₜ₌₀^(n−1) Aᵗ by binary doubling (O(log n) matrix products; S₂ₖ = Sₖ + AᵏSₖ, Sₖ₊₁ = I + A·Sₖ)."""
    eye = np.eye(a.shape[0])
    total, power = np.zeros_like(a), eye  # sum of the first `done` terms, and A^done
    for bit in bin(n)[2:]:
        total, power = total + power @ total, power @ power          # double
        if bit == "1":
            total, power = eye + a @ total, a @ power               # one more term
    return total


def markov_clv(matrix, rewards, *, rate: float, periods=None, timing: str = "start", labels=None) -> CLVResult:
    """Expected present value per starting state of a Markov reward process (Pfeifer & Carraway 2000).

    V_T = Σₜ₌₁..T Pᵗ⁻¹R/(1+d)^(t − offset); with ``timing="start"`` (the paper's
    convention: the current period's reward is undiscounted) V_T = Σₜ₌₀..T−1 [(1+d)⁻¹P]ᵗR
    and for ``periods=None`` V_∞ = [I − (1+d)⁻¹P]⁻¹R (needs rate > 0).  Finite horizons are
    summed by binary doubling, so any T costs O(log T) matrix products.  ``rewards``: one
    value per state (a Series aligned by label) or the result of :func:`recency_rewards`,
    whose convention is carried into ``settings``.  Returns a :class:`CLVResult` whose
    ``value`` is the Series of values by state.
    """
    p, labels = _check_matrix(matrix, labels)
    reward_settings = {}
    if isinstance(rewards, CLVResult):
        reward_settings = {"reward_convention": rewards.settings.get("convention")}
        rewards = rewards.value
    r = _state_values(rewards, labels, "rewards", scalar_ok=False)
    rate = check_rate(rate)
    offset = _check_timing(timing)
    n = _check_horizon(periods)
    disc = 1.0 / (1.0 + rate)
    if np.isinf(n):
        if rate <= 0:
            raise CrmlabValueError(f"rate must be > 0 for an infinite horizon (the sum diverges at rate {rate:g})")
        v = np.linalg.solve(np.eye(p.shape[0]) - disc * p, r)
    else:
        v = _geometric_sum(disc * p, int(n)) @ r
    v = v * disc ** (1.0 - offset)
    if not np.all(np.isfinite(v)):
        raise CrmlabValueError(f"the values overflow over {n:g} periods at rate {rate:g}; shorten the horizon or check rate")
    value = pd.Series(v, index=labels, name="clv")
    table = pd.DataFrame({"reward": r, "clv": v}, index=pd.Index(labels, name="state"))
    settings = {"rate": rate, "periods": None if np.isinf(n) else int(n), "timing": timing, **reward_settings}
    return CLVResult(value, table, settings)


# --------------------------------------------------------------------------- groups and lifecycle
def churn_rate(*, lost, at_start):
    """Churn rate (客户流失率) = customers lost in the period ÷ customers at its start (seed 003 §2.5.5)."""
    lost_a, start = _broadcast(lost=_check_finite_array(lost, "lost"), at_start=_check_finite_array(at_start, "at_start"))
    if np.any(start <= 0):
        raise CrmlabValueError(f"at_start must be > 0 customers, got {start[start <= 0].ravel()[:5].tolist()}")
    if np.any(lost_a < 0) or np.any(lost_a > start):
        raise CrmlabValueError(f"lost must be between 0 and at_start; got lost={lost!r}, at_start={at_start!r}")
    out = lost_a / start
    return float(out) if out.ndim == 0 else out


def group_lifetime(*, churn):
    """Average customer lifetime of a group under a constant churn rate: 1 / churn periods (geometric lifetime)."""
    c = _check_probability_array(churn, "churn")
    if np.any(c <= 0):
        raise CrmlabValueError("churn must be > 0 (a group that never churns has an infinite lifetime)")
    out = 1.0 / c
    return float(out) if out.ndim == 0 else out


LIFECYCLE_COMPONENTS = {
    "base_profit": +1, "growth_profit": +1, "cost_savings": +1, "referral_value": +1,
    "acquisition_cost": -1, "price_concessions": -1, "referral_destruction_cost": -1,
}


def lifecycle_profit(*, base_profit=0.0, growth_profit=0.0, cost_savings=0.0, referral_value=0.0,
                     acquisition_cost=0.0, price_concessions=0.0, referral_destruction_cost=0.0,
                     rate: float | None = None, timing: str = "end") -> pd.DataFrame:
    """Customer lifecycle profit (客户生命周期利润, seed 003 §2.5.6) as a signed decomposition.

    profit = base profit + revenue growth / cross-selling profit + cost savings + referral
    value − acquisition cost − price concessions − referral-destruction cost.  Each
    component is an amount ≥ 0 or a per-period sequence; with ``rate`` the sequences are
    discounted (:func:`discounted_clv`, given ``timing``), except ``acquisition_cost``,
    which is paid once up front.  Returns one row per component (amount, sign,
    contribution) plus a ``total`` row.
    """
    given = {"base_profit": base_profit, "growth_profit": growth_profit, "cost_savings": cost_savings,
             "referral_value": referral_value, "acquisition_cost": acquisition_cost,
             "price_concessions": price_concessions, "referral_destruction_cost": referral_destruction_cost}
    rows = []
    for name, raw in given.items():
        arr = _check_finite_array(raw, name)
        if np.any(arr < 0):
            raise CrmlabValueError(f"{name} must be ≥ 0 (its sign is fixed by the decomposition), got {arr[arr < 0].ravel()[:5].tolist()}")
        if arr.ndim > 1:
            raise CrmlabValueError(f"{name} must be a number or a 1-D per-period sequence")
        if rate is not None and arr.ndim == 1 and name != "acquisition_cost":
            amount = discounted_clv(arr, rate=rate, timing=timing)
        else:
            amount = float(arr.sum())
        sign = LIFECYCLE_COMPONENTS[name]
        rows.append({"component": name, "amount": amount, "sign": sign, "contribution": sign * amount})
    df = pd.DataFrame(rows)
    total = pd.DataFrame([{"component": "total", "amount": np.nan, "sign": np.nan, "contribution": df["contribution"].sum()}])
    return pd.concat([df, total], ignore_index=True)


# --------------------------------------------------------------------------- tiers
def clv_tiers(clv, *, shares: Sequence[float] | None = TIER_SHARES, cutoffs: Sequence[float] | None = None) -> TierResult:
    """Assign VIP / major / ordinary / small (VIP客户, 主要客户, 普通客户, 小客户; seed 003 §2.4) by CLV.

    The tiers and cut-offs come from :func:`crmlab.segmentation.assign_tiers` (shares of
    customers top-down, default the 1/4/15/80 % customer pyramid, or explicit descending
    cut-offs; ties stay together); the returned table adds each tier's total CLV and
    its share of all CLV.
    """
    result = assign_tiers(clv, shares=shares, cutoffs=cutoffs, labels=TIER_LABELS)
    v = np.asarray(clv, dtype=float)
    total = np.bincount(result.tiers.cat.codes.to_numpy(), weights=v, minlength=len(TIER_LABELS))
    table = result.cutoffs.assign(total_clv=total, clv_share=total / v.sum() if v.sum() != 0 else np.nan)
    return TierResult(result.tiers, table, result.settings)
