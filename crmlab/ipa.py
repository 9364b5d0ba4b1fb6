"""Importance–performance analysis (IPA, 四分图模型): importance methods, crosshairs, quadrants, stability.

The four-quadrant model of the course (seed 003 §2.3.1(2)3) "四分图模型"; SPEC §2):
list every performance attribute, give each an *importance* and a *performance*
(satisfaction) score, plot performance on the x-axis (the objective side) and
importance on the y-axis (the subjective side) and read off four zones
(Martilla & James 1977):

=== =========== ========== ======= ================================ ======================
 q  performance importance  name    English                          action
=== =========== ========== ======= ================================ ======================
 A  high        high       优势区  advantage / keep up the good work maintain strength
 B  low         high       修补区  repair / concentrate here         fix first
 C  low         low        机会区  opportunity / low priority        watch, later gains
 D  high        low        维持区  maintain / possible overkill      hold, don't over-invest
=== =========== ========== ======= ================================ ======================

"High" means *at or above* the crosshair (tie rule: a value exactly on a
crosshair line counts as high; the rule is returned in ``IPAResult.rules``).

Importance (the ``method`` parameter, reported in every table and chart):

* ``"stated"`` — mean of the asked importance ratings (seed 003: 重要度打分).
* ``"correlation"`` — Pearson correlation of each attribute with overall satisfaction.
* ``"ols_beta"`` — standardized OLS coefficients of overall satisfaction on all
  attributes (statsmodels; SPEC §1.3 "econometric route").
* ``"relative_weights"`` — Johnson (2000), *Multivariate Behavioral Research* 35(1):
  the predictors are replaced by their closest orthogonal counterparts
  Z = X R⁻¹ᐟ² ; raw weight_j = Σ_k Λ_jk² β_k² with Λ = R^{1/2}, β = Λ⁻¹ r_xy.
  The weights sum to R².
* ``"lmg"`` — Lindeman, Merenda & Gold (1980, p. 119ff) = Shapley value of R²
  (Grömping 2006, relaimpo): the R² increment of attribute j averaged over all
  orders of entry, computed exactly over all 2^p subsets from the correlation
  matrix (R²(S) = r_S' R_SS⁻¹ r_S); the values sum to R².  Exact computation is
  limited to :data:`LMG_MAX_ATTRIBUTES` attributes.

Derived importance has no natural scale; stated importance is on the rating scale.

Crosshair (``crosshair=``): ``"mean"`` (default — the textbook does not fix one; the
data-centred crosshair is the most common modern choice, Bacon 2003) or
``"median"`` of the attribute values, ``"midpoint"`` of the declared scale
(Martilla & James 1977; only for axes with a declared scale), or a number; a
pair ``(performance_rule, importance_rule)`` sets the axes separately.

Zoning: ``"quadrant"`` (default) or ``"diagonal"``, the iso-priority line
(Slack 1994; Bacon 2003; Abalo, Varela & Manzano 2007): a line through the
crosshair of slope ``diagonal_slope`` (default 1 when both axes share one declared
scale, else the ratio of the attribute spreads (standard deviations) so the line is
the diagonal in standardized units).  Attributes above it have importance exceeding
performance: improvement priority (an attribute exactly on the line counts as below it).

Overall satisfaction value (seed 003: "汇总得到一个企业整体的顾客满意度值"): the
importance-weighted mean performance CSI = Σ wᵢ·pᵢ with wᵢ = impᵢ / Σ imp
(or equal weights), and its 0–100 index (CSI − low) / (high − low) × 100.

Stability: the respondents are bootstrapped (seeded); in every resample the
performance, importance and the data-driven crosshair are recomputed, and each
attribute reports the share of resamples landing in its full-sample quadrant,
percentile intervals and the bootstrap covariance used for confidence ellipses.

Model-based variant (importance–performance map, Ringle & Sarstedt 2016,
*Industrial Management & Data Systems* 116(9)): importance = unstandardized total
effect on a target construct from a PLS path model, performance = the 0–100 index;
:func:`importance_performance_map` takes these two Series from any PLS engine
(crmlab's: ``PLSPathModel.importance_performance(target)``).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .results import wald_table
from .validation import (
    CrmlabValueError,
    _preview,
    as_float_array,
    check_choice,
    check_columns,
    check_finite,
    check_in_range,
    check_no_missing,
    check_not_constant,
    check_is_fitted,
    check_on_scale,
    check_regression_design,
    check_scalar,
    check_scale,
)

IMPORTANCE_METHODS = ("stated", "correlation", "ols_beta", "relative_weights", "lmg")
DERIVED_METHODS = ("correlation", "ols_beta", "relative_weights", "lmg")
REGRESSION_METHODS = ("ols_beta", "relative_weights", "lmg")
CROSSHAIR_RULES = ("mean", "median", "midpoint")
ZONINGS = ("quadrant", "diagonal")
LMG_MAX_ATTRIBUTES = 15

QUADRANTS = pd.DataFrame(
    {
        "quadrant": ["A", "B", "C", "D"],
        "performance": ["high", "low", "low", "high"],
        "importance": ["high", "high", "low", "low"],
        "zone": ["advantage", "repair", "opportunity", "maintain"],
        "action": ["action_advantage", "action_repair", "action_opportunity", "action_maintain"],
    }
).set_index("quadrant")
"""The SPEC §2 quadrant table: letter, side of each crosshair line, zone and action term keys."""


# --------------------------------------------------------------------------
# importance from a correlation matrix (batched over leading axes)
# --------------------------------------------------------------------------
def _check_positive_definite(rxx: np.ndarray, attributes: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    evals, evecs = np.linalg.eigh(rxx)
    if np.any(evals <= 1e-10 * rxx.shape[-1]):
        names = f" among attributes {_preview(attributes, 20)}" if attributes is not None else ""
        raise CrmlabValueError(
            "the attribute correlation matrix is singular (an attribute is a linear combination of others"
            f"{names}); regression-based importance needs linearly independent attributes"
        )
    return evals, evecs


def _correlations(rxx, rxy) -> tuple[np.ndarray, np.ndarray]:
    """Predictor correlations (…, p, p) and validities (…, p) as float arrays: matching shapes, symmetric, unit
    diagonal, entries in [−1, 1]."""
    rxx, rxy = as_float_array(rxx, "rxx"), as_float_array(rxy, "rxy")
    if rxx.ndim < 2 or rxx.shape[-1] != rxx.shape[-2] or rxx.shape[-1] == 0 or rxy.shape != rxx.shape[:-1]:
        raise CrmlabValueError(f"rxx must be (…, p, p) and rxy (…, p) with p ≥ 1; got shapes {rxx.shape} and {rxy.shape}")
    if not (np.isfinite(rxx).all() and np.isfinite(rxy).all()):
        raise CrmlabValueError("correlations must be finite")
    if (np.abs(rxx) > 1 + 1e-9).any() or (np.abs(rxy) > 1 + 1e-9).any():
        raise CrmlabValueError("correlations must lie in [-1, 1]")
    if not np.allclose(rxx, np.swapaxes(rxx, -1, -2), atol=1e-9) or not np.allclose(np.diagonal(rxx, axis1=-2, axis2=-1), 1, atol=1e-9):
        raise CrmlabValueError("rxx must be a correlation matrix: symmetric with ones on the diagonal")
    return rxx, rxy


def relative_weights(rxx, rxy) -> np.ndarray:
    """Johnson's (2000) raw relative weights from predictor correlations ``rxx`` (…, p, p) and validities ``rxy`` (…, p).

    Λ = R_xx^{1/2} (symmetric square root, eigen-decomposition), β = Λ⁻¹ r_xy,
    weight_j = Σ_k Λ_jk² β_k².  Leading axes are batches (e.g. bootstrap
    resamples).  The weights of one model sum to its R² (units: share of variance).
    """
    rxx, rxy = _correlations(rxx, rxy)
    evals, evecs = _check_positive_definite(rxx)
    lam = (evecs * np.sqrt(evals)[..., None, :]) @ np.swapaxes(evecs, -1, -2)
    beta = np.linalg.solve(lam, rxy[..., None])[..., 0]
    return ((lam**2) @ (beta**2)[..., None])[..., 0]


def _subset_r_squared(rxx, rxy) -> np.ndarray:
    """R² of every subset of predictors, indexed by bit mask (bit j set = predictor j in the model).

    R²(S) = r_S' R_SS⁻¹ r_S from the correlation matrix; batched over leading axes,
    vectorized over all subsets of one size at a time.  Returns (…, 2^p).
    """
    rxx = np.asarray(rxx, dtype=float)
    rxy = np.asarray(rxy, dtype=float)
    p = rxx.shape[-1]
    masks = np.arange(2**p)
    bits = ((masks[:, None] >> np.arange(p)) & 1).astype(bool)
    sizes = bits.sum(axis=1)
    r2 = np.zeros(rxx.shape[:-2] + (2**p,))
    for k in range(1, p + 1):
        members = masks[sizes == k]
        cols = np.nonzero(bits[members])[1].reshape(len(members), k)
        sub = rxx[..., cols[:, :, None], cols[:, None, :]]
        r = rxy[..., cols]
        r2[..., members] = (r * np.linalg.solve(sub, r[..., None])[..., 0]).sum(axis=-1)
    return r2


def lmg(rxx, rxy) -> np.ndarray:
    """LMG / Shapley decomposition of R² (Lindeman, Merenda & Gold 1980), exact over all subsets.

    LMG_j = Σ_{S ∌ j} |S|!(p − |S| − 1)!/p! · [R²(S ∪ {j}) − R²(S)], the R² gain of
    predictor j averaged over all p! orders of entry.  Batched over leading axes;
    sums to the full-model R².
    """
    rxx, rxy = _correlations(rxx, rxy)
    p = rxx.shape[-1]
    if p > LMG_MAX_ATTRIBUTES:
        raise CrmlabValueError(
            f"importance='lmg' is computed exactly over all 2^p subsets and allows at most "
            f"{LMG_MAX_ATTRIBUTES} attributes, got p={p}; use importance='relative_weights' (Johnson 2000), "
            "which approximates LMG closely at any p"
        )
    _check_positive_definite(rxx)
    r2 = _subset_r_squared(rxx, rxy)
    masks = np.arange(2**p)
    bits = ((masks[:, None] >> np.arange(p)) & 1).astype(bool)
    sizes = bits.sum(axis=1)
    order_weight = np.array([math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)])
    out = np.empty(rxx.shape[:-2] + (p,))
    for j in range(p):
        without = masks[~bits[:, j]]
        gain = r2[..., without | (1 << j)] - r2[..., without]
        out[..., j] = gain @ order_weight[sizes[without]]
    return out


def importance_from_correlations(corr, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Derived importance and R² from correlation matrices ``corr`` (…, p+1, p+1), overall satisfaction first.

    ``method`` is one of :data:`DERIVED_METHODS`.  Returns ``(importance (…, p), r_squared (…))``;
    for ``"correlation"`` the R² is still the full-model R².
    """
    check_choice(method, "importance", DERIVED_METHODS)
    corr = as_float_array(corr, "corr")
    if corr.ndim < 2 or corr.shape[-1] < 2:
        raise CrmlabValueError(f"corr must be (…, p+1, p+1) with p ≥ 1, got shape {corr.shape}")
    rxx, rxy = _correlations(corr[..., 1:, 1:], corr[..., 1:, 0])
    if method == "correlation":
        singular = np.linalg.eigvalsh(rxx).min() <= 1e-10 * rxx.shape[-1]
        r_squared = np.nan if singular else (rxy * np.linalg.solve(rxx, rxy[..., None])[..., 0]).sum(axis=-1)
        return rxy.copy(), r_squared
    _check_positive_definite(rxx)
    beta = np.linalg.solve(rxx, rxy[..., None])[..., 0]
    r_squared = (beta * rxy).sum(axis=-1)
    if method == "ols_beta":
        return beta, r_squared
    if method == "relative_weights":
        return relative_weights(rxx, rxy), r_squared
    return lmg(rxx, rxy), r_squared


