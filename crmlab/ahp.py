"""Analytic hierarchy process (AHP, 层次分析法): priorities, consistency, groups, hierarchies.

Sources
-------
- Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill — 1–9 scale,
  principal-eigenvector priorities, CI = (λmax − n)/(n − 1), CR = CI/RI, accept CR < 0.10 (SPEC §4.2).
- Crawford, G. & Williams, C. (1985). A note on the analysis of subjective judgment
  matrices. *J. Math. Psychology* 29, 387–405 — geometric-mean (row) priorities.
- Harker, P. T. (1987). Incomplete pairwise comparisons in the AHP. *Math. Modelling*
  9(11), 837–848 — eigenvector of the completed matrix for missing judgments.
- Saaty, T. L. (2003). Decision-making with the AHP: why is the principal eigenvector
  necessary. *EJOR* 145, 85–91 — the judgment with the largest εᵢⱼ = aᵢⱼ·wⱼ/wᵢ is the
  first to revise.  We rank judgments by |ln εᵢⱼ| (symmetric in i, j; Aguarón &
  Moreno-Jiménez 2003, *EJOR* 147, 137–145, build their GCI from the same terms).
- Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities
  with the AHP. *EJOR* 108, 165–169 — AIJ (geometric mean of judgments) and AIP
  (mean of individual priorities).
- Seed 004 §2.3 (SPEC §4.2): experts weighted equally, priorities averaged
  arithmetically (AIP, arithmetic), global weight = criterion weight × local weight.

Random-index tables (``RANDOM_INDEX``; the table used is reported with every result):
``"saaty1980"`` (Saaty 1980, n ≤ 10 as printed there; 11–15 as widely reproduced
from the same source: 1.51, 1.48, 1.56, 1.57, 1.59), ``"saaty2005"`` (Saaty 2005,
*Theory and Applications of the ANP*, p. 31), ``"alonso_lamata"`` (Alonso &
Lamata 2006, *Int. J. Uncertainty, Fuzziness & Knowledge-Based Systems* 14(4),
445–459, 100 000 matrices), ``"donegan_dodd"`` (Donegan & Dodd 1991, *Math. Comput.
Modelling* 15(10), 135–137).  Default ``"saaty1980"`` — the table used by the
Chinese course material (RI(3) = 0.58).

Validation rules: entries must be finite and > 0; the matrix must be reciprocal,
|aᵢⱼ·aⱼᵢ − 1| ≤ ``reciprocal_tol`` (default 1e-6 — so 0.333 for 1/3 is rejected;
write 1/3); judgments outside Saaty's 1/9…9 raise by default (``scale="error"``),
or only warn with ``scale="warn"``.  Missing judgments (NaN, both aᵢⱼ and aⱼᵢ) are
allowed with ``allow_missing=True`` if the comparisons still connect all items.
Nothing is rounded inside the computation; round only for display.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from .validation import CrmlabValueError, _preview, check_choice, check_scalar, check_weights

SAATY_SCALE = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])
CR_THRESHOLD = 0.10
METHODS = ("eigenvector", "geometric_mean")

RANDOM_INDEX: dict[str, dict[int, float]] = {
    "saaty1980": {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
                  10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59},
    "saaty2005": {1: 0.0, 2: 0.0, 3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45,
                  10: 1.49, 11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59},
    "alonso_lamata": {1: 0.0, 2: 0.0, 3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417,
                      8: 1.4056, 9: 1.4499, 10: 1.4854, 11: 1.5141, 12: 1.5365, 13: 1.5551,
                      14: 1.5713, 15: 1.5838},
    "donegan_dodd": {1: 0.0, 2: 0.0, 3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519,
                     8: 1.3171, 9: 1.3733, 10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643,
                     14: 1.4822, 15: 1.4969},
}


def random_index(n: int, table: str = "saaty1980") -> float:
    """Random consistency index RI(n) from the named table (see module docstring for sources)."""
    check_choice(table, "random_index", RANDOM_INDEX)
    ri = RANDOM_INDEX[table]
    if n not in ri:
        covering = [k for k, v in RANDOM_INDEX.items() if n in v]
        raise CrmlabValueError(
            f"random_index table {table!r} has no RI for n = {n} (covers n ≤ {max(ri)}); "
            f"tables covering n = {n}: {covering or 'none'}"
        )
    return ri[n]


# --------------------------------------------------------------------------- input
def pairwise_matrix(judgments: Mapping[tuple[str, str], float], items: Sequence[str]) -> pd.DataFrame:
    """Build a reciprocal matrix from ``{(a, b): how much more important a is than b}``.

    The diagonal is 1, aⱼᵢ = 1/aᵢⱼ, pairs not given are NaN (an incomplete matrix).
    """
    items = list(items)
    if len(set(items)) != len(items):
        raise CrmlabValueError(f"items must be unique, got {_preview(items, 20)}")
    pos = {k: i for i, k in enumerate(items)}
    m = np.full((len(items), len(items)), np.nan)
    np.fill_diagonal(m, 1.0)
    for (a, b), v in judgments.items():
        for name in (a, b):
            if name not in pos:
                raise CrmlabValueError(f"judgment ({a!r}, {b!r}) names unknown item {name!r}; items: {_preview(items, 20)}")
        if a == b:
            raise CrmlabValueError(f"judgment ({a!r}, {b!r}) compares an item with itself")
        v = check_scalar(v, f"judgment ({a!r}, {b!r})", low=0, low_inclusive=False)
        m[pos[a], pos[b]], m[pos[b], pos[a]] = v, 1.0 / v
    return pd.DataFrame(m, index=items, columns=items)


def _as_matrix(matrix, items, name: str) -> tuple[np.ndarray, list[str]]:
    if isinstance(matrix, pd.DataFrame):
        if list(matrix.index) != list(matrix.columns):
            raise CrmlabValueError(f"{name}: row labels {_preview(matrix.index, 15)} must equal column labels {_preview(matrix.columns, 15)} in the same order")
        labels = [str(x) for x in matrix.index] if items is None else list(items)
        a = matrix.to_numpy(dtype=float)
    else:
        try:
            a = np.asarray(matrix, dtype=float)
        except (TypeError, ValueError) as exc:
            raise CrmlabValueError(f"{name} must be a numeric square matrix: {exc}") from None
        labels = None if items is None else list(items)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise CrmlabValueError(f"{name} must be square (n × n), got shape {a.shape}")
    n = a.shape[0]
    if n < 1:
        raise CrmlabValueError(f"{name} is empty")
    if labels is None:
        labels = [f"item_{i + 1}" for i in range(n)]
    if len(labels) != n or len(set(labels)) != n:
        raise CrmlabValueError(f"{name}: items must be {n} unique labels, got {_preview(labels, 20)}")
    return a, labels


def check_pairwise_matrix(
    matrix,
    *,
    items: Sequence[str] | None = None,
    reciprocal_tol: float = 1e-6,
    scale: str = "error",
    allow_missing: bool = False,
    name: str = "matrix",
) -> tuple[np.ndarray, list[str]]:
    """Validate a pairwise comparison matrix and return ``(array, item labels)``.

    Rules (each error names the entry and the rule): square; entries finite and > 0
    (NaN only for missing judgments with ``allow_missing``); diagonal 1; reciprocal
    within ``reciprocal_tol`` (|aᵢⱼ·aⱼᵢ − 1|); Saaty's 1/9…9 (``scale="error"`` raises,
    ``"warn"`` warns, ``"ignore"`` accepts ratio data); comparisons connect all items.
    """
    check_choice(scale, "scale", ("error", "warn", "ignore"))
    check_scalar(reciprocal_tol, "reciprocal_tol", low=0)
    a, labels = _as_matrix(matrix, items, name)
    lab = lambda i, j: f"[{labels[i]!r}, {labels[j]!r}]"  # noqa: E731
    missing = np.isnan(a)
    if missing.any():
        if not allow_missing:
            i, j = np.argwhere(missing)[0]
            raise CrmlabValueError(f"{name} entry {lab(i, j)} is missing; pass allow_missing=True for an incomplete matrix (Harker 1987)")
        asym = missing != missing.T
        if asym.any():
            i, j = np.argwhere(asym)[0]
            raise CrmlabValueError(f"{name} entry {lab(i, j)} is {a[i, j]!r} but {lab(j, i)} is {a[j, i]!r}; a missing judgment must be missing in both places")
        if np.diag(missing).any():
            i = int(np.flatnonzero(np.diag(missing))[0])
            raise CrmlabValueError(f"{name} diagonal entry {lab(i, i)} is missing; the diagonal must be 1")
    present = ~missing
    bad = present & ~np.isfinite(a)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise CrmlabValueError(f"{name} entry {lab(i, j)} = {a[i, j]!r} is not finite")
    bad = present & (a <= 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise CrmlabValueError(f"{name} entry {lab(i, j)} = {a[i, j]:g} is not positive; pairwise judgments are ratios > 0")
    diag = np.diag(a)
    if np.any(np.abs(diag - 1) > reciprocal_tol):
        i = int(np.flatnonzero(np.abs(diag - 1) > reciprocal_tol)[0])
        raise CrmlabValueError(f"{name} diagonal entry {lab(i, i)} = {diag[i]:g}; an item compared with itself must be 1")
    prod = np.where(present, a * a.T, 1.0)
    bad = np.abs(prod - 1) > reciprocal_tol
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise CrmlabValueError(
            f"{name} is not reciprocal: {lab(i, j)} = {a[i, j]:g} and {lab(j, i)} = {a[j, i]:g}, "
            f"product {a[i, j] * a[j, i]:.8g} ≠ 1 (rule |aᵢⱼ·aⱼᵢ − 1| ≤ {reciprocal_tol:g}); enter 1/3 as 1/3, not 0.33"
        )
    if scale != "ignore":
        tol = 1e-9
        out = present & ((a < 1 / 9 - tol) | (a > 9 + tol))
        if out.any():
            i, j = np.argwhere(out)[0]
            msg = f"{name} entry {lab(i, j)} = {a[i, j]:g} lies outside Saaty's 1/9…9 scale"
            if scale == "error":
                raise CrmlabValueError(msg + " (pass scale='warn' or 'ignore' for ratio data)")
            warnings.warn(msg, stacklevel=3)
    if missing.any():
        n_comp, comp = connected_components(present & ~np.eye(len(a), dtype=bool), directed=False)
        if n_comp > 1:
            groups = [[labels[k] for k in np.flatnonzero(comp == c)] for c in range(n_comp)]
            raise CrmlabValueError(f"{name}: the comparisons do not connect all items; separate groups {groups}")
    return a, labels


# --------------------------------------------------------------------------- core
def _eigen(a: np.ndarray) -> tuple[np.ndarray, float]:
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    return w / w.sum(), float(vals[k].real)


def _harker(a: np.ndarray) -> np.ndarray:
    """Harker's (1987) completed matrix: missing aᵢⱼ → 0, diagonal 1 + missing count in row i."""
    missing = np.isnan(a)
    c = np.where(missing, 0.0, a)
    c[np.diag_indices_from(c)] = 1.0 + missing.sum(axis=1)
    return c


