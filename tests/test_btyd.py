"""BG/NBD and Gamma–Gamma against Fader, Hardie & Lee (2005) on CDNOW, and recovery of known simulation parameters."""
from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

from conftest import bundled_log, read_cdnow
from crmlab import btyd
from crmlab.datasets import clv as clv_data
from crmlab.results import STAT_COLUMNS
from crmlab.validation import CrmlabValueError, NotFittedError


@pytest.fixture(scope="module")
def cdnow(shared_data):
    return shared_data / "cdnow"


@pytest.fixture(scope="module")
def cdnow_log(cdnow):
    return read_cdnow(cdnow / "CDNOW_sample.txt")


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_log):
    return cdnow_log.customer_summary(calibration_end="1997-09-30", observation_end="1998-06-30", time_unit="W")


# ---------------------------------------------------------------- CDNOW references
def test_bgnbd_reproduces_fhl_2005_cdnow_parameters(cdnow):
    summary = pd.read_csv(cdnow / "cdnow_customers_summary.csv")
    model = btyd.BetaGeoModel().fit(summary)
    # FHL (2005a) Table: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4
    assert model.params_.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    assert model.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    table = model.summary()
    assert list(table.columns) == list(STAT_COLUMNS)
    assert (table["std_error"] > 0).all() and model.converged_ and model.settings["model"] == "BG/NBD"


def test_bgnbd_conditional_expectation_matches_fhl_example(cdnow):
    model = btyd.BetaGeoModel().fit(pd.read_csv(cdnow / "cdnow_customers_summary.csv"))
    one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    # FHL (2005a) §4: x = 2, tₓ = 30.43, T = 38.86 → 1.226 expected purchases in the next 39 weeks
    assert model.conditional_expected_purchases(one, 39).iloc[0] == pytest.approx(1.226, abs=5e-4)
    # no repeat purchase → P(alive) = 1 under the BG/NBD
    zero = pd.DataFrame({"frequency": [0], "recency": [0.0], "T": [38.86]})
    assert model.probability_alive(zero).iloc[0] == 1.0


def test_summary_of_raw_log_equals_published_calibration_summary(cdnow, cdnow_summary):
    raw = pd.read_csv(cdnow / "CDNOW_sample.txt", sep=r"\s+", header=None, names=["cid", "sid", "date", "n", "amt"],
                      dtype={"cid": str})
    sample_id = raw.drop_duplicates("cid").set_index("cid")["sid"]
    table = cdnow_summary.table
    ours = table.set_axis(sample_id.loc[table.index].to_numpy()).sort_index()
    ref = pd.read_csv(cdnow / "cdnow_customers_summary_with_transactions.csv").set_index("ID")
    assert len(ours) == 2357
    assert (ours["frequency"] == ref["x"]).all()
    assert np.abs(ours["recency"].round(2) - ref["t_x"]).max() == 0
    assert np.abs(ours["T"].round(2) - ref["T"]).max() == 0
    assert np.abs(ours["monetary_value"] - ref["zbar"]).max() <= 0.005 + 1e-9
    assert cdnow_summary.settings["time_unit"] == "W" and table["duration_holdout"].iloc[0] == 39
    assert cdnow_summary.settings["purchase_rule"] == "customer-day" and cdnow_summary.summary() is table


def test_gamma_gamma_reproduces_fhl_2005_rfm_clv(cdnow_summary):
    model = btyd.GammaGammaModel().fit(cdnow_summary)
    # FHL (2005b) / Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44 on 946 repeat buyers
    assert model.n_customers_ == 946
    assert model.params_.round(2).tolist() == [6.25, 3.74, 15.44]
    # to three decimals and beyond: lifetimes' MLE on the same summary (tests/reference)
    import json
    from pathlib import Path

    ref = json.loads((Path(__file__).parent / "reference" / "lifetimes_cdnow_gamma_gamma.json").read_text())
    assert model.params_.to_dict() == pytest.approx({k: ref[k] for k in ("p", "q", "gamma")}, abs=1e-5)
    assert model.params_.round(3).tolist() == [6.250, 3.744, 15.444]
    spend = model.expected_spend(cdnow_summary)
    p, q, g = model.params_
    assert spend[cdnow_summary.table["frequency"] == 0].unique() == pytest.approx([p * g / (q - 1)])


def test_holdout_check_and_tracking(cdnow_log, cdnow_summary):
    model = btyd.BetaGeoModel().fit(cdnow_summary)
    table = btyd.holdout_by_frequency(model, cdnow_summary).table
    assert table.index.tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["customers"].sum() == 2357
    # the model's conditional expectations track the holdout (FHL 2005a Fig. 4): predicted and actual
    # grow with calibration frequency; the total is a sanity bound (the BG/NBD is known to under-predict
    # CDNOW's holdout a little: 1,653 predicted vs 1,882 actual purchase days here), the exact formula
    # is checked against FHL's 1.226 above
    assert table["predicted"].is_monotonic_increasing
    total_pred = (table["predicted"] * table["customers"]).sum()
    total_act = (table["actual"] * table["customers"]).sum()
    assert abs(total_pred / total_act - 1) < 0.15
    track = btyd.cumulative_tracking(model, cdnow_log, calibration_end="1997-09-30").table
    assert track["actual"].is_monotonic_increasing and track["expected"].is_monotonic_increasing
    assert abs(track["expected"].iloc[-1] / track["actual"].iloc[-1] - 1) < 0.10


# ---------------------------------------------------------------- recovery on the bundled log
@pytest.fixture(scope="module")
def bundled_summary():
    return bundled_log().customer_summary(calibration_end=clv_data.CALIBRATION_END, observation_end=clv_data.OBSERVATION_END)


