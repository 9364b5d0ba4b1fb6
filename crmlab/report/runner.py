"""Render notebooks into a dated run folder of reports (papermill, one process per notebook).

Layout of a run (``reports/<YYYY-MM-DD_HHMMSS>[_label]/``)::

    index.html                    overview with status, time, links
    manifest.json                 every notebook: status, duration, parameters, outputs, error
    <nb>.ipynb                    executed notebook
    <nb>.html                     report without code (for readers who don't read code)
    <nb>.code.html                report with code (``with_code=True``)
    <nb>.pdf                      the report printed by headless Chromium (``pdf=True``)
    <nb>.results.json             the key results the notebook recorded with ``crmlab.record``
    logs/<nb>.log                 the worker's output

A run happens in three steps. :func:`plan_run` checks everything that can be
checked before a kernel starts (options, notebooks, parameters, output names, the
reports folder) and creates the staging folder ``reports/.incomplete-<id>/``;
:func:`execute_plan` runs the workers; :func:`publish_run` writes the manifest and
index, renames the staging folder to its dated name and — only when the run
covered every notebook of the folder and every one succeeded — re-points
``reports/latest`` under a lock, never to an older run than the one it points at;
then it prunes old runs (``keep``) and rebuilds the history page
``reports/index.html`` (:mod:`crmlab.report.history`).
Progress lines go to stdout; warnings and the one-line failure summary of a run
with a failed notebook go to stderr.
A notebook that declares an ``interactive`` parameter (its what-if control panel) gets
``interactive = False`` unless the run sets it: reports are static.
An interrupted run (Ctrl-C, SIGTERM, SIGHUP) stops its workers and kernels and
removes its staging folder; staging folders left by a runner that was killed
outright are removed by the next run.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..validation import CrmlabValueError
from .bilingual import notebook_for_lang
from .browser import check_browser
from .history import build_history, check_keep, prune_runs, reports_lock
from .html import index_html
from .outputs import output_names, write_notebook_outputs
from ..study import StudyError, is_study, study_from_spec
from .params import Parameter, ParameterError, declared_parameters, load_params_file, resolve_parameters

DEFAULT_TIMEOUT_S = 1800.0
HEARTBEAT_S = 30.0
MAX_LABEL_LENGTH = 64
LABEL_PATTERN = re.compile(r"[\w. -]+")
RUN_LEVEL_NAMES = {"index.html", "manifest.json", "logs"}


class RunInterrupted(BaseException):
    """The runner received SIGTERM or SIGHUP (handled like Ctrl-C)."""


class ReportsFolderError(OSError):
    """The reports folder is in a state the runner will not touch (e.g. a real folder where ``latest`` belongs)."""


def default_jobs() -> int:
    """Parallel workers: one per core, at most 2 (a notebook kernel is single-threaded Python)."""
    return max(1, min(2, os.cpu_count() or 1))


def discover_notebooks(notebooks_dir: Path, names: list[str] | None = None) -> list[Path]:
    """The notebooks to run: every ``*.ipynb`` in the folder (sorted), or the ones named (stem or file name)."""
    if not notebooks_dir.is_dir():
        raise CrmlabValueError(f"notebook folder {notebooks_dir} does not exist")
    available = sorted(p for p in notebooks_dir.glob("*.ipynb") if not p.name.startswith("."))
    if not names:
        if not available:
            raise CrmlabValueError(f"no notebooks (*.ipynb) in {notebooks_dir}")
        return available
    by_name = {p.stem: p for p in available} | {p.name: p for p in available}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise CrmlabValueError(f"unknown notebook(s) {unknown}; available: {[p.stem for p in available]}")
    return list(dict.fromkeys(by_name[n] for n in names))


# =========================================================================== plan
@dataclass
class RunPlan:
    """Everything a run needs, checked before any kernel starts."""

    paths: list[Path]
    declared: dict[str, dict[str, Parameter]]
    given: dict[str, dict]
    known: set[str]
    notebooks_dir: Path
    reports_dir: Path
    run_id: str
    staging: Path
    started: dt.datetime
    jobs: int
    timeout: float
    with_code: bool
    label: str | None
    params_file: str | None
    overrides: list[tuple[str, str]] = field(default_factory=list)
    pdf: bool = False

    @property
    def complete(self) -> bool:
        return {p.stem for p in self.paths} == self.known


def check_label(label: str | None) -> str | None:
    """A run label: up to 64 letters (any script), digits, spaces, '.', '_' or '-' — it becomes part of a folder name."""
    if label is None:
        return None
    if not isinstance(label, str) or not label:
        raise CrmlabValueError(f"label must be non-empty text, got {label!r}")
    if len(label) > MAX_LABEL_LENGTH:
        raise CrmlabValueError(f"label is {len(label)} characters long; at most {MAX_LABEL_LENGTH} are allowed")
    if not LABEL_PATTERN.fullmatch(label) or not label.strip(" .-"):
        bad = sorted({ch for ch in label if not LABEL_PATTERN.fullmatch(ch)})
        raise CrmlabValueError(f"label {label!r} contains {bad}; use letters, digits, spaces, '.', '_' or '-' (e.g. wave-3)")
    return label


def check_timeout(timeout) -> float:
    """A per-notebook time limit: a finite number of seconds > 0."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise CrmlabValueError(f"timeout must be a finite number of seconds > 0, got {timeout!r}")
    return float(timeout)


