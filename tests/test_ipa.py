"""Importance–performance analysis: importance methods against references, quadrants, stability, bad input."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crmlab.datasets import ipa as ds
from crmlab.ipa import (
    ImportancePerformance,
    importance_from_correlations,
    importance_performance_map,
    lmg,
    ols_beta_importance,
    quadrant_analysis,
    quadrant_changes,
    relative_weights,
    survey_design,
)
from crmlab.validation import CrmlabValueError

# R's datasets::mtcars (Henderson & Velleman 1981), columns mpg, cyl, disp, hp, gear.
MTCARS = np.array([
    [21.0, 6, 160.0, 110, 4], [21.0, 6, 160.0, 110, 4], [22.8, 4, 108.0, 93, 4], [21.4, 6, 258.0, 110, 3],
    [18.7, 8, 360.0, 175, 3], [18.1, 6, 225.0, 105, 3], [14.3, 8, 360.0, 245, 3], [24.4, 4, 146.7, 62, 4],
    [22.8, 4, 140.8, 95, 4], [19.2, 6, 167.6, 123, 4], [17.8, 6, 167.6, 123, 4], [16.4, 8, 275.8, 180, 3],
    [17.3, 8, 275.8, 180, 3], [15.2, 8, 275.8, 180, 3], [10.4, 8, 472.0, 205, 3], [10.4, 8, 460.0, 215, 3],
    [14.7, 8, 440.0, 230, 3], [32.4, 4, 78.7, 66, 4], [30.4, 4, 75.7, 52, 4], [33.9, 4, 71.1, 65, 4],
    [21.5, 4, 120.1, 97, 3], [15.5, 8, 318.0, 150, 3], [15.2, 8, 304.0, 150, 3], [13.3, 8, 350.0, 245, 3],
    [19.2, 8, 400.0, 175, 3], [27.3, 4, 79.0, 66, 4], [26.0, 4, 120.3, 91, 5], [30.4, 4, 95.1, 113, 5],
    [15.8, 8, 351.0, 264, 5], [19.7, 6, 145.0, 175, 5], [15.0, 8, 301.0, 335, 5], [21.4, 4, 121.0, 109, 4],
])


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return ds.load_ipa_survey()


def fit(data, importance="lmg", **kw):
    m = ds.column_mapping()
    kw.setdefault("overall_scale", ds.OVERALL_SCALE)
    return ImportancePerformance(performance=m["performance"], importance=importance,
                                 stated_importance=m["stated_importance"], overall="overall", **kw).fit(data)


def r2_of(X: np.ndarray, y: np.ndarray) -> float:
    """R² of an OLS fit with intercept, by least squares on raw data (independent of the correlation algebra)."""
    if X.shape[1] == 0:
        return 0.0
    A = np.column_stack([np.ones(len(y)), X])
    resid = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


# ---------------------------------------------------------------- references
def test_relative_weights_match_r_rwa_package_on_mtcars():
    # R package rwa (Tonidandel & LeBreton method, Johnson 2000), README example:
    # rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"))
    # $rsquare 0.7791896; Raw.RelWeight 0.2284797 0.2221469 0.2321744 0.0963886
    corr = np.corrcoef(MTCARS, rowvar=False)
    weights, r2 = importance_from_correlations(corr, "relative_weights")
    assert r2 == pytest.approx(0.7791896, abs=5e-8)
    np.testing.assert_allclose(weights, [0.2284797, 0.2221469, 0.2321744, 0.0963886], atol=5e-8)
    assert weights.sum() == pytest.approx(r2, abs=1e-12)


def test_lmg_equals_brute_force_average_over_all_orders():
    y, X = MTCARS[:, 0], MTCARS[:, 1:]
    p = X.shape[1]
    brute = np.zeros(p)
    for order in itertools.permutations(range(p)):
        for k, j in enumerate(order):
            before = list(order[:k])
            brute[j] += r2_of(X[:, before + [j]], y) - r2_of(X[:, before], y)
    brute /= math.factorial(p)
    values, r2 = importance_from_correlations(np.corrcoef(MTCARS, rowvar=False), "lmg")
    np.testing.assert_allclose(values, brute, atol=1e-10)
    assert values.sum() == pytest.approx(r2_of(X, y), abs=1e-12)


def test_lmg_two_predictors_closed_form_and_orthogonal_case():
    r12, r1y, r2y = 0.5, 0.6, 0.3
    rxx = np.array([[1, r12], [r12, 1]])
    rxy = np.array([r1y, r2y])
    r2 = rxy @ np.linalg.solve(rxx, rxy)
    # two orders: LMG_1 = (r1y² + (R² − r2y²)) / 2
    np.testing.assert_allclose(lmg(rxx, rxy), [(r1y**2 + r2 - r2y**2) / 2, (r2y**2 + r2 - r1y**2) / 2])
    # orthogonal predictors: LMG = relative weights = squared validities
    rxy3 = np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(lmg(np.eye(3), rxy3), rxy3**2)
    np.testing.assert_allclose(relative_weights(np.eye(3), rxy3), rxy3**2)


def test_batched_importance_equals_one_at_a_time():
    rng = np.random.default_rng(1)
    corrs = np.stack([np.corrcoef(rng.standard_normal((40, 5)) @ rng.standard_normal((5, 5)), rowvar=False) for _ in range(3)])
    for method in ("relative_weights", "lmg", "ols_beta", "correlation"):
        batch, r2 = importance_from_correlations(corrs, method)
        for b in range(3):
            one, r2_one = importance_from_correlations(corrs[b], method)
            np.testing.assert_allclose(batch[b], one, atol=1e-12)
            if method != "correlation":
                np.testing.assert_allclose(r2[b], r2_one, atol=1e-12)


def test_standardized_betas_statsmodels_equal_least_squares(survey):
    cols = list(ds.column_mapping()["performance"].values())
    detail = ols_beta_importance(survey, cols, "overall")
    X, y = survey[cols].to_numpy(float), survey["overall"].to_numpy(float)
    raw = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0][1:]
    np.testing.assert_allclose(detail["estimate"], raw * X.std(0, ddof=1) / y.std(ddof=1), atol=1e-10)
    np.testing.assert_allclose(detail["b"], raw, atol=1e-10)
    assert detail["r_squared"].iloc[0] == pytest.approx(r2_of(X, y))


# ---------------------------------------------------------------- recovery of known importances
def test_large_sample_recovers_true_coefficients():
    data = ds.generate_ipa_survey(20000, random_state=7)
    model = fit(data, "ols_beta")
    cols = list(ds.column_mapping()["performance"].values())
    raw = model.importance_.to_numpy() * data["overall"].std(ddof=1) / data[cols].std(ddof=1).to_numpy()
    np.testing.assert_allclose(raw, ds.TRUE_PARAMETERS["overall_coefficient"], atol=0.02)


@pytest.mark.parametrize("method", ["relative_weights", "lmg", "ols_beta"])
def test_bundled_survey_recovers_known_ranking(survey, method):
    true = ds.TRUE_PARAMETERS["overall_coefficient"]
    est = fit(survey, method).importance_
    assert stats.spearmanr(est, true).statistic > 0.8
    strong = set(true[true >= 0.25].index)  # price, quality, freshness, checkout, staff
    assert set(est.nlargest(len(strong)).index) == strong


def test_bundled_survey_designed_quadrants(survey):
    quadrants = fit(survey, "lmg").result_.table["quadrant"]
    designed = {"product_quality": "A", "freshness": "A", "checkout_speed": "B", "price": "B",
                "parking": "C", "loyalty_program": "C", "cleanliness": "D", "opening_hours": "D"}
    assert {a: quadrants[a] for a in designed} == designed


def test_stated_importance_is_survey_mean_and_differs_from_derived(survey):
    model = fit(survey, "stated")
    cols = ds.column_mapping()["stated_importance"]
    assert model.importance_["price"] == pytest.approx(survey[cols["price"]].mean())
    changes = quadrant_changes({"stated": model.result_, "lmg": fit(survey, "lmg").result_})
    assert changes.loc["cleanliness", "changes"] and changes.loc["cleanliness", "stated"] == "A"


# ---------------------------------------------------------------- quadrants, crosshairs, zoning, overall
@pytest.fixture
def toy():
    perf = pd.Series([6.0, 2.0, 3.0, 5.0, 4.0], index=list("pqrst"))
    imp = pd.Series([6.0, 5.0, 2.0, 1.0, 3.0], index=list("pqrst"))
    return perf, imp


def test_quadrants_by_hand_with_tie_rule(toy):
    perf, imp = toy
    res = quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), importance_scale=(1, 7), crosshair=(4, 3))
    # t sits exactly on both lines -> high/high -> A (tie rule)
    assert res.table["quadrant"].to_dict() == {"p": "A", "q": "B", "r": "C", "s": "D", "t": "A"}
    assert res.table.loc["q", "zone"] == "repair" and res.table.loc["q", "action"] == "action_repair"
    assert res.rules.loc["B", "performance"] == "< 4" and res.rules.loc["B", "importance"] == "≥ 3"
    assert res.rules["n_attributes"].tolist() == [2, 1, 1, 1]
    from crmlab.i18n import label_table

    zh, en = label_table(res.rules, "zh", context="ipa"), label_table(res.rules, "en", context="ipa")
    assert zh.loc["A", "区域"] == "A 优势区" and en.loc["B", "Action"] == "fix first"


def test_crosshair_rules(toy):
    perf, imp = toy
    res = quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), importance_scale=(1, 7), crosshair="midpoint")
    assert (res.crosshair["performance"], res.crosshair["importance"]) == (4.0, 4.0)
    res = quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), importance_scale=(1, 7), crosshair="mean")
    assert res.crosshair["performance"] == pytest.approx(4.0) and res.crosshair["importance"] == pytest.approx(3.4)
    res = quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), crosshair=("median", 2.5))
    assert res.crosshair["performance"] == 4.0 and res.crosshair["importance"] == 2.5
    assert res.settings["crosshair"] == ("median", 2.5)
    with pytest.raises(CrmlabValueError, match="midpoint.*importance axis needs a declared scale"):
        quadrant_analysis(perf, imp / 10, method="lmg", performance_scale=(1, 7), crosshair="midpoint")
    with pytest.raises(CrmlabValueError, match="crosshair"):
        quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), crosshair="middle")


def test_diagonal_zoning_by_hand(toy):
    perf, imp = toy
    res = quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), importance_scale=(1, 7),
                            crosshair=(4, 3), zoning="diagonal")
    assert res.settings["diagonal_slope"] == 1.0  # same declared scale on both axes
    np.testing.assert_allclose(res.table["priority_gap"], (imp - 3) - (perf - 4))
    assert res.table["diagonal_zone"].to_dict() == {"p": "above_diagonal", "q": "above_diagonal", "r": "below_diagonal",
                                                     "s": "below_diagonal", "t": "below_diagonal"}
    res = quadrant_analysis(perf, imp / 10, method="lmg", performance_scale=(1, 7), zoning="diagonal")
    assert res.settings["diagonal_slope"] == pytest.approx((imp / 10).std() / perf.std())


def test_overall_value_by_hand(toy):
    perf, imp = toy
    res = quadrant_analysis(perf, imp, method="stated", performance_scale=(1, 7), importance_scale=(1, 7))
    csi = (6 * 6 + 2 * 5 + 3 * 2 + 5 * 1 + 4 * 3) / 17
    assert res.overall["csi"] == pytest.approx(csi)
    assert res.overall["index_0_100"] == pytest.approx((csi - 1) / 6 * 100)
    assert res.overall["weights"] == "importance"
    neg = quadrant_analysis(perf, imp - 2, method="ols_beta", performance_scale=(1, 7))
    assert neg.overall["weights"] == "equal" and neg.overall["csi"] == pytest.approx(4.0)
    with pytest.raises(CrmlabValueError, match=r"non-negative importance; attributes \['s'\]"):
        quadrant_analysis(perf, imp - 2, method="ols_beta", performance_scale=(1, 7), overall_weights="importance")


def test_competitor_gap_and_paired_test(survey):
    m = ds.column_mapping()
    model = fit(survey, "lmg", competitor=m["competitor"])
    table = model.result_.table
    ours, theirs = survey[m["performance"]["price"]], survey[m["competitor"]["price"]]
    assert table.loc["price", "performance_gap"] == pytest.approx(ours.mean() - theirs.mean())
    assert table.loc["price", "gap_p_value"] == pytest.approx(stats.ttest_rel(ours, theirs).pvalue)
    assert set(table["competitor_quadrant"]) <= set("ABCD")


def test_importance_performance_map_from_series():
    effects = pd.Series({"image": 0.25, "quality": 0.60, "value": 0.15, "expectation": 0.05})
    index = pd.Series({"image": 72.0, "quality": 65.0, "value": 58.0, "expectation": 80.0})
    res = importance_performance_map(effects, index, target="satisfaction")
    assert res.crosshair["performance"] == pytest.approx(68.75) and res.crosshair["importance"] == pytest.approx(0.2625)
    assert res.table["quadrant"].to_dict() == {"image": "D", "quality": "B", "value": "C", "expectation": "D"}
    assert res.settings["method"] == "pls_total_effect" and res.settings["target"] == "satisfaction" and res.settings["performance_scale"] == (0, 100)
    with pytest.raises(CrmlabValueError, match=r"in performance but not importance: \['expectation'\]"):
        importance_performance_map(effects.drop("expectation"), index, target="satisfaction")


def test_model_based_map_with_pls_recovers_known_ordering():
    from crmlab.pls import PLSPathModel

    data = pd.read_csv(ds.IPMA_FILE)
    model = PLSPathModel(ds.IPMA_BLOCKS, list(ds.IPMA_PATHS), scaled=False).fit(data, scale=ds.IPMA_SCALE)
    true = ds.ipma_true_total_effects("satisfaction")
    est = model.effects_.query("target == 'satisfaction'").set_index("source")["total"].reindex(true.index)
    np.testing.assert_allclose(est, true, atol=0.1)  # PLS on error-laden items: close, slightly attenuated
    ipm = model.importance_performance("satisfaction").table
    res = importance_performance_map(ipm["importance"], ipm["performance"], target="satisfaction")
    assert res.table["importance"].idxmax() == "quality" and res.table["importance"].idxmin() == "value"
    # performance index ordering follows the known construct means (expectation > image > quality > value)
    assert list(res.table["performance"].sort_values(ascending=False).index) == ["expectation", "image", "quality", "value"]
    assert res.table.loc["quality", "quadrant"] == "B"


def test_summary_holds_keys_and_presentation_names_method_and_crosshair(survey):
    from crmlab.i18n import label_table
    from crmlab.plotting.ipa import describe_crosshair, method_label

    model = fit(survey, "relative_weights")
    summary = model.summary()
    assert summary.loc["checkout_speed", "zone"] == "repair"  # computation returns keys
    assert label_table(summary, "zh", context="ipa").loc["checkout_speed", "区域"] == "B 修补区"
    assert method_label(model.result_.settings["method"], "zh").startswith("相对权重")
    assert "均值" in describe_crosshair(model.result_, "zh")


# ---------------------------------------------------------------- stability
def test_bootstrap_matches_explicit_resampling(survey):
    model = fit(survey, "relative_weights")
    stab = model.bootstrap(n_boot=20, random_state=3)
    # independent recomputation: draw the same respondent indices, fit each resample from scratch
    idx = np.random.default_rng(3).integers(0, len(survey), size=(20, len(survey)))
    cols = ["overall", *ds.column_mapping()["performance"].values()]
    for b in (0, 7, 19):
        sample = survey[cols].to_numpy(float)[idx[b]]
        rw, _ = importance_from_correlations(np.corrcoef(sample, rowvar=False), "relative_weights")
        np.testing.assert_allclose(stab.importance_draws[b], rw, atol=1e-10)
        np.testing.assert_allclose(stab.performance_draws[b], sample[:, 1:].mean(0), atol=1e-10)
        np.testing.assert_allclose(stab.crosshair_draws[b], [sample[:, 1:].mean(0).mean(), rw.mean()], atol=1e-10)


def test_bootstrap_shares(survey):
    stab = fit(survey, "lmg").bootstrap(n_boot=200, random_state=0)
    table = stab.table
    np.testing.assert_allclose(table[[f"share_{q}" for q in "ABCD"]].sum(axis=1), 1.0)
    assert stab.settings["n_boot"] == 200 and stab.settings["random_state"] == 0
    # far from the crosshair -> stable; product_range sits near the performance line -> fragile
    assert table.loc[["product_quality", "checkout_speed", "loyalty_program"], "share_same_quadrant"].min() > 0.9
    assert table.loc["product_range", "share_same_quadrant"] < 0.9
    assert (table["performance_low"] <= model_perf(survey)).all() and (table["var_importance"] > 0).all()
    again = fit(survey, "lmg").bootstrap(n_boot=200, random_state=0)
    pd.testing.assert_frame_equal(table, again.table)


def model_perf(survey):
    return survey[list(ds.column_mapping()["performance"].values())].mean().set_axis(ds.attributes())


def test_bootstrap_stated(survey):
    stab = fit(survey, "stated").bootstrap(n_boot=50, random_state=1)
    assert stab.importance_draws.shape == (50, 10)
    assert (stab.table["importance_low"] <= stab.table["importance_high"]).all()


# ---------------------------------------------------------------- bad input
def test_error_attribute_without_variance(survey):
    bad = survey.assign(perf_parking=4)
    for method in ("relative_weights", "stated"):
        with pytest.raises(CrmlabValueError, match="'perf_parking' is constant"):
            fit(bad, method)


def test_error_attributes_do_not_match(survey):
    m = ds.column_mapping()
    stated = dict(m["stated_importance"])
    stated.pop("parking")
    with pytest.raises(CrmlabValueError, match=r"in performance but not stated_importance: \['parking'\]"):
        ImportancePerformance(performance=m["performance"], stated_importance=stated).fit(survey)
    with pytest.raises(CrmlabValueError, match=r"in importance but not performance: \['x'\]"):
        quadrant_analysis(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 1.0, "x": 2.0}), method="stated",
                          performance_scale=(1, 7))


def test_error_rating_outside_scale(survey):
    bad = survey.copy()
    bad.loc[5, "perf_price"] = 9
    with pytest.raises(CrmlabValueError, match=r"'perf_price' has values \[9\] outside the declared performance scale \[1, 7\]"):
        fit(bad, "stated")
    with pytest.raises(CrmlabValueError, match="'overall' has values .* outside the declared overall-satisfaction scale"):
        fit(survey, "lmg", overall_scale=(1, 7))


def test_error_too_few_respondents_for_regression(survey):
    small = survey.iloc[:11]
    with pytest.raises(CrmlabValueError, match=r"importance='lmg' regresses .* p=10 attributes .*n ≥ p \+ 2 = 12\); got n=11"):
        fit(small, "lmg")
    assert len(fit(small, "correlation").importance_) == 10  # correlation needs only n >= 3


def test_error_missing_pieces(survey):
    m = ds.column_mapping()
    with pytest.raises(CrmlabValueError, match="needs stated_importance="):
        ImportancePerformance(performance=m["performance"]).fit(survey)
    with pytest.raises(CrmlabValueError, match="needs overall="):
        ImportancePerformance(performance=m["performance"], importance="lmg").fit(survey)
    with pytest.raises(CrmlabValueError, match="importance must be one of"):
        ImportancePerformance(performance=m["performance"], importance="shapley").fit(survey)
    with pytest.raises(CrmlabValueError, match="no column"):
        ImportancePerformance(performance=["nope", "perf_price"], importance="lmg", overall="overall").fit(survey)
    with pytest.raises(CrmlabValueError, match="at most 15 attributes"):
        lmg(np.eye(16), np.full(16, 0.1))


def test_error_collinear_attributes(survey):
    bad = survey.assign(perf_parking=survey["perf_price"])
    with pytest.raises(CrmlabValueError, match="singular"):
        fit(bad, "ols_beta")


# ---------------------------------------------------------------- bundled data
def test_bundled_csv_regenerates_identically(tmp_path, survey):
    path = ds.write_ipa_survey(tmp_path / "ipa_survey.csv")
    assert path.read_text() == ds.DATA_FILE.read_text()
    assert ds.write_ipma_survey(tmp_path / "ipma.csv").read_text() == ds.IPMA_FILE.read_text()
    assert len(survey) == ds.DEFAULT_N and survey.filter(like="perf_").shape[1] == 10


# ---------------------------------------------------------------- charts
def _label_boxes(ax, names):
    renderer = ax.figure.canvas.get_renderer()
    return [tx.get_window_extent(renderer) for tx in ax.texts if tx.get_text().split(" (")[0] in names]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quadrant_chart_labels_everything_without_overlap(survey, lang, tmp_path):
    from crmlab.plotting import save_figure
    from crmlab.plotting.ipa import plot_ipa

    m = ds.column_mapping()
    model = fit(survey, "lmg", competitor=m["competitor"])
    names = ds.attribute_labels(lang)
    ax = plot_ipa(model.result_, lang=lang, labels=names, stability=model.bootstrap(n_boot=50, random_state=0))
    texts = [tx.get_text() for tx in ax.texts]
    assert all(any(tx.startswith(n) for tx in texts) for n in names.values())  # every attribute labelled
    for q in ("advantage", "repair", "opportunity", "maintain"):
        assert t_(q, lang).replace(": ", "\n") in texts  # named quadrants
    assert t_("method_lmg", lang) in ax.get_ylabel() and "1–7" in ax.get_xlabel()
    ax.figure.canvas.draw()
    boxes = _label_boxes(ax, set(names.values()))
    assert len(boxes) == 10
    overlaps = [(i, j) for i in range(10) for j in range(i + 1, 10) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    paths = save_figure(ax.figure, tmp_path / "ipa")
    assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 10_000 for p in paths)


def t_(key, lang):
    from crmlab.i18n import t

    return t(key, lang)


def test_comparison_and_stability_charts(survey):
    from crmlab.plotting.ipa import plot_ipa_comparison, plot_stability

    results = {"stated": fit(survey, "stated").result_, "LMG": fit(survey, "lmg").result_,
               "LMG, midpoint": fit(survey, "lmg", crosshair=("midpoint", "mean")).result_}
    fig = plot_ipa_comparison(results, labels=ds.attribute_labels("en"))
    titles = [ax.get_title().split("\n")[0] for ax in fig.axes if ax.get_visible()]
    assert titles == list(results)
    ax = plot_stability(fit(survey, "lmg").bootstrap(n_boot=30, random_state=0), lang="zh")
    assert ax.get_xlabel() == t_("ipa_share_same", "zh") and len(ax.patches) >= 10


def test_bootstrap_recomputes_data_driven_crosshair_only(survey):
    stab = fit(survey, "stated", crosshair=("median", 5.0)).bootstrap(n_boot=25, random_state=2)
    np.testing.assert_allclose(stab.crosshair_draws[:, 0], np.median(stab.performance_draws, axis=1))
    assert (stab.crosshair_draws[:, 1] == 5.0).all()


def test_map_chart_axes_name_index_and_target():
    from crmlab.plotting.ipa import plot_ipa

    res = importance_performance_map(pd.Series({"a": 0.2, "b": 0.5}), pd.Series({"a": 70.0, "b": 60.0}), target="sat")
    ax = plot_ipa(res, lang="zh", labels={"sat": "顾客满意度"})
    assert "0–100" in ax.get_xlabel() and ax.get_ylabel().endswith("→ 顾客满意度")


# ---------------------------------------------------------------- missing answers and survey descriptions
def test_missing_drop_is_casewise_over_every_declared_column(survey):
    m = ds.column_mapping()
    holed = survey.astype({c: float for c in survey.columns if c != "respondent"})
    holed.loc[[3, 10], m["performance"]["price"]] = np.nan
    holed.loc[17, m["stated_importance"]["parking"]] = np.nan  # not used by derived importance, still drops the row
    holed.loc[25, "overall"] = np.nan
    holed.loc[40, m["competitor"]["freshness"]] = np.nan
    with pytest.raises(CrmlabValueError, match="missing values in column"):
        fit(holed, competitor=m["competitor"])
    model = fit(holed, competitor=m["competitor"], missing="drop")
    complete = survey.drop(index=[3, 10, 17, 25, 40])
    reference = fit(complete, competitor=m["competitor"])
    assert model.missing_report_ == {"strategy": "drop", "rows_dropped": [3, 10, 17, 25, 40], "n_dropped": 5}
    assert model.n_respondents_ == len(survey) - 5
    pd.testing.assert_frame_equal(model.summary(), reference.summary())
    assert model.result_.settings["missing"] == "drop"
    stated = fit(holed, importance="stated", competitor=m["competitor"], missing="drop")  # same respondents
    assert stated.n_respondents_ == model.n_respondents_
    assert stated.performance_.to_numpy() == pytest.approx(complete[list(m["performance"].values())].mean().to_numpy())
    with pytest.raises(CrmlabValueError, match="missing must be one of"):
        fit(survey, missing="mean")


def test_survey_design_maps_a_study_description(survey):
    design = survey_design(ds.survey_study())
    assert design["performance"] == ds.column_mapping()["performance"] and design["overall"] == "overall"
    assert design["scale"] == (1, 7) and design["overall_scale"] == (1, 10) and design["importance_scale"] == (1, 7)
    got = ImportancePerformance(**design, importance="lmg").fit(survey).summary()
    pd.testing.assert_frame_equal(got, fit(survey, competitor=ds.column_mapping()["competitor"]).summary())
    bare = survey_design({"kind": "survey", "scale": [1, 5], "attributes": ["q1", "q2"], "overall": "q9"})
    assert bare["stated_importance"] is None and bare["competitor"] is None and bare["overall_scale"] == (1, 5)
    with pytest.raises(CrmlabValueError, match="needs 'attributes'"):
        survey_design({"kind": "survey", "scale": [1, 5]})
