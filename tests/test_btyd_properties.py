"""Property-based checks (hypothesis) of crmlab.btyd and crmlab.clv: invariances, equivariance, degenerate inputs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import bundled_log
from crmlab import btyd, clv
from crmlab.datasets import clv as clv_data
from crmlab.validation import CrmlabValueError

FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PURCHASE_MODELS = (btyd.BetaGeoModel, btyd.ModifiedBetaGeoModel, btyd.ParetoNBDModel)


@pytest.fixture(scope="module")
def bundled():
    return bundled_log().customer_summary(calibration_end=clv_data.CALIBRATION_END, observation_end=clv_data.OBSERVATION_END).table


@pytest.fixture(scope="module")
def reference_fits(bundled):
    return {cls: cls().fit(bundled) for cls in PURCHASE_MODELS}


@FAST
@given(seed=st.integers(0, 2 ** 32 - 1), which=st.sampled_from(PURCHASE_MODELS))
def test_fits_and_predictions_do_not_depend_on_customer_order(bundled, reference_fits, seed, which):
    order = np.random.default_rng(seed).permutation(len(bundled))
    shuffled = bundled.iloc[order]
    model = which().fit(shuffled)
    ref = reference_fits[which]
    # unique rows are sorted before the likelihood is summed: the fit is identical, not just close
    assert model.params_.to_numpy() == pytest.approx(ref.params_.to_numpy(), rel=1e-12)
    assert model.log_likelihood_ == ref.log_likelihood_
    got = model.conditional_expected_purchases(shuffled, 26.0)
    assert got.index.equals(shuffled.index)
    assert got.loc[bundled.index].to_numpy() == pytest.approx(ref.conditional_expected_purchases(bundled, 26.0).to_numpy(), rel=1e-12)


@FAST
@given(scale=st.floats(1e-3, 1e4))
def test_clv_is_equivariant_in_the_money_unit(bundled, reference_fits, scale):
    bg = reference_fits[btyd.BetaGeoModel]
    base = btyd.GammaGammaModel().fit(bundled)
    scaled_summary = bundled.assign(monetary_value=bundled["monetary_value"] * scale)
    scaled = btyd.GammaGammaModel().fit(scaled_summary)
    assert scaled.params_[["p", "q"]].to_numpy() == pytest.approx(base.params_[["p", "q"]].to_numpy(), rel=1e-5)
    a = btyd.customer_lifetime_value(bg, base, bundled, periods=6).table["clv"].to_numpy()
    b = btyd.customer_lifetime_value(bg, scaled, scaled_summary, periods=6).table["clv"].to_numpy()
    assert b == pytest.approx(a * scale, rel=1e-5)


@st.composite
def chains(draw):
    k = draw(st.integers(2, 5))
    raw = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=k * k, max_size=k * k))).reshape(k, k)
    shares = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k)))
    contribution = np.array(draw(st.lists(st.floats(-100, 1000), min_size=k, max_size=k)))
    perm = np.array(draw(st.permutations(range(k))))
    return raw / raw.sum(axis=1, keepdims=True), shares / shares.sum(), contribution, perm


@FAST
@given(chain=chains(), rate=st.floats(0.01, 2.0))
def test_relabelling_states_permutes_every_migration_result(chain, rate):
    m, s, c, perm = chain
    labels = [f"s{i}" for i in range(len(s))]
    frame = pd.DataFrame(m, index=labels, columns=labels)
    shuffled = frame.iloc[perm, perm]
    s_series, c_series = pd.Series(s, index=labels), pd.Series(c, index=labels)
    base = clv.migration_clv(s, m, contribution=c, rate=rate, periods=5, labels=labels).value
    moved = clv.migration_clv(s_series.iloc[perm], shuffled, contribution=c_series.iloc[perm], rate=rate, periods=5).value
    assert moved.index.tolist() == [labels[i] for i in perm]
    assert moved.loc[labels].to_numpy() == pytest.approx(base.to_numpy(), rel=1e-9, abs=1e-9)
    assert clv.share_evolution(s_series, shuffled, periods=3)[labels].to_numpy() == pytest.approx(
        clv.share_evolution(s, m, periods=3, labels=labels).to_numpy())
    assert clv.markov_clv(shuffled, c_series, rate=rate).value.loc[labels].to_numpy() == pytest.approx(
        clv.markov_clv(m, c, rate=rate, labels=labels).value.to_numpy(), rel=1e-9, abs=1e-9)
    try:
        pi = clv.stationary_shares(m, labels=labels)
    except CrmlabValueError:
        return
    assert clv.stationary_shares(shuffled).loc[labels].to_numpy() == pytest.approx(pi.to_numpy(), abs=1e-9)


@pytest.mark.parametrize("cls", PURCHASE_MODELS + (btyd.BetaGeoBetaBinomModel,))
def test_empty_one_row_and_constant_summaries_raise(cls):
    columns = {"frequency": [], "recency": [], "T": [], "periods": []}
    with pytest.raises(CrmlabValueError, match="has no rows"):
        cls().fit(pd.DataFrame(columns))
    one = pd.DataFrame({"frequency": [2], "recency": [3.0], "T": [5.0], "periods": [5]})
    with pytest.raises(CrmlabValueError, match="cannot be identified"):
        cls().fit(one)
    with pytest.raises(CrmlabValueError, match="cannot be identified"):
        cls().fit(pd.concat([one] * 50, ignore_index=True))


def test_gamma_gamma_and_sbg_degenerate_inputs_raise():
    constant = pd.DataFrame({"frequency": [2] * 10, "monetary_value": [5.0] * 10})
    with pytest.raises(CrmlabValueError, match="cannot be identified"):
        btyd.GammaGammaModel().fit(constant)
    with pytest.raises(CrmlabValueError, match="non-empty"):
        btyd.ShiftedBetaGeometricModel().fit([])


@st.composite
def summaries(draw):
    n = draw(st.integers(3, 30))
    T = np.array(draw(st.lists(st.floats(0.0, 60.0), min_size=n, max_size=n)))
    x = np.array(draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)), dtype=float)
    share = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)))
    x = np.where(T > 0, x, 0.0)
    return pd.DataFrame({"frequency": x, "recency": np.where(x > 0, T * share, 0.0), "T": T})


@settings(max_examples=15, deadline=None)
@given(data=summaries(), which=st.sampled_from(PURCHASE_MODELS))
def test_fits_give_finite_answers_or_a_clear_error(data, which):
    try:
        model = which().fit(data)
    except CrmlabValueError:
        return  # unidentifiable, boundary or non-convergence: an error, never a silent number
    assert np.isfinite(model.params_).all() and np.isfinite(model.std_errors_).all() and np.isfinite(model.log_likelihood_)
    for values in (model.probability_alive(data), model.conditional_expected_purchases(data, 10.0)):
        assert np.isfinite(values).all() and (values >= 0).all()
