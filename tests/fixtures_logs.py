"""Transaction-log fixtures shared by the notebook tests of 03_clv and 04_value_segmentation (issue 9).

:func:`product_line_log` writes a log stored as **product lines**, the way shop systems export it: several rows per
basket, each basket with its own id.  Columns (UTF-8 CSV with a header row):

* ``customer_id`` — text; most ids are plain digits, every other one zero-padded to five digits, and the two
  customers ``"00123"`` and ``"123"`` are different people (both buy on 2024-12-31, so a reader that turns ids into
  numbers merges them);
* ``basket_id`` — text ``B000001`` …, unique over the log and increasing with time (one basket = one purchase);
* ``timestamp`` — the line's time, ``YYYY-MM-DD HH:MM:SS`` (with ``dates="yyyymmdd"``: the day as an integer
  20241231; with ``dates="excel"``: the day as an Excel serial number, days since 1899-12-30);
* ``product`` — product code of the line; ``quantity`` — units on the line; ``amount`` — line amount (> 0, cents).

The purchases come from a BG/NBD + Gamma–Gamma simulation (:func:`crmlab.datasets.clv.simulate_transactions`,
600 customers acquired in the first 12 weeks of 2024, to mid-2025), so the notebooks' models can be fitted on it.
Each purchase becomes a basket of 1–5 lines whose amounts add up to the purchase amount.  Traps the notebooks must
get right: about one purchase in eight is followed by a second basket of the same customer on the same day (a
customer-day rule counts one purchase, the order rule two); a basket of customer ``"00123"`` that starts at 23:55
on 31 December 2024 and ends after midnight in 2025 (one purchase, dated by its first line: 2024-12-31).

The log's study description is :data:`PRODUCT_LINE_STUDY` (add ``path``); :func:`baskets_per_customer` counts
purchases by the documented rule with plain pandas, for the tests' independent expectations.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_CUSTOMERS = 600
RANDOM_STATE = 31
CALIBRATION_END = "2024-12-31"
OBSERVATION_END = "2025-06-29"
PRODUCT_LINE_STUDY = {"kind": "transactions", "customer_id": "customer_id", "datetime": "timestamp",
                      "monetary_value": "amount", "order_id": "basket_id"}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _lines(seed: int = RANDOM_STATE) -> pd.DataFrame:
    """The product lines with real timestamps (the ``dates="iso"`` form), sorted by time."""
    from crmlab.datasets.clv import simulate_transactions

    rng = np.random.default_rng(seed)
    purchases = simulate_transactions(N_CUSTOMERS, random_state=seed)
    ids = purchases["customer_id"].to_numpy()
    text = np.where(ids % 2 == 0, np.char.zfill(ids.astype(str), 5), ids.astype(str)).astype(object)
    text[ids == 124] = "00123"  # customer 124 is written "00123": a different customer from "123"
    purchases = purchases.assign(customer_id=text)
    # a second basket of the same customer later on the same day, for about one purchase in eight
    again = purchases[rng.random(len(purchases)) < 0.125].assign(
        amount=lambda d: np.round(rng.gamma(2.0, 12.0, len(d)) + 1.0, 2), slot=1)
    # the two customers "00123" and "123" both buy on 31 December; "00123"'s basket runs into 2025
    boundary = pd.DataFrame({"customer_id": ["00123", "123"], "date": pd.to_datetime(["2024-12-31"] * 2),
                             "amount": [57.40, 23.15], "slot": [2, 0]})
    baskets = pd.concat([purchases.assign(slot=0), again, boundary], ignore_index=True)
    slot = baskets["slot"].to_numpy()
    start = np.select([slot == 1, slot == 2], [rng.uniform(22 * 3600, 23 * 3600, len(baskets)), 23 * 3600 + 55 * 60],
                      rng.uniform(9 * 3600, 21 * 3600, len(baskets)))  # seconds after midnight
    baskets["start"] = baskets["date"] + pd.to_timedelta(np.round(start), unit="s")
    baskets = baskets.sort_values(["start", "customer_id"], kind="stable").reset_index(drop=True)
    baskets["basket_id"] = [f"B{k + 1:06d}" for k in range(len(baskets))]
    n_lines = np.where(baskets["slot"].to_numpy() == 2, 3, 1 + rng.poisson(1.2, len(baskets)).clip(0, 4))
    lines = baskets.loc[baskets.index.repeat(n_lines)].reset_index(drop=True)
    k = lines.groupby("basket_id").cumcount().to_numpy()
    step = np.where(lines["slot"].to_numpy() == 2, 240, rng.integers(20, 600, len(lines)))  # 4 minutes apart at the boundary
    lines["timestamp"] = lines["start"] + pd.to_timedelta(k * step, unit="s")
    # split each basket's amount over its lines in cents, the rounding remainder on the first line
    share = rng.dirichlet(np.ones(5), len(lines))[:, 0] + 0.2
    cents = np.round(lines["amount"].to_numpy() * 100).astype(np.int64)
    weight = share / pd.Series(share).groupby(lines["basket_id"].to_numpy()).transform("sum").to_numpy()
    part = np.floor(cents * weight).astype(np.int64)
    rest = cents - pd.Series(part).groupby(lines["basket_id"].to_numpy()).transform("sum").to_numpy()
    part = part + np.where(k == 0, rest, 0)
    part = np.maximum(part, 1)  # no zero-amount lines
    return pd.DataFrame({"customer_id": lines["customer_id"].astype(str), "basket_id": lines["basket_id"],
                         "timestamp": lines["timestamp"], "product": [f"P{v:03d}" for v in rng.integers(1, 200, len(lines))],
                         "quantity": rng.integers(1, 4, len(lines)), "amount": part / 100.0})


def product_line_frame(*, dates: str = "iso") -> pd.DataFrame:
    """The product-line log as a DataFrame; ``dates``: "iso" (timestamps), "yyyymmdd" or "excel" (whole days)."""
    lines = _lines()
    if dates == "yyyymmdd":
        return lines.assign(timestamp=lines["timestamp"].dt.strftime("%Y%m%d").astype(np.int64))
    if dates == "excel":
        return lines.assign(timestamp=(lines["timestamp"].dt.normalize() - EXCEL_EPOCH).dt.days.astype(np.int64))
    if dates != "iso":
        raise ValueError(f"dates must be 'iso', 'yyyymmdd' or 'excel', got {dates!r}")
    return lines


def product_line_log(tmp_path, *, dates: str = "iso") -> Path:
    """Write the product-line log (columns in the module docstring) as ``tmp_path/product_lines[_<dates>].csv``."""
    frame = product_line_frame(dates=dates)
    if dates == "iso":
        frame = frame.assign(timestamp=frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    path = Path(tmp_path) / ("product_lines.csv" if dates == "iso" else f"product_lines_{dates}.csv")
    frame.to_csv(path, index=False, float_format="%.2f")
    return path


def product_line_parquet(tmp_path) -> Path:
    """The same log as a folder of Parquet files, Hive-partitioned by year (``year=2024/…``, ``year=2025/…``)."""
    frame = product_line_frame()
    folder = Path(tmp_path) / "product_lines_parquet"
    frame.assign(year=frame["timestamp"].dt.year).to_parquet(folder, partition_cols=["year"], index=False)
    return folder


def baskets_per_customer(lines: pd.DataFrame, *, through: str | None = None) -> pd.Series:
    """Purchases per customer by the order rule with plain pandas: distinct baskets, each dated by its first line,
    counting only baskets dated on or before ``through``."""
    when = pd.to_datetime(lines["timestamp"])
    first = when.groupby([lines["customer_id"], lines["basket_id"]]).min()
    if through is not None:
        first = first[first.dt.normalize() <= pd.Timestamp(through)]
    return first.groupby(level="customer_id").size().rename("baskets")
