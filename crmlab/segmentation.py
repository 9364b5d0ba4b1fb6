"""Value-based customer segmentation (客户价值细分, SPEC §4): value matrix, Pareto, tiers, KPIs, RFM.

Sources
-------
- Seed 004 (王璐, 梅蕾, 李春丽, "公司客户细分与客户关系管理") §2–3: current-value and
  potential-value indicators, SPSS z-scores, AHP-weighted sums, split at the mean of
  21 customers into four classes with a strategy for each.
- SPSS *Descriptives* "save standardized values": z = (x − x̄)/s with s the sample
  standard deviation (n − 1 denominator).  Cost-type indicators enter with a minus
  sign (seed 004 / SPEC §4.3); with min–max scaling they use (max − x)/(max − min).
- Pareto / 80-20 (seed 004 preface, SPEC §4.5): Lorenz (1905) curve and the Gini
  coefficient G = 1 − Σ (Xₖ − Xₖ₋₁)(Yₖ + Yₖ₋₁) (trapezoid rule on the Lorenz curve,
  exact for the empirical distribution: G = Σᵢ(2i − n − 1)x₍ᵢ₎ / (n Σx)).
- Customer pyramid: Curry, J. & Curry, A. (2000). *The Customer Marketing Method* —
  top 1 %, big 4 %, medium 15 %, small 80 %; seed 003 §2.1.1 names the four types by
  CLV: VIP, major, ordinary, small (VIP客户, 主要客户, 普通客户, 小客户).
- Kotler's revenue-by-tier chart and its KPIs (seed 002, "客户关系管理的业绩考核"):
  bar width = customers in the tier, height = revenue per customer, with cost;
  new-customer, churn (lost ÷ customers at start, SPEC §3.4) and upgrade rates,
  average profitability per tier.
- RFM: Hughes, A. M. (1994). *Strategic Database Marketing*; thresholds as data and
  segment rules as a table follow R's ``rfm`` package (Hebbali, 2017–) whose
  vignette supplies the default segment rules.  k-means (Lloyd 1982) with the
  silhouette (Rousseeuw 1987) computed on a random sample to choose k.

Decisions where the seed is silent (also reported in results): ties at a value-matrix
cut-off go to the *high* side by default (``ties="high"``, score ≥ cut-off); an RFM
value equal to a quantile threshold gets the *lower* score (score = 1 + number of
thresholds strictly below the value, recency negated so that recent is high) — equal
values always share a score and nothing depends on row order; RFM segment rules are
checked top-down and the first matching rule wins (as in current versions of R's ``rfm``);
the tier pyramid puts every customer whose value is ≥ a tier's cut-off (linear
quantile of the values) in that tier or a higher one, so tied customers share a tier.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .results import table_and_settings
from .validation import (
    CONVERGENCE_POLICIES,
    CrmlabValueError,
    _preview,
    check_choice,
    check_columns,
    check_no_missing,
    check_numeric,
    as_float_array,
    check_finite,
    check_finite_vector,
    check_convergence,
    check_is_fitted,
    check_random_state,
    check_scalar,
    check_weights,
)

DIMENSIONS = ("current", "potential")
DIRECTIONS = ("benefit", "cost")
VALUE_CLASSES = ("high_high", "high_low", "low_high", "low_low")  # (current, potential)
STANDARDIZATIONS = ("zscore", "minmax")


# --------------------------------------------------------------------------- indicators
def check_indicator_table(indicators: pd.DataFrame, data: pd.DataFrame | None = None, *,
                          weight_atol: float = 1e-4) -> pd.DataFrame:
    """Validate an indicator table (one row per indicator) and return a clean copy.

    Required columns: ``indicator`` (column name in the data), ``dimension``
    ("current"/"potential"), ``direction`` ("benefit"/"cost"), ``weight`` (local
    weight inside its dimension; each dimension's weights must sum to 1 within
    ``weight_atol``).  Optional ``levels``: for expert-scored indicators, the ordered
    levels from lowest to highest separated by "|" (encoded 1, 2, …).  With ``data``,
    every indicator must be a column of it (unknown names are listed).
    """
    check_columns(indicators, ["indicator", "dimension", "direction", "weight"], name="indicators")
    ind = indicators.copy().reset_index(drop=True)
    if "levels" not in ind.columns:
        ind["levels"] = None
    dup = ind["indicator"][ind["indicator"].duplicated()]
    if len(dup):
        raise CrmlabValueError(f"indicators: indicator names must be unique; repeated {_preview(dup.unique())}")
    for col, allowed in (("dimension", DIMENSIONS), ("direction", DIRECTIONS)):
        bad = ind.loc[~ind[col].isin(allowed), ["indicator", col]]
        if len(bad):
            raise CrmlabValueError(f"indicators column {col!r} must be one of {list(allowed)}; "
                                   f"got {_preview(bad[col])} for indicator(s) {_preview(bad['indicator'])}")
    check_numeric(ind, ["weight"], name="indicators")
    check_no_missing(ind, ["weight"], name="indicators")
    if (ind["weight"] < 0).any():
        raise CrmlabValueError(f"indicators: weights must be non-negative; negative for {_preview(ind.loc[ind['weight'] < 0, 'indicator'])}")
    for dim in DIMENSIONS:
        w = ind.loc[ind["dimension"] == dim, "weight"]
        if len(w) == 0:
            raise CrmlabValueError(f"indicators: no indicator has dimension {dim!r}; both current and potential value need at least one")
        if abs(w.sum() - 1) > weight_atol:
            raise CrmlabValueError(f"indicators: the {dim}-value weights must sum to 1 (tolerance {weight_atol:g}); "
                                   f"they sum to {w.sum():.6g}")
    if data is not None:
        unknown = [c for c in ind["indicator"] if c not in data.columns]
        if unknown:
            raise CrmlabValueError(f"indicators name(s) {_preview(unknown, 15)} that are not columns of data; "
                                   f"data columns: {_preview(data.columns, 20)}")
    return ind


def with_weights(indicators: pd.DataFrame, weights: Mapping[str, float] | pd.Series) -> pd.DataFrame:
    """Return a copy of the indicator table with a ``weight`` column taken from ``weights`` (indicator -> local weight).

    Every indicator needs a weight and every weight an indicator: unknown names in the
    weight table and indicators without a weight are errors, and a table that already
    carries weights is not overwritten (drop its ``weight`` column first to replace them).
    """
    check_columns(indicators, ["indicator"], name="indicators")
    if "weight" in indicators.columns:
        raise CrmlabValueError("indicators already has a 'weight' column; drop it first to use other weights "
                               "(crmlab does not overwrite weights you gave)")
    w = pd.Series(weights)
    w = pd.Series(check_weights(w.to_numpy(), "weights", sum_to_one=False), index=w.index)
    unknown = [k for k in w.index if k not in set(indicators["indicator"])]
    if unknown:
        raise CrmlabValueError(f"the weight table names unknown indicator(s) {_preview(unknown)}; "
                               f"indicators: {_preview(indicators['indicator'], 20)}")
    missing = [k for k in indicators["indicator"] if k not in w.index]
    if missing:
        raise CrmlabValueError(f"the weight table has no weight for indicator(s) {_preview(missing)}")
    return indicators.assign(weight=indicators["indicator"].map(w))


def _levels(spec) -> list[str] | None:
    if spec is None or (isinstance(spec, float) and np.isnan(spec)):
        return None
    return [s.strip() for s in spec.split("|")] if isinstance(spec, str) else list(spec)


def encode_ordinal(data: pd.DataFrame, levels: Mapping[str, Sequence]) -> pd.DataFrame:
    """Return a copy of ``data`` with each column in ``levels`` coded 1, 2, … in the given order.

    Levels run from lowest to highest; a value that is not a declared level raises
    (naming column, value and rows); missing values stay missing.
    """
    out = data.copy()
    for col, lv in levels.items():
        check_columns(data, [col], name="data")
        lv = list(lv)
        codes = pd.Series(np.arange(1, len(lv) + 1, dtype=float), index=lv)
        mapped = data[col].map(codes)
        bad = data[col].notna() & mapped.isna()
        if bad.any():
            raise CrmlabValueError(f"data column {col!r} has value(s) {_preview(data.loc[bad, col].unique())} "
                                   f"that are not declared levels {lv} (rows {_preview(data.index[bad])})")
        out[col] = mapped
    return out


def standardize(data: pd.DataFrame, columns: Sequence[str], *, method: str = "zscore",
                directions: Mapping[str, str] | None = None, ddof: int = 1) -> pd.DataFrame:
    """Standardise ``columns``: z-scores (x − x̄)/s with ``ddof`` = 1 as SPSS, or min–max.

    ``directions`` maps a column to "benefit" (default) or "cost"; cost columns are
    reversed (−z, or (max − x)/(max − min)).  Zero-variance columns and missing values
    raise, naming the column and rows.
    """
    check_choice(method, "method", STANDARDIZATIONS)
    check_numeric(data, columns, name="data")
    check_no_missing(data, columns, name="data")
    x = data[list(columns)].to_numpy(dtype=float)
    if method == "zscore":
        if len(x) <= ddof:
            raise CrmlabValueError(f"z-scores with ddof={ddof} need more than {ddof} rows, got {len(x)}")
        spread = x.std(axis=0, ddof=ddof)
        z = (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    else:
        lo, hi = x.min(axis=0), x.max(axis=0)
        spread = hi - lo
        z = (x - lo) / np.where(spread > 0, spread, 1.0)
    const = [c for c, s in zip(columns, spread) if not s > 0]
    if const:
        raise CrmlabValueError(f"data column(s) {_preview(const)} have zero variance (every customer has the same value); "
                               "a constant indicator cannot be standardised — drop it from the indicator table")
    if directions:
        unknown = [c for c in directions if c not in columns]
        if unknown:
            raise CrmlabValueError(f"directions name column(s) {unknown} not in columns")
        for k, c in enumerate(columns):
            d = directions.get(c, "benefit")
            check_choice(d, f"directions[{c!r}]", DIRECTIONS)
            if d == "cost":
                z[:, k] = -z[:, k] if method == "zscore" else 1.0 - z[:, k]
    return pd.DataFrame(z, index=data.index, columns=list(columns))


def _split_class(current: np.ndarray, potential: np.ndarray, cut_c: float, cut_p: float, ties: str) -> np.ndarray:
    hi_c = current >= cut_c if ties == "high" else current > cut_c
    hi_p = potential >= cut_p if ties == "high" else potential > cut_p
    codes = np.where(hi_c, np.where(hi_p, 0, 1), np.where(hi_p, 2, 3))
    return np.asarray(VALUE_CLASSES, dtype=object)[codes]


class ValueMatrix:
    """Current-value × potential-value matrix (seed 004 §2.4–3; SPEC §4.3–4.4).

    Parameters
    ----------
    indicators : indicator table (see :func:`check_indicator_table`).
    standardization : "zscore" (SPSS, n − 1; the paper's choice) or "minmax".
    split : "mean" (the paper), "median", or "given" with ``cutoffs``.
    cutoffs : ``{"current": c, "potential": p}`` when ``split="given"``.
    ties : "high" (a score equal to the cut-off counts as high, default) or "low".
    dimension_weights : optional ``{"current": 0.39, "potential": 0.61}``; adds a
        ``total_value`` = Σ dimension weight × dimension score (for ranking).
    missing : "error" (default; names the rows) or "impute_mean" (column mean,
        imputed cells kept in ``imputed_``).

    Fitted attributes: ``indicators_``, ``encoded_`` (ordinal levels as codes),
    ``standardized_`` (signed by direction), ``contributions_`` (weight × standardised),
    ``scores_`` (current_value, potential_value[, total_value], value_class),
    ``cutoffs_`` (Series), ``imputed_``.
    """

    def __init__(self, indicators: pd.DataFrame, *, standardization: str = "zscore", split: str = "mean",
                 cutoffs: Mapping[str, float] | None = None, ties: str = "high",
                 dimension_weights: Mapping[str, float] | None = None, missing: str = "error",
                 weight_atol: float = 1e-4):
        check_choice(standardization, "standardization", STANDARDIZATIONS)
        check_choice(split, "split", ("mean", "median", "given"))
        check_choice(ties, "ties", ("high", "low"))
        check_choice(missing, "missing", ("error", "impute_mean"))
        if split == "given":
            if cutoffs is None or set(cutoffs) != set(DIMENSIONS):
                raise CrmlabValueError(f"split='given' needs cutoffs={{'current': …, 'potential': …}}, got {cutoffs!r}")
            for k, v in cutoffs.items():
                check_scalar(v, f"cutoffs[{k!r}]")
        elif cutoffs is not None:
            raise CrmlabValueError(f"cutoffs are only used with split='given' (split is {split!r})")
        if dimension_weights is not None:
            if set(dimension_weights) != set(DIMENSIONS):
                raise CrmlabValueError(f"dimension_weights must have keys {list(DIMENSIONS)}, got {list(dimension_weights)}")
            s = sum(dimension_weights.values())
            if abs(s - 1) > weight_atol:
                raise CrmlabValueError(f"dimension_weights must sum to 1 (tolerance {weight_atol:g}); they sum to {s:.6g}")
        self.indicators = indicators
        self.standardization = standardization
        self.split = split
        self.cutoffs = cutoffs
        self.ties = ties
        self.dimension_weights = dimension_weights
        self.missing = missing
        self.weight_atol = weight_atol

    def fit(self, data: pd.DataFrame) -> ValueMatrix:
        """Encode, standardise, weight and classify the customers in ``data`` (rows = customers)."""
        if not isinstance(data, pd.DataFrame):
            raise CrmlabValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        if len(data) < 2:
            raise CrmlabValueError(f"data needs at least 2 customers, got {len(data)}")
        if data.index.has_duplicates:
            raise CrmlabValueError(f"data has duplicated customer ids {_preview(data.index[data.index.duplicated()].unique())} "
                                   "in its index; one row per customer is needed (a duplicate would shift every "
                                   "customer's standardised score and the cut-offs)")
        ind = check_indicator_table(self.indicators, data, weight_atol=self.weight_atol)
        cols = list(ind["indicator"])
        levels = {r.indicator: _levels(r.levels) for r in ind.itertuples() if _levels(r.levels) is not None}
        encoded = encode_ordinal(data[cols], levels)
        check_numeric(encoded, cols, name="data")
        na = encoded.isna()
        if na.to_numpy().any():
            if self.missing == "error":
                check_no_missing(encoded, cols, name="data")
            encoded = encoded.fillna(encoded.mean())
        directions = dict(zip(ind["indicator"], ind["direction"]))
        z = standardize(encoded, cols, method=self.standardization, directions=directions)
        w = ind.set_index("indicator")["weight"]
        contrib = z * w[cols].to_numpy()
        dims = ind.set_index("indicator")["dimension"][cols]
        scores = pd.DataFrame({f"{d}_value": contrib.loc[:, (dims == d).to_numpy()].sum(axis=1) for d in DIMENSIONS}, index=data.index)
        if self.dimension_weights is not None:
            scores["total_value"] = sum(self.dimension_weights[d] * scores[f"{d}_value"] for d in DIMENSIONS)
        scores["value_class"], cut = self._classify(scores)
        self.indicators_, self.encoded_, self.standardized_ = ind, encoded, z
        self.contributions_, self.scores_, self.cutoffs_, self.imputed_ = contrib, scores, cut, na
        self.settings = {"standardization": self.standardization, "ddof": 1 if self.standardization == "zscore" else None,
                         "split": self.split, "ties": self.ties, "missing": self.missing,
                         "dimension_weights": self.dimension_weights}
        return self

    def _classify(self, scores: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
        """Value class per customer and the cut-offs of ``split`` (a score equal to a cut-off goes to ``ties``)."""
        if self.split == "given":
            cut = pd.Series({d: float(self.cutoffs[d]) for d in DIMENSIONS})
        else:
            agg = np.mean if self.split == "mean" else np.median
            cut = pd.Series({d: float(agg(scores[f"{d}_value"].to_numpy())) for d in DIMENSIONS})
        cut.name = f"cutoff ({self.split})"
        classes = _split_class(scores["current_value"].to_numpy(), scores["potential_value"].to_numpy(),
                               cut["current"], cut["potential"], self.ties)
        return classes, cut

    def with_split(self, split: str, cutoffs: Mapping[str, float] | None = None, *, ties: str | None = None) -> ValueMatrix:
        """A copy of this fitted matrix split another way ("mean", "median" or "given" ``cutoffs``), nothing refitted:
        the scores stay, the cut-offs and classes change (for what-if exploration of the split)."""
        check_is_fitted(self, "scores_")
        other = ValueMatrix(self.indicators, standardization=self.standardization, split=split, cutoffs=cutoffs,
                            ties=self.ties if ties is None else ties, dimension_weights=self.dimension_weights,
                            missing=self.missing, weight_atol=self.weight_atol)
        scores = self.scores_.copy()
        scores["value_class"], cut = other._classify(scores)
        other.indicators_, other.encoded_, other.standardized_ = self.indicators_, self.encoded_, self.standardized_
        other.contributions_, other.scores_, other.cutoffs_, other.imputed_ = self.contributions_, scores, cut, self.imputed_
        other.settings = {**self.settings, "split": split, "ties": other.ties}
        return other

    def summary(self) -> pd.DataFrame:
        """Settings, cut-offs and class counts as one two-column table."""
        check_is_fitted(self, "scores_")
        counts = self.scores_["value_class"].value_counts().reindex(VALUE_CLASSES, fill_value=0)
        rows = {"standardization": self.standardization + (" (n − 1)" if self.standardization == "zscore" else ""),
                "split": self.split, "ties": f"score = cut-off counts as {self.ties}",
                "cutoff_current": self.cutoffs_["current"], "cutoff_potential": self.cutoffs_["potential"],
                "n_customers": len(self.scores_), "n_imputed_cells": int(self.imputed_.to_numpy().sum())}
        rows.update({f"n_{c}": int(counts[c]) for c in VALUE_CLASSES})
        return pd.DataFrame({"value": list(rows.values())}, index=pd.Index(list(rows), name="setting"))

    def profile(self, data: pd.DataFrame | None = None, *, revenue: str | None = None, profit: str | None = None) -> pd.DataFrame:
        """Per class: count, share of customers, share of revenue/profit, mean scores and mean indicators, and the
        key of the class's strategy (seed 004 §3; displayed through the term table)."""
        check_is_fitted(self, "scores_")
        frame = self.scores_.join(self.encoded_)
        money = [c for c in (revenue, profit) if c is not None]
        if money:
            if data is None:
                raise CrmlabValueError("profile(revenue=…/profit=…) needs the data frame the matrix was fitted on")
            check_numeric(data, money, name="data")
            if not data.index.equals(self.scores_.index):
                raise CrmlabValueError("data passed to profile() must have the same rows (index) as the fitted data")
            for c in money:
                frame[f"_{c}"] = data[c]
        g = frame.groupby("value_class", sort=False)
        out = pd.DataFrame({"count": g.size()}).reindex(VALUE_CLASSES, fill_value=0)
        out["customer_share"] = out["count"] / out["count"].sum()
        for c, key in ((revenue, "revenue_share"), (profit, "profit_share")):
            if c is not None:
                out[key] = (g[f"_{c}"].sum() / data[c].sum()).reindex(VALUE_CLASSES)
        means = g[[c for c in frame.columns if c not in ("value_class",) and not c.startswith("_")]].mean().reindex(VALUE_CLASSES)
        out = out.join(means.add_prefix("mean_"))
        out["strategy"] = [f"vm_{c}_strategy" for c in VALUE_CLASSES]
        out.index.name = "value_class"
        return out


# --------------------------------------------------------------------------- Pareto
def _values(values, name: str = "values", *, nonnegative: bool = False) -> np.ndarray:
    v = as_float_array(values.to_numpy() if isinstance(values, pd.Series) else values, name)
    if v.ndim != 1 or v.size == 0:
        raise CrmlabValueError(f"{name} must be a non-empty 1-D sequence, got shape {v.shape}")
    if np.isnan(v).any():
        idx = values.index[np.isnan(v)] if isinstance(values, pd.Series) else np.flatnonzero(np.isnan(v))
        raise CrmlabValueError(f"{name} has missing values at {_preview(idx)}")
    if not np.all(np.isfinite(v)):
        raise CrmlabValueError(f"{name} must be finite")
    if nonnegative and (v < 0).any():
        raise CrmlabValueError(f"{name} has negative values {_preview(np.unique(v[v < 0]))}; the Lorenz curve and Gini "
                               "need non-negative values (use pareto_table for profits that can be negative)")
    return v


def lorenz_curve(values) -> pd.DataFrame:
    """Lorenz curve: cumulative share of customers (poorest first) vs cumulative share of value, from (0, 0)."""
    v = np.sort(_values(values, nonnegative=True))
    total = v.sum()
    if total <= 0:
        raise CrmlabValueError("values sum to 0; a Lorenz curve needs a positive total")
    n = v.size
    return pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": np.concatenate([[0.0], np.cumsum(v) / total])})


def gini(values) -> float:
    """Gini coefficient of non-negative values, G = Σᵢ (2i − n − 1) x₍ᵢ₎ / (n Σ x), x sorted ascending."""
    v = np.sort(_values(values, nonnegative=True))
    n, total = v.size, v.sum()
    if total <= 0:
        raise CrmlabValueError("values sum to 0; the Gini coefficient needs a positive total")
    i = np.arange(1, n + 1)
    return float(((2 * i - n - 1) * v).sum() / (n * total))


def pareto_curve(values) -> pd.DataFrame:
    """Cumulative share of the total held by the top customers (largest first), from (0, 0).

    Negative values (loss-making customers) are allowed: the curve can then exceed 1
    before falling back (the "whale curve" of customer profitability).
    """
    v = np.sort(_values(values))[::-1]
    total = v.sum()
    if total <= 0:
        raise CrmlabValueError(f"values sum to {total:g}; shares need a positive total")
    n = v.size
    return pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": np.concatenate([[0.0], np.cumsum(v) / total])})


def pareto_table(values, *, top: Sequence[float] = (0.01, 0.05, 0.1, 0.2, 0.5)) -> pd.DataFrame:
    """Share of the total from the top x % of customers (linear interpolation on :func:`pareto_curve`)."""
    top = check_finite_vector(top, "top")
    if np.any((top <= 0) | (top > 1)):
        raise CrmlabValueError(f"top must be shares in (0, 1], got {top.tolist()}")
    curve = pareto_curve(values)
    share = np.interp(top, curve["customer_share"], curve["value_share"])
    return pd.DataFrame({"top_customer_share": top, "value_share": share})


# --------------------------------------------------------------------------- tiers
TIER_LABELS = ("vip", "major", "ordinary", "small")
TIER_SHARES = (0.01, 0.04, 0.15, 0.80)


@dataclass
class TierResult:
    """Tier per customer, the cut-offs that produced it, and the settings (``order`` top-down, ``rule``)."""

    tiers: pd.Series
    cutoffs: pd.DataFrame
    settings: dict


def assign_tiers(values, *, shares: Sequence[float] | None = TIER_SHARES, cutoffs: Sequence[float] | None = None,
                 labels: Sequence[str] = TIER_LABELS) -> TierResult:
    """Customer pyramid by CLV or profit (Curry & Curry 2000; tier names after seed 003 §2.1.1).

    Either ``shares`` (top to bottom, summing to 1; cut-offs are linear quantiles of the
    values) or explicit value ``cutoffs`` (descending, one fewer than labels).  A
    customer is in the highest tier whose cut-off it reaches (value ≥ cut-off).
    """
    v = _values(values)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(v))
    if isinstance(values, pd.Series) and index.has_duplicates:
        raise CrmlabValueError(f"values has duplicated customer ids {_preview(index[index.duplicated()].unique())}")
    labels = tuple(labels)
    if cutoffs is None:
        sh = np.asarray(shares, dtype=float)
        if len(sh) != len(labels) or np.any(sh <= 0) or abs(sh.sum() - 1) > 1e-9:
            raise CrmlabValueError(f"shares must be {len(labels)} positive numbers (one per tier {list(labels)}) summing to 1, got {list(sh)}")
        if v.size < 2 or v.min() == v.max():
            raise CrmlabValueError(f"all {v.size} value(s) equal {v[0]:g}: tiers by shares of customers need values that "
                                   "differ (every customer would tie into the top tier); give explicit cutoffs instead")
        cut = np.quantile(v, 1 - np.cumsum(sh)[:-1])
        rule = "linear quantile of the values at 1 − cumulative share"
    else:
        cut = np.asarray(cutoffs, dtype=float)
        if len(cut) != len(labels) - 1 or np.any(np.diff(cut) > 0):
            raise CrmlabValueError(f"cutoffs must be {len(labels) - 1} values in descending order (between tiers {list(labels)}), got {list(cut)}")
        rule = "given"
    code = (v[:, None] < cut[None, :]).sum(axis=1)  # number of cut-offs the value misses
    tiers = pd.Series(pd.Categorical(np.asarray(labels, dtype=object)[code], categories=labels, ordered=True), index=index, name="tier")
    counts = np.bincount(code, minlength=len(labels))
    lower = np.concatenate([cut, [v.min()]])
    upper = np.concatenate([[v.max()], cut])
    table = pd.DataFrame({"tier": labels, "lower_cutoff": lower, "upper_cutoff": upper, "customers": counts,
                          "customer_share": counts / len(v)})
    return TierResult(tiers=tiers, cutoffs=table, settings={"order": labels, "rule": rule,
                                                            "shares": None if cutoffs is not None else tuple(shares),
                                                            "ties": "value ≥ cut-off reaches the tier"})


