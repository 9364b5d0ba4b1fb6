"""Value matrix, Pareto, tiers, KPIs and RFM checked against definitions, hand examples and CDNOW."""
from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist

from conftest import read_cdnow
from crmlab import CrmlabValueError
from crmlab.transactions import TransactionLog
from crmlab import segmentation as seg
from crmlab.datasets.segmentation import (
    CUSTOMERS_FILE,
    INDICATORS,
    JUDGMENTS_FILE,
    TRANSACTIONS_FILE,
    make_b2b_customers,
    write_datasets,
)
from crmlab.segmentation import (
    RFM_SEGMENT_RULES,
    RFMKMeans,
    ValueMatrix,
    RFMScores,
    assign_segments,
    assign_tiers,
    encode_ordinal,
    gini,
    lorenz_curve,
    pareto_table,
    rfm_scores,
    segment_profile,
    standardize,
    tier_kpis,
    tier_revenue_table,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / CUSTOMERS_FILE).set_index("customer_id")


# ----------------------------------------------------------------- bundled data
def test_bundled_csvs_regenerate_identically(tmp_path):
    for p in write_datasets(tmp_path):
        assert p.read_bytes() == (ROOT / "data" / p.name).read_bytes(), p.name
        assert p.stat().st_size < 1_000_000
    assert {CUSTOMERS_FILE, JUDGMENTS_FILE, TRANSACTIONS_FILE} <= {p.name for p in (ROOT / "data").iterdir()}


def test_generated_customers_follow_the_documented_model():
    df = make_b2b_customers(n_customers=3000, random_state=1, return_latent=True)
    # documented: ln(orders) ≈ 2.3 + 0.6 u; corr(u, v) = 0.3
    assert np.corrcoef(df["latent_current"], df["latent_potential"])[0, 1] == pytest.approx(0.3, abs=0.05)
    slope = np.polyfit(df["latent_current"], np.log(df["orders"]), 1)[0]
    assert slope == pytest.approx(0.6, abs=0.05)
    assert len(make_b2b_customers()) == 21


# ----------------------------------------------------------------- standardisation
def test_zscores_match_spss_definition(customers):
    col = customers["gross_profit"].tolist()
    mean, sd = statistics.mean(col), statistics.stdev(col)  # stdev uses n − 1, as SPSS Descriptives
    z = standardize(customers, ["gross_profit", "service_cost"], directions={"service_cost": "cost"})
    np.testing.assert_allclose(z["gross_profit"], [(x - mean) / sd for x in col], rtol=1e-12)
    sc = customers["service_cost"].tolist()
    np.testing.assert_allclose(z["service_cost"], [-(x - statistics.mean(sc)) / statistics.stdev(sc) for x in sc], rtol=1e-12)
    mm = standardize(customers, ["service_cost"], method="minmax", directions={"service_cost": "cost"})
    assert mm["service_cost"].max() == 1 and mm["service_cost"].min() == 0
    assert mm["service_cost"].idxmax() == customers["service_cost"].idxmin()


def test_ordinal_encoding_and_unknown_level():
    df = pd.DataFrame({"g": ["low", "high", "medium", None]})
    out = encode_ordinal(df, {"g": ["low", "medium", "high"]})
    assert out["g"].tolist()[:3] == [1, 3, 2] and np.isnan(out["g"].iloc[3])
    with pytest.raises(CrmlabValueError, match=r"'g'.*'huge'.*not declared levels"):
        encode_ordinal(pd.DataFrame({"g": ["low", "huge"]}), {"g": ["low", "high"]})


