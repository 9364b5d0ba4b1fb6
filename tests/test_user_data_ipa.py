"""Notebook 02 on a user's own survey, run through the report runner with a parameter file (issue 9).

The fixture is a survey a researcher might bring: no stated-importance questions, attribute names that are also
crmlab terms (``price``, ``quality``, ``value``) or Chinese (``服务态度``), Chinese column headers in a GB18030 CSV
(an .xlsx copy for the Chinese run), "don't know" coded 99, and a small PLS model whose constructs are called
``quality``, ``value`` and ``SAT`` (a term too).  References: pandas on the complete cases (means, correlations) and
crmlab.pls fitted directly with the same settings — the engine notebook 01 uses for its 0–100 indices (itself checked
against R plspm in tests/test_pls.py); for the shared ECSI example, R plspm's total effects.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from crmlab.i18n import t
from crmlab.pls import PLSPathModel
from crmlab.report.runner import run_reports
from report_text import chinese_characters, english_words, markdown_outputs, prose, read, row_labels

ROOT = Path(__file__).resolve().parents[1]
STEM = "02_importance_performance"
ATTRIBUTES = {"price": "价格评分", "quality": "p_quality", "value": "p_value", "服务态度": "服务态度评分"}
COMPETITOR = {a: f"c_{a}" for a in ATTRIBUTES}
OVERALL = "总体满意度"
BLOCKS = {"quality": ["PQ1", "PQ2", "PQ3"], "value": ["PV1", "PV2"], "SAT": ["SAT1", "SAT2", "SAT3"]}
PATHS = [["quality", "value"], ["quality", "SAT"], ["value", "SAT"]]
BUNDLED = ["checkout_speed", "Checkout speed", "结账速度", "perf_price", "loyalty_program", "imag1", "expe1",
           "Perceived quality", "True coefficient", "真实系数", "true_standardized_total"]


def make_survey(n: int = 300, seed: int = 20240909) -> pd.DataFrame:
    """A simulated survey: performance ratings 1–7 driven by a halo and known weights, PLS items on 1–7, 99 = don't know."""
    rng = np.random.default_rng(seed)

    def rate(x, low=1, high=7):
        return np.clip(np.rint(x), low, high).astype(int)

    halo = rng.standard_normal(n)
    perf = {a: rate(mu + 0.7 * halo + rng.standard_normal(n)) for a, mu in zip(ATTRIBUTES, (4.0, 5.2, 4.4, 5.6))}
    overall = rate(-1.5 + sum(b * perf[a] for a, b in zip(ATTRIBUTES, (0.45, 0.55, 0.3, 0.1))) + 0.8 * rng.standard_normal(n), 1, 10)
    quality = rng.standard_normal(n)
    value = 0.6 * quality + 0.8 * rng.standard_normal(n)
    sat = 0.45 * quality + 0.35 * value + 0.7 * rng.standard_normal(n)
    frame = {"respondent": [f"R{k:04d}" for k in range(n)]}
    frame.update({col: perf[a] for a, col in ATTRIBUTES.items()})
    frame.update({COMPETITOR[a]: rate(mu + 0.7 * rng.standard_normal(n) + rng.standard_normal(n))
                  for a, mu in zip(ATTRIBUTES, (4.6, 4.9, 4.5, 5.0))})
    frame[OVERALL] = overall
    for construct, latent in (("quality", quality), ("value", value), ("SAT", sat)):
        for item in BLOCKS[construct]:
            frame[item] = rate(4.5 + 1.2 * (0.85 * latent + 0.5 * rng.standard_normal(n)))
    df = pd.DataFrame(frame)
    for col, rows in ((ATTRIBUTES["price"], [3, 50, 51, 120]), (OVERALL, [7, 50]), (COMPETITOR["quality"], [200]),
                      ("PQ2", [9, 77, 150]), ("SAT3", [42])):
        df.loc[rows, col] = 99  # "don't know"
    return df


def study(path: Path) -> dict:
    return {"kind": "survey", "path": str(path), "id": "respondent", "scale": [1, 7], "attributes": ATTRIBUTES,
            "overall": OVERALL, "overall_scale": [1, 10], "competitor": COMPETITOR, "missing_codes": [99],
            "constructs": BLOCKS, "paths": PATHS}


