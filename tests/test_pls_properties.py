"""Property-based tests (hypothesis) of crmlab.pls: invariances that must hold for any data."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from crmlab.pls import PLSPathModel
from crmlab.validation import CrmlabValueError

BLOCKS = {"A": ["a1", "a2", "a3"], "B": ["b1", "b2"], "C": ["c1", "c2", "c3"]}
PATHS = [("A", "B"), ("A", "C"), ("B", "C")]
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

configs = st.fixed_dictionaries({
    "scheme": st.sampled_from(["centroid", "factorial", "path"]),
    "scaled": st.booleans(),
    "modes": st.sampled_from([{}, {"A": "B"}, {"B": "B"}]),
    "consistent": st.booleans(),
})


def survey(seed: int, n: int = 80) -> pd.DataFrame:
    """Three correlated constructs measured on a 1-7 scale with noise."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.5 * a + rng.normal(size=n)
    c = 0.4 * a + 0.4 * b + rng.normal(size=n)
    lat = {"A": a, "B": b, "C": c}
    cols = {it: np.clip(np.round(4 + lat[k] + rng.normal(scale=0.8, size=n)), 1, 7) for k, items in BLOCKS.items() for it in items}
    return pd.DataFrame(cols)


def fit(data, cfg, blocks=BLOCKS, paths=PATHS):
    consistent = cfg["consistent"] and [c for c in blocks if cfg["modes"].get(c, "A") == "A"]
    return PLSPathModel(blocks, paths, scheme=cfg["scheme"], scaled=cfg["scaled"], modes=cfg["modes"],
                        consistent=consistent or False, tol=1e-12, max_iter=500).fit(data)


def close(a, b, tol=1e-9):
    return np.allclose(np.asarray(a, float), np.asarray(b, float), atol=tol, rtol=0)


@FAST
@given(seed=st.integers(0, 10_000), cfg=configs, perm_seed=st.integers(0, 10_000))
def test_row_order_does_not_matter(seed, cfg, perm_seed):
    data = survey(seed)
    perm = np.random.default_rng(perm_seed).permutation(len(data))
    m1, m2 = fit(data, cfg), fit(data.iloc[perm], cfg)
    assert close(m1.outer_weights_, m2.outer_weights_) and close(m1.loadings_, m2.loadings_)
    assert close(m1.path_coefficients_, m2.path_coefficients_) and close(m1.r2_, m2.r2_)
    assert close(m1.scores_.loc[data.index[perm]], m2.scores_)  # scores follow their respondents


@FAST
@given(seed=st.integers(0, 10_000), cfg=configs, order=st.permutations(["A", "B", "C"]),
       item_order=st.randoms(use_true_random=False))
def test_renaming_and_reordering_constructs_and_items(seed, cfg, order, item_order):
    data = survey(seed)
    rename_c = {"A": "Image", "B": "Value", "C": "Loyalty"}
    rename_i = {it: f"q_{it}_x" for items in BLOCKS.values() for it in items}
    blocks2 = {}
    for c in order:
        items = list(BLOCKS[c])
        item_order.shuffle(items)
        blocks2[rename_c[c]] = [rename_i[i] for i in items]
    paths2 = [(rename_c[a], rename_c[b]) for a, b in reversed(PATHS)]
    cfg2 = {**cfg, "modes": {rename_c[k]: v for k, v in cfg["modes"].items()}}
    m1 = fit(data, cfg)
    m2 = fit(data.rename(columns=rename_i)[sum(blocks2.values(), [])], cfg2, blocks2, paths2)
    assert close(m1.outer_weights_.rename(rename_i)[m2.outer_weights_.index], m2.outer_weights_)
    assert close(m1.loadings_.rename(rename_i)[m2.loadings_.index], m2.loadings_)
    p1 = m1.inner_model_.set_index(m1.inner_model_["source"].map(rename_c) + " -> " + m1.inner_model_["target"].map(rename_c))
    assert close(p1["estimate"][m2.inner_model_.index], m2.inner_model_["estimate"])
    assert close(m1.r2_.rename(rename_c)[m2.r2_.index], m2.r2_)


@FAST
@given(seed=st.integers(0, 10_000), cfg=configs,
       scale=arrays(float, 8, elements=st.floats(0.1, 50)), shift=arrays(float, 8, elements=st.floats(-100, 100)))
def test_standardised_pls_is_invariant_to_affine_rescaling(seed, cfg, scale, shift):
    cfg = {**cfg, "scaled": True}
    data = survey(seed)
    m1, m2 = fit(data, cfg), fit(data * scale + shift, cfg)
    assert close(m1.outer_weights_, m2.outer_weights_, 1e-7) and close(m1.path_coefficients_, m2.path_coefficients_, 1e-7)
    assert close(m1.scores_, m2.scores_, 1e-7) and close(m1.rho_a_, m2.rho_a_, 1e-7)


@FAST
@given(n=st.integers(0, 3), constant=st.sampled_from([None, "a2", "c3"]), seed=st.integers(0, 1000))
def test_degenerate_inputs_raise(n, constant, seed):
    data = survey(seed, 80)
    if constant:
        data[constant] = 3.0
    else:
        data = data.iloc[:n]
    with pytest.raises(CrmlabValueError, match="complete rows|is constant|no complete rows"):
        PLSPathModel(BLOCKS, PATHS).fit(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=arrays(float, st.tuples(st.integers(1, 25), st.just(8)), elements=st.floats(-1e3, 1e3, allow_nan=False)),
       cfg=configs)
def test_any_data_gives_finite_estimates_or_an_error(values, cfg):
    data = pd.DataFrame(values, columns=sum(BLOCKS.values(), []))
    try:
        model = fit(data, cfg)
    except CrmlabValueError:
        return
    for table in (model.outer_weights_, model.loadings_, model.path_coefficients_, model.r2_, model.scores_):
        assert np.isfinite(np.asarray(table, float)).all()
