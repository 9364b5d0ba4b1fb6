"""Notebook 01 on a user's own survey, run through the report runner with a parameter file (issue 9).

The fixture is a survey simulated here from a known path model whose construct and attribute names collide with
crmlab's term table (``COMP`` = competence, ``value``, ``image``, ``SAT``; Kano attributes ``service`` and
``time``), with −99 missing-value codes and blank cells, a group column in Chinese and ids with leading zeros.

* (a) the names reach the report (HTML tables and results JSON) exactly as given, in English and Chinese, and the
  notebook's standardised PLS paths equal ``crmlab.pls.PLSPathModel(..., scaled=True)`` fitted on the same data
  with the same missing-value handling;
* (b) GBK-encoded CSV, ``.xlsx`` and ``.sav`` copies of the same survey give identical recorded results;
* (c) a missing file or a wrong column is refused before any kernel starts, naming the parameter (exit status 2);
* (d) a survey-only study skips the SERVQUAL, Kano, loyalty and delivered-value sections with the note and
  shows no bundled data.
"""
from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from crmlab.i18n import is_term, t
from crmlab.pls import PLSPathModel
from crmlab.readers import read_table
from crmlab.report.runner import run_reports

from report_language import chinese_characters, english_words, report_text

ROOT = Path(__file__).resolve().parents[1]
CONSTRUCTS = {"image": ["img1", "img2", "img3"], "COMP": ["cmp1", "cmp2", "cmp3"], "value": ["val1", "val2"],
              "SAT": ["sat1", "sat2", "sat3"], "loyalty": ["loy1", "loy2"]}
PATHS = [["image", "SAT"], ["COMP", "value"], ["COMP", "SAT"], ["value", "SAT"], ["SAT", "loyalty"], ["image", "loyalty"]]
KANO = {"service": ["svc_f", "svc_d"], "time": ["time_f", "time_d"]}
GROUPS = ["北区", "南区"]
TUNING = {"missing": "mean", "n_boot": 30, "n_permutations": 40, "predict_folds": 5}
#: What the bundled teaching data would show: none of it may appear in a report on user data.
BUNDLED = ["reliable_login", "登录稳定可靠", "Reliable login", "tangibles", "有形性", "acsi_survey", "kano_answers",
           "servqual.csv", "loyalty_purchases", "EXPE", "QUAL", "rival", "竞争者", "Rival", "本企业"]


