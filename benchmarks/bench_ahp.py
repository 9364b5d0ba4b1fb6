"""AHP incomplete-matrix completion and hierarchy synthesis: crmlab against AHPy 2.1.

Run ``python benchmarks/bench_ahp.py [--ahpy-python PATH] [--references]``.

Measures (median of repeated calls, one process):

* λmax-optimal completion of a 9 × 9 matrix with 8 missing judgments (crmlab: BFGS on the
  logarithms of the missing entries from the LLSM start; AHPy: Bozóki, Fülöp & Rónyai's
  cyclic coordinates, ``tolerance=1e-4``), and the completed values' largest difference;
* synthesis of the leader example (4 criteria × 3 alternatives, AHPy's README):
  ``ahp_synthesis`` against ``Compare`` + ``add_children``.

AHPy runs in its own venv (``reference_envs``, ``benchmarks/.venvs/ahpy``).  With
``--references`` the AHPy numbers used by tests/test_ahp_hierarchy.py are (re)written to
tests/reference/ahpy_examples.json.  Results: benchmarks/results/ahp.json.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crmlab.ahp import ahp_synthesis, complete_matrix, pairwise_matrix  # noqa: E402
from reference_envs import reference_python  # noqa: E402

LEADER = {
    "criteria": {("Experience", "Education"): 4, ("Experience", "Charisma"): 3, ("Experience", "Age"): 7,
                 ("Education", "Charisma"): 1 / 3, ("Education", "Age"): 3, ("Charisma", "Age"): 5},
    "Experience": {("Moll", "Nell"): 1 / 4, ("Moll", "Sue"): 4, ("Nell", "Sue"): 9},
    "Education": {("Moll", "Nell"): 3, ("Moll", "Sue"): 1 / 5, ("Nell", "Sue"): 1 / 7},
    "Charisma": {("Moll", "Nell"): 5, ("Moll", "Sue"): 9, ("Nell", "Sue"): 4},
    "Age": {("Moll", "Nell"): 1 / 3, ("Moll", "Sue"): 5, ("Nell", "Sue"): 9},
}
"""AHPy README "Choosing a leader" (the Wikipedia AHP leader example with renamed candidates)."""

MISSING_CD = {("a", "b"): 1, ("a", "c"): 5, ("a", "d"): 2, ("b", "c"): 3, ("b", "d"): 4}
"""AHPy README "Missing Pairwise Comparisons" = Bozóki, Fülöp & Rónyai (2010) Example 3 (U without (c, d))."""

AHPY_SCRIPT = r"""
import json, sys, time
import ahpy
task = json.loads(sys.stdin.read())
def comp(pairs):
    return {tuple(k.split("|")): v for k, v in pairs.items()}
out = {"ahpy_version": getattr(ahpy, "__version__", "2.1")}
# leader example
def leader():
    kids = [ahpy.Compare(c, comp(task["leader"][c]), precision=10, random_index="saaty")
            for c in ("Experience", "Education", "Charisma", "Age")]
    crit = ahpy.Compare("Criteria", comp(task["leader"]["criteria"]), precision=10, random_index="saaty")
    crit.add_children(kids)
    return crit, kids
crit, kids = leader()
out["leader"] = {"target_weights": crit.target_weights, "criteria_weights": crit.local_weights,
                 "criteria_cr": crit.consistency_ratio,
                 "local_weights": {k.name: k.local_weights for k in kids},
                 "cr": {k.name: k.consistency_ratio for k in kids}}
reps = 50
t0 = time.perf_counter()
for _ in range(reps):
    leader()
out["leader_seconds"] = (time.perf_counter() - t0) / reps
# Bozoki et al. Example 3 with (c, d) missing
m = ahpy.Compare("Missing_CD", comp(task["missing_cd"]), precision=10)
rep = m.report(verbose=True)
out["missing_cd"] = {"computed": {"|".join(k): v for k, v in rep["comparisons"]["computed"].items()},
                     "target_weights": m.target_weights, "cr": m.consistency_ratio}
# larger incomplete matrix, timed
big = comp(task["big"])
t0 = time.perf_counter()
for _ in range(5):
    b = ahpy.Compare("big", big, precision=10)
out["big_seconds"] = (time.perf_counter() - t0) / 5
out["big_computed"] = {"|".join(k): v for k, v in b.report(verbose=True)["comparisons"]["computed"].items()}
print(json.dumps(out))
"""


def _key(pairs: dict) -> dict:
    return {f"{a}|{b}": float(v) for (a, b), v in pairs.items()}


def big_incomplete(n: int = 9, n_missing: int = 8, seed: int = 0) -> dict:
    """A noisy 1-9 expert matrix with ``n_missing`` judgments removed (comparisons stay connected)."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(1, 9, n)
    scale = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    names = [f"i{k}" for k in range(n)]
    pairs = {}
    for i in range(n):
        for j in range(i + 1, n):
            r = w[i] / w[j] * np.exp(rng.normal(0, 0.2))
            pairs[(names[i], names[j])] = float(scale[np.abs(np.log(scale) - np.log(r)).argmin()])
    drop = [k for k in pairs if k[0] != "i0"]  # keep the star from i0: connected
    for k in [drop[i] for i in rng.choice(len(drop), n_missing, replace=False)]:
        del pairs[k]
    return pairs


