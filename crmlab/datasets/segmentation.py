"""Bundled data for value-based segmentation (SPEC §4): the paper's indicator system, three
experts' AHP judgments, 21 B2B customers, and a small transaction log for RFM and tiers.

What comes from the source paper (seed 004, 王璐/梅蕾/李春丽) and what is constructed
-------------------------------------------------------------------------------------
- **Indicators and weights** (``INDICATORS``, ``PAPER_CRITERION_WEIGHTS``): the 8 current-value
  and 7 potential-value indicators and the published AHP results — current 0.3900 / potential
  0.6100; local weights gross profit 0.3138, cumulative volume 0.1932, average volume 0.0396,
  average amount 0.0316, gross margin 0.0655, relative profit margin 0.0461; cross-buying
  0.2053, profitability 0.1972, business scale 0.1616, bank credit 0.1335, referrals 0.1290.
  The paper gives only the sums of the remaining pairs (cumulative amount + service cost
  = 0.3102; contract duration + overdue history = 0.1734).  **Decision:** split each pair
  equally (0.1551 each; 0.0867 each).  This respects everything the paper states: both
  are below cumulative volume (0.1932) in the current dimension, and below 0.1 in the
  potential dimension.
- **Expert judgments** (``EXPERT_MATRICES``): the paper prints no matrices.  Three experts'
  1–9-scale matrices were *constructed* (offline coordinate search over Saaty-scale values,
  each expert's CR < 0.09 with Saaty's 1980 RI) so that the arithmetic mean of their
  eigenvector priorities (AIP, the paper's aggregation) reproduces the published weights.
  How close: criterion level (experts 1/2, 1/2, 1 for current vs potential) gives
  0.3889 / 0.6111 (paper 0.39 / 0.61, |error| 0.0011 — no integer-scale triple is closer);
  the local weights are within 0.0004 (current) and 0.0007 (potential) of the paper's.
- **Customers** (``make_b2b_customers``): the paper's 21 customers and their indicator
  values are not printed either; 21 customers are *generated* from a documented model:
  latent current value u and potential value v, standard bivariate normal with
  correlation ``rho`` = 0.3; orders = max(1, round(exp(2.3 + 0.6u + 0.2e))), units per order
  = exp(3 + 0.3u + 0.3e), unit price (thousand CNY) = exp(0.5 + 0.15e), gross margin =
  clip(0.25 + 0.05u + 0.04e, 0.05, 0.6), service cost ratio = clip(0.06 − 0.01v + 0.015e,
  0.01, 0.2); each expert-scored indicator = clip(round(3 + 1.1·v + 0.6e), 1, 5) on a
  five-level scale (overdue history uses −v: good customers are rarely overdue); e are
  independent standard normals.  Definitions: cum_volume = units over the period,
  cum_amount = revenue (thousand CNY), avg_volume/avg_amount = per order, gross_profit =
  cum_amount × margin, relative_margin = (gross profit − service cost) / revenue.
  ``TRUE_PARAMETERS`` holds these numbers; the latent u, v are returned too.
- **Transactions** (``make_segmentation_transactions``): two years of orders of a retail
  customer base with acquisition during the first 18 months, Poisson purchase rates
  ~ Gamma(shape 1.2, scale 0.6) per month, geometric churn (monthly 3 %) and log-normal
  order values (μ = 3.8, σ = 0.6), with a cost ratio of 70 % ± noise.  Used for RFM,
  tiers and period-over-period KPIs.  Independent of ``data/transactions.csv`` (CLV).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..ahp import matrices_from_table

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CUSTOMERS_FILE = "segmentation_customers.csv"
JUDGMENTS_FILE = "segmentation_ahp_judgments.csv"
TRANSACTIONS_FILE = "segmentation_transactions.csv"

GRADES = ("very_low", "low", "medium", "high", "very_high")
OVERDUE_GRADES = ("none", "rare", "occasional", "frequent", "serious")

PAPER_CRITERION_WEIGHTS = pd.Series({"current": 0.3900, "potential": 0.6100}, name="weight")

INDICATORS = pd.DataFrame(
    [
        ("cum_volume", "current", "benefit", 0.1932, "quantitative", None),
        ("cum_amount", "current", "benefit", 0.1551, "quantitative", None),
        ("avg_volume", "current", "benefit", 0.0396, "quantitative", None),
        ("avg_amount", "current", "benefit", 0.0316, "quantitative", None),
        ("gross_profit", "current", "benefit", 0.3138, "quantitative", None),
        ("service_cost", "current", "cost", 0.1551, "quantitative", None),
        ("gross_margin", "current", "benefit", 0.0655, "quantitative", None),
        ("relative_margin", "current", "benefit", 0.0461, "quantitative", None),
        ("cross_buying", "potential", "benefit", 0.2053, "expert", "|".join(GRADES)),
        ("contract_duration", "potential", "benefit", 0.0867, "expert", "|".join(GRADES)),
        ("referrals", "potential", "benefit", 0.1290, "expert", "|".join(GRADES)),
        ("business_scale", "potential", "benefit", 0.1616, "expert", "|".join(GRADES)),
        ("profitability", "potential", "benefit", 0.1972, "expert", "|".join(GRADES)),
        ("bank_credit", "potential", "benefit", 0.1335, "expert", "|".join(GRADES)),
        ("overdue_history", "potential", "cost", 0.0867, "expert", "|".join(OVERDUE_GRADES)),
    ],
    columns=["indicator", "dimension", "direction", "weight", "kind", "levels"],
)
"""Seed 004's indicator system with the paper's local AHP weights (equal split of the two unprinted pairs)."""

PAPER_PRINTED_WEIGHTS = {
    "current": {"gross_profit": 0.3138, "cum_volume": 0.1932, "avg_volume": 0.0396, "avg_amount": 0.0316,
                "gross_margin": 0.0655, "relative_margin": 0.0461},
    "potential": {"cross_buying": 0.2053, "profitability": 0.1972, "business_scale": 0.1616, "bank_credit": 0.1335,
                  "referrals": 0.1290},
}
"""Only the local weights the paper prints (plus the pair sums 0.3102 and 0.1734)."""

TRUE_PARAMETERS = {
    "n_customers": 21, "rho": 0.3, "random_state": 2020,
    "log_orders": (2.3, 0.6, 0.2), "log_units_per_order": (3.0, 0.3, 0.3), "log_unit_price": (0.5, 0.15),
    "gross_margin": (0.25, 0.05, 0.04, 0.05, 0.6), "service_cost_ratio": (0.06, -0.01, 0.015, 0.01, 0.2),
    "expert_grade": (3.0, 1.1, 0.6),
}

_CRITERIA_JUDGMENTS = {"expert_1": "1/2", "expert_2": "1/2", "expert_3": "1"}  # current vs potential

EXPERT_MATRICES_TEXT = {
    ("expert_1", "current"): """
          1 1/5   9   8 1/2 1/2   3   4
          5   1   6   8 1/2   1   3   3
        1/9 1/6   1 1/5 1/9 1/9 1/7 1/4
        1/8 1/8   5   1 1/9 1/9 1/3 1/3
          2   2   9   9   1   2   8   9
          2   1   9   9 1/2   1   3   4
        1/3 1/3   7   3 1/8 1/3   1   1
        1/4 1/3   4   3 1/9 1/4   1   1
    """,
    ("expert_2", "current"): """
          1   2   4   7   1   2   3   5
        1/2   1   3   4 1/3   1   2   3
        1/4 1/3   1   1 1/8 1/3   1   1
        1/7 1/4   1   1 1/6 1/4 1/3   2
          1   3   8   6   1   2   4   5
        1/2   1   3   4 1/2   1   2   3
        1/3 1/2   1   3 1/4 1/2   1   2
        1/5 1/3   1 1/2 1/5 1/3 1/2   1
    """,
    ("expert_3", "current"): """
          1   2   5   9 1/2   1   3   5
        1/2   1   3   3 1/3   1   2   3
        1/5 1/3   1   5 1/9 1/3   1   1
        1/9 1/3 1/5   1 1/9 1/5 1/3 1/2
          2   3   9   9   1   2   6   8
          1   1   3   5 1/2   1   2   3
        1/3 1/2   1   3 1/6 1/2   1   1
        1/5 1/3   1   2 1/8 1/3   1   1
    """,
    ("expert_1", "potential"): """
          1   9 1/2   1   1 1/2   2
        1/9   1   1 1/2 1/4 1/2   1
          2   1   1   1   1   1   2
          1   2   1   1   1   1   2
          1   4   1   1   1   1   1
          2   2   1   1   1   1   2
        1/2   1 1/2 1/2   1 1/2   1
    """,
    ("expert_2", "potential"): """
          1   4   4   2   1   4   1
        1/4   1   5 1/2 1/3   3   2
        1/4 1/5   1 1/2 1/2   1   1
        1/2   2   2   1   1   4   3
          1   3   2   1   1   2   2
        1/4 1/3   1 1/4 1/2   1 1/3
          1 1/2   1 1/3 1/2   3   1
    """,
    ("expert_3", "potential"): """
          1   9 1/3   1 1/2   1   3
        1/9   1 1/2 1/3 1/6 1/2   1
          3   2   1   1 1/2 1/2   1
          1   3   1   1 1/2   1   3
          2   6   2   2   1   1   3
          1   2   2   1   1   1   3
        1/3   1   1 1/3 1/3 1/3   1
    """,
}
"""Constructed judgments (rows/columns in ``INDICATORS`` order within each dimension)."""


def expert_judgments_table() -> pd.DataFrame:
    """The three experts' judgments as a long table (upper triangle): expert, level, row, column, judgment."""
    rows = []
    for expert, text in _CRITERIA_JUDGMENTS.items():
        rows.append((expert, "criteria", "current", "potential", text))
    for (expert, level), text in EXPERT_MATRICES_TEXT.items():
        items = list(INDICATORS.loc[INDICATORS["dimension"] == level, "indicator"])
        cells = [line.split() for line in text.strip().splitlines()]
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                rows.append((expert, level, items[i], items[j], cells[i][j]))
    return pd.DataFrame(rows, columns=["expert", "level", "row", "column", "judgment"])


