"""PLS path modeling: R plspm reference results on the ECSI survey, bootstrap, quality criteria, errors."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.pls import ECSI_BLOCKS, ECSI_PATHS, PLSPathModel, htmt
from crmlab.validation import CrmlabValueError, NotFittedError

TOL = 1e-8


@pytest.fixture(scope="module")
def ecsi_dir(shared_data):
    return shared_data / "ecsi"


@pytest.fixture(scope="module")
def ecsi(ecsi_dir):
    return pd.read_csv(ecsi_dir / "satisfaction.csv", index_col=0)


@pytest.fixture(scope="module")
def fitted(ecsi):
    """R plspm's ECSI example: all Mode A, centroid scheme, scaled=FALSE."""
    return PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="centroid", scaled=False).fit(ecsi, scale=(0, 10))


def _max_dev(ours: pd.DataFrame, ref: pd.DataFrame) -> float:
    ours = ours.loc[ref.index, ref.columns]
    return float(np.abs(ours.to_numpy(float) - ref.to_numpy(float)).max())


# --- R plspm reference files ------------------------------------------------
def test_outer_model_matches_r(fitted, ecsi_dir):
    ref = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)
    assert list(fitted.outer_model_["block"]) == list(ref["block"])
    assert _max_dev(fitted.outer_model_, ref[["weight", "loading", "communality", "redundancy"]]) < TOL


def test_inner_model_sat_equation_matches_r(fitted, ecsi_dir):
    ref = pd.read_csv(ecsi_dir / "satisfaction.inner-model.csv", index_col=0)
    sat = fitted.inner_model_.query("target == 'SAT'").set_index("source")
    ours = sat[["estimate", "std_error", "t_value", "p_value"]].set_axis(ref.columns, axis=1)
    assert _max_dev(ours, ref) < TOL
    # path matrix holds the same estimates (row = source, column = target)
    assert fitted.path_coefficients_.loc["VAL", "SAT"] == pytest.approx(ref.loc["VAL", "Estimate"], abs=TOL)


def test_effects_match_r(fitted, ecsi_dir):
    ref = pd.read_csv(ecsi_dir / "satisfaction.effects.csv", index_col=0)
    assert sorted(fitted.effects_.index) == sorted(ref.index)
    assert _max_dev(fitted.effects_, ref[["direct", "indirect", "total"]]) < TOL


def test_inner_summary_r2_and_gof_match_r(fitted, ecsi_dir):
    ref = pd.read_csv(ecsi_dir / "satisfaction.inner-summary.csv", index_col=0)
    assert list(fitted.inner_summary_["type"]) == list(ref["type"])
    assert _max_dev(fitted.inner_summary_, ref[["r_squared", "block_communality", "mean_redundancy", "ave"]]) < TOL
    assert fitted.r2_.to_dict() == pytest.approx(ref["r_squared"].iloc[1:].to_dict(), abs=TOL)
    assert fitted.gof_ == pytest.approx(0.609741624338411, abs=TOL)


def test_unidimensionality_matches_r(fitted, ecsi_dir):
    ref = pd.read_csv(ecsi_dir / "satisfaction_unidim.csv", index_col=0)
    assert list(fitted.unidimensionality_["mvs"]) == list(ref["mvs"])
    cols = ["cronbach_alpha", "dillon_goldstein_rho", "eig_1st", "eig_2nd"]
    assert _max_dev(fitted.unidimensionality_, ref[cols]) < TOL


def test_crossloadings_and_scores_match_r(fitted, ecsi_dir):
    ref = pd.read_csv(ecsi_dir / "satisfaction.crossloadings.csv", index_col=0)
    assert _max_dev(fitted.crossloadings_, ref[list(ECSI_BLOCKS)]) < TOL
    scores = pd.read_csv(ecsi_dir / "satisfaction.scores.csv")
    assert np.abs(fitted.scores_.to_numpy() - scores.to_numpy()).max() < TOL


