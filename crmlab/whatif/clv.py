"""What-if panels of the CLV notebook: move the discount rate, the retention rate and the margin.

Two callbacks, each a plain function that computes, draws on the Axes it is given and returns the table:

* :func:`redraw_retention_clv` — the lost-for-good retention model (Gupta & Lehmann 2003,
  :func:`crmlab.clv.retention_clv`): CLV against the retention rate for a margin and a discount
  rate, the chosen retention marked;
* :func:`redraw_log_clv` — the CLV of every customer of a transaction log from fitted purchase
  and spend models (:func:`crmlab.btyd.customer_lifetime_value`) at a discount rate and margin,
  drawn and tabulated as CLV tiers (:func:`crmlab.clv.clv_tiers`).  Nothing is refitted: a move
  re-discounts the fitted models' expected purchases.

:func:`retention_panel` and :func:`log_clv_panel` wire them to ipywidgets sliders for JupyterLab.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..btyd import GammaGammaModel, customer_lifetime_value
from ..clv import clv_tiers, retention_clv
from ..i18n import check_lang, t
from ..segmentation import TIER_SHARES

RETENTION_GRID = np.round(np.arange(0.0, 0.951, 0.01), 2)


def rate_label(rate: float) -> str:
    """A curve's label: the discount rate as a percentage (same in both languages)."""
    return f"d = {rate:.1%}".replace(".0%", "%")


def retention_curves(margin: float, rates: Sequence[float], *, retentions=RETENTION_GRID, periods=None,
                     timing: str = "end", first_period: str = "retained") -> pd.DataFrame:
    """Retention-model CLV (:func:`crmlab.clv.retention_clv`) over a grid of retention rates, one column per discount rate."""
    r = np.asarray(retentions, dtype=float)
    curves = {rate_label(d): retention_clv(margin=margin, retention=r, rate=d, periods=periods, timing=timing,
                                           first_period=first_period) for d in rates}
    return pd.DataFrame(curves, index=pd.Index(r, name="retention"))


def redraw_retention_clv(*, margin: float, retention: float, rate: float, ax, lang: str = "en", periods=None,
                         timing: str = "end", first_period: str = "retained") -> pd.DataFrame:
    """Callback: CLV of a lost-for-good customer with ``margin`` per period, ``retention`` and discount ``rate``.

    Draws CLV against retention (0–95 %, plus the chosen rate) at this margin and rate with the
    chosen point marked, and returns one row: margin, retention, discount rate, the margin
    multiple CLV / margin and the CLV (infinite horizon by default: m·r/(1+d−r)).
    """
    from ..plotting.clv import plot_retention_clv

    check_lang(lang)
    value = retention_clv(margin=margin, retention=retention, rate=rate, periods=periods, timing=timing,
                          first_period=first_period)
    grid = np.union1d(RETENTION_GRID, [retention])
    curves = retention_curves(margin, [rate], retentions=grid, periods=periods, timing=timing, first_period=first_period)
    ax.clear()
    plot_retention_clv(curves, highlight=(retention, value), ax=ax, lang=lang)
    return pd.DataFrame({"clv_margin": [float(margin)], "retention_rate": [float(retention)], "discount_rate": [float(rate)],
                         "margin_multiple": [value / margin if margin else np.nan], "clv": [value]})


def redraw_log_clv(purchase_model, spend_model: GammaGammaModel, summary, *, rate: float, margin: float, periods: int,
                   period_length: float, ax, lang: str = "en", tier_shares: Sequence[float] = TIER_SHARES,
                   timing: str = "end") -> pd.DataFrame:
    """Callback: every customer's CLV at discount ``rate`` per step and ``margin``, as CLV tiers.

    Re-discounts the fitted models' expected purchases (:func:`crmlab.btyd.customer_lifetime_value`,
    same horizon, step and timing), assigns the tiers by ``tier_shares`` (top down), draws the
    tier chart (:func:`crmlab.plotting.clv.plot_clv_tiers`) and returns the tier table (customers,
    cut-offs, total CLV and share of CLV per tier, index ``tier``).
    """
    from ..plotting.clv import plot_clv_tiers

    check_lang(lang)
    values = customer_lifetime_value(purchase_model, spend_model, summary, periods=periods, period_length=period_length,
                                     rate=rate, margin=margin, timing=timing)
    tiers = clv_tiers(values.table["clv"], shares=tier_shares)
    ax.clear()
    plot_clv_tiers(tiers, ax=ax, lang=lang)
    return tiers.cutoffs.set_index("tier")


def _slider(description: str, value: float, low: float, high: float, step: float, fmt: str):
    import ipywidgets as widgets

    return widgets.FloatSlider(value=float(np.clip(value, low, high)), min=low, max=high, step=step,
                               description=description, readout_format=fmt, continuous_update=False,
                               style={"description_width": "initial"}, layout={"width": "520px"})


def _panel(sliders: dict, draw, lang: str):
    """Sliders, then the chart and table that ``draw(ax, **values)`` produces, redrawn whenever a slider moves."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from ..plotting import FIGSIZE_WIDE
    from ..report.display import show

    out = widgets.Output()

    def update(*_):
        with out:
            out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=FIGSIZE_WIDE)
            table = draw(ax, **{name: s.value for name, s in sliders.items()})
            display(fig)
            plt.close(fig)
            display(show(table, lang, context="clv"))

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return widgets.VBox([*sliders.values(), out])


def retention_panel(*, margin: float, retention: float, rate: float, lang: str = "en"):
    """An ipywidgets panel for :func:`redraw_retention_clv`: margin, retention and discount-rate sliders (JupyterLab)."""
    check_lang(lang)
    sliders = {"margin": _slider(t("clv_margin", lang), margin, 0.0, max(2.0 * margin, 1.0), max(margin, 1.0) / 100, ".0f"),
               "retention": _slider(t("retention_rate", lang), retention, 0.0, 0.95, 0.01, ".0%"),
               "rate": _slider(t("clv_discount_rate_per_year", lang), rate, 0.0, 0.30, 0.005, ".1%")}

    def draw(ax, **values):
        return redraw_retention_clv(ax=ax, lang=lang, **values)

    return _panel(sliders, draw, lang)


def log_clv_panel(purchase_model, spend_model: GammaGammaModel, summary, *, rate: float, margin: float, periods: int,
                  period_length: float, tier_shares: Sequence[float] = TIER_SHARES, lang: str = "en"):
    """An ipywidgets panel for :func:`redraw_log_clv`: discount rate per step and margin sliders (JupyterLab)."""
    check_lang(lang)
    sliders = {"rate": _slider(t("clv_discount_rate_per_step", lang), rate, 0.0, max(0.05, 2.0 * rate), 0.001, ".1%"),
               "margin": _slider(t("clv_profit_margin", lang), margin, 0.0, max(1.0, margin), 0.01, ".0%")}

    def draw(ax, **values):
        return redraw_log_clv(purchase_model, spend_model, summary, periods=periods, period_length=period_length,
                              tier_shares=tier_shares, ax=ax, lang=lang, **values)

    return _panel(sliders, draw, lang)
