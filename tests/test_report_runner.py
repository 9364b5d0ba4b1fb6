"""The papermill report runner on small fixture notebooks."""
from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmlab.report.cli import main as cli_main
from crmlab.report.params import ParameterError, matches_type
from crmlab.report.runner import run_reports


def make_notebook(path: Path, params: str, *body: str) -> Path:
    nb = new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_markdown_cell(f"# {path.stem}"), new_code_cell(params, metadata={"tags": ["parameters"]})]
    nb.cells += [new_code_cell(src) for src in body]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def nbdir(tmp_path) -> Path:
    d = tmp_path / "notebooks"
    d.mkdir()
    make_notebook(d / "good.ipynb", 'x: int = 2  # a number\nname: str = "a"\nratio: float | None = None',
                  "import crmlab\ncrmlab.record('double', x * 2)\ncrmlab.record('name', name)\ncrmlab.record('ratio', ratio)",
                  "import os, sys\ncrmlab.record('cwd', os.getcwd())\ncrmlab.record('prefix', sys.prefix)")
    return d


def add_failing(d: Path) -> None:
    make_notebook(d / "bad.ipynb", "y: int = 1", "z = y + 1", "raise ValueError('column sat1 has value 11 outside [1, 10]')", "never = 1")


def run(nbdir, reports, **kw):
    log = io.StringIO()
    manifest = run_reports(notebooks_dir=nbdir, reports_dir=reports, stream=log, **kw)
    return manifest, log.getvalue()


def test_success_writes_reports_results_manifest_and_latest(nbdir, tmp_path):
    reports = tmp_path / "reports"
    manifest, log = run(nbdir, reports, overrides=[("x", "21")], with_code=True, label="wave 3")
    assert manifest["status"] == "ok"
    run_dir = Path(manifest["path"])
    assert run_dir.name.endswith("_wave-3")
    assert (reports / "latest").resolve() == run_dir.resolve()
    results = json.loads((run_dir / "good.results.json").read_text())
    assert results["results"]["double"] == 42 and results["results"]["name"] == "a" and results["results"]["ratio"] is None
    assert results["results"]["cwd"] == str(nbdir)  # working directory is the notebooks folder
    assert results["results"]["prefix"] == sys.prefix  # kernel python3 is this environment's Python
    on_disk = json.loads((run_dir / "manifest.json").read_text())
    entry = on_disk["notebooks"][0]
    assert entry["name"] == "good" and entry["status"] == "ok" and entry["duration_s"] > 0
    assert entry["parameters"] == {"x": 21}
    assert entry["effective_parameters"] == {"x": 21, "name": "a", "ratio": None}
    assert set(entry["outputs"]) == {"notebook", "report", "report_with_code", "results", "log"}
    for f in entry["outputs"].values():
        assert (run_dir / f).is_file()
    no_code = (run_dir / "good.html").read_text()
    with_code = (run_dir / "good.code.html").read_text()
    code_inputs = "jp-InputArea jp-Cell-inputArea"  # markdown cells have one too: 1 markdown cell here
    assert no_code.count(code_inputs) == 1 and with_code.count(code_inputs) == 5
    assert "recorded double = 42" not in no_code and "recorded double = 42" in with_code  # results live in the JSON
    assert "good" in (run_dir / "index.html").read_text()
    assert "[1/1] ok" in log


