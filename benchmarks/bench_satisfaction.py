"""Speed of the satisfaction scoring routes at survey/CRM scale (run: ``python benchmarks/bench_satisfaction.py``).

Prints a table of median wall times (several repeats) and writes ``benchmarks/results/satisfaction.json``.
Where a reference library computes the same thing (scikit-learn's PCA for the principal-component
index, statsmodels for the regression route) its time is shown side by side with the ratio.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab import kano
from crmlab import satisfaction as sat

RNG = np.random.default_rng(0)


def median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> list[dict]:
    rows = []
    n, k = 100_000, 20
    base = RNG.normal(size=(n, 1))
    ratings = pd.DataFrame(np.clip(np.rint(6 + 1.5 * (0.8 * base + 0.6 * RNG.normal(size=(n, k)))), 1, 10),
                           columns=[f"x{i}" for i in range(k)])

    def sklearn_pca():
        from sklearn.decomposition import PCA
        from sklearn.preprocessing import StandardScaler

        PCA(n_components=1).fit(StandardScaler().fit_transform(ratings))

    rows.append({"task": f"PCA index, {n:,} respondents x {k} items",
                 "crmlab_s": median_time(lambda: sat.PCAIndex().fit(ratings, scale=(1, 10))),
                 "reference": "sklearn StandardScaler+PCA", "reference_s": median_time(sklearn_pca)})

    data = ratings.assign(overall=ratings.mean(axis=1))
    cols = list(ratings.columns)

    def statsmodels_ols():
        import statsmodels.api as sm

        fit = sm.OLS(data["overall"], sm.add_constant(data[cols])).fit()
        fit.conf_int(), fit.pvalues

    rows.append({"task": f"driver regression, {n:,} x {k}",
                 "crmlab_s": median_time(lambda: sat.satisfaction_regression(data, overall="overall", attributes=cols)),
                 "reference": "statsmodels OLS + CI, p-values", "reference_s": median_time(statsmodels_ols)})

    rows.append({"task": f"weighted CSI, {n:,} x {k}",
                 "crmlab_s": median_time(lambda: sat.weighted_csi(ratings, weights=sat.equal_weights(cols), scale=(1, 10)))})
    rows.append({"task": f"membership matrix from answers, {n:,} x {k}",
                 "crmlab_s": median_time(lambda: sat.membership_from_answers(
                     ratings, items=cols, grades=range(5), bins=sat.equal_width_bins((1, 10), 5)))})

    n_attr = 20
    answers = pd.DataFrame(RNG.integers(1, 6, size=(n, 2 * n_attr)),
                           columns=[f"a{i}_{s}" for i in range(n_attr) for s in ("f", "d")])
    pairs = kano.attribute_pairs(answers.columns)
    rows.append({"task": f"Kano analysis, {n:,} respondents x {n_attr} attributes",
                 "crmlab_s": median_time(lambda: kano.kano_analysis(answers, attributes=pairs))})

    m = 1_000_000
    purchases = pd.DataFrame({"customer": RNG.integers(0, 100_000, m),
                              "brand": RNG.choice(["ours", "b", "c"], m),
                              "amount": RNG.gamma(2.0, 25.0, m)})
    rows.append({"task": f"loyalty metrics, {m:,} purchases / 100,000 customers",
                 "crmlab_s": median_time(lambda: sat.loyalty_metrics(purchases, our_brand="ours"), repeat=3)})

    w = np.full(50, 1 / 50)
    r = RNG.dirichlet(np.ones(5), size=50)
    rows.append({"task": "fuzzy composition, 50 factors x 5 grades, 4 operators",
                 "crmlab_s": median_time(lambda: [sat.compose(w, r, operator=op) for op in sat.FUZZY_OPERATORS], 20)})

    for row in rows:
        if "reference_s" in row:
            row["ratio_crmlab_to_reference"] = row["crmlab_s"] / row["reference_s"]
    return rows


if __name__ == "__main__":
    results = main()
    table = pd.DataFrame(results)
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    out = Path(__file__).with_name("results") / "satisfaction.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
