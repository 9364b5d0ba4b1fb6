"""Study descriptions: the user's data described once, checked before any kernel starts, profiled by `crmlab check`."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from crmlab.report.cli import main as cli_main
from crmlab.study import StudyError, study_from_spec
from test_report_runner import make_notebook


@pytest.fixture
def wave(tmp_path):
    path = tmp_path / "wave3.csv"
    pd.DataFrame({"rid": ["001", "002", "003"], "c1": [5, 3, 6], "c2": [6, 4, 2], "s1": [7, 5, 3], "s2": [-99, 6, 4],
                  "ov": [6, 5, 2]}).to_csv(path, index=False)
    return path


def survey(path, **extra):
    return {"kind": "survey", "path": str(path), "id": "rid", "scale": [1, 7],
            "constructs": {"COMP": ["c1", "c2"], "SAT": ["s1", "s2"]}, "paths": [["COMP", "SAT"]]} | extra


@pytest.mark.parametrize("change, message", [
    ({"kind": "poll"}, "survey.kind must be one of"),
    ({"colour": "blue"}, "unknown key\\(s\\) \\['colour'\\] for a survey study"),
    ({"scale": None}, "a survey study needs \\['scale'\\]"),
    ({"scale": [7, 1]}, "survey.scale must be \\[low, high\\]"),
    ({"paths": [["COMP", "LOY"]]}, "survey.paths\\[0\\] names \\['LOY'\\], which are not constructs"),
    ({"path": "nope.csv"}, "survey.path: .*nope.csv does not exist"),
])
def test_structure_errors_name_the_parameter(wave, change, message):
    with pytest.raises(StudyError, match=message):
        study_from_spec(survey(wave) | change, name="survey", base_dir=wave.parent).check()


def test_columns_and_scales_are_checked_on_the_data(wave):
    with pytest.raises(StudyError, match=r"survey.constructs.COMP: column\(s\) \['c4'\] not in wave3.csv"):
        study_from_spec(survey(wave, constructs={"COMP": ["c1", "c4"], "SAT": ["s1"]}), name="survey").check()
    with pytest.raises(StudyError, match=r"column 's2' has values \[-99\] outside the scale \[1, 7\]; if they are "
                                         r"missing-value codes, list them in survey.missing_codes"):
        study_from_spec(survey(wave), name="survey").check()
    study = study_from_spec(survey(wave, missing_codes=[-99]), name="survey")
    study.check()
    data = study.read()
    assert data["rid"].tolist() == ["001", "002", "003"] and data["s2"].isna().tolist() == [True, False, False]
    facts = study.summary()
    assert facts["rows"] == 3 and facts["duplicated_ids"] == 0 and facts["missing_cells"] == 1


def test_the_runner_refuses_a_bad_study_before_any_kernel(wave, tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_notebook(nbs / "s.ipynb", "survey: dict | None = None", "raise SystemExit('must not run')")
    params = tmp_path / "p.yaml"
    params.write_text(f"notebooks:\n  s:\n    survey: {{kind: survey, path: {wave}, scale: [1, 7], overall: ovx}}\n")
    r = subprocess.run([sys.executable, "-m", "crmlab", "report", "--notebooks-dir", str(nbs), "--reports-dir",
                        str(tmp_path / "r"), "--params", str(params)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "s: survey.overall: column(s) ['ovx'] not in wave3.csv" in r.stderr
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_crmlab_check_profiles_the_data(wave, tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_notebook(nbs / "s.ipynb", "survey: dict | None = None", "x = 1")
    params = tmp_path / "p.yaml"
    params.write_text(f"notebooks:\n  s:\n    survey: {{kind: survey, path: {wave}, id: rid, scale: [1, 7], missing_codes: [-99]}}\n")
    assert cli_main(["check", str(params), "--notebooks-dir", str(nbs)]) == 0
    out = capsys.readouterr().out
    assert "✓ s: survey (survey): file" in out and "rows 3" in out and "missing cells 1" in out


def test_transaction_logs_in_folders_and_globs(tmp_path):
    from crmlab.transactions import TransactionLog

    df = pd.DataFrame({"cust": ["001", "001", "002"], "ts": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05"]),
                       "amt": [1.0, 2.0, 3.0]})
    (tmp_path / "hive" / "year=2024").mkdir(parents=True)
    df.to_parquet(tmp_path / "hive" / "year=2024" / "p.parquet")
    df.to_excel(tmp_path / "log.xlsx", index=False)
    for path, engine in ((tmp_path / "hive", "duckdb"), (tmp_path / "hive" / "*" / "*.parquet", "duckdb"),
                         (tmp_path / "log.xlsx", "duckdb (in-memory pandas frame)")):
        study = study_from_spec({"kind": "transactions", "path": str(path), "customer_id": "cust", "datetime": "ts",
                                 "monetary_value": "amt"}, name="transactions")
        study.check()
        log = TransactionLog.from_study(study)
        assert log.settings["engine"] == engine
        assert log.customer_summary(time_unit="D").table.index.tolist() == ["001", "002"]
        assert study.summary()["purchases"] == 3


def test_judgments_study_reads_fractions_and_names_missing_columns(tmp_path):
    from crmlab.ahp import matrices_from_table

    path = tmp_path / "judgments.csv"
    pd.DataFrame({"who": ["A", "A", "A", "B"], "node": ["criteria"] * 4, "i": ["001", "001", "1", "001"],
                  "j": ["1", "x", "x", "1"], "value": ["1/3", "5", "", "2"]}).to_csv(path, index=False)
    spec = {"kind": "judgments", "path": str(path), "expert": "who", "level": "node", "row": "i", "column": "j",
            "judgment": "value"}
    study = study_from_spec(spec, name="judgments")
    study.check()
    data = study.read()
    assert data["i"].tolist() == ["001", "001", "1", "001"]  # item names read as text keep their zeros
    m = matrices_from_table(data, level_col="node", row_col="i", column_col="j", judgment_col="value", expert_col="who")
    a = m["criteria"]["A"]
    assert a.loc["001", "1"] == pytest.approx(1 / 3) and a.loc["1", "001"] == pytest.approx(3)
    assert pd.isna(a.loc["1", "x"])  # blank judgment: missing
    assert list(m["criteria"]["B"].index) == ["001", "1"]
    with pytest.raises(StudyError, match=r"judgments.row: column\(s\) \['row'\] not in judgments.csv"):
        study_from_spec(spec | {"row": "row"}, name="judgments").check()
    with pytest.raises(StudyError, match=r"a judgments study needs \['judgment'\]"):
        study_from_spec({k: v for k, v in spec.items() if k != "judgment"}, name="judgments")


def test_the_runner_checks_studies_inside_list_parameters(wave, tmp_path):
    from crmlab.report.runner import check_studies
    from crmlab.report.params import ParameterError

    good = survey(wave, missing_codes=[-99], label="2025-Q1")
    given = {"t": {"waves": [good, survey(wave, label="2025-Q2") | {"overall": "ovx", "missing_codes": [-99]}], "n": [1, 2]}}
    with pytest.raises(ParameterError, match=r"t: waves\[1\]\.overall: column\(s\) \['ovx'\] not in wave3.csv"):
        check_studies(given, tmp_path)
    relative = good | {"path": wave.name}
    given = {"t": {"waves": [relative, relative | {"label": "2025-Q2"}], "n": [1, 2]}}
    check_studies(given, wave.parent)
    assert [w["path"] for w in given["t"]["waves"]] == [str(wave.resolve())] * 2  # kernels get absolute paths
    assert [w["label"] for w in given["t"]["waves"]] == ["2025-Q1", "2025-Q2"] and given["t"]["n"] == [1, 2]
