"""Satisfaction scoring routes of the course material (SPEC §1.1, §1.3 "other methods", §1.4, §1.5).

Everything here except the PLS path models (``crmlab.pls``):

- satisfaction ratio ``c = b / a`` and the difference form ``perception − expectation``
  (seed 003 §2.3.1(1); the AMA definition);
- SERVQUAL P − E gaps per item and dimension with unweighted and importance-weighted
  overall scores (Parasuraman, Zeithaml & Berry 1988, *J. Retailing* 64(1); weighting by a
  100-point importance allocation, Parasuraman, Berry & Zeithaml 1991), reported in the
  five-gap frame of the service-quality gap model (Parasuraman, Zeithaml & Berry 1985,
  *J. Marketing* 49(4); seed 003 §2.3.1(5));
- weighted CSI = Σ wᵢ sᵢ, the principal-component index and the regression of overall
  satisfaction on attribute ratings (seed 003 §2.3.1(4) 顾客满意度测评方法);
- fuzzy comprehensive evaluation B = W ∘ R with four composition operators, normalisation,
  grade scoring and two-level evaluation (Wang Peizhuang 1983, *Fuzzy sets and their
  applications*; operator names as in Chinese textbooks, e.g. 司守奎《数学建模算法与应用》);
- loyalty measures (share of wallet, repeat-purchase rate), the satisfaction → loyalty
  curve in two market settings (seed 003 §2.3.2(5)(7)) and customer delivered value
  (Kotler; seed 003 §2.4, seed 000 Vc = Rc − Cc).

Decisions where the sources differ (reported in results as well):
- Gap frame: seed 003 names five gaps (促销/理解/程序/行为/感受差距).  Its "感受差距" (the
  customer perceives a level different from what was delivered) is a perception gap, whereas
  Parasuraman et al.'s Gap 5 is expected vs perceived service, the gap that SERVQUAL's P − E
  measures.  :func:`service_quality_gaps` lists both readings and marks P − E as measuring
  Gap 5 (the customer gap); gaps 1–4 are organisational and need other data.
- Difference form: seed 003 writes the AMA definition as "满意 = 期望 − 结果"; the SPEC and
  the literature use perception − expectation (positive = satisfied), which is used here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .results import wald_table
from .validation import (
    CrmlabValueError,
    _preview,
    as_float_array,
    check_choice,
    check_finite,
    check_finite_vector,
    check_is_fitted,
    check_regression_design,
    check_on_scale,
    check_scale,
    check_columns,
    check_in_range,
    check_no_missing,
    check_not_constant,
    check_numeric,
    check_scalar,
    check_weights,
)

# ---------------------------------------------------------------- helpers


def check_ratings(data: pd.DataFrame, items: Sequence[str], *, scale: Sequence[float], name: str = "data",
                  min_rows: int = 1) -> None:
    """Raise unless ``data`` has ``min_rows`` rows and ``items`` are present, numeric, complete and inside ``scale``."""
    low, high = check_scale(scale)
    items = list(items)
    if not items:
        raise CrmlabValueError(f"{name}: no item columns given")
    check_columns(data, items, name=name)
    if len(data) < min_rows:
        raise CrmlabValueError(f"{name} has {len(data)} respondent row(s); this analysis needs at least {min_rows}")
    check_numeric(data, items, name=name)
    check_no_missing(data, items, name=name)
    check_in_range(data, items, low=low, high=high, name=name, what="declared scale")


MISSING_STRATEGIES = ("error", "mean", "drop")


def treat_missing(data: pd.DataFrame, items: Sequence[str], *, missing: str = "error",
                  name: str = "data") -> tuple[pd.DataFrame, dict]:
    """The rating ``items`` of ``data`` with a missing-answer strategy applied, and a report of what was done.

    The strategies of :meth:`crmlab.pls.PLSPathModel.fit` (the same implementation), so every
    scoring route of a survey treats blank cells alike: ``"error"`` refuses missing cells
    (naming rows and columns), ``"mean"`` replaces each by its item's mean over the answers
    given, ``"drop"`` deletes respondents with any missing item (casewise).  Returns
    ``(frame, report)``: the item columns (index kept) and ``{"strategy", "rows_dropped",
    "cells_replaced"}``.
    """
    from .pls import _prepare_items

    check_choice(missing, "missing", MISSING_STRATEGIES)
    return _prepare_items(data, list(dict.fromkeys(items)), missing, None, name=name)


def _as_weight_series(weights, index: Sequence[str], name: str = "weights") -> pd.Series:
    """Weights given as dict/Series keyed by ``index`` (or a sequence in that order), summing to 1."""
    if isinstance(weights, (Mapping, pd.Series)):
        w = pd.Series(weights, dtype=float)
        missing, extra = set(index) - set(w.index), set(w.index) - set(index)
        if missing or extra:
            raise CrmlabValueError(f"{name} must have exactly the keys {list(index)}; missing {sorted(missing)}, "
                                   f"unexpected {sorted(extra)}")
        w = w.reindex(list(index))
    else:
        w = pd.Series(np.asarray(weights, dtype=float), dtype=float)
        if len(w) != len(index):
            raise CrmlabValueError(f"{name} has {len(w)} entries but there are {len(index)} items {list(index)}")
        w.index = list(index)
    check_weights(w.to_numpy(), name)
    return w


def equal_weights(names: Sequence[str]) -> pd.Series:
    """Weights 1/k for each of the k ``names`` (the neutral default when no importance is known)."""
    names = list(names)
    if not names:
        raise CrmlabValueError("equal_weights needs at least one name")
    if len(set(names)) != len(names):
        raise CrmlabValueError(f"names must be unique, got {names}")
    return pd.Series(1.0 / len(names), index=names, name="weight")


def equal_width_bins(scale: Sequence[float], n_grades: int) -> np.ndarray:
    """``n_grades + 1`` equal-width edges over the item ``scale`` for :func:`membership_from_answers`.

    E.g. a 1–10 scale in 5 grades → 1–2, 3–4, 5–6, 7–8, 9–10 (intervals right-closed, the lowest
    one also includes the scale minimum).
    """
    low, high = check_scale(scale)
    n = check_scalar(n_grades, "n_grades", low=2, integer=True)
    return np.linspace(low, high, n + 1)


def rescale_to_100(value, *, scale: Sequence[float]):
    """Map a score on the item scale ``(low, high)`` linearly to 0–100 (ACSI convention, Fornell et al. 1996).

    A value outside the scale has no place on 0–100 and raises.
    """
    low, high = check_scale(scale)
    out = (check_on_scale(value, (low, high), "value") - low) / (high - low) * 100
    return out.item() if out.ndim == 0 else out


# ---------------------------------------------------------------- §1.1 ratio and gaps


def _paired(perceived, expected) -> tuple[np.ndarray, np.ndarray]:
    """Perceived and expected values as finite float arrays of one shape (scalars broadcast)."""
    arrays = []
    for name, v in (("perceived", perceived), ("expected", expected)):
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise CrmlabValueError(f"{name} must be numbers, got {v!r}") from None
        if a.size == 0 or not np.all(np.isfinite(a)):
            raise CrmlabValueError(f"{name} must be one or more finite numbers, got {_preview(np.atleast_1d(a))}")
        arrays.append(a)
    b, a = arrays
    if b.ndim and a.ndim and b.shape != a.shape:
        raise CrmlabValueError(f"perceived and expected must have the same length (or one be a scalar); "
                               f"got shapes {b.shape} and {a.shape}")
    return b, a


def satisfaction_ratio(*, perceived, expected):
    """Satisfaction ratio c = b / a (seed 003 §2.3.1(1)): b perceived value, a expected value (> 0).

    c > 1 means the perception exceeds the expectation.  Scalars or equally long array-likes (element-wise).
    """
    b, a = _paired(perceived, expected)
    if np.any(a <= 0):
        raise CrmlabValueError(f"expected must be > 0 for the ratio c = b / a; got {_preview(np.atleast_1d(a)[np.atleast_1d(a) <= 0])}")
    c = b / a
    return c.item() if c.ndim == 0 else c


def satisfaction_difference(*, perceived, expected):
    """Difference form satisfaction = perception − expectation (AMA; SPEC §1.1); > 0 means satisfied."""
    b, a = _paired(perceived, expected)
    d = b - a
    return d.item() if d.ndim == 0 else d


SERVICE_QUALITY_GAPS = pd.DataFrame(
    {"gap": [1, 2, 3, 4, 5],
     "gap_key": ["gap_understanding", "gap_procedure", "gap_behaviour", "gap_promotion", "gap_perception"],
     "measured_by_servqual": [False, False, False, False, True]},
).set_index("gap")


def service_quality_gaps() -> pd.DataFrame:
    """The five gaps of the service-quality gap model (Parasuraman et al. 1985; seed 003 §2.3.1(5)).

    ``gap_key`` is the gap's key; its name, definition (Parasuraman et al.'s in English, the
    seed's wording in Chinese) and the data that measure it are terms ``<key>``,
    ``<key>_definition`` and ``<key>_data`` of the term table.  Only gap 5 is measured by
    SERVQUAL's perception − expectation scores (``measured_by_servqual``; see the module docstring).
    """
    return SERVICE_QUALITY_GAPS.copy()


@dataclass(frozen=True)
class ServqualResult:
    """P − E gaps per item and dimension and the overall SERVQUAL scores."""

    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall_unweighted: float
    overall_weighted: float | None
    respondent_scores: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        """Dimension table plus the overall scores as the last rows."""
        out = self.dimensions[["perception", "expectation", "gap", "weight"]].copy()
        out.loc["overall_unweighted"] = [np.nan, np.nan, self.overall_unweighted, np.nan]
        out.loc["overall_weighted"] = [np.nan, np.nan, self.overall_weighted, np.nan]
        return out


def servqual_gaps(
    data: pd.DataFrame,
    *,
    dimensions: Mapping[str, Sequence[str]],
    perception_prefix: str = "p_",
    expectation_prefix: str = "e_",
    importance: Mapping[str, float] | None = None,
    scale: Sequence[float] = (1, 7),
) -> ServqualResult:
    """SERVQUAL gap scores Q = P − E (Parasuraman, Zeithaml & Berry 1988).

    ``data`` holds one row per respondent with columns ``<perception_prefix><item>`` and
    ``<expectation_prefix><item>`` for every item in ``dimensions`` (dimension → items).
    Item gap = mean(P − E); dimension gap = mean of its items' respondent gaps; the
    unweighted overall SERVQUAL score = mean of the dimension gaps (Parasuraman et al. 1988);
    the importance-weighted score = Σ w_d · gap_d with w_d = importance_d / Σ importance
    (importance e.g. as a 100-point allocation, Parasuraman, Berry & Zeithaml 1991).
    Units: points on the item scale (negative = service falls short of expectations).
    """
    low, high = check_scale(scale)
    if not isinstance(dimensions, Mapping) or not dimensions:
        raise CrmlabValueError("dimensions must be a non-empty dict {dimension: [items]}")
    for dim, items in dimensions.items():
        if isinstance(items, str) or not len(items):
            raise CrmlabValueError(f"dimension {dim!r} has no items; give a list of item names")
    items = [i for its in dimensions.values() for i in its]
    p_cols = [perception_prefix + i for i in items]
    e_cols = [expectation_prefix + i for i in items]
    dup = sorted({i for i in items if items.count(i) > 1})
    if dup:
        raise CrmlabValueError(f"dimensions list item(s) {dup} more than once; each item belongs to one dimension")
    check_ratings(data, p_cols + e_cols, scale=(low, high), min_rows=2)
    gaps = pd.DataFrame(data[p_cols].to_numpy(float) - data[e_cols].to_numpy(float), columns=items, index=data.index)
    dim_of = {i: d for d, its in dimensions.items() for i in its}
    item_table = pd.DataFrame({
        "dimension": [dim_of[i] for i in items],
        "perception": data[p_cols].mean().to_numpy(),
        "expectation": data[e_cols].mean().to_numpy(),
        "gap": gaps.mean().to_numpy(),
        "gap_sd": gaps.std(ddof=1).to_numpy(),
    }, index=pd.Index(items, name="item"))
    resp = pd.DataFrame({d: gaps[list(its)].mean(axis=1) for d, its in dimensions.items()})
    dim_table = item_table.groupby("dimension", sort=False)[["perception", "expectation", "gap"]].mean()
    dim_table["n_items"] = [len(dimensions[d]) for d in dim_table.index]
    overall_unweighted = float(dim_table["gap"].mean())
    if importance is not None:
        imp = pd.Series(importance, dtype=float)
        if set(imp.index) != set(dimensions):
            raise CrmlabValueError(f"importance must have exactly the dimensions {list(dimensions)} as keys, got {list(imp.index)}")
        if not np.isfinite(imp).all() or (imp < 0).any() or imp.sum() <= 0:
            raise CrmlabValueError(f"importance must be non-negative with a positive total, got {imp.to_dict()}")
        w = (imp / imp.sum()).reindex(dim_table.index)
        dim_table["weight"] = w
        overall_weighted = float((w * dim_table["gap"]).sum())
        weighting = "importance (normalised to sum 1)"
    else:
        dim_table["weight"] = np.nan
        overall_weighted = None
        weighting = "none"
    dim_table.index.name = "dimension"
    return ServqualResult(items=item_table, dimensions=dim_table, overall_unweighted=overall_unweighted,
                          overall_weighted=overall_weighted, respondent_scores=resp,
                          settings={"scale": (low, high), "weighting": weighting, "gap": "perception - expectation"})


# ---------------------------------------------------------------- §1.3 weighted CSI, PCA, regression


@dataclass(frozen=True)
class CSIResult:
    """Weighted satisfaction index CSI = Σ wᵢ sᵢ with its item contributions."""

    items: pd.DataFrame
    csi: float
    csi_100: float
    respondent_csi: pd.Series
    settings: dict


def weighted_csi(data: pd.DataFrame, *, weights, scale: Sequence[float]) -> CSIResult:
    """Questionnaire-based weighted satisfaction index CSI = Σ wᵢ sᵢ (seed 003 §2.3.1(4)).

    ``data``: respondents × item ratings on ``scale``; ``weights``: dict/Series item → weight
    (summing to 1; the items used are its keys) or a sequence in column order.  sᵢ is the item
    mean.  ``csi`` is on the item scale; ``csi_100`` rescales it linearly to 0–100
    (``(csi − low)/(high − low)·100``).  ``respondent_csi`` is Σ wᵢ xᵢ per respondent.
    """
    items = list(weights.keys()) if isinstance(weights, (Mapping, pd.Series)) else list(data.columns)
    check_ratings(data, items, scale=scale)
    w = _as_weight_series(weights, items)
    low, high = check_scale(scale)
    means = data[items].mean()
    table = pd.DataFrame({"mean": means, "weight": w, "contribution": means * w})
    table.index.name = "item"
    csi = float(table["contribution"].sum())
    return CSIResult(items=table, csi=csi, csi_100=float(rescale_to_100(csi, scale=(low, high))),
                     respondent_csi=pd.Series(data[items].to_numpy(float) @ w.to_numpy(), index=data.index, name="csi"),
                     settings={"scale": (low, high), "item_score": "mean"})


class PCAIndex:
    """Principal-component satisfaction index (主成分分析法; seed 003 §2.3.1(4)).

    Method (Jolliffe 2002, *Principal Component Analysis*, ch. 1–2; the composite-score form
    F = Σ_k (λ_k / Σ_sel λ) F_k common in Chinese evaluation practice): eigen-decompose the
    correlation matrix (``standardize=True``, default) or covariance matrix of the items; keep
    the first ``n_components`` components; each component's eigenvector is oriented so its
    entries sum to a positive number.  Item weight wᵢ ∝ Σ_k (λ_k / Σ_sel λ) · v_ik, normalised
    to sum to 1.  As in composite-index practice the weights (derived on standardized items) are
    applied to the raw item means: index = Σ wᵢ · x̄ᵢ on the item scale, also rescaled to 0–100.
    A negative weight makes the index undefined and raises (choose fewer components).
    """

    def __init__(self, *, n_components: int = 1, standardize: bool = True):
        self.n_components = check_scalar(n_components, "n_components", low=1, integer=True)
        if not isinstance(standardize, bool):
            raise CrmlabValueError(f"standardize must be True or False, got {standardize!r}")
        self.standardize = standardize

    def fit(self, data: pd.DataFrame, *, items: Sequence[str] | None = None, scale: Sequence[float]) -> "PCAIndex":
        items = list(data.columns) if items is None else list(items)
        check_ratings(data, items, scale=scale, min_rows=3)
        if self.n_components > len(items):
            raise CrmlabValueError(f"n_components={self.n_components} exceeds the number of items ({len(items)})")
        check_not_constant(data, items)
        x = data[items].to_numpy(float)
        sd = x.std(axis=0, ddof=1)
        z = (x - x.mean(axis=0)) / (sd if self.standardize else 1.0)
        # eigen-decomposition of the (p × p) correlation / covariance matrix, largest eigenvalue first
        eig, vecs = np.linalg.eigh(z.T @ z / (len(x) - 1))
        order = np.argsort(eig)[::-1]
        eig, vt = np.clip(eig[order], 0, None), vecs[:, order].T
        vt = vt * np.where(vt.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
        k = self.n_components
        share = eig[:k] / eig[:k].sum()
        raw = share @ vt[:k]
        if np.any(raw <= 0):
            raise CrmlabValueError(
                f"PCA index weights are not all positive with n_components={k} (items "
                f"{_preview([i for i, r in zip(items, raw) if r <= 0])}); the index is undefined — use fewer components")
        w = raw / raw.sum()
        low, high = check_scale(scale)
        self.items_ = items
        self.scale_ = (low, high)
        self.eigenvalues_ = eig
        self.explained_variance_ratio_ = eig / eig.sum()
        self.components_ = pd.DataFrame(vt, index=[f"PC{j + 1}" for j in range(len(eig))], columns=items)
        self.weights_ = pd.Series(w, index=items, name="weight")
        self.index_ = float(self.weights_ @ data[items].mean())
        self.index_100_ = float(rescale_to_100(self.index_, scale=(low, high)))
        self.scores_ = pd.Series(x @ w, index=data.index, name="pca_index")
        self.settings = {"n_components": k, "standardize": self.standardize, "scale": (low, high),
                         "orientation": "eigenvector entries sum to a positive number"}
        return self

    def explained_variance(self) -> pd.DataFrame:
        """Eigenvalue, explained-variance ratio and cumulative ratio per component (kept ones flagged)."""
        check_is_fitted(self, "weights_")
        ratio = self.explained_variance_ratio_
        return pd.DataFrame({"eigenvalue": self.eigenvalues_, "explained_ratio": ratio,
                             "cumulative_ratio": np.cumsum(ratio),
                             "kept": np.arange(len(ratio)) < self.n_components},
                            index=pd.Index(self.components_.index, name="component"))

    def summary(self) -> pd.DataFrame:
        """Per item: its eigenvector entries in the kept components and its index weight."""
        check_is_fitted(self, "weights_")
        out = self.components_.iloc[: self.n_components].T.copy()
        out["weight"] = self.weights_
        out.index.name = "item"
        return out


@dataclass(frozen=True)
class RegressionResult:
    """Tidy OLS table of overall satisfaction on attribute ratings."""

    table: pd.DataFrame
    r_squared: float
    adj_r_squared: float
    n: int
    settings: dict
    model: object = field(repr=False)

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


def satisfaction_regression(data: pd.DataFrame, *, overall: str, attributes: Sequence[str],
                            scale: Sequence[float] | None = None, alpha: float = 0.05) -> RegressionResult:
    """Econometric route (计量经济学测评方法; seed 003 §2.3.1(4)): OLS of overall satisfaction on attributes.

    overall = β₀ + Σ βᵢ · attributeᵢ + ε, fitted with statsmodels OLS.  The tidy table has one row
    per term: ``estimate``, ``std_error``, ``t_value``, ``p_value``, the (1 − alpha) interval
    ``ci_lower``/``ci_upper``, and the standardized coefficient ``std_coef`` = β·sd(x)/sd(y) (a common
    derived-importance measure).  Items are checked against ``scale`` when given.  The model needs
    more respondents than coefficients and attributes that are not exact linear combinations of
    each other (otherwise the coefficients are not identified and raise).
    """
    import statsmodels.api as sm

    attributes = list(attributes)
    if not attributes:
        raise CrmlabValueError("attributes must list at least one predictor column")
    if overall in attributes:
        raise CrmlabValueError(f"overall column {overall!r} is also listed as a predictor")
    cols = [overall] + attributes
    if scale is not None:
        check_ratings(data, cols, scale=scale)
    else:
        check_numeric(data, cols)
        check_no_missing(data, cols)
    alpha = check_scalar(alpha, "alpha", low=0, high=1, low_inclusive=False, high_inclusive=False)
    y = data[overall].astype(float)
    x = sm.add_constant(data[attributes].astype(float), has_constant="add")
    check_regression_design(x, name="data")
    check_not_constant(data, [overall])
    fit = sm.OLS(y, x).fit()
    sd_ratio = pd.Series(np.r_[np.nan, data[attributes].std(ddof=1).to_numpy() / y.std(ddof=1)], index=x.columns)
    table = wald_table(fit.params, fit.bse, level=1 - alpha, dof=fit.df_resid, index_name="term")
    table["std_coef"] = fit.params * sd_ratio
    return RegressionResult(table=table, r_squared=float(fit.rsquared), adj_r_squared=float(fit.rsquared_adj),
                            n=int(fit.nobs), settings={"alpha": alpha, "estimator": "OLS", "intercept": True}, model=fit)


# ---------------------------------------------------------------- §1.3 fuzzy comprehensive evaluation

# Default grade names (crmlab terms, low to high); notebooks show them in the report language.
FUZZY_GRADES = ("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied")
FUZZY_OPERATORS = ("M(·,+)", "M(∧,∨)", "M(·,∨)", "M(∧,⊕)")
_OPERATOR_ALIASES = {"weighted_average": "M(·,+)", "main_factor": "M(∧,∨)", "main_factor_product": "M(·,∨)",
                     "bounded_sum": "M(∧,⊕)"}


def _check_membership(membership, name: str = "membership") -> np.ndarray:
    r = as_float_array(membership, name)
    if r.ndim != 2 or 0 in r.shape:
        raise CrmlabValueError(f"{name} must be a non-empty 2-D matrix (factors × grades), got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise CrmlabValueError(f"{name} must be finite")
    bad = (r < 0) | (r > 1)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise CrmlabValueError(f"{name} entry [{i}, {j}] = {r[i, j]:g} is outside [0, 1]; memberships are degrees in [0, 1]")
    return r


def compose(weights, membership, *, operator: str = "M(·,+)") -> np.ndarray:
    """Fuzzy composition B = W ∘ R (Wang 1983), b_j for each grade j:

    - ``M(·,+)``  weighted average: b_j = Σ_i w_i r_ij (all factors count);
    - ``M(∧,∨)``  main factor decides: b_j = max_i min(w_i, r_ij);
    - ``M(·,∨)``  main factor stands out: b_j = max_i w_i r_ij;
    - ``M(∧,⊕)``  bounded sum: b_j = min(1, Σ_i min(w_i, r_ij)).
    Aliases: weighted_average, main_factor, main_factor_product, bounded_sum.
    """
    op = _OPERATOR_ALIASES.get(operator, operator)
    check_choice(op, "operator", FUZZY_OPERATORS + tuple(_OPERATOR_ALIASES))
    w = check_weights(weights, "weights")
    r = _check_membership(membership)
    if r.shape[0] != w.size:
        raise CrmlabValueError(f"weights has {w.size} entries but membership has {r.shape[0]} factor rows")
    wc = w[:, None]
    if op == "M(·,+)":
        return (wc * r).sum(axis=0)
    if op == "M(∧,∨)":
        return np.minimum(wc, r).max(axis=0)
    if op == "M(·,∨)":
        return (wc * r).max(axis=0)
    return np.minimum(1.0, np.minimum(wc, r).sum(axis=0))


@dataclass(frozen=True)
class FuzzyResult:
    """Result vector of a fuzzy comprehensive evaluation and its score."""

    b: pd.Series
    b_normalized: pd.Series
    score: float | None
    grade: str
    grade_values: pd.Series | None
    settings: dict
    factor_results: pd.DataFrame | None = None

    def summary(self) -> pd.DataFrame:
        out = pd.DataFrame({"b": self.b, "b_normalized": self.b_normalized})
        if self.grade_values is not None:
            out["grade_value"] = self.grade_values
        return out


def _grades(grades, m: int) -> list[str]:
    if grades is None:
        return [f"grade_{j + 1}" for j in range(m)]
    grades = [str(g) for g in grades]
    if len(grades) != m:
        raise CrmlabValueError(f"grades has {len(grades)} names but membership has {m} grade columns")
    return grades


def fuzzy_evaluation(weights, membership, *, operator: str = "M(·,+)", grades: Sequence[str] | None = None,
                     grade_values: Sequence[float] | None = None) -> FuzzyResult:
    """One-level fuzzy comprehensive evaluation (模糊综合评价; SPEC §1.3).

    B = W ∘ R with :func:`compose`; B is normalised to sum 1 (b_j / Σ b_j); the score is
    Σ b̃_j v_j against ``grade_values`` v (e.g. 95, 85, 75, 65, 55 or 5 … 1); ``grade`` is the
    grade of maximum membership (最大隶属度原则; first on ties).  ``membership`` may be a
    DataFrame (factors × grades) whose column names are used as grades.
    """
    if isinstance(membership, pd.DataFrame) and grades is None:
        grades = list(membership.columns)
    b = compose(weights, membership, operator=operator)
    names = _grades(grades, b.size)
    if b.sum() <= 0:
        raise CrmlabValueError("the composed vector B is all zeros; it cannot be normalised")
    b_s = pd.Series(b, index=names, name="b")
    bn = b_s / b_s.sum()
    gv = None
    score = None
    if grade_values is not None:
        if len(grade_values) != len(names):
            raise CrmlabValueError(f"grade_values has {len(grade_values)} entries but there are {len(names)} grades")
        gv = pd.Series(check_finite_vector(grade_values, "grade_values"), index=names, name="grade_value")
        score = float(bn @ gv)
    op = _OPERATOR_ALIASES.get(operator, operator)
    return FuzzyResult(b=b_s, b_normalized=bn.rename("b_normalized"), score=score, grade=str(bn.idxmax()),
                       grade_values=gv, settings={"operator": op, "normalization": "b / sum(b)",
                                                  "grade": "maximum membership (first on ties)"})


def fuzzy_two_level(factor_weights: Mapping[str, float], sub_weights: Mapping[str, Sequence[float]],
                    memberships: Mapping[str, object], *, operator: str = "M(·,+)",
                    grades: Sequence[str] | None = None, grade_values: Sequence[float] | None = None) -> FuzzyResult:
    """Two-level evaluation: each factor's sub-factors → Bₖ = Wₖ ∘ Rₖ, then B = W ∘ [B₁; …; Bₘ].

    The first-level vectors are normalised before they form the second-level membership matrix
    (so each row is a distribution over the grades), then :func:`fuzzy_evaluation` is applied.
    ``factor_results`` holds every factor's normalised Bₖ (and score when grade values are given).
    """
    if set(factor_weights) != set(sub_weights) or set(factor_weights) != set(memberships):
        raise CrmlabValueError("factor_weights, sub_weights and memberships must have the same factor keys; got "
                               f"{list(factor_weights)}, {list(sub_weights)}, {list(memberships)}")
    factors = list(factor_weights)
    first = {f: fuzzy_evaluation(sub_weights[f], memberships[f], operator=operator, grades=grades,
                                 grade_values=grade_values) for f in factors}
    r2 = pd.DataFrame({f: res.b_normalized for f, res in first.items()}).T
    res = fuzzy_evaluation([factor_weights[f] for f in factors], r2, operator=operator,
                           grade_values=grade_values)
    table = r2.copy()
    if grade_values is not None:
        table["score"] = [first[f].score for f in factors]
    table.index.name = "factor"
    return FuzzyResult(b=res.b, b_normalized=res.b_normalized, score=res.score, grade=res.grade,
                       grade_values=res.grade_values, settings=res.settings | {"levels": 2}, factor_results=table)


def membership_from_answers(data: pd.DataFrame, *, items: Sequence[str], grades: Sequence,
                            bins: Sequence[float] | None = None, grade_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Membership matrix from survey answer frequencies: r_ij = share of respondents giving item i grade j.

    Answers are either categorical grade labels (``grades`` lists them in order) or numeric ratings
    mapped to grades by ``bins`` (right-closed edges, the first interval also closed on the left,
    ``len(bins) = len(grades) + 1``; see :func:`equal_width_bins`).  An answer outside every grade raises.
    """
    items = list(items)
    grades = list(grades)
    check_columns(data, items)
    if len(data) == 0:
        raise CrmlabValueError("data has no answers; memberships are shares of respondents")
    check_no_missing(data, items)
    if len(grades) < 2:
        raise CrmlabValueError("grades must list at least two grades")
    names = [str(g) for g in (grade_names or grades)]
    if len(names) != len(grades):
        raise CrmlabValueError(f"grade_names has {len(names)} entries but there are {len(grades)} grades")
    if bins is not None:
        check_numeric(data, items)
        edges = check_finite_vector(bins, "bins")
        if edges.size != len(grades) + 1 or np.any(np.diff(edges) <= 0):
            raise CrmlabValueError(f"bins must be {len(grades) + 1} increasing edges for {len(grades)} grades, got {list(bins)}")
        coded = pd.DataFrame({i: pd.cut(data[i], edges, labels=False, right=True, include_lowest=True) for i in items})
        for i in items:
            out = data.loc[coded[i].isna(), i]
            if len(out):
                raise CrmlabValueError(f"data column {i!r} has values {_preview(out.unique())} outside the bins "
                                       f"[{edges[0]:g}, {edges[-1]:g}]")
        codes = coded.astype(int)
    else:
        pos = {g: k for k, g in enumerate(grades)}
        codes = pd.DataFrame(index=data.index)
        for i in items:
            bad = data.loc[~data[i].isin(grades), i]
            if len(bad):
                raise CrmlabValueError(f"data column {i!r} has answers {_preview(bad.unique())} that are not one of the grades {grades}")
            codes[i] = data[i].map(pos).astype(int)
    counts = np.stack([(codes.to_numpy() == k).sum(axis=0) for k in range(len(grades))], axis=1)
    out = pd.DataFrame(counts / len(data), index=pd.Index(items, name="item"), columns=names)
    return out


