"""Results recorded by notebooks/01_satisfaction.ipynb on the bundled data, checked against the generating truth,
and the language of its reports (no English prose in the Chinese report, no Chinese in the English one)."""
from __future__ import annotations

from pathlib import Path

import pytest

from crmlab.datasets import satisfaction as ds
from crmlab.pls import PLSPathModel
from crmlab.results import pair_label

from report_language import chinese_characters, english_words, report_text


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results("01_satisfaction")


def test_pls_recovers_documented_acsi_paths(r):
    assert r["pls_settings"]["scaled"] is True and r["pls_settings"]["scheme"] == "path"  # the peers' defaults
    assert r["pls_max_abs_path_error"] < 0.1
    for (a, b), true in ds.ACSI_TRUE_PATHS.items():
        assert r["pls_paths"][f"{a} -> {b}"] == pytest.approx(true, abs=0.1)
    for construct, true in ds.acsi_true_r2().items():
        assert r["pls_r2"][construct] == pytest.approx(true, abs=0.1)
    assert 0.5 < r["pls_gof"] < 0.7


def test_notebook_paths_are_the_apis_standardised_fit(r):
    # the notebook fits what a user of crmlab.pls fits with the documented defaults (standardised items, path scheme)
    data = ds.load_acsi_survey()
    model = PLSPathModel(ds.ACSI_BLOCKS, list(ds.ACSI_TRUE_PATHS), scheme="path", scaled=True).fit(data, scale=ds.SCALE_ACSI)
    for path, estimate in model.inner_model_["estimate"].items():
        assert r["pls_paths"][path] == pytest.approx(estimate, abs=1e-12)


def test_consistent_pls_corrects_the_attenuation(r):
    # PLSc (Dijkstra & Henseler 2015) divides out the reliability of the item composites: closer to the truth
    assert r["plsc_max_abs_path_error"] < r["pls_max_abs_path_error"]

    def mean_abs_error(key):
        return sum(abs(r[key][pair_label(a, b)] - t) for (a, b), t in ds.ACSI_TRUE_PATHS.items()) / len(ds.ACSI_TRUE_PATHS)

    assert mean_abs_error("plsc_paths") < mean_abs_error("pls_paths")


def test_indices_inside_their_bootstrap_intervals(r):
    ci = r["pls_index_ci"]
    for construct, bounds in ci.items():
        assert bounds["ci_lower"] <= r["pls_index"][construct] <= bounds["ci_upper"]
    assert r["satisfaction_construct"] == "SAT"
    assert max(r["pls_total_effects"], key=lambda c: abs(r["pls_total_effects"][c])) == "QUAL"  # true total 0.45 + 0.55·0.35
    # the other routes agree with the PLS satisfaction-driver level to within a few points
    assert abs(r["csi_100"] - r["pca_index_100"]) < 3


def test_plspredict_beats_the_training_mean(r):
    # every true path is non-zero, so each endogenous item is predictable out of sample (Q²predict > 0)
    assert all(row["q2_predict"] > 0 for row in r["plspredict"].values())


def test_two_waves_from_one_model_do_not_differ(r):
    # the bundled 'wave' column is drawn independently of the items: no true difference, full invariance
    assert r["mga_groups"] == ["1", "2"]
    n_paths = len(ds.ACSI_TRUE_PATHS)
    assert all(row["p_value"] > 0.05 / n_paths for row in r["mga_paths"].values())  # Bonferroni over the paths
    assert set(r["mga_invariance"].values()) <= {"full", "partial"}  # compositional invariance everywhere


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
    # TCV = 500 + 120 + 60 + 70, TCC = 420 + 40 + 30 + 10 (the worked example, ds.CDV_EXAMPLE_OFFERS)
    assert cdv["ours"] == pytest.approx({"tcv": 750, "tcc": 500, "cdv": 250, "cdv_ratio": 1.5})


# ----------------------------------------------------------------------------------------- report language
def executed(run: dict, name: str = "01_satisfaction") -> Path:
    entry = next(e for e in run["notebooks"] if e["name"] == name)
    assert entry["status"] == "ok", entry["error"]
    return Path(run["path"]) / entry["outputs"]["notebook"]


def test_chinese_report_has_no_english_prose(rendered_run_zh):
    text, headers = report_text(executed(rendered_run_zh))
    assert len(text) > 3000
    assert english_words(text) == []
    assert english_words(" ".join(headers)) == []


def test_english_report_has_no_chinese(rendered_run):
    text, headers = report_text(executed(rendered_run))
    assert chinese_characters(text + " ".join(headers)) == []