def _log_least_squares(a: np.ndarray) -> np.ndarray:
    """Row geometric means (complete) / logarithmic least squares on the comparison graph (incomplete)."""
    missing = np.isnan(a)
    if not missing.any():
        g = np.exp(np.log(a).mean(axis=1))
        return g / g.sum()
    present = ~missing & ~np.eye(len(a), dtype=bool)
    lap = np.diag(present.sum(axis=1)) - present.astype(float)
    rhs = np.where(present, np.log(np.where(present, a, 1.0)), 0.0).sum(axis=1)
    lap[0, :] = 1.0  # fix the scale: Σ ln wᵢ = 0
    rhs[0] = 0.0
    g = np.exp(np.linalg.solve(lap, rhs))
    return g / g.sum()


@dataclass
class AHPResult:
    """Priorities and consistency of one pairwise comparison matrix (see :func:`ahp_priorities`)."""

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    method: str
    random_index_table: str
    matrix: pd.DataFrame
    n_missing: int = 0

    @cached_property
    def inconsistency(self) -> pd.DataFrame:
        """Judgments ranked by contribution to inconsistency (see :func:`inconsistency_table`)."""
        return inconsistency_table(self.matrix, self.weights)

    @property
    def consistent(self) -> bool:
        """CR < 0.10 (Saaty's acceptance rule as SPEC §4.2 states it; n ≤ 2 is always consistent)."""
        return bool(np.isnan(self.cr) or self.cr < CR_THRESHOLD)

    def summary(self) -> pd.DataFrame:
        """One row per statistic: λmax, CI, RI, CR, accepted, method, RI table."""
        return pd.DataFrame(
            {"value": [self.lambda_max, self.ci, self.ri, self.cr, self.consistent, self.method, self.random_index_table, self.n_missing]},
            index=pd.Index(["lambda_max", "ci", "ri", "cr", "cr_acceptable", "method", "random_index_table", "n_missing_judgments"], name="statistic"),
        )


