"""The report runner under faults: signals, concurrent runs, bad options and files (exit status, one-line errors)."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crmlab.report.cli import main as cli_main
from crmlab.report.params import parse_cli_value
from crmlab.report.runner import point_latest
from test_report_runner import make_notebook

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crmlab", *args], capture_output=True, text=True, cwd=cwd, timeout=300, **kw)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_dead(pids, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    return [p for p in pids if alive(p)]


@pytest.fixture
def sleepy(tmp_path) -> Path:
    """A notebook whose kernel writes its pid and its worker's pid to a file, then sleeps."""
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "sleepy.ipynb", f"marker: str = {str(tmp_path / 'pids.json')!r}",
                  "import json, os, time\njson.dump({'kernel': os.getpid(), 'worker': os.getppid()}, open(marker, 'w'))\n"
                  "time.sleep(600)")
    return d


def start_run(nbdir: Path, reports: Path, marker: Path) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-m", "crmlab", "report", "--notebooks-dir", str(nbdir),
                             "--reports-dir", str(reports), "--timeout", "900"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the notebook never started"
    time.sleep(0.3)
    return proc, json.loads(marker.read_text())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_stop_signals_stop_workers_and_kernels(sleepy, tmp_path, sig):
    reports = tmp_path / "reports"
    proc, pids = start_run(sleepy, reports, tmp_path / "pids.json")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, (out, err)
    assert err.strip().count("\n") == 0 and err.startswith("crmlab: error: run interrupted")
    assert wait_dead([pids["kernel"], pids["worker"]], 20) == [], "worker or kernel outlived the runner"
    assert not list(reports.glob(".incomplete-*")) and not (reports / "latest").exists()


def test_a_killed_runner_does_not_leave_worker_or_kernel_running(sleepy, tmp_path):
    reports = tmp_path / "reports"
    proc, pids = start_run(sleepy, reports, tmp_path / "pids.json")
    proc.kill()  # SIGKILL: the runner cannot clean up; the worker's watchdog must
    proc.wait()
    assert wait_dead([pids["kernel"], pids["worker"]], 30) == [], "worker or kernel kept running with no time limit"
    # the next run removes the dead run's staging folder
    assert list(reports.glob(".incomplete-*"))
    r = cli("report", "--notebooks-dir", str(sleepy), "--reports-dir", str(reports), "--timeout", "nan")
    assert r.returncode == 2
    (tmp_path / "nb2").mkdir()
    make_notebook(tmp_path / "nb2" / "quick.ipynb", "x: int = 1", "y = x")
    assert cli("report", "--notebooks-dir", str(tmp_path / "nb2"), "--reports-dir", str(reports)).returncode == 0
    assert not list(reports.glob(".incomplete-*"))


def test_latest_never_moves_backwards(tmp_path):
    reports = tmp_path / "reports"
    for run_id, started in (("new", "2026-01-02T00:00:00.000000+00:00"), ("old", "2026-01-01T00:00:00.000000+00:00")):
        (reports / run_id).mkdir(parents=True)
        (reports / run_id / "manifest.json").write_text(json.dumps({"started_utc": started}))
    assert point_latest(reports, "new", "2026-01-02T00:00:00.000000+00:00")
    assert not point_latest(reports, "old", "2026-01-01T00:00:00.000000+00:00")  # an overlapping older run finishes later
    assert os.readlink(reports / "latest") == "new"


