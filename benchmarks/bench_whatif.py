"""Benchmark: one call of each notebook's what-if callback on the bundled data (issue 14 target: <= 200 ms).

Each case prepares its inputs once (fits, loads) and returns a zero-argument function making one callback call —
the work a widget update does before the browser shows the result.  Reported: the median and best of
``REPEAT`` calls (wall clock, and the process's CPU time, which a busy shared machine does not inflate), and
separately the time to rasterise the drawn figure (Agg), which the callback does not do.
Add a notebook's cases to ``CASES``.  Run: python benchmarks/bench_whatif.py   (writes benchmarks/results/whatif.json)
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TARGET_MS = 200.0
REPEAT = 15


def ipa_case(moving: str):
    """Notebook 02: move the crosshair (``moving="crosshair"``) or switch the importance method (``"method"``)."""
    from crmlab.datasets import ipa as ds
    from crmlab.ipa import ImportancePerformance, survey_design
    from crmlab.plotting import FIGSIZE_SQUARE, use_style
    from crmlab.study import load_study
    from crmlab.whatif.ipa import redraw_ipa

    use_style()
    study = load_study(ds.survey_study(), name="survey")
    data, design = study.read(), survey_design(study.spec)
    analyses = {m: ImportancePerformance(**design, importance=m).fit(data).result_
                for m in ("stated", "correlation", "ols_beta", "relative_weights", "lmg")}
    fig, ax = plt.subplots(figsize=FIGSIZE_SQUARE)
    labels = ds.attribute_labels("en")
    methods = list(analyses)
    state = {"k": 0}

    def call():
        k = state["k"] = state["k"] + 1
        method = methods[k % len(methods)] if moving == "method" else "lmg"
        position = 4.0 + 0.1 * (k % 10)
        redraw_ipa(analyses, method, (position, "mean"), ax=ax, labels=labels)

    return call, fig


def clv_case(moving: str):
    """Notebook 03: move the retention-model sliders (``moving="retention"``) or the log CLV's rate and margin (``"log"``)."""
    from crmlab import btyd
    from crmlab.datasets import clv as clv_data
    from crmlab.plotting import FIGSIZE_WIDE, use_style
    from crmlab.study import load_study
    from crmlab.transactions import TransactionLog
    from crmlab.whatif.clv import redraw_log_clv, redraw_retention_clv

    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE_WIDE)
    state = {"k": 0}
    if moving == "retention":
        def call():
            k = state["k"] = state["k"] + 1
            redraw_retention_clv(margin=100.0 + k % 7, retention=0.5 + 0.04 * (k % 10), rate=0.05 + 0.01 * (k % 5), ax=ax)

        return call, fig
    log = TransactionLog.from_study(load_study(clv_data.teaching_study(), name="transactions"))
    summary = log.customer_summary(calibration_end=clv_data.CALIBRATION_END, observation_end=clv_data.OBSERVATION_END,
                                   time_unit="W")
    bg, gg = btyd.BetaGeoModel().fit(summary), btyd.GammaGammaModel().fit(summary)

    def call():
        k = state["k"] = state["k"] + 1
        redraw_log_clv(bg, gg, summary, rate=0.005 + 0.001 * (k % 10), margin=0.2 + 0.05 * (k % 8), periods=12,
                       period_length=30.4375 / 7, ax=ax)

    return call, fig


def segmentation_case(moving: str):
    """Notebook 04: move the current-value criterion weight (``moving="weight"``) or the value-matrix split (``"split"``)."""
    import pandas as pd

    from crmlab import ahp
    from crmlab import segmentation as seg
    from crmlab.datasets import segmentation as ds
    from crmlab.plotting import FIGSIZE_SQUARE, use_style
    from crmlab.whatif.segmentation import redraw_value_matrix, redraw_weights

    use_style()
    groups = {lv: ahp.group_ahp(m) for lv, m in ds.judgment_matrices().items()}
    criteria, local = groups["criteria"].weights, {d: groups[d].weights for d in ("current", "potential")}
    data = ds.make_b2b_customers().set_index("customer_id")
    indicators = seg.with_weights(ds.INDICATORS.drop(columns="weight"), pd.concat(local.values()))
    vm = seg.ValueMatrix(indicators, dimension_weights=criteria.to_dict()).fit(data)
    fig, ax = plt.subplots(figsize=(8.0, 6.5) if moving == "weight" else FIGSIZE_SQUARE)
    state = {"k": 0}

    def call():
        k = state["k"] = state["k"] + 1
        if moving == "weight":
            redraw_weights(criteria, local, 0.05 * (k % 20), alternatives=vm.standardized_, ax=ax)
        else:
            split = ("mean", "median", "given")[k % 3]
            cut = {"current": 0.1 * (k % 5), "potential": -0.1 * (k % 4)} if split == "given" else None
            redraw_value_matrix(vm, split, cut, ax=ax, data=data, revenue="revenue", profit="profit")

    return call, fig