# ---------------------------------------------------------------- §1.4 loyalty


@dataclass(frozen=True)
class LoyaltyResult:
    """Per-customer share of wallet and repeat-purchase rate, plus pooled totals."""

    customers: pd.DataFrame
    overall: pd.Series
    settings: dict

    def summary(self) -> pd.DataFrame:
        return self.customers.copy()


def loyalty_metrics(purchases: pd.DataFrame, *, our_brand: str, customer: str = "customer", brand: str = "brand",
                    amount: str = "amount", customer_columns: Sequence[str] = ()) -> LoyaltyResult:
    """Behavioural loyalty from purchase records (seed 003 §2.3.2(7)).

    share of wallet (钱包份额) = spend on our brand ÷ spend on the whole category × 100 %;
    repeat-purchase rate (重复购买率) = purchases of our brand ÷ purchases of all brands × 100 %.
    One row per purchase.  Per customer and pooled (``overall``: totals over all customers).
    ``customer_columns`` (e.g. market, satisfaction) are carried into the customer table and must
    be constant within a customer.  Units: percent.
    """
    extra = list(customer_columns)
    cols = [customer, brand, amount] + extra
    check_columns(purchases, cols, name="purchases")
    check_no_missing(purchases, cols, name="purchases")
    check_finite(purchases, [amount], name="purchases")
    neg = purchases.loc[purchases[amount] < 0, amount]
    if len(neg):
        raise CrmlabValueError(f"purchases column {amount!r} has negative amounts {_preview(neg.unique())} "
                               f"at rows {_preview(neg.index)}; amounts must be >= 0")
    if our_brand not in set(purchases[brand]):
        raise CrmlabValueError(f"our_brand {our_brand!r} does not occur in purchases column {brand!r}")
    for col in extra:
        n_values = purchases.groupby(customer)[col].nunique()
        if (n_values > 1).any():
            raise CrmlabValueError(f"purchases column {col!r} must be constant per customer; customers "
                                   f"{_preview(n_values.index[n_values > 1])} have several values")
    ours = purchases[brand] == our_brand
    frame = pd.DataFrame({customer: purchases[customer], "our_spend": purchases[amount].where(ours, 0.0),
                          "category_spend": purchases[amount], "our_purchases": ours.astype(int),
                          "category_purchases": 1})
    per = frame.groupby(customer, sort=True).sum()
    per["share_of_wallet"] = 100 * per["our_spend"] / per["category_spend"].replace(0, np.nan)
    per["repeat_purchase_rate"] = 100 * per["our_purchases"] / per["category_purchases"]
    if extra:
        per = purchases.groupby(customer, sort=True)[extra].first().join(per)
    tot = per[["our_spend", "category_spend", "our_purchases", "category_purchases"]].sum()
    overall = pd.Series({"customers_without_category_spend": int(per["share_of_wallet"].isna().sum()),
                         "share_of_wallet": 100 * tot["our_spend"] / tot["category_spend"],
                         "repeat_purchase_rate": 100 * tot["our_purchases"] / tot["category_purchases"],
                         "customers": len(per)})
    return LoyaltyResult(customers=per.reset_index(), overall=overall,
                         settings={"our_brand": our_brand, "units": "percent", "pooled": "totals over all customers"})


