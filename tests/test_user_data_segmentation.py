"""Notebook 04 on a user's own data, run through the report runner with a parameter file (issue 9).

Fixtures made here or in tests/fixtures_logs.py:

* a log stored as **product lines** with basket ids, crossing 31 December → 1 January, customer ids "00123" and
  "123" (tests/fixtures_logs.py, shared with notebook 03): purchases are counted per basket, ids keep their zeros,
  and 03's repeat purchases + 1 equal 04's RFM frequency;
* a log that runs **a few hours into a new year** (Chinese run, with a customer table and judgments whose names
  collide with crmlab's terms, and one missing judgment), and the same log **cut at 31 December** (English run):
  churn is computed over the complete years only, the partial year is named, and both give the same KPIs;
* the **log-only** run shows no bundled data anywhere, and the skipped sections say so.

References are plain pandas on the fixture files (purchases per basket, yearly churn, per-customer totals, z-scores)
and crmlab.ahp called directly with the same settings (itself checked against AHPy in tests/test_ahp.py).
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from crmlab import ahp
from crmlab import segmentation as seg
from crmlab.i18n import t
from crmlab.report.runner import run_reports
from fixtures_logs import PRODUCT_LINE_STUDY, baskets_per_customer, product_line_log
from report_text import chinese_characters, english_words, markdown_outputs, prose, read

ROOT = Path(__file__).resolve().parents[1]
STEM = "04_value_segmentation"
BUNDLED = ["C01", "C12", "K0001", "cum_volume", "Cumulative transaction volume", "累计交易量", "Expert 1", "专家 1",
           "expert_1", "Paper", "论文", "2023-01-02"]


def run(tmp: Path, params: dict, label: str, notebooks=(STEM,)) -> dict:
    params_file = tmp / f"{label}.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    log = io.StringIO()
    manifest = run_reports(list(notebooks), notebooks_dir=ROOT / "notebooks", reports_dir=tmp / "reports",
                           params_file=params_file, jobs=2, timeout=900, stream=log, label=label)
    out = {}
    for entry in manifest["notebooks"]:
        assert entry["status"] == "ok", f"{entry['name']}: {entry['error']}\n{log.getvalue()}"
        run_dir = Path(manifest["path"])
        out[entry["name"]] = {
            "results": json.loads((run_dir / entry["outputs"]["results"]).read_text(encoding="utf-8"))["results"],
            "nb": read(run_dir / entry["outputs"]["notebook"]),
            "html": (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8")}
    return out[STEM] if notebooks == (STEM,) else out


def shown_text(nb) -> str:
    """Everything a reader reads in the executed notebook: Markdown cells and every text or table output (no images)."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for c in nb.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            data = o.get("data", {})
            parts += [data[k] for k in ("text/markdown", "text/html") if k in data] + [o.get("text", "")]
    return "\n".join(parts)


def note(section: str, need: str, lang: str) -> str:
    return f"*{t('section_skipped', lang).format(section=t(section, lang), need=t(need, lang))}*"


# ------------------------------------------------------------------ fixtures
def boundary_log(*, cut: bool, seed: int = 5) -> pd.DataFrame:
    """Two whole years of orders (2023, 2024; first and last days included) for 60 customers with costs; unless
    ``cut``, a few lines in the first three hours of 2025.  Ids "00123" and "123" are different customers."""
    rng = np.random.default_rng(seed)
    ids = [f"{k:05d}" if k % 3 == 0 else str(k) for k in range(100, 160)]
    ids[23] = "00123"  # and "123" is ids[23]'s plain neighbour below
    ids[22] = "123"
    rows = []
    for i, cid in enumerate(ids):
        active = {2023: rng.random() < 0.8 or i < 2, 2024: rng.random() < 0.7 or i < 2}
        for year, on in active.items():
            for _ in range(rng.integers(1, 6) if on else 0):
                day = pd.Timestamp(f"{year}-01-01") + pd.Timedelta(days=int(rng.integers(0, 365)))
                rows.append((cid, day + pd.Timedelta(hours=int(rng.integers(8, 20))), round(float(rng.gamma(2, 30)) + 1, 2)))
    rows += [(ids[0], pd.Timestamp("2023-01-01 09:00"), 12.0), (ids[1], pd.Timestamp("2024-12-31 18:30"), 40.0)]
    if not cut:
        rows += [(ids[k], pd.Timestamp("2025-01-01") + pd.Timedelta(minutes=20 + 40 * k), 15.0 + k) for k in range(4)]
    frame = pd.DataFrame(rows, columns=["客户", "下单时间", "金额"])
    frame["成本"] = (frame["金额"] * 0.6).round(2)
    return frame.sort_values("下单时间", kind="stable").reset_index(drop=True)