def _check_tiers(tiers: pd.Series, order: Sequence[str], name: str) -> pd.Series:
    if not isinstance(tiers, pd.Series):
        raise CrmlabValueError(f"{name} must be a pandas Series indexed by customer id")
    bad = tiers[~tiers.isin(order)]
    if len(bad):
        raise CrmlabValueError(f"{name} has tier label(s) {_preview(bad.astype(str).unique())} not in order {list(order)} (customers {_preview(bad.index)})")
    if tiers.index.has_duplicates:
        raise CrmlabValueError(f"{name} has duplicate customer ids {_preview(tiers.index[tiers.index.duplicated()].unique())}")
    return tiers.astype(str)


def tier_revenue_table(tiers: pd.Series, revenue: pd.Series, cost: pd.Series | None = None, *,
                       order: Sequence[str] = TIER_LABELS) -> pd.DataFrame:
    """Data of Kotler's revenue-by-tier chart (seed 002): per tier, customers (bar width),
    revenue and cost per customer (bar heights), totals, and the bar's left edge."""
    tiers = _check_tiers(tiers, order, "tiers")
    frame = pd.DataFrame({"tier": tiers})
    for name, s in (("revenue", revenue), ("cost", cost)):
        if s is None:
            continue
        if not isinstance(s, pd.Series) or not s.index.equals(tiers.index):
            raise CrmlabValueError(f"{name} must be a Series with the same customer index as tiers")
        frame[name] = _values(s, name)
    g = frame.groupby("tier")
    out = pd.DataFrame({"customers": g.size()}).reindex(list(order), fill_value=0)
    out["revenue_total"] = g["revenue"].sum().reindex(list(order), fill_value=0.0)
    out["revenue_per_customer"] = out["revenue_total"] / out["customers"].where(out["customers"] > 0)
    if cost is not None:
        out["cost_total"] = g["cost"].sum().reindex(list(order), fill_value=0.0)
        out["cost_per_customer"] = out["cost_total"] / out["customers"].where(out["customers"] > 0)
        out["profit_per_customer"] = out["revenue_per_customer"] - out["cost_per_customer"]
    out["x_left"] = np.concatenate([[0], np.cumsum(out["customers"].to_numpy())[:-1]])
    out.index.name = "tier"
    return out


