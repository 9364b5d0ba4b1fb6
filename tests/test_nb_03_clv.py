"""Results recorded by notebook 03_clv in the teaching run (rendered once per session by the integrator's fixture).

References: the course's worked answers (Examples 1–2: 3945, 3506, 1945, 1750, 1167, 1361), closed forms computed
here, the generating parameters of the bundled log (crmlab.datasets.clv.TRUE_PARAMS), and the published estimates of
Fader, Hardie & Shang (2010, donation data, BG/BB) and Fader & Hardie (2007, sBG).  Both editions are read as a reader
reads them: one language each, the summary present.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.datasets import clv as clv_data
from report_language import chinese_characters, english_words, report_text

ROOT = Path(__file__).resolve().parents[1]
STEM = "03_clv"
#: Names that read the same in both languages: models, data sets, authors' abbreviations.
NAMES = ("BG/NBD", "MBG/NBD", "Pareto/NBD", "Gamma–Gamma", "BG/BB", "sBG", "DERL", "CDNOW", "AIC", "BIC")


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results(STEM)


def _frame(rec) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rec, orient="index")


def test_textbook_examples_reproduced(r):
    assert round(r["example1_model1_clv"]) == 3945
    assert round(r["example1_model3_clv"]) == 3506
    assert round(r["example2_model1_clv_a"]) == 1945
    assert round(r["example2_model1_clv_b"]) == 1750
    assert round(r["example2_model3_clv_a"]) == 1167
    assert round(r["example2_model3_clv_b"]) == 1361
    annuity = (1 - 1.09 ** -5) / 0.09
    assert r["example1_model2_clv"] == pytest.approx(0.3 * 2000 - 400 + 0.3 * 500 * annuity, abs=0.01)  # margin π = 0.3
    assert r["example2_model2_clv_a"] == pytest.approx(0.3 * 500 * annuity, abs=0.01)
    assert round(r["example2_timing_check"]["end"]) == 1945 and round(r["example2_timing_check"]["start"]) == 2120
    assert r["general_clv_profit100"]["end"]["infinite"] == pytest.approx(1000.0)
    assert r["general_clv_profit100"]["start"]["infinite"] == pytest.approx(1100.0)


def test_migration_examples(r):
    shares = r["example3_shares"]
    assert shares["1"] == pytest.approx({"A": 0.475, "B": 0.375, "C": 0.15})
    assert shares["2"] == pytest.approx({"A": 0.4075, "B": 0.4175, "C": 0.175})
    assert r["stationary_shares"] == pytest.approx({"A": 0.325, "B": 0.475, "C": 0.2})
    assert r["example4_clv"] == pytest.approx({"A": 389.38, "B": 347.72, "C": 142.45}, abs=0.01)
    # include_current_period adds the t = 0 term F·S0·500, undiscounted
    extra = {b: 500 * s for b, s in zip("ABC", (0.6, 0.3, 0.1))}
    assert r["example4_clv_with_current_period"] == pytest.approx({b: r["example4_clv"][b] + extra[b] for b in "ABC"},
                                                                  abs=0.011)
    for row in r["sensitivity"].values():
        if row["brand"] == "A":
            assert row["change"] > 0
        if row["brand"] == "B":
            assert row["change"] < 0


def test_retention_and_groups(r):
    grid = r["retention_clv_margin100"]
    assert grid["r = 80%"]["d = 12%"] == pytest.approx(250.0)  # 100·0.8/0.32
    assert grid["r = 90%"]["d = 10%"] == pytest.approx(450.0)  # 100·0.9/0.2
    assert r["group_lifetimes"] == {"firm 1": 5.0, "firm 2": 10.0}
    assert r["berger_nasr_best_spending"] == 100


def test_recency_chain_uses_pfeifer_carraways_rewards(r):
    """The paper's convention by default: V_1 of state 1 is NC − M = 36, V_1 of a mailed state −M; V_∞ solves Bellman."""
    assert r["recency_reward_convention"] == "pfeifer_carraway"
    values = _frame(r["recency_chain_values"])
    assert values["T = 1"].tolist() == pytest.approx([36.0, -4.0, -4.0, -4.0, 0.0])
    p = np.array([0.30, 0.20, 0.15, 0.05, 0.0])
    m = np.zeros((5, 5))
    m[:, 0] = p
    m[np.arange(4), np.arange(1, 5)] = 1 - p[:4]
    m[4, 4] = 1.0
    for convention, rewards in (("pfeifer_carraway", [36.0, -4, -4, -4, 0]),
                                ("expected_contribution", 40 * p - np.array([4, 4, 4, 4, 0]))):
        v = np.linalg.solve(np.eye(5) - m / 1.2, rewards)
        assert _frame(r["recency_chain_conventions"])[convention].to_numpy() == pytest.approx(v, abs=1e-3)
    assert values["T = ∞"].to_numpy() == pytest.approx(_frame(r["recency_chain_conventions"])["pfeifer_carraway"].to_numpy())