CUSTOMER_INDICATORS = [
    {"indicator": "revenue", "dimension": "current", "direction": "benefit"},
    {"indicator": "服务成本", "dimension": "current", "direction": "cost"},
    {"indicator": "profitability", "dimension": "potential", "direction": "benefit", "levels": ["低", "中", "高"]},
    {"indicator": "credit", "dimension": "potential", "direction": "benefit"},
    {"indicator": "scale", "dimension": "potential", "direction": "benefit"},
]


def customer_table(seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 12
    return pd.DataFrame({"账户": [f"{k:04d}" for k in range(1, n + 1)],
                         "revenue": rng.gamma(3, 100, n).round(1), "服务成本": rng.gamma(2, 10, n).round(1),
                         "profitability": rng.choice(["低", "中", "高"], n), "credit": rng.integers(1, 6, n),
                         "scale": rng.integers(1, 6, n), "利润": rng.gamma(2, 40, n).round(1)})


JUDGMENTS = [("A", "criteria", "current", "potential", "1/2"), ("B", "criteria", "current", "potential", "1"),
             ("A", "current", "revenue", "服务成本", "3"), ("B", "current", "revenue", "服务成本", "2"),
             ("A", "potential", "profitability", "credit", "2"), ("A", "potential", "profitability", "scale", "4"),
             ("A", "potential", "credit", "scale", ""),  # not given: completed
             ("B", "potential", "profitability", "credit", "3"), ("B", "potential", "profitability", "scale", "3"),
             ("B", "potential", "credit", "scale", "1/2")]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seg_user")
    paths = {"lines": product_line_log(tmp), "boundary": tmp / "订单.csv", "cut": tmp / "orders_cut.csv",
             "customers": tmp / "accounts.xlsx", "judgments": tmp / "judgments.csv"}
    boundary_log(cut=False).to_csv(paths["boundary"], index=False, encoding="gb18030")
    boundary_log(cut=True).assign(下单时间=lambda d: d["下单时间"].dt.strftime("%Y%m%d").astype(int)).to_csv(
        paths["cut"], index=False)
    customer_table().to_excel(paths["customers"], index=False)
    pd.DataFrame(JUDGMENTS, columns=["专家", "层次", "行", "列", "判断"]).to_csv(paths["judgments"], index=False)
    return tmp, paths


def log_study(path: Path) -> dict:
    return {"kind": "transactions", "path": str(path), "customer_id": "客户", "datetime": "下单时间",
            "monetary_value": "金额", "cost": "成本"}


@pytest.fixture(scope="module")
def lines_run(files):
    tmp, paths = files
    return run(tmp, {"notebooks": {STEM: {"transactions": {**PRODUCT_LINE_STUDY, "path": str(paths["lines"])}}}}, "lines")


@pytest.fixture(scope="module")
def boundary_runs(files):
    tmp, paths = files
    zh = run(tmp, {"global": {"lang": "zh"}, "notebooks": {STEM: {
        "transactions": log_study(paths["boundary"]),
        "customers": {"kind": "customers", "path": str(paths["customers"]), "id": "账户", "indicators": CUSTOMER_INDICATORS,
                      "profit": "利润"},
        "judgments": {"kind": "judgments", "path": str(paths["judgments"]), "expert": "专家", "level": "层次", "row": "行",
                      "column": "列", "judgment": "判断"}}}}, "boundary")
    en = run(tmp, {"notebooks": {STEM: {"transactions": log_study(paths["cut"])}}}, "cut")
    return {"zh": zh, "en": en}


# ------------------------------------------------------------------ (a) product lines: one purchase per basket
def test_product_lines_count_one_purchase_per_basket_and_ids_keep_their_zeros(lines_run, files):
    _, paths = files
    lines = pd.read_csv(paths["lines"], dtype={"customer_id": str, "basket_id": str})
    expected = baskets_per_customer(lines)
    got = pd.Series(lines_run["results"]["rfm_frequency"]).astype(int)
    assert set(got.index) == set(expected.index)
    assert (got.reindex(expected.index) == expected).all()
    assert len(lines) > expected.sum()  # product lines: counting rows would give more
    # (d) "00123" and "123" stay two customers, with their own purchases
    assert {"00123", "123"} <= set(got.index)
    assert got["00123"] == expected["00123"] and got["123"] == expected["123"]
    assert lines_run["results"]["log_profile"]["purchases"] == int(expected.sum())
    assert lines_run["results"]["rfm_settings"]["purchase_rule"].startswith("order")


def test_notebooks_03_and_04_agree_on_purchases(files):
    """Notebook 03's repeat purchases + 1 equal notebook 04's RFM frequency, customer by customer, on one log."""
    tmp, paths = files
    table = tmp / "clv_customers.csv"
    out = run(tmp, {"global": {"transactions": {**PRODUCT_LINE_STUDY, "path": str(paths["lines"])}},
                    "notebooks": {"03_clv": {"customer_table_path": str(table)}}}, "both",
              notebooks=("03_clv", STEM))
    clv = pd.read_csv(table, dtype=str).set_index("customer_id")
    freq03 = clv["frequency"].astype(float).astype(int) + 1
    freq04 = pd.Series(out[STEM]["results"]["rfm_frequency"]).astype(int)
    assert set(freq03.index) == set(freq04.index)
    assert (freq03.reindex(freq04.index) == freq04).all()


# ------------------------------------------------------------------ (b) a log a few hours into a new year
def yearly_churn(frame: pd.DataFrame) -> float:
    year = pd.to_datetime(frame["下单时间"]).dt.year
    before, after = set(frame.loc[year == 2023, "客户"]), set(frame.loc[year == 2024, "客户"])
    return len(before - after) / len(before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_churn_over_complete_years_only(boundary_runs, lang):
    r, nb = boundary_runs[lang]["results"], boundary_runs[lang]["nb"]
    frame = boundary_log(cut=lang == "en")
    assert r["periods_compared"] == ["2023", "2024"]
    assert r["periods_partial"] == (["2025"] if lang == "zh" else [])
    assert r["kpi_periods"] == {"before": "2023", "after": "2024"}
    assert r["tier_kpis"]["churn_rate"] == pytest.approx(yearly_churn(frame), abs=1e-12)
    assert r["tier_kpis"]["churn_rate"] < 0.5  # not the 96.9 % of a new "year" of a few hours
    assert r["tier_value"] == "profit"
    notes = markdown_outputs(nb)
    if lang == "zh":
        assert "因未被完整覆盖而排除的统计期：2025" in notes
    else:
        assert "Left out as partial (the log does not cover them completely): none." in notes


def test_the_cut_log_gives_the_same_kpis(boundary_runs):
    zh, en = boundary_runs["zh"]["results"], boundary_runs["en"]["results"]
    assert zh["tier_kpis"] == pytest.approx(en["tier_kpis"])
    # (d) ids with leading zeros survive in a GB18030 file and in a file with yyyymmdd dates
    for r in (zh, en):
        assert {"00123", "123", "00102"} <= set(r["rfm_frequency"])


def test_value_matrix_and_ahp_on_the_users_tables(boundary_runs, files):
    _, paths = files
    r, nb = boundary_runs["zh"]["results"], boundary_runs["zh"]["nb"]
    judgments = pd.read_csv(paths["judgments"], dtype=str, keep_default_na=False)
    matrices = ahp.matrices_from_table(judgments, level_col="层次", row_col="行", column_col="列", judgment_col="判断",
                                       expert_col="专家")
    groups = {lv: ahp.group_ahp(m, allow_missing=True, completion="lambda_max") for lv, m in matrices.items()}
    assert r["ahp_criterion_weights"] == pytest.approx(groups["criteria"].weights.to_dict())
    assert r["ahp_potential_weights"] == pytest.approx(groups["potential"].weights.to_dict())
    assert "ahp_completion_potential_A" in r  # the missing judgment is completed and shown
    # value matrix by hand: ordinal levels coded 1..3, z-scores with n - 1, cost indicator negated, split at the mean
    data = customer_table().set_index("账户")
    data["profitability"] = data["profitability"].map({"低": 1, "中": 2, "高": 3})
    z = (data - data.mean()) / data.std(ddof=1)
    z["服务成本"] *= -1
    local = {**groups["current"].weights.to_dict(), **groups["potential"].weights.to_dict()}
    current = z["revenue"] * local["revenue"] + z["服务成本"] * local["服务成本"]
    potential = sum(z[c] * local[c] for c in ("profitability", "credit", "scale"))
    hi_c, hi_p = current >= current.mean(), potential >= potential.mean()
    assert r["value_class_counts"]["high_high"] == int((hi_c & hi_p).sum())
    assert r["value_class_counts"]["low_low"] == int((~hi_c & ~hi_p).sum())
    assert set(r["value_classes"]) == set(data.index)  # ids "0001" … keep their zeros
    # user names that are also crmlab terms are shown as given in the Chinese report (not 收入 / 获利能力)
    text = shown_text(nb)
    assert "profitability" in text and "获利能力" not in text and "revenue" in text


# ------------------------------------------------------------------ (c) a log-only study shows only the user's data
def test_log_only_report_has_no_bundled_data(lines_run):
    r, nb = lines_run["results"], lines_run["nb"]
    text = shown_text(nb)
    for bundled in BUNDLED:
        assert bundled not in text, f"bundled data {bundled!r} in a report on the user's log"
    assert not {"value_class_counts", "ahp_criterion_weights", "ahp_max_abs_difference_vs_paper", "ahp_synthesis_priorities",
                "ahp_completion_example", "sensitivity_ranks"} & set(r)
    notes = markdown_outputs(nb)
    for section, need in (("section_seg_ahp", "need_seg_judgments"), ("section_seg_value_matrix", "need_seg_customers")):
        assert note(section, need, "en") in notes
    assert r["inputs"] == {"customers": False, "transactions": True, "judgments": False, "bundled": False}


def test_log_only_pareto_and_gini_come_from_the_users_log(lines_run, files):
    _, paths = files
    r = lines_run["results"]
    lines = pd.read_csv(paths["lines"], dtype={"customer_id": str})
    revenue = lines.groupby("customer_id")["amount"].sum()  # no cost column: revenue per customer
    assert r["pareto_settings"] == {"value": "revenue", "source": "source_transactions", "top": 0.2,
                                    "customers": len(revenue)}
    top = float(seg.pareto_table(revenue, top=[0.2])["value_share"].iloc[0])
    assert r["pareto_top_share"] == pytest.approx(top, abs=1e-9)
    x = np.sort(revenue.to_numpy())
    n = x.size
    assert r["gini_revenue"] == pytest.approx(((2 * np.arange(1, n + 1) - n - 1) * x).sum() / (n * x.sum()), abs=1e-9)


# ------------------------------------------------------------------ the reports read in one language
def test_reports_on_user_data_speak_one_language(lines_run, boundary_runs):
    names = ["profitability", "revenue", "credit", "scale", "basket_id", "customer_id", "timestamp", "amount",
             "observed_from", "observed_through", "periods", "judgments", "customers", "transactions", "alternatives",
             "current", "potential", "criteria", "weight", "Saaty", "saaty"]
    zh_words = english_words(prose(boundary_runs["zh"]["nb"]), allowed=names)
    assert len(zh_words) < 40, zh_words
    assert not chinese_characters(prose(lines_run["nb"]), allowed=["客户", "下单时间", "金额", "成本"])


# ------------------------------------------------------------------ the documented example on the CDNOW sample
def test_shared_data_example_on_cdnow(shared_data, tmp_path):
    """examples/shared-data.yaml's 04 section: the CDNOW sample as a log (one purchase per customer-day, FHL 2005)."""
    params = yaml.safe_load((ROOT / "examples" / "shared-data.yaml").read_text(encoding="utf-8"))
    section = {"global": params.get("global", {}), "notebooks": {STEM: params["notebooks"][STEM]}}
    section["notebooks"][STEM]["transactions"]["path"] = str(shared_data / "cdnow" / "CDNOW_sample.txt")
    r = run(tmp_path, section, "cdnow")["results"]
    raw = pd.read_csv(shared_data / "cdnow" / "CDNOW_sample.txt", sep=r"\s+", header=None, dtype={0: str},
                      names=["customer_id", "sample_id", "date", "cds", "amount"])
    per_day = raw.groupby("customer_id")["date"].nunique()  # purchases = distinct customer-days
    got = pd.Series(r["rfm_frequency"]).astype(int)
    assert len(got) == 2357 and (got.reindex(per_day.index) == per_day).all()
    assert r["periods_compared"][0] == "1997Q1" and r["periods_compared"][-1] == "1998Q2" and r["periods_partial"] == []
    assert r["kpi_periods"] == {"before": "1998Q1", "after": "1998Q2"}
    assert r["tier_value"] == "revenue"  # no cost column
