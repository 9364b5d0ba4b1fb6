"""Pareto/NBD, MBG/NBD, BG/BB and sBG against published estimates, lifetimes 0.11.3 and simulation; shared model machinery."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln

from conftest import bundled_log, read_cdnow
from crmlab import btyd
from crmlab.datasets import clv as clv_data
from crmlab.results import STAT_COLUMNS
from crmlab.validation import ConvergenceError, ConvergenceWarning, CrmlabValueError, NotFittedError

REFERENCE = Path(__file__).parent / "reference"
CONTINUOUS = (btyd.BetaGeoModel, btyd.ModifiedBetaGeoModel, btyd.ParetoNBDModel)


def reference(name: str) -> dict:
    return json.loads((REFERENCE / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def cdnow(shared_data):
    return pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def fitted(cdnow):
    return {m: m().fit(cdnow, time_unit="W") for m in CONTINUOUS}


@pytest.fixture(scope="module")
def log_summary(shared_data):
    log = read_cdnow(shared_data / "cdnow" / "CDNOW_sample.txt")
    return log, log.customer_summary(calibration_end="1997-09-30", observation_end="1998-06-30")


# ---------------------------------------------------------------- Pareto/NBD
def test_pareto_nbd_reproduces_published_cdnow_estimates(fitted):
    model = fitted[btyd.ParetoNBDModel]
    # Fader, Hardie & Lee (2005), CDNOW: r = 0.55, α = 10.58, s = 0.61, β = 11.67, LL = −9595.0
    assert model.params_.round(2).tolist() == [0.55, 10.58, 0.61, 11.67]
    assert model.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)
    assert list(model.summary().columns) == list(STAT_COLUMNS) and np.isfinite(model.summary().to_numpy()).all()


def test_pareto_nbd_agrees_with_lifetimes(fitted, cdnow):
    ref = reference("lifetimes_cdnow_pareto_nbd")
    model = fitted[btyd.ParetoNBDModel]
    # lifetimes' Nelder–Mead stops ~1e-5 from the optimum; our LL is not lower than theirs
    assert model.params_.to_dict() == pytest.approx(ref["params"], rel=1e-4)
    assert model.log_likelihood_ >= ref["log_likelihood"] - 1e-6
    head = cdnow.head(len(ref["p_alive"]))
    assert model.probability_alive(head).to_numpy() == pytest.approx(ref["p_alive"], abs=1e-5)
    assert model.conditional_expected_purchases(head, 39).to_numpy() == pytest.approx(ref["conditional_39"], abs=1e-4)
    assert model.expected_purchases(52) == pytest.approx(ref["expected_52"], rel=1e-4)
    assert model.probability_of_purchases(np.arange(8), 39) == pytest.approx(ref["p_n_39_new"], abs=1e-5)


def test_pareto_nbd_likelihood_is_stable_where_the_naive_hypergeometric_overflows():
    # α ≫ β and very frequent buyers: ₂F₁(r+s+x, s+1; r+s+x+1; z) with z → 1 and x in the hundreds
    x = np.array([0.0, 300.0, 800.0])
    tx = np.array([0.0, 30.0, 39.0])
    T = np.full(3, 40.0)
    params = np.array([5.0, 500.0, 2.0, 0.5])
    alive, dropped = btyd._pnbd_log_terms(params, x, tx, T)
    assert np.isfinite(alive).all() and np.isfinite(dropped).all()
    # the dropped term equals s·∫ₜₓᵀ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ: check it by quadrature in logs
    r, a, s, b = params
    nodes, weights = np.polynomial.legendre.leggauss(200)
    for k in (0, 1, 2):
        tau = tx[k] + (T[k] - tx[k]) * (nodes + 1) / 2
        log_f = np.log(s) - (r + x[k]) * np.log(a + tau) - (s + 1) * np.log(b + tau)
        top = log_f.max()
        quad = top + np.log((weights * np.exp(log_f - top)).sum() * (T[k] - tx[k]) / 2)
        assert dropped[k] == pytest.approx(quad, rel=1e-10)


def test_probability_of_n_purchases_is_a_distribution_with_the_right_mean(fitted):
    n = np.arange(0, 400)
    for cls in (btyd.BetaGeoModel, btyd.ParetoNBDModel):
        model = fitted[cls]
        for t in (1.0, 39.0, 78.0):
            p = model.probability_of_purchases(n, t)
            assert (p >= 0).all()
            assert p.sum() == pytest.approx(1.0, abs=1e-8)
            assert (n * p).sum() == pytest.approx(model.expected_purchases(t), rel=1e-6)
        assert model.probability_of_purchases(0, 0.0) == pytest.approx(1.0)


def test_bgnbd_probability_of_n_purchases_agrees_with_lifetimes(fitted):
    ref = reference("lifetimes_cdnow_bgnbd_pn")
    model = fitted[btyd.BetaGeoModel]
    assert model.params_.to_dict() == pytest.approx(ref["params"], rel=1e-4)
    assert model.probability_of_purchases(np.arange(8), 39) == pytest.approx(ref["p_n_39"], abs=1e-6)
    assert model.probability_of_purchases(np.arange(8), 78) == pytest.approx(ref["p_n_78"], abs=1e-6)


# ---------------------------------------------------------------- MBG/NBD
def test_mbg_nbd_agrees_with_lifetimes(fitted, cdnow):
    ref = reference("lifetimes_cdnow_mbg_nbd")
    model = fitted[btyd.ModifiedBetaGeoModel]
    assert model.params_.to_dict() == pytest.approx(ref["params"], rel=1e-5)
    assert model.log_likelihood_ == pytest.approx(ref["log_likelihood"], abs=1e-6)
    head = cdnow.head(len(ref["p_alive"]))
    assert model.probability_alive(head).to_numpy() == pytest.approx(ref["p_alive"], abs=1e-6)
    assert model.conditional_expected_purchases(head, 39).to_numpy() == pytest.approx(ref["conditional_39"], abs=1e-6)
    assert model.expected_purchases(52) == pytest.approx(ref["expected_52"], rel=1e-6)


def test_mbg_nbd_expected_purchases_match_simulation():
    """Simulated from known parameters: dropout possible at time 0 and after every purchase (Batislam et al. 2007)."""
    r, alpha, a, b = 0.8, 5.0, 1.6, 3.0
    model = btyd.ModifiedBetaGeoModel()
    model.fit(_simulate_mbg(4000, (r, alpha, a, b), horizon=52.0, seed=3))
    rng = np.random.default_rng(11)
    n, t = 200_000, 30.0
    lam, p = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    count = np.zeros(n)
    alive = rng.uniform(size=n) >= p
    time = np.zeros(n)
    while alive.any():
        idx = np.flatnonzero(alive)
        time[idx] += rng.exponential(1 / lam[idx])
        bought = idx[time[idx] <= t]
        alive[idx[time[idx] > t]] = False
        count[bought] += 1
        alive[bought[rng.uniform(size=bought.size) < p[bought]]] = False
    model.params_ = pd.Series([r, alpha, a, b], index=list(model.param_names))  # evaluate the formula at the truth
    assert model.expected_purchases(t) == pytest.approx(count.mean(), abs=4 * count.std() / np.sqrt(n))


def _simulate_mbg(n, params, *, horizon, seed):
    r, alpha, a, b = params
    rng = np.random.default_rng(seed)
    lam, p = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    T = rng.uniform(horizon / 2, horizon, n)
    x, last, time = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = rng.uniform(size=n) >= p
    while alive.any():
        idx = np.flatnonzero(alive)
        time[idx] += rng.exponential(1 / lam[idx])
        bought = idx[time[idx] <= T[idx]]
        alive[idx[time[idx] > T[idx]]] = False
        x[bought] += 1
        last[bought] = time[bought]
        alive[bought[rng.uniform(size=bought.size) < p[bought]]] = False
    return pd.DataFrame({"frequency": x, "recency": last, "T": T})


def test_mbg_nbd_recovers_simulation_parameters():
    truth = pd.Series([0.8, 5.0, 1.6, 3.0], index=["r", "alpha", "a", "b"])
    table = btyd.ModifiedBetaGeoModel().fit(_simulate_mbg(4000, truth.to_numpy(), horizon=52.0, seed=3)).summary()
    z = (table["estimate"] - truth) / table["std_error"]
    assert (z.abs() < 3).all(), z


# ---------------------------------------------------------------- BG/BB
def test_bgbb_reproduces_published_donation_estimates():
    model = btyd.BetaGeoBetaBinomModel(count="count").fit(clv_data.DONATIONS)
    # Fader, Hardie & Shang (2010): α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, LL = −33,225.6 (11,104 donors)
    assert model.params_.round(3).tolist() == [1.204, 0.750, 0.657, 2.783]
    assert model.log_likelihood_ == pytest.approx(-33225.6, abs=0.05)
    assert model.n_customers_ == 11104 and model.settings["model"] == "BG/BB"


def test_bgbb_agrees_with_lifetimes():
    ref = reference("lifetimes_donations_bgbb")
    model = btyd.BetaGeoBetaBinomModel(count="count").fit(clv_data.DONATIONS)
    assert model.params_.to_dict() == pytest.approx(ref["params"], rel=1e-5)
    assert model.log_likelihood_ == pytest.approx(ref["log_likelihood"], abs=1e-5)
    assert model.conditional_expected_purchases(clv_data.DONATIONS, 5).to_numpy() == pytest.approx(ref["conditional_5"], abs=1e-6)
    assert model.probability_alive(clv_data.DONATIONS).to_numpy() == pytest.approx(ref["p_alive"], abs=1e-6)
    assert model.expected_purchases(6) == pytest.approx(ref["expected_6"], rel=1e-6)


def test_bgbb_counts_equal_repeated_rows():
    expanded = clv_data.DONATIONS.loc[clv_data.DONATIONS.index.repeat(clv_data.DONATIONS["count"] // 50 + 1)]
    weighted = clv_data.DONATIONS.assign(count=clv_data.DONATIONS["count"] // 50 + 1)
    a = btyd.BetaGeoBetaBinomModel().fit(expanded)
    b = btyd.BetaGeoBetaBinomModel(count="count").fit(weighted)
    assert a.params_.to_numpy() == pytest.approx(b.params_.to_numpy(), rel=1e-6)
    with pytest.raises(CrmlabValueError, match="whole number of opportunities"):
        b.conditional_expected_purchases(weighted, 2.5)


# ---------------------------------------------------------------- sBG
@pytest.mark.parametrize("segment, published", [("regular", [0.704, 1.182]), ("high_end", [0.668, 3.806])])
def test_sbg_reproduces_fader_hardie_2007(segment, published):
    survivors = clv_data.SBG_SURVIVORS[segment]
    model = btyd.ShiftedBetaGeometricModel().fit(survivors)
    assert model.params_.round(3).tolist() == published  # FH 2007, fitted on years 0–7
    a, b = model.params_
    # survival and retention curves from the closed forms (FH 2007 eqs. 4 and 7)
    assert model.survival(12).to_numpy() == pytest.approx(np.exp(betaln(a, b + np.arange(13)) - betaln(a, b)))
    retention = model.retention(12)
    assert retention.is_monotonic_increasing  # heterogeneity: survivors are the loyal ones
    assert retention.to_numpy() == pytest.approx(model.survival(12).to_numpy()[1:] / model.survival(12).to_numpy()[:-1])
    # the fit tracks the calibration data it was fitted on within 2 percentage points
    fitted_share = model.survival(7).to_numpy()
    assert np.abs(fitted_share - np.array(survivors) / 1000).max() < 0.02


def test_sbg_derl_equals_discounted_sum_of_survival():
    """FH 2010 eq. 6 (₂F₁ closed form) against the defining sum Σ_{t≥n} S(t | t > n−1)/(1+d)^(t−n).

    The paper's own numeric examples could not be found in the sources searched; this
    checks the closed form against an independent direct summation.
    """
    model = btyd.ShiftedBetaGeometricModel().fit(clv_data.SBG_SURVIVORS["regular"])
    s = model.survival(5000).to_numpy()
    for d in (0.1, 0.25, 1.5):
        for n in (1, 2, 5, 10):
            direct = np.sum(s[n:] / s[n - 1] * (1 + d) ** -np.arange(0, s.size - n, dtype=float))
            assert model.derl(d, renewals=n - 1) == pytest.approx(direct, rel=1e-8)
    assert model.derl(0.1, renewals=[0, 4]) == pytest.approx([model.derl(0.1), model.derl(0.1, renewals=4)])
    with pytest.raises(CrmlabValueError, match="rate must be > 0"):
        model.derl(0.0)


@pytest.mark.parametrize("survivors, message", [
    ([1000, 800], "cannot be identified"),
    ([1000, 1000, 1000], "cannot be identified"),
    ([1000, 500, 0], "cannot be identified"),
    ([1000, 1100, 900], "never increase"),
    ([1000, 600.5, 400], "whole customer counts"),
    (["1000", "x", "3"], "must be numbers"),
    (pd.Series([1000, 600, 400], index=[1, 2, 3]), "indexed by period 0"),
])
def test_sbg_bad_survivors(survivors, message):
    with pytest.raises(CrmlabValueError, match=message):
        btyd.ShiftedBetaGeometricModel().fit(survivors)


# ---------------------------------------------------------------- shared machinery
def test_customers_first_seen_at_calibration_end_add_nothing_to_the_likelihood(cdnow, fitted):
    newcomers = pd.DataFrame({"ID": [-1, -2], "frequency": [0, 0], "recency": [0.0, 0.0], "T": [0.0, 0.0]})
    extended = pd.concat([cdnow, newcomers], ignore_index=True)
    for cls in CONTINUOUS:
        model = cls().fit(extended, time_unit="W")
        base = fitted[cls]
        assert model.n_customers_ == len(cdnow) + 2
        assert model.log_likelihood_ == pytest.approx(base.log_likelihood_, abs=1e-6)
        assert model.params_.to_numpy() == pytest.approx(base.params_.to_numpy(), rel=1e-5)
        # a customer with T = 0 is a new customer: conditional expectation = unconditional E[X(t)]
        assert model.conditional_expected_purchases(newcomers, 39).to_numpy() == pytest.approx([model.expected_purchases(39)] * 2)
    assert fitted[btyd.BetaGeoModel].probability_alive(newcomers).tolist() == [1.0, 1.0]
    assert fitted[btyd.ParetoNBDModel].probability_alive(newcomers).tolist() == [1.0, 1.0]
    a, b = fitted[btyd.ModifiedBetaGeoModel].params_[["a", "b"]]
    assert fitted[btyd.ModifiedBetaGeoModel].probability_alive(newcomers).to_numpy() == pytest.approx([b / (a + b)] * 2)


@pytest.mark.parametrize("cls", CONTINUOUS + (btyd.BetaGeoBetaBinomModel,))
@pytest.mark.parametrize("data", [
    pd.DataFrame({"frequency": [3], "recency": [20.0], "T": [30.0], "periods": [30.0]}),
    pd.DataFrame({"frequency": [0, 0, 0], "recency": [0.0, 0, 0], "T": [10.0, 20, 30], "periods": [10.0, 20, 30]}),
    pd.DataFrame({"frequency": [2, 2, 2], "recency": [5.0, 6, 7], "T": [10.0, 20, 30], "periods": [10.0, 20, 30]}),
])
def test_unidentifiable_data_raise_with_the_rule(cls, data):
    with pytest.raises(CrmlabValueError, match="cannot be identified.*at least two customers with repeat purchases"):
        cls().fit(data)


def test_non_convergence_follows_the_policy(cdnow, monkeypatch):
    monkeypatch.setattr(btyd, "GRADIENT_TOLERANCE", 0.0)
    with pytest.raises(ConvergenceError, match="Pareto/NBD did not converge"):
        btyd.ParetoNBDModel().fit(cdnow)
    with pytest.warns(ConvergenceWarning):
        model = btyd.BetaGeoModel(on_nonconvergence="warn").fit(cdnow)
    assert model.converged_ is False


def test_boundary_estimates_and_singular_information_raise():
    # two customers: frequencies differ, yet heterogeneity runs off to the boundary
    tiny = pd.DataFrame({"frequency": [1, 2, 0], "recency": [5.0, 8.0, 0.0], "T": [10.0, 10.0, 10.0]})
    with pytest.raises(CrmlabValueError, match="cannot identify"):
        btyd.BetaGeoModel().fit(tiny)


@pytest.mark.parametrize("cls", CONTINUOUS + (btyd.BetaGeoBetaBinomModel, btyd.ShiftedBetaGeometricModel, btyd.GammaGammaModel))
def test_unfitted_models_say_so(cls):
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        cls().summary()
    with pytest.raises(NotFittedError):
        cls().settings


def test_time_units_travel_with_the_summary(log_summary, fitted, cdnow):
    _, summary = log_summary
    model = btyd.ParetoNBDModel().fit(summary)
    assert model.time_unit_ == "W" and model.settings["purchase_rule"] == "customer-day"
    with pytest.raises(CrmlabValueError, match="contradicts"):
        btyd.BetaGeoModel().fit(summary, time_unit="D")
    with pytest.raises(CrmlabValueError, match="fitted in 'W'"):
        model.probability_alive(cdnow, time_unit="D")
    assert btyd.BetaGeoModel().fit(cdnow).time_unit_ is None


@pytest.mark.parametrize("bad, message", [
    ({"frequency": ["two", 1]}, "column 'frequency' must be finite numbers"),
    ({"recency": [np.inf, 0.0]}, "column 'recency' must be finite"),
    ({"T": [3.0, -1.0]}, "column 'T' must be ≥ 0"),
])
def test_bad_summary_columns_are_named(bad, message):
    data = pd.DataFrame({"frequency": [2, 1], "recency": [2.0, 1.0], "T": [3.0, 3.0], **bad})
    with pytest.raises(CrmlabValueError, match=message):
        btyd.BetaGeoModel().fit(data)


# ---------------------------------------------------------------- CLV, comparison, charts for every model
def _gamma_gamma(summary):
    return btyd.GammaGammaModel().fit(summary)


@pytest.mark.parametrize("cls", CONTINUOUS)
def test_clv_accepts_every_purchase_model(cls, log_summary):
    _, summary = log_summary
    model = cls().fit(summary)
    gg = _gamma_gamma(summary)
    result = btyd.customer_lifetime_value(model, gg, summary, periods=6, period_length=4.0, rate=0.0)
    horizon = model.conditional_expected_purchases(summary, 24.0).to_numpy()
    assert result.table["clv"].to_numpy() == pytest.approx(horizon * gg.expected_spend(summary).to_numpy())
    assert result.settings["model"] == model.model_name and result.value == pytest.approx(result.table["clv"].sum())
    # a discount rate of 100 % or more is a rate, not an error
    assert (btyd.customer_lifetime_value(model, gg, summary, rate=1.5).table["clv"] <= result.table["clv"] * 10).all()
    with pytest.raises(CrmlabValueError, match="periods must be ≤ 10,000"):
        btyd.customer_lifetime_value(model, gg, summary, periods=10 ** 9)
    with pytest.raises(CrmlabValueError, match=r"spend must be a number or one number per customer \(2357\)"):
        btyd.customer_lifetime_value(model, None, summary, spend=[1.0, 2.0])
    with pytest.raises(CrmlabValueError, match="spend must be finite"):
        btyd.customer_lifetime_value(model, None, summary, spend=np.inf)


def test_clv_with_bgbb_in_opportunities():
    model = btyd.BetaGeoBetaBinomModel(count="count").fit(clv_data.DONATIONS)
    result = btyd.customer_lifetime_value(model, None, clv_data.DONATIONS, spend=50.0, periods=5, period_length=1, rate=0.0)
    assert result.table["clv"].to_numpy() == pytest.approx(50 * model.conditional_expected_purchases(clv_data.DONATIONS, 5).to_numpy())
    with pytest.raises(CrmlabValueError, match="whole number of opportunities"):
        btyd.customer_lifetime_value(model, None, clv_data.DONATIONS, spend=50.0, period_length=0.5)


def test_model_comparison_table(log_summary):
    _, summary = log_summary
    result = btyd.compare_purchase_models(summary)
    table = result.table
    assert table.index.tolist() == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    # FHL (2005a): on CDNOW the BG/NBD (LL −9582.4) fits a little better than the Pareto/NBD (−9595.0)
    assert table.loc["BG/NBD", "log_likelihood"] == pytest.approx(-9582.4, abs=0.05)
    assert table.loc["Pareto/NBD", "log_likelihood"] == pytest.approx(-9595.0, abs=0.05)
    assert (table["aic"] == 2 * 4 - 2 * table["log_likelihood"]).all()
    assert table["bic"].to_numpy() == pytest.approx(4 * np.log(2357) - 2 * table["log_likelihood"].to_numpy())
    assert (table["holdout_actual"] == summary.table["frequency_holdout"].sum()).all()
    assert ((table["holdout_rmse"] >= table["holdout_mae"]) & (table["holdout_mae"] > 0)).all()
    assert result.settings["holdout"] is True


@pytest.mark.parametrize("cls", CONTINUOUS)
def test_holdout_and_tracking_charts_for_every_model(cls, log_summary):
    import matplotlib.pyplot as plt

    from crmlab.i18n import t
    from crmlab.plotting import clv as pc

    log, summary = log_summary
    model = cls().fit(summary)
    holdout = btyd.holdout_by_frequency(model, summary)
    assert holdout.settings["model"] == model.model_name and holdout.table["customers"].sum() == 2357
    ax = pc.plot_holdout_by_frequency(holdout, lang="zh")
    assert model.model_name in ax.get_legend().get_texts()[1].get_text()
    track = btyd.cumulative_tracking(model, log, calibration_end="1997-09-30")
    assert abs(track.table["expected"].iloc[-1] / track.table["actual"].iloc[-1] - 1) < 0.15
    assert pc.plot_cumulative_tracking(track).get_ylabel() == t("clv_cumulative_purchases", "en")
    assert pc.plot_p_alive_matrix(model, T=39).get_title().startswith(t("clv_p_alive_title", "en"))
    assert pc.plot_model_comparison(btyd.compare_purchase_models(summary, models={"m": model})).get_title()
    plt.close("all")


def test_bgbb_and_sbg_charts():
    import matplotlib.pyplot as plt

    from crmlab.plotting import clv as pc

    model = btyd.BetaGeoBetaBinomModel(count="count").fit(clv_data.DONATIONS)
    track = btyd.opportunity_tracking(model, customers=11104, opportunities=11)
    # the first six opportunities are the calibration period: the model's expected total equals Σ E[X(6)]
    assert track.table["expected_cumulative"].iloc[5] == pytest.approx(11104 * model.expected_purchases(6))
    with pytest.raises(CrmlabValueError, match="cumulative_tracking needs a continuous-time model"):
        btyd.cumulative_tracking(model, bundled_log())
    assert pc.plot_opportunity_tracking(track, lang="zh").get_lines()
    assert pc.plot_p_alive_matrix(model, T=6).get_title()
    sbg = btyd.ShiftedBetaGeometricModel().fit(clv_data.SBG_SURVIVORS["regular"])
    for kind in ("survival", "retention"):
        ax = pc.plot_retention_projection(sbg, horizon=12, observed=clv_data.SBG_SURVIVORS["regular"], kind=kind)
        assert len(ax.get_lines()) >= 2
    plt.close("all")


def test_pareto_nbd_mle_is_within_a_standard_error_of_pymc_marketing_map(fitted):
    """pymc-marketing's MAP uses priors, so it is not the MLE; with 2,357 customers it should sit within ~1 SE of it."""
    ref = reference("pymc_marketing_cdnow_pareto_nbd_map")
    table = fitted[btyd.ParetoNBDModel].summary()
    z = (table["estimate"] - pd.Series({k: ref[k] for k in ("r", "alpha", "s", "beta")})) / table["std_error"]
    assert (z.abs() < 1).all(), z