def ols_beta_importance(data: pd.DataFrame, attributes: Sequence[str], overall: str) -> pd.DataFrame:
    """Standardized OLS coefficients of ``overall`` on ``attributes`` (statsmodels), with standard errors and p-values.

    Every variable is z-scored (sample SD, n − 1) before the fit, so the slopes are
    the standardized betas; R² is unaffected.  ``b`` is the same slope on the raw
    scales (overall-satisfaction points per rating point): β · sd(overall) / sd(attribute).
    """
    import statsmodels.api as sm

    attributes = list(attributes)
    cols = [overall, *attributes]
    check_finite(data, cols)
    check_not_constant(data, cols)
    z = (data[cols] - data[cols].mean()) / data[cols].std(ddof=1)
    design = sm.add_constant(z[list(attributes)], has_constant="add")
    check_regression_design(design, name="data")
    fit = sm.OLS(z[overall].to_numpy(), design.to_numpy()).fit()
    sd = data[cols].std(ddof=1).to_numpy()
    out = wald_table(pd.Series(fit.params[1:], index=pd.Index(list(attributes), name="attribute")), fit.bse[1:],
                     dof=fit.df_resid, index_name="attribute")
    return out.assign(b=fit.params[1:] * sd[0] / sd[1:], r_squared=fit.rsquared)


