"""Consistent PLS, PLSpredict, the score-SD convention, convergence policy and the row rule of crmlab.pls.

References: R seminr's own PLSc fixtures (tests/reference/seminr_r_mobi_plsc.json), the seminr
PyPI port run on the ECSI model with the same folds (tests/reference/seminr_ecsi_plsc_predict.json),
and brute-force refits of each training fold through the public single-sample fit.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.pls import ECSI_BLOCKS, ECSI_PATHS, PLSPathModel, _cut_folds
from crmlab.validation import ConvergenceError, ConvergenceWarning, CrmlabValueError

REF = Path(__file__).parent / "reference"
MOBI_BLOCKS = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Expectation": [f"CUEX{i}" for i in range(1, 4)],
               "Value": ["PERV1", "PERV2"], "Satisfaction": [f"CUSA{i}" for i in range(1, 4)]}
MOBI_PATHS = [("Image", "Satisfaction"), ("Expectation", "Satisfaction"), ("Value", "Satisfaction")]


@pytest.fixture(scope="module")
def ecsi(shared_data):
    return pd.read_csv(shared_data / "ecsi" / "satisfaction.csv", index_col=0)


@pytest.fixture(scope="module")
def mobi(shared_data):
    return pd.read_csv(shared_data / "ecsi" / "mobi.csv", index_col=0)


@pytest.fixture(scope="module")
def port():
    return json.loads((REF / "seminr_ecsi_plsc_predict.json").read_text())


def _seminr_model(**kw) -> PLSPathModel:
    """seminr's settings: path weighting, standardised items, iterated to the fixed point."""
    return PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="path", scaled=True, tol=1e-14, max_iter=1000, **kw)


# --- PLSc --------------------------------------------------------------------
def test_plsc_reproduces_r_seminr_fixtures(mobi):
    """R seminr's test-consistent.R fixtures: rho_A, PLSc paths, loadings and R² on mobi (factorial scheme)."""
    ref = json.loads((REF / "seminr_r_mobi_plsc.json").read_text())
    model = PLSPathModel(MOBI_BLOCKS, MOBI_PATHS, scheme="factorial", scaled=True, tol=1e-14, max_iter=1000,
                         consistent=True).fit(mobi)
    assert model.rho_a_.to_dict() == pytest.approx(ref["rho_a"], abs=1e-10)
    assert model.inner_model_["estimate"].to_dict() == pytest.approx(ref["paths"], abs=1e-10)
    assert model.loadings_.to_dict() == pytest.approx(ref["loadings"], abs=1e-10)
    assert model.r2_.to_dict() == pytest.approx(ref["r2"], abs=1e-10)
    assert model.settings["consistent"] == list(MOBI_BLOCKS)
    assert model.inner_model_["std_error"].isna().all()  # OLS standard errors do not hold for PLSc


def test_plsc_matches_seminr_port_on_ecsi_and_bootstraps(ecsi, port):
    model = _seminr_model(consistent=True).fit(ecsi)
    ref = port["plsc"]
    assert model.inner_model_["estimate"].to_dict() == pytest.approx(ref["paths"], abs=1e-10)
    assert model.loadings_.to_dict() == pytest.approx(ref["loadings"], abs=1e-10)
    assert model.rho_a_.to_dict() == pytest.approx(ref["rho_a"], abs=1e-10)
    assert model.r2_.to_dict() == pytest.approx(ref["r2"], abs=1e-10)
    # composite PLS reports the same rho_A (same weights), with uncorrected paths
    composite = _seminr_model().fit(ecsi)
    assert composite.rho_a_.to_dict() == pytest.approx(ref["rho_a"], abs=1e-10)
    assert composite.summary()["rho_a"].to_dict() == pytest.approx(ref["rho_a"], abs=1e-10)
    assert composite.settings["consistent"] == []
    # the bootstrap refits PLSc on every resample: its identity resample is the PLSc estimate
    boot = model.bootstrap(indices=np.vstack([np.arange(len(ecsi)), np.arange(len(ecsi))]))
    assert boot.draws["paths"].iloc[0].to_dict() == pytest.approx(ref["paths"], abs=1e-10)


