"""Shared fixtures: the read-only reference data in ../shared/data (skipped when absent)."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data; skips the test with a reason when the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data folder {SHARED_DATA} is absent (it ships beside the repo, not in it)")
    return SHARED_DATA


def _render_all(tmp_path_factory, overrides) -> dict:
    import io

    from crmlab.report.runner import run_reports

    reports = tmp_path_factory.mktemp("reports")
    log = io.StringIO()
    manifest = run_reports(notebooks_dir=ROOT / "notebooks", reports_dir=reports, jobs=2, timeout=900,
                           overrides=overrides, stream=log)
    manifest["log"] = log.getvalue()
    return manifest


@pytest.fixture(scope="session")
def rendered_run(tmp_path_factory) -> dict:
    """Render every notebook in notebooks/ once per test session through the report runner (English).

    Returns the run manifest; each notebook runs headless, top to bottom, exactly as
    `make reports` runs it (kernel python3, working directory notebooks/).
    """
    return _render_all(tmp_path_factory, [])


@pytest.fixture(scope="session")
def rendered_run_zh(tmp_path_factory) -> dict:
    """The same in Chinese (``-p lang zh``): labels, tables and charts through the term table."""
    return _render_all(tmp_path_factory, [("lang", "zh")])


@pytest.fixture(scope="session")
def notebook_results(rendered_run):
    """``notebook_results("03_clv")`` -> the dict of results that notebook recorded (fails if it failed)."""
    import json

    run_dir = Path(rendered_run["path"])

    def get(name: str) -> dict:
        entry = next((e for e in rendered_run["notebooks"] if e["name"] == name), None)
        assert entry is not None, f"notebook {name!r} is not in notebooks/"
        assert entry["status"] == "ok", f"notebook {name} {entry['status']}: {entry['error']}\n{rendered_run['log']}"
        return json.loads((run_dir / entry["outputs"]["results"]).read_text(encoding="utf-8"))["results"]

    return get


CDNOW_NAMES = ["customer_id", "sample_id", "date", "cds", "amount"]


def read_cdnow(path, **log_options):
    """A CDNOW whitespace file (FHL 2005a) as a TransactionLog (ids keep their zeros; dates are yyyymmdd)."""
    from crmlab.readers import read_table
    from crmlab.transactions import TransactionLog

    names = CDNOW_NAMES if "sample" in Path(path).name else [n for n in CDNOW_NAMES if n != "sample_id"]
    header = 0 if "master" in Path(path).name else None
    table = read_table(path, sep="whitespace", names=names if header is None else None, id_columns=["customer_id"],
                       date_columns={"date": "%Y%m%d"}).table
    if header is not None:
        table.columns = names
    return TransactionLog.from_frame(table, **log_options)


def bundled_log():
    """The bundled simulated log (crmlab.datasets.clv) as a TransactionLog."""
    from crmlab.datasets import clv as clv_data
    from crmlab.transactions import TransactionLog

    return TransactionLog.from_frame(clv_data.load_transactions())