def test_html_reports_need_no_network(nbdir, tmp_path):
    manifest, _ = run(nbdir, tmp_path / "reports", with_code=True)
    run_dir = Path(manifest["path"])
    for page in run_dir.glob("*.html"):
        text = page.read_text()
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:[^"]+)"', text)
        assert loaded == [] and "mathjax" not in text.lower(), (page.name, loaded)  # formulas are MathML


def test_failing_notebook_does_not_stop_the_others_and_keeps_latest(nbdir, tmp_path):
    reports = tmp_path / "reports"
    first, _ = run(nbdir, reports)
    add_failing(nbdir)
    manifest, log = run(nbdir, reports)
    assert manifest["status"] == "failed" and manifest["n_ok"] == 1
    by_name = {e["name"]: e for e in manifest["notebooks"]}
    assert by_name["good"]["status"] == "ok"
    bad = by_name["bad"]
    assert bad["status"] == "failed" and bad["error"]["ename"] == "ValueError"
    assert "outside [1, 10]" in bad["error"]["summary"]
    html = (Path(manifest["path"]) / bad["outputs"]["report"]).read_text()
    # the failing cell (and only it) is shown even in the no-code report, with its traceback
    shown = [c for c in re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', html) if "crmlab-hide-input" not in c]
    assert len(shown) == 1 and "ValueError" in html and "Traceback" in html
    assert (reports / "latest").resolve() == Path(first["path"]).resolve()
    assert "FAILED: bad" in log and "NOT updated" in log
    assert cli_main(["report", "--notebooks-dir", str(nbdir), "--reports-dir", str(reports)]) == 1


def test_unknown_parameter_is_rejected_before_any_kernel(nbdir, tmp_path):
    reports = tmp_path / "reports"
    with pytest.raises(ParameterError, match=r"unknown parameter 'xx'.*declared: \['name', 'ratio', 'x'\]"):
        run(nbdir, reports, overrides=[("xx", "1")])
    assert not reports.exists() or not any(reports.iterdir())
    assert cli_main(["report", "--notebooks-dir", str(nbdir), "--reports-dir", str(reports), "-p", "xx", "1"]) == 2


def test_wrong_type_names_notebook_parameter_and_type(nbdir, tmp_path):
    with pytest.raises(ParameterError, match=r"notebook 'good' parameter 'x' expects int, got 'many'"):
        run(nbdir, tmp_path / "r", overrides=[("x", "many")])
    params = tmp_path / "p.yaml"
    params.write_text("global:\n  name: b\nnotebooks:\n  good:\n    ratio: high\n")
    with pytest.raises(ParameterError, match=r"parameter 'ratio' expects float \| None, got 'high'"):
        run(nbdir, tmp_path / "r", params_file=params)


def test_params_file_global_per_notebook_and_cli_precedence(nbdir, tmp_path):
    add_failing(nbdir)
    params = tmp_path / "p.yaml"
    params.write_text("global:\n  x: 5\nnotebooks:\n  good:\n    name: from-file\n    ratio: 0.5\n")
    manifest, _ = run(nbdir, tmp_path / "r", params_file=params, overrides=[("good:name", "cli")], notebooks=["good"])
    entry = manifest["notebooks"][0]
    assert entry["parameters"] == {"x": 5, "name": "cli", "ratio": 0.5}
    results = json.loads((Path(manifest["path"]) / "good.results.json").read_text())["results"]
    assert results["double"] == 10 and results["name"] == "cli"


def test_timeout_stops_the_notebook_and_its_kernel(tmp_path):
    import time

    d = tmp_path / "nbs"
    d.mkdir()
    # the second cell holds the GIL (catastrophic regex backtracking): only a kill can stop it
    make_notebook(d / "slow.ipynb", "n: int = 1", "import os, crmlab\ncrmlab.record('pid', os.getpid())",
                  "import re\nre.match(r'(a+)+$', 'a' * 40 + 'b')")
    manifest, _ = run(d, tmp_path / "r", timeout=20)  # room for a kernel start on a loaded machine
    entry = manifest["notebooks"][0]
    assert entry["status"] == "timeout" and "20 s" in entry["error"]["summary"]
    assert manifest["duration_s"] < 60
    assert (Path(manifest["path"]) / entry["outputs"]["report"]).is_file()
    pid = json.loads((Path(manifest["path"]) / "slow.results.json").read_text())["results"]["pid"]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.kill(pid, 9)
        pytest.fail(f"the kernel (pid {pid}) outlived its timed-out notebook")


def test_parallel_workers_overlap(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    for k in range(2):
        make_notebook(d / f"sleep{k}.ipynb", "s: float = 3.0",
                      "import time, crmlab\ncrmlab.record('start', time.time())\ntime.sleep(s)\ncrmlab.record('end', time.time())")
    manifest, _ = run(d, tmp_path / "r", jobs=2)
    assert manifest["status"] == "ok"
    spans = [json.loads((Path(manifest["path"]) / f"sleep{k}.results.json").read_text())["results"] for k in range(2)]
    # with two workers the two notebooks' kernels are busy at the same time
    assert max(sp["start"] for sp in spans) < min(sp["end"] for sp in spans), spans


def test_interrupted_run_leaves_latest_and_no_dated_folder(nbdir, tmp_path):
    reports = tmp_path / "reports"
    first, _ = run(nbdir, reports)

    class Dies(io.StringIO):
        def write(self, s):
            if "start" in s:
                raise KeyboardInterrupt
            return super().write(s)

    with pytest.raises(KeyboardInterrupt):
        run_reports(notebooks_dir=nbdir, reports_dir=reports, stream=Dies())
    dated = [p for p in reports.iterdir() if not p.name.startswith(".") and p.name not in ("latest", "index.html")]
    assert dated == [Path(first["path"])]  # index.html: the history page of every run
    assert (reports / "latest").resolve() == Path(first["path"]).resolve()


def test_type_rules():
    assert matches_type(3, "float") and not matches_type(True, "int") and not matches_type("3", "int")
    assert matches_type(None, "str | None") and matches_type(["a"], "list[str]") and not matches_type({}, "list")


def test_non_literal_parameter_is_refused(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "derived.ipynb", "a: int = 1\nb: int = a + 1")
    with pytest.raises(ParameterError, match="must default to a literal"):
        run(d, tmp_path / "r")


def test_python_m_crmlab_is_the_same_cli(nbdir):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "crmlab", "params", "--notebooks-dir", str(nbdir)],
                         capture_output=True, text=True, check=True, env=os.environ.copy())
    assert "x: int = 2  # a number" in out.stdout


def test_chinese_report_carries_its_glyphs(tmp_path):
    """A zh page embeds a subset of Noto Sans CJK SC holding every CJK character it shows (readable offline without CJK fonts)."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    d = tmp_path / "nbs"
    d.mkdir()
    make_notebook(d / "zh.ipynb", 'lang: str = "zh"', "print('客户终身价值 · 优势区：保持')")
    manifest, _ = run(d, tmp_path / "r")
    page = (Path(manifest["path"]) / "zh.html").read_text(encoding="utf-8")
    m = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    assert m, "no embedded CJK font"
    cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap()
    shown = {ch for ch in page if ord(ch) >= 0x2E80}
    assert set("客户终身价值优势区保持") <= shown
    assert all(ord(ch) in cmap for ch in shown), sorted(ch for ch in shown if ord(ch) not in cmap)
    assert len(m.group(1)) < 200_000  # a subset, not the 16 MB font
    assert "font/woff" not in (Path(manifest["path"]) / "index.html").read_text(encoding="utf-8")  # ASCII-only page: nothing embedded


def test_types_are_checked_element_by_element():
    assert matches_type(["a", "b"], "list[str]") and not matches_type([1, 2], "list[str]")
    assert matches_type({"a": 1.5}, "dict[str, float]") and not matches_type({"a": True}, "dict[str, float]")
    assert matches_type(["a", 1], "list[str | int]") and matches_type(None, "Optional[list[str]]")


def test_cli_values_read_numbers_as_python_does():
    from crmlab.report.params import parse_cli_value

    assert parse_cli_value("1e-3", "float") == 0.001 and parse_cli_value("010", "int") == 10
    assert parse_cli_value("1997-09-30", "str") == "1997-09-30" and parse_cli_value("no", "str | None") == "no"
    assert parse_cli_value("null", "str | None") is None and parse_cli_value("[1, 2]", "list[int]") == [1, 2]
    assert parse_cli_value("true", "bool") is True


def test_a_default_that_contradicts_its_annotation_is_refused(tmp_path):
    from crmlab.report.params import declared_parameters

    path = make_notebook(tmp_path / "bad_default.ipynb", "x: int = 0.5")
    with pytest.raises(ParameterError, match=r"parameter 'x' defaults to 0.5, which is not int"):
        declared_parameters(path)


def test_params_file_may_name_notebooks_outside_the_run(nbdir, tmp_path):
    add_failing(nbdir)
    params = tmp_path / "p.yaml"
    params.write_text("notebooks:\n  bad:\n    y: 5\n  good:\n    name: 1997-09-30\n")  # unquoted date for a str parameter
    manifest, log = run(nbdir, tmp_path / "r", params_file=params, notebooks=["good"])
    assert manifest["notebooks"][0]["parameters"] == {"name": "1997-09-30"}
    assert not manifest["complete"] and not (tmp_path / "r" / "latest").exists() and "covered 1 of the 2" in log
    params.write_text("notebooks:\n  nosuch:\n    y: 5\n")
    with pytest.raises(ParameterError, match="no notebook named 'nosuch'"):
        run(nbdir, tmp_path / "r", params_file=params)


def test_scoped_cli_values_beat_global_ones_whatever_their_order(nbdir, tmp_path):
    manifest, _ = run(nbdir, tmp_path / "r", overrides=[("good.ipynb:x", "1"), ("x", "2")])
    assert manifest["notebooks"][0]["parameters"] == {"x": 1}


def test_reports_show_whole_tables(tmp_path):
    """pandas would cut text over 50 characters and hide columns past 20 with "..."; a report shows them all."""
    d = tmp_path / "nbs"
    d.mkdir()
    long_text = "Knowledge gap: management's perception of customer expectations vs actual expectations"
    make_notebook(d / "wide.ipynb", "n: int = 30",
                  f"import pandas\npandas.DataFrame({{f'c{{i}}': [{long_text!r}] for i in range(n)}})",
                  "import crmlab\ncrmlab.record('pd_in_namespace', 'pd' in dir())")
    manifest, _ = run(d, tmp_path / "r")
    run_dir = Path(manifest["path"])
    page = (run_dir / "wide.html").read_text(encoding="utf-8")
    assert page.count(long_text) == 30 and "<th>c29</th>" in page and "...</td>" not in page
    assert json.loads((run_dir / "wide.results.json").read_text())["results"]["pd_in_namespace"] is False


def test_report_pdf_without_chromium_stops_before_any_kernel(tmp_path, monkeypatch, capsys):
    d = tmp_path / "nbs"
    d.mkdir()
    nbformat.write(new_notebook(cells=[new_code_cell("x: int = 1", metadata={"tags": ["parameters"]})]), str(d / "a.ipynb"))
    monkeypatch.setenv("CRMLAB_CHROMIUM", str(tmp_path / "no-such-chromium"))
    status = cli_main(["report", "--pdf", "--notebooks-dir", str(d), "--reports-dir", str(tmp_path / "r")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 3 and len(err) == 1 and err[0].startswith("crmlab: error:") and "apt-get install chromium" in err[0]
    assert not (tmp_path / "r").exists()  # nothing was planned, staged or run