def test_bundled_log_regenerates_identically(tmp_path):
    path = clv_data.write_transactions(tmp_path / "transactions.csv")
    assert filecmp.cmp(path, clv_data.DATA_FILE, shallow=False)
    assert clv_data.DATA_FILE.stat().st_size < 1_000_000


def test_fit_recovers_simulation_parameters(bundled_summary):
    """Tolerance: every estimate within 3 standard errors (observed information) of the true value."""
    bg = btyd.BetaGeoModel().fit(bundled_summary).summary()
    gg = btyd.GammaGammaModel().fit(bundled_summary).summary()
    est = pd.concat([bg, gg])
    truth = pd.Series(clv_data.TRUE_PARAMS)
    z = (est["estimate"] - truth[est.index]) / est["std_error"]
    assert np.isfinite(z).all()
    assert (z.abs() < 3).all(), z


def test_clv_discounting_and_units(bundled_summary):
    bg = btyd.BetaGeoModel().fit(bundled_summary)
    gg = btyd.GammaGammaModel().fit(bundled_summary)
    result = btyd.customer_lifetime_value(bg, gg, bundled_summary, periods=12, period_length=4.0, rate=0.0)
    undiscounted = result.table
    # with d = 0 the CLV is expected purchases over 12 steps of 4 weeks × expected spend
    horizon = bg.conditional_expected_purchases(bundled_summary, 48.0)
    assert undiscounted["expected_purchases"].to_numpy() == pytest.approx(horizon.to_numpy())
    assert undiscounted["clv"].to_numpy() == pytest.approx((horizon * gg.expected_spend(bundled_summary)).to_numpy())
    discounted = btyd.customer_lifetime_value(bg, gg, bundled_summary, periods=12, period_length=4.0, rate=0.01)
    assert (discounted.table["clv"] < undiscounted["clv"] + 1e-12).all()
    assert discounted.settings["time_unit"] == "W" and discounted.settings["timing"] == "end"
    assert result.value == pytest.approx(undiscounted["clv"].sum())













def test_bad_summaries_and_unfitted_models():
    with pytest.raises(CrmlabValueError, match="'recency' exceeds 'T'"):
        btyd.BetaGeoModel().fit(pd.DataFrame({"frequency": [1], "recency": [5.0], "T": [3.0]}))
    with pytest.raises(CrmlabValueError, match="whole numbers"):
        btyd.BetaGeoModel().fit(pd.DataFrame({"frequency": [1.5], "recency": [1.0], "T": [3.0]}))
    with pytest.raises(NotFittedError, match="not fitted"):
        btyd.BetaGeoModel().summary()







# ---------------------------------------------------------------- P(X(t) = n) summed over customers
def test_repeat_frequency_fit_on_cdnow(cdnow_summary):
    """FHL (2005a, Fig. 1): of the 2,357 CDNOW customers 1,411 made no repeat purchase in the 39-week calibration;
    the BG/NBD's Σᵢ P(X(Tᵢ) = 0) comes close.  Each column counts every customer once."""
    models = {"BG/NBD": btyd.BetaGeoModel().fit(cdnow_summary), "Pareto/NBD": btyd.ParetoNBDModel().fit(cdnow_summary)}
    fit = btyd.repeat_frequency_fit(models, cdnow_summary)
    table = fit.table
    assert table.index.tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table.loc["0", "actual"] == 1411 and table["actual"].sum() == 2357
    assert table.sum().to_numpy() == pytest.approx(2357)
    assert abs(table.loc["0", "BG/NBD"] - 1411) < 10
    # by hand for one bin: the sum over customers of each customer's own P(X(T_i) = 2)
    bg = models["BG/NBD"]
    by_hand = sum(bg.probability_of_purchases(2, T) for T in cdnow_summary.table["T"])
    assert table.loc["2", "BG/NBD"] == pytest.approx(by_hand, rel=1e-10)


def test_repeat_frequency_fit_needs_count_probabilities(bundled_summary):
    mbg = btyd.ModifiedBetaGeoModel().fit(bundled_summary)
    with pytest.raises(CrmlabValueError, match=r"models\['MBG'\]: MBG/NBD has no P\(X\(t\) = n\)"):
        btyd.repeat_frequency_fit({"MBG": mbg}, bundled_summary)
    with pytest.raises(CrmlabValueError, match="models must map names"):
        btyd.repeat_frequency_fit(mbg, bundled_summary)
    with pytest.raises(NotFittedError):
        btyd.repeat_frequency_fit({"BG/NBD": btyd.BetaGeoModel()}, bundled_summary)


def test_frequency_fit_and_retention_charts(bundled_summary):
    import matplotlib.pyplot as plt

    from crmlab.i18n import t
    from crmlab.plotting import clv as pc

    fit = btyd.repeat_frequency_fit({"BG/NBD": btyd.BetaGeoModel().fit(bundled_summary)}, bundled_summary, max_frequency=4)
    ax = pc.plot_frequency_fit(fit, lang="zh")
    assert len(ax.patches) == 2 * 5 and ax.get_title() == t("clv_frequency_fit_title", "zh")
    plt.close(ax.figure)
    curves = pd.DataFrame({"d = 10%": [0.0, 50.0, 450.0]}, index=pd.Index([0.0, 0.5, 0.9], name="retention"))
    ax = pc.plot_retention_clv(curves, highlight=(0.9, 450.0))
    assert [tx.get_text() for tx in ax.texts] == ["450"] and ax.get_xlabel() == t("retention_rate", "en")
    plt.close(ax.figure)
