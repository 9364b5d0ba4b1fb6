"""Runs over time: the history page, headline results, run retention, and the documented cron line.

Most tests build run folders directly (manifest.json + results JSON, the layout the
runner writes); real rendering is used only where the behaviour needs a kernel.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from crmlab.report import history
from crmlab.report.cli import main as cli_main
from crmlab.report.history import build_history, check_keep, headline_series, prune_runs, scan_runs
from crmlab.report.results import RESULT_MIME, read_headlines, read_results, record
from crmlab.report.runner import failure_summary, plan_run, point_latest, publish_run, run_reports
from crmlab.validation import CrmlabValueError
from test_report_runner import add_failing, make_notebook

ROOT = Path(__file__).resolve().parents[1]
T0 = dt.datetime(2026, 1, 5, 6, 0, tzinfo=dt.timezone.utc)


def fake_run(reports: Path, day: int, results: dict[str, dict], *, label: str | None = None,
             failed: tuple[str, ...] = (), headline: dict[str, list] | None = None) -> str:
    """Write a run folder as publish_run leaves it: manifest.json, index.html and one results JSON per notebook."""
    started = T0 + dt.timedelta(days=day)
    run_id = started.strftime("%Y-%m-%d_%H%M%S") + (f"_{label}" if label else "")
    folder = reports / run_id
    folder.mkdir(parents=True)
    entries = []
    for nb, values in results.items():
        status = "failed" if nb in failed else "ok"
        payload = {"notebook": nb, "status": status, "parameters": {}, "results": values, "error": None}
        if headline and nb in headline:
            payload["headline"] = headline[nb]
        (folder / f"{nb}.results.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        entries.append({"name": nb, "status": status, "duration_s": 1.0, "parameters": {},
                        "outputs": {"report": f"{nb}.html", "results": f"{nb}.results.json"},
                        "error": {"ename": "ValueError", "summary": "boom"} if status != "ok" else None})
    manifest = {"run_id": run_id, "label": label, "status": "failed" if failed else "ok",
                "started": started.isoformat(timespec="seconds"), "started_utc": started.isoformat(timespec="microseconds"),
                "complete": True, "notebooks": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (folder / "index.html").write_text("<html></html>")
    return run_id


def waves(reports: Path, values=(71.0, 74.5, 73.0)) -> list[str]:
    return [fake_run(reports, k, {"sat": {"csi_100": v, "n_respondents": 250 + k, "note": "text"}}, label=f"wave-{k + 1}")
            for k, v in enumerate(values)]


def chart(page: str, title: str) -> str:
    m = re.search(r'<figure class="chart"><figcaption><b>' + re.escape(title) + r"</b>.*?</figure>", page, re.DOTALL)
    assert m, f"no chart {title!r}"
    return m.group(0)


# =========================================================================== the history page
def test_history_lists_runs_newest_first_with_links_and_one_chart_per_headline(tmp_path):
    reports = tmp_path / "reports"
    ids = waves(reports)
    os.symlink(ids[1], reports / "latest")
    page = build_history(reports).read_text(encoding="utf-8")
    listed = re.findall(r'<tr><td><a href="([^"]+)/index.html">', page)
    assert listed == ids[::-1]  # newest first
    for run_id in ids:
        assert f'href="{run_id}/sat.html"' in page
    assert re.search(re.escape(ids[1]) + r'</a> <span class="latest">latest</span>', page)
    # the automatic rule charts the two numbers, not the text; x = the runs oldest first, named by label
    assert page.count('<figure class="chart">') == 2
    csi = chart(page, "csi_100")
    assert re.findall(r"<title>([^<]+)</title>", csi) == ["wave-1: 71", "wave-2: 74.5", "wave-3: 73"]
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', csi)]
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards: the highest value is drawn highest
    assert "latest 73" in csi
    assert "csi_100 = 73" in page  # the runs table shows the headline values
    # offline: no script, nothing loaded from the network
    assert "<script" not in page and not re.search(r'(?:src|href)="https?:', page)


def test_marked_headlines_replace_the_automatic_rule_and_tables_chart_per_label(tmp_path):
    reports = tmp_path / "reports"
    values = {"csi_100": 70.0, "pls_gof": 0.61, "index": {"Image": 66.1, "Loyalty": 58.2}, "flag": True}
    fake_run(reports, 0, {"sat": values}, headline={"sat": ["index", "pls_gof"]})
    fake_run(reports, 1, {"sat": {**values, "pls_gof": 0.63}, "clv": {"total": 1.5e6}}, failed=("clv",),
             headline={"sat": ["index", "pls_gof"]})
    page = build_history(reports).read_text(encoding="utf-8")
    titles = re.findall(r'<figure class="chart"><figcaption><b>([^<]+)</b>', page)
    assert titles == ["index [Image]", "index [Loyalty]", "pls_gof"]  # marked ones only; the failed notebook charts nothing
    assert headline_series({"results": values}) == {"csi_100": 70.0, "pls_gof": 0.61}  # no mark: the numbers (not bools)
    many = {f"r{k}": float(k) for k in range(10)}
    assert list(headline_series({"results": many, "headline": []})) == [f"r{k}" for k in range(history.MAX_AUTO_HEADLINES)]


def test_missing_and_unreadable_manifests_are_listed_not_fatal(tmp_path):
    reports = tmp_path / "reports"
    good = waves(reports, values=(1.0,))[0]
    (reports / "2026-02-01_060000_wave-9").mkdir()  # a run folder whose manifest is gone
    (reports / "2026-02-02_060000").mkdir()
    (reports / "2026-02-02_060000" / "manifest.json").write_text("{not json")
    (reports / "2026-02-03_060000").mkdir()
    (reports / "2026-02-03_060000" / "manifest.json").write_bytes(b"\xff\xfe")
    (reports / "archive").mkdir()  # not a run folder: not listed
    (reports / good / "sat.results.json").write_text("[]")  # results of a run unreadable
    page = build_history(reports).read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td><a href=\"([^\"/]+)/", page)
    assert rows == ["2026-02-03_060000", "2026-02-02_060000", "2026-02-01_060000_wave-9", good]
    assert "manifest missing" in page and "manifest unreadable (JSONDecodeError" in page
    assert "manifest unreadable (UnicodeDecodeError" in page and "results unreadable" in page
    assert "archive" not in page


def test_chinese_labels_and_names_carry_their_glyphs(tmp_path):
    from fontTools.ttLib import TTFont

    reports = tmp_path / "reports"
    for k, v in enumerate((70.0, 72.0)):
        fake_run(reports, k, {"满意度": {"顾客满意度指数": v}}, label=f"第{k + 1}波")
    page = build_history(reports).read_text(encoding="utf-8")
    m = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    assert m, "no embedded CJK font"
    cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap()
    assert all(ord(ch) in cmap for ch in "满意度顾客指数第波")
    assert "<title>第1波: 70</title>" in page


def test_the_font_subset_is_cached_while_the_characters_stay_the_same(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    fake_run(reports, 0, {"满意度": {"指数": 70.0}}, label="第1波")
    calls = []
    real = history.cjk_font_style
    monkeypatch.setattr(history, "cjk_font_style", lambda chars: calls.append(chars) or real(chars))
    first = build_history(reports).read_text(encoding="utf-8")
    fake_run(reports, 1, {"满意度": {"指数": 71.0}}, label="第2波")  # no new Chinese character
    second = build_history(reports).read_text(encoding="utf-8")
    assert len(calls) == 1 and "<title>第2波: 71</title>" in second
    assert re.search(r"base64,[^)]+", first).group(0) == re.search(r"base64,[^)]+", second).group(0)
    fake_run(reports, 2, {"满意度": {"指数": 72.0}}, label="三月")  # new characters: a new subset
    build_history(reports)
    (reports / history.FONT_CACHE).write_text("{broken")  # an unreadable cache is recomputed
    build_history(reports)
    assert len(calls) == 3 and "三" in calls[1] and "三" in calls[2]


def test_history_needs_an_existing_folder_and_the_cli_rebuilds_it(tmp_path, capsys):
    with pytest.raises(CrmlabValueError, match="does not exist"):
        build_history(tmp_path / "nope")
    reports = tmp_path / "reports"
    waves(reports)
    assert cli_main(["history", "--reports-dir", str(reports)]) == 0
    assert capsys.readouterr().out.strip() == str(reports / "index.html")
    assert not list(reports.glob(".index.html-*"))  # written through a temporary file, then renamed
    assert cli_main(["history", "--reports-dir", str(tmp_path / "nope")]) == 2


# =========================================================================== recording headlines
def executed(*payloads: dict):
    """A notebook whose one code cell shows the given record payloads, as an executed notebook holds them."""
    nb = new_notebook()
    nb.cells = [new_code_cell("", outputs=[new_output("display_data", data={RESULT_MIME: p, "text/plain": ""})
                                           for p in payloads])]
    return nb


def test_record_marks_headlines_and_read_results_stays_compatible(monkeypatch):
    import pandas as pd

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj[RESULT_MIME]))
    record("csi", 72.5, headline=True)
    record("by_construct", pd.Series({"Image": 66.1, "Value": float("nan")}), headline=True)
    record("note", "text")
    assert [p.get("headline") for p in shown] == [True, True, None]  # unmarked payloads are as before
    nb = executed(*shown, {"name": "csi", "json": "73.0"})  # recorded again without the mark: the last record wins
    assert read_results(nb) == {"csi": 73.0, "by_construct": {"Image": 66.1, "Value": None}, "note": "text"}
    assert read_headlines(nb) == ["by_construct"]
    for bad in ("text", True, [1, 2], {"a": {"b": 1}}, pd.DataFrame({"a": [1]})):
        with pytest.raises(CrmlabValueError, match="headline result 'x' must be a number or a flat table"):
            record("x", bad, headline=True, display=False)
    with pytest.raises(CrmlabValueError, match="headline must be True or False"):
        record("x", 1, headline="yes", display=False)


# =========================================================================== retention
def test_prune_keeps_the_newest_n_and_latest_and_touches_nothing_else(tmp_path):
    reports = tmp_path / "reports"
    ids = [fake_run(reports, k, {"sat": {"csi": float(k)}}) for k in range(6)]
    os.symlink(ids[1], reports / "latest")  # an old run is still the newest good one
    (reports / ".incomplete-2026-03-01_000000").mkdir()  # a run still being written
    (reports / "notes").mkdir()  # not a crmlab run folder
    (reports / "2026-01-01_000000").mkdir()  # named like a run, but no manifest
    (reports / "README.md").write_text("x")
    foreign = reports / "copied"  # a manifest that names another folder: not this folder's run
    foreign.mkdir()
    (foreign / "manifest.json").write_text(json.dumps({"run_id": ids[0], "started_utc": "2000-01-01", "notebooks": []}))
    os.symlink(reports / ids[0], reports / "link-to-run")
    removed = prune_runs(reports, 2)
    assert removed == [ids[0], ids[2], ids[3]]  # oldest first; ids[1] is latest
    left = sorted(p.name for p in reports.iterdir())
    assert left == sorted([ids[1], ids[4], ids[5], "latest", ".incomplete-2026-03-01_000000", "notes",
                           "2026-01-01_000000", "README.md", "copied", "link-to-run", ".latest.lock"])
    assert prune_runs(reports, 2) == []  # idempotent


@pytest.mark.parametrize("bad", [0, -1, "0", "x", "1.5", 1.5, True, None, ""])
def test_keep_must_be_a_whole_number_at_least_one(bad):
    with pytest.raises(CrmlabValueError, match=r"keep must be a whole number of runs >= 1, got"):
        check_keep(bad)
    assert check_keep("3") == 3 and check_keep(2) == 2


def test_prune_cli_and_bad_keep_exit_2_before_any_kernel(tmp_path, capsys):
    reports = tmp_path / "reports"
    ids = waves(reports)
    assert cli_main(["prune", "--keep", "1", "--reports-dir", str(reports)]) == 0
    out = capsys.readouterr().out
    assert f"removed {reports / ids[0]}" in out and "2 run(s) removed" in out
    assert [r.folder for r in scan_runs(reports)] == [ids[2]]
    assert ids[0] not in (reports / "index.html").read_text()  # the history page follows the pruning
    for args in (["prune", "--keep", "0", "--reports-dir", str(reports)],
                 ["report", "--keep", "many", "--notebooks-dir", str(tmp_path / "nbs"), "--reports-dir", str(tmp_path / "r2")]):
        (tmp_path / "nbs").mkdir(exist_ok=True)
        make_notebook(tmp_path / "nbs" / "x.ipynb", "k: int = 1", "raise SystemExit('must not run')")
        assert cli_main(args) == 2
        err = capsys.readouterr().err
        assert err.startswith("crmlab: error: keep must be a whole number of runs >= 1") and err.count("\n") == 1
    assert not (tmp_path / "r2").exists()


def test_latest_is_never_pointed_at_a_pruned_run(tmp_path):
    reports = tmp_path / "reports"
    (reports / "gone").parent.mkdir(parents=True)
    assert not point_latest(reports, "gone", T0.isoformat())
    assert not (reports / "latest").is_symlink()


# =========================================================================== publish: prune, history, warnings
def published(tmp_path, monkeypatch=None, **kw) -> tuple[dict, str, str]:
    """Plan a run (no kernel starts) and publish it with made-up results, as after execute_plan."""
    nbs = tmp_path / "nbs"
    nbs.mkdir(exist_ok=True)
    make_notebook(nbs / "sat.ipynb", "k: int = 1")
    plan = plan_run(notebooks_dir=nbs, reports_dir=tmp_path / "reports", label="wave-4")
    (plan.staging / "sat.results.json").write_text(json.dumps({"results": {"csi_100": 75.0}, "headline": ["csi_100"]}))
    entries = {"sat": {"name": "sat", "status": "ok", "duration_s": 1.0, "parameters": {},
                       "outputs": {"results": "sat.results.json"}, "error": None}}
    out, err = io.StringIO(), io.StringIO()
    manifest = publish_run(plan, entries, 1.0, lambda m: print(m, file=out), warn=lambda m: print(m, file=err), **kw)
    return manifest, out.getvalue(), err.getvalue()


def test_publish_prunes_and_rebuilds_history_after_the_rename(tmp_path):
    reports = tmp_path / "reports"
    ids = waves(reports)
    manifest, out, err = published(tmp_path, keep=2)
    assert err == "" and manifest["status"] == "ok"
    assert [r.folder for r in scan_runs(reports)] == [manifest["run_id"], ids[2]]
    assert f"removed 2 old run(s) beyond the newest 2: {ids[0]}, {ids[1]}" in out
    page = (reports / "index.html").read_text()
    assert re.findall(r"<title>([^<]+)</title>", chart(page, "csi_100")) == ["wave-3: 73", "wave-4: 75"]
    assert os.readlink(reports / "latest") == manifest["run_id"]


def test_history_or_prune_failure_is_one_warning_line_not_a_failed_run(tmp_path, monkeypatch):
    def broken(*a, **kw):
        raise PermissionError(13, "Permission denied", "reports/index.html")

    monkeypatch.setattr("crmlab.report.runner.build_history", broken)
    monkeypatch.setattr("crmlab.report.runner.prune_runs", broken)
    manifest, out, err = published(tmp_path, keep=1)
    assert manifest["status"] == "ok" and Path(manifest["path"]).is_dir()
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0] == "crmlab: warning: old runs were not pruned (PermissionError: [Errno 13] Permission denied: 'reports/index.html')"
    assert lines[1].startswith("crmlab: warning: the history page ") and "was not rebuilt (PermissionError" in lines[1]


def test_failure_summary_names_failed_and_timed_out_notebooks_and_the_folder():
    manifest = {"path": "/r/2026-01-05_060000", "notebooks": [
        {"name": "a", "status": "ok"}, {"name": "b", "status": "failed", "error": {"ename": "ValueError"}},
        {"name": "c", "status": "timeout", "error": {"ename": "Timeout"}}]}
    assert failure_summary(manifest) == ("crmlab: error: 2 of 3 notebook(s) did not succeed: b (failed: ValueError), "
                                         "c (timeout: Timeout); reports in /r/2026-01-05_060000")
    assert failure_summary({"path": "/r", "notebooks": [{"name": "a", "status": "ok"}]}) == ""


# =========================================================================== real runs
def test_a_real_run_records_headlines_and_charts_them(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "sat.ipynb", "score: float = 70.0",
                  "import crmlab\ncrmlab.record('csi_100', score, headline=True)\ncrmlab.record('n', 3)")
    reports = tmp_path / "reports"
    fake_run(reports, 0, {"sat": {"csi_100": 68.0}}, label="wave-1")
    log = io.StringIO()
    manifest = run_reports(notebooks_dir=d, reports_dir=reports, label="wave-2", keep=5, stream=log, errors=log)
    assert manifest["status"] == "ok", log.getvalue()
    payload = json.loads((Path(manifest["path"]) / "sat.results.json").read_text())
    assert payload["headline"] == ["csi_100"] and payload["results"] == {"csi_100": 70.0, "n": 3}
    page = (reports / "index.html").read_text()
    assert re.findall(r"<title>([^<]+)</title>", chart(page, "csi_100")) == ["wave-1: 68", "wave-2: 70"]
    assert "<b>n</b>" not in page  # marked headlines only
    assert f"[crmlab] history of all runs: {reports / 'index.html'}" in log.getvalue()


def cron_command(project: Path) -> str:
    """The cron line of README.md's Scheduling section, as cron hands it to sh, pointed at ``project``.

    Substitutions: ``/srv/crmlab`` -> the test's project folder, ``.venv/bin/crmlab`` -> the crmlab
    command of the environment running the tests.  cron turns ``\\%`` into ``%``.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```cron\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md has no ```cron block"
    entries = [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.startswith("#") and "=" not in ln.split()[0]]
    assert len(entries) == 1, entries
    assert re.search(r"^MAILTO=\S+@\S+$", block.group(1), re.MULTILINE), "the cron block must set MAILTO"
    command = entries[0].split(None, 5)[5].replace("\\%", "%")
    crmlab = Path(sys.executable).parent / "crmlab"
    assert ".venv/bin/crmlab" in command and "/srv/crmlab" in command
    return command.replace(".venv/bin/crmlab", shlex.quote(str(crmlab))).replace("/srv/crmlab", shlex.quote(str(project)))


