"""Reading users' tables (crmlab.readers, crmlab.study; not part of the test suite).

A 1.5-million-row transaction CSV (about 60 MB: text ids, order ids, ISO timestamps, amounts,
costs, a text column) is read the crmlab way — ids as text, dates parsed — against pandas'
default reader (what notebooks used before), in one run; and a transactions study on it is
checked the way the report runner checks it before any kernel starts.
Targets: reading and validating ≤ 2 s; the study check ≤ 1 s.

    python benchmarks/bench_readers.py [--rows 1500000]
Writes benchmarks/results/readers.json.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.readers import read_table
from crmlab.study import study_from_spec

RESULTS = Path(__file__).resolve().parent / "results" / "readers.json"


def write_log(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    when = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730 * 86400, rows), unit="s")
    pd.DataFrame({"customer_id": [f"C{i:06d}" for i in rng.integers(0, 200_000, rows)],
                  "order_id": np.arange(rows).astype(str), "datetime": when.strftime("%Y-%m-%d %H:%M:%S"),
                  "amount": rng.gamma(2, 30, rows).round(2), "cost": rng.gamma(2, 10, rows).round(2),
                  "store": rng.choice(["North", "South", "East"], rows)}).to_csv(path, index=False)


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_500_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.csv"
        write_log(path, args.rows)
        crmlab_s = best(lambda: read_table(path, id_columns=["customer_id", "order_id"], date_columns=["datetime"]))
        pandas_s = best(lambda: pd.read_csv(path))
        spec = {"kind": "transactions", "path": str(path), "customer_id": "customer_id", "datetime": "datetime",
                "monetary_value": "amount", "order_id": "order_id", "cost": "cost"}
        check_s = best(lambda: study_from_spec(spec, name="transactions").check())
        out = {"rows": args.rows, "megabytes": path.stat().st_size / 1e6, "read_and_validate_s": crmlab_s,
               "pandas_default_read_csv_s": pandas_s, "ratio": crmlab_s / pandas_s, "study_check_s": check_s,
               "targets": {"read_and_validate_s": 2.0, "study_check_s": 1.0},
               "machine": {"cpu_count": os.cpu_count(), "load_1min": os.getloadavg()[0]}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