# --------------------------------------------------------------------------
# crosshair and zones
# --------------------------------------------------------------------------
def _crosshair_rules(crosshair) -> tuple:
    rules = tuple(crosshair) if isinstance(crosshair, (tuple, list)) else (crosshair, crosshair)
    if len(rules) != 2:
        raise CrmlabValueError(f"crosshair must be a rule, a number or a pair (performance, importance), got {crosshair!r}")
    for axis, rule in zip(("performance", "importance"), rules):
        if isinstance(rule, str):
            check_choice(rule, f"crosshair ({axis} axis)", CROSSHAIR_RULES)
        else:
            check_scalar(rule, f"crosshair ({axis} axis)")
    return rules


def _crosshair_position(values, rule, *, scale: tuple[float, float] | None, axis: str) -> np.ndarray:
    """Crosshair coordinate on one axis: mean/median of the attribute ``values`` (last axis), scale midpoint or a given number.

    A given number must lie on the axis's declared ``scale`` (a crosshair off the scale puts
    every attribute in one half, which no chart reader would notice).
    """
    values = np.asarray(values, dtype=float)
    if rule == "mean":
        return values.mean(axis=-1)
    if rule == "median":
        return np.median(values, axis=-1)
    if rule == "midpoint":
        if scale is None:
            raise CrmlabValueError(
                f"crosshair='midpoint' on the {axis} axis needs a declared scale, but derived {axis} has none; "
                f"use 'mean', 'median' or a number for the {axis} axis, e.g. crosshair=('midpoint', 'mean')"
            )
        return np.full(values.shape[:-1], (scale[0] + scale[1]) / 2.0)
    if scale is not None:
        check_on_scale([rule], scale, f"crosshair ({axis} axis)")
    return np.full(values.shape[:-1], float(rule))


def _assign_quadrants(performance, importance, perf_cut, imp_cut) -> np.ndarray:
    """Quadrant letters A/B/C/D; a value on a crosshair line counts as high (tie rule). Broadcasts over batches."""
    high_p = np.asarray(performance) >= np.asarray(perf_cut)[..., None]
    high_i = np.asarray(importance) >= np.asarray(imp_cut)[..., None]
    return np.where(high_i, np.where(high_p, "A", "B"), np.where(high_p, "D", "C"))


