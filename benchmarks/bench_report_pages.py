"""Page weight and render time of the HTML reports (not part of the test suite).

For each checkout, renders every notebook with ``crmlab report -j 2`` in English and in Chinese
(``-p lang zh``), timing each run (wall clock, command start to exit), and records the size in
bytes of every HTML page it wrote.  Checkouts run alternately, ``--repeat`` times, so the load
on this shared machine hits them alike; times are medians.  With ``--pdf`` this checkout also
renders once more in English with ``--pdf`` (the cost of printing every report).  CPU time (user +
system of the runner, its workers and their kernels) is recorded beside wall time: on a machine
shared with other jobs it is the steadier measure of the work done.

    python benchmarks/bench_report_pages.py [--repeat 2] [--compare main=/path/to/other/checkout] [--pdf]

A compared checkout runs through its ``.venv`` (which may be a link to another checkout's, with the
dependencies it needs) with its own code first on ``PYTHONPATH``, on its own notebooks.
Writes benchmarks/results/report_pages.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGS = {"en": [], "zh": ["-p", "lang", "zh"]}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def render(checkout: Path, crmlab: Path, extra: list[str]) -> tuple[float, float, dict[str, int]]:
    """Wall time and CPU time (runner, workers and kernels) of one `crmlab report` run of every notebook,
    and the size of each HTML page it wrote."""
    with tempfile.TemporaryDirectory() as out:
        t0, c0 = time.perf_counter(), _children_cpu()
        subprocess.run([str(crmlab), "report", "--notebooks-dir", str(checkout / "notebooks"), "--reports-dir", out,
                        "-j", "2", *extra], cwd=checkout, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(checkout)})  # its own code, even through a shared .venv
        seconds, cpu = time.perf_counter() - t0, _children_cpu() - c0
        (run,) = [p for p in Path(out).iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
        return seconds, cpu, {p.name: p.stat().st_size for p in sorted(run.glob("*.html"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=PATH",
                        help="another checkout with its own .venv, e.g. main=/work/main")
    parser.add_argument("--pdf", action="store_true", help="also time one English run with --pdf")
    args, _ = parser.parse_known_args(argv)
    checkouts = {"this": ROOT} | {n: Path(p).resolve() for n, p in (c.split("=", 1) for c in args.compare)}
    times = {name: {lang: [] for lang in LANGS} for name in checkouts}
    cpu = {name: {lang: [] for lang in LANGS} for name in checkouts}
    pages = {name: {} for name in checkouts}
    for k in range(args.repeat):
        for name, checkout in checkouts.items():
            for lang, extra in LANGS.items():
                seconds, cpu_s, sizes = render(checkout, checkout / ".venv" / "bin" / "crmlab", extra)
                times[name][lang].append(round(seconds, 2))
                cpu[name][lang].append(round(cpu_s, 2))
                pages[name][lang] = sizes
                print(f"[{k + 1}/{args.repeat}] {name} {lang}: {seconds:.1f} s wall, {cpu_s:.1f} s CPU, "
                      f"pages {min(sizes.values()) / 1e6:.2f}-{max(sizes.values()) / 1e6:.2f} MB", flush=True)
    result = {"repeat": args.repeat, "checkouts": {n: str(p) for n, p in checkouts.items()}, "runs_s": times,
              "median_s": {n: {lang: statistics.median(v) for lang, v in t.items()} for n, t in times.items()},
              "both_languages_s": {n: round(sum(statistics.median(v) for v in t.values()), 2) for n, t in times.items()},
              "cpu_s": cpu,
              "both_languages_cpu_s": {n: round(sum(statistics.median(v) for v in t.values()), 2) for n, t in cpu.items()},
              "page_bytes": pages}
    if args.pdf:
        seconds, cpu_s, _ = render(ROOT, ROOT / ".venv" / "bin" / "crmlab", ["--pdf"])
        result["en_with_pdf_s"], result["en_with_pdf_cpu_s"] = round(seconds, 2), round(cpu_s, 2)
    print(f"\n{'page':32}" + "".join(f"{f'{n} {lang}':>14}" for n in checkouts for lang in LANGS))
    for page in sorted(pages["this"]["en"]):
        print(f"{page:32}" + "".join(f"{pages[n][lang].get(page, 0):>14,}" for n in checkouts for lang in LANGS))
    print("render both languages (median s): wall " + ", ".join(f"{n} {s}" for n, s in result["both_languages_s"].items())
          + "; CPU " + ", ".join(f"{n} {s}" for n, s in result["both_languages_cpu_s"].items()))
    if "en_with_pdf_s" in result:
        print(f"English with --pdf: {result['en_with_pdf_s']} s wall, {result['en_with_pdf_cpu_s']} s CPU")
    out = ROOT / "benchmarks" / "results" / "report_pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
