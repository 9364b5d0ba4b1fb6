"""Permutation multi-group analysis and MICOM, checked on data simulated from known parameters."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crmlab.pls import PLSPathModel, multigroup_analysis
from crmlab.validation import CrmlabValueError

BLOCKS = {"X": ["x1", "x2", "x3"], "Y": ["y1", "y2", "y3"]}
MODEL = PLSPathModel(BLOCKS, [("X", "Y")], scheme="path")


def simulate(n, beta, rng, lam_x=(0.8, 0.75, 0.7), lam_y=(0.8, 0.75, 0.7), mean_x=0.0) -> pd.DataFrame:
    """Two-construct common-factor model: Y = beta X + e, unit-variance factors and items."""
    xi = mean_x + rng.normal(size=n)
    eta = beta * (xi - mean_x) + np.sqrt(1 - beta**2) * rng.normal(size=n)
    cols = {f"x{k + 1}": l * xi + np.sqrt(1 - l**2) * rng.normal(size=n) for k, l in enumerate(lam_x)}
    cols |= {f"y{k + 1}": l * eta + np.sqrt(1 - l**2) * rng.normal(size=n) for k, l in enumerate(lam_y)}
    return pd.DataFrame(cols)


def two_groups(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([first.assign(market="north"), second.assign(market="south")], ignore_index=True)


def test_identical_populations_reject_at_the_nominal_rate():
    """80 simulated pairs from one population: p values uniform (KS at the 0.1 % level), about 5 % below 0.05."""
    rng = np.random.default_rng(2024)
    p_paths, c_invariant = [], []
    for _ in range(80):
        data = two_groups(simulate(60, 0.5, rng), simulate(60, 0.5, rng))
        res = multigroup_analysis(MODEL, data, group="market", n_permutations=99, random_state=rng.integers(1 << 31))
        p_paths.append(res.paths.loc["X -> Y", "p_value"])
        c_invariant.append(res.micom["compositional_invariance"].all())
    p_paths = np.array(p_paths)
    assert (p_paths < 0.05).sum() <= 10  # binomial(80, 0.05): P(X >= 11) < 0.3 %
    assert stats.kstest(p_paths, "uniform").pvalue > 0.001
    assert np.mean(c_invariant) >= 0.8  # two constructs at 5 % each


def test_known_path_difference_is_detected_and_matches_separate_fits():
    rng = np.random.default_rng(7)
    north, south = simulate(150, 0.7, rng), simulate(150, 0.1, rng)
    res = multigroup_analysis(MODEL, two_groups(north, south), group="market", n_permutations=499, random_state=1)
    row = res.paths.loc["X -> Y"]
    assert row["p_value"] < 0.01 and bool(row["significant"])
    # group estimates are the single-group fits
    assert row["estimate_1"] == pytest.approx(PLSPathModel(BLOCKS, [("X", "Y")], scheme="path").fit(north)
                                              .path_coefficients_.loc["X", "Y"], abs=1e-12)
    assert row["estimate_2"] == pytest.approx(PLSPathModel(BLOCKS, [("X", "Y")], scheme="path").fit(south)
                                              .path_coefficients_.loc["X", "Y"], abs=1e-12)
    assert row["difference"] == pytest.approx(row["estimate_1"] - row["estimate_2"])
    assert 0.35 < row["difference"] < 0.75  # true factor-model difference 0.6, attenuated by PLS composites
    assert res.settings["groups"] == ("north", "south") and res.settings["group_sizes"] == (150, 150)
    assert res.n_permutations + res.n_failed == 499 and res.draws["paths"].shape == (res.n_permutations, 1)


def test_vectorised_permutations_equal_refits_of_permuted_groups():
    rng = np.random.default_rng(3)
    data = two_groups(simulate(60, 0.5, rng), simulate(80, 0.3, rng))
    res = multigroup_analysis(MODEL, data, group="market", n_permutations=25, random_state=9)
    perm = np.random.default_rng(9).permuted(np.tile(np.arange(140), (25, 1)), axis=1)
    items = data[sum(BLOCKS.values(), [])]
    for b in (0, 13, 24):
        fit = lambda rows: PLSPathModel(BLOCKS, [("X", "Y")], scheme="path").fit(  # noqa: E731
            items.iloc[rows]).path_coefficients_.loc["X", "Y"]
        assert res.draws["paths"].iloc[b, 0] == pytest.approx(fit(perm[b, :60]) - fit(perm[b, 60:]), abs=1e-12)
    d = res.draws["paths"]["X -> Y"].to_numpy()
    obs = res.paths.loc["X -> Y", "difference"]
    assert res.paths.loc["X -> Y", "p_value"] == pytest.approx((1 + (np.abs(d) >= abs(obs)).sum()) / 26)


def test_micom_flags_different_weights_and_means():
    """Group 2 measures X with a reversed third item (different composite) and has a higher Y-independent X mean."""
    rng = np.random.default_rng(5)
    north = simulate(200, 0.5, rng)
    south = simulate(200, 0.5, rng, lam_x=(0.8, 0.75, -0.7))
    res = multigroup_analysis(MODEL, two_groups(north, south), group="market", n_permutations=299, random_state=2)
    assert not res.micom.loc["X", "compositional_invariance"] and res.micom.loc["X", "invariance"] == "none"
    assert res.micom.loc["X", "c"] < res.micom.loc["X", "c_quantile"]
    assert bool(res.micom.loc["Y", "compositional_invariance"])
    shifted = simulate(200, 0.5, rng, mean_x=0.6)
    res2 = multigroup_analysis(MODEL, two_groups(north, shifted), group="market", n_permutations=299, random_state=2)
    assert bool(res2.micom.loc["X", "compositional_invariance"])
    assert not res2.micom.loc["X", "equal_means"] and res2.micom.loc["X", "invariance"] == "partial"
    assert res2.micom.loc["X", "mean_difference"] < 0  # north - south, south shifted up
    assert bool(res2.micom.loc["Y", "equal_means"])


def test_multigroup_input_errors():
    rng = np.random.default_rng(1)
    data = two_groups(simulate(50, 0.5, rng), simulate(50, 0.5, rng))
    with pytest.raises(CrmlabValueError, match=r"data has no column\(s\) \['wave'\]"):
        multigroup_analysis(MODEL, data, group="wave")
    three = data.assign(market=np.repeat(["a", "b", "c", "d"], 25))
    with pytest.raises(CrmlabValueError, match="has 4 groups .*pass groups=\\(a, b\\)"):
        multigroup_analysis(MODEL, three, group="market")
    res = multigroup_analysis(MODEL, three, group="market", groups=("b", "d"), n_permutations=19, random_state=0)
    assert res.settings["rows_excluded"] == 50 and res.settings["group_sizes"] == (25, 25)
    with pytest.raises(CrmlabValueError, match="group 'z' does not occur"):
        multigroup_analysis(MODEL, three, group="market", groups=("a", "z"))
    holed = data.astype({"market": object})
    holed.loc[3, "market"] = None
    with pytest.raises(CrmlabValueError, match=r"missing group labels at rows \[3\]"):
        multigroup_analysis(MODEL, holed, group="market")
    tiny = pd.concat([data.iloc[:50], data.iloc[50:53]])
    with pytest.raises(CrmlabValueError, match="group 'south' has 3 complete rows"):
        multigroup_analysis(MODEL, tiny, group="market")
    const = data.copy()
    const.loc[const["market"] == "south", "x2"] = 4.0
    with pytest.raises(CrmlabValueError, match="group 'south' column 'x2' is constant"):
        multigroup_analysis(MODEL, const, group="market")
    with pytest.raises(CrmlabValueError, match="model must be a PLSPathModel"):
        multigroup_analysis("X -> Y", data, group="market")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mga_chart(lang):
    import matplotlib.pyplot as plt

    from crmlab.i18n import t
    from crmlab.plotting.pls import plot_mga

    rng = np.random.default_rng(7)
    res = multigroup_analysis(MODEL, two_groups(simulate(150, 0.7, rng), simulate(150, 0.1, rng)), group="market",
                              n_permutations=99, random_state=1)
    ax = plot_mga(res, lang=lang)
    assert [x.get_text() for x in ax.get_yticklabels()] == ["X → Y  *"]
    assert [p.get_width() for p in ax.patches] == pytest.approx([res.paths["estimate_1"].iloc[0], res.paths["estimate_2"].iloc[0]])
    assert ax.get_title() == t("pls_mga_title", lang)
    assert ax.get_legend().get_title().get_text() == "market"  # the group column, as given
    assert plot_mga(res, group_title="Wave", lang=lang).get_legend().get_title().get_text() == "Wave"
    with pytest.raises(CrmlabValueError, match="needs the PLSMultigroupResult"):
        plot_mga(res.paths)
    plt.close("all")