# --------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------
@dataclass
class IPAResult:
    """One importance–performance analysis: per-attribute table plus every convention used.

    ``table`` (index ``attribute``): ``performance``, ``importance``, ``quadrant`` (A–D),
    ``zone`` and ``action`` (i18n term keys), with ``priority_gap``/``diagonal_zone`` for
    diagonal zoning and ``competitor_performance``/``performance_gap``/``gap_p_value``/
    ``competitor_quadrant`` when a competitor was rated.  ``crosshair``: the position on each
    axis; ``settings``: ``method``, ``crosshair`` (the rule per axis), ``performance_scale``,
    ``importance_scale``, ``zoning``, ``diagonal_slope``, ``overall_weights``, ``target`` (and
    ``missing`` when fitted from survey data by :class:`ImportancePerformance`).
    """

    table: pd.DataFrame
    crosshair: dict
    settings: dict
    overall: dict = field(default_factory=dict)
    r_squared: float | None = None
    n_respondents: int | None = None
    importance_detail: pd.DataFrame | None = None

    @property
    def rules(self) -> pd.DataFrame:
        """The quadrant boundaries as data: which side of each crosshair line each quadrant takes."""
        x, y = self.crosshair["performance"], self.crosshair["importance"]
        side = {"high": "≥ {:.4g}", "low": "< {:.4g}"}
        out = QUADRANTS.copy()
        out["performance"] = [side[s].format(x) for s in QUADRANTS["performance"]]
        out["importance"] = [side[s].format(y) for s in QUADRANTS["importance"]]
        out["n_attributes"] = self.table["quadrant"].value_counts().reindex(out.index, fill_value=0)
        return out

    def summary(self) -> pd.DataFrame:
        """The per-attribute table: values, quadrant letter, zone and action keys (display it with ``label_table``)."""
        return self.table.copy()


def _check_attribute_match(performance: pd.Series, other: pd.Series, *, name: str) -> None:
    missing = [a for a in performance.index if a not in other.index]
    extra = [a for a in other.index if a not in performance.index]
    if missing or extra or performance.index.has_duplicates or other.index.has_duplicates:
        raise CrmlabValueError(
            f"the {name} and performance tables must list the same attributes once each; "
            f"in performance but not {name}: {_preview(missing)}; in {name} but not performance: {_preview(extra)}"
            + ("; duplicated attribute names" if performance.index.has_duplicates or other.index.has_duplicates else "")
        )


def _as_series(values, name: str) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise CrmlabValueError(f"{name} must be a pandas Series indexed by attribute, got {type(values).__name__}")
    s = pd.to_numeric(values, errors="coerce")
    bad = values[s.isna()]
    if len(bad):
        raise CrmlabValueError(f"{name} must hold finite numbers; attributes {_preview(bad.index)} hold {_preview(bad.values)}")
    if not np.all(np.isfinite(s.to_numpy())):
        raise CrmlabValueError(f"{name} must be finite for every attribute")
    return s.astype(float)


def _check_scale(scale, name: str) -> tuple[float, float] | None:
    return None if scale is None else check_scale(scale, name)


def quadrant_analysis(
    performance: pd.Series,
    importance: pd.Series,
    *,
    method: str,
    performance_scale: tuple[float, float] | None,
    importance_scale: tuple[float, float] | None = None,
    crosshair="mean",
    zoning: str = "quadrant",
    diagonal_slope: float | None = None,
    competitor_performance: pd.Series | None = None,
    overall_weights: str = "auto",
) -> IPAResult:
    """Place attributes in the four quadrants (SPEC §2) from a performance and an importance Series.

    ``method`` names where the importance came from (it is printed on tables and
    charts).  Both Series must be indexed by the same attributes.  Returns an
    :class:`IPAResult` with the crosshair, the quadrant rules and the overall value.
    """
    performance = _as_series(performance, "performance")
    importance = _as_series(importance, "importance")
    _check_attribute_match(performance, importance, name="importance")
    importance = importance.reindex(performance.index)
    if len(performance) < 2:
        raise CrmlabValueError(f"an importance–performance chart needs at least 2 attributes, got {len(performance)}")
    performance_scale = _check_scale(performance_scale, "performance_scale")
    importance_scale = _check_scale(importance_scale, "importance_scale")
    check_choice(zoning, "zoning", ZONINGS)
    check_choice(overall_weights, "overall_weights", ("auto", "importance", "equal"))
    for values, scale, name in ((performance, performance_scale, "performance"), (importance, importance_scale, "importance")):
        if scale is not None:
            check_in_range(values.to_frame(name), [name], low=scale[0], high=scale[1], name=name, what=f"{name} scale")
    rules = _crosshair_rules(crosshair)
    x0 = float(_crosshair_position(performance.to_numpy(), rules[0], scale=performance_scale, axis="performance"))
    y0 = float(_crosshair_position(importance.to_numpy(), rules[1], scale=importance_scale, axis="importance"))

    table = pd.DataFrame({"performance": performance, "importance": importance})
    table.index.name = "attribute"
    table["quadrant"] = _assign_quadrants(performance.to_numpy(), importance.to_numpy(), x0, y0)
    table["zone"] = QUADRANTS.loc[table["quadrant"], "zone"].to_numpy()
    table["action"] = QUADRANTS.loc[table["quadrant"], "action"].to_numpy()

    slope = None
    if zoning == "diagonal":
        if diagonal_slope is None:
            same_scale = performance_scale is not None and performance_scale == importance_scale
            slope = 1.0 if same_scale else float(importance.std(ddof=1) / performance.std(ddof=1))
        else:
            slope = check_scalar(diagonal_slope, "diagonal_slope", low=0, low_inclusive=False)
        gap = (importance - y0) - slope * (performance - x0)
        table["priority_gap"] = gap
        table["diagonal_zone"] = np.where(gap > 0, "above_diagonal", "below_diagonal")

    if competitor_performance is not None:
        competitor_performance = _as_series(competitor_performance, "competitor_performance")
        _check_attribute_match(performance, competitor_performance, name="competitor")
        comp = competitor_performance.reindex(performance.index)
        table["competitor_performance"] = comp
        table["performance_gap"] = performance - comp
        table["competitor_quadrant"] = _assign_quadrants(comp.to_numpy(), importance.to_numpy(), x0, y0)

    return IPAResult(
        table=table,
        crosshair={"performance": x0, "importance": y0},
        settings={"method": method, "crosshair": rules, "performance_scale": performance_scale,
                  "importance_scale": importance_scale, "zoning": zoning, "diagonal_slope": slope,
                  "overall_weights": overall_weights, "target": None, "quadrant_ties": "on a line counts as high"},
        overall=_overall_value(performance, importance, scale=performance_scale, weights=overall_weights),
    )