def check_output_names(stems: list[str], *, with_code: bool, pdf: bool = False) -> None:
    """Raise if two notebooks (or a notebook and the run's own files) would write the same file name."""
    owner: dict[str, str] = {name: "the run itself" for name in RUN_LEVEL_NAMES}
    for stem in stems:
        for name in output_names(stem, with_code=with_code, pdf=pdf):
            if name in owner:
                raise CrmlabValueError(f"notebook {stem!r} would write {name!r}, which {owner[name]} also writes; "
                                       "rename the notebook")
            owner[name] = f"notebook {stem!r}"


def check_studies(given: dict[str, dict], notebooks_dir: Path) -> None:
    """Check every study description given to a notebook (file, columns, scales) before any kernel starts.

    A study is a parameter's value or an element of a list parameter (e.g. survey ``waves``, named ``waves[0]``).
    """
    problems = []
    for stem, params in given.items():
        for name, value in params.items():
            listed = isinstance(value, list)
            checked = []
            for where, spec in ([(f"{name}[{k}]", v) for k, v in enumerate(value)] if listed else [(name, value)]):
                if is_study(spec):
                    try:
                        study = study_from_spec(spec, name=f"{stem}: {where}", base_dir=notebooks_dir)
                        study.check()
                        if study.path is not None:
                            spec = {**spec, "path": str(study.path)}  # the kernel gets an absolute path
                    except StudyError as exc:
                        problems.append(str(exc))
                checked.append(spec)
            params[name] = checked if listed else checked[0]
    if problems:
        raise ParameterError("invalid data description, no notebook was run:\n  - " + "\n  - ".join(problems))


def _run_id(reports_dir: Path, label: str | None, now: dt.datetime) -> str:
    base = now.strftime("%Y-%m-%d_%H%M%S") + (f"_{re.sub(' +', '-', label.strip())}" if label else "")
    run_id, k = base, 1
    while (reports_dir / run_id).exists() or (reports_dir / f".incomplete-{run_id}").exists():
        k += 1
        run_id = f"{base}-{k}"
    return run_id


def _remove_stale_staging(reports_dir: Path) -> None:
    """Delete ``.incomplete-*`` entries whose runner is gone (killed outright) — dangling links included."""
    for entry in reports_dir.glob(".incomplete-*"):
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink()
            continue
        try:
            pid = int((entry / "runner.pid").read_text())
            os.kill(pid, 0)
            continue  # another run is still writing it
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            if time.time() - entry.stat().st_mtime < 3600:
                continue  # no pid file yet: a run that is just starting
        shutil.rmtree(entry, ignore_errors=True)


