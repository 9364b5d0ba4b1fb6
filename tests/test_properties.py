"""Invariants stated as property-based tests (hypothesis): the classes of bugs the hostile pass found.

Row order, label order and relabelling never change an answer; affine rescaling changes it only
as the formula says; degenerate inputs raise; outputs are finite or an error.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crmlab import ipa, kano, satisfaction as sat, segmentation as seg
from crmlab.validation import CrmlabValueError

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def survey(seed: int, n: int, p: int, scale=(1, 7)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.integers(scale[0], scale[1] + 1, size=(n, p)).astype(float)
    overall = np.clip(np.round(x.mean(axis=1) + rng.normal(0, 0.8, n)), *scale)
    return pd.DataFrame(x, columns=[f"q{i}" for i in range(p)]).assign(overall=overall)


seeds = st.integers(0, 10_000)
perms = st.randoms(use_true_random=False)


@FAST
@given(seed=seeds, rnd=perms)
def test_servqual_ignores_respondent_order_and_item_names(seed, rnd):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({f"{k}_{i}": rng.integers(1, 8, 30).astype(float) for k in "pe" for i in "abc"})
    dims = {"d1": ["a", "b"], "d2": ["c"]}
    base = sat.servqual_gaps(data, dimensions=dims, scale=(1, 7))
    order = list(data.index)
    rnd.shuffle(order)
    shuffled = sat.servqual_gaps(data.loc[order], dimensions=dims, scale=(1, 7))
    pd.testing.assert_frame_equal(base.dimensions, shuffled.dimensions, rtol=1e-12)
    renamed = data.rename(columns=lambda c: c.replace("_a", "_x"))
    other = sat.servqual_gaps(renamed, dimensions={"d1": ["x", "b"], "d2": ["c"]}, scale=(1, 7))
    assert other.items.loc["x", "gap"] == pytest.approx(base.items.loc["a", "gap"])
    assert other.overall_unweighted == pytest.approx(base.overall_unweighted)


@FAST
@given(seed=seeds, a=st.floats(0.1, 20), b=st.floats(-50, 50))
def test_csi_index_is_invariant_to_an_affine_change_of_scale(seed, a, b):
    data = survey(seed, 25, 3).drop(columns="overall")
    w = {"q0": 0.5, "q1": 0.3, "q2": 0.2}
    base = sat.weighted_csi(data, weights=w, scale=(1, 7))
    moved = sat.weighted_csi(a * data + b, weights=w, scale=(a * 1 + b, a * 7 + b))
    assert moved.csi_100 == pytest.approx(base.csi_100, abs=1e-9)
    assert moved.csi == pytest.approx(a * base.csi + b)


@FAST
@given(seed=seeds, c=st.floats(0.1, 10), rnd=perms)
def test_regression_is_order_invariant_and_scale_equivariant(seed, c, rnd):
    data = survey(seed, 40, 3)
    assume(data.nunique().min() > 1)
    attrs = ["q0", "q1", "q2"]
    base = sat.satisfaction_regression(data, overall="overall", attributes=attrs)
    order = list(data.index)
    rnd.shuffle(order)
    shuffled = sat.satisfaction_regression(data.loc[order], overall="overall", attributes=attrs)
    pd.testing.assert_frame_equal(base.table, shuffled.table, rtol=1e-8)
    scaled = sat.satisfaction_regression(data.assign(overall=c * data["overall"]), overall="overall", attributes=attrs)
    np.testing.assert_allclose(scaled.table["estimate"], c * base.table["estimate"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(scaled.table["t_value"], base.table["t_value"], rtol=1e-7, atol=1e-9)


@FAST
@given(seed=seeds, rnd=perms)
def test_kano_ignores_respondent_order_and_relabels_attributes(seed, rnd):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({f"{a}_{s}": rng.choice(list(kano.ANSWERS), 30) for a in ("wifi", "bed") for s in "fd"})
    attrs = {"wifi": ("wifi_f", "wifi_d"), "bed": ("bed_f", "bed_d")}
    base = kano.kano_analysis(data, attributes=attrs).table
    order = list(data.index)
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(base, kano.kano_analysis(data.loc[order], attributes=attrs).table)
    swapped = kano.kano_analysis(data, attributes={"bed": ("bed_f", "bed_d"), "Wi-Fi 网络": ("wifi_f", "wifi_d")}).table
    pd.testing.assert_series_equal(swapped.loc["Wi-Fi 网络"], base.loc["wifi"], check_names=False)


@FAST
@given(seed=seeds, rnd=perms, method=st.sampled_from(["correlation", "ols_beta", "relative_weights", "lmg"]))
def test_ipa_ignores_respondent_and_attribute_order(seed, rnd, method):
    data = survey(seed, 60, 4)
    assume(data.nunique().min() > 1)
    attrs = [f"q{i}" for i in range(4)]
    fit = ipa.ImportancePerformance(performance=attrs, importance=method, overall="overall", scale=(1, 7)).fit(data)
    order = list(data.index)
    rnd.shuffle(order)
    reordered = list(attrs)
    rnd.shuffle(reordered)
    other = ipa.ImportancePerformance(performance=reordered, importance=method, overall="overall", scale=(1, 7)).fit(data.loc[order])
    a, b = fit.result_.table, other.result_.table.loc[attrs]
    np.testing.assert_allclose(a["importance"], b["importance"], rtol=1e-9, atol=1e-12)
    assert list(a["quadrant"]) == list(b["quadrant"])


INDICATORS = pd.DataFrame({"indicator": ["rev", "cost", "growth"], "dimension": ["current", "current", "potential"],
                           "direction": ["benefit", "cost", "benefit"], "weight": [0.7, 0.3, 1.0]})


@FAST
@given(seed=seeds, rnd=perms, scale=st.lists(st.floats(0.01, 100), min_size=3, max_size=3))
def test_value_matrix_ignores_row_order_and_indicator_units(seed, rnd, scale):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(rng.gamma(2, 10, size=(20, 3)), columns=["rev", "cost", "growth"],
                        index=[f"c{i}" for i in range(20)])
    base = seg.ValueMatrix(INDICATORS).fit(data).scores_
    order = list(data.index)
    rnd.shuffle(order)
    shuffled = seg.ValueMatrix(INDICATORS).fit(data.loc[order]).scores_.loc[base.index]
    pd.testing.assert_frame_equal(base, shuffled, rtol=1e-10)
    rescaled = seg.ValueMatrix(INDICATORS).fit(data * np.asarray(scale)).scores_  # z-scores have no units
    pd.testing.assert_series_equal(base["value_class"], rescaled["value_class"])


@FAST
@given(values=st.lists(st.floats(0, 1e6), min_size=2, max_size=60), c=st.floats(1e-3, 1e3), rnd=perms)
def test_concentration_measures_ignore_order_and_currency(values, c, rnd):
    v = np.array(values)
    assume(v.sum() > 0 and v.max() > 0)
    g = seg.gini(v)
    shuffled = list(v)
    rnd.shuffle(shuffled)
    assert seg.gini(shuffled) == pytest.approx(g, abs=1e-9)
    assert seg.gini(v * c) == pytest.approx(g, abs=1e-9)
    assert 0 <= g <= 1
    top = seg.pareto_table(v, top=[0.2])["value_share"].iloc[0]
    assert seg.pareto_table(v * c, top=[0.2])["value_share"].iloc[0] == pytest.approx(top, abs=1e-9)


@FAST
@given(values=st.lists(st.one_of(st.floats(-1e6, 1e6), st.sampled_from([np.nan, np.inf, -np.inf])), min_size=0, max_size=30))
def test_tiers_and_gini_are_finite_or_an_error(values):
    for f in (seg.gini, seg.assign_tiers, seg.pareto_curve):
        try:
            out = f(np.array(values, dtype=float))
        except CrmlabValueError:
            continue
        table = out.cutoffs if hasattr(out, "cutoffs") else out
        assert np.isfinite(np.asarray(table.select_dtypes("number") if isinstance(table, pd.DataFrame) else table,
                                      dtype=float)).all()


@FAST
@given(seed=seeds, rnd=perms)
def test_rfm_scores_and_tiers_ignore_row_order(seed, rnd):
    rng = np.random.default_rng(seed)
    rfm = pd.DataFrame({"recency": rng.integers(0, 300, 50).astype(float), "frequency": rng.integers(1, 9, 50).astype(float),
                        "monetary": rng.gamma(2, 30, 50)}, index=[f"c{i}" for i in range(50)])
    order = list(rfm.index)
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(seg.rfm_scores(rfm).scores, seg.rfm_scores(rfm.loc[order]).scores.loc[rfm.index])
    a = seg.assign_tiers(rfm["monetary"]).tiers
    b = seg.assign_tiers(rfm["monetary"].loc[order]).tiers.loc[rfm.index]
    pd.testing.assert_series_equal(a, b)


@pytest.mark.parametrize("n", [0, 1])
def test_too_few_rows_raise_everywhere(n):
    data = survey(1, 30, 3).iloc[:n]
    calls = [
        lambda: sat.servqual_gaps(pd.DataFrame({"p_a": data["q0"], "e_a": data["q1"]}), dimensions={"d": ["a"]}, scale=(1, 7)),
        lambda: sat.PCAIndex().fit(data[["q0", "q1"]], scale=(1, 7)),
        lambda: sat.satisfaction_regression(data, overall="overall", attributes=["q0", "q1"]),
        lambda: ipa.ImportancePerformance(performance=["q0", "q1"], importance="lmg", overall="overall", scale=(1, 7)).fit(data),
        lambda: seg.ValueMatrix(INDICATORS).fit(pd.DataFrame({"rev": data["q0"], "cost": data["q1"], "growth": data["q2"]})),
    ]
    for call in calls:
        with pytest.raises(CrmlabValueError):
            call()


def test_constant_inputs_raise():
    data = survey(2, 30, 3)
    data["q1"] = 4.0
    with pytest.raises(CrmlabValueError, match="constant|zero variance|collinear"):
        sat.satisfaction_regression(data, overall="overall", attributes=["q0", "q1", "q2"])
    with pytest.raises(CrmlabValueError, match="constant"):
        ipa.ImportancePerformance(performance=["q0", "q1"], importance="correlation", overall="overall", scale=(1, 7)).fit(data)
    with pytest.raises(CrmlabValueError, match="all 5 value\\(s\\) equal 0"):
        seg.assign_tiers(np.zeros(5))
