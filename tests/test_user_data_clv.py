"""Notebook 03 on a user's own transaction log, run through the report runner with a parameter file (issue 9).

The fixture (:mod:`fixtures_logs`, shared with notebook 04's tests) is a log stored as product lines: several rows per
basket with a basket id, baskets of one customer on the same day, a basket that crosses from 2024 into 2025, and the
customers "00123" and "123".  The same log is written with ISO timestamps, yyyymmdd integer dates, Excel serial dates
and as a Parquet folder partitioned by year; copies of the notebook run on each in one runner call.

* (a) the recorded frequency of every customer equals its distinct baskets − 1, counted here with plain pandas, and
  "00123" and "123" are two customers;
* (b) integer and Excel-serial dates give the same per-customer table and the same BG/NBD estimates as timestamps;
* (c) the Parquet folder gives the same results as the CSV;
* (d) a missing file or a wrong column is refused before any kernel starts, naming the parameter;
and a report on the user's log holds only the user's data (the sections without their input say so).
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from crmlab.i18n import t
from crmlab.report.runner import run_reports
from fixtures_logs import (CALIBRATION_END, OBSERVATION_END, PRODUCT_LINE_STUDY, baskets_per_customer, product_line_frame,
                           product_line_log, product_line_parquet)

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("iso", "yyyymmdd", "excel", "parquet")
SUMMARY_COLUMNS = ["frequency", "recency", "T", "monetary_value", "frequency_holdout", "monetary_holdout"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One runner call rendering a copy of the notebook per variant of the log (two at a time)."""
    tmp = tmp_path_factory.mktemp("clv_user_logs")
    data, nbs = tmp / "data", tmp / "notebooks"
    data.mkdir()
    nbs.mkdir()
    paths = {"iso": product_line_log(data), "yyyymmdd": product_line_log(data, dates="yyyymmdd"),
             "excel": product_line_log(data, dates="excel"), "parquet": product_line_parquet(data)}
    sections = {}
    for variant, path in paths.items():
        stem = f"03_clv_{variant}"
        shutil.copy(ROOT / "notebooks" / "03_clv.ipynb", nbs / f"{stem}.ipynb")
        sections[stem] = {"transactions": PRODUCT_LINE_STUDY | {"path": str(path)}, "calibration_end": CALIBRATION_END,
                          "observation_end": OBSERVATION_END, "customer_table_path": str(tmp / f"{variant}.csv")}
        if variant != "iso":
            sections[stem]["purchase_models"] = ["BG/NBD"]  # the per-customer table needs only the CLV model
    params = tmp / "params.yaml"
    params.write_text(yaml.safe_dump({"notebooks": sections}, allow_unicode=True), encoding="utf-8")
    log = io.StringIO()
    manifest = run_reports(list(sections), notebooks_dir=nbs, reports_dir=tmp / "reports", params_file=params, jobs=2,
                           timeout=900, stream=log)
    assert manifest["status"] == "ok", log.getvalue()
    run_dir = Path(manifest["path"])
    out = {}
    for entry in manifest["notebooks"]:
        variant = entry["name"].removeprefix("03_clv_")
        out[variant] = {"results": json.loads((run_dir / entry["outputs"]["results"]).read_text())["results"],
                        "html": (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8"),
                        "customers": pd.read_csv(tmp / f"{variant}.csv", dtype={"customer_id": str}).set_index("customer_id")}
    return out


def test_frequency_counts_baskets_and_ids_keep_their_zeros(runs):
    lines = product_line_frame()
    baskets = baskets_per_customer(lines, through=CALIBRATION_END)  # distinct baskets dated on or before the end
    table = runs["iso"]["customers"]
    assert sorted(table.index) == sorted(baskets.index)
    assert table["frequency"].to_dict() == (baskets - 1).to_dict()
    assert {"00123", "123"} <= set(table.index) and "124" not in set(table.index)
    # the traps are live: counting customer-days instead of baskets would give other frequencies
    days = (pd.to_datetime(lines["timestamp"]).dt.normalize().groupby(lines["customer_id"]).nunique())
    assert (days.reindex(baskets.index) != baskets).sum() > 20
    boundary = lines[lines["customer_id"] == "00123"].groupby("basket_id")["timestamp"].agg(["min", "max"])
    assert ((boundary["min"].dt.year == 2024) & (boundary["max"].dt.year == 2025)).sum() == 1  # one basket, two years
    r = runs["iso"]["results"]
    assert r["log_customers"] == len(baskets) and r["bundled_data"] is False
    assert r["log_summary_settings"]["purchase_rule"] == "order (distinct 'basket_id' per customer)"
    assert r["log_profile"]["purchases"] == lines["basket_id"].nunique()


@pytest.mark.parametrize("variant", ["yyyymmdd", "excel", "parquet"])
def test_date_forms_and_parquet_give_the_same_results(runs, variant):
    iso, other = runs["iso"], runs[variant]
    # the log summaries agree to rounding (DuckDB sums in scan order, which differs between a CSV and Parquet)
    pd.testing.assert_frame_equal(other["customers"][SUMMARY_COLUMNS], iso["customers"][SUMMARY_COLUMNS],
                                  check_exact=False, rtol=1e-12)
    # model outputs to the fits' convergence tolerance (a last-digit change in the inputs moves the optimum by ~1e-9)
    pd.testing.assert_frame_equal(other["customers"], iso["customers"], check_exact=False, rtol=1e-7)
    assert other["results"]["log_bgnbd_params"] == iso["results"]["log_bgnbd_params"]
    assert other["results"]["log_clv_total"] == pytest.approx(iso["results"]["log_clv_total"], rel=1e-9)
    assert other["customers"][SUMMARY_COLUMNS].notna().all().all()


def test_a_report_on_user_data_holds_only_user_data(runs):
    r, html = runs["iso"]["results"], runs["iso"]["html"]
    assert r["bundled_data"] is False
    assert not any(key.startswith(("bundled_", "bgbb_", "sbg_")) for key in r if key != "bundled_data")
    for section, need in (("section_bgbb", "need_bgbb_patterns"), ("section_sbg", "need_contract_survivors")):
        assert t("section_skipped", "en").split("{need}")[0].format(section=t(section, "en")) in html
    assert "transactions.csv" not in html and "product_lines.csv" in html
    assert "Does the fit recover the truth" not in html
    comparison = pd.DataFrame.from_dict(r["model_comparison"], orient="index")
    assert list(comparison.index) == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    assert comparison["holdout_actual"].iloc[0] == runs["iso"]["customers"]["frequency_holdout"].sum()


@pytest.mark.parametrize("change, message", [
    ({"path": "no_such_log.csv"}, "03_clv: transactions.path: .*no_such_log.csv does not exist"),
    ({"order_id": "basket"}, r"03_clv: transactions.order_id: column\(s\) \['basket'\] not in product_lines.csv"),
    ({"datetime": "when"}, r"03_clv: transactions.datetime: column\(s\) \['when'\] not in product_lines.csv"),
])
def test_a_wrong_study_is_refused_before_any_kernel(tmp_path, change, message):
    import re

    path = product_line_log(tmp_path)
    study = PRODUCT_LINE_STUDY | {"path": str(path)} | change
    if change.get("path"):
        study["path"] = str(tmp_path / change["path"])
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({"notebooks": {"03_clv": {"transactions": study}}}), encoding="utf-8")
    reports = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "crmlab", "report", "03_clv", "--notebooks-dir", str(ROOT / "notebooks"),
                        "--reports-dir", str(reports), "--params", str(params)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert re.search(message, r.stderr), r.stderr
    assert not reports.exists() or not any(reports.iterdir())