def test_plsc_attenuation_correction_recovers_factor_model():
    """Common-factor data: PLS attenuates the path, PLSc recovers it (Dijkstra & Henseler 2015, §3)."""
    rng = np.random.default_rng(11)
    n, beta = 4000, 0.6
    xi = rng.normal(size=n)
    eta = beta * xi + np.sqrt(1 - beta**2) * rng.normal(size=n)
    lam = np.array([0.6, 0.7, 0.8])
    data = pd.DataFrame({**{f"x{k}": lam[k] * xi + np.sqrt(1 - lam[k] ** 2) * rng.normal(size=n) for k in range(3)},
                         **{f"y{k}": lam[k] * eta + np.sqrt(1 - lam[k] ** 2) * rng.normal(size=n) for k in range(3)}})
    blocks = {"X": ["x0", "x1", "x2"], "Y": ["y0", "y1", "y2"]}
    pls = PLSPathModel(blocks, [("X", "Y")], scheme="path").fit(data)
    plsc = PLSPathModel(blocks, [("X", "Y")], scheme="path", consistent=["X", "Y"]).fit(data)
    assert pls.path_coefficients_.loc["X", "Y"] < beta - 0.1
    assert plsc.path_coefficients_.loc["X", "Y"] == pytest.approx(beta, abs=0.03)
    assert plsc.loadings_.to_numpy() == pytest.approx(np.r_[lam, lam], abs=0.04)


def test_consistent_argument_is_checked():
    with pytest.raises(CrmlabValueError, match="consistent names unknown construct 'X'"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, consistent=["X"])
    with pytest.raises(CrmlabValueError, match="not a multi-item Mode A block"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, modes={"IMAG": "B"}, consistent=["IMAG"])
    with pytest.raises(CrmlabValueError, match="consistent must be True, False or a list"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, consistent="SAT")


# --- latent-score SD ----------------------------------------------------------
def test_sample_score_sd_matches_seminr_and_leaves_estimates_unchanged(ecsi, port):
    population = _seminr_model().fit(ecsi)
    sample = _seminr_model(score_sd="sample").fit(ecsi)
    head = pd.DataFrame(port["scores_sample_sd"]["head"])
    assert np.abs(sample.scores_.iloc[:5][head.columns].to_numpy() - head.to_numpy()).max() < 1e-10
    assert np.allclose(sample.scores_.std(ddof=1), 1) and np.allclose(population.scores_.std(ddof=0), 1)
    for attr in ("path_coefficients_", "loadings_", "r2_", "outer_weights_"):  # standardised items: weights too
        pd.testing.assert_series_equal(getattr(sample, attr).stack() if attr == "path_coefficients_" else getattr(sample, attr),
                                       getattr(population, attr).stack() if attr == "path_coefficients_" else getattr(population, attr))
    assert sample.settings["score_sd"] == "sample" and population.settings["sd_divisor"].startswith("n (population")
    # centred items: the weights carry the scale, by sqrt((n - 1) / n); indices do not depend on it
    n = len(ecsi)
    cen_p = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scaled=False).fit(ecsi, scale=(0, 10))
    cen_s = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scaled=False, score_sd="sample").fit(ecsi, scale=(0, 10))
    assert np.allclose(cen_s.outer_weights_, cen_p.outer_weights_ * np.sqrt((n - 1) / n), atol=1e-14)
    assert np.allclose(cen_s.index_0_100(), cen_p.index_0_100(), atol=1e-12)
    boot = cen_s.bootstrap(indices=np.arange(n)[None].repeat(2, axis=0))
    assert np.allclose(boot.draws["weights"].iloc[0], cen_s.outer_weights_, atol=1e-14)
    with pytest.raises(CrmlabValueError, match="score_sd must be one of"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, score_sd="n-1")


# --- PLSpredict -----------------------------------------------------------------
@pytest.mark.parametrize("technique", ["earliest_antecedents", "direct_antecedents"])
def test_plspredict_matches_seminr_predict_pls_on_the_same_folds(ecsi, port, technique):
    ref = port["predict_pls"]
    n = len(ecsi)
    folds = np.empty(n, dtype=int)
    folds[np.random.default_rng(ref["seed"]).permutation(n)] = _cut_folds(n, 10)
    result = _seminr_model().fit(ecsi).plspredict(folds=folds, technique=technique)
    table, ref = result.table, ref[technique]
    # seminr stops at its own criterion (weights ~1e-10 from the fixed point); crmlab iterates to it
    assert table["rmse"].to_dict() == pytest.approx(ref["pls_rmse"], abs=1e-9)
    assert table["mae"].to_dict() == pytest.approx(ref["pls_mae"], abs=1e-9)
    assert table["lm_rmse"].to_dict() == pytest.approx(ref["lm_rmse"], abs=1e-10)
    assert table["lm_mae"].to_dict() == pytest.approx(ref["lm_mae"], abs=1e-10)
    assert result.predictions.iloc[0].to_dict() == pytest.approx(ref["pls_prediction_row1"], abs=1e-9)
    assert result.settings["technique"] == technique and result.settings["n_folds"] == 10


