"""What-if callbacks of notebook 03 (crmlab.whatif.clv): retention-model CLV and the log's CLV tiers, redrawn per move.

References: the closed form m·r/(1+d−r) (Gupta & Lehmann 2003) and crmlab.btyd.customer_lifetime_value +
crmlab.clv.clv_tiers called directly on the same fitted models.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmlab import btyd, clv
from crmlab.datasets import clv as clv_data
from crmlab.i18n import t
from crmlab.transactions import TransactionLog
from crmlab.validation import CrmlabValueError
from crmlab.whatif.clv import (log_clv_panel, redraw_log_clv, redraw_retention_clv, retention_curves,
                               retention_panel)

STEP = 30.4375 / 7


@pytest.fixture(scope="module")
def fitted():
    log = TransactionLog.from_frame(clv_data.load_transactions())
    summary = log.customer_summary(calibration_end=clv_data.CALIBRATION_END, time_unit="W")
    return btyd.BetaGeoModel().fit(summary), btyd.GammaGammaModel().fit(summary), summary


def test_retention_callback_is_the_closed_form():
    fig, ax = plt.subplots()
    table = redraw_retention_clv(margin=100, retention=0.8, rate=0.1, ax=ax)
    assert table.loc[0, "clv"] == pytest.approx(100 * 0.8 / (1.1 - 0.8))
    assert table.loc[0, "margin_multiple"] == pytest.approx(0.8 / 0.3)
    assert list(table.columns) == ["clv_margin", "retention_rate", "discount_rate", "margin_multiple", "clv"]
    line = ax.get_lines()[0]
    r = np.asarray(line.get_xdata())
    assert np.asarray(line.get_ydata()) == pytest.approx(100 * r / (1.1 - r))
    assert ax.get_legend().get_texts()[0].get_text() == "d = 10%"
    assert 0.8 in r  # the chosen retention is on the curve, and marked
    table = redraw_retention_clv(margin=50, retention=0.95, rate=0.12, periods=5, ax=ax, lang="zh")
    assert table.loc[0, "clv"] == pytest.approx(sum(50 * 0.95 ** k / 1.12 ** k for k in range(1, 6)))
    assert len(ax.get_lines()) == 2 and ax.get_xlabel() == t("retention_rate", "zh")  # cleared and redrawn
    plt.close(fig)


def test_retention_curves():
    curves = retention_curves(100, [0.08, 0.1], retentions=[0.5, 0.9])
    assert list(curves.columns) == ["d = 8%", "d = 10%"]
    assert curves.loc[0.9, "d = 8%"] == pytest.approx(500.0)
    assert curves.loc[0.5, "d = 10%"] == pytest.approx(50 / 0.6)


def test_log_callback_equals_the_api(fitted):
    bg, gg, summary = fitted
    fig, ax = plt.subplots()
    table = redraw_log_clv(bg, gg, summary, rate=0.01, margin=0.3, periods=12, period_length=STEP, ax=ax)
    direct = btyd.customer_lifetime_value(bg, gg, summary, periods=12, period_length=STEP, rate=0.01, margin=0.3)
    expected = clv.clv_tiers(direct.table["clv"]).cutoffs.set_index("tier")
    pd.testing.assert_frame_equal(table, expected)
    assert table["total_clv"].sum() == pytest.approx(direct.value)
    assert len(ax.patches) == 8  # customers' and CLV's share per tier
    full = redraw_log_clv(bg, gg, summary, rate=0.01, margin=0.6, periods=12, period_length=STEP, ax=ax)
    assert full["total_clv"].sum() == pytest.approx(2 * direct.value)  # CLV is linear in the margin
    dearer = redraw_log_clv(bg, gg, summary, rate=0.05, margin=0.3, periods=12, period_length=STEP, ax=ax,
                            tier_shares=(0.1, 0.2, 0.3, 0.4), lang="zh")
    assert dearer["total_clv"].sum() < direct.value and dearer["customer_share"].tolist() == pytest.approx([0.1, 0.2, 0.3, 0.4])
    assert ax.get_title() == t("clv_tiers_title", "zh") and len(ax.patches) == 8
    plt.close(fig)


def test_bad_inputs_are_named(fitted):
    bg, gg, summary = fitted
    fig, ax = plt.subplots()
    with pytest.raises(CrmlabValueError, match="retention must lie in"):
        redraw_retention_clv(margin=100, retention=1.2, rate=0.1, ax=ax)
    with pytest.raises(CrmlabValueError, match="rate must be > -1"):
        redraw_log_clv(bg, gg, summary, rate=-1.5, margin=1, periods=12, period_length=STEP, ax=ax)
    with pytest.raises(CrmlabValueError, match="margin must be"):
        redraw_log_clv(bg, gg, summary, rate=0.01, margin=-1, periods=12, period_length=STEP, ax=ax)
    with pytest.raises(CrmlabValueError, match="lang must be one of"):
        redraw_retention_clv(margin=100, retention=0.8, rate=0.1, ax=ax, lang="fr")
    plt.close(fig)


def test_panels_redraw_when_a_slider_moves(fitted, monkeypatch):
    pytest.importorskip("ipywidgets")
    import crmlab.whatif.clv as whatif

    calls = []
    original_retention, original_log = whatif.redraw_retention_clv, whatif.redraw_log_clv
    monkeypatch.setattr(whatif, "redraw_retention_clv", lambda **kw: calls.append(("retention", kw)) or original_retention(**kw))
    monkeypatch.setattr(whatif, "redraw_log_clv", lambda *a, **kw: calls.append(("log", kw)) or original_log(*a, **kw))
    panel = retention_panel(margin=100.0, retention=0.8, rate=0.1, lang="zh")
    margin, retention, rate, out = panel.children
    assert {k: calls[-1][1][k] for k in ("margin", "retention", "rate")} == {"margin": 100.0, "retention": 0.8, "rate": 0.1}
    retention.value = 0.9
    assert calls[-1][1]["retention"] == 0.9 and len(calls) == 2 and calls[-1][1]["lang"] == "zh"
    bg, gg, summary = fitted
    panel = log_clv_panel(bg, gg, summary, rate=0.01, margin=1.0, periods=12, period_length=STEP)
    rate, margin, out = panel.children
    margin.value = 0.5
    assert calls[-1][0] == "log" and calls[-1][1]["margin"] == 0.5 and calls[-1][1]["rate"] == 0.01
    plt.close("all")