def judgment_matrices(table: pd.DataFrame | None = None) -> dict[str, dict[str, pd.DataFrame]]:
    """``{level: {expert: pairwise matrix}}`` from a long judgments table (default: the bundled one);
    see :func:`crmlab.ahp.matrices_from_table`."""
    return matrices_from_table(expert_judgments_table() if table is None else table)


def make_b2b_customers(*, n_customers: int = 21, rho: float = 0.3, random_state: int = 2020,
                       return_latent: bool = False) -> pd.DataFrame:
    """Generate the B2B customer table (model and parameters in the module docstring)."""
    rng = np.random.default_rng(random_state)
    n = n_customers
    u, v = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=n).T
    e = rng.standard_normal((12, n))
    orders = np.maximum(1, np.round(np.exp(2.3 + 0.6 * u + 0.2 * e[0])))
    units_per_order = np.exp(3.0 + 0.3 * u + 0.3 * e[1])
    price = np.exp(0.5 + 0.15 * e[2])
    margin = np.clip(0.25 + 0.05 * u + 0.04 * e[3], 0.05, 0.6)
    service_ratio = np.clip(0.06 - 0.01 * v + 0.015 * e[4], 0.01, 0.2)
    cum_volume = np.round(orders * units_per_order)
    cum_amount = np.round(cum_volume * price, 2)
    gross_profit = np.round(cum_amount * margin, 2)
    service_cost = np.round(cum_amount * service_ratio, 2)

    def grade(k, sign=1.0):
        return np.clip(np.round(3 + 1.1 * sign * v + 0.6 * e[5 + k]), 1, 5).astype(int) - 1

    df = pd.DataFrame({
        "customer_id": [f"C{i + 1:02d}" for i in range(n)],
        "cum_volume": cum_volume,
        "cum_amount": cum_amount,
        "avg_volume": np.round(cum_volume / orders, 2),
        "avg_amount": np.round(cum_amount / orders, 2),
        "gross_profit": gross_profit,
        "service_cost": service_cost,
        "gross_margin": np.round(gross_profit / cum_amount, 4),
        "relative_margin": np.round((gross_profit - service_cost) / cum_amount, 4),
        "cross_buying": np.asarray(GRADES)[grade(0)],
        "contract_duration": np.asarray(GRADES)[grade(1)],
        "referrals": np.asarray(GRADES)[grade(2)],
        "business_scale": np.asarray(GRADES)[grade(3)],
        "profitability": np.asarray(GRADES)[grade(4)],
        "bank_credit": np.asarray(GRADES)[grade(5)],
        "overdue_history": np.asarray(OVERDUE_GRADES)[grade(6, -1.0)],
        "orders": orders.astype(int),
    })
    df["revenue"] = df["cum_amount"]
    df["profit"] = np.round(df["gross_profit"] - df["service_cost"], 2)
    if return_latent:
        df["latent_current"], df["latent_potential"] = u, v
    return df


