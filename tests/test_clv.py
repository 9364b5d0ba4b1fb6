"""Deterministic CLV against the textbook's worked answers (SPEC §3.2–3.4, seed 003) and closed forms from the literature."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import bundled_log
from crmlab import clv
from crmlab.validation import CrmlabValueError

SWITCHING = [[0.70, 0.20, 0.10], [0.10, 0.80, 0.10], [0.25, 0.15, 0.60]]
SHARES = [0.6, 0.3, 0.1]


# ---------------------------------------------------------------- SPEC §3.2 worked examples
def test_example1_models_1_and_3_match_textbook():
    kw = dict(first_price=2000, acquisition_cost=400, yearly_revenue=500, service_cost=10, rate=0.09, years=5)
    assert round(clv.textbook_clv(1, **kw).value) == 3945
    assert round(clv.textbook_clv(3, **kw).value) == 3506


@pytest.mark.parametrize("revenue, service, model1, model3", [(500, 200, 1945, 1167), (450, 100, 1750, 1361)])
def test_example2_models_1_and_3_match_textbook(revenue, service, model1, model3):
    kw = dict(yearly_revenue=revenue, service_cost=service, rate=0.09, years=5)
    assert round(clv.textbook_clv(1, **kw).value) == model1
    assert round(clv.textbook_clv(3, **kw).value) == model3


def test_example2_numbers_need_end_of_period_timing():
    # start-of-period payments would give 2120 for customer A, not the textbook's 1945
    assert round(clv.textbook_clv(1, yearly_revenue=500, rate=0.09, years=5, timing="start").value) == 2120
    assert round(clv.textbook_clv(1, yearly_revenue=500, rate=0.09, years=5, timing="middle").value) == 2030


def test_model2_is_the_margin_form():
    kw = dict(first_price=2000, acquisition_cost=400, yearly_revenue=500, rate=0.09, years=5)
    annuity = (1 - 1.09 ** -5) / 0.09  # 3.889651…
    # Gupta & Lehmann (2003): margin π on revenue, acquisition cost up front
    assert clv.textbook_clv(2, margin=0.3, **kw).value == pytest.approx(0.3 * 2000 - 400 + 0.3 * 500 * annuity)
    # with a 100 % margin Model 2 is Model 1 less the acquisition cost
    assert clv.textbook_clv(2, margin=1.0, **kw).value == pytest.approx(clv.textbook_clv(1, **kw).value - 400)
    with pytest.raises(CrmlabValueError, match="model 2 .* needs margin"):
        clv.textbook_clv(2, **kw)
    with pytest.raises(CrmlabValueError, match="margin applies to model 2 only"):
        clv.textbook_clv(1, margin=0.3, **kw)
    with pytest.raises(CrmlabValueError, match="margin must be <= 1"):
        clv.textbook_clv(2, margin=30, **kw)
    table = clv.textbook_clv(3, service_cost=10, **kw).table
    assert list(table["cash_flow"]) == [1600, 490, 490, 490, 490, 490]
    assert table["discount_factor"].iloc[5] == pytest.approx(1.09 ** -5)


# ---------------------------------------------------------------- general discounting
def test_discounted_clv_annuity_and_infinite_horizon():
    # annuity factor (1 − 1.1⁻³)/0.1 = 2.486852…
    assert clv.discounted_clv(100, rate=0.1, periods=3) == pytest.approx(248.6852, abs=1e-4)
    assert clv.discounted_clv(100, rate=0.1, periods=None) == pytest.approx(1000)
    assert clv.discounted_clv(100, rate=0.1, periods=None, timing="start") == pytest.approx(1100)
    assert clv.discounted_clv(100, rate=0.1, periods=None, timing="middle") == pytest.approx(1000 * 1.1 ** 0.5)
    per_customer = clv.discounted_clv(np.array([[100, 100, 100], [0, 0, 110]]), rate=0.1)
    assert per_customer == pytest.approx([248.6852, 110 / 1.331], abs=1e-4)


# ---------------------------------------------------------------- retention models
def test_gupta_lehmann_margin_multiple():
    # Gupta & Lehmann (2003): CLV = m·r/(1 + i − r); r = 0.8, i = 0.12 → multiple 2.5
    assert clv.retention_clv(margin=100, retention=0.8, rate=0.12) == pytest.approx(250)
    assert clv.retention_clv(margin=100, retention=0.9, rate=0.10) == pytest.approx(450)
    # margin earned now: m(1 + i)/(1 + i − r)
    assert clv.retention_clv(margin=100, retention=0.8, rate=0.12, timing="start", first_period="certain") == pytest.approx(350)


def test_retention_closed_form_equals_period_by_period_sum():
    for first in ("retained", "certain"):
        for timing in clv.TIMINGS:
            closed = clv.retention_clv(margin=80, retention=0.7, rate=0.1, periods=6, timing=timing, first_period=first)
            # explicit sum Σ m·sₜ/(1+d)^(t−offset)
            t = np.arange(1, 7)
            s = 0.7 ** (t if first == "retained" else t - 1)
            explicit = np.sum(80 * s / 1.1 ** (t - clv.TIMING_OFFSET[timing]))
            assert closed == pytest.approx(explicit)
            table = clv.retention_clv_table(margins=[80] * 6, retention=0.7, rate=0.1, timing=timing, first_period=first)
            assert table.value == pytest.approx(explicit)


def test_retention_vectorised_per_customer_and_finite_tends_to_infinite():
    out = clv.retention_clv(margin=np.array([100, 50]), retention=np.array([0.8, 0.5]), rate=0.12)
    assert out == pytest.approx([250, 50 * 0.5 / 0.62])
    assert clv.retention_clv(margin=100, retention=0.8, rate=0.12, periods=400) == pytest.approx(250)


def test_retention_table_with_changing_margins_and_retention():
    res = clv.retention_clv_table(margins=[100, 120, 150], retention=[0.5, 0.8, 0.9], rate=0.0, acquisition_cost=30)
    assert res.value == pytest.approx(100 * 0.5 + 120 * 0.4 + 150 * 0.36 - 30)
    assert list(res.table["survival"]) == pytest.approx([0.5, 0.4, 0.36])


def test_berger_nasr_case1_and_case4():
    # Case 1 by hand: GC(1 + r/(1+d)) − M(1/(1+d)^0.5) for n = 1
    assert clv.berger_nasr_case1(contribution=100, retention=0.8, rate=0.2, years=1, retention_cost=10) == pytest.approx(
        100 * (1 + 0.8 / 1.2) - 10 / 1.2 ** 0.5)
    assert clv.retention_from_spending(0, ceiling=0.9, k=0.05) == 0
    assert clv.retention_from_spending(1e6, ceiling=0.9, k=0.05) == pytest.approx(0.9)


# ---------------------------------------------------------------- migration (SPEC §3.3)
def test_example3_share_evolution_and_stationary_shares():
    shares = clv.share_evolution(SHARES, SWITCHING, periods=2)
    # worked by hand: S1 = S0·M, S2 = S1·M
    assert shares.loc[1].tolist() == pytest.approx([0.475, 0.375, 0.15])
    assert shares.loc[2].tolist() == pytest.approx([0.4075, 0.4175, 0.175])
    # πM = π solved by hand: π = (13, 19, 8)/40
    assert clv.stationary_shares(SWITCHING).tolist() == pytest.approx([0.325, 0.475, 0.2])


def test_example4_clv_per_brand_end_of_period():
    res = clv.migration_clv(SHARES, SWITCHING, contribution=500, rate=0.09, periods=2)
    expected = 500 * (np.array([0.475, 0.375, 0.15]) / 1.09 + np.array([0.4075, 0.4175, 0.175]) / 1.09 ** 2)
    assert res.value.to_numpy() == pytest.approx(expected)
    assert res.value.round(1).tolist() == [389.4, 347.7, 142.5]
    assert res.settings["timing"] == "end"


def test_sensitivity_reproduces_seed_conclusion():
    table = clv.migration_sensitivity(SHARES, SWITCHING, [
        {"name": "A retention up", "source": "A", "target": "A", "value": 0.8},
        {"name": "C switches to A instead of B", "source": "C", "target": "A", "value": 0.35, "offset_from": "B"},
    ], contribution=500, rate=0.09, periods=2).set_index(["scenario", "brand"])["change"]
    for scenario in ("A retention up", "C switches to A instead of B"):
        assert table[(scenario, "A")] > 0   # A's CLV rises
        assert table[(scenario, "B")] < 0   # B's CLV falls
    sweep = clv.migration_sweep(SHARES, SWITCHING, source="A", target="A", values=[0.6, 0.7, 0.8, 0.9],
                                contribution=500, rate=0.09, periods=2)
    assert sweep["A"].is_monotonic_increasing and sweep["B"].is_monotonic_decreasing


def test_adjust_transition_keeps_rows_stochastic():
    new = clv.adjust_transition(SWITCHING, source="A", target="A", value=0.8)
    assert new.loc["A"].tolist() == pytest.approx([0.8, 0.2 * 2 / 3, 0.1 * 2 / 3])
    with pytest.raises(CrmlabValueError, match="outside"):
        clv.adjust_transition(SWITCHING, source="C", target="A", value=0.5, offset_from="B")


def test_recency_chain_matches_retention_model_and_limits():
    # a two-state alive/lost chain is the constant-retention model
    two = np.array([[0.8, 0.2], [0.0, 1.0]])
    v = clv.markov_clv(two, [100, 0], rate=0.12).value
    assert v.iloc[0] == pytest.approx(clv.retention_clv(margin=100, retention=0.8, rate=0.12, timing="start", first_period="certain"))
    # Pfeifer & Carraway recency chain: finite horizon → infinite value; first period undiscounted
    p = [0.3, 0.2, 0.15, 0.05, 0.0]
    m = clv.recency_transition_matrix(p)
    rewards = 40 * np.array(p) - np.array([4, 4, 4, 4, 0])
    v_inf = clv.markov_clv(m, rewards, rate=0.2).value
    assert clv.markov_clv(m, rewards, rate=0.2, periods=300).value.to_numpy() == pytest.approx(v_inf.to_numpy())
    assert clv.markov_clv(m, rewards, rate=0.2, periods=1).value.to_numpy() == pytest.approx(rewards)
    # V = R + P V/(1+d) (Bellman identity of the infinite-horizon value)
    assert v_inf.to_numpy() == pytest.approx(rewards + m.to_numpy() @ v_inf.to_numpy() / 1.2)
    assert v_inf.iloc[0] > v_inf.iloc[1] > v_inf.iloc[2]


# ---------------------------------------------------------------- groups, lifecycle, tiers
def test_churn_and_group_lifetime():
    assert clv.churn_rate(lost=200, at_start=1000) == pytest.approx(0.2)
    assert clv.group_lifetime(churn=0.2) == pytest.approx(5)
    assert clv.group_lifetime(churn=np.array([0.1, 0.25])) == pytest.approx([10, 4])


def test_lifecycle_profit_decomposition():
    df = clv.lifecycle_profit(base_profit=100, growth_profit=40, cost_savings=10, referral_value=20,
                              acquisition_cost=50, price_concessions=15, referral_destruction_cost=5).set_index("component")
    assert df.loc["total", "contribution"] == pytest.approx(100 + 40 + 10 + 20 - 50 - 15 - 5)
    disc = clv.lifecycle_profit(base_profit=[110, 121], acquisition_cost=50, rate=0.1).set_index("component")
    assert disc.loc["total", "contribution"] == pytest.approx(200 - 50)


def test_clv_tiers_returns_cutoffs_and_respects_them():
    values = pd.Series(np.arange(1, 1001, dtype=float), index=[f"c{i}" for i in range(1000)])
    res = clv.clv_tiers(values)
    assert res.cutoffs["customers"].tolist() == [10, 40, 150, 800]
    assert res.tiers["c999"] == "vip" and res.tiers["c0"] == "small"
    for tier, low in zip(res.cutoffs["tier"], res.cutoffs["lower_cutoff"]):
        assert (values[res.tiers == tier] >= low).all()
    assert res.cutoffs["total_clv"].sum() == pytest.approx(values.sum()) and res.cutoffs["clv_share"].sum() == pytest.approx(1)
    given = clv.clv_tiers(values, cutoffs=[900, 500, 100])
    assert given.cutoffs["customers"].tolist() == [101, 400, 400, 99]


def test_recency_rewards_conventions():
    paper = clv.recency_rewards([0.3, 0.2, 0.0], margin=40, marketing_cost=[4, 4, 0])
    # Pfeifer & Carraway (2000): NC credited on entering state 1, mailing cost in every mailed state
    np.testing.assert_allclose(paper.value, [36.0, -4.0, 0.0])
    assert paper.settings["convention"] == "pfeifer_carraway"
    expected = clv.recency_rewards([0.3, 0.2, 0.0], margin=40, marketing_cost=[4, 4, 0], convention="expected_contribution")
    np.testing.assert_allclose(expected.value, [8.0, 4.0, 0.0])
    np.testing.assert_allclose(clv.recency_rewards([0.5, 0.1], margin=10, marketing_cost=1, convention="expected_contribution").value,
                               [4.0, 0.0])
    with pytest.raises(CrmlabValueError, match="marketing_cost must have one value per label"):
        clv.recency_rewards([0.3, 0.2], margin=40, marketing_cost=[1, 2, 3])
    with pytest.raises(CrmlabValueError, match="convention must be one of"):
        clv.recency_rewards([0.3, 0.2], margin=40, marketing_cost=1, convention="paper")


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, message", [
    (lambda: clv.textbook_clv(1, yearly_revenue=500, rate=-1, years=5), "rate must be > -1"),
    (lambda: clv.textbook_clv(1, yearly_revenue=500, rate=float("inf"), years=5), "rate must be finite"),
    (lambda: clv.textbook_clv(1, yearly_revenue=500, rate="9%", years=5), "rate must be a number"),
    (lambda: clv.textbook_clv(1, yearly_revenue=500, rate=0.09, years=10 ** 9), "years must be ≤ 10,000"),
    (lambda: clv.share_evolution(SHARES, SWITCHING, periods=10 ** 9), "periods must be ≤ 10,000"),
    (lambda: clv.retention_clv(margin=[100, 50, 20], retention=[0.8, 0.5], rate=0.1), r"margin \(3,\), retention \(2,\)"),
    (lambda: clv.retention_clv(margin="a lot", retention=0.8, rate=0.1), "margin must be numbers"),
    (lambda: clv.migration_clv(SHARES, SWITCHING, contribution=[500, 400], rate=0.09, periods=2), "contribution must have one value per label"),
    (lambda: clv.textbook_clv(1, yearly_revenue=500, rate=0.09, years=0), "years must be >= 1"),
    (lambda: clv.textbook_clv(4, yearly_revenue=500, rate=0.09, years=5), "model must be one of"),
    (lambda: clv.textbook_clv(1, yearly_revenue=500, rate=0.09, years=5, timing="mid"), "timing must be one of"),
    (lambda: clv.retention_clv(margin=100, retention=1.2, rate=0.1), r"retention must lie in \[0, 1\]"),
    (lambda: clv.retention_clv(margin=100, retention=80, rate=0.1), "retention must lie"),
    (lambda: clv.share_evolution(SHARES, [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], periods=2), "must be square"),
    (lambda: clv.share_evolution(SHARES, [[0.7, 0.2, 0.2], [0.1, 0.8, 0.1], [0.25, 0.15, 0.6]], periods=2), r"row\(s\) \[0\]"),
    (lambda: clv.share_evolution([0.6, 0.3, 0.2], SWITCHING, periods=2), "initial_shares must sum to 1"),
    (lambda: clv.migration_clv(SHARES, SWITCHING, contribution=500, rate=0.09, periods=0), "periods must be >= 1"),
    (lambda: clv.discounted_clv(100, rate=0.0, periods=None), "infinite horizon"),
    (lambda: clv.markov_clv(SWITCHING, [1, 2, 3], rate=-0.1), "infinite horizon"),
    (lambda: clv.group_lifetime(churn=0), "churn must be > 0"),
    (lambda: clv.churn_rate(lost=20, at_start=10), "lost must be between"),
    (lambda: clv.churn_rate(lost=[1, 2], at_start=[10, 20, 30]), r"lost \(2,\), at_start \(3,\)"),
    (lambda: clv.lifecycle_profit(acquisition_cost=-5), "acquisition_cost must be ≥ 0"),
    (lambda: clv.clv_tiers([1.0, np.nan]), r"missing values at \[1\]"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises(CrmlabValueError, match=message):
        call()


def test_row_sum_tolerance_is_stated():
    nearly = np.array(SWITCHING)
    nearly[0] = [0.7, 0.2, 0.1 + 5e-7]  # within 1e-6
    clv.share_evolution(SHARES, nearly, periods=1)
    nearly[0] = [0.7, 0.2, 0.1 + 5e-6]
    with pytest.raises(CrmlabValueError, match="tolerance 1e-06"):
        clv.share_evolution(SHARES, nearly, periods=1)


# ---------------------------------------------------------------- charts (bilingual labels)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_clv_charts_are_labelled_in_both_languages(lang):
    import matplotlib.pyplot as plt

    from crmlab import btyd
    from crmlab.datasets import clv as clv_data
    from crmlab.i18n import t
    from crmlab.plotting import clv as pc

    ax = pc.plot_share_evolution(clv.share_evolution(SHARES, SWITCHING, periods=5),
                                 stationary=clv.stationary_shares(SWITCHING), lang=lang)
    assert ax.get_title() == t("clv_share_evolution_title", lang) and ax.get_ylabel() == t("clv_spending_share", lang)
    sweep = clv.migration_sweep(SHARES, SWITCHING, source="A", target="A", values=[0.6, 0.7, 0.8],
                                contribution=500, rate=0.09, periods=2)
    assert pc.plot_sensitivity(sweep, baseline=0.7, lang=lang).get_ylabel() == t("clv_value", lang)
    log = bundled_log()
    summary = log.customer_summary(calibration_end=clv_data.CALIBRATION_END, observation_end=clv_data.OBSERVATION_END)
    model = btyd.BetaGeoModel().fit(summary)
    assert pc.plot_p_alive_matrix(model, T=52, lang=lang).get_xlabel().startswith(t("clv_recency", lang))
    ax = pc.plot_holdout_by_frequency(btyd.holdout_by_frequency(model, summary), lang=lang)
    assert "BG/NBD" in ax.get_legend().get_texts()[1].get_text()
    assert [tick.get_text() for tick in ax.get_xticklabels()][-1] == "7+"
    track = btyd.cumulative_tracking(model, log, calibration_end=clv_data.CALIBRATION_END)
    assert pc.plot_cumulative_tracking(track, lang=lang).get_ylabel() == t("clv_cumulative_purchases", lang)
    tiers = clv.clv_tiers(pd.Series(np.arange(1.0, 201.0)))
    ax = pc.plot_clv_tiers(tiers, lang=lang)
    assert ax.get_xticklabels()[0].get_text().startswith(t("vip", lang))
    plt.close("all")


# ---------------------------------------------------------------- Pfeifer & Carraway conventions (issue 13)
def _simulate_recency_chain(p, margin, cost, rate, start, *, customers=200_000, periods=80, seed=7):
    """Monte Carlo of the recency chain with the paper's cash flows: cost M when mailed, NC when a purchase lands in state 1."""
    rng = np.random.default_rng(seed)
    k = len(p)
    state = np.full(customers, start)
    value = np.zeros(customers)
    for t in range(periods):
        disc = (1 + rate) ** -t
        value += disc * (np.where(state == 0, margin, 0.0) - np.asarray(cost)[state])
        buy = rng.uniform(size=customers) < np.asarray(p)[state]
        state = np.where(buy, 0, np.minimum(state + 1, k - 1))
    return value


