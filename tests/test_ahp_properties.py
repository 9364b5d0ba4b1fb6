"""Property-based tests (hypothesis) of crmlab.ahp: item order does not matter; outputs finite or an error."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab.ahp import SAATY_SCALE, ahp_priorities, complete_matrix, group_ahp
from crmlab.validation import CrmlabValueError

FAST = settings(max_examples=30, deadline=None)


@st.composite
def saaty_matrices(draw, min_n=3, max_n=7):
    n = draw(st.integers(min_n, max_n))
    upper = draw(st.lists(st.sampled_from(list(SAATY_SCALE)), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    a = np.ones((n, n))
    a[np.triu_indices(n, 1)] = upper
    a[np.tril_indices(n, -1)] = 1 / a.T[np.tril_indices(n, -1)]
    labels = [f"c{k}" for k in range(n)]
    return pd.DataFrame(a, index=labels, columns=labels)


@FAST
@given(m=saaty_matrices(), seed=st.integers(0, 10_000), method=st.sampled_from(["eigenvector", "geometric_mean"]))
def test_reordering_items_permutes_the_weights(m, seed, method):
    perm = list(np.random.default_rng(seed).permutation(m.index))
    r1 = ahp_priorities(m, method=method)
    r2 = ahp_priorities(m.loc[perm, perm], method=method)
    assert list(r2.weights.index) == perm
    assert np.allclose(r1.weights[perm], r2.weights, atol=1e-10)
    assert r1.cr == pytest.approx(r2.cr, abs=1e-10) and np.isfinite(r1.weights).all()
    # a labelled matrix whose columns are shuffled is aligned by label, not position
    r3 = ahp_priorities(m[perm], method=method)
    assert np.allclose(r1.weights, r3.weights, atol=1e-12)


@FAST
@given(m=saaty_matrices(4, 7), seed=st.integers(0, 10_000), holes=st.integers(1, 3))
def test_completion_does_not_depend_on_item_order(m, seed, holes):
    rng = np.random.default_rng(seed)
    a = m.to_numpy().copy()
    n = len(a)
    pairs = [(i, j) for i in range(1, n) for j in range(i + 1, n)]  # row 0 stays complete: connected
    for k in rng.choice(len(pairs), min(holes, len(pairs)), replace=False):
        i, j = pairs[k]
        a[i, j] = a[j, i] = np.nan
    m = pd.DataFrame(a, index=m.index, columns=m.columns)
    perm = list(rng.permutation(m.index))
    for method in ("lambda_max", "llsm"):
        c1 = complete_matrix(m, method=method).matrix
        c2 = complete_matrix(m.loc[perm, perm], method=method).matrix
        assert np.allclose(c1.loc[perm, perm], c2, rtol=1e-6)
        assert np.isfinite(c1.to_numpy()).all()


@FAST
@given(m1=saaty_matrices(3, 3), m2=saaty_matrices(3, 3), seed=st.integers(0, 100))
def test_group_result_does_not_depend_on_expert_item_order(m1, m2, seed):
    perm = list(np.random.default_rng(seed).permutation(m2.index))
    a = group_ahp({"x": m1, "y": m2}, aggregation="AIJ_geometric")
    b = group_ahp({"x": m1, "y": m2.loc[perm, perm]}, aggregation="AIJ_geometric")
    assert np.allclose(a.weights, b.weights, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.floats(-10, 10), st.just(float("nan")), st.sampled_from([1.0, 3.0, 1 / 3])),
                       max_size=16))
def test_any_matrix_gives_finite_weights_or_an_error(values):
    n = int(np.sqrt(len(values)))
    a = np.array(values[: n * n]).reshape(n, n) if n else np.empty((0, 0))
    try:
        r = ahp_priorities(a, scale="ignore")
    except CrmlabValueError:
        return
    assert np.isfinite(r.weights).all() and r.weights.sum() == pytest.approx(1) and np.isfinite(r.cr)