def run_as_cron(project: Path) -> subprocess.CompletedProcess:
    """Run the README's cron command with sh in a cron-like environment (minimal PATH, no terminal)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project), "SHELL": "/bin/sh", "LOGNAME": "crmlab"}
    return subprocess.run(["sh", "-c", cron_command(project)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=600)


@pytest.fixture
def project(tmp_path) -> Path:
    """/srv/crmlab in miniature: notebooks/, reports/ (it exists in a checkout) and params.yaml."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "params.yaml").write_text("global: {}\n")
    return tmp_path


def test_documented_cron_line_mails_exactly_the_failure_summary(project):
    add_failing(project / "notebooks")
    r = run_as_cron(project)
    assert r.returncode == 1 and r.stdout == ""  # progress went to the log
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr  # what cron mails: one line
    run_dir = next(p for p in (project / "reports").iterdir() if p.name.startswith("20"))
    assert lines[0] == f"crmlab: error: 1 of 1 notebook(s) did not succeed: bad (failed: ValueError); reports in {run_dir}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}_\d{6}_week-\d{4}-W\d{2}", run_dir.name)  # the label's date expanded
    log = (project / "reports" / "cron.log").read_text()
    assert f"[crmlab] run {run_dir.name}: 1 notebook(s)" in log and "FAILED: bad" in log and "NOT updated" in log
    assert (project / "reports" / "index.html").is_file()


