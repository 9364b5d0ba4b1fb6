"""Speed of segmentation at scale: RFM + value matrix for 2.4 M customers, AHP on a 15 × 15 matrix.

Run ``python benchmarks/bench_segmentation.py [--replicate 100] [--shared-data PATH] [--ahpy-python PATH]``.

- CDNOW master (69 659 orders of 23 570 customers, ../shared/data/cdnow) is replicated
  ``--replicate`` times with new customer ids (100× → 6.97 M orders, 2.36 M customers).
  Timed: ``rfm_table`` (aggregation of the order log), ``rfm_scores`` and
  ``ValueMatrix.fit`` on an RFM-based indicator table (current value: monetary 0.6,
  frequency 0.4; potential value: recency, a cost, 0.5, tenure 0.5).  Target: scoring +
  value matrix ≤ 5 s.  Reference: the common pandas idiom, ``pd.qcut`` on ranks
  (``rank(method="first")`` — which breaks ties by row order, the thing crmlab avoids).
- AHP: ``ahp_priorities`` on a 15 × 15 reciprocal matrix, median of repeated calls
  (target ≤ 1 ms).  Reference: ``ahpy.Compare`` (PyPI ``ahpy``) run in a side venv
  when ``--ahpy-python`` points at its interpreter (default: benchmarks/.venvs/ahpy, made by ``reference_envs``);
  skipped with a note otherwise.
Results are printed as a table and written to benchmarks/results/segmentation.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlab.ahp import ahp_priorities  # noqa: E402
from crmlab.segmentation import ValueMatrix, rfm_scores, rfm_table  # noqa: E402
from reference_envs import reference_python  # noqa: E402

RFM_INDICATORS = pd.DataFrame(
    [("monetary", "current", "benefit", 0.6), ("frequency", "current", "benefit", 0.4),
     ("recency", "potential", "cost", 0.5), ("tenure", "potential", "benefit", 0.5)],
    columns=["indicator", "dimension", "direction", "weight"],
)

AHPY_SCRIPT = r"""
import itertools, json, sys, time
import numpy as np
import ahpy
a = np.array(json.loads(sys.stdin.read()))
n = len(a)
names = [f"i{k}" for k in range(n)]
comp = {(names[i], names[j]): float(a[i, j]) for i, j in itertools.combinations(range(n), 2)}
c = ahpy.Compare("m", comp, precision=10, random_index="saaty")
reps = 50
t0 = time.perf_counter()
for _ in range(reps):
    ahpy.Compare("m", comp, precision=10, random_index="saaty")
