"""Probabilistic customer-base models and CLV (SPEC §3): RFM summaries, BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, sBG, Gamma–Gamma.

Every purchase model (:class:`BetaGeoModel`, :class:`ModifiedBetaGeoModel`,
:class:`ParetoNBDModel`, :class:`BetaGeoBetaBinomModel`) has one API: ``fit(summary)``
(a :class:`CustomerSummary` or a DataFrame with ``time_unit=``), ``summary()`` (Wald
table), ``settings``, ``probability_alive``, ``conditional_expected_purchases``,
``expected_purchases``; all go through :func:`customer_lifetime_value`,
:func:`holdout_by_frequency` and :func:`compare_purchase_models`.  The sources of the
new models are in their class docstrings; the contractual :class:`ShiftedBetaGeometricModel`
works on survivor counts.

Sources
-------
* BG/NBD: Fader, Hardie & Lee (2005a), "Counting your customers the easy way: an
  alternative to the Pareto/NBD model", Marketing Science 24(2) — likelihood (eq. 6),
  E[X(t)] (eq. 7), P(alive) (eq. 2 of the 2008 note "Computing P(alive) using the
  BG/NBD model"), conditional expectation E[Y(t) | x, tₓ, T] (eq. 10).  Published
  CDNOW estimates (2,357 customers, 39-week calibration): r = 0.243, α = 4.414,
  a = 0.793, b = 2.426, LL = −9582.4.
* Gamma–Gamma spend model: Fader, Hardie & Lee (2005b), "RFM and CLV: using iso-value
  curves for customer base analysis", J. Marketing Research 42(4), and Fader & Hardie
  (2013) "The Gamma-Gamma model of monetary value".  Published CDNOW estimates
  (946 repeat buyers): p = 6.25, q = 3.74, γ = 15.44.  Expected spend
  E[M | x, z̄] = (γ + x·z̄)·p / (p·x + q − 1).
* Discounted CLV over a horizon is computed, as in lifetimes' ``customer_lifetime_value``,
  by discrete steps: Σᵢ₌₁..H (E[Y(i·Δ)] − E[Y((i−1)·Δ)]) · E[M] / (1+d)^(i − offset),
  with Δ the step length in model time units and d the discount rate per step.

Time unit
---------
Summaries measure recency and age T in an explicit ``time_unit`` ("D" days, "W"
weeks = 7 days, "M" months = 365.25/12 days, "Y" years = 365.25 days); several
purchases by one customer on one calendar day count as one transaction whose amount
is their sum (FHL 2005a's CDNOW convention).  ``frequency`` is the number of repeat
purchase days, ``recency`` the time from first to last purchase, ``T`` the time from
first purchase to the end of calibration, ``monetary_value`` the mean amount of the
repeat purchases (the first purchase is excluded, as in FHL 2005b and lifetimes).

Relation to lifetimes and pymc-marketing (decision)
---------------------------------------------------
crmlab fits both models with its own maximum-likelihood code (scipy.optimize,
log-parameters, analytic vectorised gradients, customers collapsed to unique
(x, tₓ, T) rows) and has no runtime dependency on either library:

* *lifetimes* (the reference implementation these formulas are checked against in
  ``benchmarks/bench_clv.py``) is archived — no fixes since 2020 — so a workbench that
  must keep installing cannot depend on it.  (Measured here: lifetimes 0.11.3 did
  install and run in a fresh venv on Python 3.11 / numpy 2.4 / pandas 3.1 / scipy 1.17
  with autograd 1.9 — the issue's "fails on fresh install" was not reproduced — but
  that is luck, not maintenance.)  On CDNOW our parameters agree with lifetimes' to
  1e-6, conditional expectations to 1e-6, CLV to 1e-10; our fit is ≈ 10× faster,
  the 1M-customer CLV ≈ 100× faster, the log summary ≈ 8–14× faster (bench_clv.py).
* *pymc-marketing* (``pymc_marketing.clv``) is the maintained Bayesian library, but
  brings PyMC/PyTensor (a C tool chain, ~30 s first compilation, 1.4–5 s per MAP fit
  afterwards on this machine); its MAP fit uses priors, so on CDNOW it gives a = 0.71, b = 2.09 rather
  than the published MLE.  It stays an optional route for users who want posterior
  uncertainty, not a dependency: our summaries use its column names (``frequency``,
  ``recency``, ``T``, ``monetary_value``), so ``TransactionLog.customer_summary(...)
  .reset_index()`` can be given to it directly.  Standard errors here come from the
  observed information matrix (inverse Hessian of −LL at the MLE).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import betainc, betaln, digamma, expit, gammaln, hyp2f1
from threadpoolctl import ThreadpoolController

from .clv import TIMING_OFFSET, CLVResult, check_periods, check_rate
from .results import table_and_settings, wald_table
from .transactions import TIME_UNITS, TransactionLog
from .validation import (CONVERGENCE_POLICIES, CrmlabValueError, check_choice, check_columns, check_convergence,
                         check_is_fitted, check_scalar)



@dataclass(frozen=True)
class BTYDResult:
    """A table from a customer-base model (holdout check, tracking, comparison) and the settings that produced it."""

    table: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        return self.table


# =========================================================================== reading logs
# =========================================================================== inputs
def _resolve_unit(given, requested, name: str = "time_unit"):
    """The time unit of a summary: from its settings, or ``time_unit=`` for a plain DataFrame (they must agree)."""
    if requested is not None:
        check_choice(requested, name, TIME_UNITS)
        if given is not None and given != requested:
            raise CrmlabValueError(f"{name}={requested!r} contradicts the summary's time unit {given!r} (from its settings)")
        return requested
    return given


def _check_summary(summary: pd.DataFrame, frequency: str, recency: str | None, T: str | None, *, name="summary",
                   discrete: bool = False):
    """Validated float arrays of the summary columns (frequency x, recency tₓ, age T or opportunities n).

    Rules: finite numbers ≥ 0, x whole, tₓ ≤ T, tₓ = 0 when x = 0, x = 0 when T = 0
    (a customer first seen at the calibration end has no repeat purchase yet).  With
    ``discrete`` (BG/BB) tₓ and n are whole opportunity counts and x ≤ tₓ.
    """
    cols = [c for c in (frequency, recency, T) if c is not None]
    check_columns(summary, cols, name=name)
    if len(summary) == 0:
        raise CrmlabValueError(f"{name} has no rows")
    arrays = []
    for c in cols:
        v = pd.to_numeric(summary[c], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(v)):
            raise CrmlabValueError(f"{name} column {c!r} must be finite numbers; bad rows {summary.index[~np.isfinite(v)][:5].tolist()} "
                                   f"(values {summary[c][~np.isfinite(v)].head(5).tolist()})")
        if np.any(v < 0):
            raise CrmlabValueError(f"{name} column {c!r} must be ≥ 0; negative at rows {summary.index[v < 0][:5].tolist()}")
        if (c == frequency or discrete) and np.any(v != np.round(v)):
            raise CrmlabValueError(f"{name} column {c!r} must hold whole numbers; rows {summary.index[v != np.round(v)][:5].tolist()}")
        arrays.append(v)
    if recency is not None and T is not None:
        x, tx, t = arrays
        bad = tx > t + 1e-9
        if bad.any():
            raise CrmlabValueError(f"{name}: {recency!r} exceeds {T!r} at rows {summary.index[bad][:5].tolist()} (recency ≤ T is required)")
        bad = (x == 0) & (tx != 0)
        if bad.any():
            raise CrmlabValueError(f"{name}: {recency!r} must be 0 when {frequency!r} is 0; rows {summary.index[bad][:5].tolist()}")
        bad = (t == 0) & (x > 0)
        if bad.any():
            raise CrmlabValueError(f"{name}: {frequency!r} must be 0 when {T!r} is 0 (no time for a repeat purchase); "
                                   f"rows {summary.index[bad][:5].tolist()}")
        if discrete:
            bad = x > tx
            if bad.any():
                raise CrmlabValueError(f"{name}: {frequency!r} exceeds {recency!r} (x transactions need x opportunities up to the "
                                       f"last one) at rows {summary.index[bad][:5].tolist()}")
    return arrays


def _unique_rows(*columns):
    """Unique rows of equal-length 1-D arrays and each row's group code (hash-based, O(n))."""
    n = len(columns[0])
    key = np.zeros(n, dtype=np.int64)
    for col in columns:
        codes, levels = pd.factorize(np.asarray(col))
        key, _ = pd.factorize(key * len(levels) + codes)  # re-factorize to keep the mixed-radix key small
    first = np.empty(key.max() + 1 if n else 0, dtype=np.int64)
    first[key[::-1]] = np.arange(n - 1, -1, -1)  # index of each group's first row
    return [np.asarray(col)[first] for col in columns], key


