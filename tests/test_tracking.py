"""crmlab.tracking: waves of one survey compared — indices and their change test, quadrant migration, tier KPIs by period.

References: data simulated from the documented parameters of crmlab.datasets.tracking (no change → the test rejects
near its nominal rate; a known shift → detected), Welch's t test as scipy computes it, Holm's adjustment as
statsmodels computes it, and crmlab.segmentation.tier_kpis for the KPIs of each pair of periods.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crmlab import tracking as tr
from crmlab.datasets import tracking as ds
from crmlab.ipa import ImportancePerformance
from crmlab.pls import PLSPathModel
from crmlab.segmentation import assign_tiers, tier_kpis
from crmlab.transactions import TransactionLog
from crmlab.validation import CrmlabValueError

PERF = {a: f"perf_{a}" for a in ds.ATTRIBUTES.index}
PATHS = list(ds.PATHS)


@pytest.fixture(scope="module")
def waves():
    return ds.generate_waves()


@pytest.fixture(scope="module")
def indices(waves):
    return tr.wave_indices(waves, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=200, random_state=3)


# --------------------------------------------------------------------------- bundled data
def test_bundled_files_are_the_generators_output(tmp_path):
    for path in ds.write_datasets(tmp_path):
        assert path.read_bytes() == (ds.DATA_DIR / path.name).read_bytes(), f"{path.name}: run data/make_datasets.py"


def test_expected_rating_is_the_mean_of_a_rounded_clipped_normal():
    x = np.clip(np.rint(np.random.default_rng(0).normal(7.7, 1.5, 2_000_000)), 1, 10)
    assert ds.expected_rating(7.7) == pytest.approx(x.mean(), abs=0.003)
    assert ds.expected_rating(5.5, 0.01) == pytest.approx(5.5, abs=1e-9)  # halfway: half the mass each side


def test_designed_quadrants_hold_in_the_population():
    """A very large sample of each wave puts every attribute in its designed quadrant (relative weights and LMG)."""
    for w in ds.WAVES:
        big = ds.generate_wave(100_000, item_means=ds.ITEM_MEANS[w], performance_means=ds.ATTRIBUTES[w], random_state=1)
        for method in ("relative_weights", "lmg"):
            fit = ImportancePerformance(performance=PERF, importance=method, overall="overall", scale=ds.SCALE,
                                        overall_scale=ds.SCALE).fit(big)
            assert fit.result_.table["quadrant"].tolist() == ds.DESIGNED_QUADRANTS[w].tolist(), (w, method)


# --------------------------------------------------------------------------- wave design
def spec(label, **extra):
    return {"kind": "survey", "label": label, "path": "x.csv", "scale": [1, 10], "constructs": {"A": ["a1", "a2"], "B": ["b1"]},
            "paths": [["A", "B"]], "attributes": {"price": "p1", "staff": "p2"}, "overall": "ov"} | extra


def test_wave_design_maps_each_waves_own_columns():
    design = tr.wave_design([spec("w1"), spec("w2", constructs={"B": ["b9"], "A": ["x1", "x2"]},
                                              attributes={"staff": "s", "price": "p"}, overall="ov2")])
    assert design.labels == ["w1", "w2"] and design.paths == [("A", "B")]
    assert design.blocks["w2"] == {"B": ["b9"], "A": ["x1", "x2"]} and design.attributes["w2"] == {"staff": "s", "price": "p"}
    assert design.overall == {"w1": "ov", "w2": "ov2"} and design.scale == (1.0, 10.0) and design.stated_importance is None


@pytest.mark.parametrize("waves, message", [
    ([spec("w1")], "at least two survey waves"),
    ([spec("w1"), spec("w1")], "wave labels must be unique"),
    ([spec("w1"), spec(None)], r"waves\[1\]: every wave needs a label"),
    ([spec("w1"), spec("w2", kind="transactions")], r"waves\[1\]: every wave must be a study of kind survey"),
    ([spec("w1"), spec("w2", constructs={"A": ["a1", "a2"], "C": ["c1"]})],
     r"waves\[1\] \(w2\): constructs differ from waves\[0\] \(w1\): missing \['B'\], extra \['C'\]"),
    ([spec("w1"), spec("w2", constructs={"A": ["a1"], "B": ["b1"]})], r"'A' has 1 item\(s\) here and 2 in the first wave"),
    ([spec("w1"), spec("w2", paths=[["B", "A"]])], r"paths differ"),
    ([spec("w1"), spec("w2", attributes={"price": "p1"})], r"attributes differ .*missing \['staff'\]"),
    ([spec("w1"), spec("w2", attributes=None)], r"attributes differ .*given in one wave only"),
    ([spec("w1"), spec("w2", scale=[1, 7])], r"scale differ .*\[1, 7\] here, \[1, 10\] in the first wave"),
    ([spec("w1"), spec("w2", overall=None)], r"overall differ"),
])
def test_waves_of_different_surveys_are_refused(waves, message):
    with pytest.raises(CrmlabValueError, match=message):
        tr.wave_design(waves)


def test_pairs():
    assert tr.wave_pairs(["a", "b", "c"]) == [("a", "b"), ("b", "c")]
    assert tr.wave_pairs(["a", "b", "c"], "first") == [("a", "b"), ("a", "c")]
    assert tr.wave_pairs(["a", "b", "c"], [("c", "a")]) == [("c", "a")]
    for bad in ("last", [("a", "a")], [("a", "z")], []):
        with pytest.raises(CrmlabValueError, match="compare must be"):
            tr.wave_pairs(["a", "b", "c"], bad)


# --------------------------------------------------------------------------- indices and their change
def test_indices_are_each_waves_own_fit_and_bootstrap(waves, indices):
    assert indices.settings["waves"] == list(ds.WAVES)
    assert indices.wide().index.tolist() == list(ds.BLOCKS)  # model order, not alphabetical
    for w in ds.WAVES:
        own = PLSPathModel(ds.BLOCKS, PATHS, scheme="path", scaled=True).fit(waves[w], scale=ds.SCALE)
        np.testing.assert_allclose(indices.wide()[w], own.index_0_100().to_numpy(), atol=1e-10)
        boot = indices.bootstraps[w].index
        np.testing.assert_allclose(indices.wide("std_error")[w], boot["std_error"].to_numpy())
    # independent streams: the waves' resamples differ although the waves have the same size
    draws = [indices.bootstraps[w].draws["index"].to_numpy()[:, 0] for w in ds.WAVES]
    assert abs(np.corrcoef(draws[0], draws[1])[0, 1]) < 0.3
    truth = ds.true_indices()
    covered = ((indices.wide("ci_lower") <= truth) & (truth <= indices.wide("ci_upper"))).to_numpy()
    assert covered.all()


def test_change_test_formula(indices):
    changes = tr.index_changes(indices, adjust="none")
    est, se = indices.wide(), indices.wide("std_error")
    row = changes.table.loc[("2025-Q1 -> 2025-Q2", "QUAL")]
    d = est.loc["QUAL", "2025-Q2"] - est.loc["QUAL", "2025-Q1"]
    s = np.hypot(se.loc["QUAL", "2025-Q1"], se.loc["QUAL", "2025-Q2"])
    assert row["estimate"] == pytest.approx(d) and row["std_error"] == pytest.approx(s)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(d / s)))
    assert row["ci_lower"] == pytest.approx(d - stats.norm.ppf(0.975) * s)
    assert (changes.table["p_adjusted"] == changes.table["p_value"]).all()
    holm = tr.index_changes(indices)
    for pair, part in holm.table.groupby(level="waves"):
        from statsmodels.stats.multitest import multipletests

        np.testing.assert_allclose(part["p_adjusted"], multipletests(part["p_value"], method="holm")[1])
    assert holm.significant().index.tolist() == [("2025-Q1 -> 2025-Q2", "QUAL")]  # the designed change, nothing else
    first = tr.index_changes(indices, compare="first", level=0.9)
    assert first.table["to_wave"].unique().tolist() == ["2025-Q2", "2025-Q3"] and first.settings["level"] == 0.9
    assert set(first.table["from_wave"]) == {"2025-Q1"}


def test_the_change_test_is_calibrated_on_simulated_waves():
    """No change: 25 pairs of waves from the same parameters — the 95 % percentile intervals cover the known population
    index (exact mean of the rounded, clipped ratings) near 95 % of the time, the unadjusted 5 % test rejects near 5 % of
    its 125 tests and the bootstrap SE of a change matches the change's spread over the simulations.  Known shift (QUAL
    items +0.7): detected in each of 5 pairs.  (A 300-pair run with n = 300, B = 200 is reported in the methods
    reference.)"""
    p, se, diff, covered = [], [], [], []
    truth = ds.true_indices()[ds.WAVES[0]]  # both waves drawn from the first wave's parameters
    for s in range(25):
        pair = {"a": ds.generate_wave(200, random_state=1000 + 2 * s), "b": ds.generate_wave(200, random_state=1001 + 2 * s)}
        indices = tr.wave_indices(pair, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=100, random_state=s)
        table = tr.index_changes(indices, adjust="none").table
        low, high = indices.wide("ci_lower"), indices.wide("ci_upper")
        covered.append(((low.le(truth, axis=0)) & (high.ge(truth, axis=0))).to_numpy().ravel())
        p.append(table["p_value"].to_numpy())
        se.append(table["std_error"].to_numpy())
        diff.append(table["estimate"].to_numpy())
    coverage = np.concatenate(covered).mean()  # 250 percentile intervals at 95 % around the known population index
    assert 0.88 <= coverage <= 0.995, coverage
    rate = (np.array(p) < 0.05).mean()
    assert 0.0 <= rate <= 0.12, rate  # binomial(125, 0.05): 0.12 is beyond its 99.9 % point
    ratio = np.mean(se) / np.std(np.array(diff), axis=0, ddof=1).mean()
    assert 0.8 < ratio < 1.25, ratio
    false_alarms = 0
    for s in range(5):
        pair = {"a": ds.generate_wave(200, random_state=5000 + 2 * s),
                "b": ds.generate_wave(200, item_means=ds.ITEM_MEANS["2025-Q2"], random_state=5001 + 2 * s)}
        sig = tr.index_changes(tr.wave_indices(pair, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=100,
                                               random_state=s)).table["significant"].droplevel("waves")
        assert sig["QUAL"]
        false_alarms += int(sig.drop("QUAL").sum())
    assert false_alarms <= 1


def test_index_errors_name_the_wave(waves):
    bad = dict(waves) | {"2025-Q2": waves["2025-Q2"].assign(qual1=waves["2025-Q2"]["qual1"].astype(float).where(lambda s: s.index != 3))}
    with pytest.raises(CrmlabValueError, match=r"wave '2025-Q2': .*qual1"):
        tr.wave_indices(bad, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=10)
    dropped = tr.wave_indices(bad, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=10, missing="drop", random_state=0)
    assert dropped.settings["missing_reports"]["2025-Q2"]["rows_dropped"] == [3]
    assert dropped.table.loc[("2025-Q2", "QUAL"), "n_respondents"] == 299
    with pytest.raises(CrmlabValueError, match="at least two wave labels"):
        tr.wave_indices({"a": waves["2025-Q1"]}, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE)
    with pytest.raises(CrmlabValueError, match="must be the WaveIndices"):
        tr.index_changes(pd.DataFrame())


# --------------------------------------------------------------------------- quadrants
def test_quadrant_migration_finds_the_designed_move(waves):
    results = tr.wave_ipa(waves, performance=PERF, overall="overall", scale=ds.SCALE, overall_scale=ds.SCALE)
    for w, r in results.items():
        alone = ImportancePerformance(performance=PERF, importance="relative_weights", overall="overall", scale=ds.SCALE,
                                      overall_scale=ds.SCALE).fit(waves[w]).result_
        pd.testing.assert_frame_equal(r.table, alone.table)
    migration = tr.quadrant_migration(results)
    moved = migration.moved()
    assert moved.index.tolist() == [("2025-Q2 -> 2025-Q3", "checkout_speed")]
    assert moved[["quadrant_from", "quadrant_to", "zone", "action"]].iloc[0].tolist() == ["B", "A", "advantage", "action_advantage"]
    assert migration.quadrants["changes"].sum() == 1 and migration.settings["crosshair_basis"] == "each_wave"


def test_first_wave_crosshair_is_held_fixed(waves):
    results = tr.wave_ipa(waves, performance=PERF, overall="overall", scale=ds.SCALE, overall_scale=ds.SCALE,
                          crosshair_basis="first_wave")
    first = results["2025-Q1"].crosshair
    assert all(r.crosshair == pytest.approx(first) for r in results.values())
    assert results["2025-Q3"].settings["crosshair_from"] == "2025-Q1"


def test_wave_ipa_missing_answers(waves):
    holes = dict(waves) | {"2025-Q1": waves["2025-Q1"].assign(perf_price=waves["2025-Q1"]["perf_price"].astype(float).mask(
        waves["2025-Q1"].index < 2))}
    with pytest.raises(CrmlabValueError, match=r"wave '2025-Q1': .*perf_price"):
        tr.wave_ipa(holes, performance=PERF, overall="overall", scale=ds.SCALE, overall_scale=ds.SCALE)
    kept = tr.wave_ipa(holes, performance=PERF, overall="overall", scale=ds.SCALE, overall_scale=ds.SCALE, missing="drop")
    assert kept["2025-Q1"].n_respondents == 298 and kept["2025-Q1"].settings["missing_report"]["rows_dropped"] == [0, 1]


def test_performance_changes_are_welch_tests(waves):
    changes = tr.performance_changes(waves, performance=PERF, adjust="none")
    a, b = waves["2025-Q2"]["perf_checkout_speed"], waves["2025-Q3"]["perf_checkout_speed"]
    welch = stats.ttest_ind(b, a, equal_var=False)
    row = changes.table.loc[("2025-Q2 -> 2025-Q3", "checkout_speed")]
    assert row["t_value"] == pytest.approx(welch.statistic) and row["p_value"] == pytest.approx(welch.pvalue)
    assert row["dof"] == pytest.approx(welch.df)
    low, high = welch.confidence_interval(0.95)
    assert (row["ci_lower"], row["ci_upper"]) == (pytest.approx(low), pytest.approx(high))
    holm = tr.performance_changes(waves, performance=PERF)
    assert holm.significant().index.tolist() == [("2025-Q2 -> 2025-Q3", "checkout_speed")]


# --------------------------------------------------------------------------- tier KPIs
def test_tier_kpis_by_period_match_tier_kpis_pair_by_pair():
    log = TransactionLog.from_frame(pd.read_csv(ds.DATA_DIR / ds.LOG_FILE), datetime_col="date", monetary_value_col="amount",
                                    cost_col="cost")
    totals = log.period_totals(freq="Q", observed_from=ds.LOG_OBSERVED[0], observed_through=ds.LOG_OBSERVED[1])
    track = tr.tier_kpis_by_period(totals)
    assert track.settings["value"] == "profit" and track.settings["periods"] == list(ds.LOG_QUARTERS)
    by = totals.by_period()
    for a, b in (("2025Q1", "2025Q2"), ("2025Q2", "2025Q3")):
        direct = tier_kpis(assign_tiers(by[a]["profit"]).tiers, assign_tiers(by[b]["profit"]).tiers).rates
        pd.testing.assert_series_equal(track.rates[f"{a} -> {b}"], direct[list(tr.KPI_RATES)].astype(float), check_names=False)
    # the generator's known rates: new customers exactly 20 %, churn about 20 % then about 30 % (binomial noise)
    np.testing.assert_allclose(track.rates.loc["new_customer_rate"], [0.2, 0.2], atol=1e-3)
    np.testing.assert_allclose(track.rates.loc["churn_rate"], ds.TRUE_KPIS["churn_rate"], atol=0.03)
    assert track.changes.loc["churn_rate", "2025Q2 -> 2025Q3"] == pytest.approx(
        100 * (track.rates.loc["churn_rate"].iloc[1] - track.rates.loc["churn_rate"].iloc[0]))
    assert track.changes.loc["new_customer_rate"].abs().max() < 0.1
    assert tr.tier_kpis_by_period(totals, value="revenue").settings["value"] == "revenue"


def test_tier_kpis_follow_the_chronological_order_of_explicit_periods():
    frame = pd.DataFrame({"customer_id": list("abcdab"), "date": ["2024-01-05"] * 4 + ["2024-02-05"] * 2,
                          "amount": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    totals = TransactionLog.from_frame(frame).period_totals(periods={"late": ["2024-02-01", "2024-02-29"],
                                                                     "early": ["2024-01-01", "2024-01-31"]})
    track = tr.tier_kpis_by_period(totals, value="revenue", shares=[0.25, 0.25, 0.25, 0.25])
    assert track.rates.columns.tolist() == ["early -> late"]  # by_period() alone sorts the labels alphabetically
    assert track.rates.loc["churn_rate", "early -> late"] == pytest.approx(0.5)
    with pytest.raises(CrmlabValueError, match="needs a 'profit' column"):
        tr.tier_kpis_by_period(totals, value="profit")
    one = TransactionLog.from_frame(frame).period_totals(periods={"only": ["2024-01-01", "2024-02-29"]})
    with pytest.raises(CrmlabValueError, match="at least two periods"):
        tr.tier_kpis_by_period(one)


# --------------------------------------------------------------------------- charts
def test_charts(waves, indices):
    import matplotlib.pyplot as plt
    from matplotlib.text import Annotation

    from crmlab.plotting.tracking import plot_index_tracking, plot_kpi_tracking, plot_quadrant_migration

    changes = tr.index_changes(indices)
    for lang in ("en", "zh"):
        ax = plot_index_tracking(indices, changes=changes, lang=lang)
        assert len(ax.get_lines()) >= len(ds.BLOCKS) and sum(t.get_text() == "*" for t in ax.texts) == 1
        assert [t.get_text() for t in ax.get_xticklabels()] == list(ds.WAVES)
        migration = tr.quadrant_migration(tr.wave_ipa(waves, performance=PERF, overall="overall", scale=ds.SCALE,
                                                      overall_scale=ds.SCALE))
        ax = plot_quadrant_migration(migration, lang=lang)
        arrows = [a for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None and a.get_text() == ""]
        assert len(arrows) == 2 * len(PERF)  # one per attribute per consecutive pair of waves
        assert any("checkout_speed (B → A)" == t.get_text() for t in ax.texts)
        plt.close("all")
    log = TransactionLog.from_frame(pd.read_csv(ds.DATA_DIR / ds.LOG_FILE), datetime_col="date", monetary_value_col="amount")
    track = tr.tier_kpis_by_period(log.period_totals(freq="Q", observed_from=ds.LOG_OBSERVED[0],
                                                     observed_through=ds.LOG_OBSERVED[1]))
    ax = plot_kpi_tracking(track, lang="zh")
    assert len(ax.patches) == 4 * 2
    plt.close("all")


# --------------------------------------------------------------------------- quadrant migration by hand
def test_quadrant_migration_by_hand():
    """Two waves of three attributes with positions chosen by hand: mean crosshair, a value on the line counts as high."""
    from crmlab.ipa import quadrant_analysis

    def wave(perf, imp):
        return quadrant_analysis(pd.Series(perf, index=["x", "y", "z"]), pd.Series(imp, index=["x", "y", "z"]),
                                 method="stated", performance_scale=(1, 7), importance_scale=(1, 7))

    # wave 1: means 4 and 4 -> x (6, 6) A, y (2, 5) B, z (4, 1) D (on the performance line: high)
    # wave 2: means 4 and 4 -> x (5, 2) D, y (2, 5) B, z (5, 5) A
    one, two = wave([6, 2, 4], [6, 5, 1]), wave([5, 2, 5], [2, 5, 5])
    migration = tr.quadrant_migration({"w1": one, "w2": two})
    table = migration.table.droplevel("waves")
    assert table["quadrant_from"].tolist() == ["A", "B", "D"] and table["quadrant_to"].tolist() == ["D", "B", "A"]
    assert table["moved"].tolist() == [True, False, True]
    assert migration.moved().index.get_level_values("attribute").tolist() == ["x", "z"]
    assert table.loc["z", "zone"] == "advantage" and table.loc["x", "action"] == "action_maintain"
    assert table.loc["x", ["performance_from", "performance_to", "importance_from", "importance_to"]].tolist() == [6, 5, 6, 2]


# --------------------------------------------------------------------------- invariants (hypothesis)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SMALL = {w: ds.generate_wave(80, item_means=ds.ITEM_MEANS[w], performance_means=ds.ATTRIBUTES[w], random_state=k)
         for k, w in enumerate(ds.WAVES[:2])}
FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LABELS = st.lists(st.text("abcxyz-0123456789", min_size=1, max_size=6), min_size=2, max_size=2, unique=True)


def _shuffled(frame, seed):
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@FAST
@given(seed=st.integers(0, 2**31 - 1), labels=LABELS)
def test_results_do_not_depend_on_row_order_or_wave_names(seed, labels):
    """Reordering each wave's respondents and renaming the waves changes no estimate, test or quadrant."""
    a, b = ds.WAVES[:2]
    moved = {labels[0]: _shuffled(SMALL[a], seed), labels[1]: _shuffled(SMALL[b], seed + 1)}
    base, other = (tr.wave_indices(w, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=2, random_state=0)
                   for w in (SMALL, moved))
    np.testing.assert_allclose(other.wide().to_numpy(), base.wide().to_numpy(), atol=1e-9)
    assert other.settings["waves"] == labels
    perf = [tr.performance_changes(w, performance=PERF).table.droplevel("waves") for w in (SMALL, moved)]
    cols = ["estimate", "std_error", "t_value", "p_value", "p_adjusted", "significant"]
    pd.testing.assert_frame_equal(perf[1][cols], perf[0][cols], atol=1e-12)
    quads = [tr.quadrant_migration(tr.wave_ipa(w, performance=PERF, overall="overall", scale=ds.SCALE,
                                               overall_scale=ds.SCALE)).table.droplevel("waves") for w in (SMALL, moved)]
    assert quads[1][["quadrant_from", "quadrant_to", "moved"]].equals(quads[0][["quadrant_from", "quadrant_to", "moved"]])