def test_pfeifer_carraway_rewards_match_a_simulation_of_the_chain():
    """The paper's example values could not be found in the searched sources; checked against simulating the chain instead."""
    p, margin, cost, rate = [0.30, 0.20, 0.15, 0.05, 0.0], 40.0, [4.0, 4.0, 4.0, 4.0, 0.0], 0.2
    values = clv.markov_clv(clv.recency_transition_matrix(p), clv.recency_rewards(p, margin=margin, marketing_cost=cost), rate=rate)
    assert values.settings["reward_convention"] == "pfeifer_carraway"
    for start in range(5):
        sim = _simulate_recency_chain(p, margin, cost, rate, start)
        assert values.value.iloc[start] == pytest.approx(sim.mean(), abs=4 * sim.std() / np.sqrt(sim.size) + 1e-9)


def test_reward_conventions_differ_by_one_period_of_discounting():
    p, cost, rate = [0.30, 0.20, 0.15, 0.05, 0.0], [4, 4, 4, 4, 0], 0.2
    m = clv.recency_transition_matrix(p)
    paper = clv.markov_clv(m, clv.recency_rewards(p, margin=40, marketing_cost=cost), rate=rate).value.to_numpy()
    early = clv.markov_clv(m, clv.recency_rewards(p, margin=40 / (1 + rate), marketing_cost=cost,
                                                  convention="expected_contribution"), rate=rate).value.to_numpy()
    # a purchase made while in state i is credited next period in state 1 (paper) or now, as p_i·NC (other)
    assert paper == pytest.approx(early + np.r_[40.0, 0, 0, 0, 0])


