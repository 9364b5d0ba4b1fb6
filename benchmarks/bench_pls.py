"""Speed of crmlab's PLS path modeling engine against the seminr port, plus accuracy against R.

Run ``python benchmarks/bench_pls.py`` from the project root.  Measures, on one
core (BLAS/OpenMP threads pinned to 1 before numpy loads):

* one fit of the ECSI model (R plspm settings), median of ``--fits`` runs
  (target ≤ 10 ms);
* 1,000 bootstrap resamples of it (target ≤ 5 s);
* PLSpredict, 10 folds, earliest antecedents (target ≤ 1 s; seminr's ``predict_pls`` as reference);
* permutation multi-group analysis with MICOM, 1,000 permutations, ECSI split into two halves
  (odd / even rows; target ≤ 5 s; seminr has no permutation MGA, only Henseler's bootstrap MGA);
* the same two figures for the seminr PyPI port, run through ``subprocess`` with
  the interpreter of its own virtual environment (``--seminr-python``, default
  ``benchmarks/.venvs/seminr``, made by ``reference_envs``; reported when it cannot be installed).  seminr has
  no centroid scheme and always standardises, so it fits the same model with its
  defaults (path scheme, standardised items) — the work per fit is the same;
* the largest absolute deviation of every crmlab table from the R plspm reference
  files, and crmlab's path-scheme estimates against seminr's.

Prints a table and writes ``benchmarks/results/pls.json``.  Needs ``../shared/data``.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crmlab.pls import ECSI_BLOCKS, ECSI_PATHS, PLSPathModel, multigroup_analysis  # noqa: E402
from reference_envs import reference_python  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared" / "data"


def accuracy(model: PLSPathModel, ecsi_dir: Path) -> dict[str, float]:
    """Max |crmlab − R plspm| per reference table."""
    def dev(ours: pd.DataFrame, ref: pd.DataFrame) -> float:
        return float(np.abs(ours.loc[ref.index, ref.columns].to_numpy(float) - ref.to_numpy(float)).max())

    om = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)
    ef = pd.read_csv(ecsi_dir / "satisfaction.effects.csv", index_col=0)
    im = pd.read_csv(ecsi_dir / "satisfaction.inner-model.csv", index_col=0)
    isum = pd.read_csv(ecsi_dir / "satisfaction.inner-summary.csv", index_col=0)
    uni = pd.read_csv(ecsi_dir / "satisfaction_unidim.csv", index_col=0)
    xl = pd.read_csv(ecsi_dir / "satisfaction.crossloadings.csv", index_col=0)
    sc = pd.read_csv(ecsi_dir / "satisfaction.scores.csv")
    sat = model.inner_model_.query("target == 'SAT'").set_index("source")
    sat = sat[["estimate", "std_error", "t_value", "p_value"]].set_axis(im.columns, axis=1)
    return {
        "outer weights": dev(model.outer_model_, om[["weight"]]),
        "loadings": dev(model.outer_model_, om[["loading"]]),
        "communality, redundancy": dev(model.outer_model_, om[["communality", "redundancy"]]),
        "inner model (SAT: est, SE, t, p)": dev(sat, im),
        "direct/indirect/total effects": dev(model.effects_, ef[["direct", "indirect", "total"]]),
        "R², block communality, redundancy, AVE": dev(model.inner_summary_, isum.iloc[:, 1:]),
        "alpha, DG rho, eigenvalues": dev(model.unidimensionality_, uni.iloc[:, 2:]),
        "cross-loadings": dev(model.crossloadings_, xl.iloc[:, 1:]),
        "latent scores": float(np.abs(model.scores_.to_numpy() - sc.to_numpy()).max()),
        "GoF": abs(model.gof_ - 0.609741624338411),
    }


def run_seminr(python: str, shared: Path, n_fits: int, n_boot: int) -> dict | None:
    if not Path(python).exists():
        return None
    worker = Path(__file__).with_name("seminr_worker.py")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    model = json.dumps({"blocks": ECSI_BLOCKS, "paths": ECSI_PATHS})
    out = subprocess.run([python, str(worker), str(shared), str(n_fits), str(n_boot)], capture_output=True,
                         text=True, env=env, check=True, input=model)
    return json.loads(out.stdout)


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--fits", type=int, default=100)
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--seminr-python", default=None)
    args = parser.parse_args()
    ecsi_dir = args.shared / "ecsi"
    data = pd.read_csv(ecsi_dir / "satisfaction.csv", index_col=0)

    def fit():
        return PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="centroid", scaled=False).fit(data, scale=(0, 10))

    model = fit()
    times = []
    for _ in range(args.fits):
        t0 = time.perf_counter()
        fit()
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    boot = model.bootstrap(args.boot, random_state=1)
    boot_s = time.perf_counter() - t0
    predict_model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="path", scaled=True).fit(data)
    predict_model.plspredict(10, random_state=0)
    t0 = time.perf_counter()
    pred = predict_model.plspredict(10, random_state=1)
    predict_s = time.perf_counter() - t0
    halves = data.assign(half=np.where(np.arange(len(data)) % 2 == 0, "odd", "even"))
    t0 = time.perf_counter()
    mga = multigroup_analysis(model, halves, group="half", n_permutations=1000, random_state=1)
    mga_s = time.perf_counter() - t0

    result = {
        "crmlab_fit_median_ms": 1e3 * float(np.median(times)),
        "crmlab_boot_s": boot_s, "boot_n": args.boot, "boot_failed": boot.n_failed,
        "crmlab_predict_10fold_s": predict_s, "predict_predictive_power": pred.predictive_power,
        "crmlab_mga_1000_permutations_s": mga_s, "mga_failed_permutations": mga.n_failed,
        "max_abs_dev_vs_R_plspm": accuracy(model, ecsi_dir),
    }
    args.seminr_python = args.seminr_python or reference_python("seminr")
    sem = run_seminr(args.seminr_python, args.shared, args.fits, args.boot) if args.seminr_python else None
    if sem is None:
        result["seminr"] = f"not run: no interpreter at {args.seminr_python}"
    else:
        path_model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="path", scaled=True, tol=1e-14).fit(data)
        sem_paths = pd.DataFrame(sem["ecsi_paths_path_scheme"])  # rows = source, columns = target
        ours = path_model.path_coefficients_.loc[sem_paths.index, sem_paths.columns]
        sem_htmt = pd.DataFrame(sem["ecsi_htmt"]).T  # upper triangle filled
        our_htmt = model.htmt().loc[sem_htmt.index, sem_htmt.columns]
        mask = sem_htmt.notna().to_numpy()
        result["seminr"] = {
            "version": sem["seminr_version"],
            "fit_median_ms": 1e3 * sem["ecsi_fit_median_s"],
            "boot_s": sem["ecsi_boot_s"],
            "predict_10fold_s": sem["ecsi_predict_10fold_s"],
            "mobi_basic_max_abs_dev_vs_R_seminr": {k[5:]: v for k, v in sem.items() if k.startswith("mobi_")},
            "ecsi_path_scheme_paths_max_abs_dev_crmlab_vs_seminr": float(np.abs(ours - sem_paths).to_numpy().max()),
            "ecsi_htmt_max_abs_dev_crmlab_vs_seminr": float(np.abs(our_htmt.to_numpy()[mask] - sem_htmt.to_numpy()[mask]).max()),
        }
    report(result)
    out = Path(__file__).with_name("results") / "pls.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return result


def report(r: dict) -> None:
    sem = r["seminr"] if isinstance(r["seminr"], dict) else None
    print("PLS path modeling, ECSI model (250 respondents, 27 items, 6 constructs), one core")
    print(f"{'measure':<38}{'crmlab':>12}{'seminr':>12}{'ratio':>9}{'target':>10}")
    rows = [("one fit, median (ms)", r["crmlab_fit_median_ms"], sem and sem["fit_median_ms"], "<= 10"),
            (f"{r['boot_n']} bootstrap resamples (s)", r["crmlab_boot_s"], sem and sem["boot_s"], "<= 5"),
            ("PLSpredict 10-fold (s)", r["crmlab_predict_10fold_s"], sem and sem["predict_10fold_s"], "<= 1"),
            ("MGA + MICOM, 1000 permutations (s)", r["crmlab_mga_1000_permutations_s"], None, "<= 5")]
    for name, ours, theirs, target in rows:
        ratio = f"{theirs / ours:8.1f}x" if theirs else "      -"
        theirs_s = f"{theirs:12.3f}" if theirs else f"{'n/a':>12}"
        print(f"{name:<38}{ours:12.3f}{theirs_s}{ratio:>9}{target:>10}")
    print("\nmax |crmlab - R plspm| per reference table")
    for k, v in r["max_abs_dev_vs_R_plspm"].items():
        print(f"  {k:<42}{v:10.2e}")
    if sem:
        print(f"\nseminr {sem['version']}: its mobi example vs R seminr: "
              + ", ".join(f"{k} {v:.1e}" for k, v in sem["mobi_basic_max_abs_dev_vs_R_seminr"].items()))
        print(f"crmlab vs seminr, ECSI path scheme: paths {sem['ecsi_path_scheme_paths_max_abs_dev_crmlab_vs_seminr']:.1e}, "
              f"HTMT {sem['ecsi_htmt_max_abs_dev_crmlab_vs_seminr']:.1e}")
    else:
        print(f"\nseminr: {r['seminr']}")


if __name__ == "__main__":
    main()
