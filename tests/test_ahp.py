"""AHP checked against published examples and exact properties (not against itself)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from crmlab import CrmlabValueError
from crmlab.ahp import (
    RANDOM_INDEX,
    aggregate_judgments,
    ahp_priorities,
    check_pairwise_matrix,
    global_weights,
    group_ahp,
    pairwise_matrix,
    random_index,
    weight_sensitivity,
)
from crmlab.datasets.segmentation import INDICATORS, PAPER_CRITERION_WEIGHTS, PAPER_PRINTED_WEIGHTS, judgment_matrices

# Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process.
# EJOR 48, 9-26, house example, criteria matrix (size, transportation, neighbourhood, age,
# yard, modern facilities, general condition, financing): published λmax = 9.669,
# C.I. = 0.238, C.R. = 0.169.
SAATY_HOUSE = """1 5 3 7 6 6 1/3 1/4
1/5 1 1/3 5 3 3 1/5 1/7
1/3 3 1 6 3 4 6 1/5
1/7 1/5 1/6 1 1/3 1/4 1/7 1/8
1/6 1/3 1/3 3 1 1/2 1/5 1/6
1/6 1/3 1/4 4 2 1 1/5 1/6
3 5 1/6 7 5 5 1 1/2
4 7 5 8 6 6 2 1"""


def parse(text: str) -> np.ndarray:
    return np.array([[float(Fraction(x)) for x in row.split()] for row in text.strip().splitlines()])


def consistent(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w[:, None] / w[None, :]


def test_saaty_house_example_published_consistency():
    r = ahp_priorities(parse(SAATY_HOUSE))
    assert round(r.lambda_max, 3) == 9.669
    assert round(r.ci, 3) == 0.238
    assert round(r.cr, 3) == 0.169
    assert r.ri == 1.41 and r.random_index_table == "saaty1980"
    assert not r.consistent  # above 0.10: flagged
    assert not r.summary().loc["cr_acceptable", "value"]


@pytest.mark.parametrize("method", ["eigenvector", "geometric_mean"])
def test_consistent_matrix_recovers_weights_exactly(method):
    w = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    r = ahp_priorities(consistent(w), method=method, scale="ignore")
    np.testing.assert_allclose(r.weights.to_numpy(), w, atol=1e-12)
    assert r.lambda_max == pytest.approx(5.0, abs=1e-10)
    assert abs(r.cr) < 1e-10 and r.method == method


def test_three_by_three_eigenvector_equals_geometric_mean():
    # Crawford & Williams (1985): for n = 3 the principal eigenvector and the row geometric means coincide.
    a = parse("1 3 5\n1/3 1 3\n1/5 1/3 1")
    ev = ahp_priorities(a).weights.to_numpy()
    gm = ahp_priorities(a, method="geometric_mean").weights.to_numpy()
    np.testing.assert_allclose(ev, gm, atol=1e-12)
    g = np.prod(a, axis=1) ** (1 / 3)  # direct formula
    np.testing.assert_allclose(gm, g / g.sum(), atol=1e-14)


def test_random_index_tables():
    assert random_index(3) == 0.58 and random_index(10, "saaty1980") == 1.49
    assert random_index(15, "alonso_lamata") == 1.5838
    assert random_index(15, "saaty2005") == 1.59
    assert set(RANDOM_INDEX) >= {"saaty1980", "saaty2005", "alonso_lamata", "donegan_dodd"}
    with pytest.raises(CrmlabValueError, match="no RI for n = 16"):
        random_index(16)
    with pytest.raises(CrmlabValueError, match="random_index"):
        random_index(3, "nope")
    r = ahp_priorities(parse(SAATY_HOUSE), random_index_table="alonso_lamata")
    assert r.cr == pytest.approx(r.ci / 1.4056, rel=1e-12)


def test_most_inconsistent_judgment_is_listed_first():
    w = np.array([0.5, 0.25, 0.125, 0.125])
    a = consistent(w)  # ratios 2, 4, 4, 2, 2, 1: all on the 1-9 scale
    a[0, 2], a[2, 0] = 1 / 4, 4  # the expert reversed one judgment
    r = ahp_priorities(a)
    top = r.inconsistency.iloc[0]
    assert {top["row"], top["column"]} == {"item_1", "item_3"}
    assert top["indirect_value"] == pytest.approx(4.0) and top["suggested_saaty_value"] == 4.0


def test_incomplete_matrix_harker_and_llsm_recover_consistent_weights():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    a = consistent(w)
    a[0, 3] = a[3, 0] = np.nan
    a[1, 2] = a[2, 1] = np.nan
    for method in ("eigenvector", "geometric_mean"):
        r = ahp_priorities(a, method=method, allow_missing=True, scale="ignore")
        np.testing.assert_allclose(r.weights.to_numpy(), w, atol=1e-12)
        assert r.n_missing == 2
    with pytest.raises(CrmlabValueError, match="allow_missing=True"):
        ahp_priorities(a, scale="ignore")


def test_disconnected_comparisons_are_rejected():
    m = pairwise_matrix({("a", "b"): 3, ("c", "d"): 2}, ["a", "b", "c", "d"])
    with pytest.raises(CrmlabValueError, match="do not connect all items"):
        ahp_priorities(m, allow_missing=True)


@pytest.mark.parametrize("bad, pattern", [
    (np.ones((2, 3)), "square"),
    (np.array([[1, -2], [-0.5, 1]]), "not positive"),
    (np.array([[1, 3, 1], [0.33, 1, 1], [1, 1, 1]]), r"not reciprocal.*\['item_1', 'item_2'\].*1e-06"),
    (np.array([[1, 12], [1 / 12, 1]]), "outside Saaty's 1/9…9"),
    (np.array([[2, 1], [1, 1]]), "diagonal"),
    (np.array([[1, np.inf], [0, 1]]), "not finite"),
])
def test_bad_matrices_name_entry_and_rule(bad, pattern):
    with pytest.raises(CrmlabValueError, match=pattern):
        ahp_priorities(bad)


def test_out_of_scale_can_warn_instead():
    with pytest.warns(UserWarning, match="outside Saaty"):
        check_pairwise_matrix(np.array([[1, 12], [1 / 12, 1]]), scale="warn")


def test_labels_from_dataframe_and_pairwise_matrix_builder():
    m = pairwise_matrix({("price", "quality"): 3, ("price", "service"): 5, ("quality", "service"): 3},
                        ["price", "quality", "service"])
    r = ahp_priorities(m)
    assert list(r.weights.index) == ["price", "quality", "service"]
    with pytest.raises(CrmlabValueError, match="unknown item 'x'"):
        pairwise_matrix({("price", "x"): 2}, ["price", "quality"])


def test_group_aggregations_are_labelled_and_correct():
    w1, w2 = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    m1, m2 = consistent(w1), consistent(w2)
    aip = group_ahp({"A": m1, "B": m2}, aggregation="AIP_arithmetic", scale="ignore")
    np.testing.assert_allclose(aip.weights.to_numpy(), (w1 + w2) / 2, atol=1e-12)
    geo = group_ahp([m1, m2], aggregation="AIP_geometric", scale="ignore")
    g = np.sqrt(w1 * w2)
    np.testing.assert_allclose(geo.weights.to_numpy(), g / g.sum(), atol=1e-12)
    aij = group_ahp([m1, m2], aggregation="AIJ_geometric", scale="ignore")
    # geometric mean of two consistent matrices is consistent with weights ∝ sqrt(w1 w2)
    np.testing.assert_allclose(aij.weights.to_numpy(), g / g.sum(), atol=1e-12)
    agg = aggregate_judgments([m1, m2])
    np.testing.assert_allclose(agg * agg.T, 1.0, atol=1e-12)
    assert "AIJ_geometric" in aij.weights.name and "AIP_arithmetic" in aip.summary().columns[-1]
    with pytest.raises(CrmlabValueError, match="expert_weights must sum to 1"):
        group_ahp([m1, m2], expert_weights=[0.5, 0.6], scale="ignore")


def test_bundled_experts_reproduce_paper_weights():
    mats = judgment_matrices()
    crit = group_ahp(mats["criteria"])
    assert crit.aggregation == "AIP_arithmetic"
    assert abs(crit.weights["current"] - PAPER_CRITERION_WEIGHTS["current"]) <= 0.0012
    for level, tol in (("current", 0.0004), ("potential", 0.0007)):
        res = group_ahp(mats[level])
        assert (res.crs < 0.10).all()
        for name, paper in PAPER_PRINTED_WEIGHTS[level].items():
            assert abs(res.weights[name] - paper) <= tol, name
    # the two unprinted pairs sum to the paper's remainders
    cur = group_ahp(mats["current"]).weights
    assert abs(cur["cum_amount"] + cur["service_cost"] - 0.3102) <= 0.0008


def test_global_weights_paper_values():
    local = {d: INDICATORS.loc[INDICATORS["dimension"] == d].set_index("indicator")["weight"] for d in ("current", "potential")}
    g = global_weights(PAPER_CRITERION_WEIGHTS, local).set_index("sub_criterion")
    assert g.loc["gross_profit", "global_weight"] == pytest.approx(0.39 * 0.3138, abs=1e-12)
    assert g.loc["cross_buying", "global_weight"] == pytest.approx(0.61 * 0.2053, abs=1e-12)
    assert g["global_weight"].sum() == pytest.approx(1.0, abs=1e-9)
    assert g.loc["cross_buying", "global_rank"] == 1  # 0.1252 beats gross profit 0.1224
    with pytest.raises(CrmlabValueError, match="must sum to 1"):
        global_weights(pd.Series({"current": 0.5, "potential": 0.6}), local)
    with pytest.raises(CrmlabValueError, match="missing"):
        global_weights(PAPER_CRITERION_WEIGHTS, {"current": local["current"]})


def test_weight_sensitivity_moves_rankings():
    local = {d: INDICATORS.loc[INDICATORS["dimension"] == d].set_index("indicator")["weight"] for d in ("current", "potential")}
    result = weight_sensitivity(PAPER_CRITERION_WEIGHTS, local, criterion="current", grid=[0.0, 0.39, 1.0])
    sens = result.table
    assert result.settings["criterion"] == "current" and result.settings["current_weight"] == 0.39
    assert result.summary().loc["gross_profit", 1.0] == 1
    at_base = sens[sens["t"] == 0.39].set_index("item")["score"]
    base = global_weights(PAPER_CRITERION_WEIGHTS, local).set_index("sub_criterion")["global_weight"]
    np.testing.assert_allclose(at_base[base.index].to_numpy(), base.to_numpy(), atol=1e-12)
    at_one = sens[sens["t"] == 1.0].set_index("item")
    assert at_one.loc["gross_profit", "rank"] == 1 and at_one.loc["cross_buying", "score"] == 0
    with pytest.raises(CrmlabValueError, match="criterion 'x'"):
        weight_sensitivity(PAPER_CRITERION_WEIGHTS, local, criterion="x")


def test_matrices_from_table_reads_fractions_blanks_and_names_conflicts():
    from crmlab.ahp import matrices_from_table

    table = pd.DataFrame({"level": ["g"] * 3, "row": ["a", "a", "b"], "column": ["b", "c", "c"],
                          "judgment": ["3", "1/5", None]})
    m = matrices_from_table(table, expert_col=None)["g"]["expert"]
    assert m.loc["a", "b"] == 3 and m.loc["c", "a"] == pytest.approx(5) and np.isnan(m.loc["b", "c"])
    done = ahp_priorities(m, allow_missing=True, completion="lambda_max")
    assert done.n_missing == 1 and done.completed_matrix.loc["b", "c"] == pytest.approx(1 / 15)  # consistent completion: a_bc = a_ba * a_ac
    with pytest.raises(CrmlabValueError, match=r"judgments of 'expert' for 'g': .*judgment 'three' is not a number"):
        matrices_from_table(table.assign(judgment=["three", "1", "1"]), expert_col=None)
    with pytest.raises(CrmlabValueError, match=r"judgments of 'expert' for 'g': conflicting judgments for the pair"):
        matrices_from_table(pd.concat([table, table.assign(judgment="2")]).iloc[:4], expert_col=None)
    with pytest.raises(CrmlabValueError, match=r"judgments has no column\(s\) \['expert'\]"):
        matrices_from_table(table)