def test_plspredict_equals_brute_force_refits(ecsi):
    """Each fold refitted through the public fit; items predicted by the published formulas; Q² by hand."""
    model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="centroid", scaled=False).fit(ecsi)
    result = model.plspredict(5, random_state=3)
    folds = result.folds[0]
    endo_items = list(result.table.index)
    exo_items = ECSI_BLOCKS["IMAG"]
    pls = pd.DataFrame(index=ecsi.index, columns=endo_items, dtype=float)
    lm, naive = pls.copy(), pls.copy()
    for f in range(5):
        train, test = ecsi[folds != f], ecsi[folds == f]
        fit = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="centroid", scaled=False).fit(train)
        scores = (test[fit.outer_weights_.index] - train[fit.outer_weights_.index].mean()) @ \
            pd.DataFrame({c: fit.outer_weights_.where(fit.outer_model_["block"] == c, 0) for c in ECSI_BLOCKS})
        totals = fit.effects_.query("source == 'IMAG'").set_index("target")["total"]  # reduced form from IMAG
        eta = pd.DataFrame(np.outer(scores["IMAG"], totals), index=test.index, columns=totals.index)
        for item in endo_items:
            block = fit.outer_model_.loc[item, "block"]
            slope = fit.loadings_[item] * train[item].std(ddof=0)
            pls.loc[test.index, item] = train[item].mean() + eta[block].to_numpy() * slope
            X = np.column_stack([np.ones(len(train)), train[exo_items]])
            beta = np.linalg.lstsq(X, train[item], rcond=None)[0]
            lm.loc[test.index, item] = np.column_stack([np.ones(len(test)), test[exo_items]]) @ beta
            naive.loc[test.index, item] = train[item].mean()
    assert np.abs(result.predictions.to_numpy() - pls.to_numpy()).max() < 1e-9
    assert np.abs(result.lm_predictions.to_numpy() - lm.to_numpy()).max() < 1e-9
    y = ecsi[endo_items]
    q2 = 1 - ((y - pls) ** 2).sum() / ((y - naive) ** 2).sum()
    assert result.table["q2_predict"].to_dict() == pytest.approx(q2.to_dict(), abs=1e-10)
    assert result.table["rmse"].to_dict() == pytest.approx(np.sqrt(((y - pls) ** 2).mean()).to_dict(), abs=1e-10)


def test_plspredict_repetitions_are_seeded_and_averaged(ecsi):
    model = _seminr_model().fit(ecsi)
    a = model.plspredict(10, n_repeats=3, random_state=5)
    b = model.plspredict(10, n_repeats=3, random_state=5)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.folds.shape == (3, len(ecsi)) and (np.bincount(a.folds[1]) == 25).all()
    singles = [model.plspredict(folds=a.folds[r]).predictions for r in range(3)]
    assert np.allclose(a.predictions, sum(singles) / 3, atol=1e-12)
    assert a.predictive_power in {"none", "low", "medium", "high"}
    assert model.plspredict(10, random_state=6).table["rmse"].ne(a.table["rmse"]).any()


def test_plspredict_errors(ecsi):
    model = _seminr_model().fit(ecsi)
    with pytest.raises(CrmlabValueError, match="technique must be one of"):
        model.plspredict(technique="EA")
    with pytest.raises(CrmlabValueError, match="n_folds must be <= 250"):
        model.plspredict(251)
    with pytest.raises(CrmlabValueError, match=r"folds must be an \(n_repeats, 250\) array of integer"):
        model.plspredict(folds=np.zeros(10, dtype=int))
    with pytest.raises(CrmlabValueError, match="every row must use each of"):
        model.plspredict(folds=np.r_[np.zeros(125, int), 2 * np.ones(125, int)])
    with pytest.raises(CrmlabValueError, match="composite PLS estimates"):
        _seminr_model(consistent=True).fit(ecsi).plspredict()
    small = ecsi.iloc[:10]
    with pytest.raises(CrmlabValueError, match="smallest training set .* has 5 complete rows"):
        _seminr_model().fit(small).plspredict(2)


# --- convergence policy and the row rule ------------------------------------------
def test_nonconvergence_follows_the_policy(ecsi):
    with pytest.raises(ConvergenceError, match=r"did not converge: no convergence within max_iter=1 .*on_nonconvergence='warn'"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, max_iter=1).fit(ecsi)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, max_iter=1, on_nonconvergence="warn").fit(ecsi)
    assert model.converged_ is False and model.n_iter_ == 1
    assert model.settings["on_nonconvergence"] == "warn"
    ok = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS).fit(ecsi)
    assert ok.converged_ is True and ok.n_iter_ == 4  # R plspm's ECSI fit stops after 4 iterations
    with pytest.raises(CrmlabValueError, match="on_nonconvergence must be one of"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, on_nonconvergence="ignore")