def _overall_value(performance: pd.Series, importance: pd.Series, *, scale, weights: str = "auto") -> dict:
    """Overall satisfaction from the attributes: CSI = Σ wᵢ pᵢ and its 0–100 index (seed 003 §2.3.1; SPEC §1.3).

    ``weights="importance"``: wᵢ = impᵢ / Σ imp (needs non-negative importance, as
    stated importance, relative weights and LMG always are); ``"equal"``: wᵢ = 1/p;
    ``"auto"`` (default): importance weights when every importance is ≥ 0, else equal
    weights.  The returned ``weights`` entry says which were used.
    """
    negative = importance[importance < 0]
    if weights == "auto":
        weights = "equal" if len(negative) else "importance"
    if weights == "importance":
        if len(negative):
            raise CrmlabValueError(
                f"overall_weights='importance' needs non-negative importance; attributes {_preview(negative.index)} have "
                f"{_preview(np.round(negative.values, 4))}; use overall_weights='equal' or a non-negative method "
                "(stated, relative_weights, lmg)"
            )
        w = importance / importance.sum()
    else:
        w = pd.Series(1.0 / len(performance), index=performance.index)
    csi = float((w * performance).sum())
    out = {"csi": csi, "weights": weights}
    if scale is not None:
        out["index_0_100"] = (csi - scale[0]) / (scale[1] - scale[0]) * 100.0
    return out


def importance_performance_map(
    total_effects: pd.Series,
    performance_index: pd.Series,
    *,
    target: str,
    crosshair="mean",
    zoning: str = "quadrant",
) -> IPAResult:
    """Importance–performance map (Ringle & Sarstedt 2016) from a PLS path model.

    ``total_effects``: unstandardized total effect of each construct (or item) on the
    ``target`` construct; ``performance_index``: the same constructs' 0–100 indices.
    Decoupled from the PLS engine: pass the two Series from any fitted model.
    """
    out = quadrant_analysis(
        performance_index,
        total_effects,
        method="pls_total_effect",
        performance_scale=(0.0, 100.0),
        importance_scale=None,
        crosshair=crosshair,
        zoning=zoning,
        overall_weights="equal",
    )
    out.settings["target"] = target
    out.overall = {}
    return out


def quadrant_changes(results: Mapping[str, IPAResult]) -> pd.DataFrame:
    """Quadrant of every attribute under each named analysis, with a ``changes`` flag (the method/crosshair sensitivity table)."""
    if not results:
        raise CrmlabValueError("results must name at least one IPAResult")
    frames = {name: r.table["quadrant"] for name, r in results.items()}
    first = next(iter(frames.values()))
    for name, s in frames.items():
        _check_attribute_match(first, s, name=f"analysis {name!r}")
    out = pd.DataFrame(frames).reindex(first.index)
    out["changes"] = out.nunique(axis=1) > 1
    return out


# --------------------------------------------------------------------------
# survey data -> IPA
# --------------------------------------------------------------------------
def _mapping(columns, name: str) -> dict[str, str] | None:
    if columns is None:
        return None
    if isinstance(columns, Mapping):
        return {str(k): v for k, v in columns.items()}
    if isinstance(columns, str) or not isinstance(columns, Sequence):
        raise CrmlabValueError(f"{name} must be a list of column names or a mapping attribute -> column, got {columns!r}")
    return {c: c for c in columns}