def inconsistency_table(matrix: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Judgments ranked by their contribution to inconsistency, |ln(aᵢⱼ·wⱼ/wᵢ)| (Saaty 2003).

    One row per upper-triangle judgment: the given value, the value consistent with the
    priorities (wᵢ/wⱼ), the *indirect* value implied by the other judgments (geometric
    mean of aᵢₖ·aₖⱼ over the items k compared with both i and j), the nearest Saaty-scale
    value to the indirect value (a suggestion for the revision), εᵢⱼ and |ln εᵢⱼ|.
    """
    a = matrix.to_numpy(dtype=float)
    w = weights.to_numpy(dtype=float)
    n = len(a)
    present = (~np.isnan(a)).astype(float)
    logs = np.where(present > 0, np.log(np.where(present > 0, a, 1.0)), 0.0)
    pairs = present @ present - 2 * present  # items k ≠ i, j compared with both i and j
    sums = (logs @ present + present @ logs) - 2 * logs
    with np.errstate(invalid="ignore", divide="ignore"):
        indirect = np.where(pairs > 0, np.exp(sums / np.where(pairs > 0, pairs, 1)), np.nan)
    iu, ju = np.triu_indices(n, k=1)
    keep = present[iu, ju] > 0
    iu, ju = iu[keep], ju[keep]
    eps = a[iu, ju] * w[ju] / w[iu]
    ind = indirect[iu, ju]
    nearest = SAATY_SCALE[np.argmin(np.abs(np.log(SAATY_SCALE)[None, :] - np.log(np.where(np.isnan(ind), 1.0, ind))[:, None]), axis=1)]
    labels = np.asarray(matrix.index)
    out = pd.DataFrame({
        "row": labels[iu], "column": labels[ju], "judgment": a[iu, ju], "consistent_value": w[iu] / w[ju],
        "indirect_value": ind, "suggested_saaty_value": np.where(np.isnan(ind), np.nan, nearest),
        "epsilon": eps, "abs_log_epsilon": np.abs(np.log(eps)),
    })
    return out.sort_values("abs_log_epsilon", ascending=False, kind="mergesort").reset_index(drop=True)


def ahp_priorities(
    matrix,
    *,
    items: Sequence[str] | None = None,
    method: str = "eigenvector",
    random_index_table: str = "saaty1980",
    reciprocal_tol: float = 1e-6,
    scale: str = "error",
    allow_missing: bool = False,
) -> AHPResult:
    """Priorities, λmax, CI and CR of one Saaty pairwise comparison matrix.

    ``method="eigenvector"``: w = principal right eigenvector, normalised to sum 1, and
    λmax its eigenvalue (Saaty 1980).  ``method="geometric_mean"``: wᵢ ∝ (Πⱼ aᵢⱼ)^(1/n)
    (Crawford & Williams 1985); λmax is then estimated as mean((A·w)ᵢ / wᵢ).  With
    missing judgments, Harker's (1987) completed matrix (eigenvector) or logarithmic
    least squares on the comparison graph (geometric mean) are used; λmax and CI then come
    from Harker's completed matrix, and CR divides by the complete-matrix RI (an
    approximation Harker 1987 suggests; report ``n_missing`` with it).
    CI = (λmax − n)/(n − 1), CR = CI/RI(n) with RI from ``random_index_table``;
    for n ≤ 2 CI = 0 and CR = 0 (a 2 × 2 reciprocal matrix is always consistent).
    """
    check_choice(method, "method", METHODS)
    check_choice(random_index_table, "random_index_table", RANDOM_INDEX)
    a, labels = check_pairwise_matrix(matrix, items=items, reciprocal_tol=reciprocal_tol, scale=scale, allow_missing=allow_missing)
    n = len(a)
    missing = np.isnan(a)
    work = _harker(a) if missing.any() else a
    if method == "eigenvector":
        w, lam = _eigen(work)
    else:
        w = _log_least_squares(a)
        lam = float(np.mean(work @ w / w))
    if n <= 2:
        ci, ri, cr = 0.0, 0.0, 0.0
    else:
        ri = random_index(n, random_index_table)
        ci = (lam - n) / (n - 1)
        cr = ci / ri
    weights = pd.Series(w, index=pd.Index(labels, name="item"), name="weight")
    mframe = pd.DataFrame(a, index=labels, columns=labels)
    return AHPResult(weights=weights, lambda_max=lam, ci=ci, ri=ri, cr=cr, method=method,
                     random_index_table=random_index_table, matrix=mframe, n_missing=int(missing.sum() // 2))


# --------------------------------------------------------------------------- groups
AGGREGATIONS = ("AIP_arithmetic", "AIP_geometric", "AIJ_geometric")


@dataclass
class GroupAHPResult:
    """Several experts' priorities and their aggregate (see :func:`group_ahp`)."""

    weights: pd.Series
    aggregation: str
    individual: list[AHPResult]
    expert_weights: pd.Series
    aggregated_matrix_result: AHPResult | None = None

    def summary(self) -> pd.DataFrame:
        """Items × (each expert, aggregate) priorities, plus each expert's CR as a last row."""
        cols = {f"{e}": r.weights for e, r in zip(self.expert_weights.index, self.individual)}
        cols[f"aggregate ({self.aggregation})"] = self.weights
        table = pd.DataFrame(cols)
        cr = {f"{e}": r.cr for e, r in zip(self.expert_weights.index, self.individual)}
        cr[f"aggregate ({self.aggregation})"] = self.aggregated_matrix_result.cr if self.aggregated_matrix_result else np.nan
        return pd.concat([table, pd.DataFrame(cr, index=["CR"])])

    @property
    def crs(self) -> pd.Series:
        """Each expert's consistency ratio."""
        return pd.Series([r.cr for r in self.individual], index=self.expert_weights.index, name="cr")