def run_ahpy(python: str | None, big: dict) -> dict | None:
    if not python or not Path(python).exists():
        return None
    task = {"leader": {k: _key(v) for k, v in LEADER.items()}, "missing_cd": _key(MISSING_CD), "big": _key(big)}
    out = subprocess.run([python, "-c", AHPY_SCRIPT], input=json.dumps(task), capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr[-800:]}
    return json.loads(out.stdout)


def leader_synthesis():
    alts = ["Moll", "Nell", "Sue"]
    crit = pairwise_matrix(LEADER["criteria"], ["Experience", "Education", "Charisma", "Age"])
    return ahp_synthesis(crit, {c: pairwise_matrix(LEADER[c], alts) for c in crit.index},
                         random_index_table="saaty2005")


def median_time(fn, reps: int) -> float:
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ahpy-python", default=None)
    parser.add_argument("--references", action="store_true", help="write tests/reference/ahpy_examples.json")
    args = parser.parse_args()
    big = big_incomplete()
    items = sorted({x for k in big for x in k}, key=lambda s: int(s[1:]))
    big_m = pairwise_matrix(big, items)
    ours_big = complete_matrix(big_m).completed
    result = {"completion_9x9_8_missing_median_ms": 1e3 * median_time(lambda: complete_matrix(big_m), 20),
              "synthesis_leader_median_ms": 1e3 * median_time(leader_synthesis, 50)}
    ref = run_ahpy(args.ahpy_python or reference_python("ahpy"), big)
    result["ahpy"] = ref
    if ref and "error" not in ref:
        theirs = pd.Series(ref["big_computed"])
        ours = pd.Series({f"{r.row}|{r.column}": r.value for r in ours_big.itertuples()})
        common = [k for k in ours.index if k in theirs.index]
        result["completion_max_abs_difference_vs_ahpy"] = float((ours[common] - theirs[common]).abs().max())
        result["completion_pairs_compared"] = len(common)
        syn = leader_synthesis().table["priority"]
        result["leader_max_abs_difference_vs_ahpy"] = float(max(abs(syn[k] - v) for k, v in ref["leader"]["target_weights"].items()))
        if args.references:
            refs = {"source": f"AHPy {ref['ahpy_version']} (PyPI ahpy, README examples) run by benchmarks/bench_ahp.py "
                              "--references with precision=10",
                    "leader": {"random_index": "saaty (= crmlab saaty2005)",
                               "comparisons": {k: _key(v) for k, v in LEADER.items()}, **ref["leader"]},
                    "missing_cd": {"random_index": "dd (Donegan & Dodd, AHPy's default)",
                                   "completion": "cyclic coordinates, tolerance 1e-4 (AHPy default)", **ref["missing_cd"]}}
            (ROOT / "tests" / "reference" / "ahpy_examples.json").write_text(json.dumps(refs, indent=1))
    report(result)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ahp.json").write_text(json.dumps(result, indent=2, default=str))
    return result


def report(r: dict) -> None:
    ref = r["ahpy"] if isinstance(r.get("ahpy"), dict) and "error" not in r["ahpy"] else None
    print(f"{'measurement':<46}{'crmlab':>12}{'AHPy':>12}{'ratio':>8}")
    rows = [("λmax completion 9x9, 8 missing (ms)", r["completion_9x9_8_missing_median_ms"], ref and 1e3 * ref["big_seconds"]),
            ("leader synthesis 4 x 3 (ms)", r["synthesis_leader_median_ms"], ref and 1e3 * ref["leader_seconds"])]
    for name, ours, theirs in rows:
        print(f"{name:<46}{ours:12.3f}" + (f"{theirs:12.3f}{theirs / ours:7.1f}x" if theirs else f"{'n/a':>12}"))
    if ref:
        print(f"completed values, max |crmlab - AHPy| over {r['completion_pairs_compared']} pairs: "
              f"{r['completion_max_abs_difference_vs_ahpy']:.1e} (AHPy stops at tolerance 1e-4)")
        print(f"leader global priorities, max |crmlab - AHPy|: {r['leader_max_abs_difference_vs_ahpy']:.1e}")
    else:
        print(f"AHPy not run: {r.get('ahpy')}")


if __name__ == "__main__":
    main()
