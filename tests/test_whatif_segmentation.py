"""What-if callbacks of notebook 04 (crmlab.whatif.segmentation), checked against the rules computed by hand."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmlab import ahp
from crmlab import segmentation as seg
from crmlab.datasets import segmentation as ds
from crmlab.validation import CrmlabValueError, NotFittedError
from crmlab.whatif.segmentation import cutoff_range, redraw_value_matrix, redraw_weights, split_panel, weights_panel


@pytest.fixture(scope="module")
def fitted():
    groups = {lv: ahp.group_ahp(m) for lv, m in ds.judgment_matrices().items()}
    criteria = groups["criteria"].weights
    local = {d: groups[d].weights for d in ("current", "potential")}
    data = ds.make_b2b_customers().set_index("customer_id")
    indicators = seg.with_weights(ds.INDICATORS.drop(columns="weight"), pd.concat(local.values()))
    vm = seg.ValueMatrix(indicators, dimension_weights=criteria.to_dict()).fit(data)
    return criteria, local, vm, data


def test_weights_follow_the_proportional_rule_and_rank_customers(fitted):
    criteria, local, vm, _ = fitted
    fig, ax = plt.subplots()
    out = redraw_weights(criteria, local, 0.7, alternatives=vm.standardized_, ax=ax)
    w = out.weights.set_index("sub_criterion")
    # two criteria: current gets 0.7, potential the rest; global = criterion weight x local weight (Saaty 1980)
    expected = pd.concat([0.7 * local["current"], 0.3 * local["potential"]])
    np.testing.assert_allclose(w["global_weight"].reindex(expected.index), expected, rtol=1e-12)
    assert w["global_weight"].sum() == pytest.approx(1.0)
    assert set(w["criterion_weight"].round(12)) == {0.7, 0.3}
    total = vm.standardized_[expected.index] @ expected
    np.testing.assert_allclose(out.ranking["total_value"].reindex(total.index), total, rtol=1e-12)
    assert out.ranking.index[0] == total.idxmax() and out.ranking["rank"].iloc[0] == 1
    # at the AHP weights the total value is the value matrix's own total_value, so nobody moves
    same = redraw_weights(criteria, local, float(criteria["current"]), alternatives=vm.standardized_, ax=ax).ranking
    np.testing.assert_allclose(same["total_value"].reindex(vm.scores_.index), vm.scores_["total_value"], rtol=1e-10)
    assert (same["rank_change"] == 0).all()
    moved = out.ranking["rank_at_ahp_weights"] - out.ranking["rank"]
    assert (moved == out.ranking["rank_change"]).all()
    assert len(ax.patches) >= len(expected)  # the bars were drawn
    # later calls on the same Axes resize the bars in place: each bar's width is its indicator's new global weight
    third = redraw_weights(criteria, local, 0.2, ax=ax).weights.set_index("sub_criterion")["global_weight"]
    state = ax._crmlab_weights
    widths = {name: bar.get_width() for name, bar in zip(state["order"], state["bars"])}
    assert widths == pytest.approx(third.to_dict(), abs=1e-15)
    assert [t.get_text() for t in state["texts"]] == [f" {third[n]:.4f}" for n in state["order"]]
    plt.close(fig)


def test_weights_without_alternatives_and_bad_weight(fitted):
    criteria, local, _, _ = fitted
    fig, ax = plt.subplots()
    out = redraw_weights(criteria, local, 0.0, ax=ax)
    assert out.ranking is None and out.settings["tested_weight"] == 0.0
    assert out.weights.loc[out.weights["criterion"] == "current", "global_weight"].eq(0).all()
    with pytest.raises(CrmlabValueError, match="weight"):
        redraw_weights(criteria, local, 1.2, ax=ax)
    plt.close(fig)


def test_split_callback_reclassifies_by_the_rule(fitted):
    _, _, vm, data = fitted
    fig, ax = plt.subplots()
    s = vm.scores_
    med = redraw_value_matrix(vm, "median", ax=ax, data=data, profit="profit")
    c, p = s["current_value"] >= s["current_value"].median(), s["potential_value"] >= s["potential_value"].median()
    assert med.loc["high_high", "count"] == int((c & p).sum()) and med.loc["low_low", "count"] == int((~c & ~p).sum())
    assert med["count"].sum() == len(s) and med["profit_share"].sum() == pytest.approx(1.0)
    hh = data.loc[c & p, "profit"].sum() / data["profit"].sum()
    assert med.loc["high_high", "profit_share"] == pytest.approx(hh)
    given = redraw_value_matrix(vm, "given", {"current": 0.5, "potential": -0.2}, ax=ax)
    c, p = s["current_value"] >= 0.5, s["potential_value"] >= -0.2
    assert given.loc["high_low", "count"] == int((c & ~p).sum()) and given.loc["low_high", "count"] == int((~c & p).sum())
    assert list(given.columns) == ["count", "customer_share", "mean_current_value", "mean_potential_value", "strategy"]
    assert given["strategy"].tolist() == [f"vm_{k}_strategy" for k in seg.VALUE_CLASSES]
    mean = redraw_value_matrix(vm, "mean", ax=ax)
    assert mean["count"].to_dict() == vm.profile()["count"].to_dict()  # the fitted split comes back unchanged
    assert vm.split == "mean" and (vm.scores_["value_class"] == s["value_class"]).all()  # the fitted matrix is untouched
    lo, hi = cutoff_range(vm)["current"]
    assert lo == s["current_value"].min() and hi == s["current_value"].max()
    with pytest.raises(CrmlabValueError, match="cutoffs"):
        redraw_value_matrix(vm, "given", None, ax=ax)
    with pytest.raises(NotFittedError):
        redraw_value_matrix(seg.ValueMatrix(vm.indicators), "mean", ax=ax)
    plt.close(fig)


def test_panels_build(fitted):
    pytest.importorskip("ipywidgets")
    criteria, local, vm, data = fitted
    assert len(weights_panel(criteria, local, alternatives=vm.standardized_).children) == 2
    assert len(split_panel(vm, data=data, profit="profit").children) == 4
    plt.close("all")