def tracking_case(moving: str):
    """Notebook 05: switch the pair of waves (``moving="pair"``) or the importance method (``"method"``)."""
    from crmlab import tracking
    from crmlab.datasets import tracking as ds
    from crmlab.plotting import FIGSIZE_SQUARE, use_style
    from crmlab.study import load_study
    from crmlab.whatif.tracking import compare_waves

    use_style()
    studies = [load_study(s, name=f"waves[{k}]") for k, s in enumerate(ds.teaching_waves())]
    design = tracking.wave_design(studies)
    data = {s.spec["label"]: s.read() for s in studies}
    indices = tracking.wave_indices(data, blocks=design.blocks, paths=design.paths, scale=design.scale, n_boot=500,
                                    random_state=0)
    fig, ax = plt.subplots(figsize=FIGSIZE_SQUARE)
    pairs = [("2025-Q1", "2025-Q2"), ("2025-Q2", "2025-Q3"), ("2025-Q1", "2025-Q3")]
    methods = ["relative_weights", "lmg", "correlation", "ols_beta"]
    labels = ds.attribute_labels("en")
    state = {"k": 0}

    def call():
        k = state["k"] = state["k"] + 1
        a, b = pairs[k % len(pairs)] if moving == "pair" else pairs[1]
        method = methods[k % len(methods)] if moving == "method" else "relative_weights"
        compare_waves(indices, data, design, from_wave=a, to_wave=b, importance=method, ax=ax, labels=labels)

    return call, fig


CASES = {
    "02_importance_performance: crosshair moved": lambda: ipa_case("crosshair"),
    "02_importance_performance: importance method switched": lambda: ipa_case("method"),
    "03_clv: retention-model margin, retention and rate moved": lambda: clv_case("retention"),
    "03_clv: log CLV discount rate and margin moved (1,500 customers)": lambda: clv_case("log"),
    "04_value_segmentation: criterion weight moved": lambda: segmentation_case("weight"),
    "04_value_segmentation: value-matrix split moved": lambda: segmentation_case("split"),
    "05_tracking: pair of waves switched": lambda: tracking_case("pair"),
    "05_tracking: importance method switched": lambda: tracking_case("method"),
}


def main() -> None:
    rows = []
    for name, setup in CASES.items():
        call, fig = setup()
        call()  # warm-up (imports, font cache)
        times, cpu = [], []
        for _ in range(REPEAT):
            t0, c0 = time.perf_counter(), time.process_time()
            call()
            times.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
        t0 = time.perf_counter()
        fig.canvas.draw()
        render = 1000 * (time.perf_counter() - t0)
        plt.close(fig)
        rows.append({"case": name, "median_ms": round(statistics.median(times), 1), "best_ms": round(min(times), 1),
                     "cpu_median_ms": round(statistics.median(cpu), 1),
                     "render_ms": round(render, 1), "target_ms": TARGET_MS,
                     "met": statistics.median(times) <= TARGET_MS})
    width = max(len(r["case"]) for r in rows)
    for r in rows:
        print(f"{r['case']:<{width}}  median {r['median_ms']:7.1f} ms  best {r['best_ms']:7.1f} ms  "
              f"(CPU {r['cpu_median_ms']:.1f} ms)  "
              f"(render {r['render_ms']:.0f} ms)  {'met' if r['met'] else 'MISSED'}")
    out = Path(__file__).with_name("results") / "whatif.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"cases": rows, "target_ms": TARGET_MS}, indent=2))


if __name__ == "__main__":
    main()
