"""The transaction-log layer at scale (crmlab.transactions; not part of the test suite).

1. 7,000,000 rows already in memory: TransactionLog.from_frame + customer_summary (Ibis on in-process DuckDB)
   against the numpy implementation crmlab had before (benchmarks/reference_numpy_summary.py) — the ratio
   in one run, and both give the same numbers.
2. 100,000,000 rows in Parquet, written by DuckDB into a Hive-partitioned folder (not kept): the DuckDB
   summary with holdout scanned where it lies, with memory_limit, in a child process whose peak resident
   memory is measured; and what pandas needs for the same data, measured on a 10 M-row slice and
   extrapolated (labelled as such).
3. Spark local[2] on 10,000,000 rows of the same files against DuckDB on them.

    python benchmarks/bench_scale.py [--quick] [--rows-big 100000000] [--skip-spark]
Writes benchmarks/results/scale.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
RESULTS = HERE / "results" / "scale.json"
CAL, OBS = "2024-06-30", "2024-12-31"


def synthetic_log(rows: int, seed: int = 1) -> pd.DataFrame:
    """rows purchase lines of rows/7 customers over two years, second-resolution timestamps."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64)
    return pd.DataFrame({"customer_id": rng.integers(1, rows // 7 + 1, rows, dtype=np.int64),
                         "date": (start + rng.integers(0, 2 * 365 * 86400, rows)).astype("datetime64[s]").astype("datetime64[us]"),
                         "amount": np.round(rng.gamma(2.0, 25.0, rows), 2)})


def timed(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def in_memory(rows: int, repeat: int) -> dict:
    from reference_numpy_summary import summarize_transactions

    from crmlab.transactions import TransactionLog

    log = synthetic_log(rows)
    TransactionLog.from_frame(log.head(1000)).customer_summary()  # imports and first connection out of the timing
    t_new, new = timed(lambda: TransactionLog.from_frame(log).customer_summary(calibration_end=CAL, observation_end=OBS), repeat)
    t_old, (old, _) = timed(lambda: summarize_transactions(log, calibration_end=CAL, observation_end=OBS), repeat)
    old.index = old.index.astype(str)
    same = bool(np.allclose(new.table[["frequency", "recency", "T", "monetary_value"]].to_numpy(),
                            old.loc[new.table.index, ["frequency", "recency", "T", "monetary_value"]].to_numpy()))
    return {"rows": rows, "customers": len(new.table), "duckdb_s": t_new, "numpy_reference_s": t_old,
            "ratio": t_new / t_old, "target_ratio": 1.0, "identical": same}


CHILD = """
import json, sys, time
def peak_rss_mb():  # VmHWM: this process image's peak (ru_maxrss would keep the benchmark parent's peak across exec)
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
sys.path.insert(0, {here!r})
from crmlab.transactions import TransactionLog
t0 = time.perf_counter()
log = TransactionLog.from_files({path!r}, memory_limit={limit!r}, threads=2, temp_directory={tmp!r})
s = log.customer_summary(calibration_end={cal!r}, observation_end={obs!r})
print(json.dumps({{"s": time.perf_counter() - t0, "customers": len(s.table),
                  "peak_rss_mb": peak_rss_mb()}}))
"""

PANDAS_CHILD = """
import json, sys, time
def peak_rss_mb():  # VmHWM: this process image's peak (ru_maxrss would keep the benchmark parent's peak across exec)
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
sys.path.insert(0, {here!r})
import pandas as pd
from reference_numpy_summary import summarize_transactions
t0 = time.perf_counter()
df = pd.read_parquet({path!r}, columns=["customer_id", "date", "amount"])
t_read = time.perf_counter() - t0
summarize_transactions(df, calibration_end={cal!r}, observation_end={obs!r})
print(json.dumps({{"s": time.perf_counter() - t0, "read_s": t_read, "rows": len(df),
                  "peak_rss_mb": peak_rss_mb()}}))
"""

SPARK_CHILD = """
import json, sys, time
from crmlab.spark import read_path, spark_session
from crmlab.transactions import TransactionLog
t0 = time.perf_counter()
session = spark_session(master="local[2]", config={{"spark.driver.memory": "3g"}})
t_start = time.perf_counter() - t0
t1 = time.perf_counter()
log = TransactionLog.from_spark(read_path(session, {path!r}), session=session)
s = log.customer_summary(calibration_end={cal!r}, observation_end={obs!r})
print(json.dumps({{"startup_s": t_start, "s": time.perf_counter() - t1, "customers": len(s.table)}}))
"""


def child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_parquet(folder: Path, rows: int) -> None:
    """rows synthetic lines written by DuckDB straight to Parquet, partitioned by month (never in pandas)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"""COPY (SELECT *, strftime(date, '%Y-%m') AS month FROM (
                          SELECT (random() * {rows // 7})::BIGINT + 1 AS customer_id,
                                 TIMESTAMP '2023-01-01' + to_seconds((random() * 2 * 365 * 86400)::BIGINT) AS date,
                                 round(random() * 100, 2) AS amount
                          FROM range({rows})))
                   TO '{folder}' (FORMAT parquet, PARTITION_BY (month))""")


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rows-big", type=int, default=100_000_000)
    ap.add_argument("--skip-spark", action="store_true")
    args = ap.parse_args()
    out = {"machine": {"cpu_count": os.cpu_count(), "load_1min": os.getloadavg()[0]}}
    rows = 1_000_000 if args.quick else 7_000_000
    out["in_memory"] = in_memory(rows, 1 if args.quick else 3)
    print(json.dumps(out["in_memory"]), flush=True)
    big = 10_000_000 if args.quick else args.rows_big
    work = Path(tempfile.mkdtemp(prefix="crmlab-scale-"))
    try:
        folder = work / "log"
        t0 = time.perf_counter()
        write_parquet(folder, big)
        out["parquet"] = {"rows": big, "write_s": time.perf_counter() - t0,
                          "bytes": sum(f.stat().st_size for f in folder.rglob("*.parquet"))}
        fmt = dict(here=str(HERE), path=str(folder), cal=CAL, obs=OBS, tmp=str(work / "spill"))
        out["duckdb_big"] = child(CHILD.format(limit="3GB", **fmt)) | {"memory_limit": "3GB", "target_s": 60, "target_rss_mb": 4096}
        print(json.dumps(out["duckdb_big"]), flush=True)
        ten = work / "log10m"
        write_parquet(ten, 10_000_000)
        out["duckdb_10m"] = child(CHILD.format(limit="3GB", **(fmt | {"path": str(ten)})))
        out["pandas_10m"] = child(PANDAS_CHILD.format(**(fmt | {"path": str(ten)})))
        if "s" in out["pandas_10m"]:
            factor = big / 10_000_000
            out["pandas_big_extrapolated"] = {"s": out["pandas_10m"]["s"] * factor,
                                              "peak_rss_mb": out["pandas_10m"]["peak_rss_mb"] * factor,
                                              "note": f"extrapolated linearly ×{factor:g} from the 10 M-row measurement, not measured"}
        if not args.skip_spark:
            out["spark_10m"] = child(SPARK_CHILD.format(**(fmt | {"path": str(ten)})))
            if "s" in out["spark_10m"] and "s" in out["duckdb_10m"]:
                out["spark_10m"]["ratio_to_duckdb"] = out["spark_10m"]["s"] / out["duckdb_10m"]["s"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