@dataclass(frozen=True)
class LoyaltyCurve:
    """Binned means and a lowess smoother of loyalty against satisfaction, per market setting."""

    binned: pd.DataFrame
    smooth: pd.DataFrame
    zone_slopes: pd.DataFrame
    settings: dict


def satisfaction_loyalty_curve(data: pd.DataFrame, *, satisfaction: str, loyalty: str, market: str,
                               bins: Sequence[float], thresholds: Sequence[float], frac: float = 0.5) -> LoyaltyCurve:
    """Satisfaction → loyalty curve compared between market settings (seed 003 §2.3.2(5)(6)).

    Per market: mean loyalty (with n and standard error) in satisfaction ``bins`` (right-closed
    edges), a LOWESS smoother (Cleveland 1979; statsmodels, ``frac`` = span) over the individual
    points, and the least-squares slope of loyalty on satisfaction in the three zones cut by
    ``thresholds`` (low satisfaction, the zone of indifference between the two thresholds, high
    satisfaction) — under competition loyalty should rise steeply only in the high zone.
    Units: loyalty in its own units per satisfaction point.
    """
    from statsmodels.nonparametric.smoothers_lowess import lowess

    check_columns(data, [satisfaction, loyalty, market])
    check_finite(data, [satisfaction, loyalty])
    check_no_missing(data, [market])
    if len(data) < 3:
        raise CrmlabValueError(f"data has {len(data)} respondent(s); a loyalty curve needs at least 3")
    frac = check_scalar(frac, "frac", low=0, high=1, low_inclusive=False)
    edges = check_finite_vector(bins, "bins", min_size=2)
    if np.any(np.diff(edges) <= 0):
        raise CrmlabValueError(f"bins must be at least two increasing edges, got {list(bins)}")
    outside = data.loc[(data[satisfaction] <= edges[0]) | (data[satisfaction] > edges[-1]), satisfaction]
    if len(outside):
        raise CrmlabValueError(f"column {satisfaction!r} has values {_preview(outside.unique())} outside the bins "
                               f"({edges[0]:g}, {edges[-1]:g}]")
    thresholds = check_finite_vector(thresholds, "thresholds")
    if len(thresholds) != 2 or not thresholds[0] < thresholds[1]:
        raise CrmlabValueError(f"thresholds must be two increasing satisfaction levels, got {list(thresholds)}")
    lo, hi = float(thresholds[0]), float(thresholds[1])
    d = data[[satisfaction, loyalty, market]].copy()
    d["bin"] = pd.cut(d[satisfaction], edges, right=True)
    binned = (d.groupby([market, "bin"], observed=True)
              .agg(satisfaction_mean=(satisfaction, "mean"), loyalty_mean=(loyalty, "mean"),
                   loyalty_sd=(loyalty, "std"), n=(loyalty, "size")).reset_index())
    binned["se"] = binned["loyalty_sd"] / np.sqrt(binned["n"])
    binned["bin"] = binned["bin"].astype(str)
    smooth_parts, slope_rows = [], []
    zone = np.select([d[satisfaction] <= lo, d[satisfaction] <= hi], ["low", "indifference"], default="high")
    d["zone"] = zone
    for m, g in d.groupby(market, sort=True):
        fitted = lowess(g[loyalty].to_numpy(float), g[satisfaction].to_numpy(float), frac=frac, return_sorted=True)
        sm = pd.DataFrame(fitted, columns=["satisfaction", "loyalty_smooth"]).drop_duplicates("satisfaction")
        sm.insert(0, market, m)
        smooth_parts.append(sm)
        for z in ("low", "indifference", "high"):
            gz = g[g["zone"] == z]
            slope = np.polyfit(gz[satisfaction], gz[loyalty], 1)[0] if gz[satisfaction].nunique() > 1 else np.nan
            slope_rows.append({market: m, "zone": z, "slope": slope, "n": len(gz)})
    return LoyaltyCurve(binned=binned, smooth=pd.concat(smooth_parts, ignore_index=True),
                        zone_slopes=pd.DataFrame(slope_rows),
                        settings={"thresholds": (lo, hi), "frac": frac, "smoother": "LOWESS (statsmodels)"})


