"""Recorded results of notebook 02_importance_performance on the bundled data, checked against known values.

The bundled survey (crmlab.datasets.ipa) was generated with known importances; the
references below are the generating design and the importance identities
(relative weights and LMG sum to R²), not values copied from a previous run.  The PLS map is
checked against crmlab.pls fitted directly with notebook 01's settings (path scheme, standardised
items).  Both editions are read as a reader would: one language each, the summary first.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.datasets import ipa as ds
from report_text import chinese_characters, english_words, prose, read

ROOT = Path(__file__).resolve().parents[1]
STEM = "02_importance_performance"


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results("02_importance_performance")


def _frame(rec) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rec, orient="index")


def test_textbook_stated_quadrants(r):
    survey = ds.load_ipa_survey()
    cols = ds.column_mapping()
    perf = survey[list(cols["performance"].values())].mean().set_axis(ds.attributes())
    imp = survey[list(cols["stated_importance"].values())].mean().set_axis(ds.attributes())
    expected = {a: ("A" if perf[a] >= perf.mean() and imp[a] >= imp.mean() else
                    "B" if imp[a] >= imp.mean() else "D" if perf[a] >= perf.mean() else "C") for a in ds.attributes()}
    assert r["quadrants_stated"] == expected


def test_overall_value(r):
    survey = ds.load_ipa_survey()
    cols = ds.column_mapping()
    perf = survey[list(cols["performance"].values())].mean().to_numpy()
    imp = survey[list(cols["stated_importance"].values())].mean().to_numpy()
    csi = (perf * imp).sum() / imp.sum()
    assert r["overall_csi"] == pytest.approx(csi)
    assert r["overall_csi_index_0_100"] == pytest.approx((csi - 1) / 6 * 100)
    assert r["overall_satisfaction_index_0_100"] == pytest.approx((survey["overall"].mean() - 1) / 9 * 100)
    assert r["n_respondents"] == len(survey) and r["n_respondents_dropped"] == 0


def test_derived_importance_identities_and_recovery(r):
    assert r["relative_weights_sum"] == pytest.approx(r["r_squared"], abs=1e-10)
    assert r["lmg_sum"] == pytest.approx(r["r_squared"], abs=1e-10)
    table = _frame(r["importance_table"])
    true = ds.TRUE_PARAMETERS["overall_coefficient"].reindex(table.index)
    strong = set(true[true >= 0.25].index)
    assert set(table["lmg"].nlargest(len(strong)).index) == strong
    recovered = _frame(r["recovered_coefficients"])  # b = beta * sd(y) / sd(x) recovers the generating coefficients
    assert (recovered["estimated_b"] - recovered["true_b"]).abs().max() < 0.1


def test_designed_quadrants_and_method_sensitivity(r):
    derived = r["quadrants_derived"]
    assert {a: derived[a] for a in ("product_quality", "freshness", "checkout_speed", "price", "parking",
                                     "loyalty_program", "cleanliness", "opening_hours")} == {
        "product_quality": "A", "freshness": "A", "checkout_speed": "B", "price": "B", "parking": "C",
        "loyalty_program": "C", "cleanliness": "D", "opening_hours": "D"}
    changes = _frame(r["quadrant_changes"])
    # stated importance puts cleanliness (a "hygiene" attribute) in A, derived importance in D
    assert changes.loc["cleanliness", "stated"] == "A" and changes.loc["cleanliness", "lmg"] == "D"
    assert r["n_attributes_changing_quadrant"] == int(changes["changes"].sum()) >= 2


def test_stability(r):
    share = pd.Series(r["stability_share"])
    assert share.between(0, 1).all()
    assert share[["product_quality", "checkout_speed", "loyalty_program"]].min() > 0.9
    assert "product_range" in r["fragile_attributes"]


def test_model_based_map(r):
    from crmlab.pls import PLSPathModel

    table = _frame(r["ipma_table"])
    assert r["ipma_settings"]["scheme"] == "path" and r["ipma_settings"]["standardized"] is True
    assert r["ipma_target"] == "satisfaction"
    pls = PLSPathModel(ds.IPMA_BLOCKS, list(ds.IPMA_PATHS), scheme="path", scaled=True).fit(
        pd.read_csv(ds.IPMA_FILE), scale=ds.IPMA_SCALE)
    index = pls.index_0_100()
    assert table["performance"].to_numpy() == pytest.approx(index[table.index].to_numpy(), abs=1e-9)
    assert r["ipma_target_index"] == pytest.approx(index["satisfaction"], abs=1e-9)
    assert table["importance"].idxmax() == "quality" and table["importance"].idxmin() == "value"
    assert table.loc["quality", "quadrant"] == "B"
    assert 0 < r["ipma_target_index"] < 100
    items = _frame(r["ipma_item_table"])
    blocks = {c: [i for i in items.index if i.startswith(prefix)] for c, prefix in
              {"image": "imag", "expectation": "expe", "quality": "qual", "value": "val"}.items()}
    for construct, its in blocks.items():  # item importances add up to their construct's (rescaled weights sum to 1)
        assert items.loc[its, "importance"].sum() == pytest.approx(table.loc[construct, "importance"], abs=1e-9)
    assert set(items.loc[blocks["quality"], "quadrant"]) == {"B"}


def test_competitor_gap(r):
    survey = ds.load_ipa_survey()
    cols = ds.column_mapping()
    gap = pd.Series(r["competitor_gap"])
    for a in ("price", "freshness"):
        assert gap[a] == pytest.approx(survey[cols["performance"][a]].mean() - survey[cols["competitor"][a]].mean())
    assert np.sign(gap["checkout_speed"]) == -1  # competitor designed to be faster at checkout


def test_decision_chart_and_summary_inputs(r):
    main = _frame(r["ipa_main"])
    assert r["ipa_settings"]["importance_method"] == "lmg" and r["ipa_settings"]["zoning"] == "quadrant"
    assert main["quadrant"].to_dict() == r["quadrants_derived"]
    assert r["attribute_labels"] == ds.attribute_labels("en")


def _edition(rendered, name=STEM):
    entry = next(e for e in rendered["notebooks"] if e["name"] == name)
    assert entry["status"] == "ok", entry["error"]
    run_dir = Path(rendered["path"])
    return read(run_dir / entry["outputs"]["notebook"]), (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8")


def test_each_edition_reads_in_one_language_and_has_the_summary(rendered_run, rendered_run_zh):
    en, en_html = _edition(rendered_run)
    zh, zh_html = _edition(rendered_run_zh)
    assert chinese_characters(prose(en)) == []
    assert english_words(prose(zh)) == []
    assert len(chinese_characters(prose(zh))) > 2000
    for nb, html, title in ((en, en_html, "Summary of findings"), (zh, zh_html, "主要结论")):
        assert title in html
        assert "summary" in nb.cells[-1].metadata.get("tags", [])  # the report layer shows the tagged cell first
    for text in (prose(en), prose(zh)):
        assert "SPEC" not in text and "seed 00" not in text
    assert "[methods reference](../docs/methods/ipa.md)" in en.cells[0].source
    assert "[方法说明](../../docs/methods/ipa.zh.md)" in zh.cells[0].source


def test_generated_editions_equal_a_fresh_build():
    from crmlab.report.bilingual import build_notebooks

    stale = [p for p in build_notebooks(ROOT / "notebooks", check=True) if p.stem == STEM]
    assert stale == [], "run `make notebooks` after editing notebooks/source/02_importance_performance.ipynb"