@pytest.mark.parametrize("args, message", [
    (["--timeout", "nan"], "timeout must be a finite number of seconds > 0"),
    (["--timeout", "-1"], "timeout must be a finite number of seconds > 0"),
    (["--label", "x" * 300], "label is 300 characters long; at most 64"),
    (["--label", "../up"], "label '../up' contains ['/']"),
    (["-p", "name", "\udcff"], "not valid UTF-8"),
    (["--params", "PARAMS_BAD_YAML"], "is not valid YAML at line 2"),
    (["--params", "PARAMS_LATIN1"], "is not UTF-8 text"),
])
def test_usage_errors_are_one_line_exit_2_and_run_nothing(tmp_path, args, message):
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "good.ipynb", 'name: str = "a"', "y = 1")
    (tmp_path / "bad.yaml").write_text("global:\n  name: a: b\n")
    (tmp_path / "latin1.yaml").write_bytes("global:\n  name: Caf\xe9\n".encode("latin-1"))
    args = [a.replace("PARAMS_BAD_YAML", str(tmp_path / "bad.yaml")).replace("PARAMS_LATIN1", str(tmp_path / "latin1.yaml"))
            for a in args]
    env = dict(os.environ, PYTHONIOENCODING="utf-8:surrogateescape")
    r = cli("report", "--notebooks-dir", str(d), "--reports-dir", str(tmp_path / "reports"), *args, env=env)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("crmlab: error:") and r.stderr.strip().count("\n") == 0 and message in r.stderr, r.stderr
    assert not list((tmp_path / "reports").glob("*")) if (tmp_path / "reports").exists() else True


@pytest.mark.parametrize("names, with_code, clash", [
    (["index"], False, "'index.html'"),
    (["x", "x.code"], True, "'x.code.html'"),
])
def test_output_name_collisions_are_found_before_any_kernel(tmp_path, names, with_code, clash):
    d = tmp_path / "nbs"
    d.mkdir()
    for n in names:
        make_notebook(d / f"{n}.ipynb", "k: int = 1", "raise SystemExit('must not run')")
    r = cli("report", "--notebooks-dir", str(d), "--reports-dir", str(tmp_path / "reports"),
            *(["--with-code"] if with_code else []))
    assert r.returncode == 2 and clash in r.stderr, r.stderr


def test_environment_errors_exit_3(tmp_path, monkeypatch, capsys):
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "good.ipynb", "k: int = 1", "y = 1")
    reports = tmp_path / "reports"
    (reports / "latest").mkdir(parents=True)  # a real folder where the link belongs
    r = cli("report", "--notebooks-dir", str(d), "--reports-dir", str(reports))
    assert r.returncode == 3 and "is a real folder or file" in r.stderr and r.stderr.count("\n") == 1
    (reports / "latest").rmdir()

    # a full (or read-only) disk while the run writes its folder: exit 3, one line, nothing left behind
    real_write = Path.write_text

    def full_disk(self, *a, **kw):
        if ".incomplete-" in str(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, *a, **kw)

    monkeypatch.setattr(Path, "write_text", full_disk)
    assert cli_main(["report", "--notebooks-dir", str(d), "--reports-dir", str(reports)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("crmlab: error: No space left on device") and err.count("\n") == 1
    assert not list(reports.glob(".incomplete-*")) and not [p for p in reports.iterdir() if not p.name.startswith(".")]


def test_dangling_staging_links_are_cleaned(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "good.ipynb", "k: int = 1", "y = 1")
    reports = tmp_path / "reports"
    reports.mkdir()
    os.symlink(tmp_path / "gone", reports / ".incomplete-2020-01-01_000000")
    r = cli("report", "--notebooks-dir", str(d), "--reports-dir", str(reports))
    assert r.returncode == 0, r.stderr
    assert not list(reports.glob(".incomplete-*"))


def test_text_parameters_are_taken_verbatim_and_dates_in_lists_become_text(tmp_path):
    assert parse_cli_value("Brand #1", "str") == "Brand #1"
    assert parse_cli_value("'quoted'", "str") == "'quoted'"
    assert parse_cli_value("null", "str | None") is None and parse_cli_value("12", "int | str") == 12
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "p.ipynb", 'brand: str = "x"\nwhen: list = []',
                  "import crmlab\ncrmlab.record('brand', brand)\ncrmlab.record('when', when)")
    (tmp_path / "p.yaml").write_text("global:\n  when: [2024-01-01, 2024-02-01]\n")
    reports = tmp_path / "reports"
    r = cli("report", "--notebooks-dir", str(d), "--reports-dir", str(reports), "--params", str(tmp_path / "p.yaml"),
            "-p", "brand", "Brand #1")
    assert r.returncode == 0, r.stderr
    results = json.loads((reports / "latest" / "p.results.json").read_text())["results"]
    assert results == {"brand": "Brand #1", "when": ["2024-01-01", "2024-02-01"]}