# ----------------------------------------------------------------- value matrix
def test_value_matrix_scores_are_weighted_zscore_sums(customers):
    vm = ValueMatrix(INDICATORS).fit(customers)
    codes = {"very_low": 1, "low": 2, "medium": 3, "high": 4, "very_high": 5,
             "none": 1, "rare": 2, "occasional": 3, "frequent": 4, "serious": 5}
    expected = {"current": 0.0, "potential": 0.0}
    for row in INDICATORS.itertuples():
        x = customers[row.indicator].map(codes).fillna(customers[row.indicator]).astype(float).tolist()
        m, s = statistics.mean(x), statistics.stdev(x)
        sign = -1 if row.direction == "cost" else 1
        expected[row.dimension] = expected[row.dimension] + np.array([sign * row.weight * (v - m) / s for v in x])
    np.testing.assert_allclose(vm.scores_["current_value"], expected["current"], atol=1e-12)
    np.testing.assert_allclose(vm.scores_["potential_value"], expected["potential"], atol=1e-12)
    # split at the mean (the paper): each class by the definition
    hi_c = expected["current"] >= expected["current"].mean()
    hi_p = expected["potential"] >= expected["potential"].mean()
    exp_cls = np.where(hi_c, np.where(hi_p, "high_high", "high_low"), np.where(hi_p, "low_high", "low_low"))
    assert (vm.scores_["value_class"].to_numpy() == exp_cls).all()
    assert vm.summary().loc["standardization", "value"] == "zscore (n − 1)"


def test_value_matrix_is_row_order_independent(customers):
    a = ValueMatrix(INDICATORS, split="median").fit(customers)
    b = ValueMatrix(INDICATORS, split="median").fit(customers.sample(frac=1, random_state=3))
    pd.testing.assert_series_equal(a.scores_["value_class"], b.scores_["value_class"].loc[a.scores_.index])


def test_tie_rule_at_given_cutoff(customers):
    base = ValueMatrix(INDICATORS).fit(customers).scores_
    cid = base.index[4]
    cut = {"current": base.loc[cid, "current_value"], "potential": base.loc[cid, "potential_value"]}
    hi = ValueMatrix(INDICATORS, split="given", cutoffs=cut, ties="high").fit(customers)
    lo = ValueMatrix(INDICATORS, split="given", cutoffs=cut, ties="low").fit(customers)
    assert hi.scores_.loc[cid, "value_class"] == "high_high"
    assert lo.scores_.loc[cid, "value_class"] == "low_low"
    assert hi.cutoffs_["current"] == cut["current"]


def test_profile_shares_and_strategy(customers):
    vm = ValueMatrix(INDICATORS, dimension_weights={"current": 0.39, "potential": 0.61}).fit(customers)
    prof = vm.profile(customers, revenue="revenue", profit="profit")
    assert prof["count"].sum() == 21
    assert prof["customer_share"].sum() == pytest.approx(1)
    assert prof["revenue_share"].sum() == pytest.approx(1)
    hh = vm.scores_["value_class"] == "high_high"
    assert prof.loc["high_high", "revenue_share"] == pytest.approx(customers.loc[hh, "revenue"].sum() / customers["revenue"].sum())
    from crmlab.i18n import label_table, t

    shown = label_table(prof, "zh")
    assert shown.index[0] == t("high_high", "zh") and shown.iloc[0][t("strategy", "zh")] == t("vm_high_high_strategy", "zh")
    assert "mean_gross_profit" in prof.columns and prof.loc["high_high", "strategy"] == "vm_high_high_strategy"
    np.testing.assert_allclose(vm.scores_["total_value"], 0.39 * vm.scores_["current_value"] + 0.61 * vm.scores_["potential_value"])


def test_with_weights_names_unknown_and_missing_indicators():
    ind = pd.DataFrame({"indicator": ["a", "b"], "dimension": ["current", "potential"], "direction": ["benefit", "cost"]})
    assert seg.with_weights(ind, {"a": 1.0, "b": 1.0})["weight"].tolist() == [1.0, 1.0]
    with pytest.raises(CrmlabValueError, match=r"names unknown indicator\(s\) \['zz'\]"):
        seg.with_weights(ind, {"a": 1.0, "b": 1.0, "zz": 0.5})
    with pytest.raises(CrmlabValueError, match=r"no weight for indicator\(s\) \['b'\]"):
        seg.with_weights(ind, {"a": 1.0})
    with pytest.raises(CrmlabValueError, match="already has a 'weight' column"):
        seg.with_weights(ind.assign(weight=0.5), {"a": 1.0, "b": 1.0})


