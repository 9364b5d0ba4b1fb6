"""Notebook 05 on a user's own waves, run through the report runner with a parameter file (issues 9 and 14).

The fixture is a programme a researcher might bring: three waves of a 1–5 survey whose constructs are called
``Service``, ``Trust`` and ``满意度`` (not the bundled EXPE/QUAL/… and not crmlab terms), attributes ``价格``, ``wait
time`` and ``staff``, each wave in another file type and with its own column names (a GBK CSV with Chinese headers, an
.xlsx, a UTF-8 CSV), "don't know" coded −99; and an order log stored as product lines (several rows per order) over
three months.  The Chinese run gets two waves without attributes and no log: those sections are skipped.
References: crmlab.pls fitted directly on each wave's complete cases (the engine checked against R plspm in
tests/test_pls.py), scipy's Welch test, and the KPIs counted by hand with pandas sets.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from crmlab.i18n import t
from crmlab.pls import PLSPathModel
from crmlab.report.runner import run_reports
from report_text import chinese_characters, english_words, markdown_outputs, prose, read, row_labels

ROOT = Path(__file__).resolve().parents[1]
STEM = "05_tracking"
CONSTRUCTS = {"Service": 3, "Trust": 2, "满意度": 2}
PATHS = [["Service", "Trust"], ["Service", "满意度"], ["Trust", "满意度"]]
ATTRIBUTES = ["价格", "wait time", "staff"]
BUNDLED = ["EXPE", "QUAL", "checkout_speed", "Checkout speed", "结账速度", "perf_price", "2025-Q1", "tracking_wave",
           "True index", "真实指数", "Designed quadrant"]
# each wave's own column names: (items per construct, attribute columns, overall)
COLUMNS = {
    "2024-H1": ({"Service": ["服务1", "服务2", "服务3"], "Trust": ["信任1", "信任2"], "满意度": ["满意1", "满意2"]},
                ["价格评分", "等待评分", "员工评分"], "总体"),
    "2024-H2": ({"Service": ["SV_a", "SV_b", "SV_c"], "Trust": ["TR_a", "TR_b"], "满意度": ["SA_a", "SA_b"]},
                ["p_price", "p_wait", "p_staff"], "overall"),
    "2025-H1": ({"Service": ["sv1", "sv2", "sv3"], "Trust": ["tr1", "tr2"], "满意度": ["sa1", "sa2"]},
                ["price", "wait", "staff"], "ov"),
}
SERVICE_SHIFT = {"2024-H1": 0.0, "2024-H2": 0.0, "2025-H1": 0.8}  # Service items rise in the third wave
WAIT_MEAN = {"2024-H1": 2.4, "2024-H2": 2.4, "2025-H1": 4.2}  # wait time improves a lot in the third wave


def make_wave(label: str, n: int = 250, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    items, attrs, overall = COLUMNS[label]
    service = rng.standard_normal(n)
    trust = 0.6 * service + 0.8 * rng.standard_normal(n)
    sat = 0.4 * service + 0.4 * trust + 0.7 * rng.standard_normal(n)
    latent = {"Service": service, "Trust": trust, "满意度": sat}

    def rate(x):
        return np.clip(np.rint(x), 1, 5).astype(int)

    frame = {"rid": [f"{label}-{k:04d}" for k in range(n)]}
    for construct, cols in items.items():
        shift = SERVICE_SHIFT[label] if construct == "Service" else 0.0
        for col in cols:
            frame[col] = rate(3.2 + shift + 0.9 * (0.85 * latent[construct] + 0.5 * rng.standard_normal(n)))
    halo = rng.standard_normal(n)
    perf = [rate(mu + 0.4 * halo + 0.9 * rng.standard_normal(n)) for mu in (2.6, WAIT_MEAN[label], 3.9)]
    for col, values in zip(attrs, perf):
        frame[col] = values
    frame[overall] = rate(0.2 + 0.45 * perf[0] + 0.35 * perf[1] + 0.1 * perf[2] + 0.6 * rng.standard_normal(n))
    df = pd.DataFrame(frame)
    for col, rows in ((items["Service"][1], [4, 40, 41]), (items["满意度"][0], [7]), (attrs[1], [11, 12]), (overall, [30])):
        df.loc[rows, col] = -99  # "don't know"
    return df


def spec(label: str, path: Path, *, attributes: bool = True) -> dict:
    items, attrs, overall = COLUMNS[label]
    out = {"kind": "survey", "label": label, "path": str(path), "id": "rid", "scale": [1, 5], "missing_codes": [-99],
           "constructs": items, "paths": PATHS}
    if attributes:
        out |= {"attributes": dict(zip(ATTRIBUTES, attrs)), "overall": overall, "overall_scale": [1, 5]}
    return out


def make_log(seed: int = 5) -> pd.DataFrame:
    """Product lines of orders in Jan–Mar 2025: 300 customers in January, each kept with 0.75 per month, 20 % new."""
    rng = np.random.default_rng(seed)
    active, next_id, rows = np.arange(300), 300, []
    for month in (1, 2, 3):
        if month > 1:
            kept = active[rng.random(active.size) < 0.75]
            new = np.arange(next_id, next_id + 60)
            active, next_id = np.r_[kept, new], next_id + 60
        for c in active:
            for o in range(1 + rng.poisson(1.0)):
                day = int(rng.integers(1, 29))
                order = f"O{month}{c:04d}{o}"
                for _ in range(1 + rng.poisson(1.5)):  # several product lines per order
                    rows.append({"客户": f"{c:05d}", "下单时间": f"2025-{month:02d}-{day:02d} 10:{o:02d}", "订单号": order,
                                 "金额": round(float(rng.gamma(2.0, 30.0)), 2)})
    return pd.DataFrame(rows)


def run(tmp: Path, params: dict, label: str) -> dict:
    params_file = tmp / f"{label}.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    log = io.StringIO()
    manifest = run_reports([STEM], notebooks_dir=ROOT / "notebooks", reports_dir=tmp / "reports", params_file=params_file,
                           jobs=1, timeout=900, stream=log, label=label)
    entry = manifest["notebooks"][0]
    assert entry["status"] == "ok", f"{entry['error']}\n{log.getvalue()}"
    run_dir = Path(manifest["path"])
    return {"results": json.loads((run_dir / entry["outputs"]["results"]).read_text(encoding="utf-8"))["results"],
            "nb": read(run_dir / entry["outputs"]["notebook"]),
            "html": (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def waves() -> dict[str, pd.DataFrame]:
    return {label: make_wave(label, seed=k) for k, label in enumerate(COLUMNS)}


@pytest.fixture(scope="module")
def runs(waves, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("tracking_user")
    files = {"2024-H1": tmp / "wave1_gbk.csv", "2024-H2": tmp / "wave2.xlsx", "2025-H1": tmp / "wave3.csv"}
    waves["2024-H1"].to_csv(files["2024-H1"], index=False, encoding="gbk")
    waves["2024-H2"].to_excel(files["2024-H2"], index=False)
    waves["2025-H1"].to_csv(files["2025-H1"], index=False)
    make_log().to_csv(tmp / "orders.csv", index=False, encoding="gbk")
    log_spec = {"kind": "transactions", "path": str(tmp / "orders.csv"), "customer_id": "客户", "datetime": "下单时间",
                "order_id": "订单号", "monetary_value": "金额"}
    en = run(tmp, {"notebooks": {STEM: {"waves": [spec(w, files[w]) for w in COLUMNS], "transactions": log_spec,
                                        "missing": "drop", "compare": "first", "period_freq": "M", "n_boot": 60,
                                        "observed_from": "2025-01-01", "observed_through": "2025-03-31"}}}, "en")
    zh = run(tmp, {"global": {"lang": "zh"}, "notebooks": {STEM: {
        "waves": [spec(w, files[w], attributes=False) for w in ("2024-H2", "2025-H1")], "missing": "drop", "n_boot": 60,
        "target": "Trust"}}}, "zh")
    return {"en": en, "zh": zh}


def complete(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.replace(-99, np.nan).dropna(subset=columns)


# ---------------------------------------------------------------- indices and their change
def test_indices_equal_each_waves_own_pls_fit_on_complete_cases(runs, waves):
    r = runs["en"]["results"]
    assert r["waves"] == list(COLUMNS) and r["bundled_data"] is False
    assert r["target"] == "满意度"  # no target given: the construct no path leaves
    table = pd.DataFrame.from_dict(r["index_by_wave"], orient="index")
    for label, frame in waves.items():
        items = COLUMNS[label][0]
        data = complete(frame, [c for cols in items.values() for c in cols])
        own = PLSPathModel(items, [tuple(p) for p in PATHS], scheme="path", scaled=True).fit(data, scale=(1, 5))
        for construct, value in own.index_0_100().items():
            row = table.loc[f"{label} / {construct}"]
            assert row["estimate"] == pytest.approx(value, abs=1e-9)
            assert row["n_respondents"] == len(data) < len(frame)


def test_the_service_rise_is_found_against_the_first_wave(runs):
    changes = pd.DataFrame.from_dict(runs["en"]["results"]["index_changes"], orient="index")
    assert set(changes["from_wave"]) == {"2024-H1"}  # compare: first
    sig = changes[changes["significant"]]
    assert "2024-H1 -> 2025-H1 / Service" in sig.index
    assert changes.loc["2024-H1 -> 2024-H2 / Service", "significant"] == False  # noqa: E712 - same parameters
    assert changes.loc["2024-H1 -> 2025-H1 / Service", "estimate"] > 10  # 0.8 of a 4-point scale is 20 points before clipping


# ---------------------------------------------------------------- attributes
def test_quadrants_and_performance_changes_on_the_users_attributes(runs, waves):
    r = runs["en"]["results"]
    assert sorted(r["quadrants_by_wave"]) == sorted(ATTRIBUTES)
    perf = pd.DataFrame.from_dict(r["performance_changes"], orient="index")
    a, b = (complete(waves[w], [COLUMNS[w][1][1]])[COLUMNS[w][1][1]] for w in ("2024-H1", "2025-H1"))
    welch = stats.ttest_ind(b, a, equal_var=False)
    row = perf.loc["2024-H1 -> 2025-H1 / wait time"]
    assert row["t_value"] == pytest.approx(welch.statistic) and row["p_value"] == pytest.approx(welch.pvalue)
    moves = pd.DataFrame.from_dict(r["quadrant_moves"], orient="index")
    wait = moves.loc["2024-H1 -> 2025-H1 / wait time"]
    assert wait["performance_to"] > wait["performance_from"] + 1.0
    assert wait["quadrant_from"] in ("B", "C") and wait["quadrant_to"] in ("A", "D") and wait["moved"]


# ---------------------------------------------------------------- KPIs from product lines
def test_kpis_count_customers_per_month_from_the_product_lines(runs):
    log = make_log()
    month = pd.to_datetime(log["下单时间"]).dt.strftime("%Y-%m")
    customers = {m: set(log.loc[month == m, "客户"]) for m in ("2025-01", "2025-02", "2025-03")}
    rates = runs["en"]["results"]["kpi_rates"]
    assert list(rates["churn_rate"]) == ["2025-01 -> 2025-02", "2025-01 -> 2025-03"]  # compare: first
    for (a, b) in (("2025-01", "2025-02"), ("2025-01", "2025-03")):
        pair = f"{a} -> {b}"
        before, after = customers[a], customers[b]
        assert rates["churn_rate"][pair] == pytest.approx(len(before - after) / len(before))
        assert rates["new_customer_rate"][pair] == pytest.approx(len(after - before) / len(before))


# ---------------------------------------------------------------- names, language, skipped sections
def test_names_are_shown_as_given_and_only_the_users_data(runs):
    nb, html, r = runs["en"]["nb"], runs["en"]["html"], runs["en"]["results"]
    rows = row_labels(nb)
    assert set(CONSTRUCTS) | set(ATTRIBUTES) <= rows
    outputs = [str(v) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               for v in [*o.get("data", {}).values(), o.get("text", "")]]
    text = "\n".join(outputs) + json.dumps(r, ensure_ascii=False)  # what the run computed and showed
    assert [b for b in BUNDLED if b in text] == []
    assert [b for b in BUNDLED if b in html] == []  # the report leaves out the cells about the teaching data
    assert chinese_characters(prose(nb), allowed=["满意度", "价格"]) == []


def test_chinese_run_skips_what_it_was_not_given(runs):
    nb, r = runs["zh"]["nb"], runs["zh"]["results"]
    outputs = markdown_outputs(nb)
    for section, need in (("section_track_quadrants", "need_track_attributes"), ("section_track_kpis", "need_track_transactions")):
        note = t("section_skipped", "zh").format(section=t(section, "zh"), need=t(need, "zh"))
        assert f"*{note}*" in outputs
    assert not {"quadrant_moves", "kpi_rates", "truth_index_covered"} & set(r)
    assert r["target"] == "Trust" and r["waves"] == ["2024-H2", "2025-H1"]
    assert english_words(prose(nb), allowed=["Service", "Trust"]) == []
    assert "Trust" in row_labels(nb) and "主要结论" in runs["zh"]["html"]


def test_the_example_parameter_file_describes_valid_waves():
    """examples/tracking-waves.yaml passes the runner's checks before any kernel starts (paths made absolute)."""
    from crmlab.report.runner import check_studies

    params = yaml.safe_load((ROOT / "examples" / "tracking-waves.yaml").read_text(encoding="utf-8"))["notebooks"]
    check_studies(params, ROOT / "notebooks")
    waves = params[STEM]["waves"]
    assert [w["label"] for w in waves] == ["2025-Q2", "2025-Q3"]
    assert all(Path(w["path"]).is_absolute() and Path(w["path"]).is_file() for w in waves)
