"""Bundled survey waves and order log for the tracking notebook (05_tracking), generated with KNOWN changes.

Three quarterly waves of a supermarket chain's satisfaction survey, ``data/tracking_wave_2025Q1.csv`` …
``2025Q3.csv`` (labels :data:`WAVES`), each :data:`N_PER_WAVE` fresh respondents (independent samples),
every rating on a 1–10 scale:

* **Index model** (ACSI-style constructs EXPE, QUAL, VAL, SAT, LOY; items in :data:`BLOCKS`): standardised latent
  variables follow the structural model :data:`PATHS` (disturbance variances chosen so every latent variance is 1);
  item = clip(round(μ_c + 1.5 · (0.85 η_c + √(1 − 0.85²) ε)), 1, 10), with the construct's item mean μ_c per wave in
  :data:`ITEM_MEANS`.  Every item of a block has the same distribution, so the population 0–100 index of a
  construct is 100 · (E[item] − 1) / 9 whatever the weights; :func:`true_indices` computes E[item] of the rounded,
  clipped normal exactly.
* **Attributes** (importance–performance; keys of :mod:`crmlab.datasets.ipa`, columns ``perf_<attribute>``):
  rating = clip(round(μ_a + 0.6 h + ε), 1, 10) with a halo h ~ N(0, 1) shared by the attributes and ε ~ N(0, 1);
  overall satisfaction ``overall`` = clip(round(−1.8 + Σ b_a · rating_a + u), 1, 10), u ~ N(0, 0.8²), with the
  importances b_a of :data:`ATTRIBUTES` (raw coefficients, equal in every wave).

**The known changes** (:data:`TRUE_CHANGES`) — everything else has the same distribution in every wave:

1. 2025-Q1 → 2025-Q2: the QUAL items' mean rises by 0.7 scale points (a level shift of the measurement; the latent
   model is unchanged), so the QUAL index rises by about 7 points (exactly :func:`true_indices`) and no other index moves;
2. 2025-Q2 → 2025-Q3: checkout speed's performance mean rises by 1.6 points, which moves it from quadrant B
   (repair) to A (advantage) of the importance–performance chart (derived importance, mean crosshair); no other
   attribute changes quadrant (:data:`DESIGNED_QUADRANTS`, checked on a very large sample in the tests).

Order log ``data/tracking_transactions.csv`` (customer_id, date, amount, cost), 2025-01-01 to 2025-09-30
(:data:`LOG_OBSERVED`): 1,000 customers buy in 2025Q1; each customer of a quarter buys again in the next one with the
retention probability of :data:`TRUE_KPIS` (0.80 into Q2, 0.70 into Q3, so the churn rate rises from about 20 % to
about 30 %) and never returns once lost; new customers join each quarter, exactly 20 % of the previous quarter's
customers (new-customer rate 0.20).  A customer active in a quarter makes 1 + Poisson(1.5) purchases on uniform
days of it; amounts are lognormal (log-mean N(3.8, 0.5²) per customer, log-SD 0.4 per purchase), cost 60–80 % of
the amount.

Run ``python -m crmlab.datasets.tracking`` (or ``data/make_datasets.py``) to rewrite the files.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..validation import check_scalar
from . import ipa as ipa_data

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
WAVES = ("2025-Q1", "2025-Q2", "2025-Q3")
N_PER_WAVE = 300
SEEDS = {"2025-Q1": 20250331, "2025-Q2": 20250630, "2025-Q3": 20250930}
SCALE = (1, 10)
LOADING = 0.85
ITEM_SD = 1.5

BLOCKS = {
    "EXPE": ["expe1", "expe2", "expe3"],
    "QUAL": ["qual1", "qual2", "qual3"],
    "VAL": ["val1", "val2"],
    "SAT": ["sat1", "sat2", "sat3"],
    "LOY": ["loy1", "loy2"],
}
PATHS = {("EXPE", "QUAL"): 0.50, ("EXPE", "VAL"): 0.20, ("QUAL", "VAL"): 0.55, ("EXPE", "SAT"): 0.10,
         ("QUAL", "SAT"): 0.45, ("VAL", "SAT"): 0.30, ("SAT", "LOY"): 0.60}
"""Standardised structural coefficients (source, target) -> coefficient, the same in every wave."""
BASE_MEANS = {"EXPE": 7.4, "QUAL": 7.0, "VAL": 6.6, "SAT": 7.2, "LOY": 7.0}
ITEM_MEANS = {"2025-Q1": BASE_MEANS, "2025-Q2": BASE_MEANS | {"QUAL": 7.7}, "2025-Q3": BASE_MEANS | {"QUAL": 7.7}}
"""Item mean μ_c of each construct in each wave (items on 1–10 before rounding and clipping)."""

ATTRIBUTES = pd.DataFrame(
    {"importance": [0.35, 0.38, 0.35, 0.05, 0.06, 0.04],
     "2025-Q1": [5.2, 7.6, 5.4, 7.6, 7.2, 5.0],
     "2025-Q2": [5.2, 7.6, 5.4, 7.6, 7.2, 5.0],
     "2025-Q3": [5.2, 7.6, 7.0, 7.6, 7.2, 5.0]},
    index=pd.Index(["price", "product_quality", "checkout_speed", "cleanliness", "staff_friendliness", "parking"],
                   name="attribute"))
"""Per attribute: the true importance b_a (overall-scale points per rating point) and the performance mean per wave."""
OVERALL_INTERCEPT = -0.6
OVERALL_NOISE_SD = 0.8
HALO_LOADING = 0.6
DESIGNED_QUADRANTS = pd.DataFrame(
    {"2025-Q1": ["B", "A", "B", "D", "D", "C"], "2025-Q2": ["B", "A", "B", "D", "D", "C"],
     "2025-Q3": ["B", "A", "A", "D", "D", "C"]}, index=ATTRIBUTES.index)
"""Quadrant of each attribute in the population (relative-weights or LMG importance, mean crosshair on both axes)."""
TRUE_CHANGES = {"index": {("2025-Q1", "2025-Q2"): ["QUAL"], ("2025-Q2", "2025-Q3"): []},
                "quadrant": {("2025-Q1", "2025-Q2"): [], ("2025-Q2", "2025-Q3"): ["checkout_speed"]}}
"""The constructs whose index and the attributes whose quadrant truly change between consecutive waves."""

LOG_QUARTERS = ("2025Q1", "2025Q2", "2025Q3")
LOG_OBSERVED = ("2025-01-01", "2025-09-30")
LOG_FIRST_CUSTOMERS = 1000
LOG_SEED = 2025
TRUE_KPIS = pd.DataFrame({"retention_probability": [0.80, 0.70], "churn_rate": [0.20, 0.30],
                          "new_customer_rate": [0.20, 0.20]},
                         index=pd.Index(["2025Q1 -> 2025Q2", "2025Q2 -> 2025Q3"], name="period_pair"))
"""Expected churn rate (1 − retention probability) and exact new-customer rate of each pair of quarters."""

WAVE_FILE = "tracking_wave_{}.csv"
LOG_FILE = "tracking_transactions.csv"


def _latent(n: int, rng: np.random.Generator) -> np.ndarray:
    """Standardised latent scores (n, constructs) from :data:`PATHS`, constructs in :data:`BLOCKS` order (causal)."""
    names = list(BLOCKS)
    B = np.zeros((len(names),) * 2)
    for (src, dst), b in PATHS.items():
        B[names.index(dst), names.index(src)] = b
    latent, cov = np.zeros((n, len(names))), np.zeros((len(names),) * 2)
    for k in range(len(names)):
        b = B[k, :k]
        latent[:, k] = latent[:, :k] @ b + np.sqrt(1 - b @ cov[:k, :k] @ b) * rng.standard_normal(n)
        cov[k, :k] = cov[:k, :k] @ b
        cov[:k, k] = cov[k, :k]
        cov[k, k] = 1.0
    return latent


def _ratings(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), *SCALE).astype(int)


def generate_wave(n: int = N_PER_WAVE, *, item_means: dict | None = None, performance_means: pd.Series | dict | None = None,
                  random_state: int | None = None) -> pd.DataFrame:
    """One wave: respondent, the index items of :data:`BLOCKS`, ``perf_<attribute>`` ratings and ``overall``.

    ``item_means`` (construct -> μ_c) and ``performance_means`` (attribute -> μ_a) default to the first wave's.
    """
    n = check_scalar(n, "n", low=10, integer=True)
    item_means = dict(ITEM_MEANS[WAVES[0]] if item_means is None else item_means)
    perf_means = pd.Series(ATTRIBUTES[WAVES[0]] if performance_means is None else performance_means, dtype=float)
    perf_means = perf_means.reindex(ATTRIBUTES.index)
    rng = np.random.default_rng(random_state)
    latent = _latent(n, rng)
    columns = {"respondent": [f"R{k + 1:04d}" for k in range(n)]}
    for j, (construct, items) in enumerate(BLOCKS.items()):
        for item in items:
            noise = rng.standard_normal(n)
            columns[item] = _ratings(item_means[construct] + ITEM_SD * (LOADING * latent[:, j] + np.sqrt(1 - LOADING**2) * noise))
    halo = rng.standard_normal((n, 1))
    perf = _ratings(perf_means.to_numpy() + HALO_LOADING * halo + rng.standard_normal((n, len(perf_means))))
    for a, col in zip(ATTRIBUTES.index, perf.T):
        columns[f"perf_{a}"] = col
    overall = OVERALL_INTERCEPT + perf @ ATTRIBUTES["importance"].to_numpy() + OVERALL_NOISE_SD * rng.standard_normal(n)
    columns["overall"] = _ratings(overall)
    return pd.DataFrame(columns)


def generate_waves(n: int = N_PER_WAVE) -> dict[str, pd.DataFrame]:
    """The three bundled waves from :data:`ITEM_MEANS` and :data:`ATTRIBUTES` (seeds :data:`SEEDS`)."""
    return {w: generate_wave(n, item_means=ITEM_MEANS[w], performance_means=ATTRIBUTES[w], random_state=SEEDS[w])
            for w in WAVES}


def expected_rating(mean: float, sd: float = ITEM_SD) -> float:
    """E[clip(round(X), 1, 10)] for X ~ N(mean, sd²): the population mean of one generated item."""
    low, high = SCALE
    k = np.arange(low, high + 1)
    upper = np.r_[stats.norm.cdf((k[:-1] + 0.5 - mean) / sd), 1.0]
    lower = np.r_[0.0, upper[:-1]]
    return float((k * (upper - lower)).sum())


def true_indices() -> pd.DataFrame:
    """Population 0–100 index of every construct (rows) in every wave (columns)."""
    low, high = SCALE
    return pd.DataFrame({w: {c: 100 * (expected_rating(m) - low) / (high - low) for c, m in ITEM_MEANS[w].items()}
                         for w in WAVES}).rename_axis("construct")


def simulate_transactions(*, first_customers: int = LOG_FIRST_CUSTOMERS, random_state: int = LOG_SEED) -> pd.DataFrame:
    """The bundled order log (see the module docstring): customer_id, date, amount, cost, sorted by date and customer."""
    rng = np.random.default_rng(random_state)
    quarters = pd.period_range(LOG_QUARTERS[0], LOG_QUARTERS[-1], freq="Q")
    active = np.arange(first_customers)
    next_id = first_customers
    rows = []
    for q, quarter in enumerate(quarters):
        if q:
            kept = active[rng.random(active.size) < TRUE_KPIS["retention_probability"].iloc[q - 1]]
            new = int(round(TRUE_KPIS["new_customer_rate"].iloc[q - 1] * active.size))
            active = np.r_[kept, np.arange(next_id, next_id + new)]
            next_id += new
        counts = 1 + rng.poisson(1.5, active.size)
        cust = np.repeat(active, counts)
        days = (quarter.end_time.normalize() - quarter.start_time).days + 1
        rows.append(pd.DataFrame({"cid": cust, "date": quarter.start_time + pd.to_timedelta(rng.integers(0, days, cust.size), unit="D")}))
    log = pd.concat(rows, ignore_index=True)
    log_mean = rng.normal(3.8, 0.5, next_id)
    log["amount"] = np.round(np.exp(log_mean[log["cid"]] + 0.4 * rng.standard_normal(len(log))), 2)
    log["cost"] = np.round(log["amount"] * rng.uniform(0.6, 0.8, len(log)), 2)
    log["customer_id"] = [f"C{k + 1:05d}" for k in log["cid"]]
    log["date"] = log["date"].dt.strftime("%Y-%m-%d")
    return log[["customer_id", "date", "amount", "cost"]].sort_values(["date", "customer_id"], kind="mergesort").reset_index(drop=True)


def write_datasets(data_dir: str | Path = DATA_DIR) -> list[Path]:
    """Write the three waves and the order log into ``data_dir`` and return their paths."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for wave, table in generate_waves().items():
        paths.append(data_dir / WAVE_FILE.format(wave.replace("-", "")))
        table.to_csv(paths[-1], index=False)
    paths.append(data_dir / LOG_FILE)
    simulate_transactions().to_csv(paths[-1], index=False)
    return paths