def plan_run(
    notebooks: list[str] | None = None,
    *,
    notebooks_dir: str | Path = "notebooks",
    reports_dir: str | Path = "reports",
    params_file: str | Path | None = None,
    overrides: list[tuple[str, str]] | None = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    with_code: bool = False,
    label: str | None = None,
    pdf: bool = False,
) -> RunPlan:
    """Check options, notebooks, parameters and output names, then create the staging folder."""
    notebooks_dir = Path(notebooks_dir).resolve()
    reports_dir = Path(reports_dir).resolve()
    jobs = default_jobs() if jobs is None else jobs
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise CrmlabValueError(f"jobs must be a whole number >= 1, got {jobs!r}")
    timeout = check_timeout(timeout)
    label = check_label(label)
    if pdf:
        check_browser()  # BrowserUnavailable (an OSError) before anything is run or written
    paths = discover_notebooks(notebooks_dir, notebooks)
    check_output_names([p.stem for p in paths], with_code=with_code, pdf=pdf)
    declared = {p.stem: declared_parameters(p) for p in paths}
    file_params = load_params_file(params_file) if params_file else None
    known = {p.stem for p in discover_notebooks(notebooks_dir)}
    given = resolve_parameters(declared, file_params=file_params, overrides=overrides, known=known)
    check_studies(given, notebooks_dir)
    for stem, params in given.items():  # reports are static: what-if panels stay off unless asked for
        if "interactive" in declared[stem] and "interactive" not in params:
            params["interactive"] = False
    latest = reports_dir / "latest"
    if latest.exists() and not latest.is_symlink():
        raise ReportsFolderError(f"{latest} is a real folder or file, not the link crmlab maintains; move it away")

    reports_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(reports_dir)
    started = dt.datetime.now().astimezone()
    while True:  # two runs started in the same second get different folders
        run_id = _run_id(reports_dir, label, started)
        staging = reports_dir / f".incomplete-{run_id}"
        try:
            staging.mkdir()
            break
        except FileExistsError:
            continue
    try:
        (staging / "runner.pid").write_text(str(os.getpid()))
        (staging / "logs").mkdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RunPlan(paths=paths, declared=declared, given=given, known=known, notebooks_dir=notebooks_dir,
                   reports_dir=reports_dir, run_id=run_id, staging=staging, started=started, jobs=jobs,
                   timeout=timeout, with_code=with_code, label=label,
                   params_file=str(params_file) if params_file else None, overrides=[tuple(o) for o in overrides or []],
                   pdf=pdf)