def test_value_matrix_bad_input(customers):
    with pytest.raises(CrmlabValueError, match=r"zero variance.*'cum_volume'|'cum_volume'.*zero variance"):
        ValueMatrix(INDICATORS).fit(customers.assign(cum_volume=5.0))
    gap = customers.copy()
    gap.loc["C07", "gross_margin"] = np.nan
    with pytest.raises(CrmlabValueError, match=r"missing values.*'gross_margin'.*'C07'"):
        ValueMatrix(INDICATORS).fit(gap)
    imp = ValueMatrix(INDICATORS, missing="impute_mean").fit(gap)
    assert imp.imputed_.loc["C07", "gross_margin"] and imp.summary().loc["n_imputed_cells", "value"] == 1
    bad = INDICATORS.copy()
    bad.loc[0, "indicator"] = "turnover"
    with pytest.raises(CrmlabValueError, match=r"'turnover'.*not columns of data"):
        ValueMatrix(bad).fit(customers)
    bad = INDICATORS.copy()
    bad.loc[0, "weight"] = 0.3
    with pytest.raises(CrmlabValueError, match=r"current-value weights must sum to 1.*1\.1068"):
        ValueMatrix(bad).fit(customers)
    bad = INDICATORS.copy()
    bad.loc[3, "direction"] = "up"
    with pytest.raises(CrmlabValueError, match=r"'direction'.*'up'.*avg_amount"):
        ValueMatrix(bad).fit(customers)
    with pytest.raises(CrmlabValueError, match="cutoffs"):
        ValueMatrix(INDICATORS, split="given")
    with pytest.raises(CrmlabValueError, match="dimension_weights must sum to 1"):
        ValueMatrix(INDICATORS, dimension_weights={"current": 0.4, "potential": 0.5})


# ----------------------------------------------------------------- Pareto
def test_gini_matches_mean_absolute_difference_definition():
    x = np.random.default_rng(0).lognormal(3, 1, 400)
    g_def = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(g_def, rel=1e-12)
    lc = lorenz_curve(x)
    area = np.trapezoid(lc["value_share"], lc["customer_share"])
    assert gini(x) == pytest.approx(1 - 2 * area, rel=1e-12)
    assert gini(np.ones(10)) == pytest.approx(0)


def test_pareto_exact_80_20():
    values = [80.0] * 20 + [5.0] * 80  # top 20 % hold 1600 of 2000
    tab = pareto_table(values, top=[0.2, 1.0])
    assert tab["value_share"].tolist() == pytest.approx([0.8, 1.0])
    with pytest.raises(CrmlabValueError, match="negative"):
        gini([1.0, -2.0, 3.0])
    with pytest.raises(CrmlabValueError, match="top must be shares"):
        pareto_table(values, top=[1.5])


# ----------------------------------------------------------------- tiers and KPIs
def test_tiers_respect_ties_and_return_cutoffs():
    v = pd.Series([100.0, 50, 50, 50, 10, 10, 5, 4, 3, 2] * 10, index=[f"c{i}" for i in range(100)])
    tr = assign_tiers(v)
    assert (tr.tiers.groupby(v).nunique() == 1).all()  # equal values share a tier
    assert tr.cutoffs["customers"].sum() == 100
    assert tr.cutoffs.set_index("tier").loc["major", "customers"] == 0  # ties at 100 fill vip; the cut-off shows why
    for row in tr.cutoffs.itertuples():
        members = v[tr.tiers == row.tier]
        assert members.empty or members.min() >= row.lower_cutoff or row.tier == "small"
    given = assign_tiers(v, cutoffs=[60, 40, 8])
    assert given.tiers[v == 100].eq("vip").all() and given.tiers[v == 50].eq("major").all()
    assert given.tiers[v == 10].eq("ordinary").all() and given.tiers[v == 5].eq("small").all()
    with pytest.raises(CrmlabValueError, match="descending"):
        assign_tiers(v, cutoffs=[8, 40, 60])