def test_plspm_stopping_rule_is_what_reproduces_r(ecsi, ecsi_dir):
    """R stops after 4 iterations at tol=1e-6; the converged fixed point differs from R by ~5e-7."""
    ref = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)["weight"]
    tight = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scaled=False, tol=1e-14).fit(ecsi)
    dev = np.abs(tight.outer_weights_ - ref).max()
    assert 1e-8 < dev < 1e-5


# --- other schemes, Mode B, standardised data: R seminr's mobi example ------
def test_path_scheme_mode_b_matches_seminr_reference(shared_data):
    """R seminr's basic example (path weighting, Quality in Mode B, single-item Complaints)."""
    mobi = pd.read_csv(shared_data / "ecsi" / "mobi.csv", index_col=0)
    blocks = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Expectation": [f"CUEX{i}" for i in range(1, 4)],
              "Quality": [f"PERQ{i}" for i in range(1, 8)], "Complaints": ["CUSCO"],
              "Loyalty": [f"CUSL{i}" for i in range(1, 4)]}
    paths = [("Image", "Expectation"), ("Expectation", "Loyalty"), ("Quality", "Loyalty"), ("Complaints", "Loyalty")]
    model = PLSPathModel(blocks, paths, modes={"Quality": "B"}, scheme="path", scaled=True, tol=1e-14)
    model.fit(mobi, scale=(1, 10))
    ref = pd.read_csv(shared_data / "ecsi" / "seminr-mobi-basic-outer-model.csv", index_col=0)
    ref_paths = pd.read_csv(shared_data / "ecsi" / "seminr-mobi-basic-paths.csv", index_col=0)
    # seminr stops on its own rule (sum |dw| < 1e-7), so agreement is to that precision; seminr standardises
    # with the n-1 SD and plspm with the n SD, which leaves weights of unit-variance scores unchanged
    assert np.abs(model.outer_weights_[ref.index] - ref["weight"]).max() < 1e-6
    assert np.abs(model.loadings_[ref.index] - ref["loading"]).max() < 1e-6
    assert _max_dev(model.path_coefficients_, ref_paths) < 1e-6
    assert model.unidimensionality_.loc["Quality", "cronbach_alpha"] == 0  # Mode B: not meaningful (plspm)


# --- quality criteria beyond plspm -----------------------------------------
def test_htmt_matches_seminr(fitted):
    """HTMT values printed by the seminr port (0.2.1, which reproduces R seminr) for these ECSI blocks."""
    table = fitted.htmt()
    seminr = {("IMAG", "EXPE"): 0.64382932, ("EXPE", "QUAL"): 0.98190256, ("VAL", "SAT"): 0.92931783,
              ("SAT", "LOY"): 0.74324885, ("IMAG", "LOY"): 0.71905205}
    for (a, b), value in seminr.items():
        assert table.loc[a, b] == pytest.approx(value, abs=1e-8)
        assert table.loc[b, a] == table.loc[a, b]
    assert np.isnan(table.loc["SAT", "SAT"])


def test_htmt_function_rejects_non_numeric(ecsi):
    bad = ecsi.assign(imag1=ecsi["imag1"].astype(str))
    with pytest.raises(CrmlabValueError, match="imag1.*numeric"):
        htmt(bad, ECSI_BLOCKS)


def test_fornell_larcker_uses_r_scores_and_ave(fitted, ecsi_dir):
    scores = pd.read_csv(ecsi_dir / "satisfaction.scores.csv")
    ave = pd.read_csv(ecsi_dir / "satisfaction.inner-summary.csv", index_col=0)["ave"]
    table = fitted.fornell_larcker()
    expected = scores.corr().to_numpy(copy=True)
    np.fill_diagonal(expected, np.sqrt(ave.to_numpy()))
    assert np.abs(table.to_numpy() - expected).max() < TOL