def test_markov_clv_doubling_equals_period_by_period_sum_and_bounded_cost():
    p = clv.recency_transition_matrix([0.3, 0.2, 0.15, 0.05, 0.0]).to_numpy()
    r = np.array([36.0, -4, -4, -4, 0])
    for n in (1, 2, 7, 64, 100):
        loop = sum(np.linalg.matrix_power(p / 1.1, t) @ r for t in range(n))
        assert clv.markov_clv(p, r, rate=0.1, periods=n).value.to_numpy() == pytest.approx(loop)
    assert clv.markov_clv(p, r, rate=0.1, periods=10 ** 9).value.to_numpy() == pytest.approx(clv.markov_clv(p, r, rate=0.1).value.to_numpy())


def test_rates_of_100_percent_or_more_are_rates():
    assert clv.discounted_clv(100, rate=1.0, periods=2) == pytest.approx(100 / 2 + 100 / 4)
    assert clv.discounted_clv(100, rate=3.0, periods=None) == pytest.approx(100 / 3)
    assert clv.discounted_clv(100, rate=-0.5, periods=2) == pytest.approx(100 * 2 + 100 * 4)  # negative rates > −1 are rates
    assert clv.discounted_clv(100, rate=0.1, periods=10 ** 9) == pytest.approx(1000)  # closed form, no table