def test_tier_revenue_table_widths_and_heights():
    tiers = pd.Series(["vip", "major", "major", "small", "small", "small"], index=list("abcdef"))
    rev = pd.Series([100.0, 40, 60, 5, 5, 8], index=tiers.index)
    cost = pd.Series([30.0, 20, 20, 4, 4, 4], index=tiers.index)
    tab = tier_revenue_table(tiers, rev, cost)
    assert tab.loc["major", "customers"] == 2 and tab.loc["major", "revenue_per_customer"] == 50
    assert tab.loc["small", "x_left"] == 3 and tab.loc["ordinary", "customers"] == 0
    assert tab.loc["vip", "profit_per_customer"] == 70


def test_tier_kpis_hand_example():
    before = pd.Series(["vip", "major", "ordinary", "small", "small"], index=["a", "b", "c", "d", "e"])
    after = pd.Series(["vip", "vip", "small", "ordinary", "small"], index=["a", "b", "c", "d", "f"])
    k = tier_kpis(before, after, profit_after=pd.Series([10.0, 8, 1, 3, 2], index=after.index))
    r = k.rates
    assert r["new_customer_rate"] == 1 / 5 and r["churn_rate"] == 1 / 5  # f new, e lost
    assert r["upgrade_rate"] == 2 / 5 and r["downgrade_rate"] == 1 / 5  # b, d up; c down
    assert k.migration.loc["major", "vip"] == 1 and k.migration.loc["new", "small"] == 1
    assert k.migration.loc["small", "lost"] == 1 and k.migration.to_numpy().sum() == 6
    assert k.profitability.loc["vip", "avg_profit_after"] == 9
    with pytest.raises(CrmlabValueError, match="'gold'"):
        tier_kpis(before.replace("vip", "gold"), after)


# ----------------------------------------------------------------- RFM
@pytest.fixture(scope="module")
def small_log() -> TransactionLog:
    return TransactionLog.from_frame(pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "c", "c"],
        "date": ["2024-01-01", "2024-01-01", "2024-03-01", "2024-02-15", "2024-01-10", "2024-03-31"],
        "amount": [10.0, 5, 20, 100, 1, 2]}))


def test_rfm_hand_example(small_log):
    r = small_log.rfm(as_of="2024-04-01").table
    # purchases are customer-days (the one rule of crmlab.transactions): a bought on 2 days for 35 in all
    assert r.loc["a"].tolist()[:3] == [31, 2, 35] and r.loc["b", "recency"] == 46 and r.loc["c", "monetary"] == 3
    assert small_log.rfm(as_of="2024-04-01", monetary="mean").table.loc["a", "monetary"] == pytest.approx(35 / 2)


def test_rfm_scores_ties_order_and_qcut():
    rng = np.random.default_rng(1)
    rfm = pd.DataFrame({"recency": rng.integers(0, 300, 1000).astype(float), "frequency": rng.geometric(0.5, 1000).astype(float),
                        "monetary": rng.lognormal(3, 1, 1000)}, index=[f"c{i}" for i in range(1000)])
    s = rfm_scores(rfm)
    for col, key in (("recency", "r_score"), ("frequency", "f_score"), ("monetary", "m_score")):
        assert (s.scores[key].groupby(rfm[col]).nunique() == 1).all()  # ties share a score
    shuffled = rfm_scores(rfm.sample(frac=1, random_state=2))
    pd.testing.assert_frame_equal(s.scores, shuffled.scores.loc[s.scores.index])
    # continuous monetary: identical to pandas' quintiles (right-closed bins)
    q = pd.qcut(rfm["monetary"], 5, labels=False) + 1
    assert (q.to_numpy() == s.scores["m_score"].to_numpy()).all()
    assert (s.scores["r_score"][rfm["recency"] == rfm["recency"].min()] == 5).all()
    th = s.thresholds.query("variable == 'monetary'")
    assert th["customers"].sum() == 1000 and len(th) == 5