def test_inner_vif_matches_statsmodels_on_r_scores(fitted, ecsi_dir):
    from statsmodels.stats.outliers_influence import variance_inflation_factor
    scores = pd.read_csv(ecsi_dir / "satisfaction.scores.csv")
    pred = ["IMAG", "EXPE", "QUAL", "VAL"]
    design = np.column_stack([np.ones(len(scores)), scores[pred].to_numpy()])
    expected = [variance_inflation_factor(design, k + 1) for k in range(len(pred))]
    ours = fitted.inner_vif().query("target == 'SAT'").set_index("predictor").loc[pred, "vif"]
    assert np.abs(ours.to_numpy() - expected).max() < 1e-8
    assert fitted.inner_vif().query("target == 'EXPE'")["vif"].tolist() == [1.0]


def test_composite_reliability_from_r_loadings(fitted, ecsi_dir):
    om = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)
    lam = om.query("block == 'SAT'")["loading"]
    rho_c = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())  # Werts, Linn & Joreskog (1974)
    assert fitted.unidimensionality_.loc["SAT", "composite_reliability"] == pytest.approx(rho_c, abs=TOL)
    assert "gof" not in fitted.summary().attrs and fitted.settings["scheme"] == "centroid"  # conventions live in settings


# --- ACSI 0-100 index and item-scale scores ---------------------------------
def test_index_follows_fornell_1996_with_r_weights(fitted, ecsi, ecsi_dir):
    """index = 100 (sum w~ xbar - min) / (max - min), w~ = R's unstandardised weights rescaled to sum 1."""
    om = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)
    means = ecsi[om.index].mean()
    for block, rows in om.groupby("block"):
        w = rows["weight"] / rows["weight"].sum()
        expected = 100 * ((w * means[rows.index]).sum() - 0) / (10 - 0)
        assert fitted.index_0_100().loc[block] == pytest.approx(expected, abs=TOL)
    # the scale the index was computed on is the fit's declared one, reported in settings
    assert fitted.settings["scale"] == (0.0, 10.0)
    item_scores = fitted.latent_scores("item_scale")
    assert np.allclose(100 * item_scores.mean() / 10, fitted.index_0_100())


def test_index_scale_is_explicit(ecsi):
    model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scaled=False).fit(ecsi)
    with pytest.raises(CrmlabValueError, match="scale endpoints are unknown"):
        model.index_0_100()
    with pytest.raises(CrmlabValueError, match=r"outside the declared item scale \[1, 10\]"):
        model.index_0_100(scale=(1, 10))  # the ECSI file has zeros


def test_item_scale_weights_of_standardized_fit(ecsi, fitted):
    """With scaled=True the item-scale weight is the standardised weight / item SD (divisor n, as plspm)."""
    scaled = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scaled=True).fit(ecsi, scale=(0, 10))
    table = scaled.item_scale_weights()
    sd = ecsi[table.index].std(ddof=0)
    assert np.allclose(table["item_weight"] * sd, scaled.outer_weights_)
    assert np.allclose(table.groupby("block")["rescaled_weight"].sum(), 1)
    # standardising changes the PLS weights only slightly, so the indices agree to a fraction of a point
    assert np.abs(scaled.index_0_100() - fitted.index_0_100()).max() < 2
    # unscaled fit: the item-scale weights are the outer weights themselves
    assert np.allclose(fitted.item_scale_weights()["item_weight"], fitted.outer_weights_)


def test_negative_weight_makes_index_undefined(shared_data):
    mobi = pd.read_csv(shared_data / "ecsi" / "mobi.csv", index_col=0)
    blocks = {"Quality": [f"PERQ{i}" for i in range(1, 8)], "Loyalty": [f"CUSL{i}" for i in range(1, 4)]}
    model = PLSPathModel(blocks, [("Quality", "Loyalty")], modes={"Quality": "B"}, scheme="path").fit(mobi, scale=(1, 10))
    with pytest.raises(CrmlabValueError, match=r"PERQ6.*Quality.*non-positive outer weights"):
        model.index_0_100()
    boot = model.bootstrap(20, random_state=0)
    assert np.isnan(boot.index.loc["Quality", "estimate"])
    assert np.isfinite(boot.index.loc["Loyalty", "estimate"])