@dataclass
class TierKPIs:
    """Period-over-period KPIs of the customer ladder (seed 002) and the migration matrix."""

    rates: pd.Series
    migration: pd.DataFrame
    profitability: pd.DataFrame | None


def tier_kpis(tiers_before: pd.Series, tiers_after: pd.Series, *, order: Sequence[str] = TIER_LABELS,
              profit_before: pd.Series | None = None, profit_after: pd.Series | None = None) -> TierKPIs:
    """KPIs between two periods (seed 002): rates over the customers at the start of the period.

    new-customer rate = customers only in the second period ÷ customers at start;
    churn rate = customers of the first period absent in the second ÷ customers at start
    (SPEC §3.4); upgrade (downgrade) rate = customers present in both periods whose tier
    rose (fell) ÷ customers at start; ``order`` runs from the top tier down.  The
    migration matrix counts customers from each tier (rows, plus "new") to each tier
    (columns, plus "lost").  Average profitability per tier needs the profit Series.
    """
    b = _check_tiers(tiers_before, order, "tiers_before")
    a = _check_tiers(tiers_after, order, "tiers_after")
    rank = {lab: i for i, lab in enumerate(order)}
    n0 = len(b)
    if n0 == 0:
        raise CrmlabValueError("tiers_before is empty; rates are relative to the customers at the start")
    both = b.index.intersection(a.index)
    new = a.index.difference(b.index)
    lost = b.index.difference(a.index)
    rb = b[both].map(rank).to_numpy()
    ra = a[both].map(rank).to_numpy()
    rates = pd.Series({"customers_start": n0, "customers_end": len(a), "new_customers": len(new), "lost_customers": len(lost),
                       "upgraded_customers": int((ra < rb).sum()), "downgraded_customers": int((ra > rb).sum()),
                       "new_customer_rate": len(new) / n0, "churn_rate": len(lost) / n0,
                       "retention_rate": len(both) / n0, "upgrade_rate": float((ra < rb).sum() / n0),
                       "downgrade_rate": float((ra > rb).sum() / n0)}).rename_axis("metric")
    frm = pd.concat([b[both], pd.Series("new", index=new), b[lost]])
    to = pd.concat([a[both], a[new], pd.Series("lost", index=lost)])
    mig = pd.crosstab(pd.Categorical(frm.to_numpy(), categories=[*order, "new"]),
                      pd.Categorical(to[frm.index].to_numpy(), categories=[*order, "lost"]), dropna=False)
    mig.index.name, mig.columns.name = "from", "to"
    prof = None
    if profit_before is not None or profit_after is not None:
        cols = {}
        for name, tiers, p in (("before", b, profit_before), ("after", a, profit_after)):
            if p is None:
                continue
            if not isinstance(p, pd.Series) or not p.index.equals(tiers.index):
                raise CrmlabValueError(f"profit_{name} must be a Series with the same customer index as tiers_{name}")
            cols[f"avg_profit_{name}"] = pd.Series(_values(p, f"profit_{name}"), index=p.index).groupby(tiers).mean().reindex(list(order))
        prof = pd.DataFrame(cols)
        prof.index.name = "tier"
    return TierKPIs(rates=rates, migration=mig, profitability=prof)


