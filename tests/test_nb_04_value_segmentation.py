"""Recorded results of notebook 04 (rendered once per session by the integrator's ``notebook_results`` fixture).

References: the weights Wang, Mei & Li published (the bundled experts were constructed to reproduce them), the AHP
definitions computed here with numpy (CI = (λmax − n)/(n − 1), CR = CI/RI, synthesis = Σ leaf weight × local
priority), crmlab.ahp.complete_matrix called directly (its completions are checked against Bozóki et al.'s examples in
tests/test_ahp.py), pandas on the bundled log (yearly churn), and the two editions read as a reader would.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import ahp
from crmlab.datasets import segmentation as ds
from crmlab.report.bilingual import build_notebooks
from report_text import chinese_characters, english_words, markdown_outputs, prose, read

ROOT = Path(__file__).resolve().parents[1]
STEM = "04_value_segmentation"


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results(STEM)


def _executed(run):
    entry = next(e for e in run["notebooks"] if e["name"] == STEM)
    assert entry["status"] == "ok", entry["error"]
    return read(Path(run["path"]) / entry["outputs"]["notebook"])


def test_ahp_reproduces_paper_weights(r):
    # Wang, Mei & Li: current 0.39 / potential 0.61; printed local weights (bundled experts are within 0.0007)
    assert r["ahp_criterion_weights"]["current"] == pytest.approx(0.39, abs=0.0012)
    assert r["ahp_current_weights"]["gross_profit"] == pytest.approx(0.3138, abs=0.0004)
    assert r["ahp_current_weights"]["cum_volume"] == pytest.approx(0.1932, abs=0.0004)
    assert r["ahp_potential_weights"]["cross_buying"] == pytest.approx(0.2053, abs=0.0007)
    assert r["ahp_potential_weights"]["profitability"] == pytest.approx(0.1972, abs=0.0007)
    assert r["ahp_max_abs_difference_vs_paper"] < 0.0012
    assert sum(r["ahp_global_weights"].values()) == pytest.approx(1.0)
    assert r["ahp_settings"] == {"method": "eigenvector", "random_index_table": "saaty1980", "random_index_values": None,
                                 "aggregation": "AIP_arithmetic", "completion": "lambda_max"}


def test_consistency_table_follows_the_definitions(r):
    matrices = ds.judgment_matrices()
    table = r["ahp_consistency"]
    assert len(table) == 9
    for level, by_expert in matrices.items():
        for k, (expert, m) in enumerate(by_expert.items(), start=1):
            a = m.to_numpy()
            lam = float(np.max(np.linalg.eigvals(a).real))
            n = len(a)
            row = next(v for key, v in table.items() if key.endswith(f"/ Expert {k}") and v["n"] == n
                       and abs(v["lambda_max"] - lam) < 1e-9)
            ci = (lam - n) / (n - 1) if n > 2 else 0.0
            assert row["ci"] == pytest.approx(ci, abs=1e-12)
            assert row["cr"] == pytest.approx(ci / ahp.RANDOM_INDEX["saaty1980"][n] if n > 2 else 0.0, abs=1e-12)
            assert row["cr_acceptable"] is True and r["ahp_expert_crs"][expert][level] == pytest.approx(row["cr"])


def test_the_ahp_section_shows_matrices_lambda_ci_cr(notebook_results, rendered_run):
    nb = _executed(rendered_run)
    html = "\n".join(o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if "text/html" in o.get("data", {}))
    for header in ("λmax", "CI", "RI", "CR", "CR &lt; 0.10"):
        assert f">{header}<" in html
    assert ">1/9<" in html and ">Cumulative transaction volume<" in html  # the judgment matrices as the experts wrote them
    assert "Least consistent: Expert 3" in markdown_outputs(nb)


def test_missing_judgments_completed(r):
    full = ds.judgment_matrices()["potential"]["expert_1"]
    holed = full.copy()
    pairs = [("cross_buying", "contract_duration"), ("referrals", "profitability"), ("business_scale", "overdue_history")]
    for a, b in pairs:
        holed.loc[a, b] = holed.loc[b, a] = np.nan
    lm, ll = ahp.complete_matrix(holed, method="lambda_max"), ahp.complete_matrix(holed, method="llsm")
    shown = r["ahp_completion_example"]
    for (a, b), v_lm, v_ll in zip(pairs, lm.completed["value"], ll.completed["value"]):
        row = shown[f"{a} -> {b}"]
        assert row["given_value"] == pytest.approx(full.loc[a, b])
        assert row["lambda_max_completion"] == pytest.approx(v_lm) and row["llsm_completion"] == pytest.approx(v_ll)
    lams = r["ahp_completion_lambda_max"]
    assert lams["lambda_max"] <= lams["llsm"] + 1e-12  # the λmax completion is the most consistent one
    assert lams["lambda_max"] < ahp.ahp_priorities(full).lambda_max


def test_custom_random_index_table(r):
    table = r["ahp_cr_by_ri_table"]
    assert table["RI(7)"] == {"saaty1980": 1.32, "saaty2005": 1.35, "alonso_lamata": 1.3417, "donegan_dodd": 1.2519,
                              "textbook": 1.36}
    for expert in ("Expert 1", "Expert 2", "Expert 3"):
        assert table[expert]["textbook"] == pytest.approx(table[expert]["saaty1980"] * 1.32 / 1.36, rel=1e-12)


def test_synthesis_is_the_weighted_sum_of_local_priorities(r):
    criteria = ahp.ahp_priorities(ahp.aggregate_judgments(ds.judgment_matrices()["criteria"])).weights
    local = {"current": ahp.ahp_priorities(ahp.pairwise_matrix({("X", "Y"): 3, ("X", "Z"): 5, ("Y", "Z"): 2}, list("XYZ"))).weights,
             "potential": ahp.ahp_priorities(ahp.pairwise_matrix({("X", "Y"): 1 / 4, ("X", "Z"): 1 / 2, ("Y", "Z"): 3},
                                                                 list("XYZ"))).weights}
    expected = criteria["current"] * local["current"] + criteria["potential"] * local["potential"]
    assert r["ahp_synthesis_priorities"] == pytest.approx(expected.to_dict(), abs=1e-12)


def test_value_matrix_classes(r):
    counts = r["value_class_counts"]
    assert counts == {"high_high": 6, "high_low": 2, "low_high": 4, "low_low": 9}
    assert sum(r["value_class_customer_share"].values()) == pytest.approx(1.0)
    assert sum(r["value_class_revenue_share"].values()) == pytest.approx(1.0)
    # z-scores average 0, so the mean cut-offs are 0
    assert abs(r["value_matrix_cutoffs"]["current"]) < 1e-12 and abs(r["value_matrix_cutoffs"]["potential"]) < 1e-12
    assert r["indicator_weights_source"] == "weights_from_ahp"


def test_related_views(r):
    customers = ds.make_b2b_customers()
    assert r["pareto_settings"] == {"value": "profit", "source": "source_customers", "top": 0.2, "customers": 21}
    assert 0.5 < r["pareto_top_share"] < 0.8
    assert 0 < r["gini_revenue"] < 1
    assert sum(r["rfm_segment_counts"].values()) == 800 == len(r["rfm_frequency"])
    assert r["kmeans_k"] in (2, 3, 4, 5, 6)
    assert len(customers) == 21
    # the bundled log covers 2023-01-01 .. 2024-12-31: two complete years, churn by pandas
    log = ds.make_segmentation_transactions()
    year = pd.to_datetime(log["date"]).dt.year
    before, after = set(log.loc[year == 2023, "customer_id"]), set(log.loc[year == 2024, "customer_id"])
    k = r["tier_kpis"]
    assert r["periods_compared"] == ["2023", "2024"] and r["periods_partial"] == []
    assert k["churn_rate"] == pytest.approx(len(before - after) / len(before))
    assert k["new_customer_rate"] == pytest.approx(len(after - before) / len(before))
    assert sum(r["lifecycle_stage_counts"].values()) <= 800


def test_editions_speak_one_language_and_open_with_the_summary(rendered_run, rendered_run_zh):
    en, zh = _executed(rendered_run), _executed(rendered_run_zh)
    assert "## Summary of findings" in markdown_outputs(en) and "## 主要结论" in markdown_outputs(zh)
    assert "summary" in en.cells[-1].metadata.get("tags", [])
    names = ["Saaty", "AHP", "AIP", "AIJ", "LLSM", "RFM", "CI", "RI", "CR", "Harker", "Kotler", "Lorenz", "Gini", "Pareto",
             "Wang", "Mei", "Li", "Bozóki", "Fülöp", "Rónyai", "Kwiesielewicz", "Forman", "Peniwati", "Hughes",
             "Rousseeuw", "Curry", "SPSS", "B2B", "VIP", "k-means"]
    zh_words = english_words(prose(zh), allowed=names)
    assert len(zh_words) < 30, zh_words  # parameter names in code spans are removed; a few stray words at most
    assert not chinese_characters(prose(en), allowed=["王璐", "梅蕾", "李春丽"])


def test_generated_notebooks_equal_a_fresh_build():
    assert build_notebooks(ROOT / "notebooks", check=True) == []