# --- bootstrap --------------------------------------------------------------
def test_bootstrap_of_identity_resamples_reproduces_r(fitted, ecsi_dir):
    """The vectorised bootstrap engine refits each resample exactly as the single fit (checked against R)."""
    n = fitted.n_obs_
    rng = np.random.default_rng(3)
    indices = np.vstack([np.arange(n), rng.permutation(n), np.arange(n)])
    boot = fitted.bootstrap(indices=indices)
    ref = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)
    assert np.abs(boot.draws["weights"].to_numpy() - ref["weight"].to_numpy()).max() < TOL
    assert np.abs(boot.draws["loadings"].to_numpy() - ref["loading"].to_numpy()).max() < TOL
    eff = pd.read_csv(ecsi_dir / "satisfaction.effects.csv", index_col=0)
    assert np.abs(boot.draws["total_effects"][eff.index].to_numpy() - eff["total"].to_numpy()).max() < TOL
    assert np.allclose(boot.weights["std_error"], 0, atol=1e-12)


def test_bootstrap_is_seeded_and_sensible(fitted, ecsi_dir):
    a = fitted.bootstrap(200, random_state=7)
    b = fitted.bootstrap(200, random_state=7, batch_size=64)
    pd.testing.assert_frame_equal(a.summary(), b.summary())
    assert a.n_boot == 200 and a.n_failed == 0
    assert set(a.summary()["table"]) == {"weights", "loadings", "paths", "total_effects", "r2", "index"}
    # bootstrap SEs of the SAT equation are of the order of R's OLS standard errors
    ols = pd.read_csv(ecsi_dir / "satisfaction.inner-model.csv", index_col=0)["Std. Error"]
    se = a.paths.loc[[f"{p} -> SAT" for p in ols.index], "std_error"].to_numpy()
    assert np.all((se > 0.6 * ols.to_numpy()) & (se < 1.8 * ols.to_numpy()))
    p = a.paths.loc["VAL -> SAT"]
    assert p["ci_lower"] < p["estimate"] < p["ci_upper"]
    assert p["t_value"] == pytest.approx(p["estimate"] / p["std_error"])
    assert p["p_value"] < 0.001  # t > 3.5 with 199 df
    # EXPE -> SAT is not significant in R's OLS table (p = 0.97): its CI covers 0
    assert a.paths.loc["EXPE -> SAT", "ci_lower"] < 0 < a.paths.loc["EXPE -> SAT", "ci_upper"]
    assert (a.r2["ci_lower"] > 0).all()


# --- other schemes and missing values -----------------------------------------
@pytest.mark.parametrize("scheme", ["factorial", "path"])
def test_schemes_agree_closely_on_ecsi(ecsi, fitted, scheme):
    other = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme=scheme, scaled=False).fit(ecsi)
    assert other.settings_["scheme"] == scheme
    assert np.abs(other.path_coefficients_ - fitted.path_coefficients_).to_numpy().max() < 0.03


def test_missing_values_error_by_default_and_are_reported():
    holed = _small().astype(float)
    holed.loc[7, "sat2"] = np.nan
    holed.loc[12, "loy1"] = np.nan
    before = holed.copy()
    model = PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], scaled=False)
    with pytest.raises(CrmlabValueError, match=r"missing values in column\(s\) \['sat2', 'loy1'\] at rows \[7, 12\]"):
        model.fit(holed)
    dropped = PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], scaled=False).fit(holed, missing="drop")
    assert dropped.missing_report_["rows_dropped"] == [7, 12] and dropped.n_obs_ == len(holed) - 2
    assert 7 not in dropped.scores_.index and 8 in dropped.scores_.index
    expected = PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], scaled=False).fit(holed.dropna())
    assert np.allclose(dropped.outer_weights_, expected.outer_weights_)
    filled = PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], scaled=False).fit(holed, missing="mean")
    assert filled.missing_report_["cells_replaced_by_column"] == {"sat2": 1, "loy1": 1}
    assert filled.settings_["missing"] == "mean" and filled.n_obs_ == len(holed)
    expected = PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], scaled=False).fit(holed.fillna(holed.mean()))
    assert np.allclose(filled.outer_weights_, expected.outer_weights_)
    pd.testing.assert_frame_equal(holed, before)  # the caller's data is never altered