# --------------------------------------------------------------------------- RFM
@dataclass
class RFMScores:
    """RFM scores (1 = worst … bins = best), the thresholds that produced them, and the settings."""

    scores: pd.DataFrame
    thresholds: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        """Customers per score level for R, F and M."""
        return pd.DataFrame({c: self.scores[c].value_counts().sort_index() for c in ("r_score", "f_score", "m_score")}).fillna(0).astype(int)


def rfm_scores(rfm, *, bins: int = 5) -> RFMScores:
    """Quantile RFM scores that respect ties and do not depend on row order.

    For each of R, F, M the thresholds are the linear quantiles at k/bins (k = 1 … bins − 1)
    of the signed values (−recency, frequency, monetary); score = 1 + number of thresholds
    strictly below the value, so equal values share a score and a value on a threshold
    takes the lower score.  With many ties (e.g. frequency = 1) some score levels stay
    empty — the thresholds table shows why.  ``rfm``: the result of
    :meth:`crmlab.transactions.TransactionLog.rfm` or a DataFrame with those three columns.
    """
    rfm, _ = table_and_settings(rfm, "rfm")
    check_columns(rfm, ["recency", "frequency", "monetary"], name="rfm")
    check_numeric(rfm, ["recency", "frequency", "monetary"], name="rfm")
    check_no_missing(rfm, ["recency", "frequency", "monetary"], name="rfm")
    if rfm.index.has_duplicates:
        raise CrmlabValueError(f"rfm has duplicated customer ids {_preview(rfm.index[rfm.index.duplicated()].unique())}; "
                               "one row per customer is needed")
    if len(rfm) < 2:
        raise CrmlabValueError(f"rfm has {len(rfm)} customer(s); quantile scores need at least 2")
    if not np.isfinite(rfm[["recency", "frequency", "monetary"]].to_numpy(dtype=float)).all():
        raise CrmlabValueError("rfm recency, frequency and monetary must be finite")
    bins = check_scalar(bins, "bins", low=2, high=10, integer=True)
    probs = np.arange(1, bins) / bins
    scores, rows = {}, []
    for col, key, sign in (("recency", "r_score", -1.0), ("frequency", "f_score", 1.0), ("monetary", "m_score", 1.0)):
        x = sign * rfm[col].to_numpy(dtype=float)
        th = np.quantile(x, probs)
        scores[key] = (1 + np.searchsorted(th, x, side="left")).astype(np.int8)
        for k in range(bins):
            lo = -np.inf if k == 0 else th[k - 1]
            hi = np.inf if k == bins - 1 else th[k]
            lo_o, hi_o = (lo, hi) if sign > 0 else (-hi, -lo)
            rule = (f"{lo_o:g} < {col} ≤ {hi_o:g}" if sign > 0 else f"{lo_o:g} ≤ {col} < {hi_o:g}")
            rows.append({"variable": col, "score": k + 1, "lower": lo_o, "upper": hi_o, "rule": rule,
                         "customers": int(np.bincount(scores[key], minlength=bins + 1)[k + 1])})
    out = pd.DataFrame(scores, index=rfm.index)
    out["rfm_cell"] = 100 * out["r_score"].astype(np.int16) + 10 * out["f_score"] + out["m_score"]  # e.g. 555
    thresholds = pd.DataFrame(rows)
    return RFMScores(scores=out, thresholds=thresholds, settings={
        "bins": bins, "rule": "score = 1 + #thresholds strictly below the value (recency negated); linear quantiles"})