dt = (time.perf_counter() - t0) / reps
print(json.dumps({"seconds": dt, "weights": [c.local_weights[k] for k in names], "cr": c.consistency_ratio}))
"""


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def load_cdnow(shared: Path, replicate: int) -> pd.DataFrame:
    tx = pd.read_csv(shared / "cdnow" / "CDNOW_master.txt", sep=r"\s+", skiprows=1, header=None,
                     names=["customer_id", "date", "cds", "amount"], dtype={"date": str})
    tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
    k = np.repeat(np.arange(replicate), len(tx))
    big = pd.DataFrame({"customer_id": np.tile(tx["customer_id"].to_numpy(), replicate) + k * 100_000,
                        "date": np.tile(tx["date"].to_numpy(), replicate),
                        "amount": np.tile(tx["amount"].to_numpy(), replicate)})
    return big


def bench_rfm(shared: Path, replicate: int) -> dict:
    tx = load_cdnow(shared, replicate)
    rfm, t_table = timed(rfm_table, tx, as_of="1998-06-30")
    scores, t_scores = timed(rfm_scores, rfm)
    data = rfm.assign(tenure=(pd.Timestamp("1998-06-30") - rfm["first_purchase"]).dt.days.astype(float))
    vm, t_vm = timed(ValueMatrix(RFM_INDICATORS).fit, data)
    # reference idiom: quintiles of ranks with pandas (ties broken by row order)
    t0 = time.perf_counter()
    ref = pd.DataFrame({"r": pd.qcut(rfm["recency"].rank(method="first", ascending=False), 5, labels=False) + 1,
                        "f": pd.qcut(rfm["frequency"].rank(method="first"), 5, labels=False) + 1,
                        "m": pd.qcut(rfm["monetary"].rank(method="first"), 5, labels=False) + 1})
    t_ref = time.perf_counter() - t0
    agree_m = float((ref["m"].to_numpy() == scores.scores["m_score"].to_numpy()).mean())
    return {"transactions": len(tx), "customers": len(rfm), "rfm_table_s": t_table, "rfm_scores_s": t_scores,
            "value_matrix_s": t_vm, "scores_plus_value_matrix_s": t_scores + t_vm,
            "all_three_s": t_table + t_scores + t_vm, "pandas_qcut_rank_reference_s": t_ref,
            "m_score_agreement_with_reference": agree_m,
            "class_counts": vm.scores_["value_class"].value_counts().to_dict()}


def bench_ahp(ahpy_python: str | None) -> dict:
    rng = np.random.default_rng(0)
    n = 15
    w = rng.uniform(1, 9, n)
    scale = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    ratio = w[:, None] / w[None, :] * np.exp(rng.normal(0, 0.2, (n, n)))  # noisy expert
    nearest = scale[np.abs(np.log(scale)[None, None, :] - np.log(ratio)[:, :, None]).argmin(axis=2)]
    a = np.triu(nearest, 1)
    a = a + np.tril(1 / np.where(a.T > 0, a.T, 1.0), -1)
    a[np.diag_indices(n)] = 1.0
    res = {}
    for method in ("eigenvector", "geometric_mean"):
        ahp_priorities(a, method=method, random_index_table="saaty2005")
        times = []
        for _ in range(2000):
            t0 = time.perf_counter()
            r = ahp_priorities(a, method=method, random_index_table="saaty2005")
            times.append(time.perf_counter() - t0)
        res[method] = {"median_ms": 1000 * float(np.median(times)), "cr": r.cr}
    ours = ahp_priorities(a, random_index_table="saaty2005")
    res["ahpy"] = None
    if ahpy_python and Path(ahpy_python).exists():
        out = subprocess.run([ahpy_python, "-c", AHPY_SCRIPT], input=json.dumps(a.tolist()), capture_output=True, text=True)
        if out.returncode == 0:
            ref = json.loads(out.stdout)
            res["ahpy"] = {"median_ms": 1000 * ref["seconds"], "cr": ref["cr"],
                           "max_abs_weight_difference": float(np.max(np.abs(np.array(ref["weights"]) - ours.weights.to_numpy())))}
        else:
            res["ahpy_error"] = out.stderr[-500:]
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicate", type=int, default=100)
    parser.add_argument("--shared-data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--ahpy-python", default=None)
    args = parser.parse_args()
    results = {"ahp_15x15": bench_ahp(args.ahpy_python or reference_python("ahpy"))}
    if (args.shared_data / "cdnow").is_dir():
        results["rfm_value_matrix"] = bench_rfm(args.shared_data, args.replicate)
    else:
        results["rfm_value_matrix"] = f"skipped: {args.shared_data / 'cdnow'} not found (pass --shared-data)"
    a = results["ahp_15x15"]
    print(f"{'measurement':<48}{'value':>14}{'target':>10}")
    print(f"{'AHP 15x15 eigenvector, median ms':<48}{a['eigenvector']['median_ms']:>14.3f}{'<= 1':>10}")
    print(f"{'AHP 15x15 geometric mean, median ms':<48}{a['geometric_mean']['median_ms']:>14.3f}{'<= 1':>10}")
    if a.get("ahpy"):
        print(f"{'ahpy.Compare 15x15, mean ms (reference)':<48}{a['ahpy']['median_ms']:>14.3f}")
        print(f"{'  ratio ahpy / crmlab':<48}{a['ahpy']['median_ms'] / a['eigenvector']['median_ms']:>14.1f}")
        print(f"{'  max |weight difference| vs ahpy':<48}{a['ahpy']['max_abs_weight_difference']:>14.2e}")
        print(f"{'  CR crmlab / ahpy (both Saaty 2005 RI)':<48}{a['eigenvector']['cr']:>7.4f} /{a['ahpy']['cr']:>6.4f}")
    else:
        print("ahpy reference not run (no --ahpy-python interpreter with ahpy installed)")
    r = results["rfm_value_matrix"]
    if isinstance(r, dict):
        print(f"{'orders / customers':<48}{r['transactions']:>7,} / {r['customers']:,}")
        for key, label in (("rfm_table_s", "rfm_table (aggregate order log), s"), ("rfm_scores_s", "rfm_scores, s"),
                           ("value_matrix_s", "ValueMatrix.fit, s"), ("scores_plus_value_matrix_s", "RFM scoring + value matrix, s"),
                           ("all_three_s", "aggregation + scoring + value matrix, s"),
                           ("pandas_qcut_rank_reference_s", "pandas qcut-on-rank scoring (reference), s")):
            target = "<= 5" if key == "scores_plus_value_matrix_s" else ""
            print(f"{label:<48}{r[key]:>14.3f}{target:>10}")
        print(f"{'  M-score agreement with qcut reference':<48}{r['m_score_agreement_with_reference']:>14.4f}")
    else:
        print(r)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "segmentation.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
