"""Execute one notebook with papermill and write its reports (run as a subprocess by the runner).

``python -m crmlab.report.worker JOB.json`` — one process per notebook, so the
runner can run several in parallel and enforce a per-notebook time limit by
killing the process.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from .outputs import write_notebook_outputs


# Reports show whole tables: pandas' display limits (50 characters per cell, 20 columns) would cut
# text and columns with "..." that no reader of a report can expand.  Set in the kernel at start-up,
# without adding any name to the notebook's namespace.
REPORT_KERNEL_ARGS = ["--IPKernelApp.exec_lines=__import__('pandas').set_option("
                      "'display.max_colwidth', None, 'display.max_columns', None)"]


class Stopped(BaseException):
    """Raised in the worker when the runner asks it to stop (timeout or interrupt)."""


def _stop(signum, frame):
    raise Stopped(f"signal {signum}")


def execute(job: dict) -> dict:
    """Execute the job's notebook (kernel ``python3``, cwd = notebooks folder) and write its outputs."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.monotonic()
    error = None
    try:
        papermill.execute_notebook(
            job["input"],
            job["executed"],
            parameters=job["parameters"],
            kernel_name="python3",
            cwd=job["cwd"],
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=True,
            extra_arguments=REPORT_KERNEL_ARGS,
        )
        status = "ok"
    except PapermillExecutionError as exc:
        status = "failed"
        error = {
            "ename": exc.ename,
            "evalue": exc.evalue,
            "cell_index": exc.cell_index,
            "execution_count": exc.exec_count,
            "summary": f"{exc.ename}: {exc.evalue} (cell In [{exc.exec_count}])",
        }
    except Exception as exc:  # kernel could not start, notebook unreadable, ...
        status = "failed"
        error = {"ename": type(exc).__name__, "evalue": str(exc), "summary": f"{type(exc).__name__}: {exc}",
                 "traceback": traceback.format_exc()}
    duration = time.monotonic() - start
    return write_notebook_outputs(job, status=status, error=error, duration_s=duration)


def _watchdog(runner_pid: int, deadline_s: float, grace_s: float = 30.0) -> None:
    """Stop this worker (as the runner would, with SIGTERM) if the runner dies or the time limit plus a grace passes.

    The runner normally enforces the time limit; this covers a runner killed outright
    (SIGKILL), which would otherwise leave the worker and its kernel running with no limit.
    """
    end = time.monotonic() + deadline_s + grace_s
    while True:
        time.sleep(1.0)
        if os.getppid() != runner_pid or time.monotonic() > end:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def main(argv: list[str] | None = None) -> int:
    # SIGTERM from the runner unwinds papermill, whose kernel manager then shuts the
    # kernel down (the kernel runs in its own session, out of reach of a group kill).
    signal.signal(signal.SIGTERM, _stop)
    argv = sys.argv[1:] if argv is None else argv
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    if "runner_pid" in job:
        threading.Thread(target=_watchdog, args=(job["runner_pid"], job["deadline_s"]), daemon=True).start()
    try:
        entry = execute(job)
    except Stopped:
        return 3  # the runner writes this notebook's outputs
    Path(job["status_file"]).write_text(json.dumps(entry, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