def test_documented_cron_line_is_silent_when_the_run_succeeds(project):
    make_notebook(project / "notebooks" / "good.ipynb", "x: int = 1", "import crmlab\ncrmlab.record('x', x)")
    r = run_as_cron(project)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")  # nothing to mail
    log = (project / "reports" / "cron.log").read_text()
    assert "[crmlab] 1/1 notebook(s) succeeded" in log
    assert (project / "reports" / "latest" / "good.results.json").is_file()


def test_recorded_tables_keep_their_row_order_through_the_saved_notebook(tmp_path, monkeypatch):
    # nbformat writes notebooks with sorted keys; a table's rows (vip, major, ordinary, small) must not come back sorted
    import nbformat
    import pandas as pd

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj[RESULT_MIME]))
    table = pd.DataFrame({"share": [0.01, 0.04, 0.15, 0.80]}, index=pd.Index(["vip", "major", "ordinary", "small"], name="tier"))
    record("tiers", table)
    path = tmp_path / "x.ipynb"
    nbformat.write(executed(*shown), str(path))
    back = read_results(nbformat.read(str(path), as_version=4))["tiers"]
    assert list(back) == ["vip", "major", "ordinary", "small"]
    assert pd.DataFrame.from_dict(back, orient="index")["share"].tolist() == [0.01, 0.04, 0.15, 0.80]