def run(tmp: Path, params: dict, label: str) -> dict:
    params_file = tmp / f"{label}.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    log = io.StringIO()
    manifest = run_reports([STEM], notebooks_dir=ROOT / "notebooks", reports_dir=tmp / "reports", params_file=params_file,
                           jobs=1, timeout=900, stream=log, label=label)
    entry = manifest["notebooks"][0]
    assert entry["status"] == "ok", f"{entry['error']}\n{log.getvalue()}"
    run_dir = Path(manifest["path"])
    return {"results": json.loads((run_dir / entry["outputs"]["results"]).read_text(encoding="utf-8"))["results"],
            "nb": read(run_dir / entry["outputs"]["notebook"]),
            "html": (run_dir / entry["outputs"]["report"]).read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def survey_frame() -> pd.DataFrame:
    return make_survey()


@pytest.fixture(scope="module")
def runs(survey_frame, tmp_path_factory) -> dict:
    """The same survey twice: English from a GB18030 CSV (default PLS settings), Chinese from an .xlsx copy (the others)."""
    tmp = tmp_path_factory.mktemp("ipa_user")
    csv, xlsx = tmp / "wave.csv", tmp / "wave.xlsx"
    survey_frame.to_csv(csv, index=False, encoding="gb18030")
    survey_frame.to_excel(xlsx, index=False)
    en = run(tmp, {"notebooks": {STEM: {"survey": study(csv), "n_boot": 50, "missing": "drop"}}}, "en")
    zh = run(tmp, {"global": {"lang": "zh"}, "notebooks": {STEM: {
        "survey": study(xlsx), "n_boot": 50, "missing": "drop", "pls_scheme": "centroid", "standardized": False,
        "importance_methods": ["correlation", "relative_weights"], "importance_method": "relative_weights"}}}, "zh")
    return {"en": en, "zh": zh}


def complete_cases(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.replace(99, np.nan).dropna(subset=columns)


# ---------------------------------------------------------------- (a) no stated importance
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_stated_importance_the_notebook_skips_that_section_and_derives_importance(runs, lang):
    r, nb = runs[lang]["results"], runs[lang]["nb"]
    note = t("section_skipped", lang).format(section=t("section_ipa_stated", lang), need=t("need_ipa_stated", lang))
    assert f"*{note}*" in markdown_outputs(nb)
    assert not {"quadrants_stated", "overall_csi", "overall_csi_index_0_100", "recovered_coefficients"} & set(r)
    methods = ["correlation", "ols_beta", "relative_weights", "lmg"] if lang == "en" else ["correlation", "relative_weights"]
    assert sorted(next(iter(r["importance_table"].values()))) == sorted(methods)  # the results JSON sorts keys
    assert r["relative_weights_sum"] == pytest.approx(r["r_squared"], abs=1e-10)
    assert {"ipa_main", "stability_share", "competitor_gap", "ipma_table", "priority_gap"} <= set(r)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_report_on_user_data_holds_only_the_users_data(runs, lang):
    text = runs[lang]["html"] + json.dumps(runs[lang]["results"], ensure_ascii=False)
    assert [b for b in BUNDLED if b in text] == []


# ---------------------------------------------------------------- (b) names as given, in both languages
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_attribute_and_construct_names_are_shown_as_given(runs, lang):
    r, nb = runs[lang]["results"], runs[lang]["nb"]
    assert sorted(r["ipa_main"]) == sorted(r["importance_table"]) == sorted(ATTRIBUTES)
    assert r["attribute_labels"] == {a: a for a in ATTRIBUTES}
    assert sorted(r["ipma_table"]) == ["quality", "value"] and r["ipma_target"] == "SAT"
    rows = row_labels(nb)
    assert set(ATTRIBUTES) | {"quality", "value"} <= rows
    translated = {t(k, lang) for k in ("value", "SAT")} | {t(k, other) for k in ("value", "SAT") for other in ("en", "zh")}
    assert not translated & rows, "a user's name was relabelled through the term table"
    assert t("ipma_settings_note", lang).split("{target}")[0].split("}")[-1] + "SAT" in prose(nb)


def test_reports_speak_one_language(runs):
    names = [*ATTRIBUTES, "SAT", "quality", "value"]
    assert chinese_characters(prose(runs["en"]["nb"]), allowed=names) == []
    assert english_words(prose(runs["zh"]["nb"]), allowed=names) == []


# ---------------------------------------------------------------- (c) missing codes never reach a mean
def test_missing_codes_do_not_reach_the_means(runs, survey_frame):
    r = runs["en"]["results"]
    declared = [*ATTRIBUTES.values(), OVERALL, *COMPETITOR.values()]
    complete = complete_cases(survey_frame, declared)
    assert r["n_respondents"] == len(complete) and r["n_respondents_dropped"] == len(survey_frame) - len(complete) == 6
    main = pd.DataFrame.from_dict(r["ipa_main"], orient="index").loc[list(ATTRIBUTES)]
    expected = complete[list(ATTRIBUTES.values())].mean().set_axis(list(ATTRIBUTES))
    assert main["performance"].to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-12)
    assert main["performance"].max() <= 7
    corr = complete[[OVERALL, *ATTRIBUTES.values()]].corr().iloc[1:, 0].set_axis(list(ATTRIBUTES))
    table = pd.DataFrame.from_dict(r["importance_table"], orient="index").loc[list(ATTRIBUTES)]
    assert table["correlation"].to_numpy() == pytest.approx(corr.to_numpy(), abs=1e-12)
    gap = complete[list(ATTRIBUTES.values())].to_numpy() - complete[list(COMPETITOR.values())].to_numpy()
    assert [r["competitor_gap"][a] for a in ATTRIBUTES] == pytest.approx(list(gap.mean(axis=0)), abs=1e-12)


# ---------------------------------------------------------------- (d) the PLS map gives notebook 01's indices
@pytest.mark.parametrize("lang, scheme, standardized", [("en", "path", True), ("zh", "centroid", False)])
def test_ipma_indices_equal_the_pls_index_with_the_same_settings(runs, survey_frame, lang, scheme, standardized):
    r = runs[lang]["results"]
    assert r["ipma_settings"] == {"scheme": scheme, "standardized": standardized, "target": "SAT",
                                  "n_respondents": len(complete_cases(survey_frame, [i for b in BLOCKS.values() for i in b])),
                                  "missing": "drop"}
    data = survey_frame.replace(99, np.nan)
    pls = PLSPathModel(BLOCKS, [tuple(p) for p in PATHS], scheme=scheme, scaled=standardized).fit(data, scale=(1, 7), missing="drop")
    index = pls.index_0_100()
    ipma = pd.DataFrame.from_dict(r["ipma_table"], orient="index").loc[["quality", "value"]]
    assert ipma["performance"].to_numpy() == pytest.approx(index[["quality", "value"]].to_numpy(), abs=1e-9)
    assert r["ipma_target_index"] == pytest.approx(index["SAT"], abs=1e-9)
    expected = pls.importance_performance("SAT").table
    assert ipma["importance"].to_numpy() == pytest.approx(expected["importance"].to_numpy(), abs=1e-9)


def test_defaults_are_notebook_01s_pls_settings():
    """Same names and defaults as notebook 01 for every PLS setting both notebooks declare (scheme, item treatment, missing)."""
    from crmlab.report.params import declared_parameters

    ours = declared_parameters(ROOT / "notebooks" / f"{STEM}.ipynb")
    assert (ours["pls_scheme"].default, ours["standardized"].default, ours["missing"].default) == ("path", True, "error")
    theirs = declared_parameters(ROOT / "notebooks" / "01_satisfaction.ipynb")
    shared = [name for name in ("pls_scheme", "standardized", "missing") if name in theirs]
    assert "pls_scheme" in shared
    assert {n: theirs[n].default for n in shared} == {n: ours[n].default for n in shared}


def test_missing_answers_stop_the_run_by_default_naming_the_parameter(survey_frame, tmp_path):
    path = tmp_path / "wave.csv"
    survey_frame.to_csv(path, index=False)
    error = run_failing(tmp_path, study(path))
    assert "missing answers" in error and "价格评分" in error and "set missing: drop" in error


# ---------------------------------------------------------------- the documented example on the ECSI survey
def test_shared_data_example_reproduces_r_plspm_total_effects(shared_data, tmp_path):
    params = yaml.safe_load((ROOT / "examples" / "shared-data.yaml").read_text(encoding="utf-8"))
    section = {"global": params.get("global", {}), "notebooks": {STEM: params["notebooks"][STEM]}}
    got = run(tmp_path, section, "ecsi")
    r = got["results"]
    effects = pd.read_csv(shared_data / "ecsi" / "satisfaction.effects.csv", index_col=0)
    reference = effects[effects["to"] == r["ipma_target"]].set_index("from")["total"]
    ipma = pd.DataFrame.from_dict(r["ipma_table"], orient="index")
    assert r["ipma_target"] == "LOY" and sorted(ipma.index) == sorted(reference.index)
    assert ipma["importance_standardized"].to_numpy() == pytest.approx(reference[ipma.index].to_numpy(), abs=1e-6)
    assert [b for b in BUNDLED[:3] if b in got["html"]] == []  # imag1 etc. are this survey's own items


# ---------------------------------------------------------------- errors name the parameter to change
def test_errors_name_the_notebook_parameters(survey_frame, tmp_path):
    """A survey with stated importance but no overall question: the default derived route cannot run."""
    path = tmp_path / "stated_only.csv"
    frame = survey_frame[list(ATTRIBUTES.values())].replace(99, 4).assign(**{f"imp_{a}": 5 for a in ATTRIBUTES})
    frame.to_csv(path, index=False)
    spec = {"kind": "survey", "path": str(path), "scale": [1, 7], "attributes": ATTRIBUTES,
            "stated_importance": {a: f"imp_{a}" for a in ATTRIBUTES}}
    error = run_failing(tmp_path, spec)
    assert "importance_method='lmg'" in error and "survey.overall" in error and "importance_method: stated" in error


def run_failing(tmp_path: Path, spec: dict) -> str:
    """Run the notebook on ``spec`` expecting it to stop; the one-line error the runner reports."""
    params_file = tmp_path / "p.yaml"
    params_file.write_text(yaml.safe_dump({"notebooks": {STEM: {"survey": spec}}}, allow_unicode=True), encoding="utf-8")
    manifest = run_reports([STEM], notebooks_dir=ROOT / "notebooks", reports_dir=tmp_path / "reports", params_file=params_file,
                           jobs=1, timeout=600, stream=io.StringIO())
    assert manifest["notebooks"][0]["status"] == "failed"
    return manifest["notebooks"][0]["error"]["summary"]
