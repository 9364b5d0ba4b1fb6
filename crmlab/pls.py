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
    model.summary()                 # per construct: R², AVE, α, ρc, ρ_A, DG ρ; model.gof_, model.settings
    model.outer_model_, model.inner_model_, model.effects_, model.path_coefficients_
    model.index_0_100()             # ACSI 0–100 index per construct
    model.importance_performance("SAT").table   # IPMA: unstandardised total effects × indices
    boot = model.bootstrap(1000, random_state=0)   # boot.paths, boot.index, boot.summary()
    model.htmt(), model.fornell_larcker(), model.inner_vif()
    model.plspredict(10, n_repeats=10, random_state=0).table   # Q²predict, RMSE, MAE vs LM
    multigroup_analysis(model, survey, group="wave", random_state=0)   # .paths, .micom
    PLSPathModel(..., consistent=True)   # PLSc for reflective (Mode A) blocks

Charts: :func:`crmlab.plotting.pls.plot_path_diagram`, :func:`~crmlab.plotting.pls.plot_index`,
:func:`~crmlab.plotting.pls.plot_plspredict`, :func:`~crmlab.plotting.pls.plot_mga`.
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
  estimates Y (divisor n; computed in covariance space, Y'Y/n = D W'ΣW D, so an
  iteration never touches the n rows), inner weights E from the scheme -- ``centroid``:
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

Beyond plspm (sources in the docstrings): consistent PLS (``consistent=``), the
latent-score SD convention (``score_sd=``, plspm's divisor n by default, seminr's
n − 1 on request), PLSpredict (:meth:`PLSPathModel.plspredict`) and the two-group
permutation test with MICOM (:func:`multigroup_analysis`), all vectorised over
resamples, folds and permutations like the bootstrap.  The seminr port is their
reference where it has them (PLSc, ``predict_pls``; tests/reference).

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
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
from scipy import stats