def test_bundled_fit_recovers_truth(r):
    assert r["bundled_data"] is True
    assert r["bundled_max_abs_z"] < 3
    fitted, truth = r["bundled_fitted_params"], r["bundled_true_params"]
    for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        assert fitted[name] == pytest.approx(truth[name], rel=0.25)
    assert r["log_customers"] == 1500
    assert r["log_summary_settings"]["purchase_rule"] == "customer-day"
    assert r["log_summary_settings"]["calibration_end"] == clv_data.CALIBRATION_END
    assert {k: r["log_bgnbd_params"][k] for k in ("r", "alpha", "a", "b")} == {k: fitted[k] for k in ("r", "alpha", "a", "b")}


def test_counts_comparison_and_holdout(r):
    fit = _frame(r["log_frequency_fit"])
    assert fit.sum().to_numpy() == pytest.approx(1500, abs=0.05)  # every column counts every customer once
    assert (fit["BG/NBD"] - fit["actual"]).abs().max() < 20  # the generating model reproduces the counts
    pmf = _frame(r["log_purchase_count_probabilities"])
    assert (pmf.sum() < 1).all() and (pmf.sum() > 0.9).all()
    comparison = _frame(r["model_comparison"])
    assert list(comparison.index) == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    assert comparison["aic"].to_numpy() == pytest.approx(8 - 2 * comparison["log_likelihood"].to_numpy())
    assert comparison["bic"].idxmin() == "BG/NBD"  # the data were simulated from it
    totals = r["log_holdout_totals"]
    assert totals["actual"] == comparison.loc["BG/NBD", "holdout_actual"]
    assert abs(totals["predicted"] / totals["actual"] - 1) < 0.1
    assert 0 < r["log_p_alive_share_active"] < 1


def test_clv_and_tiers(r):
    assert r["log_clv_total"] > 0 and r["log_clv_settings"]["model"] == "BG/NBD"
    assert r["log_clv_settings"]["period_length"] == pytest.approx(30.4375 / 7)
    cutoffs = r["log_tier_cutoffs"]
    assert [row["tier"] for row in cutoffs.values()] == ["vip", "major", "ordinary", "small"]
    tiers = _frame(r["log_tier_table"])
    assert tiers["customer_share"].tolist() == pytest.approx([0.01, 0.04, 0.15, 0.80])
    assert tiers["clv_share"].sum() == pytest.approx(1.0, abs=1e-3)
    assert tiers["total_clv"].sum() == pytest.approx(r["log_clv_total"], rel=1e-3)


def test_published_bgbb_and_sbg_estimates(r):
    assert {k: round(v, 3) for k, v in r["bgbb_params"].items()} == clv_data.DONATIONS_PUBLISHED  # FHS 2010
    assert r["bgbb_loglik"] == pytest.approx(-33225.6, abs=0.05)
    sbg = _frame(r["sbg_params"])
    for cohort, published in clv_data.SBG_PUBLISHED.items():  # Fader & Hardie 2007
        assert sbg.loc[cohort].round(3).to_dict() == published
    assert r["sbg_derl"]["high_end"] > r["sbg_derl"]["regular"] > 1


def _edition(rendered):
    import nbformat

    entry = next(e for e in rendered["notebooks"] if e["name"] == STEM)
    assert entry["status"] == "ok", entry["error"]
    run_dir = Path(rendered["path"])
    executed = run_dir / entry["outputs"]["notebook"]
    return executed, nbformat.read(str(executed), as_version=4), (run_dir / entry["outputs"]["report"]).read_text("utf-8")


def test_each_edition_reads_in_one_language_and_has_the_summary(rendered_run, rendered_run_zh):
    en_path, en, en_html = _edition(rendered_run)
    zh_path, zh, zh_html = _edition(rendered_run_zh)
    en_text, en_headers = report_text(en_path)
    zh_text, zh_headers = report_text(zh_path)
    assert chinese_characters(en_text) == [] and chinese_characters(" ".join(en_headers)) == []
    assert english_words(zh_text, NAMES) == []
    assert english_words(" ".join(zh_headers), NAMES) == []
    assert len(chinese_characters(zh_text)) > 3000
    for nb, html, title in ((en, en_html, "Summary of findings"), (zh, zh_html, "主要结论")):
        assert title in html and "3,944.83" in html  # Example 1's Model 1 is shown, not only recorded
        assert "summary" in nb.cells[-1].metadata.get("tags", [])
    for text in (en_text, zh_text):
        assert "SPEC" not in text and "seed 00" not in text
    assert "[methods reference](../docs/methods/clv.md)" in en.cells[0].source
    assert "[方法说明](../../docs/methods/clv.zh.md)" in zh.cells[0].source


def test_generated_editions_equal_a_fresh_build():
    from crmlab.report.bilingual import build_notebooks

    stale = [p for p in build_notebooks(ROOT / "notebooks", check=True) if p.stem == STEM]
    assert stale == [], "run `make notebooks` after editing notebooks/source/03_clv.ipynb"
