"""Satisfaction scoring routes: ratio, SERVQUAL gaps, CSI, PCA index, regression, fuzzy, loyalty, CDV."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import CrmlabValueError
from crmlab.datasets import satisfaction as ds
from crmlab.satisfaction import (
    PCAIndex,
    compose,
    customer_delivered_value,
    fuzzy_evaluation,
    fuzzy_two_level,
    loyalty_metrics,
    membership_from_answers,
    satisfaction_difference,
    satisfaction_loyalty_curve,
    satisfaction_ratio,
    satisfaction_regression,
    service_quality_gaps,
    servqual_gaps,
    weighted_csi,
)

# ------------------------------------------------------------------ datasets


def test_regenerating_bundled_csvs_gives_identical_files(tmp_path):
    for path in ds.write_datasets(tmp_path):
        assert path.read_bytes() == (ds.DATA_DIR / path.name).read_bytes(), path.name


# ------------------------------------------------------------------ §1.1


def test_satisfaction_ratio_and_difference():
    # seed 003: c = b / a; perception 8 against expectation 10 -> 0.8; difference form -2
    assert satisfaction_ratio(perceived=8, expected=10) == pytest.approx(0.8)
    assert satisfaction_difference(perceived=8, expected=10) == pytest.approx(-2)
    np.testing.assert_allclose(satisfaction_ratio(perceived=[9, 6], expected=[6, 6]), [1.5, 1.0])
    with pytest.raises(CrmlabValueError, match="expected must be > 0"):
        satisfaction_ratio(perceived=5, expected=0)


def _tiny_servqual():
    # two dimensions, two respondents; P-E per respondent: d1 items a,b ; d2 item c
    return pd.DataFrame({"p_a": [5, 6], "e_a": [6, 7], "p_b": [4, 4], "e_b": [7, 6], "p_c": [7, 6], "e_c": [6, 6]})


def test_servqual_hand_computed():
    res = servqual_gaps(_tiny_servqual(), dimensions={"d1": ["a", "b"], "d2": ["c"]}, importance={"d1": 75, "d2": 25})
    # item gaps: a -1, b -2.5, c +0.5 ; d1 = -1.75, d2 = 0.5
    np.testing.assert_allclose(res.items["gap"], [-1.0, -2.5, 0.5])
    np.testing.assert_allclose(res.dimensions.loc[["d1", "d2"], "gap"], [-1.75, 0.5])
    assert res.overall_unweighted == pytest.approx((-1.75 + 0.5) / 2)
    assert res.overall_weighted == pytest.approx(0.75 * -1.75 + 0.25 * 0.5)
    np.testing.assert_allclose(res.respondent_scores["d1"], [(-1 - 3) / 2, (-1 - 2) / 2])


def test_servqual_recovers_true_gaps_on_bundled_data():
    res = servqual_gaps(ds.load_servqual(), dimensions=ds.SERVQUAL_DIMENSIONS, importance=ds.SERVQUAL_IMPORTANCE,
                        scale=ds.SCALE_SERVQUAL)
    for dim, gap in ds.SERVQUAL_TRUE_GAPS.items():
        assert res.dimensions.loc[dim, "gap"] == pytest.approx(gap, abs=0.12), dim
    assert res.dimensions["gap"].idxmin() == "reliability"
    assert res.settings["weighting"].startswith("importance")


def test_gap_model_frame_has_five_gaps_with_gap5_measured_by_servqual():
    from crmlab.i18n import label_table, t

    frame = service_quality_gaps()
    assert list(frame.index) == [1, 2, 3, 4, 5] and frame["measured_by_servqual"].tolist() == [False] * 4 + [True]
    assert {t(k, "zh") for k in frame["gap_key"]} == {"促销差距", "理解差距", "程序差距", "行为差距", "感受差距"}
    assert "perception − expectation" in t(f"{frame.loc[5, 'gap_key']}_data", "en")
    assert label_table(frame, "zh").loc[4, "差距"] == "促销差距"  # gap keys are crmlab's vocabulary: translated


# ------------------------------------------------------------------ §1.3 CSI, PCA, regression


def test_weighted_csi_hand_computed():
    data = pd.DataFrame({"x": [8, 6], "y": [10, 8], "z": [4, 6]})
    res = weighted_csi(data, weights={"x": 0.5, "y": 0.3, "z": 0.2}, scale=(1, 10))
    # means 7, 9, 5 -> 0.5*7 + 0.3*9 + 0.2*5 = 7.2 ; (7.2-1)/9*100
    assert res.csi == pytest.approx(7.2)
    assert res.csi_100 == pytest.approx(6.2 / 9 * 100)
    np.testing.assert_allclose(res.respondent_csi, [0.5 * 8 + 0.3 * 10 + 0.2 * 4, 0.5 * 6 + 0.3 * 8 + 0.2 * 6])


def test_pca_index_matches_sklearn():
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    data = ds.load_acsi_survey()
    items = ds.ACSI_BLOCKS["QUAL"] + ds.ACSI_BLOCKS["VAL"] + ds.ACSI_BLOCKS["SAT"]
    for k in (1, 2):
        idx = PCAIndex(n_components=k).fit(data, items=items, scale=ds.SCALE_ACSI)
        sk = PCA().fit(StandardScaler().fit_transform(data[items]))
        np.testing.assert_allclose(idx.explained_variance_ratio_, sk.explained_variance_ratio_, atol=1e-10)
        comps = sk.components_ * np.sign(sk.components_.sum(axis=1, keepdims=True))
        np.testing.assert_allclose(idx.components_.to_numpy(), comps, atol=1e-10)
        ratio = sk.explained_variance_[:k] / sk.explained_variance_[:k].sum()
        w = ratio @ comps[:k]
        np.testing.assert_allclose(idx.weights_, w / w.sum(), atol=1e-10)
    assert idx.index_100_ == pytest.approx((idx.index_ - 1) / 9 * 100)


def test_pca_index_negative_weights_raise():
    rng = np.random.default_rng(0)
    a = rng.integers(1, 8, 200)
    data = pd.DataFrame({"a": a, "b": np.clip(a + rng.integers(-1, 2, 200), 1, 7), "c": 8 - a})
    with pytest.raises(CrmlabValueError, match="not all positive"):
        PCAIndex(n_components=1).fit(data, scale=(1, 7))


def test_regression_recovers_generating_coefficients():
    rng = np.random.default_rng(3)
    n = 4000
    x = rng.normal(size=(n, 3))
    y = 1.0 + x @ np.array([0.5, 0.3, -0.2]) + rng.normal(scale=0.5, size=n)
    data = pd.DataFrame(x, columns=["a", "b", "c"]).assign(overall=y)
    res = satisfaction_regression(data, overall="overall", attributes=["a", "b", "c"])
    np.testing.assert_allclose(res.table["estimate"], [1.0, 0.5, 0.3, -0.2], atol=0.03)
    truth = np.array([1.0, 0.5, 0.3, -0.2])
    assert ((res.table["ci_lower"] < truth) & (truth < res.table["ci_upper"])).all()
    lstsq = np.linalg.lstsq(np.c_[np.ones(n), x], y, rcond=None)[0]
    np.testing.assert_allclose(res.table["estimate"], lstsq, rtol=1e-10)
    ols = res.model  # statsmodels' own inference, in the shared column vocabulary
    np.testing.assert_allclose(res.table["std_error"], ols.bse, rtol=1e-12)
    np.testing.assert_allclose(res.table["p_value"], ols.pvalues, rtol=1e-10)
    np.testing.assert_allclose(res.table[["ci_lower", "ci_upper"]], ols.conf_int(0.05), rtol=1e-10)
    assert res.n == n and 0 < res.r_squared < 1


# ------------------------------------------------------------------ §1.3 fuzzy evaluation

# The clothing example of Chinese fuzzy-mathematics textbooks (after Wang Peizhuang 1983):
# factors colour, style, durability, price; grades very welcome ... unwelcome.
W = [0.1, 0.2, 0.3, 0.4]
R = [[0.2, 0.5, 0.2, 0.1], [0.7, 0.2, 0.1, 0.0], [0.0, 0.4, 0.5, 0.1], [0.2, 0.3, 0.5, 0.0]]
HAND = {  # B computed by hand, operator by operator
    "M(∧,∨)": [0.2, 0.3, 0.4, 0.1],
    "M(·,∨)": [0.14, 0.12, 0.2, 0.03],
    "M(∧,⊕)": [0.5, 0.9, 0.9, 0.2],
    "M(·,+)": [0.24, 0.33, 0.39, 0.04],
}


@pytest.mark.parametrize("operator", list(HAND))
def test_fuzzy_operators_hand_computed(operator):
    np.testing.assert_allclose(compose(W, R, operator=operator), HAND[operator], atol=1e-12)


def test_fuzzy_normalisation_score_and_grade():
    res = fuzzy_evaluation(W, R, operator="M(∧,∨)", grades=["vw", "w", "nw", "u"], grade_values=[4, 3, 2, 1])
    np.testing.assert_allclose(res.b_normalized, np.array([0.2, 0.3, 0.4, 0.1]) / 1.0)
    assert res.score == pytest.approx(0.2 * 4 + 0.3 * 3 + 0.4 * 2 + 0.1 * 1)
    assert res.grade == "nw"
    alias = fuzzy_evaluation(W, R, operator="bounded_sum")
    np.testing.assert_allclose(alias.b_normalized, np.array(HAND["M(∧,⊕)"]) / 2.5)
    assert alias.settings["operator"] == "M(∧,⊕)"


def test_fuzzy_two_level_hand_computed():
    r1 = [[0.5, 0.5, 0.0], [0.1, 0.6, 0.3]]
    r2 = [[0.0, 0.2, 0.8]]
    res = fuzzy_two_level({"f1": 0.6, "f2": 0.4}, {"f1": [0.5, 0.5], "f2": [1.0]}, {"f1": r1, "f2": r2},
                          grade_values=[100, 60, 20])
    b1 = np.array([0.3, 0.55, 0.15])  # 0.5*r11 + 0.5*r12
    b = 0.6 * b1 + 0.4 * np.array([0.0, 0.2, 0.8])
    np.testing.assert_allclose(res.b, b)
    assert res.score == pytest.approx(b @ [100, 60, 20])
    assert res.factor_results.loc["f1", "score"] == pytest.approx(b1 @ [100, 60, 20])


def test_membership_from_answer_frequencies():
    answers = pd.DataFrame({"q1": ["good", "good", "fair", "poor"], "q2": ["fair", "fair", "fair", "good"]})
    m = membership_from_answers(answers, items=["q1", "q2"], grades=["good", "fair", "poor"])
    np.testing.assert_allclose(m.to_numpy(), [[0.5, 0.25, 0.25], [0.25, 0.75, 0.0]])
    ratings = pd.DataFrame({"r": [1, 2, 3, 9, 10]})
    mb = membership_from_answers(ratings, items=["r"], grades=["low", "mid", "high"], bins=[0, 3, 7, 10])
    np.testing.assert_allclose(mb.loc["r"], [0.6, 0.0, 0.4])
    with pytest.raises(CrmlabValueError, match=r"'q1'.*'excellent'"):
        membership_from_answers(pd.DataFrame({"q1": ["excellent"]}), items=["q1"], grades=["good", "poor"])


@pytest.mark.parametrize(
    ("weights", "membership", "match"),
    [
        ([0.5, 0.6], [[0.1, 0.9], [0.5, 0.5]], "sum to 1"),
        ([0.5, 0.5], [[0.1, 1.2], [0.5, 0.5]], r"entry \[0, 1\] = 1.2 is outside \[0, 1\]"),
        ([0.5, 0.5], [[0.1, -0.1], [0.5, 0.5]], "outside"),
        ([1.0], [[0.5, 0.5], [0.5, 0.5]], "1 entries but membership has 2"),
    ],
)
def test_fuzzy_bad_input(weights, membership, match):
    with pytest.raises(CrmlabValueError, match=match):
        fuzzy_evaluation(weights, membership)


def test_fuzzy_bad_operator():
    with pytest.raises(CrmlabValueError, match="operator"):
        compose(W, R, operator="M(+,+)")


# ------------------------------------------------------------------ §1.4 loyalty


def test_loyalty_metrics_hand_computed():
    purchases = pd.DataFrame({
        "customer": [1, 1, 1, 2, 2],
        "brand": ["ours", "b", "ours", "b", "b"],
        "amount": [30.0, 10.0, 20.0, 5.0, 15.0],
    })
    res = loyalty_metrics(purchases, our_brand="ours")
    c = res.customers.set_index("customer")
    assert c.loc[1, "share_of_wallet"] == pytest.approx(50 / 60 * 100)
    assert c.loc[1, "repeat_purchase_rate"] == pytest.approx(2 / 3 * 100)
    assert c.loc[2, "share_of_wallet"] == 0
    assert res.overall["share_of_wallet"] == pytest.approx(50 / 80 * 100)
    assert res.overall["repeat_purchase_rate"] == pytest.approx(40.0)


def test_loyalty_curve_recovers_market_shapes():
    purchases = ds.load_loyalty_purchases()
    res = loyalty_metrics(purchases, our_brand="ours", customer_columns=["market", "satisfaction"])
    cust = res.customers
    for market in ds.MARKETS:
        part = cust[cust["market"] == market]
        expected = 100 * ds.true_loyalty_probability(part["satisfaction"], market).mean()
        assert part["repeat_purchase_rate"].mean() == pytest.approx(expected, abs=3.0)
    curve = satisfaction_loyalty_curve(cust, satisfaction="satisfaction", loyalty="share_of_wallet", market="market",
                                       bins=[0, 2, 4, 6, 8, 10], thresholds=(4, 7))
    slopes = curve.zone_slopes.set_index(["market", "zone"])["slope"]
    assert slopes["competitive", "high"] > 3 * max(slopes["competitive", "low"], 1.0)
    assert slopes["non_competitive", "low"] > slopes["non_competitive", "high"]
    assert set(curve.smooth["market"]) == set(ds.MARKETS)


def test_loyalty_reports_customers_whose_share_is_undefined():
    p = pd.DataFrame({"customer": [1, 1, 2], "brand": ["ours", "rival", "ours"], "amount": [3.0, 1.0, 0.0]})
    res = loyalty_metrics(p, our_brand="ours")
    sow = res.customers.set_index("customer")["share_of_wallet"]
    assert sow[1] == pytest.approx(75.0)
    assert np.isnan(sow[2])  # 0 / 0: undefined, and counted
    assert res.overall["customers_without_category_spend"] == 1


def test_loyalty_bad_input():
    p = pd.DataFrame({"customer": [1], "brand": ["b"], "amount": [-2.0]})
    with pytest.raises(CrmlabValueError, match=r"'amount'.*negative"):
        loyalty_metrics(p, our_brand="b")
    with pytest.raises(CrmlabValueError, match="our_brand 'x'"):
        loyalty_metrics(p.assign(amount=1.0), our_brand="x")
    two = pd.DataFrame({"customer": [1, 1], "brand": ["b", "b"], "amount": [1.0, 2.0], "market": ["x", "y"]})
    with pytest.raises(CrmlabValueError, match="'market' must be constant per customer"):
        loyalty_metrics(two, our_brand="b", customer_columns=["market"])


# ------------------------------------------------------------------ §1.5


def test_customer_delivered_value():
    out = customer_delivered_value(product=[500, 450], service=100, personnel=50, image=50,
                                   monetary=[400, 300], time=50, energy=30, physical=20)
    np.testing.assert_allclose(out["tcv"], [700, 650])
    np.testing.assert_allclose(out["tcc"], [500, 400])
    np.testing.assert_allclose(out["cdv"], [200, 250])
    np.testing.assert_allclose(out["cdv_ratio"], [1.4, 1.625])
    with pytest.raises(CrmlabValueError, match="time must be finite and >= 0"):
        customer_delivered_value(product=1, service=1, personnel=1, image=1, monetary=1, time=-1, energy=1, physical=1)


# ------------------------------------------------------------------ bad survey input


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"x": [8, 11], "y": [5, 5]}), r"'x'.*\[11\].*outside the declared scale \[1, 10\]"),
        (pd.DataFrame({"x": [8, "n/a"], "y": [5, 5]}), r"'x' must be numeric.*'n/a'"),
        (pd.DataFrame({"x": [8, None], "y": [5, 5]}), r"missing values in column\(s\) \['x'\]"),
    ],
)
def test_bad_items_raise(frame, match):
    with pytest.raises(CrmlabValueError, match=match):
        weighted_csi(frame, weights={"x": 0.5, "y": 0.5}, scale=(1, 10))


def test_bad_weights_raise():
    data = pd.DataFrame({"x": [8, 7], "y": [5, 5]})
    with pytest.raises(CrmlabValueError, match="sum to 1"):
        weighted_csi(data, weights={"x": 0.5, "y": 0.6}, scale=(1, 10))
    with pytest.raises(CrmlabValueError, match=r"no column\(s\) \['z'\]"):
        weighted_csi(data, weights=pd.Series({"x": 1.0, "z": 0.0}), scale=(1, 10))
    with pytest.raises(CrmlabValueError, match="low < high"):
        weighted_csi(data, weights={"x": 0.5, "y": 0.5}, scale=(10, 1))


def test_servqual_bad_input():
    with pytest.raises(CrmlabValueError, match="no column"):
        servqual_gaps(_tiny_servqual(), dimensions={"d1": ["a", "zz"]})
    with pytest.raises(CrmlabValueError, match="dimension 'd1' has no items"):
        servqual_gaps(_tiny_servqual(), dimensions={"d1": []})
    with pytest.raises(CrmlabValueError, match="outside the declared scale"):
        servqual_gaps(_tiny_servqual(), dimensions={"d1": ["a"]}, scale=(1, 5))


# ------------------------------------------------------------------ charts


def test_charts_render_bilingual_labels():
    import matplotlib.pyplot as plt

    from crmlab.kano import better_worse_chart_data, kano_analysis
    from crmlab.plotting import satisfaction as ps

    sq = servqual_gaps(ds.load_servqual(), dimensions=ds.SERVQUAL_DIMENSIONS, importance=ds.SERVQUAL_IMPORTANCE)
    kr = kano_analysis(ds.load_kano_answers(), attributes=ds.kano_attributes())
    fr = fuzzy_evaluation(W, R, operator="M(∧,∨)", grades=["very_satisfied", "satisfied", "neutral", "dissatisfied"],
                          grade_values=[4, 3, 2, 1])
    for lang, word in (("en", "SERVQUAL gaps"), ("zh", "认知")):
        ax = ps.plot_servqual_gaps(sq, lang=lang)
        assert word in ax.get_title()
        ax = ps.plot_kano_shares(kr, lang=lang)
        assert len(ax.get_legend().get_texts()) == 6
        ax = ps.plot_better_worse(better_worse_chart_data(kr), lang=lang)
        assert len(ax.collections) >= 3
        ax = ps.plot_fuzzy_result(fr, lang=lang)  # grades as given unless display names are passed
        assert [tx.get_text() for tx in ax.get_xticklabels()][0] == "very_satisfied"
        ax = ps.plot_fuzzy_result(fr, labels={"very_satisfied": "很满意" if lang == "zh" else "Very satisfied"}, lang=lang)
        assert [tx.get_text() for tx in ax.get_xticklabels()][0] == ("很满意" if lang == "zh" else "Very satisfied")
        plt.close("all")
    assert ps.index_model_positions(["EXPE", "SAT", "LOY"]) == {k: ps.ACSI_LAYOUT[k] for k in ("EXPE", "SAT", "LOY")}
    assert "IMAG" in ps.index_model_positions(["IMAG", "SAT"]) and ps.index_model_positions(["X", "SAT"]) is None


def test_charts_show_given_names_instead_of_terms():
    # users' names pass as given: a dimension called "reliability" or a market called "competitive" is not relabelled
    import matplotlib.pyplot as plt

    from crmlab.kano import better_worse_chart_data, kano_analysis
    from crmlab.plotting import satisfaction as ps

    sq = servqual_gaps(ds.load_servqual(), dimensions=ds.SERVQUAL_DIMENSIONS)
    dims = {d: d for d in ds.SERVQUAL_DIMENSIONS}
    texts = [tx.get_text() for tx in ps.plot_servqual_gaps(sq, labels=dims, lang="zh").texts]
    assert any(tx.startswith("reliability:") for tx in texts) and not any("可靠性" in tx for tx in texts)
    kr = kano_analysis(ds.load_kano_answers(), attributes=ds.kano_attributes())
    names = {a: f"<{a}>" for a in ds.KANO_TRUE_PROBABILITIES}
    ticks = [tx.get_text() for tx in ps.plot_kano_shares(kr, labels=names, lang="en").get_yticklabels()]
    assert all(tick.startswith("<") for tick in ticks)
    texts = [tx.get_text() for tx in ps.plot_better_worse(better_worse_chart_data(kr), labels=names, lang="en").texts]
    assert set(names.values()) <= set(texts)
    customers = loyalty_metrics(ds.load_loyalty_purchases(), our_brand="ours",
                                customer_columns=["market", "satisfaction"]).customers
    curve = satisfaction_loyalty_curve(customers, satisfaction="satisfaction", loyalty="share_of_wallet", market="market",
                                       bins=[0, 4, 7, 10], thresholds=[4, 7])
    legend = [tx.get_text() for tx in ps.plot_loyalty_curve(curve, labels={m: m for m in ds.MARKETS},
                                                             lang="zh").get_legend().get_texts()]
    assert any(tx.startswith("competitive (") for tx in legend)
    plt.close("all")


def test_treat_missing_is_the_pls_rule():
    from crmlab.pls import PLSPathModel
    from crmlab.satisfaction import treat_missing

    data = ds.load_acsi_survey().astype({"sat1": float, "qual2": float})
    data.loc[[3, 10], "sat1"] = np.nan
    data.loc[10, "qual2"] = np.nan
    items = ["qual1", "qual2", "sat1", "sat2"]
    dropped, report = treat_missing(data, items, missing="drop")
    assert len(dropped) == len(data) - 2 and report["rows_dropped"] == [3, 10]
    filled, report = treat_missing(data, items, missing="mean")
    assert filled.loc[3, "sat1"] == pytest.approx(data["sat1"].mean()) and report["cells_replaced"] == 3
    assert list(filled.columns) == items and filled.notna().all().all()
    model = PLSPathModel({"Q": ["qual1", "qual2"], "S": ["sat1", "sat2"]}, [("Q", "S")]).fit(data, missing="mean")
    assert model.missing_report_["cells_replaced"] == report["cells_replaced"]
    with pytest.raises(CrmlabValueError, match="missing values"):
        treat_missing(data, items)  # "error" by default: refuse, naming the cells
    with pytest.raises(CrmlabValueError, match="missing must be one of"):
        treat_missing(data, items, missing="zero")


def test_teaching_studies_describe_the_bundled_files():
    from crmlab.study import load_study

    studies = {name: load_study(spec, name=name) for name, spec in ds.teaching_studies().items()}
    for study in studies.values():
        study.check()  # the bundled files pass the checks a user's files pass
    survey = studies["survey"].read()
    assert set(survey["wave"]) == {1, 2} and survey["respondent"].iloc[0] == "1"  # ids read as text
    items = [i for block in ds.ACSI_BLOCKS.values() for i in block]  # the wave has its own random stream
    np.testing.assert_array_equal(survey[items].to_numpy(), ds.simulate_acsi_survey(random_state=1)[items].to_numpy())


def test_acsi_recovery_lines_up_estimates_by_path_label():
    est = pd.Series({"SAT -> LOY": 0.5, "EXPE -> QUAL": 0.6})
    table = ds.acsi_recovery(pls=est)
    assert table.loc["SAT -> LOY", "pls_error"] == pytest.approx(0.5 - 0.6)
    assert table.loc["EXPE -> QUAL", "pls_error"] == pytest.approx(0.05)
    assert table["pls"].isna().sum() == len(ds.ACSI_TRUE_PATHS) - 2  # paths without an estimate stay missing


def test_offers_delivered_value_by_name():
    from crmlab.satisfaction import offers_delivered_value

    table = offers_delivered_value(ds.CDV_EXAMPLE_OFFERS)
    assert list(table.index) == ["ours", "rival"] and table.index.name == "offer"
    # TCV = 520 + 80 + 40 + 60 = 700, TCC = 400 + 60 + 50 + 20 = 530 for the rival
    assert table.loc["rival", ["tcv", "tcc", "cdv"]].tolist() == [700, 530, 170]
    short = {"ours": {k: v for k, v in ds.CDV_EXAMPLE_OFFERS["ours"].items() if k != "time"}}
    with pytest.raises(CrmlabValueError, match="offer 'ours' must give exactly the parts"):
        offers_delivered_value(short)
    with pytest.raises(CrmlabValueError, match="offers must map"):
        offers_delivered_value({})


def test_equal_weights_and_bins():
    from crmlab.satisfaction import equal_weights, equal_width_bins

    np.testing.assert_allclose(equal_weights(["a", "b", "c", "d"]), 0.25)
    edges = equal_width_bins((1, 10), 5)
    ratings = pd.DataFrame({"r": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]})
    m = membership_from_answers(ratings, items=["r"], grades=range(5), bins=edges)
    np.testing.assert_allclose(m.loc["r"], [0.2] * 5)  # 1-2, 3-4, 5-6, 7-8, 9-10
    zero_based = membership_from_answers(pd.DataFrame({"r": [0, 10]}), items=["r"], grades=range(5),
                                         bins=equal_width_bins((0, 10), 5))
    np.testing.assert_allclose(zero_based.loc["r"], [0.5, 0, 0, 0, 0.5])


def test_pca_constant_item_raises():
    data = pd.DataFrame({"a": [1, 2, 3, 4], "b": [5, 5, 5, 5]})
    with pytest.raises(CrmlabValueError, match="'b' is constant"):
        PCAIndex().fit(data, scale=(1, 7))