def _collapse(*columns, weights=None):
    """Unique rows of the given columns, sorted, and their total weights (fits run over unique rows).

    Sorting makes every sum in the likelihood run in one order whatever the order of the
    customers, so a fit does not depend on row order even in the last digit.
    """
    uniq, inverse = _unique_rows(*columns)
    w = np.bincount(inverse, weights=weights, minlength=uniq[0].size).astype(float)
    order = np.lexsort(uniq[::-1])
    return [u[order] for u in uniq], w[order]


# =========================================================================== maximum likelihood
LOG_PARAM_BOUND = np.log(1e12)       # parameters are searched in [1e-12, 1e12]
BOUNDARY = np.log(1e10)              # an estimate beyond 1e±10 sits on the boundary: not identified
GRADIENT_TOLERANCE = 1e-6            # converged: every |∂(−LL/n)/∂ ln θ| below this at the optimum


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """The BLAS libraries loaded in this process (scanned once; numpy's and scipy's are loaded by now)."""
    return ThreadpoolController()


def _numeric_gradient(f, z, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of a scalar function of log-parameters."""
    g = np.empty(z.size)
    for j in range(z.size):  # loop over the few parameters, not over customers
        e = np.zeros(z.size)
        e[j] = h
        g[j] = (f(z + e) - f(z - e)) / (2 * h)
    return g


@dataclass(frozen=True)
class _Fit:
    params: np.ndarray
    log_likelihood: float
    std_errors: np.ndarray
    converged: bool
    n_iter: int


def _maximise(negll, x0, n_weight: float, *, names, what: str, policy: str, analytic: bool) -> _Fit:
    """Maximum likelihood over log-parameters with L-BFGS-B; standard errors from the observed information.

    ``negll(z)`` returns −LL (and its gradient w.r.t. z = ln θ when ``analytic``; else
    central differences are used).  Convergence is judged by the gradient at the
    optimum (every |∂(−LL/n)/∂ ln θ| ≤ 1e-6), through :func:`check_convergence`.  An
    estimate on the boundary of the parameter space, or standard errors that are not
    finite (a singular or indefinite information matrix), raise: the data do not
    identify the model.  Standard errors: SE(θ) = θ·SE(ln θ) from the inverse Hessian
    of −LL in ln θ (central differences of the gradient), corrected for the gradient term.
    BLAS is held to one thread: the optimiser's tiny matrix algebra gains nothing from
    threads, and on a busy machine multi-threaded BLAS spinning made fits 10–20× slower.
    """
    def value(z):
        return negll(z)[0] if analytic else negll(z)

    def gradient(z):
        return negll(z)[1] if analytic else _numeric_gradient(value, z)

    def scaled(z):
        v = value(z)
        return (v / n_weight, gradient(z) / n_weight) if np.isfinite(v) else (np.inf, np.zeros(z.size))

    z0 = np.log(np.asarray(x0, dtype=float))
    with _blas_controller().limit(limits=1, user_api="blas"):
        res = optimize.minimize(scaled, z0, jac=True, method="L-BFGS-B",
                                bounds=[(-LOG_PARAM_BOUND, LOG_PARAM_BOUND)] * z0.size,
                                options={"maxiter": 2000, "gtol": 1e-10, "ftol": 1e-15})
        z = res.x
        ll = -float(value(z))
        grad = gradient(z)
        k = z.size
        hess = np.empty((k, k))
        for j in range(k):
            e = np.zeros(k)
            e[j] = 1e-4
            hess[:, j] = (gradient(z + e) - gradient(z - e)) / 2e-4
    if not np.isfinite(ll):
        raise CrmlabValueError(f"{what}: the log-likelihood is not finite at the estimates ({res.message}); check the data")
    worst = float(np.max(np.abs(grad))) / n_weight
    check_convergence(bool(worst <= GRADIENT_TOLERANCE), what=what, policy=policy,
                      detail=f"after {res.nit} L-BFGS-B iterations the largest |∂(−LL/n)/∂ ln θ| is {worst:.2e} "
                             f"(tolerance {GRADIENT_TOLERANCE:g}; optimiser: {res.message})")
    params = np.exp(z)
    edge = np.abs(z) > BOUNDARY
    if edge.any():
        raise CrmlabValueError(
            f"{what}: the estimate of {[n for n, e in zip(names, edge) if e]} ran to the boundary of the parameter space "
            f"({params[edge].tolist()}): the data cannot identify the model (too few customers, or no variation across them)")
    info = (hess + hess.T) / 2 - np.diag(grad)
    try:
        cov = np.linalg.inv(info)
        ok = np.all(np.linalg.eigvalsh(info) > 0)
    except np.linalg.LinAlgError:
        ok = False
    se = params * np.sqrt(np.diag(cov)) if ok else np.full(k, np.nan)
    if not ok or not np.all(np.isfinite(se)):
        raise CrmlabValueError(
            f"{what}: the observed information matrix is singular or not positive definite at the estimates "
            f"{dict(zip(names, np.round(params, 6).tolist()))}, so standard errors are not finite: "
            "the data cannot identify the model's parameters")
    return _Fit(params, ll, se, bool(worst <= GRADIENT_TOLERANCE), int(res.nit))


# =========================================================================== base class
class _FittedModel:
    """Shared fit/summary machinery: learned ``params_``, ``std_errors_``, ``log_likelihood_``, ``settings``."""

    param_names: tuple = ()
    model_name: str = ""
    _analytic_gradient = False
    _initial: tuple = ()

    def _store(self, fit: _Fit, *, n: int, unit, extra: dict | None = None) -> None:
        self.params_ = pd.Series(fit.params, index=list(self.param_names), name="estimate")
        self.std_errors_ = pd.Series(fit.std_errors, index=list(self.param_names), name="std_error")
        self.log_likelihood_ = fit.log_likelihood
        self.converged_ = fit.converged
        self.n_iter_ = fit.n_iter
        self.n_customers_ = int(n)
        self.time_unit_ = unit
        self._settings = {"model": self.model_name, "time_unit": unit, "customers": int(n),
                          "log_likelihood": fit.log_likelihood, "n_parameters": len(self.param_names),
                          "on_nonconvergence": self.on_nonconvergence, **(extra or {})}

    def _fit_arrays(self, arrays, weights, initial):
        uniq, w = _collapse(*arrays, weights=weights)
        init = self._initial if initial is None else initial
        if len(init) != len(self.param_names) or not np.all(np.asarray(init, dtype=float) > 0):
            raise CrmlabValueError(f"initial must be {len(self.param_names)} positive numbers {self.param_names}, got {initial!r}")
        return _maximise(lambda z: self._negll(z, *uniq, w), init, w.sum(), names=self.param_names, what=self.model_name,
                         policy=self.on_nonconvergence, analytic=self._analytic_gradient)

    def _params(self) -> np.ndarray:
        check_is_fitted(self, "params_")
        return self.params_.to_numpy()

    @property
    def settings(self) -> dict:
        """Conventions and fit facts (model, time unit, customers, log-likelihood, …)."""
        check_is_fitted(self, "params_")
        return dict(self._settings)

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors, z values, p values and 95 % Wald intervals (``STAT_COLUMNS``); facts in ``settings``."""
        check_is_fitted(self, "params_")
        return wald_table(self.params_, self.std_errors_.to_numpy())


class _PurchaseModel(_FittedModel):
    """A customer-base (“buy ’til you die”) model over a per-customer summary (x, tₓ, T).

    Subclasses give ``_negll`` (−LL over unique rows with weights), ``_p_alive``
    and ``_growth`` — E[Y(t) | x, tₓ, T] = P(alive | x, tₓ, T) · growth(x, T, t) for
    every model here, the growth factor not depending on tₓ, so it is evaluated once per
    distinct (x, T, t).
    """

    discrete = False

    def __init__(self, *, frequency: str = "frequency", recency: str = "recency", T: str = "T",
                 on_nonconvergence: str = "raise"):
        check_choice(on_nonconvergence, "on_nonconvergence", CONVERGENCE_POLICIES)
        self.frequency, self.recency, self.T = frequency, recency, T
        self.on_nonconvergence = on_nonconvergence

    def _weights(self, table):
        return None

    def _input(self, data, time_unit, *, fitted: bool):
        table, settings = table_and_settings(data, "summary")
        unit = _resolve_unit(settings.get("time_unit"), time_unit)
        if fitted:
            self._params()
            if unit is not None and self.time_unit_ is not None and unit != self.time_unit_:
                raise CrmlabValueError(f"the summary is in time unit {unit!r} but the model was fitted in {self.time_unit_!r}")
        arrays = _check_summary(table, self.frequency, self.recency, self.T, discrete=self.discrete)
        return table, settings, unit, arrays

    def fit(self, summary, *, time_unit: str | None = None, initial=None):
        """Fit by maximum likelihood to a :class:`CustomerSummary` or a DataFrame (``time_unit`` names its unit).

        Identifiability rule: the heterogeneity of purchase rates and dropout is learned
        from variation across customers, so the data need at least two customers with
        repeat purchases (frequency > 0) and at least two distinct frequencies; otherwise
        the estimates run off to the boundary and the fit raises.  Customers with T = 0
        (first purchase at the calibration end) add a factor 1 to the likelihood: they
        are accepted and counted in ``n_customers_`` but carry no information.
        """
        table, settings, unit, arrays = self._input(summary, time_unit, fitted=False)
        weights = self._weights(table)
        x = arrays[0]
        w = np.ones(x.size) if weights is None else weights
        repeaters = float(w[x > 0].sum())
        if repeaters < 2 or np.unique(x[w > 0]).size < 2:
            raise CrmlabValueError(
                f"{self.model_name} cannot be identified from these data: it needs at least two customers with repeat "
                f"purchases ({self.frequency!r} > 0) and at least two distinct frequencies; the summary has "
                f"{int(w.sum())} customers, {int(repeaters)} with repeat purchases")
        fit = self._fit_arrays(arrays, weights, initial)
        extra = {k: settings[k] for k in ("purchase_rule", "calibration_end") if k in settings}
        self._store(fit, n=w.sum(), unit=unit, extra=extra)
        return self

    def probability_alive(self, summary, *, time_unit: str | None = None) -> pd.Series:
        """P(alive | x, tₓ, T): the probability that each customer is still active at the end of calibration."""
        table, _, _, arrays = self._input(summary, time_unit, fitted=True)
        return pd.Series(self._p_alive(self._params(), *arrays), index=table.index, name="p_alive")

    def _horizon(self, t, n: int, name: str = "t") -> np.ndarray:
        """A horizon in model time units: one number, or one per customer; whole opportunities for BG/BB."""
        t = _per_customer_values(t, n, name)
        if self.discrete and np.any(t != np.round(t)):
            raise CrmlabValueError(f"{name} must be a whole number of opportunities for {self.model_name}")
        return t

    def _conditional(self, params, x, tx, T, t):
        (ux, uT, ut), inverse = _unique_rows(x, T, t)
        return self._growth(params, ux, uT, ut)[inverse] * self._p_alive(params, x, tx, T)

    def conditional_expected_purchases(self, summary, t, *, time_unit: str | None = None) -> pd.Series:
        """E[Y(t) | x, tₓ, T]: expected purchases of each customer in the next t time units (opportunities for BG/BB)."""
        table, _, _, arrays = self._input(summary, time_unit, fitted=True)
        t = self._horizon(t, len(table))
        return pd.Series(self._conditional(self._params(), *arrays, t), index=table.index, name="expected_purchases")

    def expected_purchases(self, t) -> np.ndarray | float:
        """E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired (x = tₓ = T = 0)."""
        params = self._params()
        t = np.asarray(t, dtype=float)
        flat = self._horizon(t.ravel(), t.size)
        zero = np.zeros(flat.size)
        out = (self._growth(params, zero, zero, flat) * self._p_alive(params, zero, zero, zero)).reshape(t.shape)
        return float(out) if out.ndim == 0 else out

    def _count_and_time(self, n, t):
        try:
            n, t = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(t, dtype=float))
        except (TypeError, ValueError):
            raise CrmlabValueError(f"n and t must be numbers or arrays of one shape, got n={n!r}, t={t!r}") from None
        if np.any(~np.isfinite(n)) or np.any(n < 0) or np.any(n != np.round(n)):
            raise CrmlabValueError(f"n must be whole numbers ≥ 0, got {np.ravel(n)[:5].tolist()}")
        if np.any(~np.isfinite(t)) or np.any(t < 0):
            raise CrmlabValueError(f"t must be finite and ≥ 0, got {np.ravel(t)[:5].tolist()}")
        return n, t