# --- bad input ---------------------------------------------------------------
def _small(_=None):
    """Synthetic 0-10 survey with the SAT and LOY items (no reference data needed), 250 rows."""
    rng = np.random.default_rng(42)
    sat = rng.normal(size=250)
    loy = 0.6 * sat + 0.8 * rng.normal(size=250)
    cols = {c: 7 + 1.5 * sat + rng.normal(size=250) for c in ECSI_BLOCKS["SAT"]}
    cols |= {c: 7 + 1.5 * loy + rng.normal(size=250) for c in ECSI_BLOCKS["LOY"]}
    return pd.DataFrame(cols).round().clip(0, 10).astype(int)


SMALL_BLOCKS = {"SAT": ECSI_BLOCKS["SAT"], "LOY": ECSI_BLOCKS["LOY"]}


def test_item_outside_declared_scale():
    data = _small()
    data.loc[5, "sat3"] = 11
    with pytest.raises(CrmlabValueError, match=r"'sat3' has values \[11\] outside the declared item scale \[0, 10\] \(rows \[5\]\)"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")]).fit(data, scale=(0, 10))


def test_non_numeric_item():
    data = _small().astype({"loy2": object})
    data.loc[9, "loy2"] = "n/a"
    with pytest.raises(CrmlabValueError, match=r"'loy2' must be numeric; non-numeric values \['n/a'\]"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")]).fit(data)


def test_constant_item():
    data = _small().assign(sat4=7)
    with pytest.raises(CrmlabValueError, match=r"'sat4' is constant \(every value is .*7"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")]).fit(data)


def test_missing_item_column():
    with pytest.raises(CrmlabValueError, match=r"no column\(s\) \['sat9'\]"):
        PLSPathModel({"SAT": ["sat1", "sat9"], "LOY": ["loy1"]}, [("SAT", "LOY")]).fit(_small())


def test_model_declaration_errors():
    with pytest.raises(CrmlabValueError, match="construct 'SAT' has no items"):
        PLSPathModel({"SAT": [], "LOY": ["loy1"]}, [("SAT", "LOY")])
    with pytest.raises(CrmlabValueError, match="path 'SAT' -> 'LOYALTY' refers to undeclared construct 'LOYALTY'"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOYALTY")])
    with pytest.raises(CrmlabValueError, match="cycle SAT -> LOY -> SAT"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY"), ("LOY", "SAT")])
    with pytest.raises(CrmlabValueError, match="cycle IMAG -> EXPE -> QUAL -> IMAG"):
        PLSPathModel({k: ECSI_BLOCKS[k] for k in ("IMAG", "EXPE", "QUAL", "SAT")},
                     [("IMAG", "EXPE"), ("EXPE", "QUAL"), ("QUAL", "IMAG"), ("QUAL", "SAT")])
    with pytest.raises(CrmlabValueError, match=r"construct\(s\) \['VAL'\] appear in no path"):
        PLSPathModel({**SMALL_BLOCKS, "VAL": ECSI_BLOCKS["VAL"]}, [("SAT", "LOY")])
    with pytest.raises(CrmlabValueError, match="item 'sat1' is declared in two blocks"):
        PLSPathModel({"SAT": ["sat1"], "LOY": ["sat1"]}, [("SAT", "LOY")])
    with pytest.raises(CrmlabValueError, match=r"modes\['SAT'\] must be one of \['A', 'B'\]"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], modes={"SAT": "C"})
    with pytest.raises(CrmlabValueError, match="scheme must be one of"):
        PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")], scheme="centroids")


def test_factorial_scheme_matches_seminr(ecsi):
    """Factorial inner weighting against an independent implementation (seminr; values in tests/reference)."""
    import json
    from pathlib import Path

    ref = json.loads((Path(__file__).parent / "reference" / "seminr_ecsi_factorial.json").read_text())
    model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="factorial", scaled=True, tol=1e-14, max_iter=1000).fit(ecsi)
    for a, b in ECSI_PATHS:
        assert model.path_coefficients_.loc[a, b] == pytest.approx(ref["paths"][f"{a}->{b}"], abs=1e-8)
    assert model.outer_weights_.to_dict() == pytest.approx(ref["weights"], abs=1e-8)


def test_bootstrap_matches_seminr_refits_on_the_same_resamples(ecsi):
    """Standard errors and percentile intervals of the paths against seminr refitted on identical resamples."""
    import json
    from pathlib import Path

    ref = json.loads((Path(__file__).parent / "reference" / "seminr_ecsi_bootstrap_paths.json").read_text())
    model = PLSPathModel(ECSI_BLOCKS, ECSI_PATHS, scheme="path", scaled=True, tol=1e-14, max_iter=1000).fit(ecsi)
    indices = np.random.default_rng(ref["seed"]).integers(0, len(ecsi), size=(ref["n_boot"], len(ecsi)))
    boot = model.bootstrap(indices=indices)
    assert boot.n_failed == 0
    for a, b in ECSI_PATHS:
        row = boot.paths.loc[f"{a} -> {b}"]
        for col in ("std_error", "ci_lower", "ci_upper"):
            assert row[col] == pytest.approx(ref[col][f"{a}->{b}"], abs=1e-6), (a, b, col)


def test_infinite_item_is_named(ecsi_dir):
    data = pd.read_csv(ecsi_dir / "satisfaction.csv")
    data["val2"] = data["val2"].astype(float)
    data.loc[4, "val2"] = np.inf
    with pytest.raises(CrmlabValueError, match=r"'val2' has infinite values at rows \[4\]"):
        PLSPathModel(ECSI_BLOCKS, ECSI_PATHS).fit(data)


def test_not_fitted_and_bad_bootstrap_arguments():
    model = PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")])
    for method in (model.summary, model.htmt, model.bootstrap, model.plspredict, model.index_0_100):
        with pytest.raises(NotFittedError, match="this PLSPathModel is not fitted yet; call .fit"):
            method()
    model.fit(_small())
    with pytest.raises(CrmlabValueError, match="level must be < 1"):
        model.bootstrap(10, level=1.5)
    with pytest.raises(CrmlabValueError, match=r"indices must be an \(n_boot, 250\) array"):
        model.bootstrap(indices=np.zeros((3, 10), dtype=int))
    with pytest.raises(CrmlabValueError, match="missing must be one of"):
        model.fit(_small(), missing="impute")


# --- charts -------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_path_diagram_and_index_chart(fitted, lang):
    import matplotlib.pyplot as plt

    from crmlab.i18n import t, translate_labels
    from crmlab.plotting.pls import plot_index, plot_path_diagram

    boot = fitted.bootstrap(60, random_state=1)
    ax = plot_path_diagram(fitted, bootstrap=boot, lang=lang)
    texts = [x.get_text() for x in ax.texts]
    assert f"{fitted.path_coefficients_.loc['VAL', 'SAT']:.2f}" in texts
    assert any(f"= {fitted.r2_['SAT']:.2f}" in x for x in texts)
    assert ax.get_title().startswith(t("pls_path_title", lang))
    ax2 = plot_index(boot, lang=lang)
    assert ax2.get_ylabel() == t("index_0_100", lang)
    # construct names are the user's: shown as given, even when they spell a term key (EXPE, SAT, ...) ...
    names = list(fitted.index_0_100().index)
    assert [x.get_text() for x in ax2.get_xticklabels()] == names
    # ... unless display labels are passed (a bundled model's terms)
    ax3 = plot_index(boot, lang=lang, labels=dict(zip(names, translate_labels(names, lang))))
    assert [x.get_text() for x in ax3.get_xticklabels()] == translate_labels(names, lang)
    plt.close("all")


def test_charts_reject_wrong_input(fitted):
    from crmlab.plotting.pls import plot_index, plot_path_diagram

    with pytest.raises(NotFittedError, match="PLSPathModel is not fitted yet"):
        plot_path_diagram(PLSPathModel(SMALL_BLOCKS, [("SAT", "LOY")]))
    with pytest.raises(CrmlabValueError, match="needs a fitted PLSPathModel, got list"):
        plot_path_diagram([1, 2])
    with pytest.raises(CrmlabValueError, match=r"positions has no \(x, y\) for construct\(s\) \['LOY'\]"):
        plot_path_diagram(fitted, positions={c: (0, i) for i, c in enumerate(list(ECSI_BLOCKS)[:-1])})
    with pytest.raises(CrmlabValueError, match="PLSBootstrapResult or a Series"):
        plot_index([70, 80])


def test_importance_performance_matches_ols_on_rescaled_r_scores(fitted, ecsi, ecsi_dir):
    """Unstandardised total effects = OLS slopes on 0-100 rescaled scores built from R's weights (Ringle & Sarstedt 2016)."""
    import statsmodels.api as sm

    om = pd.read_csv(ecsi_dir / "satisfaction.outer-model.csv", index_col=0)
    rescaled = pd.DataFrame({
        block: 100 * (ecsi[rows.index] @ (rows["weight"] / rows["weight"].sum())) / 10
        for block, rows in om.groupby("block", sort=False)})
    ols = sm.OLS(rescaled["LOY"], sm.add_constant(rescaled[["IMAG", "SAT"]])).fit()
    ipm_result = fitted.importance_performance("LOY")
    ipm = ipm_result.table
    assert ipm_result.settings == {"target": "LOY", "level": "construct", "scale": (0.0, 10.0),
                                   "importance": "unstandardised total effect on the 0-100 scale"}
    assert ipm.loc["SAT", "importance"] == pytest.approx(ols.params["SAT"], abs=1e-8)  # SAT reaches LOY only directly
    assert ipm.loc["VAL", "importance_standardized"] == pytest.approx(0.292001150957277, abs=TOL)  # R total effect
    assert ipm.loc["QUAL", "performance"] == pytest.approx(rescaled["QUAL"].mean(), abs=1e-8)
    assert set(ipm.index) == {"IMAG", "EXPE", "QUAL", "VAL", "SAT"}
    with pytest.raises(CrmlabValueError, match="no construct has a path leading to 'IMAG'"):
        fitted.importance_performance("IMAG")
    # item level: a one-point rise of item sat_i on 0-100 moves LOY's index by (SAT's slope) x (its R weight share)
    items_result = fitted.importance_performance("LOY", level="item")
    items = items_result.table
    sat = om[om["block"] == "SAT"]
    for item, w in (sat["weight"] / sat["weight"].sum()).items():
        assert items.loc[item, "importance"] == pytest.approx(ols.params["SAT"] * w, abs=1e-8)
        assert items.loc[item, "performance"] == pytest.approx(100 * ecsi[item].mean() / 10, abs=1e-10)
    assert items.groupby("construct")["importance"].sum().to_dict() == pytest.approx(ipm["importance"].to_dict(), abs=1e-10)
    assert "loy1" not in items.index and items_result.settings["level"] == "item"


def test_bootstrap_drops_and_counts_degenerate_resamples():
    """Resamples where a rare item is constant cannot be standardised: dropped and counted, not hidden."""
    rng = np.random.default_rng(0)
    f = rng.normal(size=40)
    data = pd.DataFrame({"a1": f + rng.normal(size=40), "a2": f + rng.normal(size=40), "b1": f + rng.normal(size=40),
                         "c1": np.r_[np.ones(38), [2.0, 3.0]], "c2": f + rng.normal(size=40)})
    model = PLSPathModel({"A": ["a1", "a2"], "B": ["b1"], "C": ["c1", "c2"]}, [("A", "B"), ("B", "C"), ("A", "C")],
                         modes={"A": "B"}, scheme="path").fit(data)
    assert model.unidimensionality_.loc["A", ["cronbach_alpha", "composite_reliability"]].tolist() == [0, 0]
    boot = model.bootstrap(100, random_state=0)
    # P(neither of the two non-1 rows drawn) = (38/40)^40 = 12.9 %
    assert 0 < boot.n_failed < 30 and boot.n_boot + boot.n_failed == 100
    assert len(boot.draws["paths"]) == boot.n_boot