def simulate_survey(n: int = 300, seed: int = 2024) -> pd.DataFrame:
    """Items on 1–7 from a known structural model, then −99 codes and blank cells sprinkled over the answers."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 5))
    image = z[:, 0]
    comp = 0.4 * image + np.sqrt(0.84) * z[:, 1]  # drivers correlate, as in real satisfaction surveys
    value = 0.5 * comp + np.sqrt(0.75) * z[:, 2]
    sat = 0.3 * image + 0.3 * comp + 0.3 * value + 0.7 * z[:, 3]
    loyalty = 0.6 * sat + 0.2 * image + 0.7 * z[:, 4]
    latent = {"image": image, "COMP": comp, "value": value, "SAT": sat, "loyalty": loyalty}
    out = {"rid": [f"{i:04d}" for i in range(1, n + 1)]}
    for construct, items in CONSTRUCTS.items():
        for item in items:
            x = 0.85 * latent[construct] / latent[construct].std() + 0.5 * rng.standard_normal(n)
            out[item] = np.clip(np.rint(4.5 + 1.2 * x), 1, 7)
    for f, d in KANO.values():
        out[f], out[d] = rng.integers(1, 6, n).astype(float), rng.integers(1, 6, n).astype(float)
    out["region"] = rng.choice(GROUPS, n)
    frame = pd.DataFrame(out)
    answers = [c for c in frame.columns if c not in ("rid", "region")]
    cells = frame[answers].to_numpy(dtype=float, copy=True)
    u = rng.random(cells.shape)
    cells[u < 0.02] = -99.0           # declared missing-value code
    cells[(u >= 0.02) & (u < 0.03)] = np.nan  # blank cells
    frame[answers] = cells
    return frame


def study(path: Path, *, kano: bool) -> dict:
    spec = {"kind": "survey", "path": str(path), "id": "rid", "scale": [1, 7], "missing_codes": [-99],
            "constructs": CONSTRUCTS, "paths": PATHS, "overall": "sat1", "group": "region"}
    return {**spec, "kano": KANO} if kano else spec


def write_copies(frame: pd.DataFrame, folder: Path) -> dict[str, Path]:
    pyreadstat = pytest.importorskip("pyreadstat")
    paths = {"utf-8": folder / "survey.csv", "gbk": folder / "survey_gbk.csv", "xlsx": folder / "survey.xlsx",
             "sav": folder / "survey.sav"}
    frame.to_csv(paths["utf-8"], index=False)
    frame.to_csv(paths["gbk"], index=False, encoding="gbk")  # what Excel writes on a Chinese Windows machine
    frame.to_excel(paths["xlsx"], index=False)
    pyreadstat.write_sav(frame, str(paths["sav"]))
    return paths


def render(folder: Path, name: str, survey: dict, lang: str) -> dict:
    params = folder / f"{name}.yaml"
    params.write_text(yaml.safe_dump({"notebooks": {"01_satisfaction": {"lang": lang, "survey": survey, **TUNING}}},
                                     allow_unicode=True), encoding="utf-8")
    log = io.StringIO()
    manifest = run_reports(["01_satisfaction"], notebooks_dir=ROOT / "notebooks", reports_dir=folder / f"reports_{name}",
                           params_file=params, jobs=1, timeout=900, stream=log)
    entry = manifest["notebooks"][0]
    assert manifest["status"] == "ok", f"{name}: {entry.get('error')}\n{log.getvalue()}"
    run_dir = Path(manifest["path"])
    return {"results": json.loads((run_dir / entry["outputs"]["results"]).read_text(encoding="utf-8"))["results"],
            "html": (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8"),
            "notebook": run_dir / entry["outputs"]["notebook"]}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("user_survey")
    frame = simulate_survey()
    files = write_copies(frame, folder)
    return {
        "files": files,
        "utf-8 en, survey only": render(folder, "utf8", study(files["utf-8"], kano=False), "en"),
        "gbk zh": render(folder, "gbk", study(files["gbk"], kano=True), "zh"),
        "xlsx en": render(folder, "xlsx", study(files["xlsx"], kano=True), "en"),
        "sav zh": render(folder, "sav", study(files["sav"], kano=True), "zh"),
    }


def table_cells(page: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", page, re.S)]


# ------------------------------------------------------------------------------------------------- (a)
@pytest.mark.parametrize("run", ["utf-8 en, survey only", "gbk zh"])
def test_user_names_are_shown_as_given(runs, run):
    got, lang = runs[run], run.split(",")[0].split()[1]
    r = got["results"]
    assert set(r["pls_index"]) == set(CONSTRUCTS)
    assert set(r["pls_paths"]) == {f"{a} -> {b}" for a, b in PATHS}
    assert r["satisfaction_construct"] == "SAT" and set(r["pls_total_effects"]) == {"image", "COMP", "value"}
    assert r["mga_groups"] == sorted(GROUPS)
    cells = table_cells(got["html"])
    for construct in CONSTRUCTS:
        assert construct in cells, f"{construct} missing from the {lang} report's tables"
    assert "image -> SAT" in cells
    colliding = [c for c in [*CONSTRUCTS, *KANO] if is_term(c)]
    assert {"COMP", "value", "image", "SAT", "service", "time"} <= set(colliding)  # the fixture does collide
    relabelled = {t(c, lang) for c in colliding} & set(cells)
    assert not relabelled, f"user names relabelled through the term table in the {lang} report: {relabelled}"
    assert "(SAT)" in got["html"] or "（SAT）" in got["html"]  # the summary names the construct as given


def test_names_of_kano_attributes_are_shown_as_given(runs):
    for run in ("gbk zh", "xlsx en"):
        r, cells = runs[run]["results"], table_cells(runs[run]["html"])
        assert set(r["kano_categories"]) == set(KANO)
        assert {"service", "time"} <= set(cells)


def test_standardised_paths_equal_the_api_with_the_same_missing_handling(runs):
    data = read_table(runs["files"]["utf-8"], missing_codes=[-99], id_columns=["rid"]).table
    assert data[[i for items in CONSTRUCTS.values() for i in items]].isna().sum().sum() > 50  # codes and blanks
    model = PLSPathModel(CONSTRUCTS, [tuple(p) for p in PATHS], scheme="path", scaled=True).fit(
        data, missing="mean", scale=(1, 7))
    r = runs["utf-8 en, survey only"]["results"]
    assert r["pls_settings"]["scaled"] is True and r["pls_settings"]["missing"] == "mean"
    for path, estimate in model.inner_model_["estimate"].items():
        assert r["pls_paths"][path] == pytest.approx(estimate, abs=1e-10)
    assert r["pls_gof"] == pytest.approx(model.gof_, abs=1e-10)


# ------------------------------------------------------------------------------------------------- (b)
def test_gbk_xlsx_and_sav_copies_give_identical_results(runs):
    reference = runs["gbk zh"]["results"]
    assert "kano_categories" in reference and "mga_paths" in reference
    for run in ("xlsx en", "sav zh"):
        assert runs[run]["results"] == reference, run
    survey_only = runs["utf-8 en, survey only"]["results"]  # the UTF-8 copy agrees on everything it computed
    assert {k: reference[k] for k in survey_only} == survey_only


# ------------------------------------------------------------------------------------------------- (c)
@pytest.mark.parametrize("change, parameter", [
    (lambda s: {**s, "path": s["path"] + ".missing"}, "01_satisfaction: survey.path"),
    (lambda s: {**s, "constructs": {**s["constructs"], "COMP": ["cmp1", "cmp9"]}}, "01_satisfaction: survey.constructs.COMP"),
    (lambda s: {**s, "overall": "overall_sat"}, "01_satisfaction: survey.overall"),
])
def test_bad_study_is_refused_before_any_kernel_starts(tmp_path, change, parameter):
    path = tmp_path / "survey.csv"
    simulate_survey(n=40).to_csv(path, index=False)
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"notebooks": {"01_satisfaction": {"survey": change(study(path, kano=False))}}}))
    reports = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "crmlab", "report", "01_satisfaction", "--params", str(params),
                           "--notebooks-dir", str(ROOT / "notebooks"), "--reports-dir", str(reports)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert parameter in done.stderr
    assert not reports.exists() or not any(reports.iterdir())  # no run folder: no kernel was started


# ------------------------------------------------------------------------------------------------- (d)
def test_survey_only_study_skips_the_other_sections_and_shows_no_bundled_data(runs):
    got = runs["utf-8 en, survey only"]
    r = got["results"]
    absent = [k for k in r if k.startswith(("servqual", "satisfaction_ratio", "kano", "loyalty", "customer_delivered",
                                           "pls_max_abs", "plsc"))]
    assert absent == [] and r["bundled_data"] is False
    nb = nbformat.read(str(got["notebook"]), as_version=4)
    notes = [o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if "text/markdown" in o.get("data", {})]
    for section, need in (("section_servqual", "need_servqual"), ("section_kano", "need_kano_answers"),
                          ("section_loyalty", "need_purchases"), ("cdv", "need_cdv_offers")):
        note = t("section_skipped", "en").format(section=t(section, "en"), need=t(need, "en"))
        assert f"*{note}*" in notes, note
    outputs = "\n".join(o.get("text", "") + "".join(v for k, v in o.get("data", {}).items() if k.startswith("text/"))
                        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))  # not the images
    text = outputs + json.dumps(r, ensure_ascii=False)
    shown = [name for name in BUNDLED if re.search(rf"\b{re.escape(name)}\b" if name.isascii() else re.escape(name), text)]
    assert shown == [], f"bundled data in a report on user data: {shown}"


# ------------------------------------------------------------------------------------------------- language
def test_user_reports_are_in_one_language(runs):
    text, headers = report_text(runs["gbk zh"]["notebook"])
    user_names = [*CONSTRUCTS, *KANO, "region", "rid"]
    assert english_words(text + " " + " ".join(headers), names=user_names) == []
    text, headers = report_text(runs["utf-8 en, survey only"]["notebook"])
    assert chinese_characters(text + " " + " ".join(headers), names=GROUPS) == []