TRANSACTIONS_OBSERVED = ("2023-01-01", "2024-12-31")
"""The days the generated log covers (24 months), whether or not anyone bought on the first or last days."""


def make_segmentation_transactions(*, n_customers: int = 800, start: str = "2023-01-01", months: int = 24,
                                   random_state: int = 7) -> pd.DataFrame:
    """Generate a two-year order log: customer_id, date, amount, cost (parameters in the module docstring)."""
    rng = np.random.default_rng(random_state)
    n = n_customers
    start_ts = pd.Timestamp(start)
    days = (start_ts + pd.DateOffset(months=months) - start_ts).days
    acq = rng.integers(0, int(days * 0.75), size=n)  # acquisition day within the first 18 months
    rate = rng.gamma(1.2, 0.6, size=n) / 30.4  # purchases per day
    life = rng.geometric(0.03, size=n) * 30.4  # days until churn
    end = np.minimum(days, acq + life)
    counts = 1 + rng.poisson(rate * np.maximum(end - acq, 0))
    cust = np.repeat(np.arange(n), counts)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    is_first = np.zeros(cust.size, dtype=bool)
    is_first[first] = True
    day = np.where(is_first, acq[cust], acq[cust] + rng.uniform(0, 1, cust.size) * np.maximum(end - acq, 1)[cust])
    amount = np.round(np.exp(rng.normal(3.8, 0.6, cust.size)), 2)
    cost = np.round(amount * np.clip(rng.normal(0.7, 0.08, cust.size), 0.4, 0.95), 2)
    df = pd.DataFrame({"customer_id": [f"K{i + 1:04d}" for i in cust],
                       "date": (start_ts + pd.to_timedelta(np.floor(day), unit="D")).strftime("%Y-%m-%d"),
                       "amount": amount, "cost": cost})
    return df.sort_values(["date", "customer_id"], kind="mergesort").reset_index(drop=True)


