"""Recorded results of notebook 05_tracking on the bundled waves, checked against the generator's known parameters.

The bundled waves (crmlab.datasets.tracking) were generated with known changes: only the QUAL items rise (by 0.7
scale points) from 2025-Q1 to 2025-Q2, only checkout speed moves from quadrant B to A from 2025-Q2 to 2025-Q3, and
the order log's churn rate rises from 20 % to 30 % (expected) with exactly 20 % new customers.  The references are
these parameters (true_indices is the exact population index) and crmlab.pls fitted directly on each wave — not
values copied from a previous run.  Both editions are read as a reader would: one language each, the summary last
in the notebook (first in the report).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.datasets import tracking as ds
from crmlab.pls import PLSPathModel
from report_text import chinese_characters, english_words, prose, read

ROOT = Path(__file__).resolve().parents[1]
STEM = "05_tracking"


@pytest.fixture(scope="module")
def r(notebook_results):
    return notebook_results(STEM)


def _frame(rec) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rec, orient="index")


def test_indices_are_each_waves_pls_index_and_cover_the_truth(r):
    assert r["waves"] == list(ds.WAVES) and r["bundled_data"] is True and r["target"] == "SAT"
    table = _frame(r["index_by_wave"])
    truth = ds.true_indices()
    for w in ds.WAVES:
        own = PLSPathModel(ds.BLOCKS, list(ds.PATHS), scheme="path", scaled=True).fit(ds.generate_waves()[w], scale=ds.SCALE)
        for construct, value in own.index_0_100().items():
            row = table.loc[f"{w} / {construct}"]
            assert row["estimate"] == pytest.approx(value, abs=1e-9)
            assert row["ci_lower"] <= truth.loc[construct, w] <= row["ci_upper"]
            assert row["n_respondents"] == ds.N_PER_WAVE
    assert r["truth_index_covered"] == 1.0
    assert r["latest_wave"] == "2025-Q3" and r["latest_index"]["QUAL"] == pytest.approx(table.loc["2025-Q3 / QUAL", "estimate"])


def test_only_the_designed_index_change_is_significant(r):
    changes = _frame(r["index_changes"])
    significant = changes[changes["significant"]]
    assert significant.index.tolist() == ["2025-Q1 -> 2025-Q2 / QUAL"]
    true_change = ds.true_indices().loc["QUAL", "2025-Q2"] - ds.true_indices().loc["QUAL", "2025-Q1"]
    row = significant.iloc[0]
    assert row["ci_lower"] <= true_change <= row["ci_upper"]
    se = np.hypot(*(_frame(r["index_by_wave"]).loc[[f"{w} / QUAL" for w in ("2025-Q1", "2025-Q2")], "std_error"]))
    assert row["std_error"] == pytest.approx(se)
    assert r["truth_changes_as_designed"] is True


def test_only_checkout_speed_changes_quadrant(r):
    moves = _frame(r["quadrant_moves"])
    moved = moves[moves["moved"]]
    assert moved.index.tolist() == ["2025-Q2 -> 2025-Q3 / checkout_speed"]
    assert moved.iloc[0][["quadrant_from", "quadrant_to"]].tolist() == ["B", "A"]
    quadrants = _frame(r["quadrants_by_wave"])
    for w in ds.WAVES:
        assert quadrants[w].to_dict() == ds.DESIGNED_QUADRANTS[w].to_dict()
    assert r["truth_quadrants_as_designed"] is True
    perf = _frame(r["performance_changes"])
    assert perf[perf["significant"]].index.tolist() == ["2025-Q2 -> 2025-Q3 / checkout_speed"]


def test_tier_kpis_recover_the_generators_rates(r):
    rates = _frame(r["kpi_rates"])
    assert list(rates.columns) == ["2025Q1 -> 2025Q2", "2025Q2 -> 2025Q3"]
    np.testing.assert_allclose(rates.loc["new_customer_rate"], [0.2, 0.2], atol=1e-3)
    np.testing.assert_allclose(rates.loc["churn_rate"], ds.TRUE_KPIS["churn_rate"], atol=0.03)
    assert r["kpi_changes"]["churn_rate"]["2025Q2 -> 2025Q3"] == pytest.approx(
        100 * (rates.loc["churn_rate"].iloc[1] - rates.loc["churn_rate"].iloc[0]), abs=1e-8)
    assert set(r["latest_kpis"]) == {"new_customer_rate", "churn_rate", "upgrade_rate"}


def test_headline_numbers_are_marked_for_the_history_page(rendered_run):
    import json

    entry = next(e for e in rendered_run["notebooks"] if e["name"] == STEM)
    payload = json.loads((Path(rendered_run["path"]) / entry["outputs"]["results"]).read_text(encoding="utf-8"))
    assert payload["headline"] == ["latest_index", "latest_kpis"]


def _edition(rendered):
    entry = next(e for e in rendered["notebooks"] if e["name"] == STEM)
    assert entry["status"] == "ok", entry["error"]
    run_dir = Path(rendered["path"])
    return read(run_dir / entry["outputs"]["notebook"]), (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8")


def test_each_edition_reads_in_one_language_and_has_the_summary(rendered_run, rendered_run_zh):
    en, en_html = _edition(rendered_run)
    zh, zh_html = _edition(rendered_run_zh)
    assert chinese_characters(prose(en)) == []
    assert english_words(prose(zh)) == []
    assert len(chinese_characters(prose(zh))) > 1500
    for nb, html, title in ((en, en_html, "Summary of findings"), (zh, zh_html, "主要结论")):
        assert title in html
        assert "summary" in nb.cells[-1].metadata.get("tags", [])  # the report layer shows the tagged cell first
        images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
        assert images == 3  # index over the waves, quadrant migration with arrows, tier KPIs
    for text in (prose(en), prose(zh)):
        assert "SPEC" not in text and "seed 00" not in text
    assert "[methods reference](../docs/methods/tracking.md)" in en.cells[0].source
    assert "[方法说明](../../docs/methods/tracking.zh.md)" in zh.cells[0].source
    assert "Perceived quality +7.5 points (2025-Q1 → 2025-Q2)" in en_html or "Perceived quality +7." in en_html
    assert "感知质量" in zh_html and "结账速度 B → A" in zh_html


def test_generated_editions_equal_a_fresh_build():
    from crmlab.report.bilingual import build_notebooks

    stale = [p for p in build_notebooks(ROOT / "notebooks", check=True) if p.stem == STEM]
    assert stale == [], "run `make notebooks` after editing notebooks/source/05_tracking.ipynb"