# =========================================================================== BG/NBD
def _bgnbd_negll_grad(log_params, x, tx, T, w):
    """−LL and its gradient w.r.t. log-parameters for the BG/NBD (FHL 2005a eq. 6), weights w per row.

    LL = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
         + ln[(α+T)^−(r+x) + 1{x>0}·a/(b+x−1)·(α+tₓ)^−(r+x)].
    The special-function terms depend on x only, so they are evaluated once per distinct x
    (weighted by the rows' total weight); only the last, recency/age term is per row.
    """
    r, alpha, a, b = np.exp(log_params)
    levels, inverse = np.unique(x, return_inverse=True)
    lw = np.bincount(inverse, weights=w, minlength=levels.size)
    rl, bl, abl = r + levels, b + levels, a + b + levels
    ll_x = gammaln(rl) - gammaln(r) + r * np.log(alpha) + betaln(a, bl) - betaln(a, b)
    gr_x = digamma(rl) - digamma(r) + np.log(alpha)
    ga_x = digamma(a + b) - digamma(abl)
    gb_x = digamma(bl) - digamma(abl) - digamma(b) + digamma(a + b)
    rx = r + x
    has = x > 0
    ln_at = np.log(alpha + T)
    ln_atx = np.log(alpha + tx)
    bx1 = np.where(has, b + x - 1.0, 1.0)
    u1 = -rx * ln_at
    u2 = np.where(has, np.log(a) - np.log(bx1) - rx * ln_atx, -np.inf)
    d = np.logaddexp(u1, u2)
    w2 = np.where(has, np.exp(u2 - d), 0.0)
    w1 = 1.0 - w2
    ll = lw @ ll_x + w @ d
    grad = np.array([
        lw @ gr_x - w @ (w1 * ln_at + w2 * ln_atx),
        w.sum() * r / alpha - w @ (rx * (w1 / (alpha + T) + w2 / (alpha + tx))),
        lw @ ga_x + (w @ w2) / a,
        lw @ gb_x - w @ (w2 / bx1),
    ]) * np.array([r, alpha, a, b])
    return -ll, -grad


class BetaGeoModel(_PurchaseModel):
    """BG/NBD purchase model (Fader, Hardie & Lee 2005a) fitted by maximum likelihood.

    ``BetaGeoModel().fit(summary)`` with columns frequency (x), recency (tₓ) and T in one
    time unit; learned: ``params_`` (r, alpha, a, b), ``std_errors_``,
    ``log_likelihood_``, ``n_customers_``, ``time_unit_``, ``converged_``, ``n_iter_``.
    """

    param_names = ("r", "alpha", "a", "b")
    model_name = "BG/NBD"
    _analytic_gradient = True
    _initial = (1.0, 1.0, 1.0, 1.0)

    @staticmethod
    def _negll(z, x, tx, T, w):
        return _bgnbd_negll_grad(z, x, tx, T, w)

    @staticmethod
    def _p_alive(params, x, tx, T):
        """P(alive) = 1 / (1 + 1{x>0}·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x)) (Fader, Hardie & Lee 2008 note, eq. 2)."""
        r, alpha, a, b = params
        has = x > 0
        ratio = np.where(has, a / np.where(has, b + x - 1, 1.0) * np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + tx))), 0.0)
        return 1.0 / (1.0 + ratio)

    @staticmethod
    def _growth(params, x, T, t):
        """(a+b+x−1)/(a−1)·[1 − ((α+T)/(α+T+t))^(r+x)·₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] (FHL 2005a eq. 10)."""
        r, alpha, a, b = params
        z = t / (alpha + T + t)
        return (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))

    def probability_of_purchases(self, n, t) -> np.ndarray | float:
        """P(X(t) = n): probability of exactly n repeat purchases in (0, t] for a new customer (FHL 2005a eq. 8).

        P = B(a, b+n)/B(a, b)·NB(n; r, α/(α+t)) + 1{n>0}·B(a+1, b+n−1)/B(a, b)·P(NB(r, α/(α+t)) ≥ n),
        with the negative-binomial tail P(NB ≥ n) = I_{t/(α+t)}(n, r) (regularised incomplete beta).
        """
        r, alpha, a, b = self._params()
        n, t = self._count_and_time(n, t)
        p = t / (alpha + t)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_nb = gammaln(r + n) - gammaln(r) - gammaln(n + 1) + r * np.log1p(-p) + np.where(n > 0, n * np.log(p), 0.0)
            first = np.exp(betaln(a, b + n) - betaln(a, b) + log_nb)
            tail = np.where(n > 0, betainc(np.maximum(n, 1), r, p), 0.0)
            second = np.where(n > 0, np.exp(betaln(a + 1, np.maximum(b + n - 1, 1e-300)) - betaln(a, b)) * tail, 0.0)
        out = first + second
        return float(out) if out.ndim == 0 else out