def aggregate_judgments(matrices: Sequence, *, expert_weights=None) -> np.ndarray:
    """Element-wise weighted geometric mean of several experts' matrices (AIJ; Forman & Peniwati 1998).

    The geometric mean keeps the result reciprocal (Aczél & Saaty 1983); the arithmetic mean would not.
    """
    stack = np.stack([np.asarray(m, dtype=float) for m in matrices])
    w = _expert_weights(expert_weights, len(stack))
    return np.exp(np.tensordot(w, np.log(stack), axes=1))


def _expert_weights(expert_weights, k: int) -> np.ndarray:
    if expert_weights is None:
        return np.full(k, 1.0 / k)
    w = check_weights(expert_weights, "expert_weights")
    if len(w) != k:
        raise CrmlabValueError(f"expert_weights has {len(w)} entries for {k} experts")
    return w


def group_ahp(
    matrices: Mapping[str, object] | Sequence,
    *,
    aggregation: str = "AIP_arithmetic",
    expert_weights=None,
    items: Sequence[str] | None = None,
    method: str = "eigenvector",
    random_index_table: str = "saaty1980",
    **check_kwargs,
) -> GroupAHPResult:
    """Aggregate several experts' judgments into one priority vector.

    ``aggregation``: ``"AIP_arithmetic"`` — weighted arithmetic mean of the individual
    priority vectors (seed 004's procedure: experts weighted equally, arithmetic mean);
    ``"AIP_geometric"`` — weighted geometric mean of priorities, renormalised;
    ``"AIJ_geometric"`` — priorities of the element-wise geometric mean matrix.
    ``expert_weights`` default to equal weights.  Every expert's matrix is validated
    and reported (its CR) whatever the aggregation.
    """
    check_choice(aggregation, "aggregation", AGGREGATIONS)
    if isinstance(matrices, Mapping):
        names, mats = [str(k) for k in matrices], list(matrices.values())
    else:
        mats = list(matrices)
        names = [f"expert_{i + 1}" for i in range(len(mats))]
    if len(mats) < 1:
        raise CrmlabValueError("matrices must hold at least one expert's matrix")
    w = _expert_weights(expert_weights, len(mats))
    results = [ahp_priorities(m, items=items, method=method, random_index_table=random_index_table, **check_kwargs) for m in mats]
    labels = list(results[0].weights.index)
    for name, r in zip(names, results):
        if list(r.weights.index) != labels:
            raise CrmlabValueError(f"expert {name!r} compares items {_preview(r.weights.index, 15)}, expected {_preview(labels, 15)}")
    agg_result = None
    if aggregation == "AIP_arithmetic":
        agg = np.tensordot(w, np.stack([r.weights.to_numpy() for r in results]), axes=1)
    elif aggregation == "AIP_geometric":
        agg = np.exp(np.tensordot(w, np.log(np.stack([r.weights.to_numpy() for r in results])), axes=1))
        agg = agg / agg.sum()
    else:
        if any(r.n_missing for r in results):
            raise CrmlabValueError("AIJ_geometric needs complete matrices from every expert; use an AIP aggregation")
        agg_m = aggregate_judgments([r.matrix.to_numpy() for r in results], expert_weights=w)
        agg_result = ahp_priorities(pd.DataFrame(agg_m, index=labels, columns=labels), method=method,
                                    random_index_table=random_index_table, scale="ignore")
        agg = agg_result.weights.to_numpy()
    weights = pd.Series(agg, index=pd.Index(labels, name="item"), name=f"weight ({aggregation})")
    return GroupAHPResult(weights=weights, aggregation=aggregation, individual=results,
                          expert_weights=pd.Series(w, index=names, name="expert_weight"),
                          aggregated_matrix_result=agg_result)