@FAST
@given(seed=st.integers(0, 2**31 - 1))
def test_a_wave_compared_with_itself_shows_no_change(seed):
    """The same respondents (in another order) as a second wave: zero change, p = 1, nothing significant, no move."""
    wave = SMALL[ds.WAVES[0]]
    same = {"before": wave, "again": _shuffled(wave, seed)}
    changes = tr.index_changes(tr.wave_indices(same, blocks=ds.BLOCKS, paths=PATHS, scale=ds.SCALE, n_boot=20,
                                               random_state=seed)).table
    np.testing.assert_allclose(changes["estimate"], 0.0, atol=1e-9)
    np.testing.assert_allclose(changes["p_value"], 1.0, atol=1e-6)
    assert not changes["significant"].any()
    perf = tr.performance_changes(same, performance=PERF).table
    assert np.allclose(perf["estimate"], 0.0, atol=1e-12) and np.allclose(perf["p_value"], 1.0) and not perf["significant"].any()
    migration = tr.quadrant_migration(tr.wave_ipa(same, performance=PERF, overall="overall", scale=ds.SCALE,
                                                  overall_scale=ds.SCALE))
    assert not migration.table["moved"].any()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1))
def test_tier_kpis_do_not_depend_on_the_order_of_the_log(seed):
    frame = pd.read_csv(ds.DATA_DIR / ds.LOG_FILE, nrows=3000)

    def track(f):
        log = TransactionLog.from_frame(f, datetime_col="date", monetary_value_col="amount", cost_col="cost")
        return tr.tier_kpis_by_period(log.period_totals(freq="M", observed_from="2025-01-01"), shares=[0.1, 0.2, 0.3, 0.4])

    base, other = track(frame), track(_shuffled(frame, seed))
    pd.testing.assert_frame_equal(other.rates, base.rates)
    pd.testing.assert_frame_equal(other.counts, base.counts)


@settings(max_examples=60, deadline=None)
@given(p=st.lists(st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.01, 0.05, 1.0]), st.just(float("nan"))),
                  min_size=1, max_size=12))
def test_holm_adjustment_equals_statsmodels(p):
    """Holm's step-down p values as statsmodels' multipletests computes them (ties, zeros, ones; NaN kept in place)."""
    from statsmodels.stats.multitest import multipletests

    p = np.array(p)
    out = tr._adjusted(p, "holm")
    ok = np.isfinite(p)
    assert np.isnan(out[~ok]).all()
    if ok.sum() > 1:
        np.testing.assert_allclose(out[ok], multipletests(p[ok], method="holm")[1], atol=1e-15)
    else:
        np.testing.assert_array_equal(out[ok], p[ok])
    np.testing.assert_array_equal(tr._adjusted(p, "none")[ok], p[ok])
