"""Recorded results of notebook 04 (rendered once per session by the integrator's ``notebook_results`` fixture)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results("04_value_segmentation")


def test_ahp_reproduces_paper_weights(r):
    # seed 004: current 0.39 / potential 0.61; printed local weights (bundled experts are within 0.0007)
    assert r["ahp_criterion_weights"]["current"] == pytest.approx(0.39, abs=0.0012)
    assert r["ahp_current_weights"]["gross_profit"] == pytest.approx(0.3138, abs=0.0004)
    assert r["ahp_current_weights"]["cum_volume"] == pytest.approx(0.1932, abs=0.0004)
    assert r["ahp_potential_weights"]["cross_buying"] == pytest.approx(0.2053, abs=0.0007)
    assert r["ahp_potential_weights"]["profitability"] == pytest.approx(0.1972, abs=0.0007)
    assert r["ahp_max_abs_difference_vs_paper"] < 0.001
    assert sum(r["ahp_global_weights"].values()) == pytest.approx(1.0)
    assert r["ahp_settings"] == {"method": "eigenvector", "random_index_table": "saaty1980", "aggregation": "AIP_arithmetic"}


def test_every_expert_is_consistent(r):
    crs = r["ahp_expert_crs"]
    assert all(0 <= v < 0.10 for row in crs.values() for v in row.values())


def test_value_matrix_classes(r):
    counts = r["value_class_counts"]
    assert sum(counts.values()) == 21
    assert counts == {"high_high": 6, "high_low": 2, "low_high": 4, "low_low": 9}
    assert sum(r["value_class_customer_share"].values()) == pytest.approx(1.0)
    assert sum(r["value_class_revenue_share"].values()) == pytest.approx(1.0)
    # z-scores average 0, so the mean cut-offs are 0
    assert abs(r["value_matrix_cutoffs"]["current"]) < 1e-12 and abs(r["value_matrix_cutoffs"]["potential"]) < 1e-12


def test_related_views(r):
    assert 0.5 < r["pareto_profit_share_top"] < 0.8
    assert 0 < r["gini_revenue"] < 1
    assert sum(r["rfm_segment_counts"].values()) == 800
    assert r["kmeans_k"] in (2, 3, 4, 5, 6)
    k = r["tier_kpis"]
    assert k["churn_rate"] == pytest.approx(k["lost_customers"] / k["customers_start"])
    assert sum(r["lifecycle_stage_counts"].values()) == 800