def test_segments_first_match_and_unassigned():
    table_ = pd.DataFrame({"r_score": [5, 5, 1, 3, 2], "f_score": [5, 4, 1, 3, 1], "m_score": [5, 4, 1, 1, 5]})
    scores = RFMScores(scores=table_, thresholds=pd.DataFrame(), settings={"bins": 5})
    with pytest.warns(UserWarning, match=r"1 of 5 customers match no RFM segment rule"):
        res = assign_segments(scores)
    seg, table, scores = res.segments, res.table, table_
    # c0: champions (first rule); c1: potential_loyalist (rule 2 before loyal_customers)
    assert seg.tolist()[:3] == ["champions", "potential_loyalist", "lost"]
    # independent check of "unassigned": no rule contains the score triple
    for i, row in scores.iterrows():
        covered = any((r.r_min <= row.r_score <= r.r_max) and (r.f_min <= row.f_score <= r.f_max) and (r.m_min <= row.m_score <= r.m_max)
                      for r in RFM_SEGMENT_RULES.itertuples())
        assert (seg[i] == "unassigned") == (not covered)
    assert table.set_index("segment")["customers"].sum() == 5
    assert "unassigned" in table["segment"].tolist()


def test_segment_rules_must_match_the_score_levels():
    rng = np.random.default_rng(0)
    rfm = pd.DataFrame({"recency": rng.integers(0, 400, 800), "frequency": rng.integers(1, 30, 800),
                        "monetary": rng.gamma(2, 50, 800)})
    with pytest.raises(CrmlabValueError, match=r"rules are written for scores 1…5 but the scores run 1…10"):
        assign_segments(rfm_scores(rfm, bins=10))


# ----------------------------------------------------------------- CDNOW reference
def test_cdnow_frequency_and_recency_match_published_summary(shared_data):
    cd = shared_data / "cdnow"
    log = read_cdnow(cd / "CDNOW_sample.txt", customer_id_col="sample_id")
    early = TransactionLog.from_frame(log.backend.to_pandas(log.table.filter(log.table.datetime <= pd.Timestamp("1997-09-30"))),
                                      datetime_col="datetime", monetary_value_col="monetary_value")
    r = early.rfm(as_of="1997-09-30").table
    summ = pd.read_csv(cd / "cdnow_customers_summary.csv").set_index("ID")
    r = r.set_axis(r.index.astype(int)).loc[summ.index]
    # BG/NBD calibration summary (39 weeks): repeat purchases = distinct purchase days − 1
    assert ((r["frequency"] - 1).to_numpy() == summ["frequency"].to_numpy()).all()
    span_weeks = (r["last_purchase"] - r["first_purchase"]).dt.days / 7
    np.testing.assert_allclose(span_weeks.round(2), summ["recency"], atol=0.006)
    t_weeks = (pd.Timestamp("1997-09-30") - r["first_purchase"]).dt.days / 7
    np.testing.assert_allclose(t_weeks.round(2), summ["T"], atol=0.006)


def test_cdnow_master_rfm_against_plain_python(shared_data):
    path = shared_data / "cdnow" / "CDNOW_master.txt"
    days, total, last = defaultdict(set), defaultdict(float), {}
    with open(path) as fh:
        reader = csv.reader(fh, delimiter=" ", skipinitialspace=True)
        next(reader)  # header line
        for rec in reader:
            cid, date, _, amount = rec
            days[cid].add(date)  # a purchase is a customer-day
            total[cid] += float(amount)
            last[cid] = max(last.get(cid, date), date)
    count = {c: len(d) for c, d in days.items()}
    r = read_cdnow(path).rfm(as_of="1998-06-30").table
    assert len(r) == 23570 == len(count)
    ids = sorted(count)
    np.testing.assert_array_equal(r.loc[ids, "frequency"].to_numpy(), [count[i] for i in ids])
    np.testing.assert_allclose(r.loc[ids, "monetary"].to_numpy(), [total[i] for i in ids], rtol=1e-12)
    rec = [(pd.Timestamp("1998-06-30") - pd.Timestamp(last[i])).days for i in ids]
    np.testing.assert_array_equal(r.loc[ids, "recency"].to_numpy(), rec)