def test_fewer_rows_than_items_is_refused(ecsi):
    """Four respondents, five items per block: paths above 1 used to come out; now a clear error."""
    with pytest.raises(CrmlabValueError, match=r"data has 4 complete rows; a PLS fit needs more respondents than items "
                                               r"in the largest block \(5 items of 'IMAG'\) and at least predictors \+ 2 "
                                               r"in every structural equation \(4 predictors of 'SAT'\): at least 6 rows"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS).fit(ecsi.iloc[:4])
    fitted = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, on_nonconvergence="warn").fit(ecsi.iloc[:40])
    assert np.isfinite(fitted.path_coefficients_.to_numpy()).all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plspredict_chart(ecsi, lang):
    import matplotlib.pyplot as plt

    from crmlab.i18n import t
    from crmlab.plotting.pls import plot_plspredict

    result = _seminr_model().fit(ecsi).plspredict(5, random_state=0)
    ax = plot_plspredict(result, lang=lang)
    assert [x.get_text() for x in ax.get_xticklabels()] == list(result.table.index)
    assert ax.get_ylabel() == t("pls_rmse", lang) and ax.get_title().startswith(t("pls_predict_title", lang))
    heights = [p.get_height() for p in ax.patches]
    assert heights[: len(result.table)] == pytest.approx(result.table["rmse"].tolist())
    with pytest.raises(CrmlabValueError, match="needs the PLSPredictResult"):
        plot_plspredict(result.table)
    plt.close("all")


def test_collinear_data_is_named_not_returned_as_nan(ecsi):
    """Found by the property tests: singular matrices used to leak as LinAlgError or NaN estimates."""
    twin = ecsi.assign(**{f"twin{i}": ecsi[f"imag{i}"] for i in range(1, 6)})
    blocks = {**ECSI_BLOCKS, "TWIN": [f"twin{i}" for i in range(1, 6)]}
    with pytest.raises(CrmlabValueError, match="construct scores are perfectly collinear"):
        PLSPathModel(blocks, [*ECSI_PATHS, ("TWIN", "EXPE"), ("TWIN", "SAT"), ("TWIN", "LOY")]).fit(twin)
    dup = ecsi.assign(qual6=ecsi["qual1"])
    with pytest.raises(CrmlabValueError, match=r"items \['qual1', 'qual2', .*\] of block 'QUAL' are perfectly collinear"):
        PLSPathModel({**ECSI_BLOCKS, "QUAL": [*ECSI_BLOCKS["QUAL"], "qual6"]}, ECSI_PATHS, modes={"QUAL": "B"}).fit(dup)


def test_strings_and_wrong_shapes_get_named_errors(ecsi):
    model = _seminr_model().fit(ecsi)
    with pytest.raises(CrmlabValueError, match=r"indices must be an \(n_boot, 250\) array of integer row positions"):
        model.bootstrap(indices=np.full((2, 250), "3"))
    with pytest.raises(CrmlabValueError, match="n_boot must be a number, got '10'"):
        model.bootstrap("10")
    with pytest.raises(CrmlabValueError, match="n_folds must be a number"):
        model.plspredict("10")
    with pytest.raises(CrmlabValueError, match=r"scale must be a pair \(low, high\)"):
        _seminr_model().fit(ecsi, scale="0-10")
    with pytest.raises(CrmlabValueError, match="scale low end must be a number, got '0'"):
        model.index_0_100(scale=("0", "10"))


def test_singular_bootstrap_resamples_are_dropped_and_counted():
    """A Mode B block whose items differ in only three rows: resamples missing them are singular."""
    rng = np.random.default_rng(0)
    f = rng.normal(size=40)
    a1 = np.round(f + rng.normal(size=40))
    a2 = a1.copy()
    a2[:3] += 1
    data = pd.DataFrame({"a1": a1, "a2": a2, "b1": f + rng.normal(size=40), "b2": f + rng.normal(size=40)})
    model = PLSPathModel({"A": ["a1", "a2"], "B": ["b1", "b2"]}, [("A", "B")], modes={"A": "B"}).fit(data)
    boot = model.bootstrap(200, random_state=0)
    # P(none of the 3 rows drawn) = (37/40)^40 = 4.4 %: about 9 of 200
    assert 1 <= boot.n_failed <= 25 and boot.n_boot + boot.n_failed == 200
    assert np.isfinite(boot.paths.to_numpy(float)).all()
