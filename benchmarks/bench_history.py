"""Benchmark the history page (not part of the test suite).

Writes 100 synthetic run folders (manifest.json + one results JSON per notebook, the
layout the runner publishes: 5 notebooks, 12 results each — numbers, a table, text —
two marked as headline in three of them) and times :func:`crmlab.report.history.build_history`
with English labels and with Chinese labels (the page then embeds a subset of the CJK
font): cold (first build) and warm (a rebuild whose Chinese characters are unchanged,
so the cached font subset is reused), and the font subsetting alone.  Target: <= 2 s for
100 runs (English, and Chinese warm; the Chinese cold build adds the fixed cost of
subsetting the 16 MB font, whatever the number of runs).

    python benchmarks/bench_history.py [--runs 100] [--repeat 3]
Writes benchmarks/results/history.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from crmlab.report.history import FONT_CACHE, build_history
from crmlab.report.html import cjk_font_style

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["00_getting_started", "01_satisfaction", "02_importance_performance", "03_clv", "04_value_segmentation"]


def write_runs(reports: Path, n_runs: int, *, zh: bool) -> None:
    """``n_runs`` weekly run folders; every 10th run has a failed notebook."""
    rng = np.random.default_rng(0)
    t0 = dt.datetime(2024, 1, 1, 6, tzinfo=dt.timezone.utc)
    latest = None
    for k in range(n_runs):
        started = t0 + dt.timedelta(weeks=k)
        label = f"第{k + 1}波" if zh else f"wave-{k + 1}"
        run_id = f"{started:%Y-%m-%d_%H%M%S}_{label}"
        folder = reports / run_id
        folder.mkdir(parents=True)
        entries = []
        for j, nb in enumerate(NOTEBOOKS):
            status = "failed" if k % 10 == 9 and j == 3 else "ok"
            results = {f"value_{i}": float(rng.normal(70, 5)) for i in range(9)}
            results |= {"by_construct": {c: float(rng.normal(60, 5)) for c in ("Image", "Expectation", "Quality", "Loyalty")},
                        "table": {r: {"estimate": 1.0, "p_value": 0.01} for r in ("a", "b", "c")}, "note": "text"}
            payload = {"notebook": nb, "status": status, "parameters": {"lang": "zh" if zh else "en"}, "results": results,
                       "headline": ["value_0", "by_construct"] if j < 3 else [], "error": None}
            (folder / f"{nb}.results.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            entries.append({"name": nb, "status": status, "duration_s": 5.0, "parameters": {},
                            "outputs": {"notebook": f"{nb}.ipynb", "report": f"{nb}.html", "results": f"{nb}.results.json",
                                        "log": f"logs/{nb}.log"},
                            "error": {"ename": "ValueError", "summary": "x"} if status != "ok" else None})
        manifest = {"run_id": run_id, "label": label, "status": "ok" if all(e["status"] == "ok" for e in entries) else "failed",
                    "started": started.isoformat(timespec="seconds"),
                    "started_utc": started.isoformat(timespec="microseconds"), "complete": True, "notebooks": entries}
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        latest = run_id if manifest["status"] == "ok" else latest
    (reports / "latest").symlink_to(latest)


def timed(f, *args) -> float:
    t0 = time.perf_counter()
    f(*args)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    res = {"runs": args.runs, "notebooks_per_run": len(NOTEBOOKS), "repeat": args.repeat, "target_s": 2.0,
           "machine": platform.machine(), "python": platform.python_version()}
    for lang in ("en", "zh"):
        with tempfile.TemporaryDirectory() as tmp:
            reports = Path(tmp) / "reports"
            write_runs(reports, args.runs, zh=lang == "zh")
            cold, warm = [], []
            for _ in range(args.repeat):
                (reports / FONT_CACHE).unlink(missing_ok=True)
                cold.append(timed(build_history, reports))  # the first build (Chinese: subsets the CJK font)
                warm.append(timed(build_history, reports))  # a rebuild after a run adding no new Chinese character
            page = reports / "index.html"
            res[f"build_{lang}_cold_s"], res[f"build_{lang}_warm_s"] = min(cold), min(warm)
            res[f"build_{lang}_cold_all_s"], res[f"build_{lang}_warm_all_s"] = cold, warm
            res[f"page_{lang}_bytes"] = page.stat().st_size
            res[f"charts_{lang}"] = page.read_text(encoding="utf-8").count('<figure class="chart">')
    res["cjk_font_subset_s"] = min(timed(cjk_font_style, "第波满意度") for _ in range(args.repeat))
    print(json.dumps(res, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "history.json").write_text(json.dumps(res, indent=2))
    worst = max(res["build_en_cold_s"], res["build_en_warm_s"], res["build_zh_warm_s"])
    if worst > res["target_s"]:
        raise SystemExit(f"history page for {args.runs} runs took {worst:.2f} s > {res['target_s']} s")


if __name__ == "__main__":
    main()
