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
- Bozóki, S., Fülöp, J. & Rónyai, L. (2010). On optimal completion of incomplete
  pairwise comparison matrices. *Math. Comput. Modelling* 52, 318–333 — the λmax-minimising
  completion (convex in the log entries) and the LLSM completion (Kwiesielewicz, M. 1996,
  The logarithmic least squares and the generalized pseudoinverse in estimating ratios,
  *EJOR* 93, 611–619); :func:`complete_matrix`.
- Saaty (1980), ch. 2 — synthesis: global priority of an alternative = Σ over leaf
  criteria of the leaf's global weight × the alternative's local priority (distributive
  mode); :func:`ahp_synthesis`.

Random-index tables (``RANDOM_INDEX``; the table used is reported with every result):
``"saaty1980"`` (Saaty 1980, n ≤ 10 as printed there; 11–15 as widely reproduced
from the same source: 1.51, 1.48, 1.56, 1.57, 1.59), ``"saaty2005"`` (Saaty 2005,
*Theory and Applications of the ANP*, p. 31), ``"alonso_lamata"`` (Alonso &
Lamata 2006, *Int. J. Uncertainty, Fuzziness & Knowledge-Based Systems* 14(4),
445–459, 100 000 matrices), ``"donegan_dodd"`` (Donegan & Dodd 1991, *Math. Comput.
Modelling* 15(10), 135–137).  Default ``"saaty1980"`` — the table used by the
Chinese course material (RI(3) = 0.58).  A user table (a mapping n -> RI, e.g. a
textbook's printed values) is accepted wherever a table name is, and reported as
``"custom"`` with its values.

Validation rules: entries must be finite and > 0; the matrix must be reciprocal,
|aᵢⱼ·aⱼᵢ − 1| ≤ ``reciprocal_tol`` (default 1e-6 — so 0.333 for 1/3 is rejected;
write 1/3); judgments outside Saaty's 1/9…9 raise by default (``scale="error"``),
or only warn with ``scale="warn"``.  Missing judgments (NaN, both aᵢⱼ and aⱼᵢ) are
allowed with ``allow_missing=True`` if the comparisons still connect all items.
Judgments given twice must agree; labelled matrices and weights are aligned by label.
Nothing is rounded inside the computation; round only for display.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.optimize import root
from scipy.sparse.csgraph import connected_components

from .validation import (
    CONVERGENCE_POLICIES,
    CrmlabValueError,
    _preview,
    aligned_square,
    aligned_vector,
    as_float_array,
    check_choice,
    check_columns,
    check_convergence,
    check_labels,
    check_numeric,
    check_scalar,
    check_weights,
)

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


def _ri_table(table) -> tuple[str, dict[int, float]]:
    """``(name, {n: RI})`` of a built-in table name or a user-supplied mapping n -> RI (named ``"custom"``).

    A user table (textbooks print RI values that match none of the built-in tables) must
    map whole numbers n ≥ 1 to finite RI ≥ 0, with RI > 0 for n ≥ 3 (CR divides by it).
    """
    if isinstance(table, str):
        check_choice(table, "random_index_table", RANDOM_INDEX)
        return table, RANDOM_INDEX[table]
    if not isinstance(table, Mapping) or not table:
        raise CrmlabValueError(f"random_index_table must be one of {list(RANDOM_INDEX)} or a mapping n -> RI, got {table!r}")
    out = {}
    for n, ri in table.items():
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise CrmlabValueError(f"random_index_table keys must be matrix sizes n >= 1 (whole numbers), got {n!r}")
        ri = check_scalar(ri, f"random_index_table[{n}]", low=0)
        if n >= 3 and ri == 0:
            raise CrmlabValueError(f"random_index_table[{n}] = 0; RI must be > 0 for n >= 3 (CR = CI / RI)")
        out[int(n)] = ri
    return "custom", out


def random_index(n: int, table: str | Mapping[int, float] = "saaty1980") -> float:
    """Random consistency index RI(n) from the named table or a user mapping n -> RI (see module docstring)."""
    name, ri = _ri_table(table)
    if n not in ri:
        covering = [k for k, v in RANDOM_INDEX.items() if n in v]
        raise CrmlabValueError(
            f"random_index table {name!r} has no RI for n = {n} (covers n = {_preview(sorted(ri), 20)}); "
            f"built-in tables covering n = {n}: {covering or 'none'}"
        )
    return ri[n]


# --------------------------------------------------------------------------- input
def pairwise_matrix(judgments, items: Sequence[str], *, reciprocal_tol: float = 1e-6) -> pd.DataFrame:
    """Build a reciprocal matrix from judgments "how much more important a is than b".

    ``judgments``: ``{(a, b): value}`` or a sequence of ``(a, b, value)`` triples.  The
    diagonal is 1, aⱼᵢ = 1/aᵢⱼ, pairs not given are NaN (an incomplete matrix).  A pair
    given twice must agree (``(a, b) = 3`` twice, or ``(a, b) = 3`` and ``(b, a) = 1/3``,
    within ``reciprocal_tol`` relative); conflicting duplicates — ``(a, b)`` with two
    values, or ``(a, b) = 3`` and ``(b, a) = 3`` — raise, naming the pair and both values.
    """
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise CrmlabValueError(f"items must be a list of item labels, got {items!r}")
    items = list(items)
    if len(set(items)) != len(items):
        raise CrmlabValueError(f"items must be unique, got {_preview(items, 20)}")
    if isinstance(judgments, Mapping):
        triples = [(*k, v) if isinstance(k, tuple) and len(k) == 2 else (k, None, v) for k, v in judgments.items()]
    elif isinstance(judgments, Sequence) and not isinstance(judgments, str):
        triples = list(judgments)
    else:
        raise CrmlabValueError(f"judgments must be a dict {{(a, b): value}} or a list of (a, b, value), got {judgments!r}")
    pos = {k: i for i, k in enumerate(items)}
    m = np.full((len(items), len(items)), np.nan)
    np.fill_diagonal(m, 1.0)
    given: dict[tuple[int, int], tuple[str, str, float]] = {}
    for t in triples:
        if not isinstance(t, (tuple, list)) or len(t) != 3 or t[1] is None:
            raise CrmlabValueError(f"each judgment must be ((a, b), value) or (a, b, value), got {t!r}")
        a, b, v = t
        for name in (a, b):
            if name not in pos:
                raise CrmlabValueError(f"judgment ({a!r}, {b!r}) names unknown item {name!r}; items: {_preview(items, 20)}")
        if a == b:
            raise CrmlabValueError(f"judgment ({a!r}, {b!r}) compares an item with itself")
        v = check_scalar(v, f"judgment ({a!r}, {b!r})", low=0, low_inclusive=False)
        i, j = pos[a], pos[b]
        key = (min(i, j), max(i, j))
        if key in given:
            pa, pb, pv = given[key]
            implied = v if (pa, pb) == (a, b) else 1.0 / v  # the new judgment expressed as (pa, pb)
            if abs(implied / pv - 1) > reciprocal_tol:
                raise CrmlabValueError(
                    f"conflicting judgments for the pair ({pa!r}, {pb!r}): ({pa!r}, {pb!r}) = {pv:g} and "
                    f"({a!r}, {b!r}) = {v:g}" + ("" if (pa, pb) == (a, b) else f" (that is ({pa!r}, {pb!r}) = {implied:g})")
                    + "; give each pair once, or twice with reciprocal values")
            continue
        given[key] = (a, b, v)
        m[i, j], m[j, i] = v, 1.0 / v
    if not given:
        raise CrmlabValueError(f"judgments hold no comparison of the items {_preview(items, 20)}")
    return pd.DataFrame(m, index=items, columns=items)


def _judgment_value(text, where: str) -> float:
    """A judgment written as a number or a fraction ("1/3"); blank means not given (NaN)."""
    from fractions import Fraction

    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA or str(text).strip() == "":
        return np.nan
    try:
        return float(Fraction(str(text).strip()))
    except (ValueError, ZeroDivisionError):
        raise CrmlabValueError(f"{where}: judgment {text!r} is not a number or a fraction such as 1/3") from None


def matrices_from_table(table: pd.DataFrame, *, level_col: str = "level", row_col: str = "row",
                        column_col: str = "column", judgment_col: str = "judgment",
                        expert_col: str | None = "expert") -> dict[str, dict[str, pd.DataFrame]]:
    """``{level: {expert: pairwise matrix}}`` from a long table of judgments, one row per compared pair.

    Each row says how much more important ``row`` is than ``column`` within ``level`` (a
    node of the hierarchy, e.g. "criteria") for one expert, as a number or a fraction
    ("1/3").  A blank judgment, or a pair with no row, is a missing judgment (the matrix is
    incomplete: see :func:`ahp_priorities` ``allow_missing``/``completion``).  Items keep the
    order of their first appearance; ``expert_col=None`` reads a single expert named
    ``"expert"``.  Conflicting duplicate pairs raise (:func:`pairwise_matrix`).
    """
    cols = [level_col, row_col, column_col, judgment_col] + ([expert_col] if expert_col else [])
    check_columns(table, cols, name="judgments")
    if len(table) == 0:
        raise CrmlabValueError("judgments has no rows")
    frame = table.assign(_expert=table[expert_col].astype(str) if expert_col else "expert")
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for (level, expert), g in frame.groupby([level_col, "_expert"], sort=False):
        where = f"judgments of {expert!r} for {level!r}"
        values = [_judgment_value(v, where) for v in g[judgment_col]]
        items = list(dict.fromkeys([*g[row_col].astype(str), *g[column_col].astype(str)]))
        given = [(str(a), str(b), v) for a, b, v in zip(g[row_col], g[column_col], values) if not np.isnan(v)]
        try:
            out.setdefault(str(level), {})[expert] = pairwise_matrix(given, items)
        except CrmlabValueError as exc:
            raise CrmlabValueError(f"{where}: {exc}") from None
    return out


def _as_matrix(matrix, items, name: str) -> tuple[np.ndarray, list[str]]:
    """A square float array and its item labels: a DataFrame aligned by label (columns = the row labels, any order)."""
    if isinstance(matrix, pd.DataFrame):
        if matrix.empty:
            raise CrmlabValueError(f"{name} is empty")
        labels = None if items is None else list(items)
        index = list(matrix.index)
        if index == list(matrix.columns) and labels in (None, index) and len(set(index)) == len(index):
            a, labels = as_float_array(matrix.to_numpy(), name), index  # already aligned: skip the label lookup
        else:
            a, labels = aligned_square(matrix, name, labels=labels)
        labels = [x if isinstance(x, str) else str(x) for x in labels]
    else:
        try:
            a = np.asarray(matrix, dtype=float)
        except (TypeError, ValueError):
            raise CrmlabValueError(f"{name} must be a numeric square matrix, got {type(matrix).__name__} "
                                   f"with non-numeric entries") from None
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


COMPLETIONS = ("harker", "lambda_max", "llsm")


@dataclass
class CompletionResult:
    """An incomplete matrix filled in (see :func:`complete_matrix`).

    ``matrix``: the completed reciprocal matrix; ``completed``: one row per filled pair
    (``row``, ``column``, ``value``); ``lambda_max`` of the completed matrix; ``settings``:
    method, iterations, convergence.
    """

    matrix: pd.DataFrame
    completed: pd.DataFrame
    lambda_max: float
    settings: dict

    @property
    def table(self) -> pd.DataFrame:
        return self.completed

    def summary(self) -> pd.DataFrame:
        return self.completed.copy()


def _lambda_max_completion(a: np.ndarray, tol: float, max_iter: int) -> tuple[np.ndarray, int, bool]:
    """Missing entries minimising λmax (Bozóki, Fülöp & Rónyai 2010, MCM 52, §3–5).

    λmax(A(eʸ)) is strictly convex in the logarithms y of the missing upper-triangle
    entries when the comparison graph is connected (their Theorem 2), so its unique
    minimum is the root of the gradient ∂λ/∂yᵢⱼ = (vᵢ uⱼ xᵢⱼ − vⱼ uᵢ / xᵢⱼ) / v'u (u, v the
    right and left Perron vectors).  The root is found by MINPACK's hybrid method from
    the LLSM completion; the gradient, unlike λmax itself (flat to 1e-15 near the
    optimum), stays accurate there.  Converged when max |∂λ/∂y| ≤ ``tol``.
    """
    iu, ju = np.nonzero(np.triu(np.isnan(a), 1))
    w = _log_least_squares(a)
    y0 = np.log(w[iu] / w[ju])

    def gradient(y):
        m = a.copy()
        x = np.exp(y)
        m[iu, ju], m[ju, iu] = x, 1.0 / x
        vals, right = np.linalg.eig(m)
        vals_l, left = np.linalg.eig(m.T)
        u = np.abs(right[:, int(np.argmax(vals.real))].real)
        v = np.abs(left[:, int(np.argmax(vals_l.real))].real)
        return (v[iu] * u[ju] * x - v[ju] * u[iu] / x) / (v @ u)

    sol = root(gradient, y0, method="hybr", options={"xtol": 1e-14, "maxfev": max_iter * (iu.size + 1)})
    y = sol.x if np.all(np.isfinite(sol.x)) else y0
    converged = bool(np.abs(gradient(y)).max() <= tol)
    m = a.copy()
    m[iu, ju], m[ju, iu] = np.exp(y), np.exp(-y)
    return m, int(sol.nfev), converged


def complete_matrix(matrix, *, method: str = "lambda_max", items: Sequence[str] | None = None,
                    tol: float = 1e-10, max_iter: int = 200, on_nonconvergence: str = "raise",
                    reciprocal_tol: float = 1e-6, scale: str = "error") -> CompletionResult:
    """Fill the missing judgments (NaN, both aᵢⱼ and aⱼᵢ) of an incomplete pairwise comparison matrix.

    ``method="lambda_max"``: the completion with the smallest λmax, i.e. the most
    consistent one (Bozóki, Fülöp & Rónyai 2010, "On optimal completion of incomplete
    pairwise comparison matrices", MCM 52, 318–333; unique when the comparisons connect
    all items).  ``method="llsm"``: the logarithmic least squares completion aᵢⱼ = wᵢ/wⱼ
    with w minimising Σ over given pairs (ln aᵢⱼ − ln wᵢ + ln wⱼ)² (Kwiesielewicz 1996;
    Bozóki et al. 2010, Theorem 4).  ``tol``: largest |∂λmax/∂ ln aᵢⱼ| accepted at the
    λmax optimum; ``settings["n_iter"]`` counts gradient evaluations.
    """
    check_choice(method, "method", ("lambda_max", "llsm"))
    check_choice(on_nonconvergence, "on_nonconvergence", CONVERGENCE_POLICIES)
    tol = check_scalar(tol, "tol", low=0, low_inclusive=False)
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    a, labels = check_pairwise_matrix(matrix, items=items, reciprocal_tol=reciprocal_tol, scale=scale, allow_missing=True)
    iu, ju = np.nonzero(np.triu(np.isnan(a), 1))
    n_iter, converged = 0, True
    if iu.size == 0:
        done = a
    elif method == "llsm":
        w = _log_least_squares(a)
        done = np.where(np.isnan(a), w[:, None] / w[None, :], a)
    else:
        done, n_iter, converged = _lambda_max_completion(a, tol, max_iter)
        check_convergence(converged, what="the λmax-optimal completion",
                          detail=f"gradient above tol={tol:g} after {n_iter} gradient evaluations", policy=on_nonconvergence)
    lam = _eigen(done)[1]
    completed = pd.DataFrame({"row": [labels[i] for i in iu], "column": [labels[j] for j in ju], "value": done[iu, ju]})
    return CompletionResult(pd.DataFrame(done, index=labels, columns=labels), completed, lam,
                            {"method": method, "n_missing": int(iu.size), "n_iter": n_iter, "converged": converged,
                             "tol": tol})


@dataclass
class AHPResult:
    """Priorities and consistency of one pairwise comparison matrix (see :func:`ahp_priorities`).

    ``random_index_table`` names the RI table (``"custom"`` for a user mapping, whose
    values are in ``settings``); ``completion`` says how missing judgments were handled
    and ``completed_matrix`` holds the filled matrix for ``"lambda_max"`` / ``"llsm"``.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    method: str
    random_index_table: str
    matrix: pd.DataFrame
    n_missing: int = 0
    completion: str = "none"
    completed_matrix: pd.DataFrame | None = None
    random_index_values: dict | None = None

    @cached_property
    def inconsistency(self) -> pd.DataFrame:
        """Judgments ranked by contribution to inconsistency (see :func:`inconsistency_table`)."""
        return inconsistency_table(self.matrix, self.weights)

    @property
    def consistent(self) -> bool:
        """CR < 0.10 (Saaty's acceptance rule as SPEC §4.2 states it; n ≤ 2 is always consistent)."""
        return bool(np.isnan(self.cr) or self.cr < CR_THRESHOLD)

    @property
    def settings(self) -> dict:
        """The conventions: method, RI table (and its values when user-supplied), completion, acceptance rule."""
        return {"method": self.method, "random_index_table": self.random_index_table,
                "random_index_values": self.random_index_values, "completion": self.completion,
                "n_missing_judgments": self.n_missing, "cr_threshold": CR_THRESHOLD}

    def summary(self) -> pd.DataFrame:
        """One row per statistic: λmax, CI, RI, CR, accepted, method, RI table, completion."""
        return pd.DataFrame(
            {"value": [self.lambda_max, self.ci, self.ri, self.cr, self.consistent, self.method, self.random_index_table,
                       self.n_missing, self.completion]},
            index=pd.Index(["lambda_max", "ci", "ri", "cr", "cr_acceptable", "method", "random_index_table",
                            "n_missing_judgments", "completion"], name="statistic"),
        )


def inconsistency_table(matrix: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Judgments ranked by their contribution to inconsistency, |ln(aᵢⱼ·wⱼ/wᵢ)| (Saaty 2003).

    One row per upper-triangle judgment: the given value, the value consistent with the
    priorities (wᵢ/wⱼ), the *indirect* value implied by the other judgments (geometric
    mean of aᵢₖ·aₖⱼ over the items k compared with both i and j), the nearest Saaty-scale
    value to the indirect value (a suggestion for the revision), εᵢⱼ and |ln εᵢⱼ|.
    """
    a, labels = check_pairwise_matrix(matrix, allow_missing=True, name="matrix")
    w = check_weights(aligned_vector(weights, "weights", labels=labels), "weights", atol=1e-4)
    if not isinstance(matrix, pd.DataFrame):
        matrix = pd.DataFrame(a, index=labels, columns=labels)
    if len(a) < 2:
        raise CrmlabValueError(f"matrix compares {len(a)} item(s); an inconsistency table needs at least 2")
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
    random_index_table: str | Mapping[int, float] = "saaty1980",
    reciprocal_tol: float = 1e-6,
    scale: str = "error",
    allow_missing: bool = False,
    completion: str = "harker",
) -> AHPResult:
    """Priorities, λmax, CI and CR of one Saaty pairwise comparison matrix.

    ``method="eigenvector"``: w = principal right eigenvector, normalised to sum 1, and
    λmax its eigenvalue (Saaty 1980).  ``method="geometric_mean"``: wᵢ ∝ (Πⱼ aᵢⱼ)^(1/n)
    (Crawford & Williams 1985); λmax is then estimated as mean((A·w)ᵢ / wᵢ).
    CI = (λmax − n)/(n − 1), CR = CI/RI(n) with RI from ``random_index_table`` (a built-in
    name or a mapping n -> RI); for n ≤ 2 CI = 0 and CR = 0.

    Missing judgments (``allow_missing=True``), by ``completion``:
    ``"harker"`` (default) — Harker's (1987) matrix for the eigenvector and for λmax, LLSM
    on the comparison graph for the geometric mean; ``"lambda_max"`` — the λmax-minimising
    completion (Bozóki, Fülöp & Rónyai 2010), ``"llsm"`` — the logarithmic least squares
    completion: the method then runs on the completed matrix (``completed_matrix``).
    CR of an incomplete matrix divides by the complete-matrix RI (Harker 1987's
    approximation; report ``n_missing`` with it).
    """
    check_choice(method, "method", METHODS)
    check_choice(completion, "completion", COMPLETIONS)
    table_name, ri_values = _ri_table(random_index_table)
    a, labels = check_pairwise_matrix(matrix, items=items, reciprocal_tol=reciprocal_tol, scale=scale, allow_missing=allow_missing)
    n = len(a)
    missing = np.isnan(a)
    completed = None
    if missing.any() and completion != "harker":
        done = complete_matrix(pd.DataFrame(a, index=labels, columns=labels), method=completion, scale="ignore",
                               reciprocal_tol=reciprocal_tol)
        completed, work = done.matrix, done.matrix.to_numpy()
        w, lam = _eigen(work) if method == "eigenvector" else (_log_least_squares(work), None)
    else:
        work = _harker(a) if missing.any() else a
        w, lam = _eigen(work) if method == "eigenvector" else (_log_least_squares(a), None)
    if lam is None:
        lam = float(np.mean(work @ w / w))
    if n <= 2:
        ci, ri, cr = 0.0, 0.0, 0.0
    else:
        ri = random_index(n, ri_values if table_name == "custom" else table_name)
        ci = (lam - n) / (n - 1)
        cr = ci / ri
    weights = pd.Series(w, index=pd.Index(labels, name="item"), name="weight")
    mframe = pd.DataFrame(a, index=labels, columns=labels)
    return AHPResult(weights=weights, lambda_max=lam, ci=ci, ri=ri, cr=cr, method=method,
                     random_index_table=table_name, matrix=mframe, n_missing=int(missing.sum() // 2),
                     completion=completion if missing.any() else "none", completed_matrix=completed,
                     random_index_values=dict(ri_values) if table_name == "custom" else None)


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


def _experts(matrices) -> tuple[list[str], list]:
    """Expert names and matrices of a mapping {expert: matrix} or a sequence (named expert_1, …)."""
    if isinstance(matrices, Mapping):
        names, mats = [str(k) for k in matrices], list(matrices.values())
    elif isinstance(matrices, Sequence) and not isinstance(matrices, str):
        mats = list(matrices)
        names = [f"expert_{i + 1}" for i in range(len(mats))]
    else:
        raise CrmlabValueError(f"matrices must be a list or a dict of pairwise comparison matrices, got {type(matrices).__name__}")
    if not mats:
        raise CrmlabValueError("matrices must hold at least one expert's matrix")
    return names, mats


def _aligned_experts(names: list[str], mats: list, items) -> tuple[list, list[str] | None]:
    """Labelled matrices aligned by label to the first labelled one (or ``items``); disagreeing labels raise."""
    labels = None if items is None else list(items)
    out = []
    for name, m in zip(names, mats):
        if isinstance(m, pd.DataFrame):
            if labels is None:
                labels = list(m.index)
            a, order = aligned_square(m, f"expert {name!r} matrix", labels=labels)
            out.append(pd.DataFrame(a, index=order, columns=order))
        else:
            out.append(m)
    return out, labels


def aggregate_judgments(matrices, *, expert_weights=None, items: Sequence[str] | None = None,
                        reciprocal_tol: float = 1e-6, scale: str = "error") -> pd.DataFrame:
    """Element-wise weighted geometric mean of several experts' matrices (AIJ; Forman & Peniwati 1998).

    Each matrix is validated as a complete pairwise comparison matrix (errors name the
    expert); labelled matrices are aligned by label (disagreeing labels raise);
    ``expert_weights`` given as a Series/dict align by expert name.  The geometric mean
    keeps the result reciprocal (Aczél & Saaty 1983); the arithmetic mean would not.
    """
    names, mats = _experts(matrices)
    mats, labels = _aligned_experts(names, mats, items)
    arrays = []
    for k, (name, m) in enumerate(zip(names, mats)):
        a, lab = check_pairwise_matrix(m, items=labels, reciprocal_tol=reciprocal_tol, scale=scale,
                                       name=f"matrices[{k}] (expert {name!r})")
        if arrays and a.shape != arrays[0].shape:
            raise CrmlabValueError(f"matrices[{k}] (expert {name!r}) is {a.shape[0]} × {a.shape[0]}, "
                                   f"the first expert's is {arrays[0].shape[0]} × {arrays[0].shape[0]}")
        labels = labels or lab
        arrays.append(a)
    w = _expert_weights(expert_weights, names)
    agg = np.exp(np.tensordot(w, np.log(np.stack(arrays)), axes=1))
    return pd.DataFrame(agg, index=labels, columns=labels)


def _expert_weights(expert_weights, names: list[str]) -> np.ndarray:
    """Expert weights in expert order: equal by default; a Series/dict aligns by expert name."""
    k = len(names)
    if expert_weights is None:
        return np.full(k, 1.0 / k)
    if isinstance(expert_weights, (pd.Series, Mapping)):
        expert_weights = aligned_vector(expert_weights, "expert_weights", labels=names)
    elif isinstance(expert_weights, str) or np.ndim(expert_weights) != 1 or len(expert_weights) != k:
        raise CrmlabValueError(f"expert_weights must have one weight per expert ({k}: {_preview(names)}), "
                               f"got {expert_weights!r}")
    try:
        return check_weights(expert_weights, "expert_weights")
    except (TypeError, ValueError) as exc:
        if isinstance(exc, CrmlabValueError):
            raise
        raise CrmlabValueError(f"expert_weights must be numbers, got {expert_weights!r}") from None


def group_ahp(
    matrices: Mapping[str, object] | Sequence,
    *,
    aggregation: str = "AIP_arithmetic",
    expert_weights=None,
    items: Sequence[str] | None = None,
    method: str = "eigenvector",
    random_index_table: str | Mapping[int, float] = "saaty1980",
    **check_kwargs,
) -> GroupAHPResult:
    """Aggregate several experts' judgments into one priority vector.

    ``aggregation``: ``"AIP_arithmetic"`` — weighted arithmetic mean of the individual
    priority vectors (seed 004's procedure: experts weighted equally, arithmetic mean);
    ``"AIP_geometric"`` — weighted geometric mean of priorities, renormalised;
    ``"AIJ_geometric"`` — priorities of the element-wise geometric mean matrix.
    ``expert_weights`` default to equal weights (a Series/dict aligns by expert name).
    Labelled matrices are aligned by label to the first expert's order; disagreeing
    labels raise.  Every expert's matrix is validated and reported (its CR).
    """
    check_choice(aggregation, "aggregation", AGGREGATIONS)
    names, mats = _experts(matrices)
    w = _expert_weights(expert_weights, names)
    mats, labels = _aligned_experts(names, mats, items)
    results = [ahp_priorities(m, items=labels, method=method, random_index_table=random_index_table, **check_kwargs)
               for m in mats]
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
        agg_m = aggregate_judgments({nm: r.matrix for nm, r in zip(names, results)}, expert_weights=w, scale="ignore")
        agg_result = ahp_priorities(agg_m, method=method, random_index_table=random_index_table, scale="ignore")
        agg = agg_result.weights.to_numpy()
    weights = pd.Series(agg, index=pd.Index(labels, name="item"), name=f"weight ({aggregation})")
    return GroupAHPResult(weights=weights, aggregation=aggregation, individual=results,
                          expert_weights=pd.Series(w, index=names, name="expert_weight"),
                          aggregated_matrix_result=agg_result)


# --------------------------------------------------------------------------- hierarchies
def _check_weight_series(w, name: str, atol: float) -> pd.Series:
    """A weight vector as a float Series (labels kept): finite, non-negative, unique labels, summing to 1 within ``atol``."""
    if isinstance(w, AHPResult | GroupAHPResult):
        w = w.weights
    if isinstance(w, Mapping):
        w = pd.Series(w)
    if not isinstance(w, pd.Series):
        raise CrmlabValueError(f"{name} must be a Series or dict of weights labelled by item, got {type(w).__name__}")
    try:
        vals = w.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must hold numbers, got {_preview(w.to_numpy())}") from None
    check_labels(w.index, list(dict.fromkeys(w.index)), name=name)
    if vals.size == 0 or not np.all(np.isfinite(vals)) or np.any(vals < 0):
        raise CrmlabValueError(f"{name} must be non-empty, finite and non-negative, got {_preview(vals)}")
    if abs(vals.sum() - 1) > atol:
        raise CrmlabValueError(f"{name} must sum to 1 (tolerance {atol:g}); they sum to {vals.sum():.6g}")
    return pd.Series(vals, index=w.index, name=w.name)


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


@dataclass
class AHPSensitivity:
    """One-at-a-time weight sensitivity (see :func:`weight_sensitivity`): long ``table`` and ``settings``."""

    table: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        """Ranks as items × tested weights."""
        return self.table.pivot(index="item", columns="t", values="rank")


def proportional_weights(criterion_weights: pd.Series, criterion: str, weight: float) -> pd.Series:
    """Criterion weights with ``criterion`` set to ``weight`` and the others keeping their proportions,
    wₖ(t) = wₖ·(1 − t)/(1 − w_c) (equal shares when they were all 0); the rule of :func:`weight_sensitivity`."""
    cw = _check_weight_series(criterion_weights, "criterion_weights", 1e-4)
    if criterion not in cw.index:
        raise CrmlabValueError(f"criterion {criterion!r} is not one of {list(cw.index)}")
    weight = check_scalar(weight, "weight", low=0, high=1)
    others = cw.drop(criterion)
    rest = 1 - cw[criterion]
    new = pd.Series(0.0, index=cw.index)
    new[criterion] = weight
    new[others.index] = others / rest * (1 - weight) if rest > 0 else (1 - weight) / len(others)
    return new


def weight_sensitivity(
    criterion_weights,
    local_weights: Mapping[str, object],
    *,
    criterion: str,
    grid=None,
    alternatives: pd.DataFrame | None = None,
) -> AHPSensitivity:
    """Ranking as the weight of one ``criterion`` moves from 0 to 1 (one-at-a-time sensitivity).

    The other criteria keep their proportions: wₖ(t) = wₖ·(1 − t)/(1 − w_c) (the usual
    proportional rule, e.g. Expert Choice's performance-sensitivity view).  Without
    ``alternatives`` the sub-criteria are ranked by global weight; with ``alternatives``
    (rows = alternatives, columns = sub-criteria, e.g. standardised indicator scores,
    matched by column label) the alternatives are ranked by Σ global weight × score.
    ``table``: long, ``t``, ``item``, ``score`` and ``rank`` (1 = best, ties share the
    smaller rank); ``settings``: criterion, its current weight, the rule.
    """
    cw = _check_weight_series(criterion_weights, "criterion_weights", 1e-4)
    if criterion not in cw.index:
        raise CrmlabValueError(f"criterion {criterion!r} is not one of {list(cw.index)}")
    try:
        grid = np.linspace(0, 1, 21) if grid is None else np.asarray(grid, dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"grid must be a 1-D sequence of weights in [0, 1], got {grid!r}") from None
    if grid.ndim != 1 or grid.size == 0 or not np.all(np.isfinite(grid)) or np.any((grid < 0) | (grid > 1)):
        raise CrmlabValueError(f"grid must be a non-empty 1-D sequence of weights in [0, 1], got {_preview(np.ravel(grid))}")
    base = global_weights(cw, local_weights)
    if alternatives is not None:
        if not isinstance(alternatives, pd.DataFrame):
            raise CrmlabValueError(f"alternatives must be a DataFrame (rows = alternatives, columns = sub-criteria), "
                                   f"got {type(alternatives).__name__}")
        unknown = [c for c in base["sub_criterion"] if c not in alternatives.columns]
        if unknown:
            raise CrmlabValueError(f"alternatives has no column(s) {unknown} for sub-criteria")
        check_numeric(alternatives, list(base["sub_criterion"]), name="alternatives")
    rows = []
    for t in grid:
        new = proportional_weights(cw, criterion, t)
        gw = base["local_weight"].to_numpy() * new[base["criterion"]].to_numpy()
        gw = pd.Series(gw, index=base["sub_criterion"].to_numpy())
        if alternatives is not None:
            score = alternatives[list(gw.index)].to_numpy(dtype=float) @ gw.to_numpy()
            sc = pd.Series(score, index=alternatives.index.astype(str))
        else:
            sc = gw
        rows.append(pd.DataFrame({"t": t, "item": sc.index, "score": sc.to_numpy(),
                                  "rank": sc.rank(ascending=False, method="min").astype(int).to_numpy()}))
    return AHPSensitivity(pd.concat(rows, ignore_index=True),
                          {"criterion": criterion, "current_weight": float(cw[criterion]),
                           "rule": "other criteria keep their proportions: w_k(t) = w_k (1 - t) / (1 - w_c)",
                           "ranked": "alternatives" if alternatives is not None else "sub-criteria"})


# --------------------------------------------------------------------------- synthesis
@dataclass
class AHPSynthesis:
    """Global priorities of alternatives under a hierarchy (see :func:`ahp_synthesis`).

    ``table``: one row per alternative, ``priority`` (global) and ``rank``;
    ``contributions``: alternatives × criteria, each criterion's share of the priority;
    ``local``: alternatives × leaf criteria local priorities; ``leaf_weights``: each leaf's
    criterion, local and global weight; ``consistency``: λmax, CI, RI, CR of every matrix;
    ``results``: the :class:`AHPResult` of every matrix; ``settings``: the conventions.
    """

    table: pd.DataFrame
    contributions: pd.DataFrame
    local: pd.DataFrame
    leaf_weights: pd.DataFrame
    consistency: pd.DataFrame
    results: dict
    settings: dict

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


def ahp_synthesis(criteria, alternatives: Mapping[str, object], *, subcriteria: Mapping[str, object] | None = None,
                  method: str = "eigenvector", random_index_table: str | Mapping[int, float] = "saaty1980",
                  completion: str = "harker", allow_missing: bool = False, scale: str = "error",
                  reciprocal_tol: float = 1e-6) -> AHPSynthesis:
    """AHP synthesis in one call: criteria weights × alternatives' local priorities → global priorities and ranking.

    ``criteria``: the criteria's pairwise matrix (labelled DataFrame, or a list of
    judgments built with :func:`pairwise_matrix`) or its :class:`AHPResult`;
    ``subcriteria`` (optional): ``{criterion: matrix or AHPResult}`` of each criterion's
    sub-criteria (global weight = criterion weight × local weight); ``alternatives``:
    ``{leaf: matrix or AHPResult}`` comparing the alternatives under every leaf criterion
    (the criteria, or the sub-criteria when given).  Matrices are aligned by label;
    every alternative matrix must compare the same alternatives.  Global priority =
    Σ_leaf global leaf weight × local priority (Saaty 1980, distributive mode: each
    priority vector sums to 1).  The consistency of every matrix is reported.
    """
    opts = dict(method=method, random_index_table=random_index_table, completion=completion,
                allow_missing=allow_missing, scale=scale, reciprocal_tol=reciprocal_tol)
    check_choice(method, "method", METHODS)
    check_choice(completion, "completion", COMPLETIONS)
    table_name, _ = _ri_table(random_index_table)

    def priorities(x, name: str) -> AHPResult:
        if isinstance(x, AHPResult):
            return x
        if isinstance(x, GroupAHPResult):
            raise CrmlabValueError(f"{name} is a group result: pass its aggregated matrix or one AHPResult per node")
        if not isinstance(x, pd.DataFrame):
            raise CrmlabValueError(f"{name} must be a labelled pairwise matrix (DataFrame, e.g. from pairwise_matrix) "
                                   f"or an AHPResult, got {type(x).__name__}")
        return ahp_priorities(x, **opts)

    results = {"criteria": priorities(criteria, "criteria")}
    cw = results["criteria"].weights
    leaves = []  # (criterion, leaf, local weight)
    if subcriteria is None:
        leaves = [(c, c, 1.0) for c in cw.index]
    else:
        if not isinstance(subcriteria, Mapping):
            raise CrmlabValueError(f"subcriteria must be a dict {{criterion: matrix}}, got {type(subcriteria).__name__}")
        check_labels(subcriteria.keys(), cw.index, name="subcriteria", what="criteria")
        for c in cw.index:
            r = results[f"subcriteria:{c}"] = priorities(subcriteria[c], f"subcriteria[{c!r}]")
            leaves += [(c, leaf, float(w)) for leaf, w in r.weights.items()]
    names = [leaf for _, leaf, _ in leaves]
    dup = sorted({x for x in names if names.count(x) > 1}, key=str)
    if dup:
        raise CrmlabValueError(f"leaf criteria must have unique names across criteria; repeated {_preview(dup)}")
    if not isinstance(alternatives, Mapping):
        raise CrmlabValueError(f"alternatives must be a dict {{leaf criterion: matrix}}, got {type(alternatives).__name__}")
    check_labels(alternatives.keys(), names, name="alternatives", what="leaf criteria")
    local = {}
    for leaf in names:
        r = results[f"alternatives:{leaf}"] = priorities(alternatives[leaf], f"alternatives[{leaf!r}]")
        if local:
            check_labels(r.weights.index, next(iter(local.values())).index, name=f"alternatives[{leaf!r}]",
                         what="alternatives")
        local[leaf] = r.weights
    first = list(next(iter(local.values())).index)
    L = np.column_stack([w.to_numpy() if list(w.index) == first else w.reindex(first).to_numpy()
                         for w in local.values()])  # alternatives × leaves, aligned by label
    crit_of_leaf = [c for c, _, _ in leaves]
    g = np.array([float(cw[c]) * w for c, _, w in leaves])
    criteria_order = list(dict.fromkeys(crit_of_leaf))
    member = (np.array(crit_of_leaf)[:, None] == np.array(criteria_order)[None, :]).astype(float)  # leaves × criteria
    alt_index = pd.Index(first, name="alternative")
    local = pd.DataFrame(L, index=alt_index, columns=names)
    leaf_weights = pd.DataFrame({"criterion": crit_of_leaf, "local_weight": [w for _, _, w in leaves], "global_weight": g},
                                index=pd.Index(names, name="leaf"))
    contributions = pd.DataFrame((L * g) @ member, index=alt_index, columns=criteria_order)
    priority = pd.Series(L @ g, index=alt_index)
    table = pd.DataFrame({"priority": priority, "rank": priority.rank(ascending=False, method="min").astype(int)})
    rows = []
    for key, r in results.items():
        level, _, node = key.partition(":")
        rows.append({"level": level, "node": node or "goal", "n": len(r.weights), "lambda_max": r.lambda_max,
                     "ci": r.ci, "ri": r.ri, "cr": r.cr, "consistent": r.consistent, "n_missing": r.n_missing,
                     "method": r.method, "random_index_table": r.random_index_table})
    consistency = pd.DataFrame(rows)
    settings = {"method": method, "random_index_table": table_name, "completion": completion,
                "synthesis": "distributive: global priority = sum over leaves of global leaf weight x local priority",
                "cr_threshold": CR_THRESHOLD, "all_consistent": bool(consistency["consistent"].all())}
    return AHPSynthesis(table, contributions, local, leaf_weights, consistency, results, settings)