def survey_design(spec: Mapping) -> dict:
    """:class:`ImportancePerformance` keyword arguments from a survey description (a ``survey`` study, crmlab.study).

    ``attributes`` → ``performance``; ``stated_importance``, ``overall`` and ``competitor`` as given
    (None when the survey lacks them); ``scale`` and ``overall_scale``/``importance_scale``
    (each defaulting to ``scale``) as tuples.
    """
    if not isinstance(spec, Mapping) or not spec.get("attributes") or not spec.get("scale"):
        raise CrmlabValueError("a survey description for importance–performance analysis needs 'attributes' "
                               "{attribute: performance column} and 'scale' [low, high]")
    scale = tuple(spec["scale"])
    return {"performance": spec["attributes"], "stated_importance": spec.get("stated_importance") or None,
            "overall": spec.get("overall") or None, "competitor": spec.get("competitor") or None, "scale": scale,
            "importance_scale": tuple(spec.get("importance_scale") or scale),
            "overall_scale": tuple(spec.get("overall_scale") or scale)}


@dataclass
class QuadrantStability:
    """Bootstrap stability of quadrant assignments.

    ``table`` (index ``attribute``): full-sample ``quadrant``, ``share_same_quadrant``,
    ``share_A``…``share_D``, percentile intervals ``performance_low/high`` and
    ``importance_low/high`` at ``level``, and the bootstrap (co)variances
    ``var_performance``, ``var_importance``, ``cov`` for confidence ellipses.
    ``performance_draws``/``importance_draws`` are (n_boot, p) arrays.
    """

    table: pd.DataFrame
    settings: dict
    performance_draws: np.ndarray
    importance_draws: np.ndarray
    crosshair_draws: np.ndarray