def customers_study() -> dict:
    """The bundled 21 customers as a study description (kind ``customers``, :mod:`crmlab.study`), absolute path.

    The indicators carry no weights: the experts' AHP judgments supply them."""
    indicators = [{"indicator": r.indicator, "dimension": r.dimension, "direction": r.direction,
                   **({"levels": r.levels.split("|")} if isinstance(r.levels, str) else {})}
                  for r in INDICATORS.itertuples(index=False)]
    return {"kind": "customers", "path": str(DATA_DIR / CUSTOMERS_FILE), "id": "customer_id", "indicators": indicators,
            "revenue": "revenue", "profit": "profit"}


def judgments_study() -> dict:
    """The three experts' bundled judgments as a study description (kind ``judgments``), absolute path."""
    return {"kind": "judgments", "path": str(DATA_DIR / JUDGMENTS_FILE), "expert": "expert", "level": "level",
            "row": "row", "column": "column", "judgment": "judgment"}


def transactions_study() -> dict:
    """The bundled two-year order log as a study description (kind ``transactions``), absolute path."""
    return {"kind": "transactions", "path": str(DATA_DIR / TRANSACTIONS_FILE), "customer_id": "customer_id",
            "datetime": "date", "monetary_value": "amount", "cost": "cost"}


def write_datasets(data_dir: str | Path) -> list[Path]:
    """Write the three bundled CSVs into ``data_dir`` and return their paths."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = [data_dir / CUSTOMERS_FILE, data_dir / JUDGMENTS_FILE, data_dir / TRANSACTIONS_FILE]
    make_b2b_customers().to_csv(paths[0], index=False)
    expert_judgments_table().to_csv(paths[1], index=False)
    make_segmentation_transactions().to_csv(paths[2], index=False)
    return paths


def main() -> None:
    """``python -m crmlab.datasets.segmentation`` rewrites the bundled CSVs in ./data."""
    for p in write_datasets(Path(__file__).resolve().parents[2] / "data"):
        print(p)


if __name__ == "__main__":
    main()