# --------------------------------------------------------------------------- hierarchies
def _check_weight_series(w, name: str, atol: float) -> pd.Series:
    if isinstance(w, AHPResult | GroupAHPResult):
        w = w.weights
    if not isinstance(w, pd.Series):
        w = pd.Series(w)
    vals = w.to_numpy(dtype=float)
    if not np.all(np.isfinite(vals)) or np.any(vals < 0):
        raise CrmlabValueError(f"{name} must be finite and non-negative, got {_preview(vals)}")
    if abs(vals.sum() - 1) > atol:
        raise CrmlabValueError(f"{name} must sum to 1 (tolerance {atol:g}); they sum to {vals.sum():.6g}")
    return w.astype(float)


def global_weights(criterion_weights, local_weights: Mapping[str, object], *, atol: float = 1e-4) -> pd.DataFrame:
    """Global weight of each sub-criterion = criterion weight × local weight (Saaty 1980; seed 004 §2.3).

    ``criterion_weights``: Series (or AHP result) indexed by criterion; ``local_weights``:
    ``{criterion: Series of sub-criterion weights}``.  Each vector must sum to 1 within
    ``atol`` (default 1e-4, the four decimals the paper prints).
    """
    cw = _check_weight_series(criterion_weights, "criterion_weights", atol)
    missing = [c for c in cw.index if c not in local_weights]
    extra = [c for c in local_weights if c not in cw.index]
    if missing or extra:
        raise CrmlabValueError(f"local_weights must have one entry per criterion; missing {missing}, unknown {extra}")
    rows = []
    for c in cw.index:
        lw = _check_weight_series(local_weights[c], f"local_weights[{c!r}]", atol)
        rows.append(pd.DataFrame({"criterion": c, "sub_criterion": lw.index.astype(str), "criterion_weight": cw[c],
                                  "local_weight": lw.to_numpy(), "global_weight": cw[c] * lw.to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    dup = out["sub_criterion"][out["sub_criterion"].duplicated()]
    if len(dup):
        raise CrmlabValueError(f"sub-criterion names must be unique across criteria; repeated {_preview(dup.unique())}")
    out["global_rank"] = out["global_weight"].rank(ascending=False, method="min").astype(int)
    return out


def weight_sensitivity(
    criterion_weights,
    local_weights: Mapping[str, object],
    *,
    criterion: str,
    grid=None,
    alternatives: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ranking as the weight of one ``criterion`` moves from 0 to 1 (one-at-a-time sensitivity).

    The other criteria keep their proportions: wₖ(t) = wₖ·(1 − t)/(1 − w_c) (the usual
    proportional rule, e.g. Expert Choice's performance-sensitivity view).  Without
    ``alternatives`` the sub-criteria are ranked by global weight; with ``alternatives``
    (rows = alternatives, columns = sub-criteria, e.g. standardised indicator scores)
    the alternatives are ranked by Σ global weight × score.  Long table: ``t``,
    ``item``, ``score`` and ``rank`` (1 = best, ties share the smaller rank).
    """
    cw = _check_weight_series(criterion_weights, "criterion_weights", 1e-4)
    if criterion not in cw.index:
        raise CrmlabValueError(f"criterion {criterion!r} is not one of {list(cw.index)}")
    grid = np.linspace(0, 1, 21) if grid is None else np.asarray(grid, dtype=float)
    if grid.ndim != 1 or np.any((grid < 0) | (grid > 1)):
        raise CrmlabValueError("grid must be a 1-D sequence of weights in [0, 1]")
    base = global_weights(cw, local_weights)
    others = cw.drop(criterion)
    rest = 1 - cw[criterion]
    rows = []
    for t in grid:
        new = pd.Series(0.0, index=cw.index)
        new[criterion] = t
        new[others.index] = others / rest * (1 - t) if rest > 0 else (1 - t) / len(others)
        gw = base["local_weight"].to_numpy() * new[base["criterion"]].to_numpy()
        gw = pd.Series(gw, index=base["sub_criterion"].to_numpy())
        if alternatives is not None:
            unknown = [c for c in gw.index if c not in alternatives.columns]
            if unknown:
                raise CrmlabValueError(f"alternatives has no column(s) {unknown} for sub-criteria")
            score = alternatives[list(gw.index)].to_numpy(dtype=float) @ gw.to_numpy()
            s = pd.Series(score, index=alternatives.index.astype(str))
        else:
            s = gw
        rows.append(pd.DataFrame({"t": t, "item": s.index, "score": s.to_numpy(),
                                  "rank": s.rank(ascending=False, method="min").astype(int).to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    out.attrs["criterion"] = criterion
    out.attrs["current_weight"] = float(cw[criterion])
    return out
