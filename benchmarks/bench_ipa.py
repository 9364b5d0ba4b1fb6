"""Benchmark: bootstrap quadrant stability with derived importance (issue 4 target: 1,000 resamples of
20 attributes x 1,000 respondents with relative weights in <= 5 s).

Compares crmlab's batched bootstrap (count matrices + batched eigen-decompositions) with a plain
per-resample loop (index resampling, np.corrcoef, one relative-weights solve per resample) as the
baseline; no maintained Python library computes Johnson's relative weights to compare against.
Run: python benchmarks/bench_ipa.py   (writes benchmarks/results/ipa.json)
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.ipa import ImportancePerformance, importance_from_correlations

TARGET_SECONDS = 5.0


def survey(n: int, p: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    halo = rng.standard_normal((n, 1))
    perf = np.clip(np.rint(4.5 + 0.7 * halo + rng.standard_normal((n, p))), 1, 7)
    overall = np.clip(np.rint(1 + perf @ rng.uniform(0.02, 0.12, p) + rng.standard_normal(n)), 1, 10)
    frame = pd.DataFrame(perf, columns=[f"a{j}" for j in range(p)])
    frame["overall"] = overall
    return frame


def timed(fn, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def crmlab_bootstrap(data, p, method, n_boot):
    model = ImportancePerformance(performance=[f"a{j}" for j in range(p)], importance=method, overall="overall",
                                  overall_scale=(1, 10)).fit(data)
    return lambda: model.bootstrap(n_boot=n_boot, random_state=1)


def loop_bootstrap(data, p, method, n_boot):
    values = data[["overall", *[f"a{j}" for j in range(p)]]].to_numpy(float)

    def run():
        rng = np.random.default_rng(1)
        for _ in range(n_boot):
            sample = values[rng.integers(0, len(values), len(values))]
            importance_from_correlations(np.corrcoef(sample, rowvar=False), method)
    return run


def main() -> None:
    cases = [("relative_weights", 1000, 20, 1000), ("lmg", 400, 10, 500), ("lmg", 1000, 15, 100)]
    rows = []
    for method, n, p, n_boot in cases:
        data = survey(n, p)
        ours = timed(crmlab_bootstrap(data, p, method, n_boot))
        base = timed(loop_bootstrap(data, p, method, n_boot), repeat=1)
        rows.append({"importance": method, "respondents": n, "attributes": p, "resamples": n_boot,
                     "crmlab_s": round(ours, 3), "loop_baseline_s": round(base, 3), "speedup": round(base / ours, 1),
                     "target_s": TARGET_SECONDS if (method, n, p, n_boot) == cases[0] else None})
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    ok = table.loc[0, "crmlab_s"] <= TARGET_SECONDS
    print(f"target (relative weights, 1000 x 20 x 1000 resamples <= {TARGET_SECONDS} s): {'met' if ok else 'MISSED'}")
    out = Path(__file__).with_name("results") / "ipa.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"cases": rows, "target_met": bool(ok)}, indent=2))


if __name__ == "__main__":
    main()