def test_cdnow_kmeans_silhouette_matches_direct_computation(shared_data):
    rfm = read_cdnow(shared_data / "cdnow" / "CDNOW_sample.txt", customer_id_col="sample_id").rfm(as_of="1998-06-30").table
    km = RFMKMeans(k_values=[2, 3, 4], sample_size=600, n_init=2, random_state=0).fit(rfm)
    assert km.k_ == km.silhouette_["silhouette"].idxmax()
    x = RFMKMeans.transform(rfm)
    pos = rfm.index.get_indexer(km.sample_index_)
    xs, lab = x[pos], km.labels_.to_numpy()[pos]
    d = cdist(xs, xs)
    sil = []
    for i in range(len(xs)):  # Rousseeuw (1987), written out
        own = lab == lab[i]
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, lab == c].mean() for c in np.unique(lab) if c != lab[i])
        sil.append((b - a) / max(a, b))
    assert km.silhouette_.loc[km.k_, "silhouette"] == pytest.approx(np.mean(sil), rel=1e-9)
    assert km.centers_["customers"].sum() == len(rfm)
    # log-transformed z-scores: mean 0, sd 1 (n − 1)
    np.testing.assert_allclose(x.std(axis=0, ddof=1), 1, atol=1e-12)


def test_segment_profile_shares(small_log):
    r = small_log.rfm(as_of="2024-04-01").table
    seg = pd.Series(["x", "x", "y"], index=r.index)
    prof = segment_profile(r, seg)
    assert prof.loc["x", "customers"] == 2 and prof["monetary_share"].sum() == pytest.approx(1)
    assert prof.loc["y", "mean_monetary"] == 3


# ----------------------------------------------------------------- charts
def test_charts_render_with_bilingual_labels(customers):
    import matplotlib.pyplot as plt

    from crmlab.ahp import global_weights, group_ahp
    from crmlab.datasets.segmentation import judgment_matrices
    from crmlab.plotting import segmentation as sp

    vm = ValueMatrix(INDICATORS).fit(customers)
    ax = sp.plot_value_matrix(vm, lang="zh")
    texts = {t.get_text() for t in ax.texts}
    assert {"高当前价值·高潜在价值", "低当前价值·低潜在价值"} <= texts and ax.get_xlabel() == "当前价值"
    res = {k: group_ahp(m) for k, m in judgment_matrices().items()}
    gw = global_weights(res["criteria"], {"current": res["current"], "potential": res["potential"]})
    ax = sp.plot_ahp_weights(gw, lang="en")
    assert "Gross profit" in [t.get_text() for t in ax.get_yticklabels()]
    assert sp.plot_pareto(customers["profit"], lang="zh").get_title() == "二八定律曲线"
    assert "Gini" in sp.plot_lorenz(customers["revenue"]).get_title()
    tiers = assign_tiers(customers["profit"])
    sp.plot_tier_pyramid(tiers.cutoffs, lang="zh")
    kt = tier_revenue_table(tiers.tiers, customers["revenue"], customers["service_cost"])
    ax = sp.plot_kotler_tiers(kt)
    widths = sorted(round(p.get_width()) for p in ax.patches if p.get_height() > 0)
    assert sum(widths) == 2 * len(customers)  # revenue and cost bars, each as wide as its tier
    with pytest.raises(CrmlabValueError, match="tier_revenue_table"):
        sp.plot_kotler_tiers(pd.DataFrame({"x": [1]}))
    plt.close("all")


def test_with_split_equals_a_refit_with_that_split():
    from crmlab.datasets import segmentation as ds

    data = ds.make_b2b_customers().set_index("customer_id")
    ind = ds.INDICATORS.drop(columns=["kind"])
    mean = seg.ValueMatrix(ind).fit(data)
    for split, cut in (("median", None), ("given", {"current": 0.2, "potential": -0.1})):
        refit = seg.ValueMatrix(ind, split=split, cutoffs=cut, ties="low").fit(data)
        moved = mean.with_split(split, cut, ties="low")
        pd.testing.assert_frame_equal(moved.scores_, refit.scores_)
        pd.testing.assert_series_equal(moved.cutoffs_, refit.cutoffs_)
        assert moved.settings["split"] == split and moved.summary().equals(refit.summary())
    assert mean.split == "mean" and mean.settings["split"] == "mean"  # the original is untouched