class ImportancePerformance:
    """Importance–performance analysis of an attribute survey (SPEC §2; seed 003 四分图模型).

    Parameters
    ----------
    performance : list of columns, or mapping attribute -> column of performance ratings.
    importance : one of :data:`IMPORTANCE_METHODS` (default ``"stated"``, the course's asked importance).
    stated_importance : columns (mapping attribute -> column) of importance ratings; needed for ``"stated"``.
    overall : column of overall satisfaction; needed for derived importance.
    scale : (low, high) of the performance ratings (checked; default 1–7).
    importance_scale : scale of the stated importance ratings (default ``scale``).
    overall_scale : scale of the overall-satisfaction column (default ``scale``).
    competitor : columns (mapping attribute -> column) rating a competitor on ``scale``.
    crosshair, zoning, diagonal_slope : see :func:`quadrant_analysis`.
    overall_weights : weights of the overall value, see :func:`_overall_value`.
    missing : ``"error"`` (default: refuse missing answers, naming rows and columns) or ``"drop"``
        (casewise deletion: a respondent with a missing answer in *any* declared column — performance,
        stated importance, overall, competitor, whichever are given, used by this method or not — is
        left out, so every analysis of the same declaration uses the same respondents).

    After :meth:`fit`: ``result_`` (:class:`IPAResult`), ``performance_``, ``importance_``,
    ``r_squared_`` (derived methods), ``n_respondents_``, ``missing_report_`` (strategy and
    the rows dropped).
    """

    def __init__(
        self,
        *,
        performance,
        importance: str = "stated",
        stated_importance=None,
        overall: str | None = None,
        scale: tuple[float, float] = (1, 7),
        importance_scale: tuple[float, float] | None = None,
        overall_scale: tuple[float, float] | None = None,
        competitor=None,
        crosshair="mean",
        zoning: str = "quadrant",
        diagonal_slope: float | None = None,
        overall_weights: str = "auto",
        missing: str = "error",
    ):
        self.performance = performance
        self.importance = importance
        self.stated_importance = stated_importance
        self.overall = overall
        self.scale = scale
        self.importance_scale = importance_scale
        self.overall_scale = overall_scale
        self.competitor = competitor
        self.crosshair = crosshair
        self.zoning = zoning
        self.diagonal_slope = diagonal_slope
        self.overall_weights = overall_weights
        self.missing = missing

    # -- validation -----------------------------------------------------------
    def _declared_columns(self) -> list[str]:
        """Every column the declaration names (performance, stated importance, overall, competitor), once each."""
        cols = list(self._perf.values()) + list((self._stated or {}).values()) + list((self._comp or {}).values())
        return list(dict.fromkeys(cols + ([self.overall] if self.overall is not None else [])))

    def _complete_cases(self, data: pd.DataFrame) -> pd.DataFrame:
        """Apply ``missing``: the data unchanged (``"error"``) or without respondents missing a declared answer (``"drop"``)."""
        check_choice(self.missing, "missing", ("error", "drop"))
        cols = self._declared_columns()
        check_columns(data, cols, name="data")
        bad = data[cols].isna().any(axis=1).to_numpy() if self.missing == "drop" else np.zeros(len(data), dtype=bool)
        self.missing_report_ = {"strategy": self.missing, "rows_dropped": list(data.index[bad]), "n_dropped": int(bad.sum())}
        if bad.all() and len(data):
            raise CrmlabValueError(f"every respondent has a missing answer in the declared columns {_preview(cols)}; "
                                   "missing='drop' leaves no data")
        return data.loc[~bad] if bad.any() else data

    def _validate(self, data: pd.DataFrame) -> pd.DataFrame:
        check_choice(self.importance, "importance", IMPORTANCE_METHODS)
        self._perf = _mapping(self.performance, "performance")
        if not self._perf:
            raise CrmlabValueError("performance must name at least 2 attribute columns")
        self._stated = _mapping(self.stated_importance, "stated_importance")
        self._comp = _mapping(self.competitor, "competitor")
        self._scale = _check_scale(self.scale, "scale")
        self._imp_scale = _check_scale(self.importance_scale, "importance_scale") or self._scale
        self._overall_scale = _check_scale(self.overall_scale, "overall_scale") or self._scale
        for other, name in ((self._stated, "stated_importance"), (self._comp, "competitor")):
            if other is not None:
                _check_attribute_match(pd.Series(0, index=list(self._perf)), pd.Series(0, index=list(other)), name=name)
        check_columns(data, list(self._perf.values()), name="data")
        data = self._complete_cases(data)
        perf_cols = list(self._perf.values())
        check_no_missing(data, perf_cols)
        check_in_range(data, perf_cols, low=self._scale[0], high=self._scale[1], what="declared performance scale")
        if self._comp is not None:
            cols = list(self._comp.values())
            check_no_missing(data, cols)
            check_in_range(data, cols, low=self._scale[0], high=self._scale[1], what="declared performance scale (competitor)")
        check_not_constant(data, perf_cols)  # an attribute nobody rates differently has no position to judge
        n, p = len(data), len(perf_cols)
        if self.importance == "stated":
            if self._stated is None:
                raise CrmlabValueError("importance='stated' needs stated_importance= (the importance rating column of every attribute)")
            cols = list(self._stated.values())
            check_no_missing(data, cols)
            check_in_range(data, cols, low=self._imp_scale[0], high=self._imp_scale[1], what="declared importance scale")
            if n < 2:
                raise CrmlabValueError(f"data needs at least 2 respondents, got {n}")
        else:
            if self.overall is None:
                raise CrmlabValueError(f"importance={self.importance!r} is derived from overall satisfaction and needs overall= (its column)")
            check_no_missing(data, [self.overall])
            check_in_range(data, [self.overall], low=self._overall_scale[0], high=self._overall_scale[1],
                           what="declared overall-satisfaction scale")
            check_not_constant(data, [self.overall])
            if self.importance in REGRESSION_METHODS and n < p + 2:
                raise CrmlabValueError(
                    f"importance={self.importance!r} regresses overall satisfaction on all p={p} attributes and needs "
                    f"more respondents than attributes + 1 (n ≥ p + 2 = {p + 2}); got n={n}. "
                    "importance='correlation' needs only n ≥ 3, importance='stated' n ≥ 2"
                )
            if self.importance == "correlation" and n < 3:
                raise CrmlabValueError(f"importance='correlation' needs at least 3 respondents, got n={n}")
        return data

    # -- fitting --------------------------------------------------------------
    def _matrix(self, data: pd.DataFrame) -> np.ndarray:
        """Columns used by the computation, as floats: [overall?] + performance + [stated] + [competitor]."""
        cols = ([self.overall] if self.importance != "stated" else []) + list(self._perf.values())
        if self.importance == "stated":
            cols += [self._stated[a] for a in self._perf]
        return data[cols].to_numpy(dtype=float)

    def fit(self, data: pd.DataFrame) -> "ImportancePerformance":
        """Compute performance (attribute means), importance, quadrants and the overall value from ``data`` (one row per respondent)."""
        data = self._validate(data)
        attrs = list(self._perf)
        perf_cols = [self._perf[a] for a in attrs]
        performance = pd.Series(data[perf_cols].mean().to_numpy(), index=attrs)
        detail = None
        r_squared = None
        if self.importance == "stated":
            importance = pd.Series(data[[self._stated[a] for a in attrs]].mean().to_numpy(), index=attrs)
            imp_scale = self._imp_scale
        else:
            corr = np.corrcoef(data[[self.overall, *perf_cols]].to_numpy(dtype=float), rowvar=False)
            if self.importance in REGRESSION_METHODS:
                _check_positive_definite(corr[1:, 1:], attrs)
            values, r_squared = importance_from_correlations(corr, self.importance)
            importance = pd.Series(values, index=attrs)
            r_squared = float(r_squared)
            imp_scale = None
            if self.importance == "ols_beta":
                detail = ols_beta_importance(data, perf_cols, self.overall)
                detail.index = pd.Index(attrs, name="attribute")
                importance = detail["estimate"].copy()
        competitor = None
        if self._comp is not None:
            competitor = pd.Series(data[[self._comp[a] for a in attrs]].mean().to_numpy(), index=attrs)
        result = quadrant_analysis(
            performance, importance, method=self.importance, performance_scale=self._scale, importance_scale=imp_scale,
            crosshair=self.crosshair, zoning=self.zoning, diagonal_slope=self.diagonal_slope,
            competitor_performance=competitor, overall_weights=self.overall_weights,
        )
        if competitor is not None:
            ours = data[perf_cols].to_numpy(dtype=float)
            theirs = data[[self._comp[a] for a in attrs]].to_numpy(dtype=float)
            diff = ours - theirs
            with np.errstate(invalid="ignore", divide="ignore"):
                p_values = stats.ttest_rel(ours, theirs, axis=0).pvalue
            result.table["gap_p_value"] = np.where(diff.std(axis=0) > 0, p_values, np.nan)
        if self.overall is not None:
            mean_overall = float(data[self.overall].mean())
            lo, hi = self._overall_scale
            result.overall.update({"overall_mean": mean_overall, "overall_index_0_100": (mean_overall - lo) / (hi - lo) * 100.0})
        result.r_squared = r_squared
        result.n_respondents = len(data)
        result.settings["missing"] = self.missing
        result.importance_detail = detail
        self.result_ = result
        self.performance_ = performance
        self.importance_ = result.table["importance"]
        self.r_squared_ = r_squared
        self.n_respondents_ = len(data)
        self._data_matrix = self._matrix(data)
        return self

    def summary(self) -> pd.DataFrame:
        """The fitted quadrant table (see :meth:`IPAResult.summary`)."""
        check_is_fitted(self, "result_")
        return self.result_.summary()

    # -- bootstrap -------------------------------------------------------------
    def bootstrap(self, *, n_boot: int = 500, random_state: int | None = 0, level: float = 0.95) -> QuadrantStability:
        """Quadrant stability by resampling respondents with replacement (seeded).

        All resamples are computed at once: resample weights (counts) times the data
        give per-resample means and covariance matrices, then importance is computed
        batched over resamples.  Data-driven crosshairs are recomputed per resample.
        """
        check_is_fitted(self, "result_")
        n_boot = check_scalar(n_boot, "n_boot", low=2, integer=True)
        level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
        rng = np.random.default_rng(random_state)
        p = len(self._perf)
        perf, imp = _bootstrap_importance(self._data_matrix, p, self.importance, n_boot=n_boot, rng=rng)
        res = self.result_
        rules = res.settings["crosshair"]
        x0 = _crosshair_position(perf, rules[0], scale=res.settings["performance_scale"], axis="performance")
        y0 = _crosshair_position(imp, rules[1], scale=res.settings["importance_scale"], axis="importance")
        quads = _assign_quadrants(perf, imp, x0, y0)
        table = res.table[["quadrant"]].copy()
        table["share_same_quadrant"] = (quads == table["quadrant"].to_numpy()[None, :]).mean(axis=0)
        for q in QUADRANTS.index:
            table[f"share_{q}"] = (quads == q).mean(axis=0)
        alpha = (1 - level) / 2
        table["performance_low"], table["performance_high"] = np.quantile(perf, [alpha, 1 - alpha], axis=0)
        table["importance_low"], table["importance_high"] = np.quantile(imp, [alpha, 1 - alpha], axis=0)
        table["var_performance"] = perf.var(axis=0, ddof=1)
        table["var_importance"] = imp.var(axis=0, ddof=1)
        table["cov"] = ((perf - perf.mean(0)) * (imp - imp.mean(0))).sum(0) / (n_boot - 1)
        return QuadrantStability(
            table=table, settings={"n_boot": n_boot, "level": level, "random_state": random_state,
                                   "method": self.importance, "interval": "percentile"},
            performance_draws=perf, importance_draws=imp, crosshair_draws=np.column_stack([x0, y0]),
        )