def test_migration_clv_current_period_option():
    base = clv.migration_clv(SHARES, SWITCHING, contribution=500, rate=0.09, periods=2)
    now = clv.migration_clv(SHARES, SWITCHING, contribution=500, rate=0.09, periods=2, include_current_period=True)
    assert now.value.to_numpy() == pytest.approx(base.value.to_numpy() + 500 * np.array(SHARES))
    assert now.settings["include_current_period"] is True and base.settings["include_current_period"] is False
    assert now.table.index.tolist() == [0, 1, 2]


# ---------------------------------------------------------------- labelled inputs (issue 10)
def _labelled(order):
    m = pd.DataFrame(SWITCHING, index=list("ABC"), columns=list("ABC"))
    return m.loc[order, order], pd.Series(SHARES, index=list("ABC"))[order]


def test_labelled_matrices_align_by_label_not_position():
    ref_m, ref_s = _labelled(list("ABC"))
    m = ref_m.loc[list("CAB"), list("BCA")]  # rows and columns each in another order
    assert clv.share_evolution(ref_s, m, periods=3)[list("ABC")].to_numpy() == pytest.approx(
        clv.share_evolution(SHARES, SWITCHING, periods=3).to_numpy())
    assert clv.stationary_shares(m)[list("ABC")].tolist() == pytest.approx([0.325, 0.475, 0.2])
    contribution = pd.Series({"C": 300.0, "A": 500.0, "B": 400.0})
    got = clv.migration_clv(ref_s, m, contribution=contribution, rate=0.09, periods=4).value
    want = clv.migration_clv(SHARES, SWITCHING, contribution=[500, 400, 300], rate=0.09, periods=4).value
    assert got[list("ABC")].to_numpy() == pytest.approx(want.to_numpy())
    new = clv.adjust_transition(m, source="A", target="A", value=0.8)
    assert new.loc["A", ["A", "B", "C"]].tolist() == pytest.approx([0.8, 0.2 * 2 / 3, 0.1 * 2 / 3])
    sweep = clv.migration_sweep(ref_s, m, source="A", target="A", values=[0.6, 0.8], contribution=500, rate=0.09, periods=2)
    assert sweep.loc[0.8, "A"] == pytest.approx(clv.migration_sweep(SHARES, SWITCHING, source="A", target="A", values=[0.8],
                                                                     contribution=500, rate=0.09, periods=2).loc[0.8, "A"])
    rewards = pd.Series({"B": 2.0, "C": 3.0, "A": 1.0})
    assert clv.markov_clv(m, rewards, rate=0.1).value[list("ABC")].to_numpy() == pytest.approx(
        clv.markov_clv(SWITCHING, [1.0, 2.0, 3.0], rate=0.1).value.to_numpy())


@pytest.mark.parametrize("call, message", [
    (lambda m, s: clv.share_evolution(s.rename({"A": "X"}), m, periods=2), r"unexpected \['X'\], missing \['A'\]"),
    (lambda m, s: clv.share_evolution(s, m.rename(columns={"A": "Z"}), periods=2), r"matrix columns labels \(they must be the row labels\) do not match: unexpected \[.Z.\]"),
    (lambda m, s: clv.migration_clv(s, m, contribution={"A": 1, "B": 2}, rate=0.1, periods=2), r"missing \['C'\]"),
    (lambda m, s: clv.markov_clv(m, pd.Series([1.0, 2.0, 3.0], index=list("XYZ")), rate=0.1), "rewards labels do not match"),
])
def test_disagreeing_labels_are_rejected(call, message):
    m, s = _labelled(list("ABC"))
    with pytest.raises(CrmlabValueError, match=message):
        call(m, s)
