"""What-if panel of notebook 02: the callback re-places attributes for a moved crosshair or another importance method.

References: the quadrant rule itself (a value on a line counts as high, Martilla & James's four zones), applied
by hand to the fitted performance and importance — the callback must not re-estimate anything.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmlab.datasets import ipa as ds
from crmlab.ipa import ImportancePerformance, survey_design
from crmlab.validation import CrmlabValueError
from crmlab.whatif.ipa import crosshair_range, ipa_panel, redraw_ipa


@pytest.fixture(scope="module")
def analyses():
    data = ds.load_ipa_survey()
    design = survey_design(ds.survey_study())
    return {m: ImportancePerformance(**design, importance=m).fit(data).result_ for m in ("stated", "lmg", "correlation")}


def by_hand(result, x0, y0) -> pd.Series:
    p, i = result.table["performance"], result.table["importance"]
    return pd.Series(np.where(i >= y0, np.where(p >= x0, "A", "B"), np.where(p >= x0, "D", "C")), index=p.index)


@pytest.mark.parametrize("method", ["stated", "lmg"])
def test_moving_the_crosshair_replaces_attributes_by_the_quadrant_rule(analyses, method):
    base = analyses[method]
    fig, ax = plt.subplots()
    for x0 in (4.2, 5.0, base.table["performance"].iloc[0]):  # the last one sits exactly on a point: counts as high
        y0 = float(base.table["importance"].median())
        table = redraw_ipa(analyses, method, (x0, y0), ax=ax)
        pd.testing.assert_series_equal(table["quadrant"], by_hand(base, x0, y0), check_names=False)
        pd.testing.assert_frame_equal(table[["performance", "importance"]], base.table[["performance", "importance"]])
        assert set(table["zone"]) <= {"advantage", "repair", "opportunity", "maintain"}
        lines = [ln for ln in ax.get_lines() if len(set(ln.get_xdata())) == 1]
        assert any(np.allclose(ln.get_xdata(), x0) for ln in lines), "the vertical crosshair line is at x0"
    plt.close(fig)


def test_switching_method_and_rules(analyses):
    fig, ax = plt.subplots()
    stated = redraw_ipa(analyses, "stated", ("mean", "mean"), ax=ax)
    lmg = redraw_ipa(analyses, "lmg", ("mean", "mean"), ax=ax)
    assert stated["quadrant"].equals(analyses["stated"].table["quadrant"])
    assert lmg["quadrant"].equals(analyses["lmg"].table["quadrant"])
    assert stated.loc["cleanliness", "quadrant"] == "A" and lmg.loc["cleanliness", "quadrant"] == "D"
    mid = redraw_ipa(analyses, "stated", ("midpoint", "midpoint"), ax=ax, lang="zh", labels=ds.attribute_labels("zh"))
    pd.testing.assert_series_equal(mid["quadrant"], by_hand(analyses["stated"], 4.0, 4.0), check_names=False)
    assert "结账速度" in {t.get_text() for t in ax.texts}
    plt.close(fig)


def test_diagonal_zoning_is_kept(analyses):
    data = ds.load_ipa_survey()
    diag = ImportancePerformance(**survey_design(ds.survey_study()), importance="stated", zoning="diagonal").fit(data).result_
    fig, ax = plt.subplots()
    table = redraw_ipa({"stated": diag}, "stated", (5.0, 5.0), ax=ax)
    gap = (table["importance"] - 5.0) - (table["performance"] - 5.0)  # slope 1: both axes on the 1-7 scale
    assert table["priority_gap"].to_numpy() == pytest.approx(gap.to_numpy())
    assert list(table["diagonal_zone"]) == ["above_diagonal" if g > 0 else "below_diagonal" for g in gap]
    plt.close(fig)


def test_crosshair_range(analyses):
    assert crosshair_range(analyses, "stated") == {"performance": (1.0, 7.0), "importance": (1.0, 7.0)}
    lo, hi = crosshair_range(analyses, "lmg")["importance"]
    imp = analyses["lmg"].table["importance"]
    span = imp.max() - imp.min()
    assert (lo, hi) == pytest.approx((imp.min() - 0.1 * span, imp.max() + 0.1 * span))


def test_bad_inputs_are_named(analyses):
    fig, ax = plt.subplots()
    with pytest.raises(CrmlabValueError, match="method must be one of"):
        redraw_ipa(analyses, "ols_beta", ("mean", "mean"), ax=ax)
    with pytest.raises(CrmlabValueError, match=r"crosshair \(performance axis\)"):
        redraw_ipa(analyses, "stated", (9.0, "mean"), ax=ax)  # off the 1-7 scale
    with pytest.raises(CrmlabValueError, match="analyses must map"):
        redraw_ipa({}, "stated", ("mean", "mean"), ax=ax)
    plt.close(fig)


def test_panel_redraws_when_a_control_moves(analyses, monkeypatch):
    pytest.importorskip("ipywidgets")
    import crmlab.whatif.ipa as whatif

    calls = []

    def recording(analyses_, method, crosshair, **kw):
        calls.append((method, crosshair))
        return redraw_ipa(analyses_, method, crosshair, **kw)

    monkeypatch.setattr(whatif, "redraw_ipa", recording)
    panel = ipa_panel(analyses, "lmg", lang="en", labels=ds.attribute_labels("en"))
    menu, x_slider, y_slider, out = panel.children
    assert calls[-1] == ("lmg", (x_slider.value, y_slider.value))
    assert x_slider.value == pytest.approx(analyses["lmg"].crosshair["performance"], abs=0.05)
    menu.value = "stated"  # the importance slider moves to the stated scale, one redraw
    assert (y_slider.min, y_slider.max) == (1.0, 7.0)
    assert y_slider.value == pytest.approx(analyses["stated"].crosshair["importance"], abs=0.05)
    assert calls[-1][0] == "stated" and len(calls) == 2
    x_slider.value = 6.5
    assert calls[-1] == ("stated", (6.5, y_slider.value)) and len(calls) == 3
    plt.close("all")
