"""The bad-input catalogue: every public function, fed every kind of bad or degenerate input.

For each public callable a *baseline* call with valid inputs is declared; the walker
then replaces one argument at a time by a bad variant of its type — empty, one row,
missing, infinite or text cells, duplicated ids, constant data, NaN/inf/negative/text
scalars, too-short sequences — and requires one of two outcomes:

* a :class:`~crmlab.validation.CrmlabValueError` (a ``ValueError``) whose message is a
  sentence, not a bare numpy or pandas error, or
* a result whose every number is finite (where NaN is a documented answer the case
  lists the fields allowed to hold it).

Anything else — ``IndexError``, ``TypeError``, ``KeyError``, a NumPy broadcast error, a
NaN/inf smuggled into a result — fails.  A completeness check makes sure every public
function of the modules below has a case, so a new function cannot skip the catalogue.
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import warnings
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pytest

from crmlab import ipa, kano, satisfaction as sat, segmentation as seg
from crmlab import ahp, btyd, clv, frameworks, pls, readers, study
from crmlab import tracking as trk
from crmlab.whatif import tracking as whatif_trk
from crmlab.datasets import clv as clv_data
from crmlab.transactions import TransactionLog, duckdb_backend
from crmlab.validation import CrmlabValueError

MODULES = ["satisfaction", "kano", "ipa", "segmentation", "frameworks", "transactions", "clv", "btyd", "pls", "ahp",
           "readers", "study", "tracking", "whatif.tracking"]

# ------------------------------------------------------------------ baseline data
RNG = np.random.default_rng(7)
N = 40
SURVEY = pd.DataFrame(RNG.integers(1, 8, size=(N, 4)).astype(float), columns=["q1", "q2", "q3", "overall"])
SURVEY["overall"] = np.clip(np.round(SURVEY[["q1", "q2", "q3"]].mean(axis=1) + RNG.normal(0, 0.7, N)), 1, 7)
SERVQUAL = pd.DataFrame({f"{k}_{i}": RNG.integers(1, 8, N).astype(float) for k in ("p", "e") for i in ("a", "b", "c")})
IPA_DATA = SURVEY.assign(**{f"imp_{c}": RNG.integers(1, 8, N).astype(float) for c in ("q1", "q2", "q3")})
KANO = pd.DataFrame({f"{a}_{s}": RNG.choice(list(kano.ANSWERS), N) for a in ("wifi", "bed") for s in ("f", "d")})
KANO_ATTRS = {"wifi": ("wifi_f", "wifi_d"), "bed": ("bed_f", "bed_d")}
KANO_RESULT = kano.kano_analysis(KANO, attributes=KANO_ATTRS)
PURCHASES = pd.DataFrame({"customer": np.repeat([f"c{i}" for i in range(12)], 3), "brand": np.tile(["ours", "x", "ours"], 12),
                          "amount": RNG.gamma(2, 10, 36), "market": np.repeat(["m1", "m2"], 18),
                          "satisfaction": np.repeat(RNG.integers(1, 11, 12), 3).astype(float)})
CURVE = pd.DataFrame({"sat": RNG.uniform(0.5, 10, 60), "loy": RNG.uniform(0, 100, 60), "mkt": np.repeat(["a", "b"], 30)})
INDICATORS = pd.DataFrame({"indicator": ["rev", "cost", "growth", "loyal"], "dimension": ["current", "current", "potential", "potential"],
                           "direction": ["benefit", "cost", "benefit", "benefit"], "weight": [0.6, 0.4, 0.5, 0.5]})
CUSTOMERS = pd.DataFrame(RNG.gamma(2, 10, size=(25, 4)), columns=["rev", "cost", "growth", "loyal"],
                         index=pd.Index([f"c{i:02d}" for i in range(25)], name="customer"))
TX = pd.DataFrame({"customer_id": RNG.integers(0, 30, 300).astype(str),
                   "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(RNG.integers(0, 700, 300), unit="D"),
                   "amount": RNG.gamma(2, 20, 300), "cost": RNG.gamma(2, 8, 300)})
RFM = TransactionLog.from_frame(TX, cost_col="cost").rfm()
SCORES = seg.rfm_scores(RFM)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    SEGMENTS = seg.assign_segments(SCORES)
VALUES = pd.Series(RNG.gamma(1.5, 100, 50), index=[f"k{i}" for i in range(50)])
TIERS = seg.assign_tiers(VALUES).tiers.astype(str)
TIERS_AFTER = seg.assign_tiers(VALUES * RNG.uniform(0.5, 1.5, 50)).tiers.astype(str)
PERF = pd.Series([5.1, 4.2, 6.0, 3.3], index=list("abcd"))
IMP = pd.Series([4.0, 6.1, 5.2, 2.9], index=list("abcd"))
IPA_RESULT = ipa.quadrant_analysis(PERF, IMP, method="stated", performance_scale=(1, 7), importance_scale=(1, 7))
CORR = SURVEY[["overall", "q1", "q2", "q3"]].corr().to_numpy()
MEMBERSHIP = np.array([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3]])
PROFITS = pd.DataFrame(RNG.normal(50, 20, size=(10, 3)), columns=["2022", "2023", "2024"])


# ------------------------------------------------------------------ cases
@dataclasses.dataclass
class Case:
    """A public callable, a valid baseline call, and the result fields where NaN is a documented answer."""

    name: str
    call: Callable
    kwargs: dict
    nan_ok: tuple = ()


def fit(cls, init=None, method="fit"):
    def run(**kw):
        model = cls(**(init or {}))
        return getattr(model, method)(**kw)
    return run


SHARES = pd.Series({"A": 0.5, "B": 0.3, "C": 0.2})
SWITCH = pd.DataFrame([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.25, 0.15, 0.6]], index=list("ABC"), columns=list("ABC"))
BTYD_SUMMARY = TransactionLog.from_frame(clv_data.load_transactions()).customer_summary(
    calibration_end=clv_data.CALIBRATION_END, observation_end=clv_data.OBSERVATION_END).table
BG = btyd.BetaGeoModel().fit(BTYD_SUMMARY, time_unit="W")
GG = btyd.GammaGammaModel().fit(BTYD_SUMMARY)
PLS_DATA = pd.DataFrame(RNG.normal(size=(60, 1)) @ np.ones((1, 4)) + RNG.normal(scale=0.7, size=(60, 4)),
                        columns=["a1", "a2", "b1", "b2"]).assign(g=np.repeat(["x", "y"], 30))
PLS_BLOCKS = {"A": ["a1", "a2"], "B": ["b1", "b2"]}
PLS_MODEL = pls.PLSPathModel(PLS_BLOCKS, [("A", "B")])
AHP_M = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], index=list("xyz"), columns=list("xyz"))
AHP_W = ahp.ahp_priorities(AHP_M).weights
CSV_FILE = None

# two survey waves (own generator: the draws above stay as they were)
_TR = np.random.default_rng(11)


def _wave(shift: float) -> pd.DataFrame:
    latent = _TR.normal(size=(N, 1))
    items = np.clip(np.rint(4 + shift + 1.2 * latent + _TR.normal(scale=0.8, size=(N, 4))), 1, 7)
    frame = pd.DataFrame(items, columns=["a1", "a2", "b1", "b2"])
    frame[["q1", "q2", "q3"]] = np.clip(np.rint(4 + 0.8 * latent + _TR.normal(size=(N, 3))), 1, 7)
    frame["overall"] = np.clip(np.rint(frame[["q1", "q2", "q3"]].mean(axis=1) + _TR.normal(0, 0.7, N)), 1, 7)
    return frame


TRACK_A, TRACK_B = _wave(0.0), _wave(0.4)
TRACK_BLOCKS = {"A": ["a1", "a2"], "B": ["b1", "b2"]}
TRACK_PERF = {"q1": "q1", "q2": "q2", "q3": "q3"}
TRACK_SPECS = [{"kind": "survey", "label": w, "path": "w.csv", "scale": [1, 7], "constructs": TRACK_BLOCKS, "paths": [["A", "B"]],
                "attributes": TRACK_PERF, "overall": "overall", "overall_scale": [1, 7]} for w in ("w1", "w2")]
TRACK_DESIGN = trk.wave_design(TRACK_SPECS)
TRACK_INDICES = trk.wave_indices({"w1": TRACK_A, "w2": TRACK_B}, blocks=TRACK_BLOCKS, paths=[("A", "B")], scale=(1, 7),
                                 n_boot=20, random_state=0)
TRACK_IPA = trk.wave_ipa({"w1": TRACK_A, "w2": TRACK_B}, performance=TRACK_PERF, overall="overall", scale=(1, 7),
                         overall_scale=(1, 7))
TRACK_TOTALS = TransactionLog.from_frame(TX, cost_col="cost").period_totals(freq="Q", observed_from="2023-01-01",
                                                                            observed_through="2024-12-31")


def _two_waves(function):
    """Call ``function`` with the waves {w1: first, w2: second}, so the walker feeds bad frames to each wave."""
    def run(first, second, **kw):
        return function({"w1": first, "w2": second}, **kw)
    return run


def fit_call(cls, init=None):
    def run(**kw):
        return cls(**(init or {})).fit(**kw)
    return run


def log_summary(frame, **kw):
    return TransactionLog.from_frame(frame, cost_col="cost").customer_summary(**kw)


CASES = [
    # satisfaction
    Case("satisfaction.check_ratings", sat.check_ratings, dict(data=SURVEY, items=["q1", "q2"], scale=(1, 7))),
    Case("satisfaction.equal_weights", sat.equal_weights, dict(names=["a", "b"])),
    Case("satisfaction.equal_width_bins", sat.equal_width_bins, dict(scale=(1, 10), n_grades=5)),
    Case("satisfaction.rescale_to_100", sat.rescale_to_100, dict(value=5.5, scale=(1, 10))),
    Case("satisfaction.satisfaction_ratio", sat.satisfaction_ratio, dict(perceived=[4.0, 5.0], expected=[5.0, 5.0])),
    Case("satisfaction.satisfaction_difference", sat.satisfaction_difference, dict(perceived=[4.0, 5.0], expected=[5.0, 5.0])),
    Case("satisfaction.service_quality_gaps", sat.service_quality_gaps, {}),
    Case("satisfaction.servqual_gaps", sat.servqual_gaps,
         dict(data=SERVQUAL, dimensions={"d1": ["a", "b"], "d2": ["c"]}, importance={"d1": 60.0, "d2": 40.0}, scale=(1, 7))),
    Case("satisfaction.weighted_csi", sat.weighted_csi, dict(data=SURVEY, weights={"q1": 0.5, "q2": 0.3, "q3": 0.2}, scale=(1, 7))),
    Case("satisfaction.PCAIndex", fit(sat.PCAIndex), dict(data=SURVEY[["q1", "q2", "q3"]], scale=(1, 7))),
    Case("satisfaction.satisfaction_regression", sat.satisfaction_regression,
         dict(data=SURVEY, overall="overall", attributes=["q1", "q2", "q3"], scale=(1, 7)),
         nan_ok=("std_coef",)),  # the intercept has no standardised coefficient
    Case("satisfaction.compose", sat.compose, dict(weights=[0.4, 0.6], membership=MEMBERSHIP)),
    Case("satisfaction.fuzzy_evaluation", sat.fuzzy_evaluation, dict(weights=[0.4, 0.6], membership=MEMBERSHIP, grade_values=[90.0, 70.0, 50.0])),
    Case("satisfaction.fuzzy_two_level", sat.fuzzy_two_level,
         dict(factor_weights={"f1": 0.5, "f2": 0.5}, sub_weights={"f1": [0.4, 0.6], "f2": [1.0]},
              memberships={"f1": MEMBERSHIP, "f2": MEMBERSHIP[:1]}, grade_values=[90.0, 70.0, 50.0])),
    Case("satisfaction.membership_from_answers", sat.membership_from_answers,
         dict(data=SURVEY, items=["q1", "q2"], grades=["low", "mid", "high"], bins=[1, 3, 5, 7])),
    Case("satisfaction.loyalty_metrics", sat.loyalty_metrics, dict(purchases=PURCHASES, our_brand="ours", customer_columns=["market"])),
    Case("satisfaction.satisfaction_loyalty_curve", sat.satisfaction_loyalty_curve,
         dict(data=CURVE, satisfaction="sat", loyalty="loy", market="mkt", bins=[0, 2, 4, 6, 8, 10], thresholds=[4.0, 7.0]),
         nan_ok=("zone_slopes", "loyalty_sd", "se")),  # undefined for a zone or bin with one respondent
    Case("satisfaction.customer_delivered_value", sat.customer_delivered_value,
         dict(product=500.0, service=100.0, personnel=50.0, image=50.0, monetary=400.0, time=20.0, energy=10.0, physical=10.0)),
    Case("satisfaction.offers_delivered_value", sat.offers_delivered_value,
         dict(offers={"ours": dict(product=500.0, service=100.0, personnel=50.0, image=50.0, monetary=400.0, time=20.0,
                                   energy=10.0, physical=10.0),
                      "rival": dict(product=520.0, service=80.0, personnel=40.0, image=60.0, monetary=390.0, time=30.0,
                                    energy=20.0, physical=10.0)})),
    Case("satisfaction.treat_missing", sat.treat_missing, dict(data=SURVEY, items=["q1", "q2"], missing="mean")),
    # kano
    Case("kano.evaluation_table", kano.evaluation_table, {}),
    Case("kano.classify_answers", kano.classify_answers, dict(data=KANO, attributes=KANO_ATTRS)),
    Case("kano.attribute_pairs", kano.attribute_pairs, dict(columns=list(KANO.columns))),
    Case("kano.kano_analysis", kano.kano_analysis, dict(data=KANO, attributes=KANO_ATTRS), nan_ok=("better", "worse")),
    Case("kano.better_worse_chart_data", kano.better_worse_chart_data, dict(result=KANO_RESULT, threshold=0.5)),
    Case("kano.continuous_scores", kano.continuous_scores, dict(data=KANO, attributes=KANO_ATTRS)),
    # ipa
    Case("ipa.relative_weights", ipa.relative_weights, dict(rxx=CORR[1:, 1:], rxy=CORR[1:, 0])),
    Case("ipa.lmg", ipa.lmg, dict(rxx=CORR[1:, 1:], rxy=CORR[1:, 0])),
    Case("ipa.importance_from_correlations", ipa.importance_from_correlations, dict(corr=CORR, method="lmg")),
    Case("ipa.ols_beta_importance", ipa.ols_beta_importance, dict(data=SURVEY, attributes=["q1", "q2", "q3"], overall="overall")),
    Case("ipa.quadrant_analysis", ipa.quadrant_analysis,
         dict(performance=PERF, importance=IMP, method="stated", performance_scale=(1, 7), importance_scale=(1, 7), crosshair=(4.0, 4.0))),
    Case("ipa.importance_performance_map", ipa.importance_performance_map,
         dict(total_effects=IMP / 10, performance_index=PERF * 10, target="sat")),
    Case("ipa.quadrant_changes", ipa.quadrant_changes, dict(results={"a": IPA_RESULT, "b": IPA_RESULT})),
    Case("ipa.ImportancePerformance", fit(ipa.ImportancePerformance,
                                          dict(performance=["q1", "q2", "q3"], importance="relative_weights", overall="overall", scale=(1, 7))),
         dict(data=IPA_DATA)),
    Case("ipa.ImportancePerformance.stated", fit(ipa.ImportancePerformance,
                                                 dict(performance=["q1", "q2", "q3"], stated_importance={"q1": "imp_q1", "q2": "imp_q2", "q3": "imp_q3"},
                                                      scale=(1, 7), crosshair=(4.0, 4.0))),
         dict(data=IPA_DATA)),
    Case("ipa.ImportancePerformance.drop", fit(ipa.ImportancePerformance,
                                               dict(performance=["q1", "q2", "q3"], importance="lmg", overall="overall",
                                                    scale=(1, 7), missing="drop")),
         dict(data=IPA_DATA)),
    Case("ipa.survey_design", ipa.survey_design,
         dict(spec={"kind": "survey", "scale": [1, 7], "attributes": ["q1", "q2", "q3"], "overall": "overall"})),
    # segmentation
    Case("segmentation.check_indicator_table", seg.check_indicator_table, dict(indicators=INDICATORS, data=CUSTOMERS)),
    Case("segmentation.with_weights", seg.with_weights, dict(indicators=INDICATORS.drop(columns="weight"),
                                                             weights=INDICATORS.set_index("indicator")["weight"])),
    Case("segmentation.encode_ordinal", seg.encode_ordinal,
         dict(data=pd.DataFrame({"g": ["low", "high", "mid"]}), levels={"g": ["low", "mid", "high"]}),
         nan_ok=("g",)),  # a missing answer stays missing
    Case("segmentation.standardize", seg.standardize, dict(data=CUSTOMERS, columns=["rev", "cost"], directions={"cost": "cost"})),
    Case("segmentation.ValueMatrix", fit(seg.ValueMatrix, dict(indicators=INDICATORS)), dict(data=CUSTOMERS)),
    Case("segmentation.lorenz_curve", seg.lorenz_curve, dict(values=VALUES)),
    Case("segmentation.gini", seg.gini, dict(values=VALUES)),
    Case("segmentation.pareto_curve", seg.pareto_curve, dict(values=VALUES)),
    Case("segmentation.pareto_table", seg.pareto_table, dict(values=VALUES, top=[0.1, 0.2])),
    Case("segmentation.assign_tiers", seg.assign_tiers, dict(values=VALUES)),
    Case("segmentation.tier_revenue_table", seg.tier_revenue_table, dict(tiers=TIERS, revenue=VALUES, cost=VALUES / 3),
         nan_ok=("revenue_per_customer", "cost_per_customer", "profit_per_customer")),  # tiers without customers
    Case("segmentation.tier_kpis", seg.tier_kpis, dict(tiers_before=TIERS, tiers_after=TIERS_AFTER)),
    Case("segmentation.rfm_scores", seg.rfm_scores, dict(rfm=RFM, bins=5), nan_ok=("lower", "upper")),  # open-ended bins
    Case("segmentation.assign_segments", seg.assign_segments, dict(scores=SCORES),
         nan_ok=("r_min", "r_max", "f_min", "f_max", "m_min", "m_max")),  # the "unassigned" row has no bounds
    Case("segmentation.segment_profile", seg.segment_profile, dict(rfm=RFM, segments=SEGMENTS.segments)),
    Case("segmentation.RFMKMeans", fit(seg.RFMKMeans, dict(k_values=[2, 3], n_init=1)), dict(rfm=RFM)),
    # transactions
    Case("transactions.TransactionLog", log_summary, dict(frame=TX, calibration_end="2024-06-30", observation_end="2024-12-01",
                                                          time_unit="W")),
    Case("transactions.TransactionLog.rfm", lambda frame, as_of: TransactionLog.from_frame(frame).rfm(as_of=as_of),
         dict(frame=TX, as_of="2025-01-01")),
    Case("transactions.TransactionLog.period_totals",
         lambda frame, freq: TransactionLog.from_frame(frame, cost_col="cost").period_totals(freq=freq), dict(frame=TX, freq="Q")),
    Case("transactions.duckdb_backend", lambda **kw: duckdb_backend(**kw) and None, dict(memory_limit="1GB", threads=1)),
    # clv
    Case("clv.check_rate", clv.check_rate, dict(rate=0.1)),
    Case("clv.check_periods", clv.check_periods, dict(periods=12)),
    Case("clv.discount_factors", clv.discount_factors, dict(periods=5, rate=0.1)),
    Case("clv.discounted_clv", clv.discounted_clv, dict(cash_flows=[100.0, 100.0, 100.0], rate=0.1)),
    Case("clv.textbook_clv", clv.textbook_clv, dict(model=3, yearly_revenue=500.0, rate=0.09, years=5, first_price=2000.0,
                                                    acquisition_cost=400.0, service_cost=10.0)),
    Case("clv.retention_clv", clv.retention_clv, dict(margin=100.0, retention=0.8, rate=0.12, periods=10)),
    Case("clv.retention_clv_table", clv.retention_clv_table, dict(margins=[100.0, 110.0, 120.0], retention=0.8, rate=0.1)),
    Case("clv.berger_nasr_case1", clv.berger_nasr_case1, dict(contribution=100.0, retention=0.8, rate=0.1, years=5)),
    Case("clv.retention_from_spending", clv.retention_from_spending, dict(spending=[10.0, 50.0], ceiling=0.9, k=0.02)),
    Case("clv.share_evolution", clv.share_evolution, dict(initial_shares=SHARES, matrix=SWITCH, periods=4)),
    Case("clv.stationary_shares", clv.stationary_shares, dict(matrix=SWITCH)),
    Case("clv.migration_clv", clv.migration_clv, dict(initial_shares=SHARES, matrix=SWITCH, contribution=pd.Series({"A": 10.0, "B": 8.0, "C": 6.0}),
                                                      rate=0.1, periods=5)),
    Case("clv.adjust_transition", clv.adjust_transition, dict(matrix=SWITCH, source="A", target="A", value=0.6)),
    Case("clv.migration_sensitivity", clv.migration_sensitivity,
         dict(initial_shares=SHARES, matrix=SWITCH, scenarios=[{"source": "A", "target": "A", "value": 0.6}],
              contribution=pd.Series({"A": 10.0, "B": 8.0, "C": 6.0}), rate=0.1, periods=3)),
    Case("clv.migration_sweep", clv.migration_sweep, dict(initial_shares=SHARES, matrix=SWITCH, source="A", target="A",
                                                          values=[0.6, 0.7], contribution=pd.Series({"A": 10.0, "B": 8.0, "C": 6.0}),
                                                          rate=0.1, periods=3)),
    Case("clv.recency_transition_matrix", clv.recency_transition_matrix, dict(purchase_probs=[0.3, 0.2, 0.15, 0.05])),
    Case("clv.recency_rewards", clv.recency_rewards, dict(purchase_probs=[0.3, 0.2, 0.15, 0.05], margin=40.0, marketing_cost=4.0)),
    Case("clv.markov_clv", clv.markov_clv, dict(matrix=clv.recency_transition_matrix([0.3, 0.2, 0.15, 0.05]),
                                                rewards=clv.recency_rewards([0.3, 0.2, 0.15, 0.05], margin=40.0, marketing_cost=4.0).value,
                                                rate=0.2, periods=10)),
    Case("clv.churn_rate", clv.churn_rate, dict(lost=20.0, at_start=100.0)),
    Case("clv.group_lifetime", clv.group_lifetime, dict(churn=0.2)),
    Case("clv.lifecycle_profit", clv.lifecycle_profit, dict(base_profit=100.0, growth_profit=20.0, rate=0.1),
         nan_ok=("amount", "sign")),  # the total row has no amount or sign of its own
    Case("clv.clv_tiers", clv.clv_tiers, dict(clv=VALUES)),
    # btyd
    Case("btyd.BetaGeoModel", fit_call(btyd.BetaGeoModel), dict(summary=BTYD_SUMMARY, time_unit="W")),
    Case("btyd.ModifiedBetaGeoModel", fit_call(btyd.ModifiedBetaGeoModel), dict(summary=BTYD_SUMMARY, time_unit="W")),
    Case("btyd.ParetoNBDModel", fit_call(btyd.ParetoNBDModel), dict(summary=BTYD_SUMMARY, time_unit="W")),
    Case("btyd.BetaGeoBetaBinomModel", fit_call(btyd.BetaGeoBetaBinomModel, dict(count="count")), dict(summary=clv_data.DONATIONS)),
    Case("btyd.ShiftedBetaGeometricModel", fit_call(btyd.ShiftedBetaGeometricModel),
         dict(survivors=clv_data.SBG_SURVIVORS["regular"])),
    Case("btyd.GammaGammaModel", fit_call(btyd.GammaGammaModel), dict(summary=BTYD_SUMMARY)),
    Case("btyd.customer_lifetime_value", btyd.customer_lifetime_value,
         dict(purchase_model=BG, spend_model=GG, summary=BTYD_SUMMARY, periods=6, rate=0.01)),
    Case("btyd.holdout_by_frequency", btyd.holdout_by_frequency, dict(purchase_model=BG, summary=BTYD_SUMMARY)),
    Case("btyd.compare_purchase_models", btyd.compare_purchase_models, dict(summary=BTYD_SUMMARY)),
    Case("btyd.repeat_frequency_fit", btyd.repeat_frequency_fit, dict(models={"BG/NBD": BG}, summary=BTYD_SUMMARY)),
    Case("btyd.cumulative_tracking", btyd.cumulative_tracking,
         dict(purchase_model=BG, log=TransactionLog.from_frame(clv_data.load_transactions()), calibration_end=clv_data.CALIBRATION_END)),
    Case("btyd.opportunity_tracking", btyd.opportunity_tracking, dict(purchase_model=btyd.BetaGeoBetaBinomModel(count="count").fit(clv_data.DONATIONS),
                                                                     customers=1000, opportunities=6)),
    # pls
    Case("pls.htmt", pls.htmt, dict(data=PLS_DATA, blocks=PLS_BLOCKS), nan_ok=("A", "B")),  # the diagonal is undefined
    Case("pls.PLSPathModel", lambda data, scheme: pls.PLSPathModel(PLS_BLOCKS, [("A", "B")], scheme=scheme).fit(data),
         dict(data=PLS_DATA, scheme="path")),
    Case("pls.multigroup_analysis", pls.multigroup_analysis, dict(model=PLS_MODEL, data=PLS_DATA, group="g", n_permutations=20,
                                                                  random_state=0)),
    # ahp
    Case("ahp.random_index", ahp.random_index, dict(n=5)),
    Case("ahp.pairwise_matrix", ahp.pairwise_matrix, dict(judgments={("x", "y"): 3.0, ("x", "z"): 5.0, ("y", "z"): 2.0},
                                                          items=["x", "y", "z"])),
    Case("ahp.check_pairwise_matrix", lambda matrix: ahp.check_pairwise_matrix(matrix)[0], dict(matrix=AHP_M)),
    Case("ahp.complete_matrix", ahp.complete_matrix, dict(matrix=AHP_M.mask(pd.DataFrame([[False, True, False], [True, False, False],
                                                                                         [False, False, False]], index=list("xyz"),
                                                                                        columns=list("xyz"))))),
    Case("ahp.inconsistency_table", ahp.inconsistency_table, dict(matrix=AHP_M, weights=AHP_W),
         nan_ok=("indirect_value", "suggested_saaty_value")),
    Case("ahp.ahp_priorities", ahp.ahp_priorities, dict(matrix=AHP_M)),
    Case("ahp.aggregate_judgments", ahp.aggregate_judgments, dict(matrices=[AHP_M, AHP_M])),
    Case("ahp.group_ahp", ahp.group_ahp, dict(matrices={"e1": AHP_M, "e2": AHP_M})),
    Case("ahp.global_weights", ahp.global_weights, dict(criterion_weights=pd.Series({"c1": 0.4, "c2": 0.6}),
                                                         local_weights={"c1": AHP_W, "c2": AHP_W})),
    Case("ahp.weight_sensitivity", ahp.weight_sensitivity, dict(criterion_weights=pd.Series({"c1": 0.4, "c2": 0.6}),
                                                                local_weights={"c1": AHP_W, "c2": AHP_W}, criterion="c1")),
    Case("ahp.ahp_synthesis", ahp.ahp_synthesis, dict(criteria=pd.DataFrame([[1, 2], [0.5, 1]], index=["c1", "c2"], columns=["c1", "c2"]),
                                                      alternatives={"c1": AHP_M, "c2": AHP_M})),
    Case("ahp.proportional_weights", ahp.proportional_weights,
         dict(criterion_weights=pd.Series({"c1": 0.4, "c2": 0.6}), criterion="c1", weight=0.7)),
    Case("ahp.matrices_from_table", ahp.matrices_from_table,
         dict(table=pd.DataFrame({"level": ["criteria"] * 3, "row": ["x", "x", "y"], "column": ["y", "z", "z"],
                                  "judgment": ["3", "5", "1/2"], "expert": ["e1"] * 3})),
         nan_ok=("x", "y", "z")),  # a judgment the table does not give is missing (documented)
    # readers and study
    Case("readers.detect_encoding", readers.detect_encoding, dict(sample="名,值\n".encode("gbk"))),
    Case("readers.sniff_separator", readers.sniff_separator, dict(text="a;b\n1;2\n")),
    Case("readers.format_of", lambda path, format: readers.format_of(__import__("pathlib").Path(path), format),
         dict(path="x.csv", format=None)),
    Case("readers.as_ids", readers.as_ids, dict(values=pd.Series(["001", "2"]), column="id")),
    Case("readers.parse_dates", readers.parse_dates, dict(values=pd.Series(["2024-01-01", "2024-02-01"]), column="d")),
    Case("readers.apply_missing_codes", readers.apply_missing_codes, dict(table=SURVEY, codes=[-99]),
         nan_ok=("q1", "q2", "q3", "overall")),  # a missing cell stays missing
    Case("readers.read_table", lambda **kw: readers.read_table(**kw).table, dict(path=__file__.replace("test_bad_inputs.py", "conftest.py"),
                                                                                  format="csv", sep="|")),
    Case("study.is_study", study.is_study, dict(value={"kind": "survey"})),
    Case("study.study_from_spec", study.study_from_spec,
         dict(spec={"kind": "survey", "path": __file__, "scale": [1, 7]}, name="survey")),
    Case("study.load_study", study.load_study, dict(spec={"kind": "survey", "path": __file__, "scale": [1, 7]}, name="survey")),
    # tracking (notebook 05)
    Case("tracking.wave_design", trk.wave_design, dict(studies=TRACK_SPECS)),
    Case("tracking.wave_pairs", trk.wave_pairs, dict(labels=["a", "b", "c"], compare="first")),
    Case("tracking.wave_indices", _two_waves(trk.wave_indices),
         dict(first=TRACK_A, second=TRACK_B, blocks=TRACK_BLOCKS, paths=[("A", "B")], scale=(1, 7), n_boot=20, level=0.9,
              random_state=0)),
    Case("tracking.wave_indices.drop", _two_waves(trk.wave_indices),
         dict(first=TRACK_A, second=TRACK_B, blocks=TRACK_BLOCKS, paths=[("A", "B")], scale=(1, 7), n_boot=20, missing="drop",
              random_state=0)),
    Case("tracking.index_changes", trk.index_changes, dict(indices=TRACK_INDICES, compare=[("w2", "w1")], level=0.9, adjust="holm")),
    Case("tracking.wave_ipa", _two_waves(trk.wave_ipa),
         dict(first=TRACK_A, second=TRACK_B, performance=TRACK_PERF, overall="overall", scale=(1, 7), overall_scale=(1, 7),
              crosshair_basis="first_wave")),
    Case("tracking.quadrant_migration", trk.quadrant_migration, dict(results=TRACK_IPA, compare="first")),
    Case("tracking.performance_changes", _two_waves(trk.performance_changes),
         dict(first=TRACK_A, second=TRACK_B, performance=TRACK_PERF, level=0.9)),
    Case("tracking.tier_kpis_by_period", trk.tier_kpis_by_period, dict(totals=TRACK_TOTALS, value="profit", shares=[0.1, 0.2, 0.7])),
    Case("whatif.tracking.compare_waves", whatif_trk.compare_waves,
         dict(indices=TRACK_INDICES, data={"w1": TRACK_A, "w2": TRACK_B}, design=TRACK_DESIGN, from_wave="w1", to_wave="w2",
              importance="lmg", level=0.9)),
    # frameworks
    Case("frameworks.kotler_relationship_level", frameworks.kotler_relationship_level,
         dict(number_of_customers=[50.0, 5000.0], margin=[0.4, 0.05], customer_cutoffs=(100.0, 1000.0), margin_cutoffs=(0.1, 0.3))),
    Case("frameworks.lifecycle_stage", frameworks.lifecycle_stage, dict(profit_by_period=PROFITS)),
]

# Public names that are not functions to call with data: result containers and constants' readers.
EXEMPT = {
    "satisfaction": {"ServqualResult", "CSIResult", "RegressionResult", "FuzzyResult", "LoyaltyResult", "LoyaltyCurve"},
    "kano": {"KanoResult"},
    "ipa": {"IPAResult", "QuadrantStability"},
    "segmentation": {"TierResult", "TierKPIs", "RFMScores", "RFMSegments"},
    "frameworks": set(),
    "transactions": {"CustomerSummary", "LogTable"},
    "clv": {"CLVResult"},
    "btyd": {"BTYDResult"},
    "pls": {"PLSBootstrapResult", "PLSImportancePerformance", "PLSPredictResult", "PLSMultigroupResult"},
    "ahp": {"CompletionResult", "AHPResult", "GroupAHPResult", "AHPSensitivity", "AHPSynthesis"},
    "readers": {"TableRead"},
    "study": {"StudyError", "Study"},
    "tracking": {"WaveDesign", "WaveIndices", "Changes", "QuadrantMigration", "TierKPITrack"},
    "whatif.tracking": set(),
}


# ------------------------------------------------------------------ bad variants by type
def _first_numeric(df: pd.DataFrame):
    cols = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    return cols[0] if cols else df.columns[0]


def _frame_variants(df: pd.DataFrame) -> dict:
    out = {"empty": df.iloc[:0], "one row": df.iloc[:1]}
    if len(df) > 1:
        out["duplicated ids"] = df.set_axis([df.index[0]] * 2 + list(df.index[2:]), axis=0)
        out["constant"] = pd.DataFrame([df.iloc[0].to_numpy()] * len(df), columns=df.columns, index=df.index).astype(df.dtypes.to_dict())
    col = _first_numeric(df)
    if len(df):
        for label, value in (("missing cell", np.nan), ("infinite cell", np.inf), ("text cell", "x")):
            bad = df.copy()
            numeric = pd.api.types.is_numeric_dtype(bad[col]) and not pd.api.types.is_bool_dtype(bad[col])
            bad[col] = bad[col].astype(float if numeric and label != "text cell" else object)
            bad.iloc[0, bad.columns.get_loc(col)] = value
            out[label] = bad
    return out


def _series_variants(s: pd.Series) -> dict:
    out = {"empty": s.iloc[:0], "one value": s.iloc[:1]}
    if len(s) > 1:
        out["duplicated ids"] = s.set_axis([s.index[0]] * 2 + list(s.index[2:]))
        out["constant"] = pd.Series(s.iloc[0], index=s.index, name=s.name)
    for label, value in (("missing value", np.nan), ("infinite value", np.inf), ("text value", "x")):
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        bad = s.astype(float if numeric and label != "text value" else object).copy()
        bad.iloc[0] = value
        out[label] = bad
    return out


def _scalar_variants(v) -> dict:
    return {"nan": np.nan, "inf": np.inf, "huge negative": -1e12, "text": "3", "None": None}


def _sequence_variants(v) -> dict:
    v = list(v)
    out = {"empty": [], "text element": ["x"] + v[1:]}
    if len(v) > 1:
        out["one short"] = v[:-1]
    if v and all(isinstance(x, (int, float, np.number)) for x in v):
        out["nan element"] = [np.nan] + v[1:]
        out["inf element"] = [np.inf] + v[1:]
    return out


def _array_variants(a: np.ndarray) -> dict:
    out = {"empty": a[:0], "nan": np.where(np.arange(a.size).reshape(a.shape) == 0, np.nan, a),
           "text": a.astype(object)}
    out["text"].flat[0] = "x"
    if a.ndim == 2 and a.shape[0] > 1:
        out["one row short"] = a[:-1]
    return out


def variants(value) -> dict:
    if isinstance(value, pd.DataFrame):
        return _frame_variants(value)
    if isinstance(value, pd.Series):
        return _series_variants(value)
    if isinstance(value, np.ndarray):
        return _array_variants(value)
    if isinstance(value, bool) or value is None:
        return {}
    if isinstance(value, (int, float)):
        return _scalar_variants(value)
    if isinstance(value, str):
        return {"unknown name": "no_such_name", "empty text": ""}
    if isinstance(value, (list, tuple)):
        return _sequence_variants(value)
    if isinstance(value, Mapping):
        return {"empty mapping": {}}
    return {}


# ------------------------------------------------------------------ outcome checks
def non_finite(result, path="result", nan_ok=()) -> list[str]:
    """Paths of NaN/inf numbers inside a result (DataFrames, Series, arrays, dataclasses, dicts, numbers)."""
    if any(path.endswith(f".{f}") or f"['{f}']" in path for f in nan_ok):
        return []
    if isinstance(result, pd.DataFrame):
        bad = []
        for c in result.columns:
            if any(str(c) == f for f in nan_ok):
                continue
            bad += non_finite(result[c], f"{path}['{c}']", nan_ok)
        return bad
    if isinstance(result, pd.Series):
        if pd.api.types.is_numeric_dtype(result) and not pd.api.types.is_bool_dtype(result):
            v = result.to_numpy(dtype=float)
            return [path] if not np.isfinite(v).all() else []
        return []
    if isinstance(result, np.ndarray):
        if result.dtype.kind in "fc":
            return [path] if not np.isfinite(result).all() else []
        return []
    if isinstance(result, (float, np.floating)):
        return [] if np.isfinite(result) else [path]
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        out = []
        for f in dataclasses.fields(result):
            if f.name in ("model", "settings"):
                continue
            out += non_finite(getattr(result, f.name), f"{path}.{f.name}", nan_ok)
        return out
    if isinstance(result, dict):
        return [p for k, v in result.items() for p in non_finite(v, f"{path}['{k}']", nan_ok)]
    if isinstance(result, tuple):
        return [p for i, v in enumerate(result) for p in non_finite(v, f"{path}[{i}]", nan_ok)]
    if hasattr(result, "__dict__") and type(result).__module__.startswith("crmlab"):
        return [p for k, v in vars(result).items() if k.endswith("_") and not k.startswith("_")
                for p in non_finite(v, f"{path}.{k}", nan_ok)]
    return []


def outcome(case: Case, kwargs: dict) -> str | None:
    """None when the call raises a clear CrmlabValueError or returns only finite numbers, else what went wrong."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = case.call(**kwargs)
    except CrmlabValueError as exc:
        message = str(exc)
        return None if len(message) >= 15 and " " in message else f"unclear error message {message!r}"
    except Exception as exc:  # noqa: BLE001 - the point: any other exception is an unhelpful crash
        return f"unhelpful {type(exc).__name__}: {str(exc)[:200]}"
    bad = non_finite(result, nan_ok=case.nan_ok)
    return f"returned non-finite numbers at {bad[:4]}" if bad else None


BAD_CALLS = [(case, arg, label, bad)
             for case in CASES for arg, value in case.kwargs.items() for label, bad in variants(value).items()]


def test_every_baseline_call_succeeds_with_finite_results():
    failures = {c.name: outcome(c, c.kwargs) for c in CASES}
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, failures


def test_the_catalogue_covers_every_public_function():
    def covered(key):  # a case named "module.function" or a variant of it ("module.function.variant")
        return any(c.name == key or c.name.startswith(key + ".") for c in CASES)

    missing = []
    for name in MODULES:
        mod = importlib.import_module(f"crmlab.{name}")
        for attr, obj in vars(mod).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and attr not in EXEMPT[name] and not covered(f"{name}.{attr}"):
                missing.append(f"{name}.{attr}")
    assert not missing, f"public callables without a bad-input case: {missing}"


@pytest.mark.parametrize("case, arg, label, bad", BAD_CALLS,
                         ids=[f"{c.name}:{arg}={label}" for c, arg, label, _ in BAD_CALLS])
def test_bad_input_gives_a_clear_error_or_a_finite_answer(case, arg, label, bad):
    problem = outcome(case, case.kwargs | {arg: bad})
    assert problem is None, f"{case.name}({arg}=<{label}>): {problem}"
