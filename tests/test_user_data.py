"""The notebooks run unchanged on users' own data through a parameter file, and reproduce published numbers.

The ECSI survey (R plspm's goodness of fit) and the CDNOW sample (Fader, Hardie & Lee 2005)
from ../shared/data stand in for a user's files; skipped when that folder is absent.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from crmlab.report.runner import run_reports

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def user_run(shared_data, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("user")
    params_file = ROOT / "examples" / "shared-data.yaml"  # the documented example, run as a user would
    log = io.StringIO()
    manifest = run_reports(["01_satisfaction", "03_clv"], notebooks_dir=ROOT / "notebooks", reports_dir=tmp / "reports",
                           params_file=params_file, jobs=2, timeout=900, stream=log)
    assert manifest["status"] == "ok", log.getvalue()
    run_dir = Path(manifest["path"])
    return {e["name"]: json.loads((run_dir / e["outputs"]["results"]).read_text())["results"] for e in manifest["notebooks"]}


def test_satisfaction_notebook_on_the_ecsi_survey_matches_r_plspm(user_run):
    assert user_run["01_satisfaction"]["pls_gof"] == pytest.approx(0.609741624338411, abs=1e-8)


def test_clv_notebook_on_cdnow_reproduces_fader_hardie_lee(user_run):
    r = user_run["03_clv"]
    assert r["log_customers"] == 2357
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert {k: round(r["log_bgnbd_params"][k], 3) for k in published} == published