# =========================================================================== execute
def _stop(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Stop a worker: SIGTERM lets papermill shut its kernel down; SIGKILL the group after ``grace_s``."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _finish(job: dict, proc: subprocess.Popen, *, timed_out: bool, timeout: float) -> dict:
    """The manifest entry of a finished worker; one notebook's bookkeeping never stops the run."""
    status_file = Path(job["status_file"])
    if timed_out:
        status, error = "timeout", {"ename": "Timeout", "evalue": f"notebook exceeded {timeout:g} s",
                                    "summary": f"Timeout: notebook exceeded the {timeout:g} s limit and was stopped"}
    elif status_file.exists():
        return json.loads(status_file.read_text(encoding="utf-8"))
    else:
        status, error = "failed", {"ename": "WorkerDied", "evalue": f"exit code {proc.returncode}",
                                   "summary": f"the notebook's worker process died (exit code {proc.returncode}); "
                                              f"see logs/{job['name']}.log"}
    try:
        return write_notebook_outputs(job, status=status, error=error, duration_s=0.0)
    except Exception as exc:  # noqa: BLE001 - report it in the manifest rather than lose the run
        error = {**error, "summary": f"{error['summary']}; its report could not be written ({type(exc).__name__}: {exc})"}
        return {"name": job["name"], "status": status, "duration_s": 0.0, "parameters": job["given_parameters"],
                "effective_parameters": job["effective_parameters"], "outputs": {}, "error": error}


def _jobs(plan: RunPlan) -> list[tuple[dict, Path]]:
    specs = []
    for p in plan.paths:
        effective = {name: param.default for name, param in plan.declared[p.stem].items()} | plan.given[p.stem]
        job = {
            "name": p.stem, "run_id": plan.run_id, "input": str(notebook_for_lang(p, effective.get("lang"))),
            "cwd": str(plan.notebooks_dir),
            "executed": str(plan.staging / p.name), "out_dir": str(plan.staging), "with_code": plan.with_code,
            "pdf": plan.pdf,
            "parameters": plan.given[p.stem], "given_parameters": plan.given[p.stem], "effective_parameters": effective,
            "status_file": str(plan.staging / "logs" / f"{p.stem}.status.json"),
            "runner_pid": os.getpid(), "deadline_s": plan.timeout,
        }
        job_file = plan.staging / "logs" / f"{p.stem}.job.json"
        job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        specs.append((job, job_file))
    return specs


@contextlib.contextmanager
def _stop_signals_raise():
    """Within the block SIGTERM and SIGHUP raise :class:`RunInterrupted` and SIGINT raises KeyboardInterrupt — even
    when the runner was started with SIGINT ignored (a background job of a non-interactive shell)."""
    def handler(signum, frame):
        raise RunInterrupted(f"signal {signal.Signals(signum).name}")

    previous = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, handler)
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def execute_plan(plan: RunPlan, say) -> dict[str, dict]:
    """Run every notebook of the plan in worker processes (``plan.jobs`` at a time); return manifest entries by name."""
    env = os.environ.copy()
    if plan.jobs > 1:
        threads = str(max(1, (os.cpu_count() or 1) // plan.jobs))
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, threads)
    t0 = time.monotonic()
    last_heartbeat = t0
    pending = _jobs(plan)
    total = len(pending)
    running: dict[str, tuple[subprocess.Popen, float, dict, TextIO]] = {}
    entries: dict[str, dict] = {}
    try:
        while pending or running:
            while pending and len(running) < plan.jobs:
                job, job_file = pending.pop(0)
                log = open(plan.staging / "logs" / f"{job['name']}.log", "w", encoding="utf-8")
                proc = subprocess.Popen(
                    [sys.executable, "-m", "crmlab.report.worker", str(job_file)],
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env,
                )
                running[job["name"]] = (proc, time.monotonic(), job, log)
                say(f"[crmlab]   start  {job['name']}")
            time.sleep(0.05)
            now = time.monotonic()
            if now - last_heartbeat >= HEARTBEAT_S and running:
                last_heartbeat = now
                busy = ", ".join(f"{n} ({now - b:.0f} s)" for n, (_, b, _, _) in running.items())
                say(f"[crmlab]   running: {busy}; {len(entries)}/{total} done, elapsed {now - t0:.0f} s")
            for name, (proc, began, job, log) in list(running.items()):
                if proc.poll() is None and time.monotonic() - began <= plan.timeout:
                    continue
                timed_out = proc.poll() is None
                if timed_out:
                    _stop(proc)
                entry = _finish(job, proc, timed_out=timed_out, timeout=plan.timeout)
                entry["duration_s"] = round(time.monotonic() - began, 3)  # wall time, worker start to exit
                log.close()
                del running[name]
                entries[name] = entry
                entry["outputs"]["log"] = f"logs/{name}.log"
                mark = "ok    " if entry["status"] == "ok" else entry["status"].upper().ljust(6)
                extra = f"  {entry['error']['summary']}" if entry.get("error") else ""
                say(f"[crmlab] [{len(entries)}/{total}] {mark} {name}  {entry['duration_s']:.1f} s "
                    f"(elapsed {time.monotonic() - t0:.1f} s){extra}")
    finally:
        for proc, _, _, _ in running.values():
            if proc.poll() is None:
                proc.terminate()
        for proc, _, _, log in running.values():
            _stop(proc)
            log.close()
    return entries


# =========================================================================== publish
def _started_of(run_dir: Path) -> str | None:
    try:
        return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["started_utc"]
    except (OSError, ValueError, KeyError):
        return None


def point_latest(reports_dir: Path, run_id: str, started_utc: str) -> bool:
    """Point ``reports/latest`` at ``run_id`` unless it already points at a run that started later (under a lock).

    A run folder that is gone by then (pruned by a concurrent ``crmlab prune``) is not pointed at.
    """
    link = reports_dir / "latest"
    with reports_lock(reports_dir):
        if not (reports_dir / run_id / "manifest.json").is_file():
            return False
        if link.is_symlink():
            current = _started_of(reports_dir / os.readlink(link))
            if current is not None and current > started_utc:
                return False
        tmp = reports_dir / f".latest-{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(run_id, tmp)
        os.replace(tmp, link)
    return True


def failure_summary(manifest: dict) -> str:
    """One line for stderr naming the notebooks that did not succeed and the run folder (empty for a good run)."""
    bad = [e for e in manifest["notebooks"] if e["status"] != "ok"]
    if not bad:
        return ""
    which = ", ".join(f"{e['name']} ({e['status']}{': ' + e['error']['ename'] if e.get('error') else ''})" for e in bad)
    return (f"crmlab: error: {len(bad)} of {len(manifest['notebooks'])} notebook(s) did not succeed: {which}; "
            f"reports in {manifest['path']}")


def _after_publish(reports_dir: Path, keep: int | None, say, warn) -> None:
    """Prune old runs (``keep``) and rebuild the history page; a failure is one warning line, never a failed run."""
    if keep is not None:
        try:
            removed = prune_runs(reports_dir, keep)
            if removed:
                say(f"[crmlab] removed {len(removed)} old run(s) beyond the newest {keep}: {', '.join(removed)}")
        except Exception as exc:  # noqa: BLE001 - the run is published; report, don't fail it
            warn(f"crmlab: warning: old runs were not pruned ({type(exc).__name__}: {' '.join(str(exc).split())})")
    try:
        say(f"[crmlab] history of all runs: {build_history(reports_dir)}")
    except Exception as exc:  # noqa: BLE001 - the run is published; report, don't fail it
        warn(f"crmlab: warning: the history page {reports_dir / 'index.html'} was not rebuilt "
             f"({type(exc).__name__}: {' '.join(str(exc).split())})")


def publish_run(plan: RunPlan, entries: dict[str, dict], duration_s: float, say, *,
                keep: int | None = None, warn=None) -> dict:
    """Write manifest and index, move the staging folder to its dated name, re-point ``latest``; return the manifest.

    Then remove the oldest runs beyond the newest ``keep`` (if given) and rebuild the
    history page ``reports/index.html``; their failures go to ``warn`` (one line each)
    and do not fail the run.
    """
    warn = warn or say
    finished = dt.datetime.now().astimezone()
    ordered = [entries[p.stem] for p in plan.paths]
    n_ok = sum(e["status"] == "ok" for e in ordered)
    manifest = {
        "run_id": plan.run_id,
        "label": plan.label,
        "status": "ok" if n_ok == len(ordered) else "failed",
        "started": plan.started.isoformat(timespec="seconds"),
        "started_utc": plan.started.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round(duration_s, 3),
        "jobs": plan.jobs,
        "timeout_s": plan.timeout,
        "with_code": plan.with_code,
        "params_file": plan.params_file,
        "overrides": [list(o) for o in plan.overrides],
        "crmlab_version": __version__,
        "python": sys.version.split()[0],
        "n_ok": n_ok,
        "complete": plan.complete,
        "notebooks": ordered,
    }
    (plan.staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    (plan.staging / "index.html").write_text(index_html(manifest), encoding="utf-8")
    (plan.staging / "runner.pid").unlink()
    final = plan.reports_dir / plan.run_id
    os.replace(plan.staging, final)
    manifest["path"] = str(final)
    moved = manifest["status"] == "ok" and plan.complete and point_latest(plan.reports_dir, plan.run_id,
                                                                          manifest["started_utc"])
    say(f"[crmlab] {n_ok}/{len(ordered)} notebook(s) succeeded in {manifest['duration_s']:.1f} s -> {final}")
    for e in ordered:
        if e["status"] != "ok":
            say(f"[crmlab]   {e['status'].upper()}: {e['name']}: {e['error']['summary']}  (report: {final / e['outputs']['report']})")
    if manifest["status"] != "ok":
        say("[crmlab] reports/latest was NOT updated (a notebook failed)")
    elif not plan.complete:
        say(f"[crmlab] reports/latest was not updated: this run covered {len(plan.paths)} of the {len(plan.known)} notebooks")
    elif not moved:
        say("[crmlab] reports/latest was not updated: it already points at a run that started later")
    _after_publish(plan.reports_dir, keep, say, warn)
    return manifest


# =========================================================================== the whole run
def run_reports(
    notebooks: list[str] | None = None,
    *,
    notebooks_dir: str | Path = "notebooks",
    reports_dir: str | Path = "reports",
    params_file: str | Path | None = None,
    overrides: list[tuple[str, str]] | None = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    with_code: bool = False,
    label: str | None = None,
    keep: int | str | None = None,
    stream: TextIO | None = None,
    errors: TextIO | None = None,
    pdf: bool = False,
) -> dict:
    """Execute notebooks with papermill into a new dated run folder and return the run manifest.

    Parameters are checked against every notebook's declared ``parameters`` cell
    before any kernel starts (:class:`~crmlab.report.params.ParameterError`).
    A failing notebook does not stop the others; the manifest's ``status`` is
    ``"ok"`` only if all succeeded.  ``timeout`` is per notebook, in seconds.
    ``keep``: after publishing, remove the oldest runs beyond the newest ``keep``
    (:func:`~crmlab.report.history.prune_runs`).  Progress goes to ``stream``
    (stdout); warnings and, for a run with a failed notebook, one failure summary
    line (:func:`failure_summary`) go to ``errors`` (stderr).  ``pdf=True`` also prints each
    report to ``<nb>.pdf`` with headless Chromium (checked for before any kernel starts).
    """
    stream = stream or sys.stdout
    keep = None if keep is None else check_keep(keep)

    def say(msg: str) -> None:
        print(msg, file=stream, flush=True)

    def warn(msg: str) -> None:
        print(msg, file=errors or sys.stderr, flush=True)

    plan = plan_run(notebooks, notebooks_dir=notebooks_dir, reports_dir=reports_dir, params_file=params_file,
                    overrides=overrides, jobs=jobs, timeout=timeout, with_code=with_code, label=label, pdf=pdf)
    t0 = time.monotonic()
    try:
        with _stop_signals_raise():
            say(f"[crmlab] run {plan.run_id}: {len(plan.paths)} notebook(s), {plan.jobs} worker(s), "
                f"timeout {plan.timeout:g} s per notebook")
            entries = execute_plan(plan, say)
            manifest = publish_run(plan, entries, time.monotonic() - t0, say, keep=keep, warn=warn)
    except BaseException as exc:
        shutil.rmtree(plan.staging, ignore_errors=True)
        if isinstance(exc, (KeyboardInterrupt, RunInterrupted)):
            with contextlib.suppress(Exception):
                say(f"[crmlab] run interrupted ({exc or 'Ctrl-C'}); workers stopped, nothing published, latest unchanged")
        raise
    if manifest["status"] != "ok":
        warn(failure_summary(manifest))
    return manifest
