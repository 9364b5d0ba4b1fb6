"""Every notebook: committed without outputs, declares typed literal parameters, runs headless top to bottom."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from crmlab.report.params import declared_parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name} has outputs in cells {dirty}; run `make strip` (crmlab strip notebooks)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_conventions(path):
    nb = nbformat.read(str(path), as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "first cell: a Markdown title"
    assert "parameters" in nb.cells[1].metadata.get("tags", []), "second cell: the tagged parameters cell"
    params = declared_parameters(path)  # raises on non-literals or missing annotations
    assert params.get("lang") is not None and params["lang"].default == "en", "every notebook has lang: str = 'en'"
    assert nb.metadata.kernelspec["name"] == "python3"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_headless_under_the_runner(request, path, lang):
    rendered_run = request.getfixturevalue("rendered_run" if lang == "en" else "rendered_run_zh")
    entry = next(e for e in rendered_run["notebooks"] if e["name"] == path.stem)
    assert entry["status"] == "ok", f"{path.stem}: {entry['error']}\n{rendered_run['log']}"
    run_dir = Path(rendered_run["path"])
    html = (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8")
    assert "Traceback" not in html
    executed = nbformat.read(str(run_dir / entry["outputs"]["notebook"]), as_version=4)
    warnings = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if o.get("name") == "stderr" and ("Glyph" in o.get("text", "") or "missing from font" in o.get("text", ""))]
    assert not warnings, f"missing-glyph warnings in {path.stem}: {warnings}"


def test_getting_started_records_results(notebook_results):
    r = notebook_results("00_getting_started")
    assert r["total_profit"] == pytest.approx(150.0)
    assert r["profit_by_period"] == {"2024": 40.0, "2025": 50.0, "2026": 60.0}