RFM_SEGMENT_RULES = pd.DataFrame(
    [("champions", 5, 5, 5, 5, 5, 5), ("potential_loyalist", 3, 5, 3, 5, 2, 5), ("loyal_customers", 2, 4, 2, 4, 2, 4),
     ("promising", 3, 4, 1, 3, 3, 5), ("new_customers", 4, 5, 1, 3, 1, 5), ("cant_lose_them", 1, 2, 3, 4, 4, 5),
     ("at_risk", 1, 2, 2, 5, 4, 5), ("need_attention", 1, 3, 3, 5, 3, 5), ("about_to_sleep", 2, 3, 1, 3, 1, 4),
     ("lost", 1, 1, 1, 5, 1, 5)],
    columns=["segment", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"],
)
"""Default RFM segment rules (5-level scores): the example of R's ``rfm`` package (``rfm_segment``
documentation), whose current implementation also lets the first matching rule win."""


@dataclass
class RFMSegments:
    """Segment per customer, the rule table with customers per rule (and an "unassigned" row), and the settings."""

    segments: pd.Series
    table: pd.DataFrame
    settings: dict


def assign_segments(scores: RFMScores, rules: pd.DataFrame = RFM_SEGMENT_RULES) -> RFMSegments:
    """Name each customer's RFM segment by the first rule (top-down) whose score ranges contain it.

    The rules must be written for the scores' number of levels (the default rules are for
    5-level scores: with ``bins=10`` most customers would match nothing).  Customers no
    rule covers are labelled "unassigned", counted in the table's last row, and a
    warning says how many.
    """
    if not isinstance(scores, RFMScores):
        raise CrmlabValueError(f"scores must be the RFMScores result of rfm_scores(), got {type(scores).__name__}")
    s, bins = scores.scores, scores.settings["bins"]
    check_columns(s, ["r_score", "f_score", "m_score"], name="scores")
    check_columns(rules, ["segment", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"], name="rules")
    bad = rules[(rules["r_min"] > rules["r_max"]) | (rules["f_min"] > rules["f_max"]) | (rules["m_min"] > rules["m_max"])]
    if len(bad):
        raise CrmlabValueError(f"rules: min above max for segment(s) {_preview(bad['segment'])}")
    bounds = rules[["r_min", "r_max", "f_min", "f_max", "m_min", "m_max"]].to_numpy(dtype=float)
    if bounds.min() < 1 or bounds.max() != bins:
        raise CrmlabValueError(f"rules are written for scores {bounds.min():g}…{bounds.max():g} but the scores run 1…{bins} "
                               f"(rfm_scores bins={bins}); give rules whose score ranges reach exactly {bins}")
    r, f, m = (s[c].to_numpy() for c in ("r_score", "f_score", "m_score"))
    seg = np.full(len(s), len(rules), dtype=np.int64)
    for k, rule in enumerate(rules.itertuples(index=False)):  # loop over rules, not customers
        hit = (seg == len(rules)) & (r >= rule.r_min) & (r <= rule.r_max) & (f >= rule.f_min) & (f <= rule.f_max) & (m >= rule.m_min) & (m <= rule.m_max)
        seg[hit] = k
    names = np.append(rules["segment"].to_numpy(dtype=object), "unassigned")
    segments = pd.Series(names[seg], index=s.index, name="segment")
    table = pd.concat([rules, pd.DataFrame({"segment": ["unassigned"]})], ignore_index=True)
    table["customers"] = np.bincount(seg, minlength=len(rules) + 1)
    table["customer_share"] = table["customers"] / len(s)
    unassigned = int(table["customers"].iloc[-1])
    if unassigned:
        import warnings

        warnings.warn(f"{unassigned} of {len(s)} customers match no RFM segment rule and are labelled 'unassigned'",
                      UserWarning, stacklevel=2)
    return RFMSegments(segments=segments, table=table,
                       settings={"rule": "first matching rule wins", "bins": bins, "unassigned": unassigned})


def segment_profile(rfm, segments: pd.Series) -> pd.DataFrame:
    """Per segment: customers, share, mean recency/frequency/monetary, share of total monetary."""
    rfm, _ = table_and_settings(rfm, "rfm")
    check_finite(rfm, ["recency", "frequency", "monetary"], name="rfm")
    if not isinstance(segments, pd.Series) or not segments.index.equals(rfm.index):
        raise CrmlabValueError("segments must have the same customer index as rfm")
    g = rfm[["recency", "frequency", "monetary"]].groupby(segments.rename("segment"))
    out = g.mean().add_prefix("mean_")
    out.insert(0, "customers", g.size())
    out.insert(1, "customer_share", out["customers"] / len(rfm))
    out["monetary_share"] = g["monetary"].sum() / rfm["monetary"].sum()
    return out.sort_values("customers", ascending=False, kind="mergesort")


class RFMKMeans:
    """k-means on log-transformed, standardised RFM; k chosen by a sampled mean silhouette.

    Transform: ln(1 + x) of recency, frequency, monetary, then z-scores (n − 1) — RFM is
    heavily right-skewed and k-means uses Euclidean distance.  For each k in ``k_values``
    KMeans (scikit-learn, ``n_init``) is fitted on all customers; the silhouette
    (Rousseeuw 1987) is computed on ``sample_size`` customers drawn with
    ``random_state``.  The chosen ``k_`` maximises it.
    Fitted: ``k_``, ``labels_``, ``silhouette_`` (per k), ``centers_`` (mean R, F, M per
    cluster in original units), ``sample_index_``, ``silhouette_samples_`` (chosen k).
    """

    def __init__(self, *, k_values: Sequence[int] = range(2, 9), sample_size: int = 2000, n_init: int = 4,
                 random_state: int = 0, max_iter: int = 300, on_nonconvergence: str = "raise"):
        self.k_values = [check_scalar(k, "k_values entry", low=2, integer=True) for k in k_values]
        if not self.k_values:
            raise CrmlabValueError("k_values must hold at least one k ≥ 2")
        self.sample_size = check_scalar(sample_size, "sample_size", low=10, integer=True)
        self.n_init = check_scalar(n_init, "n_init", low=1, integer=True)
        self.random_state = check_random_state(random_state)
        self.max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
        check_choice(on_nonconvergence, "on_nonconvergence", CONVERGENCE_POLICIES)
        self.on_nonconvergence = on_nonconvergence

    @staticmethod
    def transform(rfm: pd.DataFrame) -> np.ndarray:
        """ln(1 + x) then z-scores (n − 1) of recency, frequency, monetary."""
        cols = ["recency", "frequency", "monetary"]
        check_numeric(rfm, cols, name="rfm")
        check_no_missing(rfm, cols, name="rfm")
        x = rfm[cols].to_numpy(dtype=float)
        if (x < 0).any():
            raise CrmlabValueError("rfm has negative recency/frequency/monetary values; ln(1 + x) needs x ≥ 0")
        return standardize(pd.DataFrame(np.log1p(x), columns=cols), cols).to_numpy()

    def fit(self, rfm: pd.DataFrame) -> RFMKMeans:
        """Fit k-means for each k and keep the one with the highest sampled silhouette."""
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_samples

        x = self.transform(rfm)
        n = len(x)
        if max(self.k_values) >= n:
            raise CrmlabValueError(f"k_values go up to {max(self.k_values)} but there are only {n} customers")
        rng = np.random.default_rng(self.random_state)
        sample = np.sort(rng.choice(n, size=min(self.sample_size, n), replace=False))
        rows, fits = [], {}
        for k in self.k_values:
            km = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state, max_iter=self.max_iter).fit(x)
            check_convergence(km.n_iter_ < self.max_iter, what=f"k-means with k={k}",
                              detail=f"its best run used all {self.max_iter} iterations", policy=self.on_nonconvergence)
            lab = km.labels_[sample]
            sil = silhouette_samples(x[sample], lab) if len(np.unique(lab)) > 1 else np.full(len(sample), np.nan)
            fits[k] = (km, sil)
            rows.append({"k": k, "silhouette": float(np.mean(sil)), "inertia": float(km.inertia_)})
        self.silhouette_ = pd.DataFrame(rows).set_index("k")
        self.k_ = int(self.silhouette_["silhouette"].idxmax())
        km, sil = fits[self.k_]
        self.model_ = km
        self.labels_ = pd.Series(km.labels_, index=rfm.index, name="cluster")
        self.sample_index_ = rfm.index[sample]
        self.silhouette_samples_ = pd.DataFrame({"cluster": km.labels_[sample], "silhouette": sil}, index=self.sample_index_)
        centers = rfm[["recency", "frequency", "monetary"]].groupby(self.labels_).mean()
        centers.insert(0, "customers", self.labels_.value_counts().sort_index())
        self.centers_ = centers
        return self

    def summary(self) -> pd.DataFrame:
        """Silhouette and inertia per k, with the chosen k marked."""
        check_is_fitted(self, "k_")
        out = self.silhouette_.copy()
        out["chosen"] = out.index == self.k_
        return out