def _bootstrap_counts(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) counts of how often each respondent is drawn in each resample (n draws with replacement)."""
    draws = rng.integers(0, n, size=(n_boot, n))
    flat = (draws + n * np.arange(n_boot)[:, None]).ravel()
    return np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(float)


def _bootstrap_importance(matrix: np.ndarray, p: int, method: str, *, n_boot: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap draws (n_boot, p) of performance and importance from a respondent matrix.

    ``matrix`` columns: for derived methods [overall, p performance]; for ``"stated"``
    [p performance, p stated importance].  Vectorized across resamples: weighted means
    and covariances via count matrices, importance via batched linear algebra.
    """
    n = matrix.shape[0]
    counts = _bootstrap_counts(n, n_boot, rng)
    if method == "stated":
        means = counts @ matrix / n
        return means[:, :p], means[:, p:]
    centred = matrix - matrix.mean(axis=0)
    q = centred.shape[1]
    means_c = counts @ centred / n
    second = (counts @ (centred[:, :, None] * centred[:, None, :]).reshape(n, q * q)).reshape(n_boot, q, q)
    cov = (second - n * means_c[:, :, None] * means_c[:, None, :]) / (n - 1)
    sd = np.sqrt(np.einsum("bii->bi", cov))
    degenerate = np.flatnonzero((sd <= 0).any(axis=1))
    if degenerate.size:
        raise CrmlabValueError(
            f"{degenerate.size} of {n_boot} bootstrap resamples have a constant attribute or overall column "
            f"(n={n} respondents is too few for a stable bootstrap of importance={method!r}); collect more responses"
        )
    corr = cov / sd[:, :, None] / sd[:, None, :]
    try:
        importance, _ = importance_from_correlations(corr, method)
    except CrmlabValueError as err:
        raise CrmlabValueError(f"a bootstrap resample failed: {err}; n={n} respondents is too few for importance={method!r}") from None
    performance = means_c[:, 1:] + matrix.mean(axis=0)[1:]
    return performance, importance