# ---------------------------------------------------------------- §1.5 customer delivered value

CDV_VALUE_PARTS = ("product", "service", "personnel", "image")
CDV_COST_PARTS = ("monetary", "time", "energy", "physical")


def customer_delivered_value(*, product, service, personnel, image, monetary, time, energy, physical) -> pd.DataFrame:
    """Kotler's customer delivered value (顾客让渡价值; seed 003 §2.4.1, seed 000).

    TCV = product + service + personnel + image value; TCC = monetary + time + energy (mental)
    + physical cost; CDV = TCV − TCC (absolute) and TCV / TCC (relative).  Scalars or equally long
    array-likes (one row per offer, e.g. ours vs a competitor); all in the same money units, ≥ 0.
    """
    parts = dict(product=product, service=service, personnel=personnel, image=image, monetary=monetary,
                 time=time, energy=energy, physical=physical)
    arrays = {}
    for k, v in parts.items():
        a = np.atleast_1d(np.asarray(v, dtype=float))
        if not np.all(np.isfinite(a)) or np.any(a < 0):
            raise CrmlabValueError(f"{k} must be finite and >= 0, got {_preview(a)}")
        arrays[k] = a
    sizes = {a.size for a in arrays.values()}
    n = max(sizes)
    if not sizes <= {1, n}:
        raise CrmlabValueError(f"value and cost parts must be scalars or equally long; got lengths {sorted(sizes)}")
    out = pd.DataFrame({k: np.broadcast_to(a, n) for k, a in arrays.items()})
    out["tcv"] = out[list(CDV_VALUE_PARTS)].sum(axis=1)
    out["tcc"] = out[list(CDV_COST_PARTS)].sum(axis=1)
    if (out["tcc"] <= 0).any():
        raise CrmlabValueError("total customer cost TCC must be > 0 for the ratio TCV / TCC")
    out["cdv"] = out["tcv"] - out["tcc"]
    out["cdv_ratio"] = out["tcv"] / out["tcc"]
    return out


def offers_delivered_value(offers: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """:func:`customer_delivered_value` of named offers: ``{offer: {part: amount}}`` → one row per offer.

    Every offer must give exactly the eight parts (:data:`CDV_VALUE_PARTS` + :data:`CDV_COST_PARTS`), in the same
    money units; the rows keep the order of ``offers`` (index ``offer``).
    """
    if not isinstance(offers, Mapping) or not offers:
        raise CrmlabValueError(f"offers must map offer names to their value and cost parts, got {offers!r}")
    parts = CDV_VALUE_PARTS + CDV_COST_PARTS
    for name, given in offers.items():
        if not isinstance(given, Mapping) or set(given) != set(parts):
            keys = sorted(given) if isinstance(given, Mapping) else given
            raise CrmlabValueError(f"offer {name!r} must give exactly the parts {list(parts)}; got {keys!r}")
    table = pd.DataFrame({part: [offers[name][part] for name in offers] for part in parts})
    return customer_delivered_value(**table.to_dict("list")).set_axis(pd.Index(list(offers), name="offer"))
