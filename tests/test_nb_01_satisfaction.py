"""Results recorded by notebooks/01_satisfaction.ipynb on the bundled data, checked against the generating truth."""
from __future__ import annotations

import pytest

from crmlab.datasets import satisfaction as ds


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results("01_satisfaction")


def test_pls_recovers_documented_acsi_paths(r):
    assert r["pls_max_abs_path_error"] < 0.1
    for (a, b), true in ds.ACSI_TRUE_PATHS.items():
        assert r["pls_paths"][f"{a} -> {b}"] == pytest.approx(true, abs=0.1)
    for construct, true in ds.acsi_true_r2().items():
        assert r["pls_r2"][construct] == pytest.approx(true, abs=0.1)
    assert 0.5 < r["pls_gof"] < 0.7


def test_indices_inside_their_bootstrap_intervals(r):
    ci = r["pls_index_ci"]
    for construct, bounds in ci.items():
        assert bounds["ci_lower"] <= r["pls_index"][construct] <= bounds["ci_upper"]
    # the other routes agree with the PLS satisfaction-driver level to within a few points
    assert abs(r["csi_100"] - r["pca_index_100"]) < 3


def test_servqual_and_ratio(r):
    for dim, gap in ds.SERVQUAL_TRUE_GAPS.items():
        assert r["servqual_dimension_gaps"][dim] == pytest.approx(gap, abs=0.12)
        assert r["satisfaction_ratio_by_dimension"][dim] < 1  # every dimension falls short
    assert r["servqual_overall_weighted"] < r["servqual_overall_unweighted"]  # reliability weighs most and gaps most


def test_kano_categories_are_the_generating_modes(r):
    assert r["kano_categories"] == {a: max(p, key=p.get) for a, p in ds.KANO_TRUE_PROBABILITIES.items()}


def test_fuzzy_result_is_a_distribution(r):
    assert sum(r["fuzzy_b"].values()) == pytest.approx(1)
    assert 10 <= r["fuzzy_score"] <= 90


def test_loyalty_curve_shapes(r):
    s = r["loyalty_zone_slopes"]
    assert s["competitive:high"] > 3 * s["competitive:low"]
    assert s["non_competitive:low"] > 3 * abs(s["non_competitive:high"])


def test_customer_delivered_value_hand_computed(r):
    cdv = r["customer_delivered_value"]
    ours = cdv["ours"]
    # TCV = 500 + 120 + 60 + 70, TCC = 420 + 40 + 30 + 10 (the notebook's default offer)
    assert ours == pytest.approx({"tcv": 750, "tcc": 500, "cdv": 250, "cdv_ratio": 1.5})