# =========================================================================== MBG/NBD
class ModifiedBetaGeoModel(_PurchaseModel):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007): the BG/NBD with a possible dropout right after the first purchase.

    LL = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b)
         + ln[(α+T)^−(r+x) + a/(b+x)·(α+tₓ)^−(r+x)];
    P(alive) = 1 / (1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x));
    E[Y(t) | ·] = P(alive)·(a+b+x)/(a−1)·[1 − ((α+T)/(α+T+t))^(r+x)·₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))].
    For a new customer (x = tₓ = T = 0, P(alive) = b/(a+b): dropout at time 0 is possible)
    this gives E[X(t)] = b/(a−1)·[1 − (α/(α+t))^r·₂F₁(r, b+1; a+b; t/(α+t))].
    """

    param_names = ("r", "alpha", "a", "b")
    model_name = "MBG/NBD"
    _initial = (1.0, 1.0, 1.0, 1.0)

    @staticmethod
    def _negll(z, x, tx, T, w):
        r, alpha, a, b = np.exp(z)
        ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x + 1) - betaln(a, b)
              + np.logaddexp(-(r + x) * np.log(alpha + T), np.log(a) - np.log(b + x) - (r + x) * np.log(alpha + tx)))
        return -(w @ ll)

    @staticmethod
    def _p_alive(params, x, tx, T):
        r, alpha, a, b = params
        return 1.0 / (1.0 + a / (b + x) * np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + tx))))

    @staticmethod
    def _growth(params, x, T, t):
        r, alpha, a, b = params
        z = t / (alpha + T + t)
        return (a + b + x) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z))


# =========================================================================== Pareto/NBD
def _pnbd_log_a(r, alpha, s, beta, x, tau):
    """ln[(M+τ)^−m·₂F₁(m, c; m+1; z)] with m = r+s+x, z = |α−β|/(M+τ), M = max(α, β) (FHL 2005 note, eq. 22–24).

    c = s+1 if α ≥ β, else r+x.  Evaluated through Euler's transformation
    ₂F₁(m, c; m+1; z) = (1−z)^(1−c)·₂F₁(1, m+1−c; m+1; z), whose series has positive terms
    bounded by 1/(1−z): no overflow for large x and no loss of digits as z → 1.
    """
    m = r + s + x
    big, small, c = (alpha, beta, s + 1) if alpha >= beta else (beta, alpha, r + x)
    log_big = np.log(big + tau)
    z = (big - small) / (big + tau)
    return -m * log_big + (1 - c) * (np.log(small + tau) - log_big) + np.log(hyp2f1(1.0, m + 1 - c, m + 1, z))


def _pnbd_log_integral(r, alpha, s, beta, x, lo, hi, nodes: int = 64):
    """ln ∫_lo^hi (α+τ)^−(r+x)·(β+τ)^−(s+1) dτ by quadrature — the fallback where ₂F₁ cannot be evaluated.

    With h(τ) the log-integrand (convex, decreasing) and v = h(lo) − h(τ), the integral is
    e^h(lo)·∫₀^V e^−v / |h′(τ(v))| dv: an exponential times a smooth rational factor,
    integrated by Gauss–Legendre over [0, min(V, 60)] (e^−60 is below double precision);
    τ(v) is found by Newton's method, which converges monotonically from the left.
    """
    def h(tau):
        return -(r + x) * np.log(alpha + tau) - (s + 1) * np.log(beta + tau)

    def slope(tau):  # −h′(τ) > 0
        return (r + x) / (alpha + tau) + (s + 1) / (beta + tau)

    h_lo = h(lo)
    span = np.minimum(h_lo - h(hi), 60.0)
    u, weights = np.polynomial.legendre.leggauss(nodes)
    v = (u[None, :] + 1.0) / 2.0 * span[:, None]
    tau = np.repeat(lo[:, None], nodes, axis=1).astype(float)
    xs, ls = (x[:, None], lo[:, None]) if np.ndim(x) else (x, lo[:, None])
    for _ in range(200):  # loop over Newton iterations, not customers
        gap = v - (h_lo[:, None] - (-(r + xs) * np.log(alpha + tau) - (s + 1) * np.log(beta + tau)))
        step = gap / ((r + xs) / (alpha + tau) + (s + 1) / (beta + tau))
        tau = np.maximum(tau + step, ls)
        if np.all(np.abs(step) <= 1e-14 * (1.0 + np.abs(tau))):
            break
    integrand = np.exp(-v) / ((r + xs) / (alpha + tau) + (s + 1) / (beta + tau))
    with np.errstate(divide="ignore"):  # an integral below the smallest double is −∞ in logs
        return h_lo + np.log(integrand @ weights * span / 2.0)


def _pnbd_log_terms(params, x, tx, T):
    """The two terms of the Pareto/NBD likelihood in logs (FHL 2005 note, eq. 22), without ln[Γ(r+x)αʳβˢ/Γ(r)].

    alive: −(r+x) ln(α+T) − s ln(β+T);  dropped: ln[s/(r+s+x)] + ln A₀ with
    A₀ = A(tₓ) − A(T) (A from :func:`_pnbd_log_a`), computed as
    ln A(tₓ) + ln(1 − e^(ln A(T) − ln A(tₓ))) — the log-sum form; A₀ = 0 when tₓ = T.
    Where scipy's ₂F₁ fails (very large x with α and β far apart) the same quantity,
    s·∫ₜₓᵀ (α+τ)^−(r+x)(β+τ)^−(s+1) dτ, is integrated numerically (:func:`_pnbd_log_integral`).
    """
    r, alpha, s, beta = params
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        la_tx = _pnbd_log_a(r, alpha, s, beta, x, tx)
        la_T = _pnbd_log_a(r, alpha, s, beta, x, T)
        log_a0 = la_tx + np.log(-np.expm1(np.minimum(la_T - la_tx, 0.0)))
    dropped = np.where(tx < T, np.log(s) - np.log(r + s + x) + log_a0, -np.inf)
    bad = (tx < T) & ~np.isfinite(dropped)
    if bad.any():
        dropped[bad] = np.log(s) + _pnbd_log_integral(r, alpha, s, beta, x[bad], tx[bad], T[bad])
    return alive, dropped


class ParetoNBDModel(_PurchaseModel):
    """Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987), maximum likelihood as in Fader, Hardie & Lee (2005).

    While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α) and dies
    after an exponential lifetime with rate μ ~ Gamma(s, β).  Likelihood, P(alive) and
    E[Y(t) | x, tₓ, T] follow FHL's note "A note on deriving the Pareto/NBD model and
    related expressions" (2005, eqs. 22, 11, 13):
    E[Y(t) | ·] = P(alive)·(r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^(s−1)].
    Published CDNOW estimates (2,357 customers, weeks): r = 0.55, α = 10.58, s = 0.61,
    β = 11.67, LL = −9595.0.
    """

    param_names = ("r", "alpha", "s", "beta")
    model_name = "Pareto/NBD"
    _initial = (1.0, 1.0, 1.0, 1.0)

    @staticmethod
    def _negll(z, x, tx, T, w):
        params = np.exp(z)
        r, alpha, s, beta = params
        alive, dropped = _pnbd_log_terms(params, x, tx, T)
        ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + np.logaddexp(alive, dropped)
        return -(w @ ll)

    @staticmethod
    def _p_alive(params, x, tx, T):
        alive, dropped = _pnbd_log_terms(params, x, tx, T)
        return expit(alive - dropped)

    @staticmethod
    def _growth(params, x, T, t):
        r, alpha, s, beta = params
        horizon = np.log1p(t / (beta + T))
        c = s - 1.0
        # [1 − ((β+T)/(β+T+t))^(s−1)]/(s−1) = −expm1(−(s−1)·L)/(s−1), → L as s → 1
        factor = -np.expm1(-c * horizon) / c if abs(c) > 1e-12 else horizon
        return (r + x) * (beta + T) / (alpha + T) * factor

    def probability_of_purchases(self, n, t) -> np.ndarray | float:
        """P(X(t) = n) for a new customer (Fader & Hardie 2006 note "Deriving an expression for P(X(t) = x) under the Pareto/NBD model", eq. 8).

        P = NB(n; r, α/(α+t))·(β/(β+t))ˢ + αʳβˢ·B(r+n, s+1)/B(r, s)·[B₁ − Σᵢ₌₀ⁿ Γ(r+s+i)/(Γ(r+s) i!)·tⁱ·B₂ᵢ],
        B₁ = ₂F₁(r+s, c; r+s+n+1; |α−β|/M)/M^(r+s), B₂ᵢ = ₂F₁(r+s+i, c; r+s+n+1; |α−β|/(M+t))/(M+t)^(r+s+i),
        M = max(α, β), c = s+1 if α ≥ β else r+n.
        """
        r, alpha, s, beta = self._params()
        n, t = self._count_and_time(n, t)
        shape = n.shape
        n, t = n.ravel(), t.ravel()
        big, small = max(alpha, beta), min(alpha, beta)
        c = s + 1 if alpha >= beta else r + n
        with np.errstate(divide="ignore", invalid="ignore"):
            log_t = np.where(t > 0, np.log(t), -np.inf)
            log_nb = (gammaln(r + n) - gammaln(r) - gammaln(n + 1) + r * (np.log(alpha) - np.log(alpha + t))
                      + np.where(n > 0, n * (log_t - np.log(alpha + t)), 0.0))
            first = np.exp(log_nb + s * (np.log(beta) - np.log(beta + t)))
            b1 = hyp2f1(r + s, c, r + s + n + 1, (big - small) / big) / big ** (r + s)
            i = np.arange(int(n.max()) + 1 if n.size else 1)[None, :]
            log_coef = gammaln(r + s + i) - gammaln(r + s) - gammaln(i + 1) + np.where(i > 0, i * log_t[:, None], 0.0)
            cc = c[:, None] if np.ndim(c) else c
            b2 = (hyp2f1(r + s + i, cc, r + s + n[:, None] + 1, ((big - small) / (big + t))[:, None])
                  * np.exp(log_coef - (r + s + i) * np.log(big + t)[:, None]))
            b2 = np.where(i <= n[:, None], b2, 0.0).sum(axis=1)
            second = np.exp(r * np.log(alpha) + s * np.log(beta) + betaln(r + n, s + 1) - betaln(r, s)) * (b1 - b2)
        out = (first + np.where(t > 0, second, 0.0)).reshape(shape)
        if not np.all(np.isfinite(out)) or np.any(out < -1e-12):
            raise CrmlabValueError("P(X(t) = n) could not be evaluated accurately for these n and t (hypergeometric terms "
                                   "overflow or cancel); use smaller n or t")
        out = np.maximum(out, 0.0)  # B₁ − ΣB₂ cancels to rounding noise (|·| < 1e-12) far in the tail
        return float(out) if out.ndim == 0 else out


# =========================================================================== BG/BB
class BetaGeoBetaBinomModel(_PurchaseModel):
    """BG/BB model for discrete transaction opportunities (Fader, Hardie & Shang 2010, Marketing Science 29(6)).

    At each opportunity an alive customer transacts with probability p ~ Beta(α, β) and
    then dies with probability θ ~ Beta(γ, δ).  Data per customer (or per pattern, with a
    ``count`` column): x transactions, recency tₓ (opportunity of the last one, 0 if none)
    and n opportunities (column ``T``).  LL (eq. 5):
    L = B(α+x, β+n−x)/B(α,β)·B(γ, δ+n)/B(γ,δ) + Σᵢ₌₀^{n−tₓ−1} B(α+x, β+tₓ−x+i)/B(α,β)·B(γ+1, δ+tₓ+i)/B(γ,δ);
    P(alive at n+1) (eq. 11) = B(α+x, β+n−x)/B(α,β)·B(γ, δ+n+1)/B(γ,δ)/L;
    E[transactions in n+1 … n+n*] (eq. 13) = P(alive)·(α+x)/(α+β+n)·(γ+δ+n)/(γ−1)·
    [1 − Γ(1+δ+n+n*)Γ(γ+δ+n)/(Γ(γ+δ+n+n*)Γ(1+δ+n))].
    Published donation-data MLE (11,104 donors, 6 opportunities): α = 1.204, β = 0.750,
    γ = 0.657, δ = 2.783, LL = −33,225.6.
    """

    param_names = ("alpha", "beta", "gamma", "delta")
    model_name = "BG/BB"
    discrete = True
    _analytic_gradient = True
    _initial = (1.0, 1.0, 1.0, 1.0)

    def __init__(self, *, frequency: str = "frequency", recency: str = "recency", T: str = "periods",
                 count: str | None = None, on_nonconvergence: str = "raise"):
        super().__init__(frequency=frequency, recency=recency, T=T, on_nonconvergence=on_nonconvergence)
        self.count = count

    def _weights(self, table):
        if self.count is None:
            return None
        check_columns(table, [self.count], name="summary")
        w = pd.to_numeric(table[self.count], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(w) | (w < 0) | (w != np.round(w))
        if bad.any():
            raise CrmlabValueError(f"summary column {self.count!r} must hold whole numbers of customers ≥ 0; rows {table.index[bad][:5].tolist()}")
        return w

    @staticmethod
    def _log_lik(params, x, tx, n, *, gradient: bool = False):
        """ln L per row (eq. 5) and, with ``gradient``, its derivatives w.r.t. (α, β, γ, δ).

        Each of L's terms is B(α+x, β+k₁)·B(γ+e, δ+k₂)/(B(α,β)B(γ,δ)): the first with
        (k₁, e, k₂) = (n−x, 0, n), the i-th of the sum with (tₓ−x+i, 1, tₓ+i); derivatives
        of ln B are digamma differences, combined with each term's share of L.
        """
        a, b, g, d = params
        gap = (n - tx).astype(int)
        i = np.arange(max(int(gap.max()), 1))[None, :]
        valid = np.hstack([np.ones((x.size, 1), bool), i < gap[:, None]])
        k1 = np.hstack([(n - x)[:, None], tx[:, None] - x[:, None] + i])
        e = np.hstack([[0.0], np.ones(i.size)])[None, :]
        k2 = np.hstack([n[:, None], tx[:, None] + i])
        xs = x[:, None]
        terms = betaln(a + xs, b + k1) + betaln(g + e, d + k2) - betaln(a, b) - betaln(g, d)
        terms = np.where(valid, terms, -np.inf)
        top = terms[:, 0]  # the first term is always present; shift by the row maximum for stability
        top = np.maximum(top, terms.max(axis=1))
        share = np.exp(terms - top[:, None])
        total = share.sum(axis=1)
        ll = top + np.log(total)
        if not gradient:
            return ll
        share /= total[:, None]
        dab, dgd = digamma(a + b + xs + k1), digamma(g + e + d + k2)
        parts = (digamma(a + xs) - dab - digamma(a) + digamma(a + b), digamma(b + k1) - dab - digamma(b) + digamma(a + b),
                 digamma(g + e) - dgd - digamma(g) + digamma(g + d), digamma(d + k2) - dgd - digamma(d) + digamma(g + d))
        return ll, np.stack([(share * np.where(valid, part, 0.0)).sum(axis=1) for part in parts])

    @classmethod
    def _negll(cls, z, x, tx, n, w):
        params = np.exp(z)
        ll, grad = cls._log_lik(params, x, tx, n, gradient=True)
        return -(w @ ll), -(grad @ w) * params

    @classmethod
    def _p_alive(cls, params, x, tx, n):
        a, b, g, d = params
        return np.exp(betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n + 1) - betaln(g, d) - cls._log_lik(params, x, tx, n))

    @staticmethod
    def _growth(params, x, n, t):
        a, b, g, d = params
        change = gammaln(1 + d + n + t) - gammaln(g + d + n + t) - gammaln(1 + d + n) + gammaln(g + d + n)
        if abs(g - 1) > 1e-10:
            survive = (g + d + n) * -np.expm1(change) / (g - 1)
        else:  # limit γ → 1
            survive = (1 + d + n) * (digamma(1 + d + n + t) - digamma(1 + d + n))
        return (a + x) / (a + b + n) * survive


# =========================================================================== sBG (contractual)
class ShiftedBetaGeometricModel(_FittedModel):
    """Shifted-beta-geometric (sBG) model of contract duration (Fader & Hardie 2007, J. Interactive Marketing 21(1)).

    Each customer churns at every renewal with probability θ ~ Beta(α, β):
    P(T = t) = B(α+1, β+t−1)/B(α, β), survival S(t) = B(α, β+t)/B(α, β), retention
    rₜ = (β+t−1)/(α+β+t−1) (eqs. 3, 4, 7).  Fitted on survivor counts S₀ > S₁ ≥ … (S₀ the
    cohort size): LL = Σₜ (Sₜ₋₁ − Sₜ)·ln P(T = t) + S_last·ln S(last) (eq. 6).
    DERL (Fader & Hardie 2010, Marketing Science 29(1), eq. 6) of a customer who has
    made n−1 renewals: (β+n−1)/(α+β+n−1)·₂F₁(1, β+n; α+β+n; 1/(1+d)) = Σ_{t≥n} S(t | t > n−1)/(1+d)^(t−n).
    Published: regular customers α = 0.704, β = 1.182; high end α = 0.668, β = 3.806 (years 0–7).
    """

    param_names = ("alpha", "beta")
    model_name = "sBG"
    _initial = (1.0, 1.0)

    def __init__(self, *, on_nonconvergence: str = "raise"):
        check_choice(on_nonconvergence, "on_nonconvergence", CONVERGENCE_POLICIES)
        self.on_nonconvergence = on_nonconvergence

    @staticmethod
    def _negll(z, lost, last):
        a, b = np.exp(z)
        t = np.arange(1, lost.size + 1)
        return -(lost @ (betaln(a + 1, b + t - 1) - betaln(a, b)) + last[0] * (betaln(a, b + lost.size) - betaln(a, b)))

    def fit(self, survivors, *, initial=None) -> "ShiftedBetaGeometricModel":
        """Fit to survivor counts of one cohort at periods 0, 1, …, k (a sequence or a Series indexed 0 … k).

        Identifiability rule: two parameters need at least two observed renewal periods
        (three counts), some churn and some survivors at the end.
        """
        s = _check_survivors(survivors)
        lost = -np.diff(s)
        if s.size < 3 or lost.sum() == 0 or s[-1] == 0:
            raise CrmlabValueError(
                f"sBG cannot be identified from survivors {s.tolist()}: it needs counts for at least periods 0, 1 and 2, "
                "some churn and some customers surviving the last period")
        fit = _maximise(lambda z: self._negll(z, lost, s[-1:]), self._initial if initial is None else initial, s[0],
                        names=self.param_names, what=self.model_name, policy=self.on_nonconvergence, analytic=False)
        self.survivors_ = pd.Series(s, index=pd.RangeIndex(0, s.size, name="period"), name="survivors")
        self._store(fit, n=s[0], unit=None, extra={"periods_fitted": int(s.size - 1)})
        return self

    def survival(self, periods: int) -> pd.Series:
        """S(t) = B(α, β+t)/B(α, β), t = 0 … periods (share of the cohort still a customer)."""
        a, b = self._params()
        t = np.arange(0, check_periods(periods, "periods") + 1)
        return pd.Series(np.exp(betaln(a, b + t) - betaln(a, b)), index=pd.RangeIndex(0, t.size, name="period"), name="survival")

    def retention(self, periods: int) -> pd.Series:
        """Retention rates rₜ = (β+t−1)/(α+β+t−1), t = 1 … periods (rising with tenure: heterogeneity sorts customers)."""
        a, b = self._params()
        t = np.arange(1, check_periods(periods, "periods") + 1)
        return pd.Series((b + t - 1) / (a + b + t - 1), index=pd.Index(t, name="period"), name="retention")

    def derl(self, rate: float, *, renewals=0) -> np.ndarray | float:
        """Discounted expected residual lifetime (in periods) of a customer who has made ``renewals`` = n−1 renewals.

        ``rate`` is the discount rate per period (> 0: the series diverges otherwise);
        the next renewal's period counts undiscounted (FH 2010's convention, see class docstring).
        """
        a, b = self._params()
        rate = check_scalar(rate, "rate", low=0.0, low_inclusive=False)
        n = np.asarray(renewals, dtype=float) + 1
        if np.any(~np.isfinite(n)) or np.any(n < 1) or np.any(n != np.round(n)):
            raise CrmlabValueError(f"renewals must be whole numbers ≥ 0, got {renewals!r}")
        out = (b + n - 1) / (a + b + n - 1) * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + rate))
        return float(out) if out.ndim == 0 else out


def _check_survivors(survivors) -> np.ndarray:
    if isinstance(survivors, pd.Series):
        if list(survivors.index) != list(range(len(survivors))):
            raise CrmlabValueError(f"survivors must be indexed by period 0, 1, …, k in order, got index {list(survivors.index)[:8]}")
        survivors = survivors.to_numpy()
    try:
        s = np.asarray(survivors, dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"survivors must be numbers (customer counts per period), got {survivors!r}") from None
    if s.ndim != 1 or s.size == 0:
        raise CrmlabValueError(f"survivors must be a non-empty 1-D sequence of counts, got shape {s.shape}")
    if not np.all(np.isfinite(s)) or np.any(s < 0) or np.any(s != np.round(s)):
        raise CrmlabValueError(f"survivors must be whole customer counts ≥ 0, got {s.tolist()[:10]}")
    if s[0] <= 0 or np.any(np.diff(s) > 0):
        raise CrmlabValueError(f"survivors must start above 0 and never increase (a cohort only loses customers), got {s.tolist()[:10]}")
    return s


# =========================================================================== Gamma–Gamma
def _gg_negll_grad(log_params, x, z, w):
    """−LL and gradient (w.r.t. log-parameters) of the Gamma–Gamma spend model (Fader & Hardie 2013)."""
    p, q, g = np.exp(log_params)
    px = p * x
    ln_gxz = np.log(g + x * z)
    ll = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g) + (px - 1) * np.log(z) + px * np.log(x) - (px + q) * ln_gxz
    dp = x * (digamma(px + q) - digamma(px) + np.log(z) + np.log(x) - ln_gxz)
    dq = digamma(px + q) - digamma(q) + np.log(g) - ln_gxz
    dg = q / g - (px + q) / (g + x * z)
    grad = np.array([w @ dp, w @ dq, w @ dg]) * np.array([p, q, g])
    return -(w @ ll), -grad


class GammaGammaModel(_FittedModel):
    """Gamma–Gamma model of mean transaction value (FHL 2005b; Fader & Hardie 2013), by maximum likelihood.

    Fitted on repeat buyers only (frequency > 0) with their mean repeat spend z̄ > 0;
    learned: ``params_`` (p, q, gamma), ``log_likelihood_``, ``std_errors_``,
    ``n_customers_``; ``settings`` adds the population mean spend pγ/(q−1).  Assumes
    spend is independent of purchase frequency.
    """

    param_names = ("p", "q", "gamma")
    model_name = "Gamma-Gamma"
    _analytic_gradient = True
    _initial = (1.0, 1.0, 1.0)

    def __init__(self, *, frequency: str = "frequency", monetary_value: str = "monetary_value",
                 on_nonconvergence: str = "raise"):
        check_choice(on_nonconvergence, "on_nonconvergence", CONVERGENCE_POLICIES)
        self.frequency, self.monetary_value = frequency, monetary_value
        self.on_nonconvergence = on_nonconvergence

    @staticmethod
    def _negll(z, x, zbar, w):
        return _gg_negll_grad(z, x, zbar, w)

    def _arrays(self, summary, *, repeat_only: bool):
        table, _ = table_and_settings(summary, "summary")
        x, = _check_summary(table, self.frequency, None, None)
        check_columns(table, [self.monetary_value], name="summary")
        z = pd.to_numeric(table[self.monetary_value], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(z) | (z < 0)
        if bad.any():
            raise CrmlabValueError(f"summary column {self.monetary_value!r} must be finite and ≥ 0; rows {table.index[bad][:5].tolist()} "
                                   f"have {table[self.monetary_value][bad].head(5).tolist()}")
        if repeat_only:
            keep = x > 0
            zero = keep & (z == 0)
            if zero.any():
                raise CrmlabValueError(f"summary column {self.monetary_value!r} is 0 for {int(zero.sum())} repeat buyers "
                                       f"(rows {table.index[zero][:5].tolist()}); the Gamma–Gamma model needs positive spend — "
                                       "summarise with zero_amounts='drop' or remove them explicitly")
            return table, x[keep], z[keep]
        return table, x, z

    def fit(self, summary, *, initial=None) -> "GammaGammaModel":
        """Fit to the repeat buyers of a :class:`CustomerSummary` or DataFrame (needs ≥ 3 repeat buyers with different spend)."""
        _, x, z = self._arrays(summary, repeat_only=True)
        if x.size < 3 or np.unique(z).size < 2:
            raise CrmlabValueError(f"the Gamma–Gamma model cannot be identified: it needs at least 3 repeat buyers "
                                   f"(frequency > 0) whose mean spend differs; the summary has {x.size}")
        fit = self._fit_arrays((x, z), None, initial)
        self._store(fit, n=x.size, unit=None)
        p, q, g = fit.params
        self._settings["population_mean_spend"] = p * g / (q - 1) if q > 1 else np.inf
        return self

    def expected_spend(self, summary) -> pd.Series:
        """E[M | x, z̄] = p(γ + x·z̄)/(p·x + q − 1); customers with x = 0 get the population mean pγ/(q − 1)."""
        p, q, g = self._params()
        table, x, z = self._arrays(summary, repeat_only=False)
        z = np.where(x > 0, z, 0.0)
        return pd.Series(p * (g + x * z) / (p * x + q - 1), index=table.index, name="expected_spend")


# =========================================================================== CLV and checks
PURCHASE_MODELS = (BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel, BetaGeoBetaBinomModel)


def _check_purchase_model(model, name: str = "purchase_model") -> _PurchaseModel:
    if not isinstance(model, _PurchaseModel):
        raise CrmlabValueError(f"{name} must be one of {[m.__name__ for m in PURCHASE_MODELS]}, got {type(model).__name__}")
    check_is_fitted(model, "params_")
    return model


def customer_lifetime_value(purchase_model, spend_model: GammaGammaModel | None, summary, *,
                            periods: int = 12, period_length: float = 365.25 / 12 / 7, rate: float = 0.01,
                            timing: str = "end", margin: float = 1.0, spend=None, time_unit: str | None = None) -> CLVResult:
    """Discounted expected CLV per customer over ``periods`` steps, for any purchase model here.

    CLV = margin · E[spend] · Σᵢ₌₁..H (E[Y(i·Δ)] − E[Y((i−1)·Δ)]) / (1+d)^(i − offset), as in
    lifetimes' ``customer_lifetime_value``: Δ = ``period_length`` in the model's time
    unit (default an average month, 365.25/12/7 ≈ 4.348 weeks, for weekly summaries;
    whole opportunities for BG/BB), d = ``rate`` per step (> −1), ``timing`` places each
    step's purchases at its start, middle or end.  Spend per purchase comes from
    ``spend_model.expected_spend`` or, if that is ``None``, from ``spend`` (scalar or one
    value per customer).  Returns a :class:`crmlab.clv.CLVResult`: ``value`` the total,
    ``table`` per customer (p_alive, expected_purchases, expected_spend, clv), ``settings``.
    """
    model = _check_purchase_model(purchase_model)
    table, _, unit, arrays = model._input(summary, time_unit, fitted=True)
    periods = check_periods(periods, "periods")
    period_length = check_scalar(period_length, "period_length", low=0.0, low_inclusive=False)
    if model.discrete and period_length != round(period_length):
        raise CrmlabValueError(f"period_length must be a whole number of opportunities for {model.model_name}, got {period_length}")
    rate = check_rate(rate)
    check_choice(timing, "timing", TIMING_OFFSET)
    margin = check_scalar(margin, "margin", low=0.0)
    n = len(table)
    if spend_model is not None:
        value = spend_model.expected_spend(table).to_numpy()
    elif spend is not None:
        value = _per_customer_values(spend, n, "spend")
    else:
        raise CrmlabValueError("give a spend_model or a spend per purchase")
    params = model._params()
    x, tx, T = arrays
    alive = model._p_alive(params, x, tx, T)
    (ux, uT), inverse = _unique_rows(x, T)
    discounted, previous = np.zeros(ux.size), np.zeros(ux.size)
    for i in range(1, periods + 1):  # loop over periods, not customers; memory stays O(distinct (x, T))
        current = model._growth(params, ux, uT, np.full(ux.size, i * period_length))
        discounted += (current - previous) * (1.0 + rate) ** -(i - TIMING_OFFSET[timing])
        previous = current
    clv = discounted[inverse] * alive * value * margin
    if not np.all(np.isfinite(clv)):
        raise CrmlabValueError(f"CLV is not finite for customers {table.index[~np.isfinite(clv)][:5].tolist()}; check spend and the model")
    out = pd.DataFrame({"p_alive": alive, "expected_purchases": previous[inverse] * alive,
                        "expected_spend": value, "clv": clv}, index=table.index)
    settings = {"model": model.model_name, "periods": periods, "period_length": period_length, "time_unit": unit or model.time_unit_,
                "rate_per_period": rate, "timing": timing, "margin": margin,
                "spend": "Gamma-Gamma expected spend" if spend_model is not None else "given"}
    return CLVResult(float(clv.sum()), out, settings)


def _per_customer_values(values, n: int, name: str) -> np.ndarray:
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be a number or one number per customer, got {values!r}") from None
    if v.ndim > 1 or (v.ndim == 1 and v.size != n):
        raise CrmlabValueError(f"{name} must be a number or one number per customer ({n}), got shape {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(v < 0):
        raise CrmlabValueError(f"{name} must be finite and ≥ 0, got {np.ravel(v)[~np.isfinite(np.ravel(v)) | (np.ravel(v) < 0)][:5].tolist()}")
    return np.broadcast_to(v, (n,)).astype(float)


def holdout_by_frequency(purchase_model, summary, *, max_frequency: int = 7, time_unit: str | None = None) -> BTYDResult:
    """Mean actual vs predicted holdout purchases by calibration frequency (FHL 2005a Fig. 4); last bin is "max+".

    Needs the holdout columns ``frequency_holdout`` and ``duration_holdout`` (from
    :meth:`TransactionLog.customer_summary` with ``observation_end``).  Any purchase model.
    """
    model = _check_purchase_model(purchase_model)
    table, _ = table_and_settings(summary, "summary")
    check_columns(table, ["frequency_holdout", "duration_holdout"], name="summary")
    max_frequency = check_scalar(max_frequency, "max_frequency", low=1, integer=True)
    actual, duration = _holdout_arrays(table)
    pred = model.conditional_expected_purchases(summary, duration, time_unit=time_unit)
    x = table[model.frequency].to_numpy()
    bins = np.minimum(x, max_frequency).astype(int)
    df = pd.DataFrame({"bin": bins, "actual": actual, "predicted": pred.to_numpy()})
    out = df.groupby("bin").agg(customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean"))
    out.index = [f"{i}+" if i == max_frequency else str(i) for i in out.index]
    out.index.name = "calibration_frequency"
    return BTYDResult(out, {"model": model.model_name, "max_frequency": max_frequency, "time_unit": model.time_unit_})


def _holdout_arrays(table):
    out = []
    for col in ("frequency_holdout", "duration_holdout"):
        v = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(v)) or np.any(v < 0):
            raise CrmlabValueError(f"summary column {col!r} must be finite and ≥ 0; rows {table.index[~np.isfinite(v) | (v < 0)][:5].tolist()}")
        out.append(v)
    return out


def repeat_frequency_fit(models, summary, *, max_frequency: int = 7, time_unit: str | None = None) -> BTYDResult:
    """Customers by number of repeat purchases in calibration: actual against each model's Σᵢ P(X(Tᵢ) = x).

    Each customer i contributes the model's probability of exactly x repeat purchases over
    its own observation time Tᵢ (``probability_of_purchases``: BG/NBD, FHL 2005a eq. 8;
    Pareto/NBD, Fader & Hardie 2006) — the calibration fit chart of FHL (2005a, Fig. 1).
    The last bin "max+" holds the rest (customers minus the counts below it).  ``models``:
    a dict name → fitted model.  Returns a table indexed by frequency bin with ``actual``
    and one column per model.
    """
    if not isinstance(models, dict) or not models:
        raise CrmlabValueError("models must map names to fitted purchase models")
    max_frequency = check_scalar(max_frequency, "max_frequency", low=1, integer=True)
    table, _ = table_and_settings(summary, "summary")
    out = {}
    for name, model in models.items():
        model = _check_purchase_model(model, f"models[{name!r}]")
        if not hasattr(model, "probability_of_purchases"):
            raise CrmlabValueError(f"models[{name!r}]: {model.model_name} has no P(X(t) = n) here; use BG/NBD or Pareto/NBD")
        _, _, _, (x, _, T) = model._input(summary, time_unit, fitted=True)
        if "actual" not in out:
            out["actual"] = np.bincount(np.minimum(x, max_frequency).astype(int), minlength=max_frequency + 1).astype(float)
        times, counts = np.unique(T, return_counts=True)  # customers share ages: one probability per distinct T
        n = np.arange(max_frequency, dtype=float)[:, None]
        below = np.asarray(model.probability_of_purchases(n, times[None, :])) @ counts
        out[name] = np.r_[below, len(table) - below.sum()]
    index = pd.Index([str(i) for i in range(max_frequency)] + [f"{max_frequency}+"], name="repeat_purchases")
    return BTYDResult(pd.DataFrame(out, index=index), {"max_frequency": max_frequency, "models": list(models),
                                                       "rule": "expected = sum over customers of P(X(T_i) = x)"})


def compare_purchase_models(summary, *, models=None, time_unit: str | None = None) -> BTYDResult:
    """Fit and compare purchase models on one summary: LL, parameters, AIC, BIC and holdout errors.

    ``models``: a dict name → model (unfitted models are fitted on ``summary``); default
    BG/NBD, MBG/NBD and Pareto/NBD.  AIC = 2k − 2LL, BIC = k·ln n − 2LL (n customers).
    With holdout columns, per-customer E[Y(holdout) | x, tₓ, T] is compared with the
    actual holdout purchases: mean absolute error and root mean squared error.
    """
    models = dict(models) if models is not None else {"BG/NBD": BetaGeoModel(), "MBG/NBD": ModifiedBetaGeoModel(),
                                                      "Pareto/NBD": ParetoNBDModel()}
    if not models:
        raise CrmlabValueError("models must name at least one purchase model")
    table, _ = table_and_settings(summary, "summary")
    holdout = {"frequency_holdout", "duration_holdout"} <= set(table.columns)
    rows = {}
    for name, model in models.items():
        if not isinstance(model, _PurchaseModel):
            raise CrmlabValueError(f"models[{name!r}] must be a purchase model, got {type(model).__name__}")
        if getattr(model, "params_", None) is None:
            model.fit(summary, time_unit=time_unit)
        k, ll, n = len(model.param_names), model.log_likelihood_, model.n_customers_
        row = {"log_likelihood": ll, "n_parameters": k, "aic": 2 * k - 2 * ll, "bic": k * np.log(n) - 2 * ll, "customers": n}
        if holdout:
            actual, duration = _holdout_arrays(table)
            err = model.conditional_expected_purchases(summary, duration, time_unit=time_unit).to_numpy() - actual
            row.update(holdout_mae=float(np.mean(np.abs(err))), holdout_rmse=float(np.sqrt(np.mean(err ** 2))),
                       holdout_predicted=float((err + actual).sum()), holdout_actual=float(actual.sum()))
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "model"
    return BTYDResult(out, {"holdout": holdout, "criteria": "AIC = 2k − 2LL, BIC = k ln(n) − 2LL"})


def cumulative_tracking(purchase_model, log: TransactionLog, *, calibration_end=None, observation_end=None,
                        step_days: int = 7) -> BTYDResult:
    """Actual vs expected cumulative repeat purchases of the cohort over time (FHL 2005a Fig. 3).

    Expected: Σᵢ E[X(t − sᵢ)] over customers with first purchase sᵢ (E[X] in the model's
    time unit, which must be a calendar unit); actual: repeat purchases up to t (the log's
    purchase rule, :mod:`crmlab.transactions`).  The cohort is the customers whose first
    purchase is on or before ``calibration_end`` (default: all).  One row per ``step_days``;
    ``settings`` carries ``calibration_end`` so charts can mark it.  Any continuous-time
    purchase model (BG/BB works in opportunities: :func:`opportunity_tracking`).
    """
    model = _check_purchase_model(purchase_model)
    unit_key = model.time_unit_
    if model.discrete or unit_key not in TIME_UNITS:
        raise CrmlabValueError(f"cumulative_tracking needs a continuous-time model fitted in a calendar time unit {list(TIME_UNITS)}; "
                               f"{model.model_name} has time unit {unit_key!r} (fit it on a TransactionLog.customer_summary() "
                               "or pass time_unit= to fit)")
    if not isinstance(log, TransactionLog):
        raise CrmlabValueError(f"log must be a crmlab.transactions.TransactionLog, got {type(log).__name__}")
    step_days = check_scalar(step_days, "step_days", low=1, integer=True)
    days = log.cohort_days(observation_end=observation_end, first_purchase_by=calibration_end).table
    day = days.index.to_numpy().astype("datetime64[D]").astype(np.int64)
    first = days["first_purchases"].to_numpy()
    repeat = days["repeat_purchases"].to_numpy()
    cal = None if calibration_end is None else np.datetime64(pd.Timestamp(calibration_end).date(), "D").astype(np.int64)
    start, end = int(day[first > 0].min()), int(day.max())
    grid = np.arange(start + step_days, end + step_days, step_days)
    grid[-1] = min(grid[-1], end) if grid.size else end
    actual = np.cumsum(repeat)[np.searchsorted(day, grid, side="right") - 1]
    has = first > 0
    elapsed = np.clip(grid[:, None] - day[has][None, :], 0, None) / TIME_UNITS[unit_key]
    expected = (np.asarray(model.expected_purchases(elapsed)) * first[has]).sum(axis=1)
    out = pd.DataFrame({"date": grid.astype("datetime64[D]"), "actual": actual, "expected": expected})
    return BTYDResult(out, {"model": model.model_name,
                            "calibration_end": None if cal is None else str(np.datetime64(int(cal), "D")),
                            "time_unit": unit_key, "step_days": step_days, "purchase_rule": log.settings["purchase_rule"]})


def opportunity_tracking(purchase_model, *, customers, opportunities: int, actual=None) -> BTYDResult:
    """Expected transactions per opportunity for a cohort of new customers (BG/BB; FHS 2010 Fig. 3), optionally with actuals.

    Expected incremental transactions at opportunity i: customers·(E[X(i)] − E[X(i−1)]).
    ``actual`` (one count per opportunity 1 … ``opportunities``) is shown beside it.
    """
    model = _check_purchase_model(purchase_model)
    customers = check_scalar(customers, "customers", low=1)
    opportunities = check_periods(opportunities, "opportunities")
    i = np.arange(0, opportunities + 1)
    cumulative = customers * np.asarray(model.expected_purchases(i.astype(float)))
    out = pd.DataFrame({"expected": np.diff(cumulative), "expected_cumulative": cumulative[1:]},
                       index=pd.Index(i[1:], name="opportunity"))
    if actual is not None:
        out["actual"] = _per_customer_values(actual, opportunities, "actual")
        out["actual_cumulative"] = out["actual"].cumsum()
    return BTYDResult(out, {"model": model.model_name, "customers": customers})
