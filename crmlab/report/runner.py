"""Render notebooks into a dated run folder of reports (papermill, one process per notebook).

Layout of a run (``reports/<YYYY-MM-DD_HHMMSS>[_label]/``)::

    index.html                    overview with status, time, links
    manifest.json                 every notebook: status, duration, parameters, outputs, error
    <nb>.ipynb                    executed notebook
    <nb>.html                     report without code (for readers who don't read code)
    <nb>.code.html                report with code (``with_code=True``)
    <nb>.results.json             the key results the notebook recorded with ``crmlab.record``
    logs/<nb>.log                 the worker's output

The run is written under ``reports/.incomplete-<id>/`` and renamed when it
finishes, so a run that dies midway leaves no half-written dated folder;
``reports/latest`` is re-pointed only when the run covered every notebook of the
folder and every one succeeded.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..validation import CrmlabValueError
from .html import index_html
from .outputs import write_notebook_outputs
from .params import declared_parameters, load_params_file, resolve_parameters

DEFAULT_TIMEOUT_S = 1800.0
HEARTBEAT_S = 30.0


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


def _run_id(reports_dir: Path, label: str | None, now: dt.datetime) -> str:
    base = now.strftime("%Y-%m-%d_%H%M%S")
    if label:
        slug = re.sub(r"[^\w.-]+", "-", label, flags=re.UNICODE).strip("-")
        if not slug:
            raise CrmlabValueError(f"label {label!r} has no usable characters for a folder name")
        base = f"{base}_{slug}"
    run_id, k = base, 1
    while (reports_dir / run_id).exists() or (reports_dir / f".incomplete-{run_id}").exists():
        k += 1
        run_id = f"{base}-{k}"
    return run_id


def _point_latest(reports_dir: Path, run_id: str) -> None:
    tmp = reports_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(run_id, tmp)
    os.replace(tmp, reports_dir / "latest")


def _stop(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Stop a worker: SIGTERM lets papermill shut its kernel down; SIGKILL the group after ``grace_s``."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
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
    stream: TextIO | None = None,
) -> dict:
    """Execute notebooks with papermill into a new dated run folder and return the run manifest.

    Parameters are checked against every notebook's declared ``parameters`` cell
    before any kernel starts (:class:`~crmlab.report.params.ParameterError`).
    A failing notebook does not stop the others; the manifest's ``status`` is
    ``"ok"`` only if all succeeded.  ``timeout`` is per notebook, in seconds.
    """
    stream = stream or sys.stdout
    notebooks_dir = Path(notebooks_dir).resolve()
    reports_dir = Path(reports_dir).resolve()
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise CrmlabValueError(f"jobs must be >= 1, got {jobs}")
    if not timeout or timeout <= 0:
        raise CrmlabValueError(f"timeout must be a positive number of seconds, got {timeout!r}")

    paths = discover_notebooks(notebooks_dir, notebooks)
    declared = {p.stem: declared_parameters(p) for p in paths}
    file_params = load_params_file(params_file) if params_file else None
    known = {p.stem for p in discover_notebooks(notebooks_dir)}
    given = resolve_parameters(declared, file_params=file_params, overrides=overrides, known=known)

    reports_dir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().astimezone()
    while True:  # two runs started in the same second get different folders
        run_id = _run_id(reports_dir, label, started)
        staging = reports_dir / f".incomplete-{run_id}"
        try:
            staging.mkdir()
            break
        except FileExistsError:
            continue
    (staging / "logs").mkdir()

    def say(msg: str) -> None:
        print(msg, file=stream, flush=True)

    t0 = time.monotonic()
    say(f"[crmlab] run {run_id}: {len(paths)} notebook(s), {jobs} worker(s), timeout {timeout:g} s per notebook")
    job_specs = []
    for p in paths:
        effective = {name: param.default for name, param in declared[p.stem].items()} | given[p.stem]
        job = {
            "name": p.stem, "run_id": run_id, "input": str(p), "cwd": str(notebooks_dir),
            "executed": str(staging / p.name), "out_dir": str(staging), "with_code": with_code,
            "parameters": given[p.stem], "given_parameters": given[p.stem], "effective_parameters": effective,
            "status_file": str(staging / "logs" / f"{p.stem}.status.json"),
        }
        job_file = staging / "logs" / f"{p.stem}.job.json"
        job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        job_specs.append((job, job_file))

    env = os.environ.copy()
    if jobs > 1:
        threads = str(max(1, (os.cpu_count() or 1) // jobs))
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, threads)

    last_heartbeat = time.monotonic()
    pending = list(job_specs)
    running: dict[str, tuple[subprocess.Popen, float, dict, TextIO]] = {}
    entries: dict[str, dict] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                job, job_file = pending.pop(0)
                log = open(staging / "logs" / f"{job['name']}.log", "w", encoding="utf-8")
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
                say(f"[crmlab]   running: {busy}; {len(entries)}/{len(paths)} done, elapsed {now - t0:.0f} s")
            for name, (proc, began, job, log) in list(running.items()):
                elapsed_nb = time.monotonic() - began
                if proc.poll() is None and elapsed_nb <= timeout:
                    continue
                timed_out = proc.poll() is None
                if timed_out:
                    _stop(proc)
                entry = _finish(job, proc, timed_out=timed_out, timeout=timeout)
                entry["duration_s"] = round(time.monotonic() - began, 3)  # wall time, worker start to exit
                log.close()
                del running[name]
                entries[name] = entry
                entry["outputs"]["log"] = f"logs/{name}.log"
                mark = "ok    " if entry["status"] == "ok" else entry["status"].upper().ljust(6)
                extra = f"  {entry['error']['summary']}" if entry.get("error") else ""
                say(f"[crmlab] [{len(entries)}/{len(paths)}] {mark} {name}  {entry['duration_s']:.1f} s "
                    f"(elapsed {time.monotonic() - t0:.1f} s){extra}")
    except BaseException:
        for proc, _, _, _ in running.values():
            if proc.poll() is None:
                proc.terminate()
        for proc, _, _, log in running.values():
            _stop(proc)
            log.close()
        say(f"[crmlab] run interrupted; partial output left in {staging} (latest unchanged; delete that folder when done with it)")
        raise

    finished = dt.datetime.now().astimezone()
    ordered = [entries[p.stem] for p in paths]
    n_ok = sum(e["status"] == "ok" for e in ordered)
    manifest = {
        "run_id": run_id,
        "label": label,
        "status": "ok" if n_ok == len(ordered) else "failed",
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round(time.monotonic() - t0, 3),
        "jobs": jobs,
        "timeout_s": timeout,
        "with_code": with_code,
        "params_file": str(params_file) if params_file else None,
        "overrides": [list(o) for o in overrides or []],
        "crmlab_version": __version__,
        "python": sys.version.split()[0],
        "n_ok": n_ok,
        "complete": {p.stem for p in paths} == known,
        "notebooks": ordered,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    (staging / "index.html").write_text(index_html(manifest), encoding="utf-8")
    final = reports_dir / run_id
    os.replace(staging, final)
    manifest["path"] = str(final)
    if manifest["status"] == "ok" and manifest["complete"]:
        _point_latest(reports_dir, run_id)
    say(f"[crmlab] {n_ok}/{len(ordered)} notebook(s) succeeded in {manifest['duration_s']:.1f} s -> {final}")
    for e in ordered:
        if e["status"] != "ok":
            say(f"[crmlab]   {e['status'].upper()}: {e['name']}: {e['error']['summary']}  (report: {final / e['outputs']['report']})")
    if manifest["status"] != "ok":
        say("[crmlab] reports/latest was NOT updated (a notebook failed)")
    elif not manifest["complete"]:
        say(f"[crmlab] reports/latest was not updated: this run covered {len(paths)} of the {len(known)} notebooks")
    return manifest
