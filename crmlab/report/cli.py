"""Command line: ``crmlab report``, ``check``, ``history``, ``prune``, ``params``, ``notebooks``, ``strip`` (also ``python -m crmlab``).

Exit status: 0 everything succeeded; 1 a notebook failed or timed out; 2 a usage or
parameter error (nothing was run); 3 an I/O or environment error (unreadable or
unwritable files, full disk, missing kernel) or an interrupted run.  Errors are one
line on stderr, starting ``crmlab: error:``; a run with a failed notebook prints one
such line naming the notebooks and the run folder, while progress goes to stdout.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from ..validation import CrmlabValueError
from ..study import StudyError, is_study, study_from_spec
from .bilingual import build_notebooks
from .history import build_history, prune_runs
from .params import declared_parameters, load_params_file, resolve_parameters
from .runner import DEFAULT_TIMEOUT_S, RunInterrupted, default_jobs, discover_notebooks, run_reports


def strip_outputs(paths: list[Path]) -> list[Path]:
    """Clear outputs and execution counts of notebooks in place; return the ones that changed."""
    changed = []
    for path in paths:
        nb = nbformat.read(str(path), as_version=4)
        dirty = False
        for cell in nb.cells:
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
                cell.outputs, cell.execution_count = [], None
                dirty = True
            if "execution" in cell.metadata or "papermill" in cell.metadata:
                cell.metadata.pop("execution", None)
                cell.metadata.pop("papermill", None)
                dirty = True
        if dirty:
            nbformat.write(nb, str(path))
            changed.append(path)
    return changed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmlab", description="crmlab workbench commands")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="render notebooks into a dated folder of reports",
                         description="Execute notebooks with papermill and write HTML reports, results JSON and a manifest "
                                     "into reports/<date>_<time>[_label]/; reports/latest points at the newest fully successful run.")
    rep.add_argument("notebooks", nargs="*", help="notebook names (stem or file name); default: all in --notebooks-dir")
    rep.add_argument("--params", metavar="FILE", help="YAML parameter file: `global:` values and `notebooks: {name: {...}}`")
    rep.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="override one parameter (NAME or NOTEBOOK:NAME; VALUE in YAML syntax); repeatable")
    rep.add_argument("-j", "--jobs", type=int, default=None, help=f"notebooks run in parallel (default {default_jobs()})")
    rep.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds allowed per notebook (default %(default)g)")
    rep.add_argument("--with-code", action="store_true", help="also write an HTML report that shows the code")
    rep.add_argument("--label", help="appended to the run folder name, e.g. the survey wave")
    rep.add_argument("--pdf", action="store_true",
                     help="also print each report to <notebook>.pdf with headless Chromium (apt-get install chromium)")
    rep.add_argument("--notebooks-dir", default="notebooks", help="default: %(default)s")
    rep.add_argument("--reports-dir", default="reports", help="default: %(default)s")
    rep.add_argument("--keep", metavar="N", help="after the run, remove the oldest runs beyond the newest N "
                                                  "(never the one reports/latest points to)")

    hist = sub.add_parser("history", help="rebuild reports/index.html, the history of every run",
                          description="List every run in the reports folder and chart each headline result over the runs.")
    hist.add_argument("--reports-dir", default="reports", help="default: %(default)s")

    prune = sub.add_parser("prune", help="remove the oldest runs beyond the newest N",
                           description="Remove the oldest finished run folders beyond the newest N, never the one "
                                       "reports/latest points to nor a run still being written; then rebuild the history page.")
    prune.add_argument("--keep", metavar="N", required=True, help="how many of the newest runs to keep (>= 1)")
    prune.add_argument("--reports-dir", default="reports", help="default: %(default)s")

    par = sub.add_parser("params", help="list the parameters each notebook declares")
    par.add_argument("notebooks", nargs="*")
    par.add_argument("--notebooks-dir", default="notebooks")

    chk = sub.add_parser("check", help="check and profile the data a parameter file describes, without running notebooks")
    chk.add_argument("params", metavar="PARAMS", help="YAML parameter file with study descriptions")
    chk.add_argument("notebooks", nargs="*", help="only these notebooks' studies")
    chk.add_argument("--notebooks-dir", default="notebooks")

    nbs = sub.add_parser("notebooks", help="write the English and Chinese notebooks from notebooks/source/")
    nbs.add_argument("--notebooks-dir", default="notebooks")
    nbs.add_argument("--check", action="store_true", help="only report notebooks that differ from a fresh build (exit 1)")

    strip = sub.add_parser("strip", help="clear outputs from notebooks before committing")
    strip.add_argument("paths", nargs="*", default=["notebooks"])
    return parser


EXIT_OK, EXIT_NOTEBOOK_FAILED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


def check_command(params_file: Path, notebooks_dir: Path, only: list[str]) -> int:
    """``crmlab check PARAMS``: check every study in the parameter file and print a short profile of its data."""
    paths = discover_notebooks(notebooks_dir, only or None)
    declared = {p.stem: declared_parameters(p) for p in paths}
    given = resolve_parameters(declared, file_params=load_params_file(params_file),
                               known={p.stem for p in discover_notebooks(notebooks_dir)})
    studies = [(stem, name, value) for stem, params in given.items() for name, value in params.items() if is_study(value)]
    if not studies:
        print(f"{params_file} describes no data (no parameter with a 'kind'); the notebooks would use their bundled data")
        return EXIT_OK
    problems = 0
    for stem, name, spec in studies:
        try:
            study = study_from_spec(spec, name=f"{stem}: {name}", base_dir=notebooks_dir)
            study.check()
            facts = study.summary()
            profile = study.profile()
        except StudyError as exc:
            print(f"✗ {exc}")
            problems += 1
            continue
        print(f"✓ {facts.pop('study')} ({facts.pop('kind')}): " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in facts.items()))
        print("  " + profile.to_string().replace("\n", "\n  "))
    return EXIT_USAGE if problems else EXIT_OK


def _fail(message: str, status: int) -> int:
    print(f"crmlab: error: {' '.join(str(message).split())}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except CrmlabValueError as exc:
        return _fail(str(exc).replace("\n  - ", "; "), EXIT_USAGE)
    except (KeyboardInterrupt, RunInterrupted) as exc:
        return _fail(f"run interrupted ({exc or 'Ctrl-C'}); nothing was published", EXIT_ENVIRONMENT)
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return _fail(f"{exc.strerror or exc}{where}", EXIT_ENVIRONMENT)


def _dispatch(args) -> int:
    if args.command == "report":
        manifest = run_reports(
            args.notebooks or None, notebooks_dir=args.notebooks_dir, reports_dir=args.reports_dir,
            params_file=args.params, overrides=[tuple(p) for p in args.parameter], jobs=args.jobs,
            timeout=args.timeout, with_code=args.with_code, label=args.label, keep=args.keep, pdf=args.pdf,
        )
        return EXIT_OK if manifest["status"] == "ok" else EXIT_NOTEBOOK_FAILED
    if args.command == "prune":
        removed = prune_runs(args.reports_dir, args.keep)
        for name in removed:
            print(f"removed {Path(args.reports_dir) / name}")
        print(f"{len(removed)} run(s) removed; history page: {build_history(args.reports_dir)}")
        return EXIT_OK
    if args.command == "history":
        print(build_history(args.reports_dir))
        return EXIT_OK
    if args.command == "params":
        for path in discover_notebooks(Path(args.notebooks_dir), args.notebooks or None):
            print(path.stem)
            for p in declared_parameters(path).values():
                print(f"  {p.name}: {p.type} = {p.default!r}" + (f"  # {p.help}" if p.help else ""))
        return 0
    if args.command == "check":
        return check_command(Path(args.params), Path(args.notebooks_dir), args.notebooks)
    if args.command == "notebooks":
        changed = build_notebooks(args.notebooks_dir, check=args.check)
        for path in changed:
            print(("out of date: " if args.check else "wrote ") + str(path))
        return EXIT_NOTEBOOK_FAILED if args.check and changed else EXIT_OK
    if args.command == "strip":
        files = []
        for raw in args.paths:
            path = Path(raw)
            files += sorted(path.glob("*.ipynb")) if path.is_dir() else [path] if path.exists() else []
        for path in strip_outputs(files):
            print(f"stripped {path}")
        return 0
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
