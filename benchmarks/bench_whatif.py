"""Benchmark: one call of each notebook's what-if callback on the bundled data (issue 14 target: <= 200 ms).

Each case prepares its inputs once (fits, loads) and returns a zero-argument function making one callback call —
the work a widget update does before the browser shows the result.  Reported: the median and best of
``REPEAT`` calls, and separately the time to rasterise the drawn figure (Agg), which the callback does not do.
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
    "05_tracking: pair of waves switched": lambda: tracking_case("pair"),
    "05_tracking: importance method switched": lambda: tracking_case("method"),
}


def main() -> None:
    rows = []
    for name, setup in CASES.items():
        call, fig = setup()
        call()  # warm-up (imports, font cache)
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            call()
            times.append(1000 * (time.perf_counter() - t0))
        t0 = time.perf_counter()
        fig.canvas.draw()
        render = 1000 * (time.perf_counter() - t0)
        plt.close(fig)
        rows.append({"case": name, "median_ms": round(statistics.median(times), 1), "best_ms": round(min(times), 1),
                     "render_ms": round(render, 1), "target_ms": TARGET_MS,
                     "met": statistics.median(times) <= TARGET_MS})
    width = max(len(r["case"]) for r in rows)
    for r in rows:
        print(f"{r['case']:<{width}}  median {r['median_ms']:7.1f} ms  best {r['best_ms']:7.1f} ms  "
              f"(render {r['render_ms']:.0f} ms)  {'met' if r['met'] else 'MISSED'}")
    out = Path(__file__).with_name("results") / "whatif.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"cases": rows, "target_ms": TARGET_MS}, indent=2))


if __name__ == "__main__":
    main()