def teaching_waves(data_dir: str | Path = DATA_DIR) -> list[dict]:
    """The bundled waves described as a user describes theirs: a list of survey studies, oldest first."""
    return [{"kind": "survey", "label": w, "path": str(Path(data_dir) / WAVE_FILE.format(w.replace("-", ""))),
             "id": "respondent", "scale": list(SCALE), "constructs": {c: list(i) for c, i in BLOCKS.items()},
             "paths": [list(p) for p in PATHS], "attributes": {a: f"perf_{a}" for a in ATTRIBUTES.index},
             "overall": "overall", "overall_scale": list(SCALE)} for w in WAVES]


def teaching_transactions(data_dir: str | Path = DATA_DIR) -> dict:
    """The bundled order log described as a transactions study."""
    return {"kind": "transactions", "path": str(Path(data_dir) / LOG_FILE), "customer_id": "customer_id",
            "datetime": "date", "monetary_value": "amount", "cost": "cost"}


def attribute_labels(lang: str = "en") -> dict[str, str]:
    """Display names of the bundled attributes (those of :mod:`crmlab.datasets.ipa`)."""
    names = ipa_data.attribute_labels(lang)
    return {a: names[a] for a in ATTRIBUTES.index}


def main() -> None:
    """Rewrite the bundled tracking files in ``data/``."""
    for path in write_datasets():
        print(path)


if __name__ == "__main__":
    main()