from .results import pair_label
from .validation import (
    CONVERGENCE_POLICIES,
    CrmlabValueError,
    _preview,
    check_choice,
    check_columns,
    check_convergence,
    check_in_range,
    check_is_fitted,
    check_random_state,
    check_no_missing,
    check_not_constant,
    check_numeric,
    check_scalar,
    check_scale,
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


def _outer_weights(Sigma: np.ndarray, spec: _Spec, scheme: str, tol: float, max_iter: int):
    """Iterate plspm's outer-weight loop on every resample at once, in covariance space.

    ``Sigma`` (B, p, p) is the covariance (divisor n) of the treated, mean-zero items X.
    With scores Y = X W D (D scales them to unit variance), the score correlations are
    D W'ΣW D and Mode A's new weights X'Y E / n = Σ W D E; Mode B regresses on the
    block: Σ_jj⁻¹ (Σ W D E)_j — the same numbers as plspm's loop over respondents,
    without touching the n rows.  Returns ``(W, iterations, converged)`` with ``W``
    (B, p, L) normalised so each score has population variance 1 and signs fixed by
    plspm's rule.
    """
    B = Sigma.shape[0]
    odm = spec.odm

    def scaled(W):
        SW = Sigma[active] @ W
        return SW, 1.0 / np.sqrt((SW * W).sum(axis=1))  # (b, p, L), (b, L)

    active = np.arange(B)
    W = odm * scaled(np.broadcast_to(odm, (B,) + odm.shape))[1][:, None, :]
    w_old = W.sum(axis=2)
    iterations = np.zeros(B, dtype=int)
    mode_a = np.array([m == "A" for m in spec.modes])
    mask_a = odm * mode_a
    blocks_b = [(j, np.flatnonzero(spec.block_of_item == j)) for j, m in enumerate(spec.modes) if m == "B"]
    for it in range(1, max_iter + 1):
        Wa = W[active]
        SW, d = scaled(Wa)
        C = (Wa.swapaxes(1, 2) @ SW) * d[:, :, None] * d[:, None, :]
        G = (SW * d[:, None, :]) @ _inner_weights(C, spec, scheme)  # X'Z/n
        W_new = G * mask_a
        for j, rows in blocks_b:
            W_new[:, rows, j] = np.linalg.solve(Sigma[active][:, rows[:, None], rows], G[:, rows, j][..., None])[..., 0]
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
    active = np.arange(B)
    SW, d = scaled(W)
    W = W * d[:, None, :]
    # sign ambiguity (plspm get_scores): flip a construct whose items correlate negatively on balance
    xcor = SW * d[:, None, :]  # item-score covariances; item SDs are positive, so the signs are the correlations'
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
    scores: np.ndarray  # (B, n, L) standardised scores (population SD 1)
    xcor: np.ndarray  # (B, p, L) item-score correlations (cross-loadings)
    loadings: np.ndarray  # (B, p) loading of each item on its own construct (PLSc-corrected where consistent)
    rho_a: np.ndarray  # (B, L) Dijkstra-Henseler rho_A (1 for Mode B and single-item blocks)
    C: np.ndarray  # (B, L, L) score correlations
    P: np.ndarray
    r2: np.ndarray
    total: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray


def _take(est: _Estimates, rows) -> _Estimates:
    """The estimates of the data sets ``rows`` (a mask or positions along the resample axis)."""
    return _Estimates(*(getattr(est, f.name)[rows] for f in fields(_Estimates)))


def _rho_a(Sigma: np.ndarray, sd: np.ndarray, W: np.ndarray, spec: _Spec) -> np.ndarray:
    """Dijkstra & Henseler (2015, MISQ 39(2), eq. 7) rho_A per block, batched: (B, L).

    rho_A = (w'w)^2 * w'(S - diag S)w / w'(ww' - diag ww')w with w the weights of the
    standardised items scaled to a unit-variance score and S the item correlation
    matrix; 1 for Mode B and single-item blocks (seminr's rule).
    """
    w = (W * spec.odm).sum(axis=2) * sd  # (B, p): weights of the standardised items
    S = Sigma / (sd[:, :, None] * sd[:, None, :])
    S[:, np.arange(S.shape[1]), np.arange(S.shape[1])] = 0.0
    Wm = w[:, :, None] * spec.odm  # (B, p, L)
    wtw = (Wm**2).sum(axis=1)
    wsw = ((S @ Wm) * Wm).sum(axis=1)
    waaw = wtw**2 - (Wm**4).sum(axis=1)
    single = spec.odm.sum(axis=0) == 1
    mode_b = np.array([m == "B" for m in spec.modes])
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = wtw**2 * wsw / waaw
    return np.where(single | mode_b, 1.0, rho)


def _estimate(raw: np.ndarray, spec: _Spec, scheme: str, scaled: bool, tol: float, max_iter: int,
              consistent: np.ndarray | None = None, with_rho: bool = False) -> _Estimates:
    """Fit the model on each data set in ``raw`` (B, n, p).

    ``consistent`` (L,) marks the blocks estimated as common factors by PLSc (Dijkstra &
    Henseler 2015): score correlations are divided by sqrt(rho_A,i rho_A,j), paths and R²
    follow from the corrected correlations, loadings become w * sqrt(rho_A) / (w'w).
    ``rho_a`` is computed when PLSc needs it or ``with_rho`` asks (else ones).
    """
    X = _treat(raw, scaled)
    n = raw.shape[1]
    Sigma = X.swapaxes(1, 2) @ X / n
    W, iterations, converged = _outer_weights(Sigma, spec, scheme, tol, max_iter)
    scores = X @ W
    sd = np.sqrt(np.diagonal(Sigma, axis1=1, axis2=2))  # (B, p) item SDs (divisor n)
    SW = Sigma @ W
    xcor = SW / sd[:, :, None]  # scores have unit variance
    loadings = (xcor * spec.odm).sum(axis=2)
    correct = consistent is not None and consistent.any()
    rho = _rho_a(Sigma, sd, W, spec) if (correct or with_rho) else np.ones((X.shape[0], spec.odm.shape[1]))
    C = W.swapaxes(1, 2) @ SW
    if correct:
        r = np.where(consistent, rho, 1.0)  # (B, L)
        adj = np.sqrt(r[:, :, None] * r[:, None, :])
        idx = np.arange(C.shape[1])
        adj[:, idx, idx] = 1.0
        C = C / adj
        w_std = (W * spec.odm).sum(axis=2) * sd  # weights of standardised items
        wtw = ((w_std[:, :, None] * spec.odm) ** 2).sum(axis=1)  # (B, L)
        corrected = w_std * (np.sqrt(rho) / wtw)[:, spec.block_of_item]
        loadings = np.where(consistent[spec.block_of_item], corrected, loadings)
    P, r2, total = _structural(C, spec)
    return _Estimates(W, scores, xcor, loadings, rho, C, P, r2, total, iterations, converged)


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
# --------------------------------------------------------------------------
# input checks shared by fit, PLSpredict and multi-group analysis
# --------------------------------------------------------------------------
def _prepare_items(data: pd.DataFrame, items: list[str], missing: str, scale, name: str = "data"):
    """Validate the item columns and apply the missing-value strategy: ``(frame, report)``.

    Checks run vectorised on the whole item matrix; only when one fails is the
    per-column helper of :mod:`crmlab.validation` called, to word the error.
    Nothing is altered unless ``missing`` asks for it.
    """
    check_choice(missing, "missing", MISSING)
    check_columns(data, items, name=name)
    frame = data[items]
    if not all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in frame.dtypes):
        check_numeric(data, items, name=name)
    values = frame.to_numpy(dtype=float)
    infinite = np.isinf(values)
    if infinite.any():
        col = items[int(np.flatnonzero(infinite.any(axis=0))[0])]
        rows = frame.index[np.isinf(frame[col].to_numpy(dtype=float))]
        raise CrmlabValueError(f"{name} column {col!r} has infinite values at rows {_preview(rows)}; items must be finite")
    if scale is not None:
        low, high = check_scale(scale)
        if ((values < low) | (values > high)).any():
            check_in_range(data, items, low=low, high=high, name=name, what="declared item scale")
    na = np.isnan(values)
    if missing == "error":
        if na.any():
            check_no_missing(frame, items, name=name)
        report = {"strategy": "error", "rows_dropped": [], "cells_replaced": 0}
    elif missing == "drop":
        bad = na.any(axis=1)
        report = {"strategy": "drop", "rows_dropped": list(frame.index[bad]), "cells_replaced": 0}
        frame, values = frame.loc[~bad], values[~bad]
    else:
        report = {"strategy": "mean", "rows_dropped": [], "cells_replaced": int(na.sum()),
                  "cells_replaced_by_column": {c: int(v) for c, v in zip(items, na.sum(axis=0)) if v}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing column: caught as constant below
            values = np.where(na, np.nanmean(values, axis=0), values)
    if values.shape[0] == 0:
        raise CrmlabValueError(f"{name} has no complete rows for the item columns {_preview(items)}")
    if (np.nanmax(values, axis=0) == np.nanmin(values, axis=0)).any():
        check_not_constant(frame, items, name=name)
    return pd.DataFrame(values, index=frame.index, columns=items), report


def _min_rows(spec: _Spec) -> tuple[int, str]:
    """The row rule of a PLS fit and its wording.

    More respondents than items in the largest block (a Mode B block regresses on
    all its items; with fewer rows the item correlation matrix is singular) and at
    least predictors + 2 rows in every structural equation (OLS with intercept
    needs one residual degree of freedom).  Below it, estimates such as path
    coefficients above 1 are artefacts, not findings.
    """
    sizes = spec.odm.sum(axis=0).astype(int)
    big = int(np.argmax(sizes))
    n_pred = [p.size for p in spec.predecessors]
    tgt = int(np.argmax(n_pred))
    need = max(int(sizes[big]) + 1, n_pred[tgt] + 2, 3)
    rule = (f"more respondents than items in the largest block ({sizes[big]} items of {spec.constructs[big]!r}) "
            f"and at least predictors + 2 in every structural equation ({n_pred[tgt]} predictors of "
            f"{spec.constructs[tgt]!r}): at least {need} rows")
    return need, rule


def _check_rows(n: int, spec: _Spec, name: str = "data") -> None:
    need, rule = _min_rows(spec)
    if n < need:
        raise CrmlabValueError(f"{name} has {n} complete rows; a PLS fit needs {rule}")


def _percentile_table(original: np.ndarray, draws: np.ndarray, labels: list[str], level: float) -> pd.DataFrame:
    """Bootstrap table in the statistics vocabulary: estimate, mean_boot, std_error, t_value, p_value, ci_lower, ci_upper.

    std_error = bootstrap SD (divisor B − 1); t = estimate / std_error; p two-sided from
    the t distribution with B − 1 degrees of freedom (SmartPLS's rule); percentile
    interval at ``level`` (numpy's linear quantile = R type 7).  NaN draws (an undefined
    index in a resample) are left out per column.
    """
    alpha = (1 - level) / 2
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: undefined in every resample
        se = np.nanstd(draws, axis=0, ddof=1)
        t_val = original / se
        return pd.DataFrame({
            "estimate": original, "mean_boot": np.nanmean(draws, axis=0), "std_error": se, "t_value": t_val,
            "p_value": 2 * stats.t.sf(np.abs(t_val), max(draws.shape[0] - 1, 1)),
            "ci_lower": np.nanquantile(draws, alpha, axis=0), "ci_upper": np.nanquantile(draws, 1 - alpha, axis=0),
        }, index=pd.Index(labels, name="parameter"))


# --------------------------------------------------------------------------
# public model
# --------------------------------------------------------------------------
@dataclass
class PLSBootstrapResult:
    """Bootstrap tables of a fitted :class:`PLSPathModel`.

    Each table (``weights``, ``loadings``, ``paths``, ``total_effects``, ``r2``
    and, when the item scale is known, ``index``) has columns ``estimate`` (the
    full-sample value), ``mean_boot``, ``std_error`` (bootstrap SD, divisor B − 1),
    ``t_value`` (estimate / std_error), ``p_value`` (two-sided, t with B − 1 df),
    ``ci_lower`` and ``ci_upper`` (percentile interval at ``level``, numpy's default
    linear quantile = R type 7); paths and effects are indexed ``"A -> B"``.
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
    settings: dict = field(default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        """The stacked tables of :meth:`summary` (for :func:`crmlab.results.table_and_settings`)."""
        return self.summary()

    def summary(self) -> pd.DataFrame:
        """All tables stacked, with a ``table`` column naming each parameter group."""
        parts = {k: getattr(self, k) for k in ("weights", "loadings", "paths", "total_effects", "r2", "index")}
        frames = [t.assign(table=k).reset_index(names="parameter") for k, t in parts.items() if t is not None]
        out = pd.concat(frames, ignore_index=True)
        return out[["table", "parameter", *[c for c in out.columns if c not in ("table", "parameter")]]]


@dataclass
class PLSImportancePerformance:
    """Importance–performance map data of :meth:`PLSPathModel.importance_performance`.

    ``table``: one row per construct (or item) with ``importance``, ``performance`` (and
    ``importance_standardized`` / ``construct``); ``settings``: target, level, item scale.
    """

    table: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


SCORE_SD = ("population", "sample")


class PLSPathModel:
    """A PLS path model (ACSI/ECSI or user-declared), estimated as R plspm does.

    Parameters
    ----------
    blocks : dict {construct: [item columns]} — the measurement model.
    paths : list of (source, target) construct pairs — the structural model (must be acyclic).
    modes : dict {construct: "A" | "B"}; constructs not listed use Mode A.
    scheme : inner weighting scheme, "centroid" (plspm's default), "factorial" or "path".
    scaled : True standardises items; False only centres them, so outer weights are on
        the items' own scale (plspm ``scaled=FALSE``; ACSI practice).
    tol, max_iter : plspm's stopping rule, Σ(|w_old| − |w_new|)² < tol, at most max_iter iterations.
    consistent : False (default, composite PLS as plspm), True (every multi-item Mode A
        block is a reflective common factor, estimated by consistent PLS, PLSc: Dijkstra &
        Henseler 2015, MISQ 39(2)) or a list of the Mode A constructs to treat so.  PLSc
        divides score correlations by sqrt(ρ_A,i ρ_A,j), re-estimates paths and R² from
        them and corrects the loadings to w·sqrt(ρ_A)/(w'w) (as R seminr for
        ``reflective()`` constructs).  Weights and scores stay the PLS composites; the OLS
        standard errors of ``inner_model_`` are not valid for PLSc and are NaN (bootstrap).
    score_sd : "population" (default; latent scores with divisor-n SD 1, as R plspm) or
        "sample" (divisor n − 1, as seminr and SmartPLS).  Changes the scale of ``scores_``
        and, for ``scaled=False``, of the outer weights by sqrt((n − 1)/n); paths,
        loadings, R² and indices do not depend on it.
    on_nonconvergence : "raise" (default) or "warn" (keep the last iterate, ``converged_`` False).

    After :meth:`fit`: ``outer_model_`` (weight, loading, communality, redundancy per item),
    ``outer_weights_``, ``loadings_``, ``path_coefficients_`` (row = source, column = target),
    ``inner_model_`` (OLS table per path, indexed ``"A -> B"``), ``r2_``, ``effects_``,
    ``scores_``, ``rho_a_``, ``inner_summary_``, ``unidimensionality_``, ``crossloadings_``,
    ``gof_``, ``n_iter_``, ``converged_``, ``missing_report_`` and ``settings_`` (also
    ``settings``).  Fitting needs :func:`_min_rows` rows.
    """

    def __init__(self, blocks: Mapping[str, Sequence[str]], paths: Sequence[tuple[str, str]], *,
                 modes: Mapping[str, str] | None = None, scheme: str = "centroid", scaled: bool = True,
                 tol: float = 1e-6, max_iter: int = 100, consistent: bool | Sequence[str] = False,
                 score_sd: str = "population", on_nonconvergence: str = "raise"):
        check_choice(scheme, "scheme", SCHEMES)
        if not isinstance(scaled, bool):
            raise CrmlabValueError(f"scaled must be True or False, got {scaled!r}")
        check_scalar(tol, "tol", low=0, low_inclusive=False)
        check_scalar(max_iter, "max_iter", low=1, integer=True)
        check_choice(score_sd, "score_sd", SCORE_SD)
        check_choice(on_nonconvergence, "on_nonconvergence", CONVERGENCE_POLICIES)
        self._spec = _build_spec(blocks, paths, modes)
        self.blocks = {c: list(blocks[c]) for c in blocks}
        self.paths = [tuple(p) for p in paths]
        self.modes = dict(zip(self._spec.constructs, self._spec.modes))
        self.scheme = scheme
        self.scaled = scaled
        self.tol = float(tol)
        self.max_iter = int(max_iter)
        self.score_sd = score_sd
        self.on_nonconvergence = on_nonconvergence
        self.consistent = consistent
        self._consistent = self._consistent_mask(consistent)

    def _consistent_mask(self, consistent) -> np.ndarray:
        spec = self._spec
        multi_a = np.array([m == "A" for m in spec.modes]) & (spec.odm.sum(axis=0) > 1)
        if isinstance(consistent, bool):
            return multi_a & consistent
        if isinstance(consistent, str) or not isinstance(consistent, Sequence):
            raise CrmlabValueError(f"consistent must be True, False or a list of construct names, got {consistent!r}")
        for c in consistent:
            if c not in spec.constructs:
                raise CrmlabValueError(f"consistent names unknown construct {c!r}; constructs: {spec.constructs}")
            if not multi_a[spec.constructs.index(c)]:
                raise CrmlabValueError(f"consistent names {c!r}, which is not a multi-item Mode A block; "
                                       "PLSc corrects reflective (Mode A) blocks with two or more items")
        return np.isin(spec.constructs, list(consistent))

    # -- fitting ------------------------------------------------------------
    def _fit_estimate(self, raw: np.ndarray, with_rho: bool = False) -> _Estimates:
        return _estimate(raw, self._spec, self.scheme, self.scaled, self.tol, self.max_iter, self._consistent, with_rho)

    def _settings(self, missing: str, scale) -> dict:
        return {"scheme": self.scheme, "modes": dict(self.modes), "scaled": self.scaled,
                "standardisation": "items standardised" if self.scaled else "items centred only",
                "score_sd": self.score_sd,
                "sd_divisor": "n (population, as plspm)" if self.score_sd == "population" else "n - 1 (sample, as seminr)",
                "consistent": [c for c, m in zip(self._spec.constructs, self._consistent) if m],
                "tol": self.tol, "max_iter": self.max_iter,
                "stopping_rule": "sum((|w_old| - |w_new|)^2) < tol (plspm)",
                "on_nonconvergence": self.on_nonconvergence, "missing": missing, "scale": scale}

    def fit(self, data: pd.DataFrame, *, missing: str = "error", scale: tuple[float, float] | None = None) -> PLSPathModel:
        """Estimate the model on the item columns of ``data``.

        ``missing``: "error" (default: refuse, naming rows and columns), "mean" (replace
        by the item mean) or "drop" (casewise deletion); what was done is in
        ``missing_report_``.  ``scale``: (min, max) endpoints of the item scale; items
        outside it are an error, and it is the default scale of :meth:`index_0_100`.
        """
        frame, report = _prepare_items(data, self._spec.items, missing, scale)
        _check_rows(len(frame), self._spec)
        raw = frame.to_numpy()
        degenerate = False
        try:
            with np.errstate(all="ignore"):
                est = self._fit_estimate(raw[None], with_rho=True)
            degenerate = not all(np.isfinite(a).all() for a in (est.W, est.P, est.loadings, est.r2))
        except np.linalg.LinAlgError:
            degenerate = True
        if degenerate:
            self._raise_degenerate(raw)
        check_convergence(bool(est.converged[0]), what="the PLS outer-weight iteration",
                          detail=f"no convergence within max_iter={self.max_iter} iterations (tol={self.tol:g})",
                          policy=self.on_nonconvergence)
        self.missing_report_ = report
        self._raw, self._est, self._index_names = raw, est, frame.index
        self.scale_ = None if scale is None else check_scale(scale)
        self.n_obs_ = raw.shape[0]
        self.n_iter_ = int(est.iterations[0])
        self.converged_ = bool(est.converged[0])
        self.settings_ = self._settings(missing, self.scale_)
        try:
            with np.errstate(all="ignore"):
                self._tables()
        except np.linalg.LinAlgError:
            self._raise_degenerate(raw)
        return self

    def _raise_degenerate(self, raw: np.ndarray) -> None:
        """Name the perfectly collinear block (or say that construct scores are) instead of returning NaN or a LinAlgError."""
        spec = self._spec
        with np.errstate(all="ignore"):
            corr = np.corrcoef(raw, rowvar=False)
        for j, c in enumerate(spec.constructs):
            cols = np.flatnonzero(spec.block_of_item == j)
            sub = corr[np.ix_(cols, cols)]
            if not np.isfinite(sub).all() or (cols.size > 1 and np.linalg.matrix_rank(sub, tol=1e-10) < cols.size):
                raise CrmlabValueError(
                    f"items {_preview([spec.items[i] for i in cols])} of block {c!r} are perfectly collinear or numerically "
                    "degenerate (singular item correlation matrix); the PLS estimates would not be finite. "
                    "Remove duplicated or linearly dependent items, or rescale items with tiny variance")
        raise CrmlabValueError(
            "the PLS fit is degenerate: construct scores are perfectly collinear (singular predictor correlation matrix), "
            "so paths are not identified; check for duplicated items across blocks")

    @property
    def settings(self) -> dict:
        """The conventions of the fit (scheme, scaling, score SD, PLSc constructs, stopping rule, missing values, scale)."""
        check_is_fitted(self, "outer_model_")
        return self.settings_

    def _report_factor(self, n: int) -> tuple[float, float]:
        """(weight factor, score factor) turning divisor-n scores into the ``score_sd`` convention."""
        c = np.sqrt((n - 1) / n) if self.score_sd == "sample" else 1.0
        return (1.0 if self.scaled else c), c

    def _tables(self) -> None:
        spec, est, n = self._spec, self._est, self.n_obs_
        cons, items = spec.constructs, spec.items
        W, xcor = est.W[0], est.xcor[0]
        w_factor, s_factor = self._report_factor(n)
        block = [cons[j] for j in spec.block_of_item]
        r2 = pd.Series(est.r2[0], index=cons)
        weight = (W * spec.odm).sum(axis=1) * w_factor
        loading = est.loadings[0]
        communality = loading**2
        redundancy = communality * r2.to_numpy()[spec.block_of_item]
        item_index = pd.Index(items, name="name")
        self.outer_model_ = pd.DataFrame({"block": block, "weight": weight, "loading": loading,
                                          "communality": communality, "redundancy": redundancy}, index=item_index)
        self.outer_weights_ = self.outer_model_["weight"]
        self.loadings_ = self.outer_model_["loading"]
        self.crossloadings_ = pd.DataFrame(xcor, index=item_index, columns=cons)
        self.crossloadings_.insert(0, "block", block)
        self.scores_ = pd.DataFrame(est.scores[0] * s_factor, index=self._index_names, columns=cons)
        self.rho_a_ = pd.Series(est.rho_a[0], index=pd.Index(cons, name="construct"), name="rho_a")
        self.path_coefficients_ = pd.DataFrame(est.P[0], index=pd.Index(cons, name="source"),
                                               columns=pd.Index(cons, name="target"))
        endo = spec.endogenous
        self.r2_ = r2.iloc[endo].rename("r2")
        self.inner_model_ = self._inner_table(est.C[0], est.P[0], r2)
        # effects for every pair linked by a directed chain, in model order
        L = len(cons)
        reach = np.linalg.matrix_power(spec.adjacency + np.eye(L), L) > 0
        np.fill_diagonal(reach, False)
        i_idx, j_idx = np.nonzero(reach)
        P = est.P[0]
        total = est.total[0][i_idx, j_idx]
        self.effects_ = pd.DataFrame({
            "source": [cons[i] for i in i_idx], "target": [cons[j] for j in j_idx],
            "direct": P[i_idx, j_idx], "indirect": total - P[i_idx, j_idx], "total": total},
            index=pd.Index([pair_label(cons[i], cons[j]) for i, j in zip(i_idx, j_idx)], name="relationship"))
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
        uni["rho_a"] = self.rho_a_.to_numpy()
        self.unidimensionality_ = uni
        multi = n_items[spec.block_of_item] > 1
        self.gof_ = float(np.sqrt(communality[multi].mean() * self.r2_.mean()))

    def _inner_table(self, C: np.ndarray, P: np.ndarray, r2: pd.Series, level: float = 0.95) -> pd.DataFrame:
        """OLS table per path with intercept on standardised scores (plspm ``get_paths`` via lm), indexed ``"A -> B"``.

        SE = sqrt(σ² diag(R⁻¹)/n), σ² = n(1 − R²)/df, df = n − k − 1; t-based p values and
        intervals at ``level``.  NaN for PLSc paths (OLS theory does not hold for them).
        """
        spec, n, cons = self._spec, self.n_obs_, self._spec.constructs
        src, tgt, se, dfs = [], [], [], []
        for j in spec.endogenous:
            pred = spec.predecessors[j]
            df = n - pred.size - 1
            sigma2 = n * (1 - r2.iloc[j]) / df
            se.append(np.sqrt(sigma2 * np.diag(np.linalg.inv(C[np.ix_(pred, pred)])) / n))
            src += list(pred)
            tgt += [j] * pred.size
            dfs += [df] * pred.size
        b = P[src, tgt]
        se = np.concatenate(se)
        if self._consistent.any():
            se = np.full_like(se, np.nan)
        dfs = np.array(dfs)
        t_val = b / se
        q = stats.t.ppf(0.5 + level / 2, dfs)
        return pd.DataFrame({
            "source": [cons[i] for i in src], "target": [cons[j] for j in tgt], "estimate": b, "std_error": se,
            "t_value": t_val, "p_value": 2 * stats.t.sf(np.abs(t_val), dfs), "ci_lower": b - q * se, "ci_upper": b + q * se,
        }, index=pd.Index([pair_label(cons[i], cons[j]) for i, j in zip(src, tgt)], name="path"))

    # -- reporting ----------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """One row per construct: type, mode, items, R², AVE, Cronbach's α, ρc, ρ_A, DG ρ (GoF in ``gof_``, conventions in ``settings``)."""
        check_is_fitted(self, "outer_model_")
        uni = self.unidimensionality_
        return pd.DataFrame({
            "type": self.inner_summary_["type"], "mode": uni["mode"], "items": uni["mvs"],
            "r_squared": self.inner_summary_["r_squared"], "ave": self.inner_summary_["ave"],
            "cronbach_alpha": uni["cronbach_alpha"], "composite_reliability": uni["composite_reliability"],
            "rho_a": uni["rho_a"], "dillon_goldstein_rho": uni["dillon_goldstein_rho"],
        })

    def fornell_larcker(self) -> pd.DataFrame:
        """Fornell & Larcker (1981) table: construct correlations, √AVE on the diagonal.

        Discriminant validity holds for a construct when its diagonal entry exceeds
        every correlation in its row and column.
        """
        check_is_fitted(self, "outer_model_")
        corr = self.scores_.corr().to_numpy(copy=True)
        np.fill_diagonal(corr, np.sqrt(self.inner_summary_["ave"].to_numpy()))
        cons = pd.Index(self._spec.constructs, name="construct")
        return pd.DataFrame(corr, index=cons, columns=self._spec.constructs)

    def htmt(self) -> pd.DataFrame:
        """HTMT of the fitted items (see :func:`htmt`)."""
        check_is_fitted(self, "outer_model_")
        frame = pd.DataFrame(self._raw, columns=self._spec.items)
        return htmt(frame, {c: self.blocks[c] for c in self._spec.constructs})

    def inner_vif(self) -> pd.DataFrame:
        """VIF of each endogenous construct's predictors: diagonal of the inverse predictor correlation matrix."""
        check_is_fitted(self, "outer_model_")
        spec, C = self._spec, self._est.C[0]
        rows = []
        for j in spec.endogenous:
            pred = spec.predecessors[j]
            vif = np.diag(np.linalg.inv(C[np.ix_(pred, pred)])) if pred.size > 1 else np.ones(1)
            rows += [(spec.constructs[i], spec.constructs[j], v) for i, v in zip(pred, vif)]
        out = pd.DataFrame(rows, columns=["predictor", "target", "vif"])
        return out.set_axis(pd.Index([pair_label(a, b) for a, b, _ in rows], name="path"))

    def _resolve_scale(self, scale) -> tuple[float, float]:
        scale = self.scale_ if scale is None else scale
        if scale is None:
            raise CrmlabValueError("the item scale endpoints are unknown: pass scale=(min, max), e.g. (1, 10)")
        low, high = check_scale(scale)
        lo, hi = self._raw.min(), self._raw.max()
        if lo < low or hi > high:
            raise CrmlabValueError(f"item values span [{lo:g}, {hi:g}], outside the declared item scale [{low:g}, {high:g}]")
        return low, high

    def item_scale_weights(self) -> pd.DataFrame:
        """Unstandardised outer weights (on the items' own scale) and their sum-to-1 rescaling per block.

        ``item_weight`` = outer weight / item SD (divisor of ``score_sd``) when ``scaled=True``
        (else the weight itself); ``rescaled_weight`` = item_weight / block sum (Fornell et al. 1996).
        """
        check_is_fitted(self, "outer_model_")
        spec = self._spec
        w = self.outer_weights_.to_numpy()
        ddof = 1 if self.score_sd == "sample" else 0
        item_w = w / self._raw.std(axis=0, ddof=ddof) if self.scaled else w
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
        """Latent scores: ``"standardized"`` (mean 0, SD 1 with the ``score_sd`` divisor) or
        ``"item_scale"`` (Σ w̃ᵢ xᵢ with the rescaled unstandardised weights, on the items' scale; plspm ``rescale``)."""
        check_is_fitted(self, "outer_model_")
        check_choice(kind, "kind", ("standardized", "item_scale"))
        if kind == "standardized":
            return self.scores_.copy()
        w_tilde = self._check_positive_weights()["rescaled_weight"].to_numpy()
        return pd.DataFrame(self._raw @ (w_tilde[:, None] * self._spec.odm), index=self._index_names,
                            columns=self._spec.constructs)

    def index_0_100(self, scale: tuple[float, float] | None = None) -> pd.Series:
        """ACSI-style 0–100 index per construct, 100 (Σ w̃ᵢ x̄ᵢ − min) / (max − min) (Fornell et al. 1996).

        ``scale`` = (min, max) endpoints of the item scale (default: the one given to
        :meth:`fit`, ``settings["scale"]``).  Raises if an unstandardised outer weight is not positive.
        """
        check_is_fitted(self, "outer_model_")
        low, high = self._resolve_scale(scale)
        w_tilde = self._check_positive_weights()["rescaled_weight"].to_numpy()
        idx = _index_0_100(w_tilde[None], self._raw[None], self._spec, low, high)[0]
        return pd.Series(idx, index=pd.Index(self._spec.constructs, name="construct"), name="index_0_100")

    def importance_performance(self, target: str, scale: tuple[float, float] | None = None, *,
                               level: str = "construct") -> PLSImportancePerformance:
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
        names the item's block.  Returns ``.table`` and ``.settings`` (target, level, scale).
        """
        check_is_fitted(self, "outer_model_")
        check_choice(level, "level", ("construct", "item"))
        if target not in self._spec.constructs:
            raise CrmlabValueError(f"target {target!r} is not a construct of this model; constructs: {self._spec.constructs}")
        eff = self.effects_[self.effects_["target"] == target].set_index("source")
        if eff.empty:
            raise CrmlabValueError(f"no construct has a path leading to {target!r}; it is exogenous")
        low, high = self._resolve_scale(scale)
        performance = self.index_0_100((low, high))
        sd = self.latent_scores("item_scale").std(ddof=0)
        out = pd.DataFrame({
            "importance": eff["total"] * sd[target] / sd[eff.index],
            "importance_standardized": eff["total"],
            "performance": performance[eff.index],
        })
        out.index.name = "construct"
        if level == "item":
            weights = self.item_scale_weights()
            items = weights[weights["block"].isin(out.index)]
            means = pd.Series(self._raw.mean(axis=0), index=self.outer_model_.index)[items.index]
            out = pd.DataFrame({
                "construct": items["block"],
                "importance": items["rescaled_weight"] * out.loc[items["block"], "importance"].to_numpy(),
                "performance": 100.0 * (means - low) / (high - low),
            })
            out.index.name = "item"
        return PLSImportancePerformance(out, {"target": target, "level": level, "scale": (low, high),
                                              "importance": "unstandardised total effect on the 0-100 scale"})

    # -- resampling -----------------------------------------------------------
    def _resample_fits(self, raw: np.ndarray, indices: np.ndarray, batch_size: int):
        """Fit the model on ``raw[indices[b]]`` for every row of ``indices``, ``batch_size`` at a time.

        Yields ``(sample, est, keep)`` per batch: ``sample`` the resampled items of the usable
        resamples, ``keep`` marks, among the batch, those resamples (no constant item; converged
        with finite weights), ``est`` the estimates of ``sample`` restricted to them.
        """
        for start in range(0, len(indices), batch_size):
            sample = raw[indices[start:start + batch_size]]
            ok = (sample.std(axis=1) > 0).all(axis=1)
            keep = np.zeros(len(sample), dtype=bool)
            if ok.any():
                est = self._robust_estimate(sample[ok])
                good = est.converged & np.isfinite(est.W).all(axis=(1, 2)) & np.isfinite(est.P).all(axis=(1, 2))
                keep[np.flatnonzero(ok)[good]] = True
                est = _take(est, good)
            else:
                est = None
            yield sample[keep], est, keep

    def _robust_estimate(self, raw: np.ndarray) -> _Estimates:
        """Batched fit that survives a singular resample: on LinAlgError the batch is refitted one by one and
        the singular resamples come back with NaN weights (callers drop and count them)."""
        try:
            with np.errstate(all="ignore"):
                return self._fit_estimate(raw)
        except np.linalg.LinAlgError:
            parts = []
            for b in range(raw.shape[0]):
                try:
                    with np.errstate(all="ignore"):
                        parts.append(self._fit_estimate(raw[b:b + 1]))
                except np.linalg.LinAlgError:
                    n, p, L = raw.shape[1], *self._spec.odm.shape
                    nan = lambda *shape: np.full((1, *shape), np.nan)  # noqa: E731
                    parts.append(_Estimates(nan(p, L), nan(n, L), nan(p, L), nan(p), nan(L), nan(L, L), nan(L, L),
                                            nan(L), nan(L, L), np.zeros(1, dtype=int), np.zeros(1, dtype=bool)))
            return _Estimates(*(np.concatenate([getattr(e, f.name) for e in parts]) for f in fields(_Estimates)))

    def bootstrap(self, n_boot: int = 500, *, random_state: int | None = None, level: float = 0.95,
                  indices: np.ndarray | None = None, batch_size: int = 250) -> PLSBootstrapResult:
        """Bootstrap the fitted model: resample rows with replacement and refit every resample.

        ``random_state`` seeds numpy's ``default_rng``; ``indices`` (n_boot × n row
        positions) replaces the random draw (e.g. to replay another program's
        resamples).  Percentile intervals at ``level`` (default 0.95: 2.5 % and 97.5 %;
        R plspm prints 5 % / 95 %, i.e. level=0.90).  Resamples are fitted
        ``batch_size`` at a time, vectorised across resamples.  Resamples that do not
        converge or contain a constant item are dropped and counted (R plspm redraws them).
        """
        check_is_fitted(self, "outer_model_")
        level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
        spec, raw = self._spec, self._raw
        n = raw.shape[0]
        if indices is None:
            n_boot = check_scalar(n_boot, "n_boot", low=2, integer=True)
            indices = np.random.default_rng(random_state).integers(0, n, size=(n_boot, n))
        else:
            indices = _check_indices(indices, n)
            n_boot = indices.shape[0]
        check_scalar(batch_size, "batch_size", low=1, integer=True)
        with_index = self.scale_ is not None
        pairs = [(i, j) for i, j in zip(*np.nonzero(spec.adjacency))]
        eff_i = np.array([spec.constructs.index(s) for s in self.effects_["source"]])
        eff_j = np.array([spec.constructs.index(t) for t in self.effects_["target"]])
        endo = spec.endogenous
        w_factor, _ = self._report_factor(n)
        chunks: dict[str, list[np.ndarray]] = {k: [] for k in ("weights", "loadings", "paths", "total_effects", "r2", "index")}
        n_kept = 0
        for sample, est, keep in self._resample_fits(raw, indices, batch_size):
            if not keep.any():
                continue
            n_kept += int(keep.sum())
            chunks["weights"].append((est.W * spec.odm).sum(axis=2) * w_factor)
            chunks["loadings"].append(est.loadings)
            chunks["paths"].append(est.P[:, [i for i, _ in pairs], [j for _, j in pairs]])
            chunks["total_effects"].append(est.total[:, eff_i, eff_j])
            chunks["r2"].append(est.r2[:, endo])
            if with_index:
                w_tilde = _item_scale_weights(est.W, sample, spec, self.scaled)
                idx = _index_0_100(w_tilde, sample, spec, *self.scale_)
                neg = ((w_tilde <= 0)[:, :, None] * spec.odm).any(axis=1)
                chunks["index"].append(np.where(neg, np.nan, idx))
        if n_kept < 2:
            raise CrmlabValueError(f"only {n_kept} of {n_boot} bootstrap resamples could be fitted (constant items or "
                                   "no convergence); the bootstrap needs at least 2")
        names = {
            "weights": (list(spec.items), self.outer_weights_.to_numpy()),
            "loadings": (list(spec.items), self.loadings_.to_numpy()),
            "paths": ([pair_label(spec.constructs[i], spec.constructs[j]) for i, j in pairs],
                      np.array([self._est.P[0][i, j] for i, j in pairs])),
            "total_effects": (list(self.effects_.index), self.effects_["total"].to_numpy()),
            "r2": (list(self.r2_.index), self.r2_.to_numpy()),
        }
        if with_index:
            orig_w = _item_scale_weights(self._est.W, raw[None], spec, self.scaled)
            orig_index = _index_0_100(orig_w, raw[None], spec, *self.scale_)[0]
            orig_index[((orig_w[0] <= 0)[:, None] * spec.odm).any(axis=0)] = np.nan
            names["index"] = (list(spec.constructs), orig_index)
        tables, draws = {}, {}
        for key, (labels, original) in names.items():
            d = np.concatenate(chunks[key])
            draws[key] = pd.DataFrame(d, columns=labels)
            tables[key] = _percentile_table(original, d, labels, level)
        settings = {"n_boot": n_boot, "n_kept": n_kept, "level": level, "random_state": random_state,
                    "interval": "percentile", "p_value": "two-sided, t distribution with B - 1 df",
                    "failed_resamples": "dropped and counted", **self.settings_}
        return PLSBootstrapResult(tables["weights"], tables["loadings"], tables["paths"], tables["total_effects"],
                                  tables["r2"], tables.get("index"), n_kept, n_boot - n_kept, level,
                                  random_state, draws, settings)

    # -- PLSpredict -------------------------------------------------------------
    def plspredict(self, n_folds: int = 10, *, n_repeats: int = 1, random_state: int | None = None,
                   technique: str = "earliest_antecedents", folds: np.ndarray | None = None) -> PLSPredictResult:
        """PLSpredict (Shmueli, Ray, Velasquez Estrada & Chatla 2016; Shmueli, Sarstedt, Hair et al. 2019, EJM 53(11)).

        k-fold cross-validation, repeated ``n_repeats`` times: each repetition shuffles the
        rows (``random_state``) and cuts them into ``n_folds`` contiguous folds as R's
        ``cut(seq_len(n), k)`` (seminr's ``predict_pls``); the model is refitted on the
        other folds and predicts the held-out rows' endogenous items:

        * PLS: test items are treated with the training means (and SDs when ``scaled``),
          scores = items × training weights; endogenous scores are predicted from the
          exogenous scores through the paths (``technique="earliest_antecedents"``, the
          reduced form, Shmueli et al. 2016) or from the direct antecedents' scores
          (``"direct_antecedents"``, seminr's default); item = training mean +
          predicted score × loading × training item SD.
        * LM benchmark: OLS of each endogenous item on the items of the exogenous
          constructs (earliest antecedents) or of the construct's direct antecedents,
          with intercept, fitted on the training rows (as seminr).
        * Q²predict = 1 − Σ(y − ŷ)² / Σ(y − ȳ_train)², ȳ_train the training-fold item
          mean (Shmueli et al. 2019); RMSE and MAE of the out-of-sample errors.

        With ``n_repeats`` > 1 each row's predictions are averaged over repetitions
        before the errors are computed (seminr, SmartPLS).  ``folds`` (n_repeats × n
        fold numbers 0 … k − 1) replaces the random split.  Defined for composite PLS:
        a PLSc model raises.  Training folds are fitted vectorised as one batch.
        """
        check_is_fitted(self, "outer_model_")
        check_choice(technique, "technique", PREDICT_TECHNIQUES)
        if self._consistent.any():
            raise CrmlabValueError("plspredict is defined for composite PLS estimates (Shmueli et al. 2016); "
                                   "this model is fitted with consistent=... (PLSc): refit it with consistent=False")
        spec, raw = self._spec, self._raw
        n = raw.shape[0]
        if folds is None:
            n_folds = check_scalar(n_folds, "n_folds", low=2, high=n, integer=True)
            n_repeats = check_scalar(n_repeats, "n_repeats", low=1, integer=True)
            rng = np.random.default_rng(random_state)
            cut = _cut_folds(n, n_folds)
            folds = np.empty((n_repeats, n), dtype=int)
            for r in range(n_repeats):
                folds[r, rng.permutation(n)] = cut
        else:
            folds = _check_folds(folds, n)
            n_repeats, n_folds = folds.shape[0], int(folds.max()) + 1
        smallest = min(int((folds[r] != f).sum()) for r in range(n_repeats) for f in range(n_folds))
        _check_rows(smallest, spec, name="the smallest training set (all rows but one fold)")
        return _plspredict(self, folds, technique, random_state)

    # -- shared by multi-group analysis ------------------------------------------
    def _estimate_groups(self, raw: np.ndarray, rows: np.ndarray, batch_size: int) -> tuple[_Estimates, np.ndarray]:
        """Estimates of the row sets ``rows`` (B, m) and the mask of usable ones."""
        parts, keeps = [], []
        for _, est, keep in self._resample_fits(raw, rows, batch_size):
            keeps.append(keep)
            if est is not None:
                parts.append(est)
        keep = np.concatenate(keeps)
        if not parts:
            return None, keep
        est = _Estimates(*(np.concatenate([getattr(e, f.name) for e in parts]) for f in fields(_Estimates)))
        return est, keep


# --------------------------------------------------------------------------
# PLSpredict
# --------------------------------------------------------------------------
PREDICT_TECHNIQUES = ("earliest_antecedents", "direct_antecedents")


def _check_indices(indices, n: int) -> np.ndarray:
    """An (B, n) array of integer row positions in [0, n − 1]."""
    arr = np.asarray(indices)
    if arr.ndim != 2 or arr.shape[1] != n or arr.shape[0] < 1 or not np.issubdtype(arr.dtype, np.integer) \
            or arr.min() < 0 or arr.max() >= n:
        raise CrmlabValueError(f"indices must be an (n_boot, {n}) array of integer row positions in [0, {n - 1}], "
                               f"got shape {arr.shape} of dtype {arr.dtype}")
    return arr


def _cut_folds(n: int, k: int) -> np.ndarray:
    """Fold number (0 … k − 1) of positions 1 … n as R's ``cut(seq_len(n), breaks = k)`` (contiguous, near-equal)."""
    breaks = 1 + np.arange(1, k) * (n - 1) / k
    return np.searchsorted(breaks, np.arange(1, n + 1), side="left")


def _check_folds(folds, n: int) -> np.ndarray:
    """Fold numbers as an (n_repeats, n) integer array whose rows use every fold 0 … k − 1 (k ≥ 2)."""
    arr = np.asarray(folds)
    if arr.ndim == 1:
        arr = arr[None]
    if arr.ndim != 2 or arr.shape[1] != n or not np.issubdtype(arr.dtype, np.integer) or arr.min() < 0:
        raise CrmlabValueError(f"folds must be an (n_repeats, {n}) array of integer fold numbers 0 … k - 1, "
                               f"got shape {arr.shape} of dtype {arr.dtype}")
    k = int(arr.max()) + 1
    for r, row in enumerate(arr):
        used = np.unique(row)
        if k < 2 or used.size != k:
            raise CrmlabValueError(f"folds row {r} uses fold numbers {_preview(used)}; every row must use each of "
                                   f"0 … k - 1 with k >= 2")
    return arr


@dataclass
class PLSPredictResult:
    """Out-of-sample prediction errors of :meth:`PLSPathModel.plspredict`.

    ``table`` (one row per endogenous item): ``construct``, ``rmse``, ``mae``,
    ``q2_predict`` of the PLS predictions and ``lm_rmse``, ``lm_mae``, ``lm_q2_predict``
    of the linear-model benchmark, ``rmse_below_lm``.  ``predictions`` /
    ``lm_predictions``: the cross-validated predictions per respondent (averaged over
    repetitions); ``folds``: fold numbers (n_repeats × n); ``settings``: the conventions.
    """

    table: pd.DataFrame
    predictions: pd.DataFrame
    lm_predictions: pd.DataFrame
    folds: np.ndarray
    settings: dict

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def predictive_power(self) -> str:
        """Shmueli et al. (2019, §4) reading: ``"none"`` when some Q²predict ≤ 0, else by how many items
        have PLS RMSE below the LM benchmark: all ``"high"``, a majority ``"medium"``, a minority ``"low"``,
        none ``"none"``."""
        t = self.table
        if (t["q2_predict"] <= 0).any():
            return "none"
        share = t["rmse_below_lm"].mean()
        return "high" if share == 1 else "medium" if share > 0.5 else "low" if share > 0 else "none"


def _plspredict(model: PLSPathModel, folds: np.ndarray, technique: str, random_state) -> PLSPredictResult:
    """The cross-validation of :meth:`PLSPathModel.plspredict`, vectorised over training sets of equal size."""
    spec, raw = model._spec, model._raw
    n, _ = raw.shape
    L = len(spec.constructs)
    endo = spec.endogenous
    endo_items = np.flatnonzero(np.isin(spec.block_of_item, endo))
    exo_mask = ~np.isin(np.arange(L), endo)
    exo_items = np.flatnonzero(exo_mask[spec.block_of_item])
    R, k = folds.shape[0], int(folds.max()) + 1
    pls = np.zeros((R, n, endo_items.size))
    lm, naive = np.zeros_like(pls), np.zeros_like(pls)
    combos = np.array([(r, f) for r in range(R) for f in range(k)])
    sizes = np.array([(folds[r] != f).sum() for r, f in combos])
    for size in np.unique(sizes):
        sel = combos[sizes == size]
        train_idx = np.stack([np.flatnonzero(folds[r] != f) for r, f in sel])
        test_idx = np.stack([np.flatnonzero(folds[r] == f) for r, f in sel])
        train, test = raw[train_idx], raw[test_idx]
        constant = (train.std(axis=1) == 0).any(axis=1)
        if constant.any():
            r, f = sel[int(np.flatnonzero(constant)[0])]
            item = spec.items[int(np.flatnonzero(train[int(np.flatnonzero(constant)[0])].std(axis=0) == 0)[0])]
            raise CrmlabValueError(f"item {item!r} is constant in the training rows of repetition {r}, fold {f}; "
                                   "use fewer folds or check the item")
        est = model._robust_estimate(train)
        if not np.isfinite(est.P).all():
            r, f = sel[int(np.flatnonzero(~np.isfinite(est.P).all(axis=(1, 2)))[0])]
            raise CrmlabValueError(f"the PLS fit of the training rows of repetition {r}, fold {f} is degenerate "
                                   "(singular item or score correlation matrix); use fewer folds or check for collinear items")
        check_convergence(bool(est.converged.all()), what="a PLSpredict training fit",
                          detail=f"{int((~est.converged).sum())} of {len(sel)} training sets did not converge within "
                                 f"max_iter={model.max_iter}", policy=model.on_nonconvergence)
        m, s = train.mean(axis=1), train.std(axis=1)  # (B, p)
        Xte = (test - m[:, None]) / s[:, None] if model.scaled else test - m[:, None]
        S = Xte @ est.W  # (B, n_test, L) scores with training weights
        if technique == "earliest_antecedents":
            Yhat = (S * exo_mask) @ np.linalg.inv(np.eye(L) - est.P)  # reduced form from exogenous scores
        else:
            Yhat = S @ est.P
        slope = (est.loadings * s)[:, endo_items]  # item on its (unit-variance) score
        pred = m[:, None, endo_items] + Yhat[:, :, spec.block_of_item[endo_items]] * slope[:, None, :]
        lm_pred = np.empty_like(pred)
        for j in endo:
            dep = np.flatnonzero(spec.block_of_item[endo_items] == j)
            q = exo_items if technique == "earliest_antecedents" else \
                np.flatnonzero(np.isin(spec.block_of_item, spec.predecessors[j]))
            Xd = np.concatenate([np.ones(train.shape[:2] + (1,)), train[:, :, q]], axis=2)
            beta = np.linalg.solve(np.einsum("bni,bnj->bij", Xd, Xd),
                                   np.einsum("bni,bnj->bij", Xd, train[:, :, endo_items[dep]]))
            Xt = np.concatenate([np.ones(test.shape[:2] + (1,)), test[:, :, q]], axis=2)
            lm_pred[:, :, dep] = Xt @ beta
        reps = sel[:, 0][:, None]
        pls[reps, test_idx] = pred
        lm[reps, test_idx] = lm_pred
        naive[reps, test_idx] = np.broadcast_to(m[:, None, endo_items], pred.shape)
    y = raw[:, endo_items]
    pls, lm, naive = pls.mean(axis=0), lm.mean(axis=0), naive.mean(axis=0)
    sse_naive = ((y - naive) ** 2).sum(axis=0)

    def errors(pred):
        e = y - pred
        return np.sqrt((e**2).mean(axis=0)), np.abs(e).mean(axis=0), 1 - (e**2).sum(axis=0) / sse_naive

    rmse, mae, q2 = errors(pls)
    lm_rmse, lm_mae, lm_q2 = errors(lm)
    items = [spec.items[i] for i in endo_items]
    table = pd.DataFrame({"construct": [spec.constructs[spec.block_of_item[i]] for i in endo_items],
                          "rmse": rmse, "mae": mae, "q2_predict": q2,
                          "lm_rmse": lm_rmse, "lm_mae": lm_mae, "lm_q2_predict": lm_q2,
                          "rmse_below_lm": rmse < lm_rmse}, index=pd.Index(items, name="item"))
    settings = {"n_folds": k, "n_repeats": R, "random_state": random_state, "technique": technique,
                "folds": "random permutation cut into contiguous folds as R cut(seq_len(n), k) (seminr)",
                "lm_predictors": "items of the exogenous constructs" if technique == "earliest_antecedents"
                else "items of the construct's direct antecedents",
                "q2_predict_benchmark": "training-fold item mean (Shmueli et al. 2019)",
                "repetitions": "predictions averaged over repetitions before the errors",
                **model.settings_}
    frame = lambda a: pd.DataFrame(a, index=model._index_names, columns=items)  # noqa: E731
    return PLSPredictResult(table, frame(pls), frame(lm), folds, settings)


# --------------------------------------------------------------------------
# multi-group analysis: permutation test and MICOM
# --------------------------------------------------------------------------
@dataclass
class PLSMultigroupResult:
    """Two-group comparison of :func:`multigroup_analysis`.

    ``paths`` (indexed ``"A -> B"``): ``estimate_1``, ``estimate_2`` (the groups in
    ``settings["groups"]`` order), ``difference`` (1 − 2), ``p_value`` (permutation,
    two-sided), ``significant`` (p < 1 − level).  ``micom`` (one row per construct):
    step 2 ``c``, ``c_quantile``, ``c_p_value``, ``compositional_invariance``; step 3
    ``mean_difference`` / ``log_variance_ratio`` with permutation intervals and p values,
    ``equal_means``, ``equal_variances``; ``invariance`` = "full", "partial" or "none".
    """

    paths: pd.DataFrame
    micom: pd.DataFrame
    n_permutations: int
    n_failed: int
    settings: dict
    draws: dict[str, pd.DataFrame] = field(repr=False)

    @property
    def table(self) -> pd.DataFrame:
        return self.paths

    def summary(self) -> pd.DataFrame:
        return self.paths.copy()


def _permutation_p(observed: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Two-sided permutation p value (1 + #|d*| ≥ |d|) / (1 + P) (Phipson & Smyth 2010: never 0)."""
    return (1 + (np.abs(perm) >= np.abs(observed) - 1e-12).sum(axis=0)) / (1 + perm.shape[0])


def _column_corr(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Correlation of matching columns of a and b along axis −2: (..., n, L) → (..., L)."""
    a = a - a.mean(axis=-2, keepdims=True)
    b = b - b.mean(axis=-2, keepdims=True)
    return (a * b).sum(axis=-2) / np.sqrt((a**2).sum(axis=-2) * (b**2).sum(axis=-2))


def multigroup_analysis(model: PLSPathModel, data: pd.DataFrame, *, group: str, groups: Sequence | None = None,
                        n_permutations: int = 1000, random_state: int | None = None, level: float = 0.95,
                        missing: str = "error", batch_size: int = 250) -> PLSMultigroupResult:
    """Permutation multi-group analysis (Chin & Dibbern 2010) and MICOM (Henseler, Ringle & Sarstedt 2016, IMR 33(3)).

    ``model`` supplies the specification (blocks, paths, scheme, scaling, PLSc); it is
    fitted separately on each of the two groups in column ``group`` of ``data``
    (``groups`` = the two labels, in the order of the differences; default: the two
    distinct labels, sorted; rows of other labels are excluded and counted).  The labels
    are permuted ``n_permutations`` times (group sizes kept, ``random_state``) and the
    model refitted on both permuted groups, vectorised.

    * Paths: difference d = β₁ − β₂, p = (1 + #|d*| ≥ |d|)/(1 + P).
    * MICOM step 1 (configural): same items, paths, scheme and data treatment in both
      groups — holds by construction here; reported in ``settings``.
    * Step 2 (compositional): c = corr(X w₁, X w₂) on the pooled standardised items with
      each group's weights; invariance when c ≥ the (1 − level) quantile of the permuted c.
    * Step 3: pooled-data scores (weights of the pooled fit), differences of group means
      and of log variances (sample variances); equal when the observed difference lies in
      the central ``level`` interval of the permutation distribution.

    Permuted fits with a constant item or no convergence are dropped and counted.
    """
    if not isinstance(model, PLSPathModel):
        raise CrmlabValueError(f"model must be a PLSPathModel (fitted or not), got {type(model).__name__}")
    check_columns(data, [group])
    if data.index.has_duplicates:
        raise CrmlabValueError(f"data has duplicated row labels {_preview(data.index[data.index.duplicated()].unique())}; "
                               "one row per respondent is needed")
    random_state = check_random_state(random_state)
    level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
    n_permutations = check_scalar(n_permutations, "n_permutations", low=19, integer=True)
    check_scalar(batch_size, "batch_size", low=1, integer=True)
    labels = data[group]
    if labels.isna().any():
        raise CrmlabValueError(f"data column {group!r} has missing group labels at rows {_preview(data.index[labels.isna()])}")
    present = list(pd.unique(labels))
    if groups is None:
        if len(present) != 2:
            raise CrmlabValueError(f"data column {group!r} has {len(present)} groups {_preview(present)}; "
                                   "pass groups=(a, b) to compare two of them")
        groups = sorted(present, key=str)
    if isinstance(groups, str) or not isinstance(groups, Sequence) or len(groups) != 2 or groups[0] == groups[1]:
        raise CrmlabValueError(f"groups must be two different labels of column {group!r}, got {groups!r}")
    for g in groups:
        if g not in present:
            raise CrmlabValueError(f"group {g!r} does not occur in column {group!r}; labels: {_preview(present)}")
    chosen = labels.isin(list(groups))
    frame, report = _prepare_items(data.loc[chosen], model._spec.items, missing, None)
    g1 = (labels.loc[frame.index] == groups[0]).to_numpy()
    raw = frame.to_numpy()
    spec = model._spec
    n, n1 = raw.shape[0], int(g1.sum())
    observed = []
    for g, mask in zip(groups, (g1, ~g1)):
        part = frame.loc[mask]
        _check_rows(len(part), spec, name=f"group {g!r}")
        if (part.max() == part.min()).any():
            check_not_constant(part, spec.items, name=f"group {g!r}")
        est = model._robust_estimate(part.to_numpy()[None])
        if not np.isfinite(est.P).all():
            raise CrmlabValueError(f"the PLS fit of group {g!r} is degenerate (singular item or score correlation "
                                   "matrix): check that group for collinear items")
        check_convergence(bool(est.converged[0]), what=f"the PLS fit of group {g!r}",
                          detail=f"no convergence within max_iter={model.max_iter}", policy=model.on_nonconvergence)
        observed.append(est)
    pooled = model._fit_estimate(raw[None])
    check_convergence(bool(pooled.converged[0]), what="the PLS fit of the pooled data",
                      detail=f"no convergence within max_iter={model.max_iter}", policy=model.on_nonconvergence)
    rng = np.random.default_rng(random_state)
    perm = rng.permuted(np.tile(np.arange(n), (n_permutations, 1)), axis=1)
    rows1, rows2 = perm[:, :n1], perm[:, n1:]
    est1, keep1 = model._estimate_groups(raw, rows1, batch_size)
    est2, keep2 = model._estimate_groups(raw, rows2, batch_size)
    valid = keep1 & keep2
    if valid.sum() < 19:
        raise CrmlabValueError(f"only {int(valid.sum())} of {n_permutations} permutations could be fitted in both groups")
    pick1, pick2 = (np.cumsum(keep1) - 1)[valid], (np.cumsum(keep2) - 1)[valid]
    src, tgt = np.nonzero(spec.adjacency)
    d_obs = observed[0].P[0][src, tgt] - observed[1].P[0][src, tgt]
    d_perm = est1.P[pick1][:, src, tgt] - est2.P[pick2][:, src, tgt]
    p_paths = _permutation_p(d_obs, d_perm)
    path_index = pd.Index([pair_label(spec.constructs[i], spec.constructs[j]) for i, j in zip(src, tgt)], name="path")
    paths = pd.DataFrame({"estimate_1": observed[0].P[0][src, tgt], "estimate_2": observed[1].P[0][src, tgt],
                          "difference": d_obs, "p_value": p_paths, "significant": p_paths < 1 - level}, index=path_index)
    # MICOM step 2: correlation of pooled-data composites built with each group's weights
    Xp = _standardize(raw[None])[0]

    def raw_weights(est, rows):
        w = est.W * spec.odm
        return w / raw[rows].std(axis=1)[:, :, None] if model.scaled else w

    c_obs = _column_corr(Xp @ raw_weights(observed[0], np.flatnonzero(g1)[None]),
                         Xp @ raw_weights(observed[1], np.flatnonzero(~g1)[None]))[0]
    c_perm = _column_corr(Xp @ raw_weights(_take(est1, pick1), rows1[valid]),
                          Xp @ raw_weights(_take(est2, pick2), rows2[valid]))
    c_quantile = np.quantile(c_perm, 1 - level, axis=0)
    # MICOM step 3: pooled-data scores, mean and log-variance differences under permutation
    scores = pooled.scores[0]

    def moments(s1, s2):
        return (s1.mean(axis=-2) - s2.mean(axis=-2),
                np.log(s1.var(axis=-2, ddof=1)) - np.log(s2.var(axis=-2, ddof=1)))

    m_obs, v_obs = moments(scores[g1], scores[~g1])
    m_perm, v_perm = moments(scores[rows1], scores[rows2])
    alpha = (1 - level) / 2
    m_lo, m_hi = np.quantile(m_perm, [alpha, 1 - alpha], axis=0)
    v_lo, v_hi = np.quantile(v_perm, [alpha, 1 - alpha], axis=0)
    compositional = c_obs >= c_quantile
    equal_means, equal_vars = (m_lo <= m_obs) & (m_obs <= m_hi), (v_lo <= v_obs) & (v_obs <= v_hi)
    micom = pd.DataFrame({
        "c": c_obs, "c_quantile": c_quantile,
        "c_p_value": (1 + (c_perm <= c_obs + 1e-12).sum(axis=0)) / (1 + c_perm.shape[0]),
        "compositional_invariance": compositional,
        "mean_difference": m_obs, "mean_ci_lower": m_lo, "mean_ci_upper": m_hi,
        "mean_p_value": _permutation_p(m_obs, m_perm), "equal_means": equal_means,
        "log_variance_ratio": v_obs, "variance_ci_lower": v_lo, "variance_ci_upper": v_hi,
        "variance_p_value": _permutation_p(v_obs, v_perm), "equal_variances": equal_vars,
        "invariance": np.where(compositional & equal_means & equal_vars, "full",
                               np.where(compositional, "partial", "none")),
    }, index=pd.Index(spec.constructs, name="construct"))
    settings = {"group_column": group, "groups": tuple(groups), "group_sizes": (n1, n - n1),
                "rows_excluded": int((~chosen).sum()), "missing_report": report,
                "n_permutations": n_permutations, "random_state": random_state, "level": level,
                "p_value": "(1 + #|d*| >= |d|) / (1 + P), permutation of group labels (Chin & Dibbern 2010)",
                "micom_configural": "established by construction: same items, paths, scheme and data treatment",
                "micom_step2": "c >= (1 - level) quantile of permuted c",
                "micom_step3": "pooled-data scores; sample variances; central level interval of permuted differences",
                **model._settings(missing, None)}
    draws = {"paths": pd.DataFrame(d_perm, columns=path_index), "c": pd.DataFrame(c_perm, columns=spec.constructs)}
    return PLSMultigroupResult(paths, micom, int(valid.sum()), n_permutations - int(valid.sum()), settings, draws)
