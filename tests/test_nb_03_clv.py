"""Results recorded by notebooks/03_clv.ipynb (rendered once per session by the integrator's fixture)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results("03_clv")


def test_textbook_examples_reproduced(r):
    assert round(r["example1_model1_clv"]) == 3945
    assert round(r["example1_model3_clv"]) == 3506
    assert round(r["example2_model1_clv_a"]) == 1945
    assert round(r["example2_model1_clv_b"]) == 1750
    assert round(r["example2_model3_clv_a"]) == 1167
    assert round(r["example2_model3_clv_b"]) == 1361
    annuity = (1 - 1.09 ** -5) / 0.09
    assert r["example1_model2_clv"] == pytest.approx(0.3 * 2000 - 400 + 0.3 * 500 * annuity, abs=0.01)  # margin π = 0.3
    assert round(r["example2_timing_check"]["end"]) == 1945 and round(r["example2_timing_check"]["start"]) == 2120


def test_migration_examples(r):
    shares = r["example3_shares"]
    assert shares["1"] == pytest.approx({"A": 0.475, "B": 0.375, "C": 0.15})
    assert shares["2"] == pytest.approx({"A": 0.4075, "B": 0.4175, "C": 0.175})
    assert r["stationary_shares"] == pytest.approx({"A": 0.325, "B": 0.475, "C": 0.2})
    assert r["example4_clv"] == pytest.approx({"A": 389.38, "B": 347.72, "C": 142.45}, abs=0.01)
    for row in r["sensitivity"].values():
        if row["brand"] == "A":
            assert row["change"] > 0
        if row["brand"] == "B":
            assert row["change"] < 0


def test_retention_and_groups(r):
    grid = r["retention_clv_margin100"]
    assert grid["r = 80%"]["d = 12%"] == pytest.approx(250.0)  # 100·0.8/0.32
    assert r["group_lifetimes"] == {"firm 1": 5.0, "firm 2": 10.0}


def test_bundled_fit_recovers_truth(r):
    assert r["bundled_max_abs_z"] < 3
    fitted, truth = r["bundled_fitted_params"], r["bundled_true_params"]
    for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        assert fitted[name] == pytest.approx(truth[name], rel=0.25)
    assert r["log_customers"] == 1500
    assert r["log_clv_total"] > 0
    cutoffs = r["log_tier_cutoffs"]
    assert [row["tier"] for row in cutoffs.values()] == ["vip", "major", "ordinary", "small"]
