"""Benchmark the report runner (not part of the test suite).

Measures, on this machine with a warm environment:
1. `crmlab report` on the real notebooks with 1 and 2 workers;
2. bare papermill + nbconvert (their CLIs, one notebook after another, HTML without input)
   on the same notebooks: the runner's overhead over doing it by hand;
3. the runner on the same number of empty notebooks (fixed cost per notebook);
4. 1 vs 2 workers on equal CPU-bound notebooks (the parallel speed-up on 2 cores).

    python benchmarks/bench_report.py [--repeat 1]
Writes benchmarks/results/report.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str], cwd: Path) -> float:
    """Wall time of a command that must succeed (a failed run would look fast)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def runner(nbdir: Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed([str(BIN / "crmlab"), "report", "--notebooks-dir", str(nbdir), "--reports-dir", out, "-j", str(jobs)], ROOT)


def bare(nbdir: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        for nb in sorted(nbdir.glob("*.ipynb")):
            executed = Path(out) / nb.name
            subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-k", "python3", "--cwd", str(nbdir)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t0


def synthetic(folder: Path, n: int, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        nb = new_notebook()
        nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [new_markdown_cell(f"# nb {k}"), new_code_cell("lang: str = 'en'", metadata={"tags": ["parameters"]})]
        if body:
            nb.cells.append(new_code_cell(body))
        nbformat.write(nb, str(folder / f"nb{k}.ipynb"))
    return folder


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    real = ROOT / "notebooks"
    n = len(list(real.glob("*.ipynb")))
    best = lambda f, *a: min(f(*a) for _ in range(args.repeat))  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        empty = synthetic(Path(tmp) / "empty", n, "")
        # a fixed amount of single-threaded work per notebook (not a clock-bounded loop)
        cpu = synthetic(Path(tmp) / "cpu", 4, "import numpy as np\nrng = np.random.default_rng(0)\nfor _ in range(400):\n    np.sort(rng.random(200_000))")
        res = {
            "notebooks": n,
            "runner_real_j1_s": best(runner, real, 1),
            "runner_real_j2_s": best(runner, real, 2),
            "bare_papermill_nbconvert_real_s": best(bare, real),
            "runner_empty_j1_s": best(runner, empty, 1),
            "bare_papermill_nbconvert_empty_s": best(bare, empty),
            "runner_cpu4_j1_s": best(runner, cpu, 1),
            "runner_cpu4_j2_s": best(runner, cpu, 2),
        }
    res["overhead_vs_bare_real"] = res["runner_real_j1_s"] / res["bare_papermill_nbconvert_real_s"] - 1
    res["speedup_j2_real"] = res["runner_real_j1_s"] / res["runner_real_j2_s"]
    res["speedup_j2_cpu"] = res["runner_cpu4_j1_s"] / res["runner_cpu4_j2_s"]
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(res, indent=2))
    for k, v in res.items():
        print(f"{k:40s} {v:8.3f}" if isinstance(v, float) else f"{k:40s} {v}")


if __name__ == "__main__":
    main()
